"""Accessible charts for the dashboards: static PNG (matplotlib, no JavaScript), a text summary
and a download link. Colours: Okabe–Ito (distinguishable with every common colour-vision
deficiency); large fonts so that the chart stays readable when shrunk to a 390 px phone.
"""

from __future__ import annotations

import base64
import html
from io import BytesIO

import pandas as pd

from alacarte.tableaux_de_bord.textes import nombre

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
COULEURS_GRAVITE = {"mortel": "#000000", "grave non mortel": "#CC79A7", "léger": "#009E73"}


def _figure(largeur: float = 5.0, hauteur: float = 3.4):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(largeur, hauteur), dpi=100)
    fig.set_layout_engine("constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=12)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    return fig, ax


def _png(fig) -> bytes:
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return buf.getvalue()


def _format_milliers(ax):
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: nombre(v)))


def barres(etiquettes: list, valeurs: list, titre: str, unite: str = "", couleur: str = OKABE_ITO[0],
           empile: dict[str, list] | None = None, couleurs: dict[str, str] | None = None,
           rotation: int = 0) -> bytes:
    """A bar chart; ``empile`` = {series name: values} draws stacked bars with a legend."""
    fig, ax = _figure()
    x = list(range(len(etiquettes)))
    if empile:
        bas = [0.0] * len(x)
        for i, (nom, vals) in enumerate(empile.items()):
            c = (couleurs or {}).get(nom, OKABE_ITO[i % len(OKABE_ITO)])
            ax.bar(x, vals, bottom=bas, color=c, label=nom, edgecolor="white", linewidth=0.5)
            bas = [b + v for b, v in zip(bas, vals, strict=True)]
        ax.legend(fontsize=11, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=3,
                  handlelength=1.2, columnspacing=0.8)
    else:
        ax.bar(x, valeurs, color=couleur)
    ax.set_xticks(x, [str(e) for e in etiquettes], rotation=rotation, fontsize=11)
    if len(x) > 12:
        for i, lab in enumerate(ax.get_xticklabels()):
            lab.set_visible(i % 2 == 0)
    ax.set_title(titre, fontsize=13, loc="left")
    if unite:
        ax.set_ylabel(unite, fontsize=12)
    _format_milliers(ax)
    return _png(fig)


def html_graphique(png: bytes, titre: str, resume: str, nom_fichier: str) -> str:
    """<figure> with the image (alt text = the summary), the summary in words and a download link."""
    b64 = base64.b64encode(png).decode()
    t, r = html.escape(titre), html.escape(resume)
    return (f'<figure class="alc-graphique"><img src="data:image/png;base64,{b64}" alt="{t}. {r}">'
            f'<figcaption><p class="alc-resume">{r}</p>'
            f'<a class="alc-telecharger" download="{html.escape(nom_fichier)}" href="data:image/png;base64,{b64}">'
            f'Télécharger l\'image (PNG)</a></figcaption></figure>')


def resume_serie(etiquettes: list, valeurs: list, unite: str, sujet: str) -> str:
    """'Accidents par année : de 812 (2020) à 1 204 (2005) ; total 15 321.' style sentence."""
    s = pd.Series(list(valeurs), index=[str(e) for e in etiquettes], dtype="float64")
    if s.empty or s.isna().all():
        return f"{sujet} : aucune donnée."
    mx, mn = s.idxmax(), s.idxmin()
    return (f"{sujet} : le plus haut {nombre(s[mx])} {unite} ({mx}), le plus bas {nombre(s[mn])} {unite} ({mn}) ; "
            f"total {nombre(s.sum())} {unite}.")

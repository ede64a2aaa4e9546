"""Accessible defaults for plotly figures (thin on purpose: the lessons teach plotly itself).

What a learner should not have to retype in every figure:

- :data:`OKABE_ITO`, a palette of 8 colours that stay distinct for every common colour-vision
  deficiency (Okabe & Ito, 2008), for categories; :data:`SEQUENTIELLE` (viridis) for quantities;
- a plotly template registered as ``"alacarte"`` when this module is imported: readable font sizes,
  white background, light grid, Okabe–Ito colorway, viridis colour scales, French number separators
  (``12 345,6``; plotly leaves 4-digit numbers such as years unseparated), full numbers on axes
  (``1 000 000``, not ``1M``), left-aligned titles. Make it the default with
  ``plotly.io.templates.default = "alacarte"`` (or :func:`utiliser_theme`), or pass
  ``template="alacarte"`` to one figure;
- :func:`sourcer`, which writes the « Source : … » line under the plot, where a reader of a printed
  or screenshotted figure expects it;
- :func:`nombre`, a number written the French way, for the one-sentence summary printed next to a
  figure.

Usage::

    import plotly.express as px
    import plotly.io as pio
    from alacarte.graphiques import sourcer

    pio.templates.default = "alacarte"
    fig = px.bar(table, x="departement_nom", y="population", title="…",
                 labels={"population": "habitants"})
    sourcer(fig, "INSEE, populations légales 2026 (Licence Ouverte 2.0)")
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio

__all__ = ["OKABE_ITO", "SEQUENTIELLE", "TEMPLATE", "theme", "utiliser_theme", "sourcer", "nombre"]

#: Okabe–Ito colours, most contrasted on white first (yellow, #F0E442, is last: too pale for thin
#: lines or small text on a white background)
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
#: colour scale for quantities (perceptually uniform, readable with colour-vision deficiencies and in grey)
SEQUENTIELLE = "viridis"
#: name of the registered plotly template
TEMPLATE = "alacarte"

#: font used by the template (present on every system; plotly falls back otherwise)
POLICE = "Arial, Helvetica, sans-serif"
ENCRE = "#1a1a1a"
GRILLE = "#dedede"
#: name given to the source annotation, so that sourcer() replaces it instead of stacking a second one
NOM_SOURCE = "alacarte-source"


def theme() -> go.layout.Template:
    """The ``"alacarte"`` plotly template (a new object each call)."""
    axe = dict(title_font_size=16, tickfont_size=14, gridcolor=GRILLE, linecolor="#666666", ticks="outside",
               tickcolor="#666666", zerolinecolor="#999999", zerolinewidth=1.5, automargin=True,
               title_standoff=12, exponentformat="none")  # 1 000 000, not 1M
    mise_en_page = go.Layout(
        font=dict(family=POLICE, size=15, color=ENCRE),
        title=dict(font=dict(size=20, color=ENCRE), x=0, xanchor="left", xref="paper", y=0.96, yanchor="top",
                   automargin=True),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=OKABE_ITO[:-1],  # without the yellow, too pale for lines and points on white
        colorscale=dict(sequential=SEQUENTIELLE, sequentialminus=SEQUENTIELLE, diverging="PuOr"),
        coloraxis=dict(colorscale=SEQUENTIELLE, colorbar=dict(outlinewidth=0, tickfont_size=13)),
        separators=", ",  # decimal comma, thousands separated by a space, as written in French
        xaxis=axe,
        yaxis=axe,
        legend=dict(font_size=14, title_font_size=14, bgcolor="rgba(255,255,255,0.8)"),
        hoverlabel=dict(font_size=15, font_family=POLICE),
        margin=dict(t=90, l=80, r=30, b=80),
    )
    return go.layout.Template(layout=mise_en_page)


pio.templates[TEMPLATE] = theme()


def utiliser_theme() -> None:
    """Make ``"alacarte"`` the default template of every new plotly figure."""
    pio.templates[TEMPLATE] = theme()
    pio.templates.default = TEMPLATE


def sourcer(fig: go.Figure, texte: str, decalage: int = 70, largeur: int = 110) -> go.Figure:
    """Write « Source : texte » under the plot of ``fig`` (left-aligned, grey, small) and return ``fig``.

    texte: who produced the data, what, and when, e.g. « INSEE, populations légales, millésime 2026 ».
      « Source : » is added in front unless the text already starts with « Source ». Long texts are
      wrapped at ``largeur`` characters.
    decalage: distance in pixels between the bottom of the plotting area and the source line, below
      the x tick labels and the x axis title; the bottom margin grows to make room for it.
    Calling it again replaces the source line (there is never more than one).
    """
    texte = " ".join(str(texte).split())
    if not texte:
        raise ValueError("sourcer : le texte de la source est vide.")
    if not texte.lower().startswith("source"):
        texte = f"Source : {texte}"
    lignes = textwrap.wrap(texte, width=max(20, largeur)) or [texte]
    autres = [a for a in (fig.layout.annotations or ()) if a.name != NOM_SOURCE]
    fig.layout.annotations = autres
    fig.add_annotation(
        name=NOM_SOURCE, text="<br>".join(lignes), showarrow=False, xref="paper", yref="paper", x=0, y=0,
        xanchor="left", yanchor="top", yshift=-decalage, align="left", font=dict(size=13, color="#4d4d4d"),
    )
    marge = fig.layout.margin.b if fig.layout.margin.b is not None else 0
    fig.update_layout(margin_b=max(marge, decalage + 22 * len(lignes) + 10))
    return fig


def nombre(x: Any, decimales: int = 0, signe: bool = False) -> str:
    """A number written the French way, for sentences: ``nombre(8205557)`` → ``"8 205 557"``,
    ``nombre(2.0213, 1)`` → ``"2,0"``, ``nombre(2.0213, 1, signe=True)`` → ``"+2,0"``.

    Thousands are separated by a non-breaking space, the decimal separator is a comma, a negative
    number has a true minus sign (−). A missing value gives « non disponible ».
    """
    try:
        valeur = float(x)
    except (TypeError, ValueError):
        return "non disponible"
    if math.isnan(valeur) or math.isinf(valeur):
        return "non disponible"
    decimales = max(0, int(decimales))
    if round(valeur, decimales) == 0:
        valeur = 0.0  # -0,0 reads as 0,0
    texte = f"{valeur:{'+' if signe else ''},.{decimales}f}"
    return texte.replace(",", "\u00a0").replace(".", ",").replace("-", "\u2212")

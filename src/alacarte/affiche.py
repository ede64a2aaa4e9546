"""An A3 poster (297 × 420 mm, portrait) from a map, a chart and key figures (lesson 10).

matplotlib only, DejaVu fonts (they ship with matplotlib), fixed zones so that nothing overflows::

    affiche = Affiche("Les femmes maires dans ma région", "Mandats 2026", auteurs=["Léa", "Sami"])
    affiche.carte(fig_carte)             # a matplotlib Figure or Axes, or a GeoDataFrame + colonne=
    affiche.graphique(fig_graphique)     # a matplotlib Figure or Axes
    affiche.chiffres_cles([("22,9 %", "des maires sont des femmes"), ...])   # 1 to 3 figures
    affiche.sources(["INSEE, COG 2026 (Licence Ouverte 2.0)", ...])
    affiche.enregistrer("mes_fichiers/mon-affiche")  # -> mon-affiche.pdf and mon-affiche.png

The learner chooses the content; this module only does the layout: long titles wrapped (and made
smaller), too many key figures refused with a French message, a CC BY licence line, the authors.
"""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import Any

from alacarte.erreurs import ErreurAlacarte

__all__ = ["Affiche", "ErreurAffiche", "A3_MM", "A3_POINTS", "DPI_PNG", "MAX_CHIFFRES", "LICENCE", "licence_pdf", "taille_pdf"]

#: A3 portrait, in millimetres and in PDF points (1 pt = 1/72 inch)
A3_MM = (297, 420)
A3_POINTS = (297 / 25.4 * 72, 420 / 25.4 * 72)  # 841.89 × 1190.55
#: resolution of the PNG (print quality for a poster seen from a metre away)
DPI_PNG = 150
#: how many key figures fit on one line of the poster
MAX_CHIFFRES = 3
LICENCE = "Affiche sous licence CC BY 4.0 (Creative Commons Attribution) : réutilisation libre en citant les auteurs."

_POLICE = "DejaVu Sans"
_ENCRE = "#1a1a1a"
_ACCENT = "#00204d"  # the darkest blue of cividis
_GRIS = "#555555"
_FOND_CHIFFRE = "#eef1f6"

# zones of the page, in figure fractions (left, bottom, width, height)
_MARGE = 0.045
_ZONE_CARTE = (_MARGE, 0.392, 1 - 2 * _MARGE, 0.455)
_ZONE_CHIFFRES = (_MARGE, 0.298, 1 - 2 * _MARGE, 0.078)
_ZONE_GRAPHIQUE = (_MARGE, 0.088, 1 - 2 * _MARGE, 0.178)


class ErreurAffiche(ErreurAlacarte, ValueError):
    """Something on the poster cannot be laid out (too many key figures, nothing to show…)."""


def _texte(valeur: Any, quoi: str) -> str:
    if valeur is None:
        return ""
    if not isinstance(valeur, (str, int, float)):
        raise ErreurAffiche(f"{quoi} doit être un texte, pas {type(valeur).__name__}.")
    return str(valeur).strip()


def _image(objet: Any, dpi: int = 220):
    """A matplotlib Figure or Axes rendered as an RGBA array (tight, white background)."""
    import matplotlib.image as mpimg
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    if isinstance(objet, Axes):
        objet = objet.figure
    if not isinstance(objet, Figure):
        raise ErreurAffiche("Il faut une figure matplotlib (par exemple ax.figure, ou la figure de plt.subplots()). "
                            f"Ici, c'est {type(objet).__name__}.")
    tampon = io.BytesIO()
    objet.savefig(tampon, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    tampon.seek(0)
    return mpimg.imread(tampon, format="png")


def _lignes(texte: str, largeur: int, max_lignes: int) -> list[str]:
    lignes = textwrap.wrap(texte, width=max(8, largeur), break_long_words=True) or [""]
    if len(lignes) > max_lignes:
        lignes = lignes[:max_lignes]
        lignes[-1] = lignes[-1][: max(1, largeur - 1)].rstrip() + "…"
    return lignes


def _ajuster(texte: str, tailles: list[float], largeur_page_points: float, max_lignes: int) -> tuple[str, float]:
    """Wrap ``texte`` with the biggest font size of ``tailles`` that needs at most ``max_lignes`` lines.

    A DejaVu Sans character is about 0.6 × the font size wide on average.
    """
    for taille in tailles:
        largeur = int(largeur_page_points / (0.6 * taille))
        lignes = textwrap.wrap(texte, width=largeur)
        if len(lignes) <= max_lignes:
            return "\n".join(lignes), taille
    taille = tailles[-1]
    return "\n".join(_lignes(texte, int(largeur_page_points / (0.6 * taille)), max_lignes)), taille


class Affiche:
    """An A3 portrait poster: title, subtitle, map, key figures, chart, sources, licence, authors."""

    def __init__(self, titre: str, sous_titre: str = "", auteurs: Any = None):
        self.titre = _texte(titre, "Le titre")
        if not self.titre:
            raise ErreurAffiche("Une affiche a besoin d'un titre : écris ta question, par exemple "
                                "« Où la population augmente-t-elle ? ».")
        self.sous_titre = _texte(sous_titre, "Le sous-titre")
        if isinstance(auteurs, str):
            auteurs = [auteurs]
        self.auteurs = [_texte(a, "Un auteur") for a in (auteurs or []) if _texte(a, "Un auteur")]
        self._carte = None
        self._titre_carte = ""
        self._graphique = None
        self._titre_graphique = ""
        self._chiffres: list[tuple[str, str]] = []
        self._sources: list[str] = []

    # -- content -------------------------------------------------------------------------------

    def carte(self, objet: Any, colonne: str | None = None, titre: str = "", legende: str | None = None,
              source: str = "", **options: Any) -> Affiche:
        """The map: a matplotlib Figure or Axes, or a GeoDataFrame drawn with ``colonne``.

        With a GeoDataFrame the map gets the accessible defaults of :mod:`alacarte.cartes`
        (cividis, quantiles, « pas de données » hatched, legend with its unit, no axes frame);
        ``options`` go to ``GeoDataFrame.plot``.
        """
        try:
            import geopandas as gpd
        except ImportError:  # pragma: no cover
            gpd = None
        if gpd is not None and isinstance(objet, gpd.GeoDataFrame):
            if colonne is None or colonne not in objet.columns:
                raise ErreurAffiche("Pour dessiner un tableau géographique, dis quelle colonne colorer : "
                                    "affiche.carte(carte, colonne=\"…\", legende=\"unité\").")
            objet = self._dessiner_carte(objet, colonne, legende, source, options)
        self._carte = _image(objet)
        self._titre_carte = _texte(titre, "Le titre de la carte")
        return self

    @staticmethod
    def _dessiner_carte(gdf, colonne, legende, source, options):
        import matplotlib.pyplot as plt

        from alacarte.cartes import PALETTE, habiller, sans_donnees

        reglages = {"scheme": "quantiles", "k": 5, "cmap": PALETTE, "legend": True, "edgecolor": "white",
                    "linewidth": 0.1, "missing_kwds": sans_donnees()}
        reglages.update(options)
        if gdf.crs is not None and gdf.crs.to_epsg() == 4326:
            gdf = gdf.to_crs(2154)
        fig, ax = plt.subplots(figsize=(8, 8))
        gdf.plot(column=colonne, ax=ax, **reglages)
        habiller(ax, "", source=source, legende=legende)
        plt.close(fig)
        return fig

    def graphique(self, objet: Any, titre: str = "") -> Affiche:
        """The chart: a matplotlib Figure or Axes (bars, curve…)."""
        self._graphique = _image(objet)
        self._titre_graphique = _texte(titre, "Le titre du graphique")
        return self

    def chiffres_cles(self, chiffres: Any) -> Affiche:
        """1 to 3 key figures: ``[("22,9 %", "des maires sont des femmes"), …]`` (or dicts valeur/texte)."""
        if isinstance(chiffres, (str, bytes)) or not hasattr(chiffres, "__iter__"):
            raise ErreurAffiche("Donne une liste de chiffres clés, par exemple "
                                "[(\"22,9 %\", \"des maires sont des femmes\"), …].")
        propres = []
        for element in chiffres:
            if isinstance(element, dict):
                element = (element.get("valeur"), element.get("texte", ""))
            if not isinstance(element, (tuple, list)) or len(element) != 2:
                raise ErreurAffiche("Chaque chiffre clé est une paire (valeur, phrase courte), par exemple "
                                    "(\"1 043\", \"communes ont une femme maire\").")
            valeur, texte = element
            if isinstance(valeur, float):
                from alacarte.cartes import nombre

                valeur = nombre(valeur, 1)
            elif isinstance(valeur, int):
                from alacarte.cartes import nombre

                valeur = nombre(valeur)
            propres.append((_texte(valeur, "La valeur d'un chiffre clé"), _texte(texte, "La phrase d'un chiffre clé")))
        if not propres:
            raise ErreurAffiche("La liste des chiffres clés est vide : il en faut au moins un (trois, c'est mieux).")
        if len(propres) > MAX_CHIFFRES:
            raise ErreurAffiche(f"Tu as donné {len(propres)} chiffres clés : l'affiche en montre {MAX_CHIFFRES} au "
                                "plus. Garde les plus parlants ; trop de chiffres, et on n'en retient aucun.")
        self._chiffres = propres
        return self

    def sources(self, sources: Any) -> Affiche:
        """The sources of the data: one line each (producer, dataset, year, licence)."""
        if isinstance(sources, str):
            sources = [sources]
        self._sources = [_texte(s, "Une source") for s in sources if _texte(s, "Une source")]
        return self

    # -- layout --------------------------------------------------------------------------------

    def figure(self):
        """The poster as a matplotlib Figure (A3 portrait)."""
        from matplotlib.figure import Figure

        largeur_in, hauteur_in = A3_MM[0] / 25.4, A3_MM[1] / 25.4
        fig = Figure(figsize=(largeur_in, hauteur_in), facecolor="white")
        largeur_utile = A3_POINTS[0] * (1 - 2 * _MARGE)
        police = {"family": _POLICE, "color": _ENCRE}

        # title band
        fig.patches.append(_rectangle(fig, (0, 0.885), 1, 0.115, _ACCENT))
        titre, taille = _ajuster(self.titre, [40, 34, 28, 24], largeur_utile, 2)
        fig.text(_MARGE, 0.965, titre, fontsize=taille, fontweight="bold", va="top", ha="left",
                 fontdict={**police, "color": "white"}, linespacing=1.1)
        if self.sous_titre:
            sous, taille_s = _ajuster(self.sous_titre, [18, 15, 13], largeur_utile, 1)
            fig.text(_MARGE, 0.897, sous, fontsize=taille_s, va="bottom", ha="left",
                     fontdict={**police, "color": "#dfe6f2"})

        # map, key figures, chart: a wide map gives its unused height to the chart (no empty band)
        zone_carte, zone_chiffres, zone_graphique = _ZONE_CARTE, _ZONE_CHIFFRES, _ZONE_GRAPHIQUE
        if self._carte is not None:
            gauche, bas, largeur, hauteur = _ZONE_CARTE
            besoin = largeur * largeur_in * self._carte.shape[0] / self._carte.shape[1] / hauteur_in
            surplus = max(0.0, hauteur - besoin)
            if surplus > 0.01:
                zone_carte = (gauche, bas + surplus, largeur, hauteur - surplus)
                g, b, lg, h = _ZONE_CHIFFRES
                zone_chiffres = (g, b + surplus, lg, h)
                g, b, lg, h = _ZONE_GRAPHIQUE
                zone_graphique = (g, b, lg, h + surplus)
        self._poser(fig, self._carte, zone_carte, self._titre_carte, "carte", police)
        self._poser_chiffres(fig, police, zone_chiffres)
        self._poser(fig, self._graphique, zone_graphique, self._titre_graphique, "graphique", police)

        # footer: sources, licence, authors
        fig.lines.append(_trait(fig, 0.075))
        bas = []
        if self._sources:
            bas.append("Sources : " + " ; ".join(self._sources))
        else:
            bas.append("Sources : (à compléter — toute affiche cite ses données)")
        auteurs = ", ".join(self.auteurs) if self.auteurs else "(à compléter)"
        texte_bas, taille_b = _ajuster(bas[0], [10.5, 9.5, 8.5, 8], largeur_utile, 4)
        fig.text(_MARGE, 0.068, texte_bas, fontsize=taille_b, va="top", ha="left", fontdict={**police, "color": _GRIS},
                 linespacing=1.25)
        fig.text(_MARGE, 0.014, f"Auteurs : {auteurs}", fontsize=11, fontweight="bold", va="bottom", ha="left",
                 fontdict=police)
        fig.text(1 - _MARGE, 0.014, LICENCE.split(" : ")[0], fontsize=10, va="bottom", ha="right",
                 fontdict={**police, "color": _GRIS})
        return fig

    def _poser(self, fig, image, zone, titre, quoi, police) -> None:
        gauche, bas, largeur, hauteur = zone
        if titre:
            fig.text(gauche, bas + hauteur + 0.004, titre, fontsize=16, fontweight="bold", va="bottom", ha="left",
                     fontdict={**police, "color": _ACCENT})
        ax = fig.add_axes((gauche, bas, largeur, hauteur))
        ax.set_axis_off()
        if image is None:
            ax.text(0.5, 0.5, f"({quoi} à ajouter avec affiche.{quoi}(…))", ha="center", va="center",
                    fontsize=14, color=_GRIS, transform=ax.transAxes)
            return
        ax.imshow(image, interpolation="antialiased")
        ax.set_anchor("C")

    def _poser_chiffres(self, fig, police, zone=_ZONE_CHIFFRES) -> None:
        gauche, bas, largeur, hauteur = zone
        n = len(self._chiffres)
        if not n:
            fig.text(0.5, bas + hauteur / 2, "(chiffres clés à ajouter avec affiche.chiffres_cles([…]))",
                     ha="center", va="center", fontsize=14, color=_GRIS)
            return
        ecart = 0.02
        case = (largeur - ecart * (n - 1)) / n
        largeur_case_points = A3_POINTS[0] * case
        for i, (valeur, texte) in enumerate(self._chiffres):
            x = gauche + i * (case + ecart)
            fig.patches.append(_rectangle(fig, (x, bas), case, hauteur, _FOND_CHIFFRE))
            v, tv = _ajuster(valeur, [34, 28, 22, 18], largeur_case_points * 0.9, 1)
            fig.text(x + case / 2, bas + hauteur - 0.008, v, fontsize=tv, fontweight="bold", ha="center", va="top",
                     fontdict={**police, "color": _ACCENT})
            t, tt = _ajuster(texte, [13, 12, 11, 10], largeur_case_points * 0.9, 3)
            fig.text(x + case / 2, bas + 0.006, t, fontsize=tt, ha="center", va="bottom", fontdict=police,
                     linespacing=1.15)

    def enregistrer(self, nom: str | Path = "mon-affiche") -> dict[str, Path]:
        """Write ``nom.pdf`` and ``nom.png`` (A3 portrait, PNG at 150 dpi); return both paths."""
        base = Path(nom)
        if base.suffix.lower() in (".pdf", ".png"):
            base = base.with_suffix("")
        base.parent.mkdir(parents=True, exist_ok=True)
        fig = self.figure()
        chemins = {"pdf": base.with_name(base.name + ".pdf"), "png": base.with_name(base.name + ".png")}
        meta = {"Title": self.titre, "Author": ", ".join(self.auteurs), "Subject": "Licence CC BY 4.0",
                "Keywords": LICENCE}
        fig.savefig(chemins["pdf"], format="pdf", metadata=meta)
        fig.savefig(chemins["png"], format="png", dpi=DPI_PNG)
        return chemins

    def _repr_png_(self):  # a small preview in the notebook
        tampon = io.BytesIO()
        self.figure().savefig(tampon, format="png", dpi=40)
        return tampon.getvalue()


def _rectangle(fig, xy, largeur, hauteur, couleur):
    from matplotlib.patches import Rectangle

    return Rectangle(xy, largeur, hauteur, transform=fig.transFigure, figure=fig, facecolor=couleur,
                     edgecolor="none", zorder=0)


def _trait(fig, y):
    from matplotlib.lines import Line2D

    return Line2D([_MARGE, 1 - _MARGE], [y, y], transform=fig.transFigure, figure=fig, color="#bbbbbb",
                  linewidth=0.8)


def licence_pdf(chemin: str | Path) -> bool:
    """True when the PDF written by :meth:`Affiche.enregistrer` carries the CC BY licence (metadata)."""
    return b"Licence CC BY 4.0" in Path(chemin).read_bytes()


def taille_pdf(chemin: str | Path) -> tuple[float, float]:
    """Width and height in points of the first page of a PDF, read from its ``/MediaBox``."""
    import re

    donnees = Path(chemin).read_bytes()
    m = re.search(rb"/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]", donnees)
    if not m:
        raise ErreurAffiche(f"Je ne trouve pas la taille de page dans {Path(chemin).name} : est-ce bien un PDF ?")
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    return x1 - x0, y1 - y0

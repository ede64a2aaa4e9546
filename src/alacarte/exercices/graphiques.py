"""Chart and map comparisons: a plotly figure (:class:`FigurePlotly`), a folium map (:class:`CarteFolium`).

plotly and folium are imported only when a figure or a map is checked.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from alacarte.exercices._texte import citer, enumerer, est_nombre, nombre_fr, normaliser_texte, pluriel, reponse_est
from alacarte.exercices.comparaisons import (
    Comparaison,
    Liste,
    Verdict,
    _cle,
    _egal,
    _en_liste,
    _scalaire,
    message_type,
)

__all__ = ["FigurePlotly", "CarteFolium"]

_TRACES = {
    "bar": ("un diagramme en barres", "px.bar", "barre"),
    "scatter": ("un nuage de points", "px.scatter", "point"),
    "line": ("une courbe", "px.line", "point"),
    "pie": ("un diagramme circulaire (camembert)", "px.pie", "part"),
    "histogram": ("un histogramme", "px.histogram", "valeur"),
    "box": ("une boîte à moustaches", "px.box", "valeur"),
    "heatmap": ("une carte de chaleur", "px.imshow", "case"),
    "choropleth": ("une carte choroplèthe", "px.choropleth", "zone"),
    "choroplethmap": ("une carte choroplèthe", "px.choropleth_map", "zone"),
    "choroplethmapbox": ("une carte choroplèthe", "px.choropleth_mapbox", "zone"),
    "scattermap": ("une carte de points", "px.scatter_map", "point"),
    "scattermapbox": ("une carte de points", "px.scatter_mapbox", "point"),
    "scattergeo": ("une carte de points", "px.scatter_geo", "point"),
    "treemap": ("un treemap", "px.treemap", "case"),
    "sunburst": ("un diagramme en anneaux", "px.sunburst", "part"),
}
# where each kind of trace keeps its "x" (categories) and "y" (values)
_AXES = {"pie": ("labels", "values"), "choropleth": ("locations", "z"), "choroplethmap": ("locations", "z"),
         "choroplethmapbox": ("locations", "z"), "treemap": ("labels", "values"), "sunburst": ("labels", "values"),
         "scattermap": ("lon", "lat"), "scattermapbox": ("lon", "lat"), "scattergeo": ("lon", "lat")}


def _type_trace(trace) -> str:
    if trace.type == "scatter" and "lines" in str(getattr(trace, "mode", None) or "") \
            and "markers" not in str(trace.mode):
        return "line"
    return trace.type


def _valeurs(source: Any) -> list | None:
    if source is None:
        return None
    if callable(source):
        source = source()
    liste = _en_liste(source)
    if liste is None:
        raise TypeError(f"FigurePlotly : valeurs attendues illisibles ({source!r})")
    return liste


class FigurePlotly(Comparaison):
    """A plotly figure (``go.Figure`` made by plotly express or by hand).

    type_trace: "bar", "scatter", "line", "pie", "histogram", "choropleth"… (or a list of accepted
      types); default: the expected figure's, if the question's expected value is a figure.
    x, y: what the figure must show: a list/Series of values (or a function returning it, computed
      at check time), or a column name (str: checked against the axis title that plotly express
      writes); default: the expected figure's data. For a pie, x are the labels and y the values.
    ordre: the order of the bars/points matters (a sorted ranking).
    titre: True (any title) or a word the title must contain; False to skip.
    titres_axes: both axes must have a title.
    """

    def __init__(self, type_trace: str | list[str] | None = None, x: Any = None, y: Any = None, titre: bool | str = True,
                 titres_axes: bool = False, ordre: bool = False, tolerance: float = 1e-6):
        self.type_trace = type_trace
        self.x = x
        self.y = y
        self.titre = titre
        self.titres_axes = titres_axes
        self.ordre = ordre
        self.tolerance = tolerance
        self.utilise_attendu = False

    @staticmethod
    def _est_figure(objet: Any) -> bool:
        try:
            from plotly.basedatatypes import BaseFigure
        except ImportError:  # pragma: no cover - plotly is a dependency
            return False
        return isinstance(objet, BaseFigure)

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        if not self._est_figure(reponse):
            if reponse is None:
                return False, ("Ta réponse est vide (None) : fig.show() affiche la figure mais ne renvoie rien. "
                               "Mets la figure elle-même dans ta réponse (reponse = fig).")
            if str(type(reponse).__module__).startswith("matplotlib"):
                return False, "Ta réponse est un graphique matplotlib : cet exercice demande une figure plotly (px.bar, px.line…)."
            return False, message_type(reponse, "une figure plotly (faite avec px.bar, px.line…)")
        figure_attendue = attendu if self._est_figure(attendu) else None
        if not reponse.data:
            return False, "Ta figure est vide : elle ne montre aucune donnée. As-tu donné le tableau et les colonnes à px ?"
        types_voulus = self._types_voulus(figure_attendue)
        traces = list(reponse.data)
        if types_voulus:
            bonnes = [t for t in traces if _type_trace(t) in types_voulus or
                      ("scatter" in types_voulus and t.type == "scatter")]
            if not bonnes:
                voulu = types_voulus[0]
                recu = _type_trace(traces[0])
                nom_recu = _TRACES.get(recu, (f"un graphique « {recu} »",))[0]
                nom_voulu, fonction, _ = _TRACES.get(voulu, (f"un graphique « {voulu} »", "px", "valeur"))
                return False, f"Ta figure est {nom_recu}, il faut {nom_voulu} : utilise {fonction}(...)."
            traces = bonnes
        message = self._verifier_donnees(reponse, traces, figure_attendue)
        if message:
            return False, message
        message = self._verifier_titres(reponse)
        return (message is None), message

    def _types_voulus(self, figure_attendue) -> list[str]:
        if self.type_trace:
            return [self.type_trace] if isinstance(self.type_trace, str) else list(self.type_trace)
        if figure_attendue is not None and figure_attendue.data:
            return list(dict.fromkeys(_type_trace(t) for t in figure_attendue.data))
        return []

    @staticmethod
    def _donnees(traces) -> tuple[list, list]:
        xs, ys = [], []
        for t in traces:
            champ_x, champ_y = _AXES.get(t.type, ("x", "y"))
            x, y = getattr(t, champ_x, None), getattr(t, champ_y, None)
            x = [] if x is None else [_scalaire(v) for v in list(x)]
            y = [] if y is None else [_scalaire(v) for v in list(y)]
            if x and not y:
                y = [None] * len(x)
            if y and not x:
                x = [None] * len(y)
            xs += x
            ys += y
        return xs, ys

    def _verifier_donnees(self, reponse, traces, figure_attendue) -> str | None:
        for axe, spec in (("x", self.x), ("y", self.y)):
            if isinstance(spec, str):
                message = self._verifier_colonne(reponse, traces, axe, spec)
                if message:
                    return message
        x_voulu = None if isinstance(self.x, str) else _valeurs(self.x)
        y_voulu = None if isinstance(self.y, str) else _valeurs(self.y)
        if figure_attendue is not None and self.x is None and self.y is None:
            types = self._types_voulus(figure_attendue)
            x_voulu, y_voulu = self._donnees([t for t in figure_attendue.data if _type_trace(t) in types] or
                                             figure_attendue.data)
            if all(v is None for v in x_voulu):
                x_voulu = None
            if all(v is None for v in y_voulu):
                y_voulu = None
        if x_voulu is None and y_voulu is None:
            return None
        xs, ys = self._donnees(traces)
        unite = _TRACES.get(_type_trace(traces[0]), ("", "", "valeur"))[2]
        n_voulu = len(x_voulu if x_voulu is not None else y_voulu)
        if len(xs) != n_voulu:
            message = f"Ta figure montre {pluriel(len(xs), unite)}, il en faut {nombre_fr(n_voulu)}"
            return message + (" : as-tu filtré (ou regroupé) les données avant de tracer ?" if len(xs) > n_voulu
                              else " : il en manque, vérifie ton filtre.")
        if x_voulu is not None and y_voulu is not None:
            return self._comparer_paires(xs, ys, x_voulu, y_voulu)
        seul_voulu, seul_recu, axe = (x_voulu, xs, "x") if x_voulu is not None else (y_voulu, ys, "y")
        ok, message = Liste(ordre=self.ordre, element=_ElementProche(self.tolerance)).comparer(seul_recu, seul_voulu)
        if ok:
            return None
        return f"Les valeurs de l'axe des {axe} ne sont pas les bonnes. " + (message or "").replace("Ta liste", "Ta figure")

    def _comparer_paires(self, xs, ys, x_voulu, y_voulu) -> str | None:
        proche = _ElementProche(self.tolerance)
        recu, voulu = _grouper(xs, ys), _grouper(x_voulu, y_voulu)
        if self.ordre or any(len(v) > 1 for v in voulu.values()):  # a sequence, or repeated x: compare pairs
            paires_r = list(zip(xs, ys, strict=True))
            paires_v = list(zip(x_voulu, y_voulu, strict=True))
            element = _PaireProche(self.tolerance)
            ok, message = Liste(ordre=self.ordre, element=element).comparer(paires_r, paires_v)
            if ok:
                return None
            if Liste(ordre=False, element=element).comparer(list(zip(ys, xs, strict=True)), paires_v)[0]:
                return "Tes axes sont inversés : mets les catégories en x et les valeurs en y."
            if self.ordre and Liste(ordre=False, element=element).comparer(paires_r, paires_v)[0]:
                return "Ta figure montre les bonnes données, mais pas dans le bon ordre : as-tu trié le tableau avant de tracer ?"
            return "Ta figure ne montre pas les bonnes données. " + (message or "").replace("Ta liste", "Ta figure")
        manquants = [x for x in voulu if x not in recu]
        if manquants:
            inverse = {}
            for x, y in zip(xs, ys, strict=True):
                inverse.setdefault(_cle(y), []).append(x)
            if all(_cle(x) in inverse for x in x_voulu):
                return "Tes axes sont inversés : mets les catégories en x et les valeurs en y."
            en_trop = [x for x in recu if x not in voulu]
            message = f"Il manque dans ta figure : {enumerer([citer(x) for x in manquants])}."
            if en_trop:
                message += f" En trop : {enumerer([citer(x) for x in en_trop])}. As-tu pris les bonnes lignes ?"
            return message
        for x, (y_attendu,) in voulu.items():
            y_recu = recu[x][0]
            if not proche.comparer(y_recu, y_attendu)[0]:
                return (f"Pour {citer(x)}, ta figure montre {citer(y_recu)}, il faut {citer(y_attendu)} : "
                        "as-tu pris la bonne colonne pour les valeurs ?")
        return None

    @staticmethod
    def _titre_axe(reponse, axe: str) -> str | None:
        axis = getattr(reponse.layout, f"{axe}axis", None)
        texte = getattr(getattr(axis, "title", None), "text", None) if axis is not None else None
        return texte or None

    def _verifier_colonne(self, reponse, traces, axe: str, colonne: str) -> str | None:
        titre = self._titre_axe(reponse, axe)
        gabarit = str(getattr(traces[0], "hovertemplate", "") or "")
        cle = normaliser_texte(colonne)
        if titre and normaliser_texte(titre) == cle:
            return None
        if f"{colonne}=%{{{axe}}}" in gabarit:
            return None
        if titre is None:
            return (f"L'axe des {axe} de ta figure n'a pas de titre : je ne peux pas vérifier qu'il montre "
                    f"la colonne « {colonne} ». Utilise {axe}=\"{colonne}\" dans px.")
        return f"L'axe des {axe} de ta figure montre {citer(titre)}, il faut la colonne « {colonne} »."

    def _verifier_titres(self, reponse) -> str | None:
        if self.titre:
            titre = getattr(reponse.layout.title, "text", None)
            if not titre or not str(titre).strip():
                return ("Ta figure n'a pas de titre : ajoute title=\"…\" dans px (ou fig.update_layout(title=\"…\")). "
                        "Un bon titre dit ce que montre la figure, le lieu et l'année.")
            if isinstance(self.titre, str) and normaliser_texte(self.titre) not in normaliser_texte(titre):
                return f"Le titre de ta figure ({citer(titre)}) devrait parler de « {self.titre} »."
        if self.titres_axes:
            for axe in ("x", "y"):
                if not self._titre_axe(reponse, axe):
                    return f"L'axe des {axe} n'a pas de titre : ajoute labels={{...}} dans px ou fig.update_{axe}axes(title=\"…\")."
        return None


def _grouper(xs: list, ys: list) -> dict:
    """{x key: [y, …]} in order of appearance."""
    groupes: dict = {}
    for x, y in zip(xs, ys, strict=True):
        groupes.setdefault(_cle(x), []).append(y)
    return groupes


class _ElementProche(Comparaison):
    """Item comparison for chart data: numbers within a tolerance, text exactly."""

    def __init__(self, tolerance: float):
        self.tolerance = tolerance

    def comparer(self, reponse, attendu):
        if est_nombre(reponse) and est_nombre(attendu):
            r, a = float(reponse), float(attendu)
            return (math.isclose(r, a, rel_tol=self.tolerance, abs_tol=self.tolerance)
                    or (math.isnan(r) and math.isnan(a))), None
        return _egal(reponse, attendu), None


class _PaireProche(_ElementProche):
    def comparer(self, reponse, attendu):
        return all(super(_PaireProche, self).comparer(r, a)[0] for r, a in zip(reponse, attendu, strict=True)), None


_COUCHES = {
    "geojson": ("de couche GeoJson (les contours)", "folium.GeoJson(...)"),
    "choropleth": ("de couche choroplèthe (les zones coloriées)", "folium.Choropleth(...)"),
    "marker": ("de marqueur (folium.Marker)", "folium.Marker(...)"),
    "circlemarker": ("de cercle (folium.CircleMarker)", "folium.CircleMarker(...)"),
    "featuregroup": ("de groupe de couches (folium.FeatureGroup)", "folium.FeatureGroup(...)"),
    "markercluster": ("de regroupement de marqueurs (MarkerCluster)", "MarkerCluster()"),
    "tilelayer": ("de fond de carte (folium.TileLayer)", "folium.TileLayer(...)"),
    "layercontrol": ("de contrôle des couches (folium.LayerControl)", "folium.LayerControl()"),
    "heatmap": ("de carte de chaleur (HeatMap)", "HeatMap(...)"),
}


def _elements(carte) -> list:
    """Every element of a folium map, depth first (children of groups included)."""
    vus, pile, resultat = set(), list(getattr(carte, "_children", {}).values())[::-1], []
    while pile:
        element = pile.pop()
        if id(element) in vus:
            continue
        vus.add(id(element))
        resultat.append(element)
        pile.extend(list(getattr(element, "_children", {}).values())[::-1])
    return resultat


def _est_un(element, nom_classe: str) -> bool:
    return any(c.__name__.lower() == nom_classe.lower() for c in type(element).__mro__)


class CarteFolium(Comparaison):
    """A folium map (``folium.Map``, also what ``GeoDataFrame.explore()`` returns).

    couches: class names the map must contain, e.g. ``["GeoJson"]``, ``["Choropleth"]``.
    marqueurs: exact number of markers (Marker, CircleMarker…), or a function computing it at check time.
    objets: exact number of features in the GeoJson layers (communes drawn, for instance).
    controle_couches: a LayerControl is required. legende: a colour legend (colormap) is required.
    infobulles: a tooltip or popup is required.
    """

    def __init__(self, couches: list[str] | None = None, marqueurs: int | Callable | None = None, objets: int | Callable | None = None,
                 controle_couches: bool = False, legende: bool = False, infobulles: bool = False):
        self.couches = list(couches or [])
        self.marqueurs = marqueurs
        self.objets = objets
        self.controle_couches = controle_couches
        self.legende = legende
        self.infobulles = infobulles
        self.utilise_attendu = False

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        import folium

        if not isinstance(reponse, folium.Map):
            if reponse is None:
                return False, ("Ta réponse est vide (None) : m.save(...) ou display(m) ne renvoient rien. "
                               "Mets la carte elle-même dans ta réponse (reponse = m).")
            if type(reponse).__name__ == "GeoDataFrame":
                return False, (f"{reponse_est(reponse)} : pour en faire une carte, utilise .explore() "
                               "ou folium.GeoJson(...).add_to(m).")
            return False, message_type(reponse, "une carte folium (folium.Map)")
        elements = _elements(reponse)
        oubli = " As-tu oublié .add_to(m) ?"
        for couche in self.couches:
            if not any(_est_un(e, couche) for e in elements):
                nom, code = _COUCHES.get(couche.lower(), (f"de couche {couche}", f"folium.{couche}(...)"))
                return False, f"Ta carte n'a pas {nom} : ajoute {code}.add_to(m).{oubli}"
        if self.marqueurs is not None:
            voulus = self.marqueurs() if callable(self.marqueurs) else self.marqueurs
            n = sum(1 for e in elements if _est_un(e, "Marker"))
            if n != voulus:
                message = f"Ta carte a {pluriel(n, 'marqueur')}, il en faut {nombre_fr(voulus)}."
                return False, message + (oubli if n == 0 else "")
        if self.objets is not None:
            voulu = self.objets() if callable(self.objets) else self.objets
            couches_geo = [e for e in elements if _est_un(e, "GeoJson")]
            if not couches_geo:
                return False, "Ta carte n'a pas de couche GeoJson : ajoute tes contours avec folium.GeoJson(...).add_to(m)."
            n = sum(self._nb_objets(e) for e in couches_geo)
            if n != voulu:
                suite = " : as-tu filtré ton territoire ?" if n > voulu else " : il en manque, vérifie ton filtre."
                return False, f"Ta carte dessine {pluriel(n, 'objet')} (features), il en faut {nombre_fr(voulu)}{suite}"
        if self.controle_couches and not any(_est_un(e, "LayerControl") for e in elements):
            return False, ("Ta carte n'a pas de contrôle des couches : ajoute folium.LayerControl().add_to(m), "
                           "en dernier, après toutes les couches.")
        if self.legende and not self._a_une_legende(reponse, elements):
            return False, ("Ta carte n'a pas de légende : folium.Choropleth en ajoute une, et .explore() aussi "
                           "avec legend=True.")
        if self.infobulles and not any(_est_un(e, n) for e in elements for n in ("Tooltip", "GeoJsonTooltip", "Popup",
                                                                                    "GeoJsonPopup")):
            return False, "Ta carte n'a pas d'infobulle : ajoute tooltip=... pour afficher un nom au survol."
        return True, None

    @staticmethod
    def _a_une_legende(carte, elements) -> bool:
        """A colormap (Choropleth, explore with a numeric column) or an HTML legend (explore, categories)."""
        if any(type(e).__name__.lower().endswith(("colormap", "legend")) for e in elements):
            return True
        try:
            racine = list(carte.get_root().html._children.values())
            return any("maplegend" in e.render() for e in racine)
        except Exception:  # a root without html part, an element that cannot render alone
            return False

    @staticmethod
    def _nb_objets(couche) -> int:
        donnees = getattr(couche, "data", None)
        if isinstance(donnees, Mapping):
            if donnees.get("type") == "FeatureCollection":
                return len(donnees.get("features") or [])
            return 1
        return 0

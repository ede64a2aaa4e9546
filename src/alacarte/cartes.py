"""Map helpers with accessible defaults (thin on purpose: the lessons teach geopandas and matplotlib).

Static maps (matplotlib, lesson 07)::

    ax = carte.plot(column="densite", scheme="quantiles", k=5, cmap="cividis", legend=True,
                    missing_kwds=sans_donnees())
    habiller(ax, "Densité de population", source="INSEE 2026, IGN", legende="habitants par km²")

- :func:`habiller` gives a map what an elected official expects and a learner should not retype:
  a title, a legend in French with its unit and class bounds (« 50 à 127 »), the source and date of
  the data on the figure, no axes frame, a scale bar and a north arrow when the map is in metres;
- :func:`sans_donnees` is the style of communes without a value: grey, hatched, « pas de données »
  in the legend (never a colour of the palette);
- :func:`nommer` writes place names on a map, readable on any colour (white halo);
- :func:`nombre` writes a number the French way (« 11 045 », « 0,7 ») for the sentence that sums a map up.

Interactive maps (folium, lesson 08 and the dashboards)::

    m = CarteHorsLigne(location=[45.5, 4.5], zoom_start=8)       # a folium.Map that needs no internet
    folium.GeoJson(contours, tooltip=folium.GeoJsonTooltip(["nom"])).add_to(m)

- :class:`CarteHorsLigne` is a ``folium.Map`` whose page loads nothing from the internet: folium
  asks public CDNs for Leaflet, jQuery, Bootstrap, Font Awesome (and d3 for a colour legend); here
  Leaflet and d3 are written into the map's own page from the copies shipped in ``static/`` and the
  other links are dropped. Polygons, circles, markers, tooltips, popups, the layer control and the
  legend of ``folium.Choropleth`` / ``GeoDataFrame.explore(m=...)`` work with no network, in
  JupyterLab, in Voilà, on Binder and in a saved HTML file. Base-map tiles are off by default
  (``tiles=None``): they come from a tile server, so they need the internet. Unlike a plain
  ``folium.Map``, it never re-reads its layers as jinja2 templates (``{{ … }}`` in data stays text);
- :func:`echapper` makes a text from data safe to put in a tooltip or popup (folium inserts it as
  HTML, and some of it inside JavaScript template strings): ``L'Isle-d'Abeau`` displays right and
  ``<img src=x onerror=...>`` displays as text;
- :func:`poids` is the weight of the map's page in bytes (what a phone has to download);
- :func:`cartouche` writes a title, the source and date, and a reading note on the map itself (so
  that a saved or shared map keeps them), as plain text: nothing in them is read as HTML.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import importlib.abc
import importlib.util
import json
import math
import re
import sys
import textwrap
from collections import OrderedDict
from pathlib import Path
from typing import Any

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from jinja2 import Template

__all__ = ["habiller", "nommer", "nombre", "sans_donnees", "etiquette_classe", "PALETTE", "SANS_DONNEES",
           "CarteHorsLigne", "echapper", "poids", "cartouche"]

# ================================================================================================
# Static maps (matplotlib / geopandas)
# ================================================================================================

#: the sequential palette of the lessons' maps: perceptually uniform, readable by colour-blind
#: people and in grey (« viridis » is the other good choice)
PALETTE = "cividis"

#: the label of communes without a value
SANS_DONNEES = "pas de données"

_ESPACE_MILLIERS = "\u202f"
_NOMBRE = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_CLASSE = re.compile(rf"^\s*[\[(]?\s*({_NOMBRE})\s*,\s*({_NOMBRE})\s*[\])]?\s*$")


def nombre(x: float, decimales: int = 0) -> str:
    """A number written the French way, for legends and summary sentences: ``1234.5`` -> ``1 234,5``.

    Narrow no-break space between thousands, decimal comma, ``decimales`` digits after it.
    """
    texte = f"{x:,.{max(0, decimales)}f}"
    if texte.startswith("-") and not any(c in "123456789" for c in texte):
        texte = texte[1:]
    return texte.replace(",", "\x00").replace(".", ",").replace("\x00", _ESPACE_MILLIERS)


def etiquette_classe(texte: str, decimales: int = 0, entiers: bool = False, premiere: bool = True) -> str:
    """A class label of geopandas/mapclassify in French: ``"17.50, 50.20"`` -> ``"18 à 50"``.

    A class whose two bounds are equal is one value (``"0.00, 0.00"`` -> ``"0"``). With ``entiers``
    (counts), a class after the first starts one above its lower bound, since that bound belongs to
    the class before: ``"4.00, 19.00"`` -> ``"5 à 19"``. The bracketed interval form
    (``"(17.50, 50.20]"``) is read too; any other text is returned as is.
    """
    m = _CLASSE.match(str(texte))
    if not m:
        return str(texte)
    bas, haut = (float(v) for v in m.groups())
    if entiers:
        decimales = 0
        if not premiere:
            bas = math.floor(bas) + 1
    if nombre(bas, decimales) == nombre(haut, decimales) or bas > haut:
        return _borne(haut, decimales)
    return f"{_borne(bas, decimales)} à {_borne(haut, decimales)}"


def _borne(x: float, decimales: int) -> str:
    """A class bound: ``nombre`` without a useless ``,0`` (« 0 à 0,5 », « 1 à 2 »)."""
    texte = nombre(x, decimales)
    if "," in texte and not texte.split(",")[1].strip("0"):
        texte = texte.split(",")[0]
    return texte


def sans_donnees(etiquette: str = SANS_DONNEES) -> dict[str, Any]:
    """Style of the geometries without a value, for ``GeoDataFrame.plot(missing_kwds=...)``.

    Light grey with grey hatching: distinct from every colour of a sequential palette, even in
    black and white, and named in the legend (geopandas adds the entry only if a value is missing).
    """
    return {"facecolor": "#e6e6e6", "edgecolor": "#8c8c8c", "hatch": "////", "linewidth": 0.2,
            "label": etiquette}


def _en_metres(ax) -> bool:
    """True when the axes look projected in metres (Lambert-93, UTM…), not in degrees."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    return max(abs(x0), abs(x1), abs(y0), abs(y1)) > 1000 and (x1 - x0) > 100


def _longueur_ronde(largeur_m: float) -> float:
    """A round length (1, 2 or 5 × 10^k metres) close to a fifth of the map width."""
    cible = largeur_m / 5
    if cible <= 0:
        return 0.0
    puissance = 10 ** math.floor(math.log10(cible))
    return max(m * puissance for m in (1, 2, 5) if m * puissance <= cible)


def _echelle(ax) -> None:
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    longueur = _longueur_ronde(x1 - x0)
    if not longueur:
        return
    marge_x, marge_y = 0.03 * (x1 - x0), 0.03 * (y1 - y0)
    fin = x1 - marge_x
    debut = fin - longueur
    y = y0 + marge_y
    ax.plot([debut, fin], [y, y], color="black", linewidth=3, solid_capstyle="butt", zorder=10,
            label="_echelle")
    texte = f"{nombre(longueur / 1000, 0)} km" if longueur >= 1000 else f"{nombre(longueur, 0)} m"
    ax.text((debut + fin) / 2, y + 0.6 * marge_y, texte, ha="center", va="bottom", fontsize=8, zorder=10)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def _nord(ax) -> None:
    ax.annotate("N", xy=(0.97, 0.97), xytext=(0.97, 0.87), xycoords="axes fraction",
                ha="center", va="center", fontsize=10, fontweight="bold",
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})


def _source(ax, source: str) -> None:
    largeur_pouces = ax.get_position().width * ax.figure.get_figwidth()
    caracteres = max(40, int(largeur_pouces * 72 / (7.5 * 0.52)))
    ax.text(0, -0.01, textwrap.fill(source, caracteres), transform=ax.transAxes, ha="left", va="top",
            fontsize=7.5, color="#333333")


def _legende(ax, titre: str | None, decimales: int, entiers: bool) -> None:
    poignees, etiquettes = ax.get_legend_handles_labels()
    if not poignees:
        return
    nouvelles, premiere = [], True
    for e in etiquettes:
        nouvelles.append(etiquette_classe(e, decimales, entiers=entiers, premiere=premiere))
        premiere = premiere and not _CLASSE.match(str(e))
    etiquettes = nouvelles
    # a white line (boundaries drawn over a dark choropleth) would be invisible on a white legend
    fond = "#cccccc" if any(_blanc(p) for p in poignees) else None
    ax.legend(poignees, etiquettes, title=titre, loc="upper left", bbox_to_anchor=(1.0, 1.0),
              frameon=fond is not None, facecolor=fond, edgecolor="none", framealpha=1,
              fontsize=9, title_fontsize=9.5, alignment="left")


def _blanc(poignee) -> bool:
    """True for a legend handle drawn as a (nearly) white line."""
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D

    try:
        if isinstance(poignee, Line2D) and poignee.get_linestyle() not in ("None", "", " "):
            couleur = to_rgba(poignee.get_color())
        elif isinstance(poignee, LineCollection) and len(poignee.get_colors()):
            couleur = tuple(poignee.get_colors()[0])
        else:
            return False
    except (TypeError, ValueError):
        return False
    return min(couleur[:3]) > 0.9


def habiller(ax, titre: str, source: str, *, legende: str | None = None, decimales: int = 0,
             entiers: bool = False, sous_titre: str | None = None, echelle: bool = True, nord: bool = True):
    """Dress a map for the reader: title, French legend, source line, no frame, scale and north.

    ax:         the matplotlib axes of the map (what ``GeoDataFrame.plot`` returns), all layers drawn
    titre:      what the map shows, where and when (« Accidents par an pour 1 000 habitants, 2016–2020 »)
    source:     producers and dates of the data (« Sources : ONISR 2016–2020 ; INSEE 2026 ; IGN »)
    legende:    title of the legend: the unit (« habitants par km² »)
    decimales:  decimals of the class bounds in the legend (« 0,5 à 1,2 » with 1)
    entiers:    the values are counts: classes read « 0 », « 1 à 4 », « 5 à 19 »… (each class after
                the first starts one above the upper bound of the class before)
    sous_titre: a second, smaller line under the title (the classification, a caveat)
    echelle, nord: draw a scale bar and a north arrow (only when the map is in metres: a degree is
                not a fixed length, so a map in EPSG:4326 gets neither)

    Every labelled layer (classes of a choropleth, « pas de données », points or boundaries drawn
    with ``label=...``) goes into one legend on the right of the map, with class bounds rewritten the
    French way (« 18 à 50 »). Returns ``ax``.
    """
    ax.set_axis_off()
    ax.set_title(titre, loc="left", fontsize=12.5, fontweight="bold", pad=18 if sous_titre else 8)
    if sous_titre:
        ax.text(0, 1.01, sous_titre, transform=ax.transAxes, ha="left", va="bottom", fontsize=9.5,
                color="#333333")
    _legende(ax, legende, decimales, entiers)
    if _en_metres(ax):
        if echelle:
            _echelle(ax)
        if nord:
            _nord(ax)
    _source(ax, source)
    return ax


def nommer(ax, lieux, colonne: str = "nom", taille: float = 8, point: bool = True) -> list:
    """Write the name of each place of ``lieux`` (a GeoDataFrame) on the map, with a white halo.

    Points are used as they are; a polygon is named at a point surely inside it
    (``representative_point``). ``point=True`` also marks the place with a small dot. Names are
    placed in the order of the rows (put the most important first): each one goes to the first
    free corner around its place, and a name that would cover an earlier one is left out.
    Returns the matplotlib texts actually written.
    """
    from matplotlib import patheffects

    lieux = lieux[lieux.geometry.notna() & ~lieux.geometry.is_empty]
    positions = lieux.geometry.representative_point()
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    rendu = ax.figure.canvas.get_renderer()
    places, textes = [], []
    coins = [((4, 3), "left", "bottom"), ((-4, 3), "right", "bottom"), ((4, -3), "left", "top"),
             ((-4, -3), "right", "top")]
    for nom, position in zip(lieux[colonne], positions, strict=True):
        if point:
            ax.plot(position.x, position.y, marker="o", markersize=3, color="black", markeredgecolor="white",
                    markeredgewidth=0.6, zorder=11, label="_lieu")
        for decalage, ha, va in coins:
            texte = ax.annotate(str(nom), xy=(position.x, position.y), xytext=decalage, textcoords="offset points",
                                ha=ha, va=va, fontsize=taille, zorder=12, path_effects=halo)
            boite = texte.get_window_extent(rendu).expanded(1.05, 1.1)
            if not any(boite.overlaps(b) for b in places):
                places.append(boite)
                textes.append(texte)
                break
            texte.remove()
    return textes


# ================================================================================================
# Interactive maps (folium)
# ================================================================================================

#: JavaScript and CSS shipped with the package (versions, licences and hashes in static/README.md)
STATIC = Path(__file__).with_name("static")
LEAFLET = STATIC / "leaflet-1.9.3"
D3 = STATIC / "d3-3.5.5"
JQUERY = STATIC / "jquery-3.7.1"
_URL_JQUERY = "https://code.jquery.com/jquery-3.7.1.min.js"


def _data_uri(fichier: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(fichier.read_bytes()).decode("ascii")


@functools.cache
def _ressources() -> dict[str, str]:
    """Inline HTML for each CDN asset we ship, keyed by the URL folium and branca ask for."""
    images = LEAFLET / "images"
    css = (LEAFLET / "leaflet.css").read_text(encoding="utf-8")
    for png in ("layers-2x.png", "layers.png"):  # the collapsed layer control's icon
        css = css.replace(f"url(images/{png})", f"url({_data_uri(images / png)})")
    icones = ("L.Icon.Default.prototype._getIconUrl=function(n){return L.Icon.prototype._getIconUrl.call(this,n);};"
              f"L.Icon.Default.mergeOptions({{iconUrl:'{_data_uri(images / 'marker-icon.png')}',"
              f"iconRetinaUrl:'{_data_uri(images / 'marker-icon-2x.png')}',"
              f"shadowUrl:'{_data_uri(images / 'marker-shadow.png')}'}});")
    js = (LEAFLET / "leaflet.js").read_text(encoding="utf-8")
    return {
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": f"<style>{css}</style>",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": f"<script>{js}\n{icones}</script>",
        "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js":
            f"<script>{(D3 / 'd3.min.js').read_text(encoding='utf-8')}</script>",
        _URL_JQUERY: f"<script>{(JQUERY / 'jquery.min.js').read_text(encoding='utf-8')}</script>",
    }


#: a <script src> or <link href> pointing to the internet, inside an element's raw HTML
_BALISE_EXTERNE = re.compile(
    r"<script\b[^>]*\bsrc\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)[^>]*>\s*</script>"
    r"|<link\b[^>]*\bhref\s*=\s*[\"']?((?:https?:)?//[^\"'\s>]+)[^>]*>", re.I)
#: geopandas' explore() legend asks jQuery UI (1.12.1) to make it draggable: offline it simply stays put
_SANS_JQUERY_UI = "<script>if(window.jQuery&&!jQuery.fn.draggable){jQuery.fn.draggable=function(){return this;};}</script>"


class _TexteTelQuel:
    """Stands for a jinja2 ``Template`` made from an already rendered text: renders it unchanged."""

    __slots__ = ("texte",)

    def __init__(self, texte: str, *args, **kwargs):
        self.texte = texte

    def render(self, *args, **kwargs) -> str:
        return self.texte


@contextlib.contextmanager
def _textes_tels_quels():
    """While the layers render, ``branca.element.Element(text)`` keeps ``text`` as it is.

    Every folium layer renders its jinja2 macro, then branca wraps the result in ``Element(result)``,
    which compiles it again as a jinja2 template and renders it a second time with the page. Data
    inside the result (a name in a tooltip, a GeoJSON property) is then run as a template:
    ``{{ 7*7 }}`` in a commune name shows « 49 », and ``{{ cycler.__init__.__globals__.os… }}`` would
    run code on the server. The second compilation also costs ~0.1 s for a 600 kB GeoJSON layer.
    Templates that are meant as templates (folium's and branca's classes) are compiled at import,
    before this runs."""
    import branca.element

    avant = branca.element.Template
    branca.element.Template = _TexteTelQuel
    try:
        yield
    finally:
        branca.element.Template = avant


class _PageHorsLigne(Figure):
    """The page of a :class:`CarteHorsLigne`. Once every layer has put its scripts and styles in the
    page header (folium's links, plugins' raw ``<script src>``), the ones from the internet are
    replaced by the shipped copies or dropped, before the page is written."""

    def __init__(self, carte: CarteHorsLigne, **kwargs):
        super().__init__(**kwargs)
        self.carte = carte

    def render(self, **kwargs) -> str:
        with _textes_tels_quels():
            for enfant in list(self._children.values()):
                enfant.render(**kwargs)
            self._sans_internet()
        return self._template.render(this=self, kwargs=kwargs)

    def _sans_internet(self) -> None:
        ignorees = self.carte.ressources_ignorees
        ressources = _ressources()
        textes = {nom: e.render() for nom, e in self.header._children.items()
                  if not isinstance(e, JavascriptLink | CssLink)}
        scripts = "".join(e.render() for e in self.script._children.values()) + "".join(textes.values())
        # folium asks for jQuery on every map; only popups and explore()'s legend use it
        jquery = "$(" in scripts or "jQuery" in scripts
        enfants: OrderedDict = OrderedDict()
        for nom, enfant in self.header._children.items():
            if isinstance(enfant, JavascriptLink | CssLink):
                url = enfant.url
                if url in ressources and (url != _URL_JQUERY or jquery):
                    enfants[f"alc_{nom}"] = Element(ressources[url])
                elif url not in ignorees:
                    ignorees.append(url)
                continue
            texte = textes[nom]
            if _BALISE_EXTERNE.search(texte):
                for m in _BALISE_EXTERNE.finditer(texte):
                    url = m.group(1) or m.group(2)
                    if url not in ignorees:
                        ignorees.append(url)
                texte = _BALISE_EXTERNE.sub("", texte)
                if ".draggable(" in texte:
                    texte = _SANS_JQUERY_UI + texte
                enfant = Element(texte)
            enfants[nom] = enfant
        self.header._children = enfants  # same order: Leaflet stays first, before the map's own scripts


class CarteHorsLigne(folium.Map):
    """A ``folium.Map`` that works with no internet (same arguments; ``tiles`` defaults to None).

    When the map's page is written (display in a notebook, ``save``, ``get_root().render()``), every
    ``<script src>`` / ``<link>`` that folium, geopandas' ``explore`` and plugins put in it is replaced
    by the copy shipped in ``alacarte/static`` (Leaflet; d3 when there is a colour legend; jQuery when
    a popup or a legend uses it) or dropped (Bootstrap, Font Awesome, awesome-markers, jQuery UI: not
    needed by GeoJson, circles, markers, tooltips, popups, layer control, legends). What was dropped is
    listed in ``ressources_ignorees``.
    """

    def __init__(self, location=None, tiles=None, **kwargs):
        super().__init__(location=location, tiles=tiles, **kwargs)
        self.ressources_ignorees: list[str] = []
        # folium.Map put itself in a plain Figure: move it to a page that cleans its header
        self._parent = None
        _PageHorsLigne(self).add_child(self)


def echapper(texte: Any) -> str:
    """Text from data made safe for a folium tooltip or popup: shown as written, never run as HTML.

    ``html.escape`` (``<`` ``>`` ``&`` ``"`` ``'``), plus `````, ``$`` and ``\\`` that folium's
    JavaScript template strings (``folium.Tooltip``) would otherwise interpret, and ``{`` ``}``
    that folium's page builder (jinja2) would run as a template on a plain ``folium.Map``.
    Missing values become "".
    """
    if texte is None or (isinstance(texte, float) and math.isnan(texte)):
        return ""
    return (html.escape(str(texte)).replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")
            .replace("{", "&#123;").replace("}", "&#125;"))


def poids(carte: folium.Map) -> int:
    """Weight in bytes of the map's complete HTML page (what a browser downloads to show it)."""
    return len(carte.get_root().render().encode("utf-8"))


_CARTOUCHE = Template("""{% macro script(this, kwargs) %}
(function () {
    var textes = {{ this.textes }};
    var boite = L.control({position: {{ this.position }}});
    boite.onAdd = function () {
        var div = L.DomUtil.create("div", "alc-cartouche");
        div.setAttribute("style", "background:rgba(255,255,255,0.93);padding:6px 9px;border-radius:4px;"
            + "box-shadow:0 1px 4px rgba(0,0,0,0.35);max-width:340px;color:#1a1a1a;"
            + "font:13px/1.35 system-ui,-apple-system,'Segoe UI',sans-serif");
        textes.forEach(function (t) {
            var ligne = document.createElement(t[0] === "titre" ? "strong" : "div");
            ligne.textContent = t[1];
            ligne.setAttribute("style", t[0] === "titre" ? "display:block;font-size:14px;margin-bottom:2px"
                : "font-size:11.5px;color:#404040;margin-top:2px");
            div.appendChild(ligne);
        });
        L.DomEvent.disableClickPropagation(div);
        return div;
    };
    boite.addTo({{ this._parent.get_name() }});
})();
{% endmacro %}""")


class _Cartouche(MacroElement):
    _template = _CARTOUCHE

    def __init__(self, textes: list[tuple[str, str]], position: str):
        super().__init__()
        self._name = "Cartouche"
        # JSON inside a <script>: « < » written as \u003c, so that no text can close the script
        self.textes = json.dumps(textes, ensure_ascii=False).replace("<", "\\u003c")
        self.position = json.dumps(position)


def cartouche(carte: folium.Map, titre: str, source: str | None = None, note: str | None = None,
              position: str = "topright") -> folium.Map:
    """Write a title, a source line and a note on a folium map, in a white box (a Leaflet control).

    The texts are shown exactly as written (set as ``textContent``, never as HTML), so a name from the
    data can go in the title unescaped. ``position``: "topright", "topleft", "bottomleft",
    "bottomright". Returns the map, so that ``cartouche(CarteHorsLigne(...), "…")`` can be chained.
    """
    if position not in ("topright", "topleft", "bottomleft", "bottomright"):
        raise ValueError(f"position inconnue : {position!r}")
    textes = [("titre", str(titre))]
    textes += [("texte", str(t)) for t in (note, source) if t]
    carte.add_child(_Cartouche(textes, position))
    return carte


# -- natural breaks (Fisher-Jenks) without numba ------------------------------------------------

def _fisher_jenks_numpy(values, classes: int = 5):
    """Upper bounds of the optimal Fisher-Jenks classes of sorted ``values`` (mapclassify's algorithm).

    The same dynamic programme as ``mapclassify.classifiers._fisher_jenks_means`` (same tie-breaking:
    the earliest possible start of the last class), vectorised with numpy: about 0.5 s for the 4 000
    communes of a région, where mapclassify's pure-Python fallback takes a minute without numba.
    """
    import numpy as np

    x = np.asarray(values, dtype="f8")
    n = len(x)
    s1 = np.concatenate([[0.0], np.cumsum(x)])
    s2 = np.concatenate([[0.0], np.cumsum(x * x)])
    cout = np.full((classes + 1, n + 1), np.inf)   # cout[j, l]: best cost of the first l values in j classes
    debut = np.ones((classes + 1, n + 1), dtype=np.int64)  # 1-based start of the last class
    for fin in range(1, n + 1):
        starts = np.arange(1, fin + 1)                 # the last class holds values starts..fin (1-based)
        w = fin - starts + 1
        somme = s1[fin] - s1[starts - 1]
        ssd = (s2[fin] - s2[starts - 1]) - somme * somme / w
        cout[1, fin] = ssd[0]
        if fin < 2:
            continue
        for j in range(2, classes + 1):
            candidats = ssd[1:] + cout[j - 1, starts[1:] - 1]
            i = int(np.argmin(candidats))             # first minimum = the earliest start
            cout[j, fin] = candidats[i]
            debut[j, fin] = starts[1:][i]
    bornes = np.zeros(classes + 1, dtype="f8")
    bornes[classes] = x[n - 1]
    bornes[0] = x[0]
    fin = n
    for j in range(classes, 1, -1):
        pivot = debut[j, fin]
        bornes[j - 1] = x[int(pivot - 2)]
        fin = int(pivot - 1)
    return np.delete(bornes, 0)


#: mapclassify's own (pure-Python) function, kept when replaced: the tests compare both
_fisher_jenks_mapclassify = None


def _accelerer_fisher_jenks() -> bool:
    """Without numba, make ``scheme="fisherjenks"`` fast (and silent) with the numpy version above.

    Returns True when mapclassify was patched. Nothing changes when numba is installed.
    """
    try:
        import mapclassify.classifiers as classifieurs
    except ImportError:  # pragma: no cover - mapclassify is a dependency
        return False
    global _fisher_jenks_mapclassify
    if getattr(classifieurs, "HAS_NUMBA", True):
        return False
    _fisher_jenks_mapclassify = classifieurs._fisher_jenks_means
    classifieurs._fisher_jenks_means = _fisher_jenks_numpy
    classifieurs.HAS_NUMBA = True  # only silences « Numba not installed » in FisherJenks
    return True


class _ApresImportMapclassify(importlib.abc.MetaPathFinder):
    """Applies :func:`_accelerer_fisher_jenks` right after ``mapclassify.classifiers`` is first imported.

    Importing mapclassify costs seconds and ~50 MB (scipy.stats, scikit-learn): code that never
    classifies (the dashboards' kernels) must not pay it just because it imports this module.
    """

    def find_spec(self, nom, chemin, cible=None):
        if nom != "mapclassify.classifiers":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(nom)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            executer = spec.loader.exec_module

            def exec_module(module):
                executer(module)
                _accelerer_fisher_jenks()

            spec.loader.exec_module = exec_module
        return spec


if "mapclassify.classifiers" in sys.modules:
    _accelerer_fisher_jenks()
elif not any(isinstance(f, _ApresImportMapclassify) for f in sys.meta_path):
    sys.meta_path.insert(0, _ApresImportMapclassify())

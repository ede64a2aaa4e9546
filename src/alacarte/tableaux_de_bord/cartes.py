"""Offline folium maps for the dashboards.

- **Offline**: the maps are ``alacarte.cartes.CarteHorsLigne`` (shared with lesson 08): the vendored
  Leaflet 1.9.3 (``alacarte/static``, see its README) is written into the map document itself and no
  request leaves the page; the map works the same in standalone Voilà, in JupyterLab, on Binder and
  in an exported HTML file.
- **Escaped**: GeoJsonTooltip puts property values into ``innerHTML``; every string from data
  goes through ``alacarte.cartes.echapper`` before it reaches the map, the whole document is escaped
  again into the ``srcdoc`` attribute, and the iframe is sandboxed (scripts, no same-origin).
- **Light**: polygons come simplified and rounded from ``preparation.contours``; only the
  columns the tooltip shows are sent.
"""

from __future__ import annotations

import html
import json
import math

import folium
import numpy as np
import pandas as pd

from alacarte.cartes import CarteHorsLigne, echapper
from alacarte.tableaux_de_bord.textes import nombre

# ColorBrewer schemes marked colour-blind safe
SEQUENTIELLE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]          # YlGnBu 5
SEQUENTIELLE_CHAUDE = ["#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404"]   # YlOrBr 5
DIVERGENTE = ["#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788"]  # PuOr 6
SANS_DONNEE = "#bdbdbd"
# Okabe–Ito colours for accident points, by severity
COULEURS_GRAVITE = {"mortel": "#000000", "grave non mortel": "#CC79A7", "léger": "#009E73"}


def classes(valeurs: pd.Series, k: int = 5, divergent: bool = False) -> list[float]:
    """Class bounds: quantiles (k classes) or, for a signed indicator, symmetric bounds around 0."""
    v = pd.to_numeric(valeurs, errors="coerce").dropna()
    v = v[np.isfinite(v)]
    if v.empty:
        return []
    if divergent:
        m = float(np.nanpercentile(np.abs(v), 95)) or float(np.abs(v).max()) or 1.0
        return [-math.inf, -2 * m / 3, -m / 3, 0.0, m / 3, 2 * m / 3, math.inf]
    qs = sorted(set(np.quantile(v, np.linspace(0, 1, k + 1)).tolist()))
    if len(qs) < 2:
        qs = [qs[0], qs[0]]
    return qs


def couleur(valeur, bornes: list[float], palette: list[str]) -> str:
    if valeur is None or pd.isna(valeur) or not bornes:
        return SANS_DONNEE
    n = len(bornes) - 1
    for i in range(n):
        if valeur <= bornes[i + 1] or i == n - 1:
            return palette[min(i, len(palette) - 1) if n <= len(palette) else int(i * len(palette) / n)]
    return palette[-1]


def legende(bornes: list[float], palette: list[str], titre: str, decimales: int = 0, sans_donnee: bool = True) -> str:
    """Legend as accessible HTML (a list with colour swatches and the ranges in words)."""
    items = []
    for i in range(len(bornes) - 1):
        a, b = bornes[i], bornes[i + 1]
        if math.isinf(a):
            texte = f"moins de {nombre(b, decimales)}"
        elif math.isinf(b):
            texte = f"plus de {nombre(a, decimales)}"
        else:
            texte = f"de {nombre(a, decimales)} à {nombre(b, decimales)}"
        items.append((palette[min(i, len(palette) - 1)], texte))
    if sans_donnee:
        items.append((SANS_DONNEE, "pas de donnée"))
    lis = "".join(
        f'<li><span class="alc-pastille" style="background:{c}" aria-hidden="true"></span>{html.escape(t)}</li>'
        for c, t in items
    )
    return f'<div class="alc-legende"><p class="alc-legende-titre">{html.escape(titre)}</p><ul>{lis}</ul></div>'


def _geojson(gdf, proprietes: dict[str, pd.Series]) -> dict:
    """GeoJSON with only the given (already escaped) properties."""
    import shapely

    feats = []
    geoms = shapely.to_geojson(np.asarray(gdf.geometry.values, dtype=object))
    colonnes = {k: pd.Series(v).tolist() for k, v in proprietes.items()}  # plain Python types for JSON
    for i, g in enumerate(geoms):
        if g is None:
            continue
        feats.append({"type": "Feature", "geometry": json.loads(g),
                      "properties": {k: v[i] for k, v in colonnes.items()}})
    return {"type": "FeatureCollection", "features": feats}


def carte_choroplethe(gdf, colonne: str, titre: str, decimales: int = 0, divergent: bool = False,
                      palette: list[str] | None = None, hauteur: int = 420, points=None, cle: str = "") -> dict:
    """A choropleth of ``gdf[colonne]`` (names in ``gdf['nom']``), offline, escaped.

    Returns {"html": iframe, "legende": html, "bornes": [...], "palette": [...]}.
    ``points``: optional DataFrame (latitude, longitude, gravite, libelle) drawn as small circles.
    """
    palette = palette or (DIVERGENTE if divergent else SEQUENTIELLE)
    bornes = classes(gdf[colonne], divergent=divergent)
    pal = palette if divergent else palette[: max(1, len(bornes) - 1)]
    valeurs = pd.to_numeric(gdf[colonne], errors="coerce")
    props = {
        "nom": gdf["nom"].astype(str).map(echapper).reset_index(drop=True),
        "valeur": valeurs.map(lambda v: "non disponible" if pd.isna(v) else nombre(v, decimales)).map(echapper)
        .reset_index(drop=True),
        "couleur": valeurs.map(lambda v: couleur(v, bornes, pal)).reset_index(drop=True),
        "choisi": (gdf["choisi"] if "choisi" in gdf else pd.Series(False, index=gdf.index)).astype(bool)
        .reset_index(drop=True),
    }
    data = _geojson(gdf, props)
    m = _carte(gdf.total_bounds if len(gdf) else None, hauteur)
    folium.GeoJson(
        data,
        name="unites",
        style_function=lambda f: {
            "fillColor": f["properties"]["couleur"], "fillOpacity": 0.85,
            "color": "#000000" if f["properties"]["choisi"] else "#ffffff",
            "weight": 3 if f["properties"]["choisi"] else 0.8,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["nom", "valeur"], aliases=["", echapper(titre)], labels=True,
                                      sticky=False),
    ).add_to(m)
    if points is not None and len(points):
        ajouter_points(m, points)
    return {"html": document_iframe(m, hauteur, f"Carte : {titre}", cle),
            "legende": legende(bornes, pal, titre, decimales), "bornes": bornes, "palette": pal}


def ajouter_points(m, points: pd.DataFrame) -> None:
    """Small circles coloured by severity (column ``gravite``), tooltip from column ``libelle``."""
    import geopandas as gpd

    pts = gpd.GeoDataFrame(points, geometry=gpd.points_from_xy(points["longitude"], points["latitude"]),
                           crs=4326)
    props = {"libelle": pts["libelle"].astype(str).map(echapper).reset_index(drop=True),
             "couleur": pts["gravite"].astype(str).map(COULEURS_GRAVITE).fillna("#000000").reset_index(drop=True)}
    folium.GeoJson(
        _geojson(pts, props), name="points",
        marker=folium.CircleMarker(radius=4, fill=True, fill_opacity=0.9, weight=1, color="#ffffff"),
        style_function=lambda f: {"fillColor": f["properties"]["couleur"], "color": "#ffffff"},
        tooltip=folium.GeoJsonTooltip(fields=["libelle"], aliases=[""], labels=False),
    ).add_to(m)


def _carte(bounds, hauteur: int):
    """A map without tiles, framed on ``bounds`` (minx, miny, maxx, maxy) once it has a size.

    The dashboard may insert the iframe while it is still hidden (0 × 0 px): a fitBounds then gives an
    infinite zoom and Leaflet draws nothing (measured: one first view in three). So the map starts at
    a plain centre and zoom, and a small script fits the bounds as soon as the frame has a size
    (load, resize, and and a polling during 30 s: it refits whenever the frame's size changes).
    """
    centre, zoom = [46.6, 2.5], 5
    limites = None
    if bounds is not None and len(bounds) == 4 and np.all(np.isfinite(bounds)):
        limites = [[float(bounds[1]), float(bounds[0])], [float(bounds[3]), float(bounds[2])]]
        centre = [(limites[0][0] + limites[1][0]) / 2, (limites[0][1] + limites[1][1]) / 2]
        zoom = 8
    m = CarteHorsLigne(location=centre, zoom_start=zoom, tiles=None, control_scale=True,
                       width="100%", height="100%", prefer_canvas=False)
    if limites:
        m.get_root().script.add_child(folium.Element(
            f"(function(){{var n={json.dumps(m.get_name())},b={json.dumps(limites)},vu='',k=0;"
            "function ajuste(){var m=window[n];if(!m)return;var c=m.getContainer(),t=c.clientWidth+'x'+c.clientHeight;"
            "if(c.clientWidth>0&&c.clientHeight>0&&t!==vu){try{m.invalidateSize();m.fitBounds(b,{padding:[8,8],animate:false});"
            "vu=t;}catch(e){}}}"
            "window.addEventListener('resize',ajuste);window.addEventListener('load',ajuste);"
            "(function essai(){ajuste();if(k++<120){setTimeout(essai,250);}})();})();"),
            name="alc_ajuste")
    return m


def document(m) -> str:
    """The map's full HTML document (``CarteHorsLigne``: Leaflet inlined, no external request)."""
    racine = m.get_root()
    racine.header.add_child(folium.Element(
        "<style>html,body{margin:0;background:#f4f4f1}.leaflet-container{background:#f4f4f1;"
        "font:14px/1.4 system-ui,sans-serif}.leaflet-tooltip{font-size:14px}</style>"), name="alc_style")
    return racine.render()


def document_iframe(m, hauteur: int, titre: str, cle: str = "") -> str:
    """The map in a sandboxed iframe (scripts allowed, no same-origin access to the dashboard).

    ``cle`` (e.g. "departement:38|densite") is written in ``data-cle`` so that tests can wait for it."""
    doc = document(m)
    return (f'<iframe class="alc-carte" title="{html.escape(titre)}" sandbox="allow-scripts" '
            f'data-cle="{html.escape(cle)}" '
            f'style="width:100%;height:{int(hauteur)}px;border:1px solid #767676;border-radius:4px" '
            f'srcdoc="{html.escape(doc, quote=True)}"></iframe>')


def image_choroplethe(gdf, colonne: str, titre: str, source: str, bornes: list[float], palette: list[str],
                      decimales: int = 0) -> bytes:
    """The same choropleth as a PNG (for the export button), drawn with matplotlib."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fig = Figure(figsize=(7, 7.6), dpi=110)
    ax = fig.add_axes([0.02, 0.2, 0.96, 0.72])
    valeurs = pd.to_numeric(gdf[colonne], errors="coerce")
    couleurs = [couleur(v, bornes, palette) for v in valeurs]
    gdf.plot(ax=ax, color=couleurs, edgecolor="white", linewidth=0.4)
    if "choisi" in gdf and gdf["choisi"].any():
        gdf[gdf["choisi"]].boundary.plot(ax=ax, color="black", linewidth=1.6)
    ax.set_axis_off()
    ax.set_aspect(1 / math.cos(math.radians(float(gdf.geometry.centroid.y.mean()) if len(gdf) else 46)))
    fig.suptitle(titre, fontsize=13, wrap=True)
    entrees = []
    for i in range(len(bornes) - 1):
        a, b = bornes[i], bornes[i + 1]
        txt = (f"moins de {nombre(b, decimales)}" if math.isinf(a) else f"plus de {nombre(a, decimales)}"
               if math.isinf(b) else f"{nombre(a, decimales)} – {nombre(b, decimales)}")
        entrees.append(Patch(facecolor=palette[min(i, len(palette) - 1)], edgecolor="#555", label=txt))
    entrees.append(Patch(facecolor=SANS_DONNEE, edgecolor="#555", label="pas de donnée"))
    fig.legend(handles=entrees, loc="lower center", ncol=3, fontsize=10, frameon=False, bbox_to_anchor=(0.5, 0.06))
    fig.text(0.5, 0.015, source, ha="center", fontsize=8, color="#333", wrap=True)
    from io import BytesIO

    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()

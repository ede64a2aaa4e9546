"""Static-map helpers (alacarte.cartes): French legends, source line, scale bar, labels, no-data style,
and the numba-free Fisher-Jenks. Toy square polygons in Lambert-93 coordinates, no dataset, no network."""

from __future__ import annotations

import re
import warnings

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from shapely.geometry import Point, box  # noqa: E402

from alacarte import cartes  # noqa: E402
from alacarte.cartes import etiquette_classe, habiller, nombre, nommer, sans_donnees  # noqa: E402

NNBSP = "\u202f"


@pytest.fixture(autouse=True)
def fermer_figures():
    yield
    plt.close("all")


def grille(valeurs, crs="EPSG:2154", pas=10_000.0, x0=700_000.0, y0=6_500_000.0):
    """A row of square 'communes' (10 km wide in Lambert-93) with the given values."""
    geometries = [box(x0 + i * pas, y0, x0 + (i + 1) * pas, y0 + pas) for i in range(len(valeurs))]
    return gpd.GeoDataFrame({"nom": [f"C{i}" for i in range(len(valeurs))], "valeur": valeurs},
                            geometry=geometries, crs=crs)


def textes(ax):
    return [t.get_text() for t in ax.texts]


def etiquettes_legende(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# -- numbers and class labels ----------------------------------------------------------------

def test_nombre_writes_numbers_the_french_way():
    assert nombre(11045.28) == f"11{NNBSP}045"
    assert nombre(0.73, 1) == "0,7"
    assert nombre(-0.01, 1) == "0,0"
    assert nombre(1234567.891, 2) == f"1{NNBSP}234{NNBSP}567,89"


@pytest.mark.parametrize("brut, options, attendu", [
    ("17.50, 50.20", {}, "18 à 50"),
    ("   13.80,    34.47", {}, "14 à 34"),
    ("(17.50, 50.20]", {"decimales": 1}, "17,5 à 50,2"),
    ("[    0.16, 13.80]", {}, "0 à 14"),
    ("0.00, 0.00", {"decimales": 1}, "0"),
    ("0.00, 0.50", {"decimales": 1}, "0 à 0,5"),
    ("1.00, 2.00", {"decimales": 1}, "1 à 2"),
    ("163.55, 11045.28", {}, f"164 à 11{NNBSP}045"),
    ("4.00, 19.00", {"entiers": True, "premiere": False}, "5 à 19"),
    ("0.00, 0.00", {"entiers": True, "premiere": True}, "0"),
    ("0.00, 4.00", {"entiers": True, "premiere": False}, "1 à 4"),
    ("pas de données", {}, "pas de données"),
    ("limite de département", {}, "limite de département"),
])
def test_class_labels_in_french(brut, options, attendu):
    assert etiquette_classe(brut, **options) == attendu


def test_no_data_style_is_hatched_grey_and_named():
    style = sans_donnees()
    assert style["hatch"] and style["label"] == "pas de données"
    assert style["facecolor"] != style["edgecolor"]
    assert sans_donnees("contour faux")["label"] == "contour faux"


# -- habiller ------------------------------------------------------------------------------------

def test_habiller_gives_title_french_legend_source_scale_and_north():
    gdf = grille([1.0, 5.0, 12.5, 40.0, 1200.0, np.nan])
    ax = gdf.plot(column="valeur", scheme="quantiles", k=5, cmap="cividis", legend=True,
                  missing_kwds=sans_donnees())
    assert habiller(ax, "Densité", "Source : essai 2026", legende="habitants par km²") is ax
    assert ax.get_title(loc="left") == "Densité"
    assert not ax.axison
    legende = ax.get_legend()
    assert legende.get_title().get_text() == "habitants par km²"
    etiquettes = etiquettes_legende(ax)
    assert len(etiquettes) == 6 and etiquettes[-1] == "pas de données"
    assert all(" à " in e for e in etiquettes[:5]) and not any("." in e for e in etiquettes)
    assert etiquettes[-2].endswith(f"1{NNBSP}200")
    assert "Source : essai 2026" in textes(ax)
    assert "50 km" in textes(ax) or "10 km" in textes(ax) or "20 km" in textes(ax)
    assert any(t.get_text() == "N" for t in ax.texts)


def test_no_data_entry_only_when_a_value_is_missing():
    ax = grille([1.0, 2.0, 3.0, 4.0, 5.0]).plot(column="valeur", scheme="quantiles", k=5, legend=True,
                                               missing_kwds=sans_donnees())
    habiller(ax, "t", "s")
    assert "pas de données" not in etiquettes_legende(ax)


def test_scale_bar_has_a_round_length_and_keeps_the_frame():
    ax = grille([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]).plot(color="grey")  # 100 km wide
    limites = ax.get_xlim(), ax.get_ylim()
    habiller(ax, "t", "s")
    assert "20 km" in textes(ax)
    assert (ax.get_xlim(), ax.get_ylim()) == limites


def test_map_in_degrees_gets_no_scale_bar_nor_north_arrow():
    gdf = grille([1.0, 2.0, 3.0], crs="EPSG:4326", pas=0.1, x0=4.0, y0=45.0)
    ax = gdf.plot(column="valeur", legend=False)
    habiller(ax, "t", "Source : essai")
    assert not any(t.endswith("km") for t in textes(ax))
    assert "N" not in textes(ax)
    assert ax.get_legend() is None


def test_counts_legend_reads_as_whole_numbers():
    gdf = grille([0.0, 0.0, 3.0, 7.0, 25.0, 150.0])
    ax = gdf.plot(column="valeur", scheme="user_defined", classification_kwds={"bins": [0, 4, 19, 99]},
                  legend=True)
    habiller(ax, "t", "s", entiers=True)
    assert etiquettes_legende(ax) == ["0", "1 à 4", "5 à 19", "20 à 99", "100 à 150"]


def test_labelled_layers_join_the_legend_and_white_lines_get_a_visible_background():
    gdf = grille([1.0, 2.0, 3.0, 4.0, 5.0])
    ax = gdf.plot(column="valeur", scheme="quantiles", k=5, legend=True)
    gdf.boundary.plot(ax=ax, color="white", linewidth=0.5, label="limite d'EPCI")
    habiller(ax, "t", "s")
    assert "limite d'EPCI" in etiquettes_legende(ax)
    assert ax.get_legend().get_frame().get_visible()

    ax2 = gdf.plot(column="valeur", scheme="quantiles", k=5, legend=True)
    gdf.boundary.plot(ax=ax2, color="black", label="limite de département")
    habiller(ax2, "t", "s")
    assert not ax2.get_legend().get_frame().get_visible()


def test_long_source_is_wrapped_under_the_map():
    ax = grille([1.0, 2.0]).plot(color="grey", figsize=(4, 3))
    habiller(ax, "t", "Sources : " + "producteur très long ; " * 12)
    source = [t for t in ax.texts if t.get_text().startswith("Sources")][0]
    assert "\n" in source.get_text()
    assert source.get_position()[1] < 0  # under the axes


# -- nommer --------------------------------------------------------------------------------------

def test_nommer_writes_names_and_skips_the_ones_that_would_overlap():
    gdf = grille([1.0, 2.0, 3.0])
    ax = gdf.plot(color="grey")
    ecrits = nommer(ax, gdf)
    assert [t.get_text() for t in ecrits] == ["C0", "C1", "C2"]

    memes = gpd.GeoDataFrame({"nom": [f"Ville {i}" for i in range(6)]},
                             geometry=[Point(705_000, 6_505_000)] * 6, crs="EPSG:2154")
    ax2 = gdf.plot(color="grey")
    ecrits = nommer(ax2, memes)
    assert [t.get_text() for t in ecrits] == ["Ville 0", "Ville 1", "Ville 2", "Ville 3"]  # 4 corners, then full


def test_nommer_ignores_places_without_geometry():
    lieux = gpd.GeoDataFrame({"nom": ["A", "B"]}, geometry=[Point(705_000, 6_505_000), None], crs="EPSG:2154")
    ax = grille([1.0]).plot(color="grey")
    assert [t.get_text() for t in nommer(ax, lieux, point=False)] == ["A"]
    assert not ax.lines


# -- Fisher-Jenks without numba -----------------------------------------------------------------

def test_numpy_fisher_jenks_matches_mapclassify():
    import mapclassify.classifiers  # noqa: F401  (the patch is applied when mapclassify is first imported)

    if cartes._fisher_jenks_mapclassify is None:
        pytest.skip("numba is installed: mapclassify is not patched")
    rng = np.random.default_rng(7)
    for essai in range(25):
        n, k = int(rng.integers(8, 150)), int(rng.integers(2, 7))
        y = rng.lognormal(3, 1.3, n) if essai % 2 else rng.integers(0, 30, n).astype(float)
        y = np.sort(y)
        if len(np.unique(y)) < k:
            continue
        attendu = cartes._fisher_jenks_mapclassify(y, classes=k)
        assert np.array_equal(cartes._fisher_jenks_numpy(y, k), attendu)


def test_importing_alacarte_cartes_does_not_import_mapclassify():
    """The dashboards import alacarte.cartes but never classify: mapclassify (scipy, scikit-learn:
    seconds and ~50 MB per kernel) must only load when used, and then be patched."""
    import subprocess
    import sys

    code = ("import sys, alacarte.cartes as c; assert 'mapclassify' not in sys.modules; import mapclassify; "
            "print(mapclassify.classifiers._fisher_jenks_means is c._fisher_jenks_numpy or "
            "c._fisher_jenks_mapclassify is None)")
    sortie = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert sortie.strip() == "True"


def test_fisherjenks_scheme_uses_the_numpy_version_and_is_silent():
    import mapclassify
    import mapclassify.classifiers

    if cartes._fisher_jenks_mapclassify is not None:
        assert mapclassify.classifiers._fisher_jenks_means is cartes._fisher_jenks_numpy
    y = np.random.default_rng(3).lognormal(4, 1.5, 3000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no « Numba not installed » warning in the learner's notebook
        classes = mapclassify.FisherJenks(y, k=5)
    assert classes.counts.sum() == 3000 and len(classes.bins) == 5
    assert classes.bins[-1] == y.max()


# ================================================================================================
# Interactive maps: CarteHorsLigne (offline folium), echapper, poids
# ================================================================================================

HOSTILES = ["<img src=x onerror=alert(1)>", "`${alert(1)}`", "</script><script>alert(2)</script>", "L'Isle-d'Abeau",
            "back\\1slash", "{{ 7*7 }}", "{% for i in range(3) %}x{% endfor %}"]
N = len(HOSTILES)
EXTERNE = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=\s*[\"']?(?:https?:)?//", re.I)


def carte_complete():
    """Every kind of layer lesson 08 uses: GeoJson + tooltip, Choropleth (colour legend), a marker with
    a popup, circles, a layer control; names from data are hostile."""
    import folium

    gdf = gpd.GeoDataFrame({"code": [str(i) for i in range(N)], "nom": HOSTILES, "v": [1.0 + i for i in range(N)]},
                           geometry=[box(4 + i * 0.1, 45, 4.1 + i * 0.1, 45.1) for i in range(N)], crs=4326)
    gdf["nom_affiche"] = gdf["nom"].map(cartes.echapper)
    m = cartes.CarteHorsLigne(location=[45.02, 4.25], zoom_start=10)
    folium.Choropleth(gdf[["code", "geometry"]], data=gdf, columns=["code", "v"], key_on="feature.properties.code", fill_color="YlGnBu",
                      legend_name="valeur", name="choroplèthe").add_to(m)
    folium.GeoJson(gdf[["nom_affiche", "geometry"]], name="contours",
                   tooltip=folium.GeoJsonTooltip(["nom_affiche"], aliases=["Commune"])).add_to(m)
    for i, nom in enumerate(HOSTILES):
        folium.CircleMarker([44.95, 4.05 + i * 0.1], radius=8, fill=True, tooltip=cartes.echapper(nom)).add_to(m)
    folium.Marker([45.08, 4.3], popup=folium.Popup(cartes.echapper(HOSTILES[0])),
                  tooltip=cartes.echapper(HOSTILES[3])).add_to(m)
    folium.LayerControl().add_to(m)
    return m


def test_vendored_assets_match_their_published_hashes():
    import hashlib

    readme = (cartes.STATIC / "README.md").read_text(encoding="utf-8")
    fichiers = [f for f in cartes.STATIC.rglob("*") if f.is_file() and f.name != "README.md"]
    assert len(fichiers) == 12
    for f in fichiers:
        assert hashlib.sha256(f.read_bytes()).hexdigest() in readme, f


def test_the_urls_we_replace_are_the_ones_folium_and_branca_ask_for():
    """A folium or branca upgrade that changes Leaflet, jQuery or d3 versions must fail here."""
    import branca.colormap
    import folium

    demandes = {u for _, u in folium.Map.default_js + folium.Map.default_css}
    m = folium.Map()
    branca.colormap.LinearColormap(["#000000", "#ffffff"]).add_to(m)
    page = m.get_root().render()
    demandes |= set(re.findall(r'src="([^"]+)"', page)) | set(re.findall(r'href="([^"]+\.css)"', page))
    remplacees = set(cartes._ressources())
    assert remplacees <= demandes, remplacees - demandes


def test_offline_map_requests_nothing_from_the_internet():
    m = carte_complete()
    page = m.get_root().render()
    assert not EXTERNE.search(page), EXTERNE.search(page)
    assert "L.map(" in page
    assert "Leaflet" in page and "jQuery" in page and "d3" in page  # popup → jQuery, legend → d3
    assert any("bootstrap" in u for u in m.ressources_ignorees)
    assert not any("leaflet@" in u or "d3" in u or "jquery" in u for u in m.ressources_ignorees)
    # rendering again (a notebook re-displays a map) still requests nothing
    assert not EXTERNE.search(m.get_root().render())


def test_jquery_and_d3_only_when_the_map_needs_them():
    import folium

    m = cartes.CarteHorsLigne()
    folium.CircleMarker([45, 4], radius=3, tooltip="x").add_to(m)
    page = m.get_root().render()
    assert "jQuery" not in page and "d3.scale" not in page and not EXTERNE.search(page)
    assert cartes.poids(m) < 250_000  # Leaflet alone is ~150 kB


def test_echapper_shows_text_and_never_runs_it():
    import html

    for texte in HOSTILES:
        sur = cartes.echapper(texte)
        assert "<" not in sur and "`" not in sur and "$" not in sur and "\\" not in sur
        assert html.unescape(sur) == texte
    assert cartes.echapper(None) == "" and cartes.echapper(float("nan")) == "" and cartes.echapper(38185) == "38185"


def test_text_from_data_is_never_run_as_a_template():
    """folium renders each layer, then branca compiles the result again as a jinja2 template: on a
    CarteHorsLigne, text from data inside it (GeoJSON properties, tooltips, popups) stays as written."""
    import os

    import folium

    attaque = "{{ cycler.__init__.__globals__.os.getpid() }}"
    m = cartes.CarteHorsLigne(location=[45, 5], zoom_start=8)
    folium.GeoJson({"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"nom": attaque},
                    "geometry": {"type": "Point", "coordinates": [5, 45]}}]}).add_to(m)
    folium.Marker([45, 5], tooltip="{{ 6*7 }} fois", popup="{% for i in range(3) %}x{% endfor %}").add_to(m)
    page = m.get_root().render()
    assert attaque in page and "{{ 6*7 }} fois" in page and "{% for i in range(3) %}x{% endfor %}" in page
    assert str(os.getpid()) not in page and "42 fois" not in page and "xxx" not in page
    # a plain folium.Map does run it: echapper() makes the text safe there too
    m = folium.Map(location=[45, 5], zoom_start=8, tiles=None)
    folium.Marker([45, 5], tooltip=cartes.echapper("{{ 6*7 }} fois")).add_to(m)
    page = m.get_root().render()
    assert "42 fois" not in page and "&#123;&#123; 6*7 &#125;&#125; fois" in page


def test_hostile_names_are_escaped_in_the_map_page():
    page = carte_complete().get_root().render()
    carte = page.split("L.map(", 1)[1]
    for h in HOSTILES[:3]:
        assert h not in carte, h
    assert "<img src=x" not in carte and "${alert" not in carte


@pytest.mark.navigateur
def test_offline_map_draws_in_chromium_with_names_shown_as_written(tmp_path):
    """The saved map opened in headless Chromium with every outside request aborted: polygons,
    markers, legend and layer control are drawn; tooltips show the names as written; nothing runs."""
    from playwright.sync_api import sync_playwright

    fichier = tmp_path / "carte.html"
    carte_complete().save(str(fichier))
    externes, dialogues, erreurs = [], [], []
    with sync_playwright() as p:
        navigateur = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = navigateur.new_page(viewport={"width": 900, "height": 700})

        def route(r):
            if r.request.url.startswith(("file:", "data:", "about:", "blob:")):
                r.continue_()
            else:
                externes.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("dialog", lambda d: (dialogues.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: erreurs.append(str(e)))
        page.goto(fichier.as_uri())
        page.wait_for_selector("path.leaflet-interactive")
        assert page.locator("path.leaflet-interactive").count() >= 3 * N  # N + N polygons, N circles
        assert page.locator(".leaflet-control-layers").count() == 1 and page.locator(".legend svg").count() == 1
        icone = page.locator("img.leaflet-marker-icon")
        assert icone.count() == 1 and icone.evaluate("i => i.complete && i.naturalWidth > 0")
        vus = []
        for i in range(N):  # hover each circle: its tooltip shows the name exactly as in the data
            page.locator("path.leaflet-interactive").nth(2 * N + i).hover(force=True)
            page.wait_for_selector(".leaflet-tooltip")
            vus.append(page.locator(".leaflet-tooltip").last.inner_text().strip())
            page.mouse.move(5, 650)
        assert sorted(vus) == sorted(HOSTILES)
        icone.click()
        assert page.locator(".leaflet-popup-content").inner_text().strip() == HOSTILES[0]
        assert page.locator(".leaflet-popup-content img").count() == 0
        page.wait_for_timeout(300)
        navigateur.close()
    assert externes == [] and dialogues == [] and erreurs == []


def test_cartouche_writes_title_source_and_note_as_text_only():
    import folium

    m = cartes.CarteHorsLigne(location=[45, 4], zoom_start=8)
    folium.CircleMarker([45, 4], radius=3).add_to(m)
    assert cartes.cartouche(m, "Taux à " + HOSTILES[0], source="Source : INSEE 2026", note=HOSTILES[2]) is m
    page = m.get_root().render()
    carte = page.split("L.map(", 1)[1]
    assert "alc-cartouche" in carte and "textContent" in carte and "innerHTML" not in carte.split("alc-cartouche")[1]
    assert "<img" not in carte and "</script><script>alert" not in carte  # « < » written \u003c in the JSON
    assert "Source : INSEE 2026" in carte and "Taux à \\u003cimg" in carte
    assert not EXTERNE.search(page)
    with pytest.raises(ValueError):
        cartes.cartouche(m, "x", position="milieu")


def test_explore_class_legend_works_offline():
    """geopandas' explore() class legend writes a raw <script src> to jQuery UI (to drag the legend):
    it is removed, jQuery is kept for the legend's own script, and dragging is a harmless no-op."""
    gdf = gpd.GeoDataFrame({"v": [1.0 + i for i in range(N + 1)], "nom": HOSTILES + ["x"]},
                           geometry=[box(i, 45, i + 1, 46) for i in range(N + 1)], crs=4326)
    m = cartes.CarteHorsLigne(location=[45.5, 3], zoom_start=6)
    gdf.assign(nom=gdf["nom"].map(cartes.echapper)).explore(
        m=m, column="v", scheme="quantiles", k=3, legend=True, tooltip=["nom"], legend_kwds={"colorbar": False})
    page = m.get_root().render()
    assert not EXTERNE.search(page), EXTERNE.search(page)
    assert any("jquery-ui" in u for u in m.ressources_ignorees)
    assert "jQuery" in page and "maplegend" in page and "jQuery.fn.draggable=function" in page

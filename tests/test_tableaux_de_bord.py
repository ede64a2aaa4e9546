"""Dashboard logic (``alacarte.tableaux_de_bord``), without a browser.

Expected values are computed here independently, with plain pandas/pyproj on the shipped files
(``datasets/``), never by calling the code under test.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
D = ROOT / "datasets"
HOSTILES = ["<img src=x onerror=alert(1)>", "`${alert(1)}`", "</script><script>alert(2)</script>", "L'Isle-d'Abeau",
            "back\\1slash", "{{ 7*7 }}", "{% for i in range(3) %}x{% endfor %}"]


@pytest.fixture(scope="module")
def cache_module(tmp_path_factory):
    """One derived-data cache for the module (the autouse fixture gives each test its own folder)."""
    return tmp_path_factory.mktemp("cache_tdb")


@pytest.fixture(autouse=True)
def meme_cache(cache_module, monkeypatch):
    monkeypatch.setenv("ALACARTE_CACHE", str(cache_module))


def _communes():
    return pd.read_parquet(D / "communes" / "communes.parquet")


def _pop():
    return pd.read_parquet(D / "populations" / "populations.parquet")


# --------------------------------------------------------------------------------------------
# portrait
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("territoire, colonne, code", [
    ("region:84", "region", "84"), ("departement:15", "departement", "15"), ("epci:200046977", "epci", "200046977"),
    ("commune:38185", "code", "38185"), ("departement:974", "departement", "974"),
])
def test_chiffres_cles_population_communes_parite(territoire, colonne, code):
    from alacarte.tableaux_de_bord import portrait

    com = _communes()
    codes = com.loc[com[colonne] == code, "code"]
    pop = _pop().set_index("code").loc[codes]
    elus = pd.read_parquet(D / "elus_parite" / "elus_parite.parquet").set_index("code").loc[codes]
    k = portrait.chiffres_cles(territoire)
    assert k.nb_communes == len(codes)
    assert k.population_2026 == int(pop["population_2026"].sum())
    comparables = pop[~pop["non_comparable"].str.contains("2021")]
    attendu = 100 * (comparables["population_2026"].sum() / comparables["population_2021"].sum() - 1)
    assert k.evolution_2021_2026 == pytest.approx(attendu, abs=1e-9)
    femmes = elus[[c for c in elus.columns if c.endswith("_f")]].to_numpy().sum()
    assert k.part_femmes_elus == pytest.approx(100 * femmes / elus["elus_total"].sum())
    assert k.part_femmes_maires == pytest.approx(100 * elus["maires_f"].sum() / (elus["maires_f"] + elus["maires_h"]).sum())


def test_mairies_accessibilite_non_renseignee():
    """NAC is the source's default value: 0 % of town halls have accessibility information."""
    from alacarte.tableaux_de_bord import portrait

    m = pd.read_parquet(D / "mairies" / "mairies.parquet", columns=["region", "accessibilite"])
    assert set(m["accessibilite"]) == {"NAC"}
    k = portrait.chiffres_cles("region:84")
    assert k.mairies == int((m["region"] == "84").sum())
    assert k.mairies_acces_renseigne == 0 and k.part_mairies_acces_renseigne == 0


@pytest.mark.parametrize("territoire, colonne, code", [("departement:38", "departement", "38"),
                                                        ("departement:974", "departement", "974"),
                                                        ("commune:38185", "code", "38185")])
def test_superficie_geodesique(territoire, colonne, code):
    """Projected area (Lambert-93 / local UTM) agrees with the geodesic area of the same polygons."""
    import geopandas as gpd
    from pyproj import Geod

    from alacarte.tableaux_de_bord import portrait

    g = gpd.read_parquet(D / "communes_contours" / "communes_contours.parquet")
    g = g[g[colonne] == code]
    geod = Geod(ellps="GRS80")
    attendu = sum(abs(geod.geometry_area_perimeter(geom)[0]) for geom in g.geometry) / 1e6
    k = portrait.chiffres_cles(territoire)
    assert k.superficie_km2 == pytest.approx(attendu, rel=2e-3)
    assert k.densite == pytest.approx(k.population_2026 / k.superficie_km2)


def test_commune_retablie_sans_contour_ni_evolution():
    from alacarte.tableaux_de_bord import portrait

    k = portrait.chiffres_cles("commune:15031")  # Celles, restored in 2025
    assert k.superficie_km2 is None and k.densite is None
    assert k.evolution_2021_2026 is None and k.accidents_pour_1000 is None


@pytest.mark.parametrize("territoire, niveau, colonne, code", [
    ("departement:38", "departement", "departement", "38"), ("region:84", "region", "region", "84")])
def test_accidents_pour_1000_departement_region(territoire, niveau, colonne, code):
    from alacarte.tableaux_de_bord import portrait

    a = pd.read_parquet(D / "accidents" / "accidents.parquet", columns=[colonne, "annee"])
    n = int(((a[colonne] == code) & a["annee"].between(2016, 2020)).sum())
    com = _communes()
    p21 = _pop().set_index("code").loc[com.loc[com[colonne] == code, "code"], "population_2021"].sum()
    k = portrait.chiffres_cles(territoire)
    assert k.accidents_5ans == n
    assert k.accidents_pour_1000 == pytest.approx(1000 * n / p21)


def test_accidents_epci_et_comparaisons():
    from alacarte.tableaux_de_bord import portrait

    com = _communes()
    codes = set(com.loc[com["epci"] == "200046977", "code"])
    a = pd.read_parquet(D / "accidents" / "accidents.parquet", columns=["code_commune_2026", "departement", "annee"])
    recent = a[a["annee"].between(2016, 2020)]
    k = portrait.chiffres_cles("epci:200046977")
    assert k.accidents_5ans == int(recent["code_commune_2026"].isin(codes).sum())
    dep = next(c for c in k.comparaisons if c["niveau"] == "departement")
    p_dep = _pop().query("departement == @dep['code']")["population_2021"].sum()
    assert dep["accidents_pour_1000"] == pytest.approx(1000 * (recent["departement"] == dep["code"]).sum() / p_dep)
    assert [c["niveau"] for c in k.comparaisons] == ["departement", "region"]


def test_sous_unites_par_niveau():
    from alacarte.tableaux_de_bord import portrait

    com = _communes()
    d = portrait.sous_unites("region:84")
    assert set(d["code"]) == set(com.loc[com["region"] == "84", "departement"])
    e = portrait.sous_unites("departement:38")
    assert set(e["code"]) == set(com.loc[com["departement"] == "38", "epci"].dropna())
    c = portrait.sous_unites("commune:38185")
    assert set(c["code"]) == set(com.loc[com["epci"] == com.set_index("code").loc["38185", "epci"], "code"])
    assert c.loc[c["choisi"], "code"].tolist() == ["38185"]
    g = c.set_index("code").loc["38185"]
    assert g["population_2026"] == int(com.set_index("code").loc["38185", "population"])


def test_population_trois_millesimes():
    from alacarte.tableaux_de_bord import portrait

    p = _pop()
    s = portrait.series_population("departement:38")
    sel = p[p["departement"] == "38"]
    assert s["population"].tolist() == [sel["population_2021"].sum(), sel["population_2024"].sum(),
                                        sel["population_2026"].sum()]


def test_recherche_de_territoire():
    from alacarte.tableaux_de_bord import interface, portrait

    c = portrait.candidats()
    assert interface.chercher_territoires("38", c)[0][1] == "departement:38"
    assert interface.chercher_territoires("isere", c)[0][1] == "departement:38"
    assert interface.chercher_territoires("200046977", c)[0][1] == "epci:200046977"
    assert interface.chercher_territoires("Grenoble", c)[0][1] == "commune:38185"
    assert interface.chercher_territoires("zzzzqqq", c) == []


# --------------------------------------------------------------------------------------------
# road safety
# --------------------------------------------------------------------------------------------

def _accidents():
    return pd.read_parquet(D / "accidents" / "accidents.parquet",
                           columns=["num_acc", "annee", "heure", "date", "code_commune_2026", "departement", "region",
                                    "gravite", "nb_tues", "latitude"])


@pytest.mark.parametrize("territoire, colonne, code", [
    ("region:84", "region", "84"), ("departement:2B", "departement", "2B"), ("departement:974", "departement", "974"),
    ("commune:38185", "code_commune_2026", "38185"), ("epci:200040715", "code_commune_2026", None)])
def test_bilan_securite(territoire, colonne, code):
    from alacarte.tableaux_de_bord import securite

    a = _accidents()
    com = _communes()
    dans = a[colonne].isin(set(com.loc[com["epci"] == "200040715", "code"])) if code is None else a[colonne] == code
    sel = a[dans & a["annee"].between(2010, 2020) & (a["gravite"] != "léger")]
    assert len(sel) > 20
    b = securite.bilan(territoire, (2010, 2020), ["mortel", "grave non mortel"])
    assert b.accidents == len(sel)
    assert b.tues == int(sel["nb_tues"].sum())
    assert b.avec_coordonnees == int(sel["latitude"].notna().sum())
    par_annee = sel.groupby("annee").size().reindex(range(2010, 2021), fill_value=0)
    assert b.par_annee.sum(axis=1).tolist() == par_annee.tolist()
    assert b.par_annee["léger"].sum() == 0
    assert b.par_heure.tolist() == sel["heure"].dropna().astype(int).value_counts().reindex(range(24), fill_value=0).tolist()
    jours = pd.to_datetime(sel["date"].astype("datetime64[s]")).dt.day_of_week
    assert b.par_jour.tolist() == jours.value_counts().reindex(range(7), fill_value=0).tolist()
    u = pd.read_parquet(D / "accidents_usagers" / "usagers.parquet", columns=["num_acc", "categorie_usager", "gravite"])
    u = u[u["num_acc"].isin(set(sel["num_acc"]))]
    tues = u[u["gravite"] == "tué"].groupby("categorie_usager", observed=True).size()
    for cat, n in tues.items():
        assert b.par_categorie.loc[cat, "tué"] == n


def test_taux_et_points_commune():
    from alacarte.tableaux_de_bord import securite

    a = _accidents()
    sel = a[(a["code_commune_2026"] == "38185") & a["annee"].between(2019, 2020)]
    g = securite.taux_par_unite("commune:38185", (2019, 2020))
    p21 = _pop().set_index("code").loc["38185", "population_2021"]
    assert g.loc[0, "accidents"] == len(sel)
    assert g.loc[0, "taux"] == pytest.approx(1000 * len(sel) / p21)
    pts, n = securite.points("commune:38185", (2019, 2020))
    assert n == int(sel["latitude"].notna().sum()) == len(pts)
    assert sorted(pts["libelle"]) == sorted(
        f"Accident {g} — {y}" + (f", {int(h)} h" if pd.notna(h) else "")
        for g, y, h in sel.loc[sel["latitude"].notna(), ["gravite", "annee", "heure"]].itertuples(index=False))
    _, n_region = securite.points("region:84", (2005, 2020))
    assert n_region > securite.MAX_POINTS  # too many: no points sent, a message instead


def test_taux_par_departement_d_une_region():
    from alacarte.tableaux_de_bord import securite

    a = _accidents()
    sel = a[(a["region"] == "53") & a["annee"].between(2016, 2020) & (a["gravite"] == "mortel")]
    g = securite.taux_par_unite("region:53", (2016, 2020), ["mortel"]).set_index("code")
    assert sorted(g.index) == ["22", "29", "35", "56"]
    assert g["accidents"].to_dict() == sel["departement"].value_counts().to_dict()


def _table_accidents_neuve():
    from alacarte.tableaux_de_bord import preparation as prep
    from alacarte.tableaux_de_bord import securite

    prep.accidents.cache_clear()
    securite._lignes_territoire.cache_clear()
    return prep.accidents()


def test_accidents_en_colonnes_partagees_et_cache_abime(tmp_path, monkeypatch):
    """Columns are memory maps of the cache files (shared by every kernel); a damaged cache is rebuilt."""
    from alacarte.tableaux_de_bord import securite

    monkeypatch.setenv("ALACARTE_CACHE", str(tmp_path))
    attendu = securite.bilan("departement:2B", (2005, 2020))
    t = _table_accidents_neuve()
    assert all(isinstance(v, np.memmap) for v in t.colonnes.values())
    dossier = next((tmp_path / "tableaux_de_bord").glob("accidents-*"))
    (dossier / "annee.npy").write_bytes((dossier / "annee.npy").read_bytes()[:1000])  # cut short
    t = _table_accidents_neuve()
    b = securite.bilan("departement:2B", (2005, 2020))
    assert len(t) == len(pd.read_parquet(D / "accidents" / "accidents.parquet", columns=["annee"]))
    assert (b.accidents, b.par_annee.to_dict(), b.par_categorie.to_dict()) == (
        attendu.accidents, attendu.par_annee.to_dict(), attendu.par_categorie.to_dict())
    _table_accidents_neuve()


def test_accidents_sans_cache_inscriptible(tmp_path, monkeypatch):
    from alacarte.tableaux_de_bord import securite

    attendu = securite.bilan("commune:38185", (2005, 2020))
    bloque = tmp_path / "fichier"
    bloque.write_text("pas un dossier")
    monkeypatch.setenv("ALACARTE_CACHE", str(bloque / "cache"))  # cannot be created
    t = _table_accidents_neuve()
    assert not any(isinstance(v, np.memmap) for v in t.colonnes.values())
    b = securite.bilan("commune:38185", (2005, 2020))
    assert (b.accidents, b.tues, b.par_heure.tolist()) == (attendu.accidents, attendu.tues, attendu.par_heure.tolist())
    _table_accidents_neuve()


# --------------------------------------------------------------------------------------------
# upload
# --------------------------------------------------------------------------------------------

MALFORMES = {
    "vide": (b"", "vide"),
    "binaire": (bytes(range(256)) * 40, "binaire"),
    "xlsx": (b"PK\x03\x04" + b"\x00" * 100, "Excel"),
    "entete seule": (b"code;valeur\n", "que la ligne d'en-t"),
    "trop gros": (b"a" * 10_000_001, "limite est 10,0 Mo"),
    "une colonne": (b"code\n01001\n", "Une seule colonne"),
    "espaces": (b"   \n\n  ", "aucune donn"),
}


@pytest.mark.parametrize("nom", list(MALFORMES))
def test_fichiers_malformes_refuses_en_francais(nom):
    from alacarte.tableaux_de_bord import vos_donnees

    contenu, attendu = MALFORMES[nom]
    with pytest.raises(vos_donnees.FichierRefuse, match=attendu):
        vos_donnees.lire(contenu, nom)


def test_encodages_et_separateurs():
    from alacarte.tableaux_de_bord import vos_donnees

    texte = "commune;valeur\nSaint-Étienne;4\nL'Isle-d'Abeau;2,5\n"
    for enc, libelle in [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252"), ("utf-16", "UTF-16")]:
        lec = vos_donnees.lire(texte.encode(enc))
        assert lec.encodage.startswith(libelle), enc
        assert lec.table["commune"].tolist() == ["Saint-Étienne", "L'Isle-d'Abeau"]
    assert vos_donnees.lire(b"a,b\n1,2\n").separateur == ","
    assert vos_donnees.lire(b"a\tb\n1\t2\n").separateur == "\t"
    dup = vos_donnees.lire(b"code;code;v\n01001;x;1\n")
    assert list(dup.table.columns) == ["code", "code (2)", "v"] and dup.avertissements


def test_appariement_et_raisons():
    from alacarte.tableaux_de_bord import vos_donnees

    csv_ = ("code;valeur\n01001;1\n1002;2\n38185;1 200,5\n99999;4\n38000;5\n01001;6\nGrenoble;7\nSaint-Denis;8\n"
            "38186;\n" + f"{HOSTILES[0]};9\n")
    lec = vos_donnees.lire(csv_.encode())
    assert vos_donnees.colonnes_probables(lec.table) == ("code", "valeur")
    app = vos_donnees.apparier(lec.table, "code", "valeur")
    assert app.apparies["code"].tolist() == ["01001", "01002", "38185"]
    assert app.apparies["valeur"].tolist() == [1.0, 2.0, 1200.5]
    assert app.zeros_ajoutes == 1
    raisons = dict(zip(app.non_apparies["ligne"], app.non_apparies["raison"], strict=True))
    assert "inconnu" in raisons[5] and "code postal" in raisons[6] and "déjà présente" in raisons[7]
    assert "déjà présente" in raisons[8] and "4 communes" in raisons[9] and "valeur vide" in raisons[10]
    assert "inconnu" in raisons[11]


# --------------------------------------------------------------------------------------------
# maps: offline and escaped
# --------------------------------------------------------------------------------------------

def test_carte_hors_ligne_et_echappee():
    import geopandas as gpd
    from shapely.geometry import Polygon

    from alacarte.tableaux_de_bord import cartes

    gdf = gpd.GeoDataFrame({"nom": HOSTILES, "v": [*range(1, len(HOSTILES)), np.nan]},
                           geometry=[Polygon([(i, 45), (i + 1, 45), (i + 1, 46)]) for i in range(len(HOSTILES))],
                           crs=4326)
    res = cartes.carte_choroplethe(gdf, "v", "titre <b>`${x}` {{ 7*7 }}", points=pd.DataFrame(
        {"latitude": [45.5], "longitude": [1.5], "gravite": ["mortel"], "libelle": [HOSTILES[0]]}))
    iframe = res["html"]
    assert 'sandbox="allow-scripts"' in iframe and "allow-same-origin" not in iframe
    doc = html.unescape(re.search(r'srcdoc="(.*?)"></iframe>', iframe, re.S).group(1))
    assert not re.search(r"<(?:script|link|img)\b[^>]*\b(?:src|href)\s*=", doc) and "<link" not in doc
    assert "L.map(" in doc and "Leaflet" in doc  # Leaflet is inlined
    assert "jQuery" not in doc and "d3.scale" not in doc  # no popup, no colormap: neither is needed
    carte = doc.split("L.map(", 1)[1]  # everything after the inlined Leaflet: the map and its data
    for h in HOSTILES:
        assert h not in carte, h
    assert "<img" not in carte and "${alert" not in carte and "`${" not in carte
    assert "&lt;img src=x onerror=alert(1)&gt;" in carte or "\\u0026lt;img" in carte
    assert "<b>" not in res["legende"]
    # the title (an uploaded column name) is shown as written, never run
    assert re.search(r"(&|\\u0026)#123;(&|\\u0026)#123; 7\*7 (&|\\u0026)#125;", carte)


def test_vues_echappent_les_donnees():
    from alacarte.tableaux_de_bord import interface, vos_donnees, vues

    lec = vos_donnees.lire(f"code;{HOSTILES[0]}\n{HOSTILES[0]};1\n".encode())
    app = vos_donnees.apparier(lec.table, "code", HOSTILES[0])
    page = vues.html_non_apparies(app) + vues.html_lecture(lec, HOSTILES[2]) + interface.message(HOSTILES[0])
    assert "<img" not in page and "<script>" not in page


def test_csv_export_chiffres():
    from alacarte.tableaux_de_bord import portrait, vues

    k = portrait.chiffres_cles("epci:200046977")
    texte = vues.csv_chiffres(k).decode("utf-8-sig")
    assert texte.startswith("indicateur;valeur") and f"population_2026;{k.population_2026}" in texte


def test_notebooks_ne_font_que_disposer_des_widgets():
    """No pandas computation in the dashboards: they import the package and lay out widgets."""
    import json

    for nb in (ROOT / "dashboards").glob("*.ipynb"):
        code = "\n".join("".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        assert "import pandas" not in code and "read_parquet" not in code and "groupby" not in code, nb.name


def test_prechauffer_builds_what_the_first_upload_needs(cache_module):
    """In a pre-heated kernel the lookup tables and the polygon reader are ready before any upload."""
    import sys

    from alacarte.tableaux_de_bord import preparation as prep
    from alacarte.tableaux_de_bord import vos_donnees

    vos_donnees._caches.clear()
    prep._contours_lus.cache_clear()
    vos_donnees.prechauffer()
    assert {"noms", "anciens", "postaux"} <= set(vos_donnees._caches)
    assert prep._contours_lus.cache_info().currsize == 1 and "geopandas" in sys.modules
    lec = vos_donnees.lire(b"code;valeur\n38185;1\n", "petit.csv")
    app = vos_donnees.apparier(lec.table, "code", "valeur")
    assert list(app.apparies["code"]) == ["38185"]
    assert len(vos_donnees._caches) == 3  # nothing else had to be built for this upload

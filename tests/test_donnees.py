"""Loading: correct dtypes (codes are text), provenance cards, clear French errors, integrity checks."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pandas as pd
import pytest

import alacarte
from alacarte import donnees
from alacarte.erreurs import DonneesAbimees, DonneesIntrouvables

CODE_COLUMNS = {  # column -> allowed lengths
    "code": {5, 9, 2, 3}, "commune": {5}, "code_commune_2026": {5}, "departement": {2, 3}, "region": {2},
    "epci": {9}, "siren": {9}, "chef_lieu": {5},
}
NAMES = sorted(alacarte.catalogue())


@pytest.mark.parametrize("name", [n for n in NAMES if alacarte.catalogue()[n]["format"] != "csv"])
def test_codes_are_text_of_the_right_length(name):
    df = alacarte.charger(name, territoire="France")
    for col, lengths in CODE_COLUMNS.items():
        if col not in df.columns:
            continue
        assert pd.api.types.is_string_dtype(df[col]), f"{name}.{col} is {df[col].dtype}"
        values = df[col].dropna()
        assert values.str.len().isin(lengths).all(), (name, col, values[~values.str.len().isin(lengths)].head())
        assert not values.str.contains(r"\.").any(), (name, col)


def test_commune_codes_keep_leading_zeros_and_corsica():
    communes = alacarte.charger("communes", territoire="France").set_index("code")
    assert communes.loc["01001", "nom"] == "L'Abergement-Clémenciat"
    assert communes.loc["2A004", "nom"] == "Ajaccio"
    assert communes.loc["2B033", "nom"] == "Bastia"
    assert set(communes.loc[communes.region == "94", "departement"]) == {"2A", "2B"}
    assert communes.loc["97411", "departement"] == "974"
    assert communes.index.is_unique
    assert communes.siren.dropna().str.fullmatch(r"\d{9}").all()


def test_communes_without_epci_are_only_the_islands():
    communes = alacarte.charger("communes", territoire="France")
    assert set(communes.loc[communes.epci.isna(), "code"]) == {"22016", "29083", "29155", "85113"}


def test_populations_series_matches_the_published_regional_totals():
    # regional totals of the three Etalab vintages (shared/data-sources.md, computed from the raw JSON)
    pops = alacarte.charger("populations", territoire="84")
    assert len(pops) == 4025
    assert pops.population_2026.sum() == 8_205_557
    assert pops.population_2024.sum() == 8_163_884
    assert pops.population_2021.sum() == 8_042_936


def test_populations_of_2026_agree_with_the_commune_list():
    pops = alacarte.charger("populations", territoire="France").set_index("code")
    communes = alacarte.charger("communes", territoire="France").set_index("code")
    assert pops.population_2026.equals(communes.population.reindex(pops.index))


def test_split_communes_are_flagged_not_invented():
    pops = alacarte.charger("populations", territoire="France").set_index("code")
    for code in ["15031", "15035", "15047", "15171"]:  # re-created in 2025 out of 15141
        assert pd.isna(pops.loc[code, "population_2021"]) and pd.isna(pops.loc[code, "population_2024"])
        assert "2021" in pops.loc[code, "non_comparable"]
    assert "2021" in pops.loc["15141", "non_comparable"]
    merged = pops[pops.communes_fusionnees != ""]
    # communes nouvelles created since 2021 sum their former parts: 01039 (a commune in the 2021 list)
    # is part of 01138 in 2026
    assert "01039" in pops.loc["01138", "communes_fusionnees"].split()
    assert pops.loc["01138", "population_2021"] > 0
    assert merged.communes_fusionnees.str.fullmatch(r"[0-9AB]{5}( [0-9AB]{5})*").all()


def test_region_tables_add_up():
    communes = alacarte.charger("communes", territoire="France")
    regions = alacarte.charger("regions", territoire="France").set_index("code")
    deps = alacarte.charger("departements", territoire="France").set_index("code")
    assert len(regions) == 18 and len(deps) == 101
    assert regions.population.sum() == communes.population.sum()
    assert (communes.groupby("departement").size() == deps.nb_communes).all()
    epci = alacarte.charger("epci", territoire="France")
    assert epci.code.is_unique and epci.nb_communes.sum() == communes.epci.notna().sum()


def test_geodata_loads_as_geodataframe_in_wgs84():
    gdf = alacarte.charger("communes_contours", territoire="departement:2A")
    assert isinstance(gdf, gpd.GeoDataFrame)
    assert gdf.crs.to_epsg() == 4326
    assert (gdf.departement == "2A").all() and len(gdf) > 100


def test_fiche_shows_provenance_in_french():
    card = alacarte.fiche("communes")
    values = card["Valeur"]
    assert values["Licence"].startswith("Licence Ouverte")
    assert values["Page officielle"].startswith("https://")
    assert values["Empreinte sha256"] == alacarte.catalogue()["communes"]["sha256"]
    assert "6.0.0" in values["Reconstruit depuis"]
    listing = alacarte.jeux_de_donnees()
    assert "communes_contours" in listing.index and (listing["lignes"] > 0).all()


def test_unknown_dataset_gives_french_error_with_suggestion():
    with pytest.raises(DonneesIntrouvables) as exc:
        alacarte.charger("comunes")
    assert "Vouliez-vous dire : communes" in str(exc.value)
    # in a notebook, IPython shows only this line, not the internal traceback
    assert exc.value._render_traceback_() == [f"❌ {exc.value}"]


def test_selected_columns_only():
    df = alacarte.charger("communes", colonnes=["code", "population"])
    assert list(df.columns) == ["code", "population"] and len(df) == 4025


@pytest.fixture
def copie_donnees(tmp_path, monkeypatch):
    """A private copy of datasets/ that a test may damage."""
    dest = tmp_path / "datasets"
    shutil.copytree(donnees.dossier_donnees(), dest, ignore=shutil.ignore_patterns("prepare"))
    monkeypatch.setenv("ALACARTE_DONNEES", str(dest))
    return dest


def test_corrupted_snapshot_is_detected_with_a_french_message(copie_donnees):
    path = copie_donnees / "communes" / "communes.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(DonneesAbimees) as exc:
        alacarte.charger("communes", territoire="France")
    assert "abîmé" in str(exc.value) and "git checkout" in str(exc.value)


def test_missing_snapshot_is_explained(copie_donnees):
    (copie_donnees / "epci" / "epci.parquet").unlink()
    with pytest.raises(DonneesIntrouvables, match="manque"):
        alacarte.charger("epci")


def test_loading_needs_no_network(sans_reseau):
    for name in NAMES:
        df = alacarte.charger(name)
        assert len(df) > 0, name


def test_fiche_displays_long_texts_in_full():
    card = alacarte.fiche("accidents")
    producteur = alacarte.catalogue()["accidents"]["producer"]
    assert len(producteur) > 50
    assert producteur in repr(card) and producteur in card._repr_html_()

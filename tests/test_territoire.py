"""The territory setting: régions 84, 53, 94, a département, an EPCI; names; errors; environment."""

from __future__ import annotations

import pytest

import alacarte
from alacarte.erreurs import DonneesIntrouvables
from alacarte.territoires import choisir_territoire, territoire, trouver_territoire

NATIONAL = alacarte.charger("communes", territoire="France")


def test_default_is_auvergne_rhone_alpes():
    t = territoire()
    assert (t.niveau, t.code, t.nom) == ("region", "84", "Auvergne-Rhône-Alpes")
    assert len(t.communes) == 4025


def test_environment_variable_sets_the_territory(monkeypatch):
    monkeypatch.setenv("ALACARTE_TERRITOIRE", "departement:38")
    t = choisir_territoire(afficher=False)
    assert (t.niveau, t.code, t.nom) == ("departement", "38", "Isère")


@pytest.mark.parametrize("code", ["84", "53", "94"])
def test_region_filter(code):
    choisir_territoire(code, afficher=False)
    expected = NATIONAL[NATIONAL.region == code]
    communes = alacarte.charger("communes")
    assert sorted(communes.code) == sorted(expected.code)
    regions = alacarte.charger("regions")
    assert list(regions.code) == [code]
    deps = alacarte.charger("departements")
    assert set(deps.code) == set(expected.departement)
    epci = alacarte.charger("epci")
    assert set(epci.code) == set(expected.epci.dropna())
    contours = alacarte.charger("communes_contours")
    assert set(contours.code) <= set(expected.code) and len(contours) >= len(expected) - 5


def test_corsica_has_two_departements():
    choisir_territoire("94", afficher=False)
    assert set(alacarte.charger("departements").code) == {"2A", "2B"}


def test_departement_filter():
    t = choisir_territoire("departement:38", afficher=False)
    communes = alacarte.charger("communes")
    assert (communes.departement == "38").all()
    assert len(communes) == (NATIONAL.departement == "38").sum() == len(t.communes)
    assert list(alacarte.charger("regions").code) == ["84"]


def test_epci_filter_follows_member_communes():
    t = choisir_territoire("200046977", afficher=False)  # Métropole de Lyon
    assert t.niveau == "epci"
    communes = alacarte.charger("communes")
    epci = alacarte.charger("epci")
    assert list(epci.code) == ["200046977"]
    assert len(communes) == epci.nb_communes.iloc[0] == (NATIONAL.epci == "200046977").sum()
    assert "69123" in set(communes.code)  # Lyon


def test_epci_across_a_regional_border_belongs_to_both():
    epci = alacarte.charger("epci", territoire="France")
    crossing = epci[epci.regions.str.contains(" ")].iloc[0]
    for reg in crossing.regions.split():
        assert crossing.code in set(alacarte.charger("epci", territoire=f"region:{reg}").code)


def test_names_and_explicit_levels():
    assert trouver_territoire("Isère").code == "38"
    assert trouver_territoire("bretagne").code == "53"
    assert trouver_territoire("departement:53").nom == "Mayenne"
    assert trouver_territoire("53").niveau == "region"  # a bare shared code is the région
    assert trouver_territoire("2A").nom == "Corse-du-Sud"
    assert trouver_territoire("commune:69123").nom == "Lyon"


def test_ambiguous_code_prints_how_to_pick_the_other(capsys):
    choisir_territoire("53")
    out = capsys.readouterr().out
    assert "Bretagne" in out and "departement:53" in out and "Mayenne" in out


def test_unknown_code_names_close_matches():
    with pytest.raises(DonneesIntrouvables) as exc:
        trouver_territoire("Isre")
    assert "Territoire inconnu" in str(exc.value) and "Isère" in str(exc.value)
    with pytest.raises(DonneesIntrouvables, match="Niveau inconnu"):
        trouver_territoire("canton:38")
    with pytest.raises(DonneesIntrouvables):
        trouver_territoire("99")


def test_explicit_territory_argument_does_not_change_the_setting():
    choisir_territoire("84", afficher=False)
    bzh = alacarte.charger("communes", territoire="53")
    assert (bzh.region == "53").all()
    assert territoire().code == "84"

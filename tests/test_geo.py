"""Polygons: every 2026 commune has one (but the documented exceptions), dissolved levels cover their
communes without gaps, town halls lie in their commune."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

import alacarte

# communes re-created in 2025 by splitting 15141: no polygon exists for them in any source we ship
SANS_CONTOUR = {"15031", "15035", "15047", "15171"}
REGIONS_TESTEES = ["84", "53", "94"]
LAMBERT93 = 2154


@pytest.fixture(scope="module")
def contours():
    return alacarte.charger("communes_contours", territoire="France")


def test_every_2026_commune_has_a_polygon_but_the_listed_ones(contours):
    communes = alacarte.charger("communes", territoire="France")
    assert set(communes.code) - set(contours.code) == SANS_CONTOUR
    assert set(contours.code) <= set(communes.code)
    assert contours.code.is_unique
    readme = (alacarte.donnees.dossier_donnees() / "communes_contours" / "README.md").read_text(encoding="utf-8")
    for code in SANS_CONTOUR:
        assert code in readme


def test_polygons_are_valid_and_in_wgs84(contours):
    assert contours.crs.to_epsg() == 4326
    assert contours.geometry.is_valid.all() and not contours.geometry.is_empty.any()
    assert set(contours.geom_type) == {"MultiPolygon"}
    minx, miny, maxx, maxy = contours[contours.region == "84"].total_bounds
    assert 2.0 < minx < maxx < 7.3 and 44.0 < miny < maxy < 46.9  # Auvergne-Rhône-Alpes


def test_rebuilt_communes_have_their_whole_territory(contours):
    # chef-lieu codes that changed: the polygon is the union of the delegated communes' polygons
    rebuilt = contours[contours.code.isin(["12218", "14581", "49126", "69114"])].to_crs(LAMBERT93)
    assert len(rebuilt) == 4 and (rebuilt.contour == "fusion").all()
    for row in rebuilt.itertuples():
        parts = row.codes_concernes.split()
        assert row.code in parts and len(parts) >= 3  # each is a commune nouvelle of 3 or more communes
    assert (rebuilt.area > 10e6).all()


@pytest.mark.parametrize("region", REGIONS_TESTEES)
def test_dissolved_departements_and_region_cover_their_communes(contours, region):
    communes = contours[contours.region == region].to_crs(LAMBERT93)
    deps = alacarte.charger("departements_contours", territoire=region).to_crs(LAMBERT93)
    assert set(deps.code) == set(communes.departement)
    for dep in deps.itertuples():
        union = shapely.union_all(communes[communes.departement == dep.code].geometry.values)
        ecart = shapely.symmetric_difference(union, dep.geometry).area
        assert ecart / dep.geometry.area < 1e-4, (dep.code, ecart)
    reg = alacarte.charger("regions_contours", territoire=region).to_crs(LAMBERT93)
    assert len(reg) == 1
    assert abs(reg.area.iloc[0] - communes.area.sum()) / reg.area.iloc[0] < 1e-4


@pytest.mark.parametrize("region", REGIONS_TESTEES)
def test_epci_polygons_cover_their_member_communes(contours, region):
    communes = contours[contours.region == region].to_crs(LAMBERT93)
    epci = alacarte.charger("epci_contours", territoire=region).to_crs(LAMBERT93).set_index("code")
    tous = alacarte.charger("communes_contours", territoire="France").to_crs(LAMBERT93)
    for code in communes.epci.dropna().unique():
        membres = tous[tous.epci == code]
        union = shapely.union_all(membres.geometry.values)
        assert shapely.symmetric_difference(union, epci.geometry[code]).area / union.area < 1e-4, code


def test_holes_in_departements_are_enclaves_not_gaps(contours):
    """Every hole inside a département polygon is filled by communes of another département."""
    deps = alacarte.charger("departements_contours", territoire="France")
    metro = contours[contours.departement.str.len() == 2]
    toutes = shapely.union_all(metro.geometry.values)
    trous = []
    for geom in deps[deps.code.str.len() == 2].geometry:
        for poly in getattr(geom, "geoms", [geom]):
            trous += [shapely.Polygon(r) for r in poly.interiors]
    assert trous, "the Enclave des papes at least should make a hole in the Drôme"
    serie = gpd.GeoSeries(trous, crs=4326).to_crs(LAMBERT93)
    couverte = gpd.GeoSeries([toutes], crs=4326).to_crs(LAMBERT93).iloc[0]
    llivia = shapely.Point(1.98, 42.46)  # Spanish enclave inside the Pyrénées-Orientales
    for trou, trou_wgs84 in zip(serie, trous, strict=True):
        if trou.area < 1e4 or trou_wgs84.contains(llivia):  # slivers under 1 ha; Llívia is not French
            continue
        assert trou.intersection(couverte).area / trou.area > 0.99


def test_town_halls_mostly_lie_in_their_commune(contours):
    mairies = alacarte.charger("mairies", territoire="84")
    points = mairies[mairies.geometry.notna() & ~mairies.geometry.is_empty]
    assert points.crs.to_epsg() == 4326 and set(points.geom_type) == {"Point"}
    joint = points.merge(contours[["code", "geometry"]].rename(columns={"geometry": "poly"}), on="code")
    dedans = shapely.contains(shapely.buffer(joint.poly.values, 0.002), joint.geometry.values)
    assert dedans.mean() > 0.9, dedans.mean()

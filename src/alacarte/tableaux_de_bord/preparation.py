"""Data prepared once for the dashboards: small tables and light geometries.

The shipped datasets are read once per machine and turned into a few compact files in the
download cache (``dossier_cache()/tableaux_de_bord/``), named after the sha256 of their inputs:
a kernel then reads a few megabytes in a fraction of a second, and keeps them in memory
(module-level cache) so that a change of territory only filters.

- ``communes()``: one row per 2026 commune with every figure the portrait needs (populations of
  the three vintages, area computed in a projected CRS, councillors by sex, town halls, road
  accidents of the last five years);
- ``accidents_agreges()``: road accidents 2016–2020 counted by the accident's département and
  région columns (the semantics of ``charger("accidents", territoire=...)``);
- ``contours(niveau)``: polygons of communes, EPCI, départements or régions, simplified as a
  coverage (shared borders stay shared) and rounded to 1e-4 degree (about 10 m);
- ``accidents()``: the national road-accident tables reduced to the columns the road-safety
  dashboard draws, one memory-mapped ``.npy`` file per column, rows sorted by territory.

If the cache folder cannot be written, everything is computed in memory (slower first view).
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from alacarte.donnees import _fiche_brute, chemin, dossier_cache

VERSION = "5"  # bump when a derived table changes shape or meaning

# Projected CRS for areas: Lambert-93 in metropolitan France, the official local UTM projections overseas.
CRS_SURFACE = {"971": 5490, "972": 5490, "973": 2972, "974": 2975, "976": 4471}
CRS_METROPOLE = 2154

# Road accidents: the last five years of the shipped series.
ANNEES_RECENTES = (2016, 2020)

NIVEAUX_CONTOURS = {"commune": "communes_contours", "epci": "epci_contours",
                    "departement": "departements_contours", "region": "regions_contours"}
# topology-preserving simplification tolerance (degrees) per level: the maps are seen at the
# scale of a département or a région, a few hundred pixels wide
TOLERANCE = {"commune": 0.0007, "epci": 0.0015, "departement": 0.002, "region": 0.003}

GRAVITES = ["mortel", "grave non mortel", "léger"]
CATEGORIES_USAGER = ["conducteur", "passager", "piéton", "piéton en roller ou en trottinette"]
GRAVITES_USAGER = ["tué", "blessé hospitalisé", "blessé léger", "indemne"]


# --------------------------------------------------------------------------------------------
# disk cache
# --------------------------------------------------------------------------------------------

def _systeme_memoire() -> None:
    """Arrow's default pool (mimalloc) keeps freed memory for reuse; a dashboard kernel reads a few
    tables once, so the system allocator, trimmed after each read, keeps its footprint small."""
    try:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    except Exception:
        pass


def liberer() -> None:
    """Give memory freed after a big read back to the system."""
    try:
        import ctypes

        import pyarrow as pa

        pa.default_memory_pool().release_unused()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except Exception:
        pass


_systeme_memoire()


def _empreinte(*noms: str) -> str:
    h = hashlib.sha256(VERSION.encode())
    for nom in noms:
        h.update(_fiche_brute(nom)["sha256"].encode())
    return h.hexdigest()[:16]


def _dossier() -> Path:
    return dossier_cache() / "tableaux_de_bord"


def _chemin_cache(nom: str, entrees: tuple[str, ...]) -> Path:
    return _dossier() / f"{nom}-{_empreinte(*entrees)}.parquet"


def _ecrire(df, path: Path, row_group_size: int | None = None) -> bool:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        df.to_parquet(tmp, index=False, row_group_size=row_group_size)
        os.replace(tmp, path)  # atomic: simultaneous kernels never read half a file
        return True
    except OSError:
        return False  # read-only cache: keep the table in memory only


def _en_cache(nom: str, entrees: tuple[str, ...], construire, geo: bool = False, row_group_size=None):
    """Read ``nom`` from the disk cache, or build it with ``construire()`` and store it."""
    path = _chemin_cache(nom, entrees)
    lire = _lire_geo if geo else pd.read_parquet
    if path.exists():
        try:
            df = lire(path)
            liberer()
            return df
        except Exception:  # a truncated or corrupted cache file: rebuild it
            path.unlink(missing_ok=True)
    df = construire()
    _ecrire(df, path, row_group_size)
    liberer()
    return df


def _lire_geo(path):
    import geopandas as gpd

    return gpd.read_parquet(path)


# --------------------------------------------------------------------------------------------
# communes with their figures
# --------------------------------------------------------------------------------------------

def surfaces_km2(gdf) -> pd.Series:
    """Area in km² of each polygon, projected in Lambert-93 (metropole) or the local CRS (DROM)."""
    surf = pd.Series(np.nan, index=gdf.index, dtype="float64")
    dep = gdf["departement"].astype(str)
    for code_dep, epsg in [*CRS_SURFACE.items(), (None, CRS_METROPOLE)]:
        masque = ~dep.isin(list(CRS_SURFACE)) if code_dep is None else dep == code_dep
        if masque.any():
            surf[masque] = gdf.loc[masque].geometry.to_crs(epsg).area.to_numpy() / 1e6
    return surf


def _construire_communes() -> pd.DataFrame:
    import geopandas as gpd

    ref = pd.read_parquet(chemin("communes"), columns=[
        "code", "nom", "epci", "epci_nom", "departement", "departement_nom", "region", "region_nom"])
    pop = pd.read_parquet(chemin("populations"), columns=[
        "code", "population_2021", "population_2024", "population_2026", "non_comparable"])
    elus = pd.read_parquet(chemin("elus_parite"))
    f_cols = [c for c in elus.columns if c.endswith("_f")]
    elus = pd.DataFrame({
        "code": elus["code"],
        "elus": elus["elus_total"],
        "elus_f": elus[f_cols].sum(axis=1),
        "maires": elus["maires_f"] + elus["maires_h"],
        "maires_f": elus["maires_f"],
    })
    mairies = pd.read_parquet(chemin("mairies"), columns=["code", "accessibilite"])
    mairies = mairies.assign(
        mairies=1,
        # ACC (accessible) and DEM (on request) are information; NAC is the source's default value
        mairies_acces_renseigne=mairies["accessibilite"].isin(["ACC", "DEM"]).astype("int64"),
    ).groupby("code", as_index=False)[["mairies", "mairies_acces_renseigne"]].sum()
    geo = gpd.read_parquet(chemin("communes_contours"), columns=["code", "departement", "contour", "geometry"])
    geo = pd.DataFrame({"code": geo["code"], "contour": geo["contour"], "superficie_km2": surfaces_km2(geo)})
    acc = pd.read_parquet(chemin("accidents"), columns=["code_commune_2026", "annee"],
                          filters=[("annee", ">=", ANNEES_RECENTES[0]), ("annee", "<=", ANNEES_RECENTES[1])])
    acc = acc["code_commune_2026"].value_counts().rename("accidents_5ans").rename_axis("code").reset_index()
    df = (ref.merge(pop, on="code", how="left").merge(elus, on="code", how="left")
          .merge(mairies, on="code", how="left").merge(geo, on="code", how="left")
          .merge(acc, on="code", how="left"))
    for col in ["mairies", "mairies_acces_renseigne", "accidents_5ans", "elus", "elus_f", "maires", "maires_f"]:
        df[col] = df[col].fillna(0).astype("int64")
    df["comparable_2021"] = ~df["non_comparable"].fillna("").str.contains("2021")
    df = df.drop(columns="non_comparable")
    for col in ["code", "nom", "epci", "epci_nom", "departement", "departement_nom", "region", "region_nom",
                "contour"]:
        df[col] = df[col].astype("string")
    return df


def _construire_accidents_agreges() -> pd.DataFrame:
    acc = pd.read_parquet(chemin("accidents"), columns=["departement", "region", "annee"],
                          filters=[("annee", ">=", ANNEES_RECENTES[0]), ("annee", "<=", ANNEES_RECENTES[1])])
    parts = [
        acc["departement"].value_counts().rename_axis("code").reset_index().assign(niveau="departement"),
        acc["region"].value_counts().rename_axis("code").reset_index().assign(niveau="region"),
        pd.DataFrame({"code": ["FR"], "count": [len(acc)], "niveau": ["france"]}),
    ]
    out = pd.concat(parts, ignore_index=True).rename(columns={"count": "accidents_5ans"})
    out["code"] = out["code"].astype("string")
    return out[["niveau", "code", "accidents_5ans"]]


@functools.cache
def communes() -> pd.DataFrame:
    """One row per 2026 commune with the portrait's figures (see the module docstring)."""
    entrees = ("communes", "populations", "elus_parite", "mairies", "communes_contours", "accidents")
    df = _en_cache("communes", entrees, _construire_communes)
    df.index = pd.Index(df["code"].to_numpy(), name=None)
    return df


@functools.cache
def accidents_agreges() -> pd.DataFrame:
    """Accidents of the last five years counted by département and région columns (and France)."""
    return _en_cache("accidents_agreges", ("accidents",), _construire_accidents_agreges)


# --------------------------------------------------------------------------------------------
# light geometries
# --------------------------------------------------------------------------------------------

def alleger(geometries, tolerance: float, decimales: int = 4):
    """Coverage simplification (shared borders stay shared, no gaps) then rounding of coordinates."""
    import shapely

    geoms = np.asarray(geometries, dtype=object)
    try:
        simples = shapely.coverage_simplify(geoms, tolerance=tolerance)
    except Exception:  # an invalid coverage: fall back to per-polygon simplification
        simples = shapely.simplify(geoms, tolerance, preserve_topology=True)
    arrondies = shapely.transform(simples, lambda xy: np.round(xy, decimales))
    return shapely.make_valid(arrondies)


def _construire_contours(niveau: str):
    import geopandas as gpd

    gdf = gpd.read_parquet(chemin(NIVEAUX_CONTOURS[niveau]), columns=["code", "geometry"])
    # simplify each département (or each région) as its own coverage: faster, and identical borders
    if niveau == "commune":
        deps = pd.read_parquet(chemin("communes"), columns=["code", "departement"]).set_index("code")["departement"]
        groupes = gdf["code"].map(deps).fillna("?")
    else:
        groupes = pd.Series("tout", index=gdf.index)
    geoms = gdf.geometry.values.copy()
    for _, idx in gdf.groupby(groupes).indices.items():
        geoms[idx] = alleger(gdf.geometry.values[idx], TOLERANCE[niveau])
    out = gpd.GeoDataFrame({"code": gdf["code"].astype("string")}, geometry=geoms, crs=gdf.crs)
    return out.sort_values("code").reset_index(drop=True)


@functools.cache
def _contours_tous(niveau: str):
    # small row groups sorted by code: a filtered read touches only the groups it needs
    gdf = _en_cache(f"contours_{niveau}", (NIVEAUX_CONTOURS[niveau], "communes"),
                    lambda: _construire_contours(niveau), geo=True, row_group_size=2000)
    gdf.index = pd.Index(gdf["code"].to_numpy(), name=None)
    return gdf


@functools.lru_cache(maxsize=12)
def _contours_lus(niveau: str, codes: tuple):
    import geopandas as gpd

    path = _chemin_cache(f"contours_{niveau}", (NIVEAUX_CONTOURS[niveau], "communes"))
    gdf = gpd.read_parquet(path, filters=[("code", "in", list(codes))])
    gdf.index = pd.Index(gdf["code"].to_numpy(), name=None)
    return gdf


def contours(niveau: str, codes=None):
    """Light polygons of one level (commune, epci, departement, region), indexed by code.

    Commune polygons of all France weigh ~100 MB in memory: with ``codes``, only those rows are
    read from the cache file (small row groups sorted by code), so a kernel keeps only what it draws.
    """
    if codes is None or niveau != "commune":
        gdf = _contours_tous(niveau)
        return gdf if codes is None else gdf[gdf.index.isin(list(codes))]
    path = _chemin_cache(f"contours_{niveau}", (NIVEAUX_CONTOURS[niveau], "communes"))
    if not path.exists():
        _contours_tous.cache_clear()
        gdf = _construire_contours(niveau)
        if not _ecrire(gdf, path, 2000):
            return gdf[gdf["code"].isin(list(codes))].set_index(gdf["code"].to_numpy())
    return _contours_lus(niveau, tuple(sorted(codes)))


# --------------------------------------------------------------------------------------------
# road accidents: one memory-mapped array per column
# --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TableAccidents:
    """National road accidents 2005–2020 and the people involved, one numpy array per column.

    Accident rows are sorted by (région, département, commune): a région or a département is one
    range of rows, a commune a few. In the disk cache every column is a ``.npy`` file opened as a
    read-only memory map, so a kernel reads only the rows of the territory it shows and all the
    dashboard kernels of a machine share those pages (the system's page cache) instead of each
    holding its own copy (~80 MB).

    ``colonnes``: annee, heure (-1 unknown), jour (0 = lundi), gravite (index in GRAVITES),
    commune / departement / region (index in ``codes[...]``, -1 none), latitude, longitude (NaN
    when unknown), tues, hospitalises, blesses_legers; for people, u_categorie and u_gravite (index
    in CATEGORIES_USAGER / GRAVITES_USAGER), sorted by accident, those of accident ``i`` being rows
    ``u_debut[i]:u_debut[i + 1]``.
    """

    colonnes: dict[str, np.ndarray]
    codes: dict[str, np.ndarray]
    plages: dict[tuple[str, str], list[tuple[int, int]]] = field(repr=False)

    def __len__(self) -> int:
        return len(self.colonnes["annee"])

    def lignes(self, niveau: str, codes) -> np.ndarray:
        """Sorted row numbers of the accidents of these région, département or commune codes."""
        plages = sorted(p for c in codes for p in self.plages.get((niveau, str(c)), ()))
        if not plages:
            return np.empty(0, dtype=np.int64)
        return np.concatenate([np.arange(debut, fin, dtype=np.int64) for debut, fin in plages])


_COLONNES_ACCIDENTS = ("annee", "heure", "jour", "gravite", "commune", "departement", "region", "latitude",
                       "longitude", "tues", "hospitalises", "blesses_legers", "u_categorie", "u_gravite", "u_debut")
_PETITS = ("codes_commune", "codes_departement", "codes_region", "plages_niveau", "plages_code", "plages_debut",
           "plages_fin")


def _construire_accidents() -> dict[str, np.ndarray]:
    a = pd.read_parquet(chemin("accidents"), columns=[
        "num_acc", "date", "annee", "heure", "code_commune_2026", "departement", "region",
        "latitude", "longitude", "gravite", "nb_tues", "nb_hospitalises", "nb_blesses_legers"])
    a = a.sort_values(["region", "departement", "code_commune_2026"], kind="stable", na_position="last")
    a = a.reset_index(drop=True)
    t: dict[str, np.ndarray] = {
        "annee": a["annee"].to_numpy("int16"),
        "heure": a["heure"].fillna(-1).to_numpy("int8"),
        "jour": pd.to_datetime(a["date"].astype("datetime64[s]")).dt.day_of_week.to_numpy("int8"),
        "gravite": pd.Categorical(a["gravite"].astype(str), categories=GRAVITES).codes.astype("int8"),
        "latitude": a["latitude"].to_numpy("float32", na_value=np.nan),
        "longitude": a["longitude"].to_numpy("float32", na_value=np.nan),
        "tues": a["nb_tues"].to_numpy("int16"),
        "hospitalises": a["nb_hospitalises"].to_numpy("int16"),
        "blesses_legers": a["nb_blesses_legers"].to_numpy("int16"),
    }
    for nom, source in [("commune", "code_commune_2026"), ("departement", "departement"), ("region", "region")]:
        cat = a[source].astype("category")
        t[nom] = cat.cat.codes.to_numpy("int32")
        t[f"codes_{nom}"] = np.asarray(cat.cat.categories.astype(str), dtype="U")
    # row ranges: a région, a département, a commune within one département (rows are sorted so)
    niveaux, codes, debuts, fins = [], [], [], []
    cle = np.zeros(len(a), dtype=bool)
    for nom in ("region", "departement", "commune"):
        v = t[nom]
        cle[1:] |= v[1:] != v[:-1]
        bornes = np.flatnonzero(np.r_[True, cle[1:], True])
        for debut, fin in zip(bornes[:-1], bornes[1:], strict=True):
            if v[debut] >= 0:
                niveaux.append(nom)
                codes.append(t[f"codes_{nom}"][v[debut]])
                debuts.append(debut)
                fins.append(fin)
    t |= {"plages_niveau": np.asarray(niveaux, dtype="U"), "plages_code": np.asarray(codes, dtype="U"),
          "plages_debut": np.asarray(debuts, dtype="int64"), "plages_fin": np.asarray(fins, dtype="int64")}
    # people involved, sorted by the row of their accident
    num = a["num_acc"].astype("int64").to_numpy()
    u = pd.read_parquet(chemin("accidents_usagers"), columns=["num_acc", "categorie_usager", "gravite"])
    unum = u["num_acc"].astype("int64").to_numpy()
    ordre = np.argsort(num, kind="stable")
    pos = ordre[np.clip(np.searchsorted(num, unum, sorter=ordre), 0, len(num) - 1)]
    trouve = num[pos] == unum
    rangs = np.argsort(pos[trouve], kind="stable")
    u = u.loc[trouve]
    t["u_categorie"] = pd.Categorical(u["categorie_usager"].astype(str),
                                      categories=CATEGORIES_USAGER).codes.astype("int8")[rangs]
    t["u_gravite"] = pd.Categorical(u["gravite"].astype(str), categories=GRAVITES_USAGER).codes.astype("int8")[rangs]
    t["u_debut"] = np.searchsorted(pos[trouve][rangs], np.arange(len(a) + 1)).astype("int64")
    return t


def _table_accidents(t: dict[str, np.ndarray]) -> TableAccidents:
    n = len(t["annee"])
    if any(len(t[c]) != n for c in _COLONNES_ACCIDENTS[:12]) or len(t["u_debut"]) != n + 1 \
            or len(t["u_categorie"]) != len(t["u_gravite"]) or int(t["u_debut"][-1]) != len(t["u_gravite"]):
        raise ValueError("table des accidents incohérente")
    plages: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for niveau, code, debut, fin in zip(t["plages_niveau"].tolist(), t["plages_code"].tolist(),
                                        t["plages_debut"].tolist(), t["plages_fin"].tolist(), strict=True):
        plages.setdefault((niveau, code), []).append((debut, fin))
    return TableAccidents(colonnes={c: t[c] for c in _COLONNES_ACCIDENTS},
                          codes={c: t[f"codes_{c}"] for c in ("commune", "departement", "region")}, plages=plages)


def _ecrire_colonnes(t: dict[str, np.ndarray], dossier: Path) -> bool:
    """One ``.npy`` per column in a new folder renamed into place (simultaneous kernels never see half)."""
    try:
        dossier.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=dossier.parent, suffix=".tmp"))
        for nom, valeurs in t.items():
            np.save(tmp / f"{nom}.npy", valeurs, allow_pickle=False)
        try:
            os.rename(tmp, dossier)
        except OSError:  # another kernel was faster: keep its folder
            shutil.rmtree(tmp, ignore_errors=True)
        return dossier.is_dir()
    except OSError:
        return False


def _lire_colonnes(dossier: Path) -> dict[str, np.ndarray]:
    return {nom: np.load(dossier / f"{nom}.npy", mmap_mode=None if nom in _PETITS else "r", allow_pickle=False)
            for nom in (*_COLONNES_ACCIDENTS, *_PETITS)}


@functools.cache
def accidents() -> TableAccidents:
    """The national road accidents and the people involved, memory-mapped (see ``TableAccidents``)."""
    dossier = _dossier() / f"accidents-{_empreinte('accidents', 'accidents_usagers')}"
    if dossier.is_dir():
        try:
            return _table_accidents(_lire_colonnes(dossier))
        except Exception:  # a truncated or corrupted cache folder: rebuild it
            shutil.rmtree(dossier, ignore_errors=True)
    t = _construire_accidents()
    liberer()
    if _ecrire_colonnes(t, dossier):
        try:
            return _table_accidents(_lire_colonnes(dossier))
        except Exception:
            pass
    return _table_accidents(t)  # read-only cache: keep the arrays in memory


def preparer() -> None:
    """Build every derived table now (``python -m alacarte.tableaux_de_bord``), e.g. at image build time."""
    communes()
    accidents_agreges()
    for niveau in NIVEAUX_CONTOURS:
        if niveau == "commune":
            contours(niveau, ["01001"])
        else:
            contours(niveau)
    accidents()

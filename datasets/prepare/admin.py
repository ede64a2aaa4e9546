"""Administrative reference tables from @etalab/decoupage-administratif (vintages 2021, 2024, 2026).

Writes (national: metropolitan France and the five DROM; the overseas collectivities of
the `com` zone are left out because the INSEE legal populations and the polygons do not
cover them):

- ``communes/communes.parquet``       the 2026 official commune list with EPCI, département, région
- ``populations/populations.parquet`` populations of the 2021, 2024 and 2026 vintages on the 2026 codes
- ``epci/epci.parquet``               EPCI à fiscalité propre 2026
- ``departements/departements.parquet``
- ``regions/regions.parquet``

Usage (from the repository root): ``python datasets/prepare/admin.py``
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources import DATASETS, extract  # noqa: E402

VINTAGES = {"2021": "etalab-2021", "2024": "etalab-2024", "2026": "etalab-2026"}
OVERSEAS_COLLECTIVITIES = ("975", "977", "978", "98")
ETALAB_PAGE = "https://github.com/etalab/decoupage-administratif"
LICENCE = {"name": "Licence Ouverte 2.0", "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"}
PRODUCER = "INSEE (Code officiel géographique, populations légales) et DGCL (EPCI), compilés par Etalab"
ATTRIBUTION = (
    "Source : INSEE et DGCL, via Etalab, @etalab/decoupage-administratif {version} "
    "(Licence Ouverte 2.0)"
)


def read_json(key: str, name: str) -> list[dict]:
    return json.loads((extract(key) / "package" / "data" / f"{name}.json").read_text(encoding="utf-8"))


def current_communes(entries: list[dict]) -> dict[str, dict]:
    # the `zone` field is absent from the 2021 vintage: recognise the overseas collectivities by code
    return {e["code"]: e for e in entries
            if e["type"] == "commune-actuelle" and not e["code"].startswith(OVERSEAS_COLLECTIVITIES)}


def code_to_2026(entries_2026: list[dict]) -> dict[str, str]:
    """Map every code that ever denoted a piece of a 2026 commune to that 2026 commune.

    Uses the 2026 list only, in this priority when a code appears several times: a current
    commune is itself; a municipal arrondissement belongs to Paris, Lyon or Marseille; a delegated
    or associated commune belongs to its ``chefLieu``; last, a code listed in ``anciensCodes``
    belongs to the commune nouvelle that absorbed it. (55273 and 60455, delegated communes, are
    also listed as former codes of another commune: the explicit ``chefLieu`` wins, and their
    polygons indeed lie inside their chef-lieu.)
    """
    current = current_communes(entries_2026)
    mapping = {code: code for code in current}
    for e in entries_2026:
        if e["type"] == "arrondissement-municipal":
            mapping.setdefault(e["code"], e["commune"])
    for e in entries_2026:
        if e["type"] in ("commune-deleguee", "commune-associee") and e.get("chefLieu") in current:
            mapping.setdefault(e["code"], e["chefLieu"])
    for e in current.values():
        for old in e.get("anciensCodes", []):
            mapping.setdefault(old, e["code"])
    return mapping


def build_communes(entries: list[dict], epci: list[dict], deps: list[dict], regs: list[dict]) -> pd.DataFrame:
    current = current_communes(entries)
    member_of = {m["code"]: (e["code"], e["nom"]) for e in epci for m in e["membres"]}
    dep_name = {d["code"]: d["nom"] for d in deps}
    reg_name = {r["code"]: r["nom"] for r in regs}
    rows = []
    for code, e in sorted(current.items()):
        epci_code, epci_nom = member_of.get(code, (None, None))
        rows.append({
            "code": code,
            "nom": e["nom"],
            "departement": e["departement"],
            "departement_nom": dep_name[e["departement"]],
            "region": e["region"],
            "region_nom": reg_name[e["region"]],
            "epci": epci_code,
            "epci_nom": epci_nom,
            "arrondissement": e.get("arrondissement"),
            "siren": e.get("siren"),
            "codes_postaux": " ".join(e.get("codesPostaux", [])),
            "population": e.get("population"),
            "zone": e["zone"],
        })
    df = pd.DataFrame(rows)
    for col in df.columns:
        if col != "population":
            df[col] = df[col].astype("string")
    df["population"] = df["population"].astype("Int64")
    assert df.code.str.len().eq(5).all() and df.siren.dropna().str.len().eq(9).all()
    return df


def build_populations(all_entries: dict[str, list[dict]], communes: pd.DataFrame) -> pd.DataFrame:
    """Populations of each vintage summed onto the 2026 communes.

    A commune of an older vintage is attributed to the 2026 commune its code maps to
    (merged communes are summed). A 2026 commune that did not exist as a commune in an
    older vintage (re-created by splitting a commune nouvelle) gets no figure for that
    vintage, and the commune it was split from is flagged as not comparable.
    """
    mapping = code_to_2026(all_entries["2026"])
    out = communes[["code", "nom", "departement", "region"]].copy()
    merged_into: dict[str, set[str]] = defaultdict(set)
    not_comparable: dict[str, set[str]] = defaultdict(set)
    for vintage, entries in all_entries.items():
        current = current_communes(entries)
        totals: dict[str, int] = defaultdict(int)
        for code, e in current.items():
            target = mapping.get(code)
            assert target is not None, f"{vintage}: {code} {e['nom']} has no 2026 commune"
            totals[target] += e.get("population") or 0
            if target != code:
                merged_into[target].add(code)
        absent = [c for c in out.code if c not in totals]
        # where did the absent ones live in that vintage? (delegated commune of a commune nouvelle)
        parent_then = {e["code"]: e.get("chefLieu") for e in entries
                       if e["type"] in ("commune-deleguee", "commune-associee")}
        for code in absent:
            parent = parent_then.get(code)
            assert parent is not None, f"{vintage}: 2026 commune {code} unknown"
            not_comparable[mapping[parent]].add(vintage)
            not_comparable[code].add(vintage)
        out[f"population_{vintage}"] = out.code.map(dict(totals)).astype("Int64")  # plain dict: no default 0
    out["communes_fusionnees"] = out.code.map(lambda c: " ".join(sorted(merged_into.get(c, ())))).astype("string")
    out["non_comparable"] = out.code.map(lambda c: " ".join(sorted(not_comparable.get(c, ())))).astype("string")
    return out


def build_epci(epci: list[dict], communes: pd.DataFrame) -> pd.DataFrame:
    by_code = communes.set_index("code")
    rows = []
    for e in sorted(epci, key=lambda e: e["code"]):
        members = [m["code"] for m in e["membres"] if m["code"] in by_code.index]
        if not members:
            continue
        sub = by_code.loc[members]
        dep_pop = sub.groupby("departement")["population"].sum().sort_values(ascending=False, kind="stable")
        reg_pop = sub.groupby("region")["population"].sum().sort_values(ascending=False, kind="stable")
        rows.append({
            "code": e["code"],
            "nom": e["nom"],
            "type": e["type"],
            "financement": e.get("modeFinancement"),
            "population": int(sub["population"].sum()),
            "population_totale": e.get("populationTotale"),
            "nb_communes": len(members),
            "departement": dep_pop.index[0],
            "region": reg_pop.index[0],
            "departements": " ".join(sorted(dep_pop.index)),
            "regions": " ".join(sorted(reg_pop.index)),
        })
    df = pd.DataFrame(rows)
    for col in ["code", "nom", "type", "financement", "departement", "region", "departements", "regions"]:
        df[col] = df[col].astype("string")
    for col in ["population", "population_totale", "nb_communes"]:
        df[col] = df[col].astype("Int64")
    return df


def build_departements(deps: list[dict], regs: list[dict], communes: pd.DataFrame) -> pd.DataFrame:
    reg_name = {r["code"]: r["nom"] for r in regs}
    agg = communes.groupby("departement").agg(population=("population", "sum"), nb_communes=("code", "size"))
    rows = []
    for d in sorted(deps, key=lambda d: d["code"]):
        if d["code"] not in agg.index:
            continue
        rows.append({
            "code": d["code"], "nom": d["nom"], "region": d["region"], "region_nom": reg_name[d["region"]],
            "chef_lieu": d["chefLieu"], "population": agg.population[d["code"]],
            "nb_communes": agg.nb_communes[d["code"]], "zone": d["zone"],
        })
    df = pd.DataFrame(rows)
    for col in ["code", "nom", "region", "region_nom", "chef_lieu", "zone"]:
        df[col] = df[col].astype("string")
    return df.astype({"population": "Int64", "nb_communes": "Int64"})


def build_regions(regs: list[dict], communes: pd.DataFrame) -> pd.DataFrame:
    agg = communes.groupby("region").agg(
        population=("population", "sum"), nb_communes=("code", "size"), nb_departements=("departement", "nunique")
    )
    rows = []
    for r in sorted(regs, key=lambda r: r["code"]):
        if r["code"] not in agg.index:
            continue
        rows.append({
            "code": r["code"], "nom": r["nom"], "chef_lieu": r["chefLieu"], "population": agg.population[r["code"]],
            "nb_communes": agg.nb_communes[r["code"]], "nb_departements": agg.nb_departements[r["code"]],
            "zone": r["zone"],
        })
    df = pd.DataFrame(rows)
    for col in ["code", "nom", "chef_lieu", "zone"]:
        df[col] = df[col].astype("string")
    return df.astype({"population": "Int64", "nb_communes": "Int64", "nb_departements": "Int64"})


def write(df: pd.DataFrame, relpath: str) -> None:
    path = DATASETS / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_parquet(path, index=False, compression="zstd")
    print(f"{relpath}: {len(df)} rows, {path.stat().st_size / 1e6:.2f} MB")


def main() -> None:
    entries = {v: read_json(k, "communes") for v, k in VINTAGES.items()}
    epci = read_json("etalab-2026", "epci")
    deps = read_json("etalab-2026", "departements")
    regs = read_json("etalab-2026", "regions")
    communes = build_communes(entries["2026"], epci, deps, regs)
    write(communes, "communes/communes.parquet")
    pops = build_populations(entries, communes)
    write(pops, "populations/populations.parquet")
    for vintage in VINTAGES:
        sub = pops[pops.region == "84"]
        print(f"  région 84, {vintage}: {sub[f'population_{vintage}'].sum():,} inhabitants")
    write(build_epci(epci, communes), "epci/epci.parquet")
    write(build_departements(deps, regs, communes), "departements/departements.parquet")
    write(build_regions(regs, communes), "regions/regions.parquet")
    print("2026 communes without EPCI:", ", ".join(communes[communes.epci.isna()].code))
    odd = pops[pops.non_comparable != ""]
    print("not comparable across vintages:", ", ".join(f"{c} ({v})" for c, v in zip(odd.code, odd.non_comparable, strict=True)))


def _etalab_source(built_from: list[str]) -> dict:
    return {
        "page": "https://geo.api.gouv.fr/decoupage-administratif",
        "download": "https://geo.api.gouv.fr/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,"
        "codeRegion,population&format=json",
        "built_from": built_from,
    }


COMMON = {
    "producer": PRODUCER,
    "licence": LICENCE,
    "prepared_by": "datasets/prepare/admin.py",
    "readme": "auto",
}

RECORDS = [
    {
        **COMMON,
        "name": "communes",
        "title": "Communes de France au 1er janvier 2026",
        "description": (
            "Liste officielle des communes (Code officiel géographique 2026) de métropole et des DROM, "
            "avec leur département, leur région, leur EPCI à fiscalité propre et leur population légale "
            "(millésime 2026). Une ligne par commune : c'est la table « pivot » que partagent tous les "
            "autres jeux de données."
        ),
        "attribution": ATTRIBUTION.format(version="6.0.0"),
        "source": {**_etalab_source(["etalab-2026"])},
        "vintage": {"codes": "COG 2026", "figures": "populations légales en vigueur au 1er janvier 2026"},
        "file": "communes/communes.parquet",
        "format": "parquet",
        "territory": {"commune": "code", "departement": "departement", "region": "region", "epci": "epci"},
        "columns": {
            "code": "code INSEE de la commune (5 caractères, texte : 01001, 2A004)",
            "nom": "nom officiel",
            "departement": "code du département (01, 2A, 974)",
            "departement_nom": "nom du département",
            "region": "code de la région (84 = Auvergne-Rhône-Alpes)",
            "region_nom": "nom de la région",
            "epci": "numéro SIREN de l'EPCI à fiscalité propre (9 caractères), vide pour 4 communes îles",
            "epci_nom": "nom de l'EPCI",
            "arrondissement": "code de l'arrondissement départemental",
            "siren": "numéro SIREN de la commune (9 caractères)",
            "codes_postaux": "codes postaux de la commune, séparés par des espaces",
            "population": "population municipale légale (millésime 2026)",
            "zone": "metro (métropole) ou drom (départements et régions d'outre-mer)",
        },
        "known_problems": [
            "Code postal et code INSEE sont deux choses différentes : une commune peut avoir plusieurs codes "
            "postaux, et un code postal couvrir plusieurs communes.",
            "Quatre communes îles n'appartiennent à aucun EPCI (22016 Île-de-Bréhat, 29083 Île-de-Sein, "
            "29155 Ouessant, 85113 L'Île-d'Yeu) : leur colonne epci est vide.",
            "Les collectivités d'outre-mer (Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, "
            "Polynésie, Nouvelle-Calédonie, Wallis-et-Futuna, TAAF, Clipperton) ne sont pas incluses.",
            "Paris, Lyon et Marseille sont des communes uniques ; leurs arrondissements municipaux ne sont "
            "pas des lignes de cette table.",
        ],
    },
    {
        **COMMON,
        "name": "populations",
        "title": "Populations légales des communes : millésimes 2021, 2024 et 2026",
        "description": (
            "Population municipale de chaque commune de 2026 selon trois millésimes du découpage "
            "administratif (2021, 2024, 2026). Les communes fusionnées depuis 2021 sont additionnées pour "
            "être comparées à périmètre 2026 ; la colonne communes_fusionnees dit lesquelles."
        ),
        "attribution": ATTRIBUTION.format(version="1.1.1, 4.1.0 et 6.0.0"),
        "source": {**_etalab_source(["etalab-2021", "etalab-2024", "etalab-2026"])},
        "vintage": {"codes": "COG 2026", "figures": "millésimes 2021, 2024 et 2026 des populations légales"},
        "file": "populations/populations.parquet",
        "format": "parquet",
        "territory": {"commune": "code", "departement": "departement", "region": "region"},
        "columns": {
            "code": "code INSEE de la commune en 2026",
            "nom": "nom en 2026",
            "departement": "code du département",
            "region": "code de la région",
            "population_2021": "population municipale du millésime 2021 (Etalab 1.1.1), sur le périmètre 2026",
            "population_2024": "population municipale du millésime 2024 (Etalab 4.1.0), sur le périmètre 2026",
            "population_2026": "population municipale du millésime 2026 (Etalab 6.0.0)",
            "communes_fusionnees": "codes des anciennes communes additionnées dans cette ligne (vide sinon)",
            "non_comparable": "millésimes où le périmètre n'est pas celui de 2026 (commune rétablie ou "
            "commune dont on l'a détachée) ; vide si la série est comparable",
        },
        "known_problems": [
            "Chaque millésime publie les populations légales d'une année de référence antérieure de trois ans "
            "(le millésime 2026 correspond au recensement de référence 2023).",
            "Communes rétablies (« défusionnées ») : 15031 Celles, 15035 Chalinargues, 15047 Chavagnac et "
            "15171 Sainte-Anastasie, détachées en 2025 de 15141 Neussargues en Pinatelle (Cantal), n'ont pas "
            "de population en 2021 ni en 2024 ; 60054 Beaumont-les-Nonains (détachée de 60694 Les "
            "Hauts-Talican), 85165 L'Oie et 85212 Sainte-Florence (détachées de 85084 Essarts-en-Bocage) n'en "
            "ont pas en 2021. La série des communes dont elles ont été détachées n'est pas comparable : la "
            "colonne non_comparable signale ces 10 communes.",
            "79 communes de 2026 additionnent des communes fusionnées depuis 2021 (colonne communes_fusionnees). "
            "Pour 5 d'entre elles (12218, 14581, 27676, 49126, 69114), c'est le code qui a changé : le code "
            "2026 (celui du nouveau chef-lieu) n'était pas un code de commune en 2021.",
            "Les populations de Mayotte reposent sur un recensement plus ancien (voir la page INSEE).",
        ],
    },
    {
        **COMMON,
        "name": "epci",
        "title": "EPCI à fiscalité propre au 1er janvier 2026",
        "description": (
            "Établissements publics de coopération intercommunale (communautés de communes, "
            "d'agglomération, urbaines, métropoles) avec leur population et leurs départements et régions."
        ),
        "attribution": ATTRIBUTION.format(version="6.0.0"),
        "source": {
            "page": "https://www.collectivites-locales.gouv.fr/institutions/liste-et-composition-des-epci-fiscalite-propre",
            "download": "https://geo.api.gouv.fr/epcis?fields=nom,code,population&format=json",
            "built_from": ["etalab-2026"],
        },
        "vintage": {"codes": "EPCI au 1er janvier 2026", "figures": "populations légales millésime 2026"},
        "file": "epci/epci.parquet",
        "format": "parquet",
        "territory": {"epci": "code"},
        "columns": {
            "code": "numéro SIREN de l'EPCI (9 caractères)",
            "nom": "nom de l'EPCI",
            "type": "CC communauté de communes, CA d'agglomération, CU urbaine, METRO métropole, MET69 "
            "Métropole de Lyon",
            "financement": "régime fiscal (FPU fiscalité professionnelle unique, FA fiscalité additionnelle)",
            "population": "somme des populations municipales des communes membres",
            "population_totale": "population totale (avec les personnes comptées à part) selon la DGCL",
            "nb_communes": "nombre de communes membres",
            "departement": "département qui porte la plus grande part de la population",
            "region": "région qui porte la plus grande part de la population",
            "departements": "tous les départements des communes membres, séparés par des espaces",
            "regions": "toutes les régions des communes membres, séparées par des espaces",
        },
        "known_problems": [
            "Certains EPCI s'étendent sur plusieurs départements, voire plusieurs régions : voir les colonnes "
            "departements et regions.",
        ],
    },
    {
        **COMMON,
        "name": "departements",
        "title": "Départements au 1er janvier 2026",
        "description": "Départements de métropole et d'outre-mer avec leur région, leur chef-lieu, leur "
        "population (somme des communes) et leur nombre de communes.",
        "attribution": ATTRIBUTION.format(version="6.0.0"),
        "source": {
            "page": "https://www.insee.fr/fr/information/2560452",
            "download": "https://geo.api.gouv.fr/departements?fields=nom,code,codeRegion&format=json",
            "built_from": ["etalab-2026"],
        },
        "vintage": {"codes": "COG 2026", "figures": "populations légales millésime 2026"},
        "file": "departements/departements.parquet",
        "format": "parquet",
        "territory": {"departement": "code", "region": "region"},
        "columns": {
            "code": "code du département (01, 2A, 974)",
            "nom": "nom",
            "region": "code de la région",
            "region_nom": "nom de la région",
            "chef_lieu": "code INSEE de la commune chef-lieu",
            "population": "somme des populations municipales des communes",
            "nb_communes": "nombre de communes",
            "zone": "metro ou drom",
        },
        "known_problems": [
            "Code 69 : le département du Rhône et la Métropole de Lyon partagent le même code département.",
        ],
    },
    {
        **COMMON,
        "name": "regions",
        "title": "Régions au 1er janvier 2026",
        "description": "Les 18 régions (13 en métropole, 5 d'outre-mer) avec chef-lieu, population et "
        "nombre de départements et de communes.",
        "attribution": ATTRIBUTION.format(version="6.0.0"),
        "source": {
            "page": "https://www.insee.fr/fr/information/2560452",
            "download": "https://geo.api.gouv.fr/regions?fields=nom,code&format=json",
            "built_from": ["etalab-2026"],
        },
        "vintage": {"codes": "COG 2026", "figures": "populations légales millésime 2026"},
        "file": "regions/regions.parquet",
        "format": "parquet",
        "territory": {"region": "code"},
        "columns": {
            "code": "code de la région (84 = Auvergne-Rhône-Alpes, 53 = Bretagne, 94 = Corse)",
            "nom": "nom",
            "chef_lieu": "code INSEE de la commune chef-lieu",
            "population": "somme des populations municipales des communes",
            "nb_communes": "nombre de communes",
            "nb_departements": "nombre de départements",
            "zone": "metro ou drom",
        },
        "known_problems": [],
    },
]


if __name__ == "__main__":
    main()

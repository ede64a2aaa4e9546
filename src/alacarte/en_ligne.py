"""Online refresh of the reference tables from the official API (geo.api.gouv.fr).

``charger("communes", en_ligne=True)`` downloads the current official list and returns it in the
same columns as the snapshot. Any failure (no network, silent server, truncated or unexpected
answer) prints a French message and returns None: the caller then reads the shipped snapshot.
"""

from __future__ import annotations

import json

import pandas as pd

from alacarte.erreurs import ErreurAlacarte, message

API = "https://geo.api.gouv.fr"

# dataset -> path of the official API call; CONVERSIONS turns its JSON into the snapshot's columns
RECETTES: dict[str, str] = {
    "communes": "/communes?fields=nom,code,codesPostaux,siren,codeEpci,codeDepartement,codeRegion,population"
    "&format=json",
    "departements": "/departements?fields=nom,code,codeRegion&format=json",
    "regions": "/regions?fields=nom,code&format=json",
    "epci": "/epcis?fields=nom,code,population&format=json",
}


def _communes(data: list[dict]) -> pd.DataFrame:
    from alacarte.donnees import charger

    deps = charger("departements", territoire="France").set_index("code")
    regs = charger("regions", territoire="France").set_index("code")
    epci = charger("epci", territoire="France").set_index("code")
    df = pd.DataFrame({
        "code": [d["code"] for d in data],
        "nom": [d["nom"] for d in data],
        "departement": [d.get("codeDepartement") for d in data],
        "region": [d.get("codeRegion") for d in data],
        "epci": [d.get("codeEpci") for d in data],
        "siren": [d.get("siren") for d in data],
        "codes_postaux": [" ".join(d.get("codesPostaux") or []) for d in data],
        "population": [d.get("population") for d in data],
    })
    df = df.astype({c: "string" for c in df.columns if c != "population"})
    df["population"] = df["population"].astype("Int64")
    # an address asking for fewer fields (fields=nom,code) leaves the codes empty: take them from
    # the reference list, so that the territory filter still finds the communes
    ref = charger("communes", territoire="France").set_index("code")
    for col in ["departement", "region", "epci", "siren"]:
        df[col] = df[col].fillna(df.code.map(ref[col]))
    df["departement_nom"] = df.departement.map(deps.nom).astype("string")
    df["region_nom"] = df.region.map(regs.nom).astype("string")
    df["epci_nom"] = df.epci.map(epci.nom).astype("string")
    df["zone"] = df.departement.str.len().map({2: "metro", 3: "drom"}).astype("string")
    return df


def _simple(colonnes: dict[str, str]):
    def conv(data: list[dict]) -> pd.DataFrame:
        df = pd.DataFrame([{ours: d.get(theirs) for theirs, ours in colonnes.items()} for d in data])
        return df.astype("string")
    return conv


CONVERSIONS = {
    "communes": _communes,
    "departements": _simple({"code": "code", "nom": "nom", "codeRegion": "region"}),
    "regions": _simple({"code": "code", "nom": "nom"}),
    "epci": _simple({"code": "code", "nom": "nom"}),
}


def _valider(nom: str, data) -> None:
    if not isinstance(data, list) or not data or not all(isinstance(d, dict) and "code" in d for d in data):
        raise ValueError("réponse inattendue")
    codes = [str(d["code"]) for d in data]
    if nom == "communes" and not all(len(c) == 5 for c in codes):
        raise ValueError("codes de communes invalides")


def actualiser(nom: str, url: str | None = None, delai: float = 15) -> pd.DataFrame | None:
    """Fetch the official current version of ``nom``; None (with a French message) on any failure."""
    from alacarte.donnees import telecharger

    if nom not in RECETTES and url is None:
        message(f"ℹ️ Le jeu « {nom} » n'a pas de source en ligne directe : on utilise la copie livrée.")
        return None
    url = url or API + RECETTES[nom]
    try:
        path = telecharger(url, nom_fichier=f"{nom}-api.json", delai=delai)
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        _valider(nom, data)
        df = CONVERSIONS[nom](data)
    except ErreurAlacarte as exc:
        message(f"⚠️ {exc} On utilise la copie livrée avec le cours.")
        return None
    except (ValueError, KeyError, UnicodeDecodeError):
        message(
            "⚠️ Le fichier reçu est incomplet ou n'a pas la forme attendue : on ne s'en sert pas. "
            "On utilise la copie livrée avec le cours."
        )
        return None
    message(f"✅ {len(df):,} lignes téléchargées depuis la source officielle.".replace(",", "\u202f"))
    return df

"""Datasets: catalogue, provenance cards, loading filtered to the territory, online refresh.

Everything works offline: ``charger`` reads the snapshot shipped in ``datasets/`` (its sha256
checked against the catalogue). ``telecharger`` and ``charger(..., en_ligne=True)`` fetch from
the official sources with a timeout and retries, and fall back to the snapshot with a French
message when the network or the server fails.

Environment variables:
    ALACARTE_DONNEES    folder holding catalogue.json and the snapshots (default: the repo's datasets/)
    ALACARTE_CACHE      cache folder for downloads (default: the user cache, e.g. ~/.cache/alacarte)
    ALACARTE_TERRITOIRE territory at start-up, e.g. "region:84", "departement:38", "epci:200046977"
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from alacarte.erreurs import DonneesAbimees, DonneesIntrouvables, ErreurAlacarte, message, proches
from alacarte.territoires import Territoire, territoire

__all__ = [
    "catalogue", "jeux_de_donnees", "fiche", "colonnes", "chemin", "charger", "telecharger",
    "dossier_cache", "dossier_donnees",
]


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------

def dossier_donnees() -> Path:
    """Folder holding ``catalogue.json`` and the shipped snapshots."""
    env = os.environ.get("ALACARTE_DONNEES")
    if env:
        return Path(env).expanduser()
    return Path(__file__).resolve().parents[2] / "datasets"


@functools.lru_cache(maxsize=4)
def _lire_catalogue(path: Path) -> dict:
    if not path.exists():
        raise DonneesIntrouvables(
            f"Le catalogue des données est introuvable ({path.name}). Le cours s'utilise depuis le dossier "
            "du dépôt cloné (ou réglez la variable ALACARTE_DONNEES)."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def catalogue() -> dict:
    """The whole catalogue: a dict ``{name: record}``."""
    return _lire_catalogue(dossier_donnees() / "catalogue.json")["datasets"]


def _fiche_brute(nom: str) -> dict:
    cat = catalogue()
    if nom not in cat:
        suggestions = proches(nom, list(cat))
        aide = f" Vouliez-vous dire : {', '.join(suggestions)} ?" if suggestions else ""
        raise DonneesIntrouvables(
            f"Jeu de données inconnu : « {nom} ».{aide} La liste complète : jeux_de_donnees()."
        )
    return cat[nom]


def jeux_de_donnees() -> pd.DataFrame:
    """One line per dataset: name, title, producer, licence, vintage, rows, size."""
    lignes = [
        {
            "nom": r["name"],
            "titre": r["title"],
            "producteur": r["producer"],
            "licence": r["licence"]["name"],
            "millésime": r["vintage"]["figures"],
            "lignes": r["rows"],
            "taille (Mo)": round(r["bytes"] / 1e6, 1),
        }
        for r in catalogue().values()
    ]
    return pd.DataFrame(lignes).set_index("nom")


def fiche(nom: str) -> pd.DataFrame:
    """Provenance card of a dataset, as a two-column table (Champ → Valeur)."""
    r = _fiche_brute(nom)
    src = r["source"]
    paquets = ", ".join(f"{b['package']} {b['version']} ({b['registry']})" for b in src["built_from"])
    champs = {
        "Titre": r["title"],
        "Description": r["description"],
        "Producteur": r["producer"],
        "Licence": f"{r['licence']['name']} — {r['licence']['url']}",
        "Citation": r.get("attribution", ""),
        "Page officielle": src["page"],
        "Téléchargement officiel": src["download"],
        "Millésime des codes": r["vintage"]["codes"],
        "Millésime des chiffres": r["vintage"]["figures"],
        "Fichier livré": r["file"],
        "Format": r["format"],
        "Système de coordonnées": r.get("crs", "—"),
        "Lignes": f"{r['rows']:,}".replace(",", " "),
        "Colonnes": ", ".join(c["name"] for c in r["columns"]),
        "Taille": f"{r['bytes'] / 1e6:.1f} Mo",
        "Empreinte sha256": r["sha256"],
        "Reconstruit depuis": paquets,
        "Problèmes connus": " • ".join(r["known_problems"]) or "aucun signalé",
    }
    return Fiche({"Valeur": list(champs.values())}, index=pd.Index(list(champs), name="Champ"))


class Fiche(pd.DataFrame):
    """A provenance card: a DataFrame that displays its text in full (no « … » cut at 50 characters)."""

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            return super()._repr_html_()

    def __repr__(self) -> str:
        with pd.option_context("display.max_colwidth", None):
            return super().__repr__()


def colonnes(nom: str) -> pd.DataFrame:
    """Columns of a dataset: type and French description."""
    r = _fiche_brute(nom)
    return pd.DataFrame(r["columns"]).rename(
        columns={"name": "colonne", "type": "type", "description": "description"}
    ).set_index("colonne")


def chemin(nom: str) -> Path:
    """Path of the shipped file (checked), e.g. to read the raw CSV with ``pd.read_csv`` yourself."""
    r = _fiche_brute(nom)
    path = dossier_donnees() / r["file"]
    _verifier(path, r["sha256"], nom)
    return path


# --------------------------------------------------------------------------------------------
# Integrity
# --------------------------------------------------------------------------------------------

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for bloc in iter(lambda: fh.read(1 << 20), b""):
            h.update(bloc)
    return h.hexdigest()


_verifies: dict[tuple, bool] = {}


def _verifier(path: Path, attendu: str, nom: str) -> None:
    """Check a snapshot against the catalogue hash (once per file state and process)."""
    if not path.exists():
        raise DonneesIntrouvables(
            f"Le fichier du jeu « {nom} » manque ({path.name}). Récupérez le dépôt complet "
            "(git clone) ou demandez-le à votre enseignant·e."
        )
    st = path.stat()
    cle = (str(path), st.st_size, st.st_mtime_ns)
    if cle in _verifies:
        return
    if sha256(path) != attendu:
        raise DonneesAbimees(
            f"Le fichier du jeu « {nom} » ({path.name}) a été modifié ou abîmé : son empreinte ne correspond "
            "pas au catalogue. Restaurez-le avec « git checkout -- datasets » ou re-clonez le dépôt."
        )
    _verifies[cle] = True


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------

_ORDRE_NIVEAUX = ["commune", "epci", "departement", "region"]


def _filtre(record: dict, terr: Territoire) -> tuple[str, list[str]] | None:
    """(column, allowed values) selecting the territory in this dataset, or None if it cannot."""
    colonnes_terr = record.get("territory") or {}
    if terr.niveau in colonnes_terr and terr.niveau != "commune":
        return colonnes_terr[terr.niveau], [terr.code]
    for niveau in _ORDRE_NIVEAUX:
        if niveau in colonnes_terr:
            return colonnes_terr[niveau], sorted(terr.codes(niveau))
    return None


def _resoudre_territoire(valeur) -> Territoire | None:
    if valeur is None:
        return territoire()
    if valeur is False or (isinstance(valeur, str) and valeur.strip().lower() == "france"):
        return None
    if isinstance(valeur, Territoire):
        return valeur
    from alacarte.territoires import trouver_territoire

    return trouver_territoire(str(valeur))


def charger(nom: str, territoire=None, colonnes: list[str] | None = None, en_ligne: bool = False,
            url: str | None = None, delai: float = 15):
    """Load a dataset into a DataFrame (GeoDataFrame for geodata), filtered to the territory.

    nom:        a name from ``jeux_de_donnees()``, e.g. "communes", "communes_contours", "accidents"
    territoire: None (the current territory), "France" (no filter), a code or a Territoire
    colonnes:   only these columns
    en_ligne:   first try the official online source (datasets that have one), falling back to the snapshot
    """
    r = _fiche_brute(nom)
    terr = _resoudre_territoire(territoire)
    if en_ligne:
        from alacarte import en_ligne as _en_ligne

        df = _en_ligne.actualiser(nom, url=url, delai=delai)
        if df is not None:
            return _filtrer_df(df, r, terr)
    path = chemin(nom)
    if r["format"] == "csv":
        df = pd.read_csv(path, dtype="string", keep_default_na=False, **r.get("read_options", {}))
        if colonnes:
            df = df[colonnes]
        return _filtrer_df(df, r, terr)
    filtre = _filtre(r, terr) if terr is not None else None
    filters = [(filtre[0], "in", filtre[1])] if filtre else None
    if r["format"] == "geoparquet":
        import geopandas as gpd

        cols = None if colonnes is None else list(dict.fromkeys([*colonnes, "geometry"]))
        df = gpd.read_parquet(path, columns=cols, filters=filters)
    else:
        df = pd.read_parquet(path, columns=colonnes, filters=filters)
    return _types_uniformes(df.reset_index(drop=True))


def _types_uniformes(df: pd.DataFrame) -> pd.DataFrame:
    """The same dtypes in every dataset: text is "string" (missing = <NA>), so that merges keep it;
    dates are numpy datetimes (as pd.to_datetime gives), not pyarrow dates."""
    texte = pd.StringDtype()
    for col in df.columns:
        if col == "geometry":
            continue
        dtype = df[col].dtype
        if pd.api.types.is_string_dtype(dtype) and dtype != texte:
            df[col] = df[col].astype(texte)
        elif isinstance(dtype, pd.ArrowDtype) and "date" in str(dtype):
            df[col] = pd.to_datetime(df[col].astype("datetime64[ms]"))
    return df


def _filtrer_df(df: pd.DataFrame, record: dict, terr: Territoire | None) -> pd.DataFrame:
    if terr is None:
        return df
    filtre = _filtre(record, terr)
    if filtre is None or filtre[0] not in df.columns:
        return df
    return df[df[filtre[0]].isin(filtre[1])].reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# Downloads
# --------------------------------------------------------------------------------------------

def dossier_cache() -> Path:
    env = os.environ.get("ALACARTE_CACHE")
    if env:
        return Path(env).expanduser()
    import pooch

    return Path(pooch.os_cache("alacarte"))


def telecharger(url: str, nom_fichier: str | None = None, sha256: str | None = None, delai: float = 15,
                essais: int = 2, progression: bool = True) -> Path:
    """Download ``url`` into the cache and return the local path.

    sha256:  expected hash when the file is fixed (a versioned file): a corrupted or altered download
             is detected, deleted and raises DonneesAbimees. Without it, the file is downloaded anew
             each time (living data such as an API answer) and replaces the cached copy only once
             complete.
    delai:   seconds before giving up on a silent server; ``essais`` attempts in all.
    Raises ErreurReseau (French message) when the network or the server fails.
    """
    import pooch

    nom_fichier = nom_fichier or nom_depuis_url(url)
    cache = dossier_cache()
    cache.mkdir(parents=True, exist_ok=True)
    downloader = pooch.HTTPDownloader(progressbar=progression, timeout=delai)
    journal = pooch.get_logger()  # pooch logs file paths and English tips: keep only its errors
    niveau = journal.level
    journal.setLevel(logging.WARNING)
    try:
        return _telecharger(url, nom_fichier, sha256, cache, downloader, essais)
    finally:
        journal.setLevel(niveau)


def _telecharger(url, nom_fichier, sha256, cache, downloader, essais) -> Path:
    import pooch
    import requests

    derniere = None
    for _ in range(max(1, essais)):
        try:
            if sha256:
                chemin_local = pooch.retrieve(url, known_hash=f"sha256:{sha256}", fname=nom_fichier, path=cache,
                                              downloader=downloader)
                return Path(chemin_local)
            with tempfile.TemporaryDirectory(dir=cache) as tmp:
                chemin_tmp = pooch.retrieve(url, known_hash=None, fname=nom_fichier, path=tmp,
                                            downloader=downloader)
                cible = cache / nom_fichier
                shutil.move(chemin_tmp, cible)
                return cible
        except ValueError as exc:  # pooch: hash mismatch (the bad file is already deleted)
            if "hash" in str(exc).lower():
                raise DonneesAbimees(
                    f"Le fichier téléchargé depuis {url} ne correspond pas à l'empreinte attendue : il est "
                    "incomplet ou a été modifié. Il a été supprimé."
                ) from None
            derniere = exc
        except (requests.exceptions.RequestException, OSError) as exc:
            derniere = exc
    raise ErreurReseau(url, derniere)


def nom_depuis_url(url: str) -> str:
    """Name of the cached file of ``url`` when ``telecharger`` is not given one."""
    from urllib.parse import urlparse

    p = urlparse(url)
    base = Path(p.path).name or "telechargement"
    if p.query:
        base += "-" + hashlib.sha256(p.query.encode()).hexdigest()[:10]
    return base


class ErreurReseau(ErreurAlacarte, ConnectionError):
    """The network or the server did not answer: the message says so in French."""

    def __init__(self, url: str, cause: Exception | None = None):
        from urllib.parse import urlparse

        hote = urlparse(url).netloc or url
        if cause is not None and "timed out" in str(cause).lower():
            raison = "le serveur n'a pas répondu à temps"
        elif cause is not None and "HTTPError" in type(cause).__name__:
            raison = "le serveur a refusé la demande"
        else:
            raison = "pas de connexion (réseau coupé ou serveur injoignable)"
        super().__init__(f"Téléchargement impossible depuis {hote} : {raison}.")
        self.cause = cause


__all__ += ["ErreurReseau", "message"]

"""The territory setting: one région, département, EPCI or commune that lessons and dashboards follow.

    from alacarte import choisir_territoire
    choisir_territoire("53")                  # a région code (Bretagne)
    choisir_territoire("departement:38")      # a département (level given: 38 could be nothing else here)
    choisir_territoire("Isère")               # or a name
    choisir_territoire("200046977")           # an EPCI (9-digit SIREN)

The environment variable ALACARTE_TERRITOIRE sets the territory at start-up (same syntax).
Default: région 84, Auvergne-Rhône-Alpes.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

import pandas as pd

from alacarte.erreurs import DonneesIntrouvables, normaliser, proches

TERRITOIRE_PAR_DEFAUT = "region:84"
NIVEAUX = {"region": "Région", "departement": "Département", "epci": "EPCI", "commune": "Commune"}
_DU = {"region": "de la région", "departement": "du département", "epci": "de l'EPCI", "commune": "de la commune"}
_ALIAS = {"région": "region", "reg": "region", "département": "departement", "dep": "departement",
          "dept": "departement", "interco": "epci", "com": "commune"}


@dataclass(frozen=True)
class Territoire:
    niveau: str
    code: str
    nom: str
    communes: frozenset[str] = field(repr=False)
    epcis: frozenset[str] = field(repr=False)
    departements: frozenset[str] = field(repr=False)
    regions: frozenset[str] = field(repr=False)

    def codes(self, niveau: str) -> frozenset[str]:
        """Codes of the given level that make up (or overlap) this territory."""
        return {"commune": self.communes, "epci": self.epcis, "departement": self.departements,
                "region": self.regions}[niveau]

    @property
    def libelle(self) -> str:
        return f"{NIVEAUX[self.niveau]} {self.nom} ({self.code})"

    def __str__(self) -> str:
        n = len(self.communes)
        return f"{self.libelle} — {n:,} commune{'s' if n > 1 else ''}".replace(",", "\u202f")

    def _repr_markdown_(self) -> str:
        return f"**{self}**"


@functools.lru_cache(maxsize=2)
def _reference(dossier: str) -> pd.DataFrame:
    """The 2026 communes with their names and the names of their EPCI, département, région."""
    from alacarte.donnees import chemin

    return pd.read_parquet(
        chemin("communes"),
        columns=["code", "nom", "departement", "departement_nom", "region", "region_nom", "epci", "epci_nom"],
    )


def reference() -> pd.DataFrame:
    from alacarte.donnees import dossier_donnees

    return _reference(str(dossier_donnees()))


def _candidats() -> pd.DataFrame:
    """Every selectable territory: niveau, code, nom (computed once per data folder; do not modify)."""
    from alacarte.donnees import dossier_donnees

    return _candidats_de(str(dossier_donnees()))


@functools.lru_cache(maxsize=2)
def _candidats_de(dossier: str) -> pd.DataFrame:
    ref = _reference(dossier)
    parts = [
        ref[["region", "region_nom"]].drop_duplicates().set_axis(["code", "nom"], axis=1).assign(niveau="region"),
        ref[["departement", "departement_nom"]].drop_duplicates().set_axis(["code", "nom"], axis=1)
        .assign(niveau="departement"),
        ref[["epci", "epci_nom"]].dropna().drop_duplicates().set_axis(["code", "nom"], axis=1).assign(niveau="epci"),
        ref[["code", "nom"]].assign(niveau="commune"),
    ]
    out = pd.concat(parts, ignore_index=True)
    out["_norm"] = out["nom"].map(normaliser)  # names without case or accents, for the search
    return out


def _construire(niveau: str, code: str) -> Territoire:
    from alacarte.donnees import dossier_donnees

    return _construire_de(str(dossier_donnees()), niveau, code)


@functools.lru_cache(maxsize=64)
def _construire_de(dossier: str, niveau: str, code: str) -> Territoire:
    ref = _reference(dossier)
    col = {"region": "region", "departement": "departement", "epci": "epci", "commune": "code"}[niveau]
    sub = ref[ref[col] == code]
    nom_col = {"region": "region_nom", "departement": "departement_nom", "epci": "epci_nom", "commune": "nom"}[niveau]
    return Territoire(
        niveau=niveau,
        code=code,
        nom=str(sub[nom_col].iloc[0]),
        communes=frozenset(sub["code"]),
        epcis=frozenset(sub["epci"].dropna()),
        departements=frozenset(sub["departement"]),
        regions=frozenset(sub["region"]),
    )


def trouver_territoire(texte: str, niveau: str | None = None) -> Territoire:
    """Find a territory from a code, "niveau:code" or a name; French error naming close matches."""
    texte = str(texte).strip()
    if ":" in texte and niveau is None:
        niveau, texte = (s.strip() for s in texte.split(":", 1))
    if niveau is not None:
        niveau = _ALIAS.get(niveau.lower(), niveau.lower())
        if niveau not in NIVEAUX:
            raise DonneesIntrouvables(
                f"Niveau inconnu : « {niveau} ». Niveaux possibles : region, departement, epci, commune."
            )
    cands = _candidats()
    if niveau is not None:
        cands = cands[cands.niveau == niveau]
    # 1. exact code; a bare code shared by a région and a département (53 Bretagne / Mayenne) is the région
    par_code = cands[cands.code == texte.upper()]
    if len(par_code):
        ligne = par_code.iloc[0]
        return _construire(ligne.niveau, ligne.code)
    # 2. exact name (without case or accents); the largest level first
    par_nom = cands[cands._norm == normaliser(texte)]
    if len(par_nom):
        ligne = par_nom.iloc[0]
        return _construire(ligne.niveau, ligne.code)
    suggestions = proches(texte, list(dict.fromkeys(cands.nom.tolist() + cands.code.tolist())))
    details = []
    for s in suggestions:
        m = cands[(cands.nom == s) | (cands.code == s)].iloc[0]
        details.append(f"{m.nom} ({NIVEAUX[m.niveau].lower()} {m.code})")
    aide = f" Vouliez-vous dire : {' ; '.join(details)} ?" if details else ""
    raise DonneesIntrouvables(
        f"Territoire inconnu : « {texte} ».{aide} Exemples : « 84 » (région), « departement:38 », "
        "« 200046977 » (EPCI), « Isère »."
    )


_courant: Territoire | None = None


def choisir_territoire(texte: str | None = None, niveau: str | None = None, afficher: bool = True) -> Territoire:
    """Select the territory that lessons and dashboards follow; returns it.

    Without argument: ALACARTE_TERRITOIRE if set, else région 84 (Auvergne-Rhône-Alpes).
    """
    global _courant
    if texte is None:
        texte = os.environ.get("ALACARTE_TERRITOIRE") or TERRITOIRE_PAR_DEFAUT
    _courant = trouver_territoire(texte, niveau)
    if afficher:
        print(f"📍 Territoire choisi : {_courant}")
        autres = _candidats()
        autres = autres[(autres.code == _courant.code) & (autres.niveau != _courant.niveau)]
        if ":" not in texte and niveau is None and len(autres):
            a = autres.iloc[0]
            print(f"   (« {a.code} » est aussi le code {_DU[a.niveau]} {a.nom} : "
                  f"écrivez « {a.niveau}:{a.code} » pour le choisir.)")
    return _courant


def territoire() -> Territoire:
    """The current territory (chosen by choisir_territoire, else the default)."""
    if _courant is None:
        choisir_territoire(afficher=False)
    return _courant

"""Road safety of a territory: accidents 2005–2020 by year, severity, hour, day, user category,
rate by commune (or by département for a région) and points where coordinates exist.

Territory selection follows ``charger("accidents", territoire=...)``: a région or a département by
the accident's own ``region`` / ``departement`` column, an EPCI or a commune by
``code_commune_2026``. Severity is the accident's (the most injured person).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from alacarte.tableaux_de_bord import preparation as prep
from alacarte.territoires import Territoire, trouver_territoire

ANNEES = (2005, 2020)
GRAVITES = prep.GRAVITES  # mortel, grave non mortel, léger
JOURS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
VICTIMES = ["tué", "blessé hospitalisé", "blessé léger"]
MAX_POINTS = 3000


@functools.lru_cache(maxsize=16)
def _lignes_territoire(niveau: str, code: str, communes: frozenset) -> np.ndarray:
    """Rows of the territory in ``prep.accidents()`` (a région or a département by the accident's
    own column, an EPCI or a commune by the accident's 2026 commune)."""
    if niveau in ("region", "departement"):
        return prep.accidents().lignes(niveau, [code])
    return prep.accidents().lignes("commune", communes)


def lignes(terr: Territoire, annees: tuple[int, int] = ANNEES, gravites=GRAVITES) -> np.ndarray:
    """Row numbers (sorted) of the accidents of a territory, a period and some severities."""
    col = prep.accidents().colonnes
    r = _lignes_territoire(terr.niveau, terr.code,
                           terr.communes if terr.niveau in ("epci", "commune") else frozenset())
    g = np.array([GRAVITES.index(x) for x in gravites if x in GRAVITES], dtype=np.int8)
    an = col["annee"][r]
    return r[(an >= annees[0]) & (an <= annees[1]) & np.isin(col["gravite"][r], g)]


def _personnes(r: np.ndarray) -> np.ndarray:
    """Rows of the people involved in the accidents ``r``."""
    debut = prep.accidents().colonnes["u_debut"]
    lo, hi = debut[r], debut[r + 1]
    n = hi - lo
    return np.repeat(lo - np.cumsum(n) + n, n) + np.arange(int(n.sum()))


@dataclass
class Bilan:
    accidents: int
    tues: int
    hospitalises: int
    blesses_legers: int
    avec_coordonnees: int
    par_annee: pd.DataFrame       # index: years; columns: severities (accident counts)
    par_heure: pd.Series          # index 0..23 (accidents whose hour is known)
    par_jour: pd.Series           # index lundi..dimanche
    par_categorie: pd.DataFrame   # index: user category; columns: tué, blessé hospitalisé, blessé léger


def bilan(territoire: Territoire | str, annees: tuple[int, int] = ANNEES, gravites=GRAVITES) -> Bilan:
    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    col = prep.accidents().colonnes
    r = lignes(terr, annees, gravites)
    n_annees = annees[1] - annees[0] + 1
    ng = len(GRAVITES)
    cnt = np.bincount((col["annee"][r] - annees[0]).astype(np.int64) * ng + col["gravite"][r],
                      minlength=n_annees * ng).reshape(n_annees, ng)
    par_annee = pd.DataFrame(cnt, index=pd.Index(range(annees[0], annees[1] + 1), name="annee"),
                             columns=list(GRAVITES))
    h = col["heure"][r]
    par_heure = pd.Series(np.bincount(h[h >= 0].astype(np.int64), minlength=24)[:24], index=range(24))
    par_jour = pd.Series(np.bincount(col["jour"][r].astype(np.int64), minlength=7)[:7], index=JOURS)
    um = _personnes(r)
    ncat, ngu = len(prep.CATEGORIES_USAGER), len(prep.GRAVITES_USAGER)
    cc = np.bincount(col["u_categorie"][um].astype(np.int64) * ngu + col["u_gravite"][um],
                     minlength=ncat * ngu).reshape(ncat, ngu)
    par_cat = pd.DataFrame(cc, index=list(prep.CATEGORIES_USAGER), columns=list(prep.GRAVITES_USAGER))[VICTIMES]
    par_cat = par_cat[par_cat.sum(axis=1) > 0]
    return Bilan(
        accidents=len(r), tues=int(col["tues"][r].sum()), hospitalises=int(col["hospitalises"][r].sum()),
        blesses_legers=int(col["blesses_legers"][r].sum()),
        avec_coordonnees=int(np.count_nonzero(~np.isnan(col["latitude"][r]))),
        par_annee=par_annee, par_heure=par_heure, par_jour=par_jour, par_categorie=par_cat,
    )


def taux_par_unite(territoire: Territoire | str, annees: tuple[int, int] = ANNEES, gravites=GRAVITES):
    """GeoDataFrame: accidents per 1,000 inhabitants (population 2021 vintage) by commune of the
    territory, or by département for a région. Columns: code, nom, accidents, population_2021, taux."""
    import geopandas as gpd

    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    table = prep.accidents()
    r = lignes(terr, annees, gravites)
    c = prep.communes()
    if terr.niveau == "region":
        niveau, cle = "departement", "departement"
        membres = c[c["region"] == terr.code]
        pop = membres.groupby("departement")["population_2021"].sum()
        noms = membres.groupby("departement")["departement_nom"].first()
        nb = pd.Series(np.bincount(table.colonnes["departement"][r], minlength=len(table.codes["departement"])),
                       index=table.codes["departement"])
    else:
        niveau, cle = "commune", "commune"
        membres = c.loc[c.index.isin(list(terr.communes))]
        pop = membres["population_2021"]
        noms = membres["nom"]
        codes = table.colonnes["commune"][r]
        nb = pd.Series(np.bincount(codes[codes >= 0], minlength=len(table.codes["commune"])),
                       index=table.codes["commune"])
    df = pd.DataFrame({"nom": noms, "population_2021": pop})
    df["accidents"] = nb.reindex(df.index).fillna(0).astype("int64")
    df["taux"] = 1000 * df["accidents"] / df["population_2021"].where(df["population_2021"] > 0)
    geo = prep.contours(niveau, tuple(sorted(df.index)))
    out = gpd.GeoDataFrame(df.join(geo[["geometry"]], how="inner"), geometry="geometry", crs=geo.crs)
    out["code"] = out.index.astype(str)
    out.attrs.update(niveau=niveau, cle=cle)
    return out.reset_index(drop=True)


def points(territoire: Territoire | str, annees: tuple[int, int] = ANNEES, gravites=GRAVITES,
           maximum: int = MAX_POINTS) -> tuple[pd.DataFrame, int]:
    """Accidents with coordinates (latitude, longitude, gravite, libelle) and how many there are.

    Returns an empty frame when there are more than ``maximum`` (too heavy for a phone)."""
    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    col = prep.accidents().colonnes
    r = lignes(terr, annees, gravites)
    r = r[~np.isnan(col["latitude"][r])]
    n = len(r)
    if n == 0 or n > maximum:
        return pd.DataFrame(columns=["latitude", "longitude", "gravite", "libelle"]), n
    heure = [f", {h} h" if h >= 0 else "" for h in col["heure"][r].tolist()]
    gravite = np.asarray(GRAVITES, dtype=object)[col["gravite"][r]]
    libelle = [f"Accident {g} — {a}{h}" for g, a, h in zip(gravite, col["annee"][r].tolist(), heure, strict=True)]
    return pd.DataFrame({"latitude": col["latitude"][r].astype(float), "longitude": col["longitude"][r].astype(float),
                         "gravite": gravite.astype(str), "libelle": libelle}), n

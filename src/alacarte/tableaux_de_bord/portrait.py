"""Territory portrait: key figures of a région, département, EPCI or commune and of its sub-units.

Every figure is a sum over the 2026 communes of the territory (``preparation.communes()``),
except road accidents of départements and régions, which follow the accident's own
département and région columns (``charger("accidents", territoire=...)`` semantics: accidents
whose commune is unknown still count for their département).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from alacarte.tableaux_de_bord import preparation as prep
from alacarte.territoires import NIVEAUX, Territoire, trouver_territoire

PERIODE_ACCIDENTS = f"{prep.ANNEES_RECENTES[0]}–{prep.ANNEES_RECENTES[1]}"

# the sub-units drawn on the map for each level
SOUS_NIVEAU = {"region": "departement", "departement": "epci", "epci": "commune", "commune": "commune"}
LIBELLE_SOUS_NIVEAU = {"departement": "départements", "epci": "EPCI", "commune": "communes"}

INDICATEURS = {
    "population_2026": "Population 2026 (habitants)",
    "evolution_2021_2026": "Évolution de la population 2021–2026 (%)",
    "densite": "Densité (habitants par km²)",
    "part_femmes_elus": "Femmes parmi les élus municipaux (%)",
    "part_femmes_maires": "Femmes parmi les maires (%)",
    "accidents_pour_1000": f"Accidents corporels {PERIODE_ACCIDENTS} pour 1 000 habitants",
}
# indicators whose colour scale is centred on zero (diverging palette)
DIVERGENTS = {"evolution_2021_2026"}


@dataclass
class ChiffresCles:
    niveau: str
    code: str
    nom: str
    population_2026: int
    population_2024: int
    population_2021: int | None
    evolution_2021_2026: float | None  # percent
    communes_exclues_evolution: int     # communes whose perimeter changed since 2021
    superficie_km2: float | None
    communes_sans_contour: int
    densite: float | None               # inhabitants per km²
    nb_communes: int
    mairies: int
    mairies_acces_renseigne: int
    part_mairies_acces_renseigne: float | None  # percent (0 today: the source has no information)
    elus: int
    elus_f: int
    part_femmes_elus: float | None
    maires: int
    maires_f: int
    part_femmes_maires: float | None
    communes_sans_maire: int
    accidents_5ans: int
    accidents_pour_1000: float | None   # accidents 2016–2020 per 1,000 inhabitants (population 2021 vintage)
    comparaisons: list[dict]            # [{"libelle", "niveau", "code", "nom", "accidents_pour_1000"}]

    def en_tableau(self) -> pd.DataFrame:
        """The figures as a two-column table (indicateur, valeur), for the CSV export."""
        d = asdict(self)
        comps = d.pop("comparaisons")
        lignes = [(k, v) for k, v in d.items()]
        for c in comps:
            lignes.append((f"accidents_pour_1000 {c['niveau']} {c['code']} {c['nom']}", c["accidents_pour_1000"]))
        return pd.DataFrame(lignes, columns=["indicateur", "valeur"])


def _pct(num: float, den: float) -> float | None:
    return None if not den else 100.0 * num / den


def _taux(accidents: int, population: float) -> float | None:
    return None if not population else 1000.0 * accidents / population


def _lignes(terr: Territoire) -> pd.DataFrame:
    c = prep.communes()
    return c.loc[c.index.isin(list(terr.communes))]


def _accidents_colonne(niveau: str, code: str) -> int:
    a = prep.accidents_agreges()
    sel = a[(a["niveau"] == niveau) & (a["code"] == code)]
    return int(sel["accidents_5ans"].sum())


def _population_2021_de(niveau: str, code: str) -> float:
    c = prep.communes()
    if niveau == "france":
        return float(c["population_2021"].sum())
    return float(c.loc[c[niveau] == code, "population_2021"].sum())


def taux_accidents(niveau: str, code: str) -> float | None:
    """Accidents 2016–2020 per 1,000 inhabitants of a département, a région or France ("france", "FR")."""
    return _taux(_accidents_colonne(niveau, code), _population_2021_de(niveau, code))


def chiffres_cles(territoire: Territoire | str) -> ChiffresCles:
    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    c = _lignes(terr)
    pop26 = int(c["population_2026"].sum())
    pop24 = int(c["population_2024"].fillna(0).sum())
    comparables = c[c["comparable_2021"]]
    p21_comp = float(comparables["population_2021"].sum())
    p26_comp = float(comparables["population_2026"].sum())
    evolution = _pct(p26_comp - p21_comp, p21_comp)
    pop21 = c["population_2021"]
    surface = float(c["superficie_km2"].sum(min_count=1)) if c["superficie_km2"].notna().any() else None
    # the 4 restored Cantal communes have no polygon: their land is still inside 15141's polygon,
    # so the sum is right for any territory holding 15141; for such a commune alone it is unknown
    sans_contour = int(c["superficie_km2"].isna().sum())
    if terr.niveau == "commune" and sans_contour:
        surface = None
    if terr.niveau in ("departement", "region"):
        acc = _accidents_colonne(terr.niveau, terr.code)
    else:
        acc = int(c["accidents_5ans"].sum())
    # restored communes have no 2021 population: their people are counted in the commune they left,
    # so a sum over a territory holding both is right; a restored commune alone has no rate
    pop21_total = float(pop21.sum())
    taux = None if (terr.niveau == "commune" and pop21.isna().any()) else _taux(acc, pop21_total)
    return ChiffresCles(
        niveau=terr.niveau, code=terr.code, nom=terr.nom,
        population_2026=pop26, population_2024=pop24,
        population_2021=None if (terr.niveau == "commune" and pop21.isna().any()) else int(pop21.sum()),
        evolution_2021_2026=evolution,
        communes_exclues_evolution=int((~c["comparable_2021"]).sum()),
        superficie_km2=surface, communes_sans_contour=sans_contour,
        densite=(pop26 / surface) if surface else None,
        nb_communes=len(c),
        mairies=int(c["mairies"].sum()), mairies_acces_renseigne=int(c["mairies_acces_renseigne"].sum()),
        part_mairies_acces_renseigne=_pct(c["mairies_acces_renseigne"].sum(), c["mairies"].sum()),
        elus=int(c["elus"].sum()), elus_f=int(c["elus_f"].sum()),
        part_femmes_elus=_pct(c["elus_f"].sum(), c["elus"].sum()),
        maires=int(c["maires"].sum()), maires_f=int(c["maires_f"].sum()),
        part_femmes_maires=_pct(c["maires_f"].sum(), c["maires"].sum()),
        communes_sans_maire=int((c["maires"] == 0).sum()),
        accidents_5ans=acc, accidents_pour_1000=taux,
        comparaisons=comparaisons(terr),
    )


def _principal(terr: Territoire, niveau: str) -> tuple[str, str]:
    """(code, name) of the département or région a territory belongs to (the most populated one)."""
    c = _lignes(terr)
    poids = c.groupby(niveau)["population_2026"].sum().sort_values(ascending=False)
    code = str(poids.index[0])
    nom = str(c.loc[c[niveau] == code, f"{niveau}_nom"].iloc[0])
    return code, nom


def comparaisons(terr: Territoire) -> list[dict]:
    """Accident rates of the territory's département and région (or région and France)."""
    out = []
    niveaux = {"commune": ["departement", "region"], "epci": ["departement", "region"],
               "departement": ["region", "france"], "region": ["france"]}[terr.niveau]
    for niveau in niveaux:
        if niveau == "france":
            code, nom, libelle = "FR", "métropole et DROM", "France"
        else:
            code, nom = _principal(terr, niveau)
            libelle = NIVEAUX[niveau]
        out.append({"libelle": libelle, "niveau": niveau, "code": code, "nom": nom,
                    "accidents_pour_1000": taux_accidents(niveau, code)})
    return out


def sous_unites(territoire: Territoire | str):
    """GeoDataFrame of the sub-units drawn on the map, with every indicator of ``INDICATEURS``.

    région → its départements; département → the EPCI of its communes (whole EPCI);
    EPCI → its communes; commune → the communes of its EPCI (column ``choisi`` marks it).
    """
    import geopandas as gpd

    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    niveau = SOUS_NIVEAU[terr.niveau]
    c = prep.communes()
    if terr.niveau == "commune":
        epci = c.loc[terr.code, "epci"]
        membres = c[c["epci"] == epci] if pd.notna(epci) else c.loc[[terr.code]]
        codes = list(membres.index)
    elif niveau == "commune":
        codes = sorted(terr.communes)
    else:
        codes = sorted(terr.codes(niveau))
    cle = "code" if niveau == "commune" else niveau
    sel = c[c[cle].isin(codes)]
    noms = sel.groupby(cle)[f"{niveau}_nom" if niveau != "commune" else "nom"].first()
    agg = sel.groupby(cle).agg(
        population_2026=("population_2026", "sum"),
        superficie_km2=("superficie_km2", lambda s: s.sum(min_count=1)),
        elus=("elus", "sum"), elus_f=("elus_f", "sum"), maires=("maires", "sum"), maires_f=("maires_f", "sum"),
        accidents_5ans=("accidents_5ans", "sum"),
    )
    comp = sel[sel["comparable_2021"]].groupby(cle)[["population_2021", "population_2026"]].sum()
    p21 = sel.groupby(cle)["population_2021"].sum(min_count=1)
    agg["nom"] = noms
    agg["evolution_2021_2026"] = 100 * (comp["population_2026"] - comp["population_2021"]) / comp["population_2021"]
    agg["densite"] = agg["population_2026"] / agg["superficie_km2"]
    agg["part_femmes_elus"] = 100 * agg["elus_f"] / agg["elus"].where(agg["elus"] > 0)
    agg["part_femmes_maires"] = 100 * agg["maires_f"] / agg["maires"].where(agg["maires"] > 0)
    if niveau in ("departement", "region"):
        acc = prep.accidents_agreges()
        acc = acc[acc["niveau"] == niveau].set_index("code")["accidents_5ans"]
        agg["accidents_5ans"] = acc.reindex(agg.index).fillna(0).astype("int64")
    agg["accidents_pour_1000"] = 1000 * agg["accidents_5ans"] / p21.where(p21 > 0)
    agg = agg.replace([math.inf, -math.inf], float("nan"))
    geo = prep.contours(niveau, tuple(sorted(agg.index)))
    out = gpd.GeoDataFrame(agg.join(geo[["geometry"]], how="inner"), geometry="geometry", crs=geo.crs)
    out["code"] = out.index.astype(str)
    out["choisi"] = out["code"] == terr.code
    out.attrs["niveau"] = niveau
    out.attrs["sans_contour"] = sorted(set(agg.index) - set(out.index))
    return out.reset_index(drop=True)


def series_population(territoire: Territoire | str) -> pd.DataFrame:
    """Population of the three vintages (2021, 2024, 2026) on the 2026 perimeter."""
    terr = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    c = _lignes(terr)
    return pd.DataFrame({
        "millesime": [2021, 2024, 2026],
        "population": [c["population_2021"].sum(min_count=1), c["population_2024"].sum(min_count=1),
                       c["population_2026"].sum()],
        "complet": [bool(c["population_2021"].notna().all()), bool(c["population_2024"].notna().all()), True],
    })


def candidats() -> pd.DataFrame:
    """Every selectable territory (niveau, code, nom, libellé) for the territory picker."""
    from alacarte.territoires import _candidats

    cands = _candidats().copy()
    ordre = {"region": 0, "departement": 1, "epci": 2, "commune": 3}
    cands["ordre"] = cands["niveau"].map(ordre)
    cands["libelle"] = cands["nom"] + " (" + cands["niveau"].map(NIVEAUX).str.lower() + " " + cands["code"] + ")"
    return cands.sort_values(["ordre", "nom"]).reset_index(drop=True)

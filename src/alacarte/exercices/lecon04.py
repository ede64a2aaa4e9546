"""Lesson 04 — Croiser avec les données de référence: the questions and the small data they use.

The lesson joins the road accidents with the 2026 commune list (the reference, « pivot » table), the
EPCI and the legal populations. Every expected value is computed from the shipped data at check
time, so the lesson follows the territory setting (région 84 by default; Corse, with no commune
merged since 2021 and only a few unmatched accidents, is handled).
"""

from __future__ import annotations

import functools

import pandas as pd

from alacarte.donnees import charger
from alacarte.exercices import Choix, Ensemble, Nombre, Question, Tableau
from alacarte.exercices._texte import enumerer, nombre_fr
from alacarte.territoires import territoire

LECON = "04"

#: communes split into arrondissements municipaux, whose accidents are recorded under the arrondissement's code
GRANDES_VILLES = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}


# ------------------------------------------------------------------------------------------------
# Data, loaded once per territory (read-only: every function below builds new tables from them)
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=8)
def _table(nom: str, selection: str) -> pd.DataFrame:
    return charger(nom, territoire=selection)


def _donnees(nom: str) -> pd.DataFrame:
    t = territoire()
    return _table(nom, f"{t.niveau}:{t.code}")


def _accidents() -> pd.DataFrame:
    return _donnees("accidents")


def _communes() -> pd.DataFrame:
    return _donnees("communes")


def _populations() -> pd.DataFrame:
    return _donnees("populations")


def _epci() -> pd.DataFrame:
    return _donnees("epci")


def _non_vide(valeurs: set) -> set | None:
    """The set, or None when it is empty: a typical wrong answer that is empty would match any empty answer."""
    return valeurs or None


def _est_rempli(serie: pd.Series) -> pd.Series:
    """True where a text column holds something (the empty text "" and NA both mean nothing)."""
    return serie.fillna("").str.strip() != ""


# ------------------------------------------------------------------------------------------------
# Small tables handed to the learner
# ------------------------------------------------------------------------------------------------

def petit_exemple() -> pd.DataFrame:
    """Four real accidents of the territory: three whose recorded commune code is in the 2026 list
    (the most recent year, three different communes) and the last one whose code is not."""
    acc, com = _accidents(), _communes()
    connu = acc["commune"].isin(com["code"])
    trouves = acc[connu]
    recents = trouves[trouves["annee"] == trouves["annee"].max()].drop_duplicates("commune").head(3)
    absent = acc[~connu].tail(1)
    return (pd.concat([recents, absent])[["num_acc", "date", "commune"]]
            .sort_values("num_acc").reset_index(drop=True))


def code_postal_partage() -> str:
    """The postcode shared by the most communes of the territory (first in order on ties)."""
    codes = _communes()["codes_postaux"].fillna("").str.split().explode().dropna()
    codes = codes[codes != ""]
    if codes.empty:
        return ""
    comptes = codes.value_counts()
    return str(comptes[comptes == comptes.max()].sort_index().index[0])


def commune_nouvelle() -> dict:
    """A real commune nouvelle that other communes joined since the 2021 vintage (``populations.communes_fusionnees``).

    In the territory, the one with the most accidents recorded under the codes of the communes it
    absorbed (then the most populated); when the territory has none (Corse), the most populated of
    France, flagged with ``dans_le_territoire=False``. ``territoire`` selects its département for
    ``charger``; ``phrase`` explains it in French.
    """
    pops = _populations()
    fusions = pops[_est_rempli(pops["communes_fusionnees"])]
    dans = len(fusions) > 0
    if dans:
        acc = _accidents()
        sous_ancien = [int(acc["commune"].isin(codes.split()).sum()) for codes in fusions["communes_fusionnees"]]
        ligne = (fusions.assign(_accidents=sous_ancien)
                 .sort_values(["_accidents", "population_2026", "code"], ascending=[False, False, True]).iloc[0])
    else:
        france = charger("populations", territoire="France")
        fusions = france[_est_rempli(france["communes_fusionnees"])]
        ligne = fusions.sort_values(["population_2026", "code"], ascending=[False, True]).iloc[0]
    anciens = str(ligne["communes_fusionnees"]).split()
    code, nom, dep = str(ligne["code"]), str(ligne["nom"]), str(ligne["departement"])
    p21, p26 = ligne["population_2021"], ligne["population_2026"]
    p21 = None if pd.isna(p21) else int(p21)
    p26 = None if pd.isna(p26) else int(p26)
    if len(anciens) == 1:
        disparus = (f"le code {anciens[0]} a disparu de la liste des communes : la commune qui le portait fait "
                    "désormais partie de")
    else:
        disparus = (f"les codes {enumerer(anciens, len(anciens))} ont disparu de la liste des communes : les "
                    "communes qui les portaient font désormais partie de")
    debut = ("" if dans else "Aucune commune de ton territoire n'a fusionné depuis 2021 : voici un exemple pris "
                             "ailleurs en France.\n")
    phrase = (f"{debut}Entre les millésimes 2021 et 2026, {disparus} la commune nouvelle {nom} ({code}, "
              f"département {dep}).")
    if p21 is not None and p26 is not None:
        phrase += (f"\nDans la table populations, sa population 2021 ({nombre_fr(p21)} habitants) additionne déjà "
                   "toutes les communes qui la forment aujourd'hui, pour être comparable à celle de 2026 "
                   f"({nombre_fr(p26)} habitants).")
    return {
        "code": code, "nom": nom, "departement": dep, "territoire": f"departement:{dep}",
        "anciens_codes": anciens, "population_2021": p21, "population_2026": p26,
        "dans_le_territoire": dans, "phrase": phrase,
    }


# ------------------------------------------------------------------------------------------------
# Expected values (the tables the lesson builds, recomputed from the data)
# ------------------------------------------------------------------------------------------------

def _non_trouves() -> pd.DataFrame:
    """Accidents whose recorded commune code is not in the 2026 list."""
    acc = _accidents()
    return acc[~acc["commune"].isin(_communes()["code"])]


def nb_non_trouves() -> int:
    return len(_non_trouves())


def codes_non_trouves() -> set:
    return set(_non_trouves()["commune"].dropna())


def _accidents_2026() -> pd.DataFrame:
    return _accidents().merge(_communes()[["code", "nom", "epci"]], left_on="code_commune_2026", right_on="code",
                              how="left", indicator=True)


def noms_epci() -> pd.DataFrame:
    return _epci()[["code", "nom", "type"]].rename(columns={"code": "epci", "nom": "nom_epci", "type": "type_epci"})


def accidents_epci() -> pd.DataFrame:
    return _accidents_2026().merge(noms_epci(), on="epci", how="left")


def par_commune() -> pd.DataFrame:
    table = _accidents()["code_commune_2026"].value_counts().reset_index()
    table.columns = ["code", "accidents"]
    return table


def accidents_population() -> pd.DataFrame:
    return par_commune().merge(_populations()[["code", "nom", "population_2021"]], on="code", how="left")


def nb_communes_sans_accident() -> int:
    return int((~_communes()["code"].isin(_accidents()["code_commune_2026"].unique())).sum())


# ------------------------------------------------------------------------------------------------
# Questions
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "Pour relier chaque accident à sa commune, quelle colonne de la table communes faut-il prendre comme clé ?",
    comparaison=Choix(bonnes="c", options=["a", "b", "c", "d"], explications={
        "a": "Un nom n'est pas unique : des centaines de communes de France partagent leur nom avec une autre "
             "(tu l'as vu juste au-dessus). Et un nom s'écrit de plusieurs façons (Saint / St, accents, tirets).",
        "b": "Un code postal sert à distribuer le courrier : il peut couvrir plusieurs communes, et une commune "
             "peut en avoir plusieurs. Ce n'est pas un identifiant de commune.",
        "d": "Deux communes peuvent avoir le même nombre d'habitants, et ce nombre change à chaque millésime : "
             "ce n'est pas un identifiant.",
    }),
    indices=[
        "Une bonne clé désigne une seule commune, toujours la même, sans ambiguïté : il faut qu'aucune valeur "
        "n'apparaisse deux fois dans la table de référence.",
        "Relis les résultats au-dessus : communes[\"code\"].is_unique, le nom le plus porté en France, et le code "
        "postal partagé. Une seule colonne est faite pour ça.",
    ],
    solution='reponse = "c"',
    explication="Le code INSEE (colonne code) est unique, stable et partagé par tous les fichiers publics : "
                "c'est la clé de la table de référence.",
    bravo="Bravo ! Le code INSEE est l'identifiant officiel de la commune : c'est lui que partagent tous les "
          "fichiers publics (accidents, populations, élus, contours…).",
    lecon=LECON, numero=1,
)

q2 = Question(
    "Combien d'accidents ont un code de commune saisi (colonne commune) absent de la liste des communes de 2026 ?",
    attendu=nb_non_trouves,
    comparaison=Nombre(),
    indices=[
        "Dans la table jointure, la colonne _merge vaut \"left_only\" pour les accidents qui n'ont pas trouvé leur "
        "commune.",
        "Compare la colonne à \"left_only\", puis additionne les True : "
        "(jointure[\"_merge\"] == \"left_only\").sum(). Tu peux aussi lire jointure[\"_merge\"].value_counts().",
    ],
    solution='nb_non_trouves = (jointure["_merge"] == "left_only").sum()',
    explication="Autre façon, sans merge : (~accidents[\"commune\"].isin(communes[\"code\"])).sum() — le ~ veut "
                "dire « pas ».",
    erreurs_frequentes=[
        (lambda: len(_accidents()) - nb_non_trouves(),
         "Ça, c'est le nombre d'accidents qui ONT trouvé leur commune (both) : on veut ceux qui n'en ont pas "
         "(left_only)."),
        (lambda: len(_accidents()),
         "Ça, c'est le nombre total d'accidents : garde seulement les lignes où _merge vaut \"left_only\"."),
        (lambda: len(codes_non_trouves()),
         "Ça, c'est le nombre de codes différents : on veut le nombre d'accidents, c'est-à-dire de lignes "
         "(un même code revient plusieurs fois)."),
        (lambda: int(_accidents()["code_commune_2026"].isna().sum()),
         "Tu as compté les accidents sans commune 2026 (code_commune_2026 vide). La question porte sur le code "
         "saisi l'année de l'accident : la colonne commune, celle de la jointure."),
        (0, "0, c'est le nombre de lignes right_only : avec how=\"left\", il n'y en a jamais. Compte les left_only."),
    ],
    lecon=LECON, numero=2,
)

q3 = Question(
    "Quels sont les codes de commune saisis qui ne sont pas dans la liste 2026 ?",
    attendu=codes_non_trouves,
    comparaison=Ensemble(reveler=False),
    indices=[
        "Garde d'abord les lignes de jointure où _merge vaut \"left_only\", puis prends leur colonne commune.",
        "jointure[jointure[\"_merge\"] == \"left_only\"][\"commune\"] donne la colonne ; .unique() enlève les "
        "doublons (l'ordre ne compte pas ici).",
    ],
    solution='codes_inconnus = jointure[jointure["_merge"] == "left_only"]["commune"].unique()',
    explication=("Autre façon, avec isin : "
                 "accidents[~accidents[\"commune\"].isin(communes[\"code\"])][\"commune\"].unique()."),
    erreurs_frequentes=[
        (lambda: _non_vide(set(_non_trouves()["code_commune_2026"].dropna())),
         "Ce sont les codes 2026 (colonne code_commune_2026) de ces accidents : on veut les codes saisis, "
         "dans la colonne commune."),
        (lambda: _non_vide(set(_non_trouves()["code_commune_2026"])),
         "Ce sont les codes 2026 (colonne code_commune_2026) de ces accidents : on veut les codes saisis, "
         "dans la colonne commune."),
        (lambda: set(_accidents()["commune"].dropna()),
         "Tu as pris les codes de tous les accidents : garde seulement les lignes où _merge vaut \"left_only\"."),
        (lambda: _non_vide(set(_accidents()["commune"].dropna()) - codes_non_trouves()),
         "Ce sont les codes qui ONT été trouvés (both) : on veut ceux qui valent \"left_only\"."),
    ],
    lecon=LECON, numero=3,
)

q4 = Question(
    "Ajoute à accidents_2026 le nom et le type de l'EPCI de chaque accident (table noms_epci).",
    attendu=accidents_epci,
    comparaison=Tableau(colonnes=["num_acc", "code_commune_2026", "epci", "nom_epci", "type_epci"],
                        ignorer_ordre_lignes=True),
    indices=[
        "La clé s'appelle epci dans les deux tables (accidents_2026 et noms_epci) : tu peux écrire on=\"epci\".",
        "accidents_2026.merge(noms_epci, on=\"epci\", how=\"left\") — how=\"left\" garde tous les accidents, même "
        "ceux dont la commune n'a pas d'EPCI.",
    ],
    solution='accidents_epci = accidents_2026.merge(noms_epci, on="epci", how="left")',
    erreurs_frequentes=[
        (lambda r: "nom_x" in r.columns or "code_x" in r.columns,
         "Ta table a des colonnes nom_x et nom_y (ou code_x et code_y) : les deux tables avaient une colonne de "
         "même nom. Utilise noms_epci, dont les colonnes ont été renommées, avec on=\"epci\"."),
        (lambda r: len(r) == len(_communes()),
         "Ta table a une ligne par commune : pars de accidents_2026 (une ligne par accident) et ajoute-lui "
         "noms_epci."),
        (lambda r, attendu: len(r) < len(attendu),
         "Il manque des accidents : ceux dont la commune n'a pas d'EPCI (code inconnu, commune île sans "
         "intercommunalité) ont disparu. Avec how=\"left\", on garde toutes les lignes de la table de gauche."),
    ],
    lecon=LECON, numero=4,
)

q5 = Question(
    "Ajoute à par_commune le nom et la population 2021 de chaque commune (table populations).",
    attendu=accidents_population,
    comparaison=Tableau(colonnes=["code", "accidents", "nom", "population_2021"], ignorer_ordre_lignes=True),
    indices=[
        "La table de gauche est par_commune (une ligne par commune qui a eu des accidents) ; à droite, "
        "populations[[\"code\", \"nom\", \"population_2021\"]].",
        "La clé s'appelle code des deux côtés : par_commune.merge(populations[[\"code\", \"nom\", "
        "\"population_2021\"]], on=\"code\", how=\"left\").",
    ],
    solution=('accidents_pop = par_commune.merge(populations[["code", "nom", "population_2021"]], on="code", '
              'how="left")'),
    erreurs_frequentes=[
        (lambda r: "population" in r.columns and "population_2021" not in r.columns,
         "Tu as pris la population de la table communes (millésime 2026) : prends population_2021 dans la table "
         "populations, le millésime le plus proche des années des accidents."),
        (lambda r: "population_2021" not in r.columns and "population_2026" in r.columns,
         "Tu as pris population_2026 : l'exercice demande population_2021, le millésime le plus proche des années "
         "des accidents (2005-2020)."),
        (lambda r, attendu: len(r) == len(_populations()) and len(r) != len(attendu),
         "Ta table a une ligne par commune du territoire, même sans accident (cases vides) : mets par_commune à "
         "gauche du merge, et populations à droite."),
    ],
    lecon=LECON, numero=5,
)

q6 = Question(
    "Combien de communes du territoire n'ont eu aucun accident corporel enregistré de 2005 à 2020 ?",
    attendu=nb_communes_sans_accident,
    comparaison=Nombre(),
    indices=[
        "Pars de la table communes : une commune sans accident est une commune dont le code n'est PAS dans la "
        "colonne code_commune_2026 des accidents.",
        "communes[\"code\"].isin(accidents[\"code_commune_2026\"]) vaut True pour les communes qui ont eu un "
        "accident ; le ~ devant inverse, et .sum() compte les True.",
    ],
    solution='nb_sans_accident = (~communes["code"].isin(accidents["code_commune_2026"])).sum()',
    explication=("Autre façon, avec merge : communes.merge(par_commune, on=\"code\", how=\"left\", indicator=True), "
                 "puis compter les left_only."),
    erreurs_frequentes=[
        (lambda: len(_communes()) - nb_communes_sans_accident(),
         "Ça, c'est le nombre de communes qui ONT eu au moins un accident : ajoute ~ devant isin pour garder les "
         "autres."),
        (lambda: len(_communes()), "Ça, c'est le nombre total de communes du territoire."),
        (lambda: int((~_communes()["code"].isin(_accidents()["commune"].dropna().unique())).sum()),
         "Tu as utilisé la colonne commune, le code saisi : les accidents saisis sous un ancien code ou un code "
         "d'arrondissement ne comptent pas pour leur commune de 2026. Prends la colonne code_commune_2026."),
        (lambda: int(_accidents()["code_commune_2026"].isna().sum()),
         "Tu as compté des accidents sans commune : on veut l'inverse, des communes sans accident. Pars de la "
         "table communes : communes[\"code\"].isin(...)."),
    ],
    lecon=LECON, numero=6,
)


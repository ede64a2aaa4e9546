"""Lesson 05 — Agréger et calculer: the questions and the tables they are checked against.

The lesson counts road accidents by group (``groupby``), turns counts into rates per 1,000
inhabitants and per year, measures the population change between the 2021 and 2026 vintages,
compares mean and median, and builds honest top-10 rankings (minimum population).

Every expected value is computed from the shipped data at check time, with the same steps as the
notebook's worked examples, so the lesson follows the territory setting (région 84 by default).
"""

from __future__ import annotations

import functools

import pandas as pd

from alacarte.donnees import charger, dossier_donnees
from alacarte.exercices import Choix, Nombre, Parties, Question, Tableau
from alacarte.territoires import Territoire, territoire

LECON = "05"

#: the period of the accident rates: the last five years of the shipped files
PREMIERE_ANNEE, DERNIERE_ANNEE = 2016, 2020
NB_ANNEES = DERNIERE_ANNEE - PREMIERE_ANNEE + 1
#: minimum population of a commune in the rankings by rate
SEUIL_HABITANTS = 2000


# ------------------------------------------------------------------------------------------------
# The tables of the lesson, as the notebook builds them (cached per territory)
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _tables(t: Territoire, dossier: str) -> dict:
    accidents = charger("accidents", territoire=t)
    recents = accidents[accidents["annee"] >= PREMIERE_ANNEE]
    communes = charger("communes", territoire=t)
    nb_par_commune = recents.groupby("code_commune_2026").size().reset_index(name="nb_accidents")
    nb_par_commune = nb_par_commune.rename(columns={"code_commune_2026": "code"})
    par_commune = communes[["code", "nom", "departement", "epci", "epci_nom", "population"]].merge(
        nb_par_commune, on="code", how="left")
    par_commune["nb_accidents"] = par_commune["nb_accidents"].fillna(0).astype(int)
    par_commune["taux"] = par_commune["nb_accidents"] / NB_ANNEES / par_commune["population"] * 1000
    return {
        "accidents": accidents[["annee", "departement", "nb_tues"]],
        "recents": recents[["annee", "departement", "code_commune_2026", "nb_tues"]],
        "communes": communes[["code", "departement", "epci", "population"]],
        "par_commune": par_commune,
        "populations": charger("populations", territoire=t),
        "epci": charger("epci", territoire=t)[["code", "population"]],
    }


def _t(nom: str) -> pd.DataFrame:
    """One table of the lesson for the current territory (a copy: callers may change it)."""
    return _tables(territoire(), str(dossier_donnees()))[nom].copy()


def accidents_par_departement(toutes_annees: bool = False) -> pd.Series:
    """Number of accidents per département, 2016–2020 (or 2005–2020)."""
    return _t("accidents" if toutes_annees else "recents").groupby("departement").size()


def par_commune() -> pd.DataFrame:
    """One row per commune: code, nom, departement, epci, epci_nom, population, nb_accidents, taux."""
    return _t("par_commune")


def taux_par_epci(population: pd.Series | None = None, par: float = 1000, annees: int = NB_ANNEES) -> pd.Series:
    """Accidents per year per 1,000 inhabitants for each EPCI (index « epci »), 2016–2020.

    population: another denominator (e.g. the whole EPCI's population) for the typical mistakes.
    """
    pc = par_commune()
    nb = pc.groupby("epci")["nb_accidents"].sum()
    habitants = pc.groupby("epci")["population"].sum() if population is None else population
    return nb / annees / habitants * par


def _totaux_populations(comparables: bool = False) -> tuple[float, float]:
    pops = _t("populations")
    if comparables:
        pops = pops[pops["non_comparable"] == ""]
    return float(pops["population_2021"].sum()), float(pops["population_2026"].sum())


def evolution_population(comparables: bool = False) -> float:
    """Change of the territory's population between the 2021 and 2026 vintages, in %."""
    p21, p26 = _totaux_populations(comparables)
    return (p26 - p21) / p21 * 100


def top10_taux(seuil: int = SEUIL_HABITANTS, colonne: str = "taux", croissant: bool = False) -> pd.DataFrame:
    """The 10 communes of at least ``seuil`` inhabitants with the highest accident rate."""
    pc = par_commune()
    return pc[pc["population"] >= seuil].sort_values(colonne, ascending=croissant).head(10)


# ------------------------------------------------------------------------------------------------
# Small tests for the typical mistakes
# ------------------------------------------------------------------------------------------------

def _serie_proche(reponse, attendue: pd.Series, tolerance: float = 0.01) -> bool:
    """True if ``reponse`` is a Series with the same keys and values as ``attendue`` (index name aside)."""
    if not isinstance(reponse, pd.Series) or len(reponse) != len(attendue):
        return False
    r = pd.to_numeric(reponse, errors="coerce").astype("float64")
    a = pd.to_numeric(attendue, errors="coerce").astype("float64")
    r.index, a.index = r.index.astype(str), a.index.astype(str)
    if set(r.index) != set(a.index):
        return False
    r = r.reindex(a.index)
    return bool(((r - a).abs() <= tolerance).all())


def _a_des_cases_vides(reponse) -> bool:
    return isinstance(reponse, pd.Series) and bool(reponse.isna().any())


def _groupby_sans_calcul(reponse) -> bool:
    """A ``groupby`` without the calculation after it (``.size()``, ``.sum()``…)."""
    return type(reponse).__name__.endswith("GroupBy")


def _table_de_communes(reponse) -> bool:
    return isinstance(reponse, pd.DataFrame) and "population" in reponse.columns and len(reponse) > 0


# ------------------------------------------------------------------------------------------------
# The questions
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "Combien d'accidents chaque département de ton territoire a-t-il comptés de 2016 à 2020 ?",
    attendu=lambda: accidents_par_departement(),
    comparaison=Tableau(ignorer_index=False, ignorer_ordre_lignes=True),
    indices=[
        "Pars du tableau recents (les accidents de 2016 à 2020) et regroupe ses lignes par la colonne "
        "\"departement\" avec groupby.",
        "Une ligne = un accident : compter les accidents d'un groupe, c'est compter ses lignes avec .size(). "
        "Écris recents.groupby(\"departement\").size().",
    ],
    solution='accidents_dep = recents.groupby("departement").size()',
    explication='recents["departement"].value_counts() donne le même résultat, trié du plus grand au plus petit.',
    erreurs_frequentes=[
        (_groupby_sans_calcul,
         "Tu as regroupé, mais pas encore calculé : ajoute .size() pour compter les lignes de chaque paquet."),
        (lambda r: isinstance(r, pd.DataFrame) and r.shape[1] > 2,
         "Tu obtiens un tableau entier : .count() compte les cases remplies de CHAQUE colonne. Utilise .size(), "
         "qui compte les lignes de chaque paquet."),
        (lambda r: isinstance(r, pd.DataFrame) and r.shape[1] == 2 and "departement" in r.columns,
         "Tu as transformé le résultat en tableau (reset_index ?) : garde la colonne que donne le groupby, avec "
         "les départements comme étiquettes."),
        (lambda: accidents_par_departement(toutes_annees=True),
         "Tu as compté les accidents de toutes les années (2005 à 2020) : pars du tableau recents, qui ne garde "
         "que 2016 à 2020."),
        (lambda: _t("recents").groupby("departement")["nb_tues"].sum(),
         "Tu as additionné les tués : on veut le nombre d'accidents. Une ligne = un accident, donc compte les "
         "lignes avec .size()."),
        (lambda: accidents_par_departement() / NB_ANNEES,
         "Tu as divisé par le nombre d'années : ici, on veut le total sur les 5 ans (la moyenne par an viendra "
         "dans la partie 2)."),
    ],
    bravo="Bravo ! Mais attention : un département plus peuplé a forcément plus d'accidents. La partie 2 "
          "montre comment comparer équitablement.",
    lecon=LECON, numero=1,
)

q2 = Question(
    "Calcule pour chaque EPCI le nombre d'accidents par an pour 1 000 habitants (2016–2020).",
    attendu=lambda: taux_par_epci(),
    comparaison=Tableau(ignorer_index=False, ignorer_ordre_lignes=True, tolerance=0.01),
    indices=[
        "Trois étapes : (1) le nombre d'accidents par EPCI = la somme de la colonne nb_accidents de "
        "par_commune, regroupée par \"epci\" ; (2) les habitants par EPCI = la somme de la colonne population, "
        "regroupée de la même façon ; (3) la division.",
        "nb_epci = par_commune.groupby(\"epci\")[\"nb_accidents\"].sum(), puis la même chose avec "
        "\"population\" pour habitants_epci. Enfin : taux_epci = nb_epci / nb_annees / habitants_epci * 1000.",
    ],
    solution=(
        'nb_epci = par_commune.groupby("epci")["nb_accidents"].sum()\n'
        'habitants_epci = par_commune.groupby("epci")["population"].sum()\n'
        "taux_epci = nb_epci / nb_annees / habitants_epci * 1000"
    ),
    explication="On additionne d'abord les accidents et les habitants de toutes les communes de l'EPCI, puis on "
                "divise : c'est le taux de l'EPCI comme si c'était une seule grande commune.",
    erreurs_frequentes=[
        (_groupby_sans_calcul,
         "Tu as regroupé, mais pas encore calculé : ajoute la colonne et le calcul, par exemple "
         "[\"nb_accidents\"].sum()."),
        (lambda r: isinstance(r, pd.Series) and r.index.nlevels > 1,
         "Ton résultat a deux niveaux d'étiquettes : regroupe seulement par \"epci\", avec groupby(\"epci\")."),
        (lambda: par_commune().groupby("epci")["taux"].mean(),
         "Tu as fait la moyenne des taux des communes : un village de 50 habitants y pèse autant que la "
         "ville-centre. Additionne d'abord les accidents et les habitants de l'EPCI, puis divise."),
        (lambda: taux_par_epci(annees=1),
         "Ton résultat est 5 fois trop grand : c'est le taux sur les 5 ans. Divise aussi par nb_annees (5) "
         "pour avoir un taux par an."),
        (lambda: taux_par_epci(par=1),
         "Ton résultat est 1 000 fois trop petit : c'est le nombre d'accidents par habitant. Multiplie par 1000 "
         "pour l'avoir pour 1 000 habitants."),
        (lambda: taux_par_epci(par=100_000),
         "Ton résultat est 100 fois trop grand : on veut un taux pour 1 000 habitants (* 1000), pas pour "
         "100 000."),
        (lambda r: _serie_proche(r, taux_par_epci(population=charger("epci").set_index("code")["population"])
                                 .reindex(taux_par_epci().index)) and not _serie_proche(r, taux_par_epci()),
         "Tu as divisé par la population de la table epci : elle compte aussi les habitants qui vivent hors de "
         "ton territoire, alors que les accidents ne concernent que ton territoire. Additionne la population des "
         "communes de par_commune."),
        (_a_des_cases_vides,
         "Ton résultat a des cases vides (NaN) : un EPCI sans aucun accident en 5 ans manque dans ton comptage. "
         "Pars de par_commune, qui a une ligne pour chaque commune (0 accident compris)."),
    ],
    lecon=LECON, numero=2,
)

q3 = Question(
    "Quelles sont la moyenne et la médiane de la population des communes de ton territoire ?",
    attendu=lambda: {"moyenne": float(_t("communes")["population"].mean()),
                     "mediane": float(_t("communes")["population"].median())},
    comparaison=Parties(moyenne=Nombre(tolerance=1, unite="habitants"),
                        mediane=Nombre(tolerance=0.5, unite="habitants")),
    indices=[
        "Ce sont deux méthodes de la colonne communes[\"population\"] : l'une s'appelle mean (moyenne en "
        "anglais), l'autre median.",
        "moyenne = communes[\"population\"].mean() et mediane = communes[\"population\"].median() — "
        "n'oublie pas les parenthèses.",
    ],
    solution='moyenne = communes["population"].mean()\nmediane = communes["population"].median()',
    erreurs_frequentes=[
        (lambda: {"moyenne": float(_t("communes")["population"].median()),
                  "mediane": float(_t("communes")["population"].mean())},
         "Tu as inversé : la moyenne se calcule avec .mean(), la médiane avec .median()."),
        (lambda r: isinstance(r, dict) and abs(float(r["mediane"]) - (
            _t("communes")["population"].max() + _t("communes")["population"].min()) / 2) <= 1,
         "La médiane n'est pas le milieu entre la plus petite et la plus grande commune : c'est la population de "
         "la commune du milieu quand on les range toutes. Utilise .median()."),
        (lambda r: isinstance(r, dict) and abs(float(r["moyenne"]) - _t("communes")["population"].sum()) <= 1,
         "Pour la moyenne, tu as la somme des populations : il faut encore la diviser par le nombre de communes "
         "(ou utiliser .mean())."),
    ],
    bravo="Bravo ! Regarde l'écart entre les deux : la suite explique d'où il vient.",
    lecon=LECON, numero=3,
)

q4 = Question(
    "De combien de % la population de ton territoire a-t-elle évolué entre les millésimes 2021 et 2026 ?",
    attendu=lambda: evolution_population(),
    comparaison=Nombre(tolerance=0.005, unite="%"),
    indices=[
        "Une évolution en % : (valeur d'arrivée − valeur de départ) / valeur de départ × 100. Ici, les valeurs "
        "sont les populations totales du territoire : additionne d'abord chaque colonne avec .sum().",
        "total_2021 = populations[\"population_2021\"].sum(), pareil pour 2026, puis "
        "evolution = (total_2026 - total_2021) / total_2021 * 100.",
    ],
    solution=(
        'total_2021 = populations["population_2021"].sum()\n'
        'total_2026 = populations["population_2026"].sum()\n'
        "evolution = (total_2026 - total_2021) / total_2021 * 100"
    ),
    erreurs_frequentes=[
        (lambda: (_totaux_populations()[1] - _totaux_populations()[0]) / _totaux_populations()[1] * 100,
         "Tu as divisé par la population de 2026 : une évolution se rapporte à la valeur de DÉPART (2021)."),
        (lambda: _totaux_populations()[1] - 100,
         "Il manque des parenthèses : Python divise avant de soustraire. Écris (total_2026 - total_2021) / "
         "total_2021 * 100."),
        (lambda: _totaux_populations()[1] - _totaux_populations()[0],
         "Ça, c'est le nombre d'habitants gagnés (ou perdus) : divise-le par la population de 2021, puis "
         "multiplie par 100 pour avoir un pourcentage."),
        (lambda: _totaux_populations()[1] / _totaux_populations()[0] * 100,
         "Tu as calculé 2026 / 2021 × 100 : environ 100 veut dire « pas de changement ». Soustrais d'abord la "
         "population de 2021 (ou enlève 100 à ton résultat)."),
        (lambda: _totaux_populations()[1] / _totaux_populations()[0],
         "Tu as calculé le rapport 2026 / 2021 : soustrais d'abord la population de 2021, divise, puis "
         "multiplie par 100."),
        (lambda: float(((_t("populations")["population_2026"] - _t("populations")["population_2021"])
                        / _t("populations")["population_2021"] * 100).mean()),
         "Tu as fait la moyenne des évolutions des communes : un village qui passe de 10 à 20 habitants (+100 %) "
         "y pèse autant qu'une grande ville. Additionne d'abord les populations du territoire, puis calcule "
         "une seule évolution."),
    ],
    lecon=LECON, numero=4,
)

q5 = Question(
    "Construis le top 10 des communes d'au moins 2 000 habitants qui ont le plus d'accidents par an pour "
    "1 000 habitants.",
    attendu=lambda: top10_taux(),
    comparaison=Tableau(colonnes=["code", "nom", "population", "nb_accidents", "taux"], tolerance=0.01),
    indices=[
        "Deux étapes : d'abord garder les lignes de par_commune dont la population est d'au moins 2 000 "
        "(un filtre avec >=), ensuite trier selon la colonne \"taux\" du plus grand au plus petit et garder "
        "les 10 premières lignes.",
        "par_commune[par_commune[\"population\"] >= 2000].sort_values(\"taux\", ascending=False).head(10)",
    ],
    solution='top10 = par_commune[par_commune["population"] >= 2000].sort_values("taux", ascending=False).head(10)',
    erreurs_frequentes=[
        (lambda r: _table_de_communes(r) and bool((r["population"] < SEUIL_HABITANTS).any()),
         "Ton classement contient des communes de moins de 2 000 habitants : filtre d'abord par_commune avec "
         "par_commune[\"population\"] >= 2000, puis trie."),
        (lambda: top10_taux(croissant=True),
         "Tu as les 10 communes qui ont le MOINS d'accidents par habitant : trie avec ascending=False."),
        (lambda: top10_taux(colonne="nb_accidents"),
         "Tu as trié selon le nombre d'accidents : on veut le classement selon le taux (colonne \"taux\")."),
        (lambda r: _table_de_communes(r) and bool((r["population"] >= 5000).all())
            and not bool((top10_taux()["population"] >= 5000).all()),
         "Ton seuil est trop haut : on garde les communes d'au moins 2 000 habitants."),
    ],
    bravo="Bravo ! Regarde les noms : sont-ce les plus grandes villes ? Pourquoi ces communes-là, à ton avis ?",
    lecon=LECON, numero=5,
)

q6 = Question(
    "Nombre ou taux : quelles phrases sont justes ?",
    comparaison=Choix(bonnes=["b", "c"], options=["a", "b", "c", "d"], explications={
        "a": "Non : la plus grande ville a le plus d'accidents surtout parce qu'elle a le plus d'habitants (et de "
             "voitures). Pour parler de risque, il faut rapporter au nombre d'habitants.",
        "d": "Non : dans une toute petite commune, 1 ou 2 accidents suffisent pour un taux énorme. Ce taux dépend "
             "du hasard : il faut un seuil (de population ou de nombre d'accidents) avant de classer.",
    }),
    indices=[
        "Repense aux deux premiers classements de la partie 5 : le top 10 en nombre, puis le top 10 en taux "
        "sans seuil.",
        "Il y a deux bonnes réponses : une sur le fait de rapporter au nombre d'habitants, une sur les toutes "
        "petites communes.",
    ],
    solution='reponse = "b, c"',
    explication="Un nombre dit « combien », un taux permet de comparer des territoires de tailles différentes ; "
                "mais un taux calculé sur très peu d'habitants (ou très peu d'accidents) n'est pas fiable.",
    lecon=LECON, numero=6,
)

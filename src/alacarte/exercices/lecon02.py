"""Lesson 02 — Lire un tableau: the questions and the data they are checked against.

Every expected value is computed from the shipped data at check time, so the lesson follows the
territory setting (région 84 by default, 53 and 94 tested). The spreadsheet-like file the lesson
writes is rebuilt here from the same real data (``table_tableur``) rather than read back, so the
checks never depend on a file in the learner's folder.
"""

from __future__ import annotations

import functools

import pandas as pd

from alacarte.donnees import charger, chemin
from alacarte.exercices import Choix, Ensemble, Liste, Personnalise, Question, Tableau
from alacarte.territoires import territoire

LECON = "02"

#: columns of the table the lesson saves « comme un tableur français »
COLONNES_TABLEUR = ["code", "nom", "population_2021", "population_2026", "evolution_pct"]


# ------------------------------------------------------------------------------------------------
# Data
# ------------------------------------------------------------------------------------------------

def _communes() -> pd.DataFrame:
    return charger("communes")


def table_tableur() -> pd.DataFrame:
    """The communes of the territory with their legal populations 2021 and 2026 and the change in %.

    Exactly what the lesson builds before saving it with ``sep=";"``, ``decimal=","`` and cp1252;
    a correct ``read_csv`` of that file gives the same values back.
    """
    populations = charger("populations")
    tableur = populations[["code", "nom", "population_2021", "population_2026"]].copy()
    tableur["evolution_pct"] = ((tableur["population_2026"] - tableur["population_2021"])
                                / tableur["population_2021"] * 100).round(1)
    return tableur


def top10_evolution() -> pd.DataFrame:
    return table_tableur().sort_values("evolution_pct", ascending=False).head(10)


@functools.lru_cache(maxsize=1)
def _accidents_brut_cache(path: str) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str)


def accidents_brut() -> pd.DataFrame:
    """The raw accident extract, every column read as text (as the lesson reads it)."""
    return _accidents_brut_cache(str(chemin("accidents_brut"))).copy()


def departements_du_territoire() -> list[str]:
    """Codes of the départements of the current territory, sorted (« 01 », « 2A »…)."""
    return sorted(territoire().departements)


def accidents_du_territoire() -> pd.DataFrame:
    """Raw accidents whose ``dep`` is exactly one of the territory's département codes (no cleaning)."""
    accidents = accidents_brut()
    return accidents[accidents["dep"].isin(departements_du_territoire())]


# ------------------------------------------------------------------------------------------------
# Checks used by several questions
# ------------------------------------------------------------------------------------------------

def _est_table(r) -> bool:
    return isinstance(r, pd.DataFrame)


def _colonnes_en_texte(r) -> bool:
    """Every column of the answer is text (read with dtype=str)."""
    return _est_table(r) and r.shape[1] > 1 and all(
        pd.api.types.is_string_dtype(r[c]) or r[c].dtype == object for c in r.columns)


def _une_seule_colonne_avec_points_virgules(r) -> bool:
    return _est_table(r) and r.shape[1] <= 2 and any(";" in str(c) for c in r.columns)


def _code_en_nombre(r) -> bool:
    return _est_table(r) and "code" in r.columns and pd.api.types.is_numeric_dtype(r["code"])


def _evolution_en_texte(r) -> bool:
    return (_est_table(r) and "evolution_pct" in r.columns
            and not pd.api.types.is_numeric_dtype(r["evolution_pct"]))


def _lu_en_latin1(r) -> bool:
    """Names holding C1 control characters: cp1252's œ (0x9C) or ’ (0x92) read as latin-1."""
    return (_est_table(r) and "nom" in r.columns
            and r["nom"].astype(str).str.contains("[\x80-\x9f]", regex=True).any())


def _ordre_evolution(reponse, attendu) -> tuple[bool, str | None]:
    """The rows' evolutions come in the expected order (ties may come in any order)."""
    voulu = [None if pd.isna(v) else round(float(v), 6) for v in attendu["evolution_pct"]]
    recu = [None if pd.isna(v) else round(float(v), 6) for v in reponse["evolution_pct"]]
    if recu == voulu:
        return True, None
    if recu == voulu[::-1]:
        return False, ("Tu as les bonnes communes, mais dans l'ordre inverse : la plus forte hausse doit être "
                       "en premier (ascending=False).")
    return False, ("Tu as les bonnes communes, mais pas dans le bon ordre : trie avec "
                   "sort_values(\"evolution_pct\", ascending=False).")


# ------------------------------------------------------------------------------------------------
# Questions
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "Combien de lignes et de colonnes a le tableau des communes de ton territoire ?",
    attendu=lambda: _communes().shape,
    comparaison=Liste(ordre=True),
    indices=[
        "Un tableau pandas a un attribut qui donne sa taille : il s'écrit après un point, sans parenthèses.",
        "taille = communes.shape : le premier nombre est le nombre de lignes, le second le nombre de colonnes.",
    ],
    solution="taille = communes.shape",
    erreurs_frequentes=[
        (lambda: tuple(reversed(_communes().shape)),
         "Tu as inversé : .shape donne d'abord le nombre de lignes, puis le nombre de colonnes."),
        (lambda r: r == len(_communes()),
         "C'est seulement le nombre de lignes : il faut aussi le nombre de colonnes. .shape donne les deux."),
        (lambda r: r == _communes().shape[1],
         "C'est seulement le nombre de colonnes : il faut aussi le nombre de lignes. .shape donne les deux."),
        (lambda r: r == _communes().size,
         "C'est le nombre de cases (lignes × colonnes), que donne .size : il faut les lignes et les colonnes "
         "séparément, avec .shape."),
        (lambda r: isinstance(r, str),
         "Ta réponse est du texte : écris communes.shape, sans guillemets."),
    ],
    bravo="Bravo ! Chaque ligne est une commune (un objet), chaque colonne un descripteur.",
    lecon=LECON, numero=1,
)

q2 = Question(
    "Lis correctement le fichier enregistré « comme un tableur français ».",
    attendu=table_tableur,
    comparaison=Tableau(),
    indices=[
        "Repars de l'essai 3 : pd.read_csv(fichier, sep=\";\", encoding=\"cp1252\"). Il manque deux réglages : "
        "un pour la virgule décimale, un pour garder le code en texte.",
        "La virgule décimale : decimal=\",\". Le code en texte : dtype={\"code\": str}, un dictionnaire qui dit "
        "« colonne → type ». Sépare les réglages par des virgules.",
    ],
    solution='communes_lues = pd.read_csv(fichier, sep=";", encoding="cp1252", decimal=",", dtype={"code": str})',
    erreurs_frequentes=[
        (_une_seule_colonne_avec_points_virgules,
         "Ton tableau n'a qu'une seule colonne, dont le nom contient des « ; » : pandas a cherché des virgules "
         "entre les colonnes. Indique le bon séparateur avec sep=\";\"."),
        (_colonnes_en_texte,
         "Toutes tes colonnes sont du texte, même les populations : avec dtype=str, tout devient texte. "
         "Garde seulement le code en texte : dtype={\"code\": str}."),
        (_lu_en_latin1,
         "Presque ! Certains noms ont un caractère invisible à la place de « œ » (Mercœur, Plœuc…) : latin-1 "
         "ne connaît pas « œ ». Le tableur a écrit en cp1252 : encoding=\"cp1252\"."),
        (_code_en_nombre,
         "La colonne code est devenue un nombre (dans l'Ain, « 01001 » deviendrait 1001). Un code INSEE est du "
         "texte : ajoute dtype={\"code\": str}."),
        (_evolution_en_texte,
         "La colonne evolution_pct est du texte (comme « 10,4 ») : pour Python, un nombre décimal s'écrit avec un "
         "point. Dis à pandas que la virgule sert de séparateur décimal : decimal=\",\"."),
        (lambda r: _est_table(r) and 0 < len(r) < len(table_tableur()),
         "Ton tableau a moins de lignes que le fichier : lis-le en entier, sans nrows ni filtre."),
    ],
    bravo="Bravo ! Les codes sont du texte, les nombres décimaux des nombres : regarde communes_lues.dtypes.",
    lecon=LECON, numero=2,
)

q3 = Question(
    "Construis le tableau des 10 communes dont la population a le plus augmenté (en %), "
    "de la plus forte hausse à la moins forte.",
    attendu=top10_evolution,
    comparaison=Tableau(colonnes=["nom", "evolution_pct"], ignorer_ordre_lignes=True)
    & Personnalise(_ordre_evolution),
    indices=[
        "Trie le tableau tableur selon la colonne evolution_pct avec sort_values, puis garde le début avec head.",
        'tableur.sort_values("evolution_pct", ascending=False).head(10)',
    ],
    solution='top10 = tableur.sort_values("evolution_pct", ascending=False).head(10)',
    erreurs_frequentes=[
        (lambda r: _est_table(r) and len(r) == len(table_tableur()),
         "Tu as trié tout le tableau : garde seulement les 10 premières lignes avec .head(10)."),
        (lambda: table_tableur().sort_values("evolution_pct").head(10),
         "Ce sont les 10 plus fortes BAISSES : pour avoir les plus fortes hausses en premier, "
         "ajoute ascending=False."),
        (lambda r: _evolution_en_texte(r),
         "Ta colonne evolution_pct est du texte : le tri est alphabétique (« 9,9 » passe devant « 12,5 »). "
         "Trie le tableau tableur, dont les évolutions sont des nombres."),
        (lambda: table_tableur().sort_values("population_2026", ascending=False).head(10),
         "Tu as trié selon la population : il faut trier selon l'évolution, la colonne evolution_pct."),
        (lambda r: _est_table(r) and 0 < len(r) != 10,
         "Il faut exactement 10 communes : garde les 10 premières lignes du tableau trié avec .head(10)."),
    ],
    bravo="Bravo ! Regarde maintenant leurs populations : grandes ou petites communes ?",
    lecon=LECON, numero=3,
)

q4 = Question(
    "Dans la cellule usagers de la première ligne, on lit u'grav': 3. Que sont grav et 3 ?",
    comparaison=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
        "a": "C'est l'inverse : le descripteur, c'est le nom (grav, la gravité) ; la valeur, c'est ce qu'il vaut "
             "pour cette personne (3).",
        "c": "3 n'est pas un nombre de blessés : c'est un code. La table des codes, juste au-dessus, dit ce qu'il "
             "veut dire.",
        "d": "Dans la cellule, chaque paire « clé: valeur » associe un descripteur (la clé) à sa valeur, comme "
             "dans un dictionnaire Python.",
    }),
    indices=[
        "Dans un dictionnaire Python {clé: valeur}, la clé est le descripteur, et ce qui suit les deux-points est "
        "sa valeur.",
        "Regarde la table des codes de grav juste au-dessus : que veut dire le code 3 ?",
    ],
    solution='reponse = "b"',
    explication="grav est un descripteur (la gravité) ; 3 est sa valeur pour cette personne, un code qui veut dire "
                "« blessé hospitalisé ».",
    lecon=LECON, numero=4,
)

q5 = Question(
    "Garde seulement les accidents dont le département (colonne dep) est un des départements de ton territoire.",
    attendu=accidents_du_territoire,
    comparaison=Tableau(colonnes=["Num_Acc", "an", "dep", "com"]),
    indices=[
        "accidents[\"dep\"].isin(departements) donne une colonne de True/False : True quand dep est dans la liste.",
        'Glisse ce masque entre crochets : accidents[accidents["dep"].isin(departements)]',
    ],
    solution='accidents_territoire = accidents[accidents["dep"].isin(departements)]',
    erreurs_frequentes=[
        (lambda r: isinstance(r, pd.Series) and pd.api.types.is_bool_dtype(r),
         "Ta réponse est une colonne de True/False : c'est le masque. Sers-t'en pour garder des lignes : "
         "accidents[masque]."),
        (lambda r: _est_table(r) and len(r) == len(accidents_brut()),
         "Ton tableau contient encore tout le fichier (trois régions) : il faut garder seulement les lignes dont "
         "dep est dans la liste departements."),
        (lambda r: _est_table(r) and len(r) == 0,
         "Ton tableau est vide : les codes de départements sont du texte (\"01\", \"2A\"), pas des nombres. "
         "Utilise la liste departements déjà prête."),
        (lambda r: _est_table(r) and "dep" in r.columns and r["dep"].nunique() == 1
         and len(departements_du_territoire()) > 1,
         "Tu n'as gardé qu'un seul département : avec .isin(departements), tu les gardes tous d'un coup."),
    ],
    bravo="Bravo ! Ton filtre a gardé les accidents de ton territoire… enfin, presque : vérifions les années.",
    lecon=LECON, numero=5,
)

q6 = Question(
    "Quelles années (valeurs de la colonne an) trouve-t-on dans ton tableau accidents_territoire ?",
    attendu=lambda: sorted(accidents_du_territoire()["an"].unique()),
    comparaison=Ensemble(),
    indices=[
        "Prends la colonne an de ton tableau filtré : accidents_territoire[\"an\"].",
        "La méthode .unique() donne chaque valeur une seule fois : accidents_territoire[\"an\"].unique()",
    ],
    solution='annees = accidents_territoire["an"].unique()',
    erreurs_frequentes=[
        (lambda r: isinstance(r, pd.Series) and set(map(str, r.index)) == set(accidents_du_territoire()["an"]),
         "Tu as compté les accidents par année (value_counts) : bonne idée pour voir ! Mais la réponse attendue, "
         "ce sont les années elles-mêmes : .unique()."),
        (lambda r: set(map(str, r)) == set(accidents_brut()["an"]) != set(accidents_du_territoire()["an"]),
         "Ce sont les années de tout le fichier : prends la colonne an de ton tableau filtré, accidents_territoire."),
        (lambda r: isinstance(r, str),
         "Ta réponse est un seul texte : il faut une liste de valeurs. Calcule-la avec "
         "accidents_territoire[\"an\"].unique()."),
        (lambda r: not isinstance(r, str) and all(isinstance(v, int) for v in r),
         "Dans le fichier, l'année est du texte (on l'a lu avec dtype=str) : calcule la réponse avec .unique() "
         "au lieu de recopier des nombres."),
    ],
    bravo="Bravo ! Mais… où sont passés 2016, 2017 et 2018 ? Le fichier les contient pourtant. Enquête ci-dessous.",
    lecon=LECON, numero=6,
)

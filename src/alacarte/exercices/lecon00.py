"""Lesson 00 — Prendre en main Jupyter et Python: the questions and the small data they use.

Every expected value is computed from the shipped data at check time, so the lesson follows
the territory setting (région 84 by default, any other with ``choisir_territoire``).
"""

from __future__ import annotations

from alacarte.donnees import charger
from alacarte.exercices import Choix, Liste, Nombre, Question, Tableau, Texte
from alacarte.territoires import territoire

LECON = "00"


def _communes():
    return charger("communes")


def exemple_commune() -> dict:
    """A real commune of the territory: the chef-lieu of the région or département, else the largest.

    Returns its name, codes and legal populations of the 2021 and 2026 vintages, as plain Python values.
    """
    t = territoire()
    code = None
    if t.niveau in ("region", "departement"):
        table = charger("regions" if t.niveau == "region" else "departements", territoire=t)
        code = str(table.loc[table.code == t.code, "chef_lieu"].iloc[0])
    pops = charger("populations", territoire=t)
    if code is None or code not in set(pops.code):
        code = str(pops.sort_values("population_2026", ascending=False).code.iloc[0])
    ligne = pops[pops.code == code].iloc[0]
    return {
        "code": code,
        "nom": str(ligne["nom"]),
        "departement": str(ligne["departement"]),
        "region": str(ligne["region"]),
        "population_2021": int(ligne["population_2021"]),
        "population_2026": int(ligne["population_2026"]),
    }


def quatre_populations() -> list[int]:
    """Populations (2026) of four communes of the territory drawn at random, always the same four."""
    communes = _communes()
    return [int(p) for p in communes.sample(min(4, len(communes)), random_state=2026)["population"]]


def une_commune() -> dict:
    """The example commune as a dictionary of descriptors, as a row of the communes table."""
    e = exemple_commune()
    return {"code": e["code"], "nom": e["nom"], "departement": e["departement"], "region": e["region"],
            "population": e["population_2026"]}


q1 = Question(
    "Combien de secondes dure un cours de 55 minutes ?",
    attendu=55 * 60,
    comparaison=Nombre(),
    indices=[
        "Une minute dure 60 secondes.",
        "Il faut donc multiplier le nombre de minutes par 60. En Python, multiplier s'écrit avec une étoile *.",
    ],
    solution="reponse = 55 * 60",
    erreurs_frequentes=[
        (55 + 60, "Tu as additionné 55 et 60 : il faut multiplier (avec *)."),
        (55 / 60, "Tu as divisé : il faut multiplier 55 par 60 (avec *)."),
    ],
    lecon=LECON, numero=1,
)

q2 = Question(
    "Que fait Maj + Entrée ?",
    comparaison=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
        "a": "Enregistrer, c'est Ctrl + S (ou l'icône de disquette).",
        "c": "Exécuter une cellule remplace son résultat, mais ne l'efface pas.",
        "d": "Pour ajouter une cellule, on utilise le bouton + de la barre d'outils.",
    }),
    indices=[
        "Tu l'as utilisée pour faire apparaître le résultat d'un calcul.",
        "Après l'avoir utilisée, le curseur se retrouve dans la cellule d'après.",
    ],
    solution='reponse = "b"',
    lecon=LECON, numero=2,
)

q3 = Question(
    "De combien d'habitants la commune exemple a-t-elle varié entre les millésimes 2021 et 2026 ?",
    attendu=lambda: exemple_commune()["population_2026"] - exemple_commune()["population_2021"],
    comparaison=Nombre(),
    indices=[
        "Une variation, c'est la valeur d'arrivée moins la valeur de départ.",
        "La valeur d'arrivée est dans habitants_2026, celle de départ dans habitants_2021 : soustrais-les avec -.",
    ],
    solution="variation = habitants_2026 - habitants_2021",
    erreurs_frequentes=[
        (lambda: exemple_commune()["population_2021"] - exemple_commune()["population_2026"],
         "Tu as fait 2021 moins 2026 : c'est l'inverse, la valeur d'arrivée (2026) moins celle de départ (2021)."),
        (lambda: exemple_commune()["population_2026"] + exemple_commune()["population_2021"],
         "Tu as additionné les deux populations : une variation se calcule avec une soustraction."),
    ],
    lecon=LECON, numero=3,
)

q4 = Question(
    "Range les quatre populations de la plus petite à la plus grande.",
    attendu=lambda: sorted(quatre_populations()),
    comparaison=Liste(ordre=True),
    indices=[
        "Une fonction toute faite trie une liste : elle commence par « sort ».",
        "rangees = sorted(populations)",
    ],
    solution="rangees = sorted(populations)",
    erreurs_frequentes=[
        (lambda: sorted(quatre_populations(), reverse=True),
         "Ta liste est rangée de la plus grande à la plus petite : il faut l'ordre croissant (sans reverse=True)."),
        (lambda: quatre_populations(), "Ta liste est dans l'ordre de départ : il faut la trier."),
    ],
    lecon=LECON, numero=4,
)

q5 = Question(
    "Quel est le code du département de la commune décrite par le dictionnaire ?",
    attendu=lambda: une_commune()["departement"],
    comparaison=Texte(),
    indices=[
        "La clé qui donne le département s'appelle \"departement\" (sans accent).",
        'On lit une valeur d\'un dictionnaire avec des crochets et la clé entre guillemets : commune["..."].',
    ],
    solution='code_dep = commune["departement"]',
    erreurs_frequentes=[
        (lambda r: isinstance(r, dict), "Ta réponse est tout le dictionnaire : lis seulement la valeur de la clé "
                                        "\"departement\" avec des crochets."),
        (lambda: une_commune()["code"], "Ça, c'est le code de la commune : on veut celui de son département."),
    ],
    lecon=LECON, numero=5,
)

q6 = Question(
    "Écris la phrase « NOM compte N habitants en 2026. » avec une f-string.",
    attendu=lambda: f"{exemple_commune()['nom']} compte {exemple_commune()['population_2026']} habitants en 2026.",
    comparaison=Texte(reveler=True),
    indices=[
        "Une f-string commence par f juste avant les guillemets : f\"...\".",
        'Glisse les variables entre accolades : f"{nom} compte {habitants_2026} habitants en 2026."',
    ],
    solution='phrase = f"{nom} compte {habitants_2026} habitants en 2026."',
    erreurs_frequentes=[
        (lambda r: isinstance(r, str) and "{" in r,
         "On voit encore des accolades dans ta phrase : as-tu oublié le f devant les guillemets ?"),
        (lambda r: isinstance(r, str) and "habitants_2026" in r,
         "Ta phrase contient le nom de la variable au lieu de sa valeur : mets-le entre accolades dans une f-string."),
    ],
    lecon=LECON, numero=6,
)

q7 = Question(
    "Combien de communes compte le territoire ?",
    attendu=lambda: len(_communes()),
    comparaison=Nombre(),
    indices=[
        "Chaque ligne du tableau communes est une commune.",
        "La fonction len() donne le nombre de lignes d'un tableau : len(communes).",
    ],
    solution="nb_communes = len(communes)",
    erreurs_frequentes=[
        (lambda: len(_communes().columns), "Tu as compté les colonnes (les descripteurs), pas les lignes."),
        (lambda: int(_communes()["population"].sum()), "Ça, c'est le nombre d'habitants : on veut le nombre de "
                                                      "communes, c'est-à-dire de lignes."),
    ],
    lecon=LECON, numero=7,
)

q8 = Question(
    "Construis le tableau des 5 communes les plus peuplées, de la plus peuplée à la moins peuplée.",
    attendu=lambda: _communes().sort_values("population", ascending=False).head(5),
    comparaison=Tableau(ignorer_index=True),
    indices=[
        "Trie d'abord le tableau selon la colonne population avec sort_values.",
        "Pour avoir les plus grandes en premier, ajoute ascending=False ; .head(5) garde les 5 premières lignes.",
    ],
    solution='top5 = communes.sort_values("population", ascending=False).head(5)',
    erreurs_frequentes=[
        (lambda: _communes().sort_values("population").head(5),
         "Tu as les 5 communes les MOINS peuplées : ajoute ascending=False dans sort_values."),
        (lambda: _communes().sort_values("population").tail(5),
         "Ce sont bien les 5 plus peuplées, mais de la moins peuplée à la plus peuplée : trie avec ascending=False."),
    ],
    lecon=LECON, numero=8,
)

"""Exercises with instant French feedback, in the spirit of Kaggle's learntools (no account, no network).

In a notebook::

    from alacarte.exercices import ____, lecon00 as ex
    reponse = ____
    ex.q2.verifier(reponse)   # ✅ correct / ❌ precise feedback / ✋ pas encore tenté
    ex.q2.indice()            # the next hint, one per call
    ex.q2.solution()          # the solution

A lesson module (``lecon00.py``…) only declares its questions with :class:`Question` and the
comparisons below. :func:`bilan` summarises the learner's local progress.
"""

from alacarte.exercices.comparaisons import (
    Choix,
    Comparaison,
    Ensemble,
    Liste,
    Nombre,
    Parties,
    Personnalise,
    Texte,
    Tous,
    comparaison_pour,
)
from alacarte.exercices.graphiques import CarteFolium, FigurePlotly
from alacarte.exercices.progression import bilan
from alacarte.exercices.tableaux import Tableau, TableauGeo
from alacarte.exercices.verificateur import (
    Question,
    ReponseIncorrecte,
    Resultat,
    Statut,
    ____,
    contient_a_completer,
    mode_strict,
)

#: a free-number quiz answer (agents' modules) is a number compared with a tolerance
NombreLibre = Nombre

__all__ = [
    "____", "Question", "Resultat", "Statut", "ReponseIncorrecte", "mode_strict", "contient_a_completer", "bilan",
    "Comparaison", "Nombre", "NombreLibre", "Texte", "Liste", "Ensemble", "Choix", "Tableau", "TableauGeo",
    "FigurePlotly", "CarteFolium", "Personnalise", "Tous", "Parties", "comparaison_pour",
]

"""The exercise checker: questions with three outcomes, progressive hints and solutions, in French.

In a lesson notebook::

    from alacarte.exercices import ____, lecon00 as ex
    reponse = ____
    ex.q2.verifier(reponse)   # ✅ correct / ❌ precise feedback / ✋ not attempted yet
    ex.q2.indice()            # the next hint, one per call
    ex.q2.solution()          # the solution

A lesson module declares its questions::

    from alacarte.exercices import Question, Texte
    q2 = Question(
        "Quelle est la commune la plus peuplée du territoire ?",
        attendu=lambda: communes().sort_values("population").iloc[-1]["nom"],   # computed when checked
        comparaison=Texte(),
        indices=["Trie les communes par population.", "La dernière ligne est la plus peuplée : .iloc[-1]."],
        solution='communes.sort_values("population").iloc[-1]["nom"]',
        lecon="00", numero=2,
    )

Environment variables:
    ALACARTE_STRICT=1      a wrong or missing answer raises ReponseIncorrecte, a checker bug is
                           re-raised (for CI runs of the corrected notebooks).
    ALACARTE_PROGRESSION   see :mod:`alacarte.exercices.progression`.
"""

from __future__ import annotations

import enum
import html
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from alacarte.erreurs import ErreurAlacarte
from alacarte.exercices import progression
from alacarte.exercices._texte import citer, couper, enumerer, est_nombre, nombre_fr
from alacarte.exercices.comparaisons import Comparaison, Parties, _nb_parametres, comparaison_pour

__all__ = [
    "____", "Question", "Resultat", "Statut", "ReponseIncorrecte", "Encadre", "mode_strict", "contient_a_completer",
    "afficher", "questions_connues",
]


# ------------------------------------------------------------------------------------------------
# The placeholder
# ------------------------------------------------------------------------------------------------

class _ACompleter:
    """The ``____`` placeholder of student notebooks: one unique object, shown as ``____``."""

    _instance: _ACompleter | None = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __reduce__(self):  # copies and pickles stay the same unique object
        return (_ACompleter, ())

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self


____ = _ACompleter()


def contient_a_completer(valeur: Any, profondeur: int = 0) -> bool:
    """True if ``valeur`` is ``____`` or holds it inside lists, tuples, sets, dicts (keys or values) or
    pandas tables and columns."""
    if valeur is ____:
        return True
    if profondeur > 20:
        return False
    if isinstance(valeur, Mapping):
        return any(contient_a_completer(k, profondeur + 1) or contient_a_completer(v, profondeur + 1)
                   for k, v in valeur.items())
    if isinstance(valeur, (list, tuple, set, frozenset)):
        return any(contient_a_completer(v, profondeur + 1) for v in valeur)
    if type(valeur).__module__.startswith(("pandas", "geopandas")) and hasattr(valeur, "dtypes"):
        # a table or column still holding ____ (only object columns can hold it)
        colonnes = [valeur] if getattr(valeur, "ndim", 2) == 1 else [valeur.iloc[:, i] for i in range(valeur.shape[1])]
        return any(str(col.dtype) == "object" and any(v is ____ for v in col) for col in colonnes)
    return False


# ------------------------------------------------------------------------------------------------
# Outcomes and their display
# ------------------------------------------------------------------------------------------------

class Statut(enum.Enum):
    """The outcome of a check."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    NON_TENTE = "non_tente"
    ERREUR = "erreur"


# icon, word, border, background, text colour (text/background contrast above 10:1)
_STYLES = {
    "correct": ("✅", "Correct", "#1b7a3a", "#e9f6ee", "#0b2e17"),
    "incorrect": ("❌", "Incorrect", "#b3261e", "#fdeceb", "#4a0b07"),
    "non_tente": ("✋", "Pas encore tenté", "#1d4f91", "#e9f0fb", "#0b2447"),
    "erreur": ("⚠️", "Problème du vérificateur", "#8a5a00", "#fff4df", "#3d2800"),
    "indice": ("💡", "Indice", "#6b4fbb", "#f3effc", "#24164d"),
    "solution": ("📖", "Solution", "#444444", "#f6f6f6", "#111111"),
    "info": ("ℹ️", "Information", "#1d4f91", "#e9f0fb", "#0b2447"),
}


def _texte_html(texte: str) -> str:
    """Escape a message (it may quote the learner's answer), then `code` spans and line breaks."""
    echappe = html.escape(texte, quote=True)
    echappe = re.sub(r"`([^`\n]+)`", r"<code>\1</code>", echappe)
    return echappe.replace("\n", "<br>")


def _code_html(code: str, langage: str = "python") -> str:
    """Syntax-highlighted Python with inline styles (Pygments' accessible default style), or plain text."""
    brut = f'<pre style="margin:.3em 0;color:#111"><code>{html.escape(code)}</code></pre>'
    if langage != "python":
        return brut
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import PythonLexer
    except ImportError:  # pragma: no cover - Pygments comes with Jupyter
        return brut
    formateur = HtmlFormatter(noclasses=True, style="default", nobackground=True)
    return highlight(code, PythonLexer(), formateur).replace(
        '<div class="highlight"', '<div class="highlight" role="region" aria-label="code Python"', 1)


@dataclass
class Encadre:
    """A displayed box: a result, a hint, a solution. Icon and word, never colour alone.

    ``_repr_html_`` for JupyterLab and Voilà (``role="status"``, escaped text, explicit colours),
    ``__str__``/``__repr__`` for a plain console.
    """

    genre: str
    message: str = ""
    titre: str | None = None
    code: str | None = None
    langage: str = "python"

    @property
    def mot(self) -> str:
        return self.titre or _STYLES[self.genre][1]

    def __str__(self) -> str:
        icone = _STYLES[self.genre][0]
        texte = f"{icone} {self.mot}"
        if self.message:
            texte += f" : {self.message}" if "\n" not in self.message else f"\n{self.message}"
        if self.code:
            texte += "\n" + "\n".join("    " + ligne for ligne in self.code.splitlines())
        return texte

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        icone, _, bord, fond, encre = _STYLES[self.genre]
        corps = f" — {_texte_html(self.message)}" if self.message and "\n" not in self.message else ""
        bloc = f'<div style="margin-top:.3em">{_texte_html(self.message)}</div>' if "\n" in self.message else ""
        code = (f'<div style="margin-top:.3em;background:#fff;padding:.2em .5em">'
                f'{_code_html(self.code, self.langage)}</div>') if self.code else ""
        return (f'<div class="alacarte-{self.genre}" role="status" style="border-left:6px solid {bord};'
                f'background:{fond};color:{encre};padding:.55em .9em;margin:.35em 0;border-radius:4px;'
                f'line-height:1.5;font-size:1em">'
                f'<span aria-hidden="true">{icone}</span> <strong>{html.escape(self.mot)}</strong>{corps}{bloc}{code}'
                f'</div>')


@dataclass(repr=False)
class Resultat(Encadre):
    """The outcome of ``Question.evaluer``: statut, French message, and the exception of a checker bug."""

    statut: Statut = Statut.INCORRECT
    exception: BaseException | None = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return self.statut is Statut.CORRECT


def _resultat(statut: Statut, message: str, exception: BaseException | None = None) -> Resultat:
    return Resultat(genre=statut.value, message=message, statut=statut, exception=exception)


def afficher(objet: Any) -> None:
    """Show an object in the notebook (rich display), or print it outside IPython."""
    try:
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        print(objet, flush=True)
        return
    display(objet)


# ------------------------------------------------------------------------------------------------
# Strict mode
# ------------------------------------------------------------------------------------------------

class ReponseIncorrecte(ErreurAlacarte, AssertionError):
    """Raised in strict mode (ALACARTE_STRICT=1) for a wrong or missing answer."""


def mode_strict() -> bool:
    """True when ALACARTE_STRICT asks wrong answers to raise (CI runs of the corrected notebooks)."""
    return os.environ.get("ALACARTE_STRICT", "").strip().lower() in ("1", "true", "oui", "yes", "on")


# ------------------------------------------------------------------------------------------------
# Questions
# ------------------------------------------------------------------------------------------------

BRAVO = "Bravo, c'est la bonne réponse !"
A_COMPLETER = "Remplace ____ par ta réponse, puis relance la cellule."

_questions: dict[tuple[str, Any], Question] = {}


def questions_connues() -> dict[tuple[str, Any], Question]:
    """Every question declared so far, by (lesson, number)."""
    return dict(_questions)


ErreurFrequente = tuple[Any, str]


class Question:
    """An exercise: a statement, an expected value, how to compare, hints and a solution.

    enonce: the question, as the notebook asks it.
    attendu: the expected value, or a function without argument that computes it when the answer
      is checked (so that it follows the current territory).
    comparaison: a Comparaison (Nombre(), Texte(), Tableau()…), or a dict ``{part: Comparaison}``
      for several named answers; by default, the natural one for the expected value's type.
    indices: at least two hints, from a gentle nudge to nearly the answer.
    solution: the solution, as code (shown highlighted); explication: text shown under it.
    erreurs_frequentes: ``[(condition, message), …]`` for typical wrong answers, tried (in order)
      when the answer is wrong, before the comparison's own message. A condition is a value (the
      wrong answer, compared like the answer), a function of the answer (``lambda r: len(r) == 4025``),
      of the answer and the expected value, or a function without argument computing the wrong value.
    bravo: the message of a correct answer (a fun fact, a next step).
    lecon, numero: identify the exercise (progress, messages).
    """

    def __init__(self, enonce: str, attendu: Any = None, comparaison: Comparaison | Mapping | None = None,
                 indices: Iterable[str] = (), solution: str | None = None, lecon: str | int | None = None,
                 numero: int | str | None = None, erreurs_frequentes: Iterable[ErreurFrequente] = (),
                 explication: str | None = None, bravo: str | None = None):
        self.enonce = str(enonce).strip()
        self.lecon = None if lecon is None else (f"{lecon:02d}" if isinstance(lecon, int) else str(lecon))
        self.numero = numero
        if not self.enonce:
            raise ValueError(f"{self.libelle} : l'énoncé est vide.")
        if isinstance(comparaison, Mapping):
            comparaison = Parties(comparaison)
        if comparaison is not None and not isinstance(comparaison, Comparaison):
            raise TypeError(f"{self.libelle} : comparaison doit être une Comparaison (Nombre(), Texte()…), "
                            f"pas {comparaison!r}.")
        if attendu is None and (comparaison is None or comparaison.utilise_attendu):
            raise ValueError(f"{self.libelle} : donne la valeur attendue (attendu=...).")
        self.attendu = attendu
        self.comparaison = comparaison
        self.indices = [str(i) for i in indices]
        if len(self.indices) < 2 or not all(i.strip() for i in self.indices):
            raise ValueError(f"{self.libelle} : il faut au moins 2 indices non vides (il y en a {len(self.indices)}).")
        self.solution_code = solution
        self.explication = explication
        self.bravo = bravo
        self.erreurs_frequentes = [self._erreur_frequente(e) for e in erreurs_frequentes]
        self._indices_vus = 0
        if self.lecon is not None and self.numero is not None:
            _questions[(self.lecon, self.numero)] = self

    def _erreur_frequente(self, erreur: Any) -> ErreurFrequente:
        if not (isinstance(erreur, tuple) and len(erreur) == 2 and isinstance(erreur[1], str)):
            raise TypeError(f"{self.libelle} : chaque erreur fréquente est un couple (condition, \"message\").")
        return erreur

    # -- labels ---------------------------------------------------------------------------------

    @property
    def libelle(self) -> str:
        """« Leçon 00, exercice 2 » (or a shorter form for a question without identity)."""
        morceaux = []
        if getattr(self, "lecon", None) is not None:
            morceaux.append(f"Leçon {self.lecon}")
        if getattr(self, "numero", None) is not None:
            morceaux.append(f"exercice {self.numero}")
        texte = ", ".join(morceaux)
        return texte[:1].upper() + texte[1:] if texte else "Exercice"

    @property
    def enonce_court(self) -> str:
        return couper(self.enonce, 70)

    @property
    def _nom(self) -> str:
        return f"q{self.numero}" if self.numero is not None else "q"

    def __repr__(self) -> str:
        return f"{self.libelle} — {self.enonce}"

    def _repr_html_(self) -> str:
        return Encadre("info", self.enonce, titre=self.libelle)._repr_html_()

    # -- checking -------------------------------------------------------------------------------

    def valeur_attendue(self) -> Any:
        """The expected value, computed now if it is a function."""
        return self.attendu() if callable(self.attendu) else self.attendu

    def evaluer(self, *reponses: Any, **parties: Any) -> Resultat:
        """Check an answer and return the Resultat, without display, progress or strict mode."""
        try:
            return self._evaluer(reponses, parties)
        except Exception as exc:  # a bug in the checker or in the lesson's expected value
            detail = couper(f"{type(exc).__name__}: {exc}", 160)
            return _resultat(Statut.ERREUR, (
                "le vérificateur a rencontré un problème et n'a pas pu juger ta réponse (elle n'est peut-être pas "
                f"fausse !). Relance la cellule ; si ça recommence, montre ce message à ton enseignant·e. "
                f"(Détail technique : {detail})"), exc)

    def verifier(self, *reponses: Any, **parties: Any) -> None:
        """Check the answer, show the outcome, note it in the local progress.

        ``q.verifier(reponse)``; for a question in parts ``q.verifier(a, b)``, ``q.verifier(a=…, b=…)``
        or ``q.verifier({"a": …, "b": …})``. In strict mode (ALACARTE_STRICT=1) a wrong or missing
        answer raises ReponseIncorrecte and a checker bug is re-raised.
        """
        resultat = self.evaluer(*reponses, **parties)
        if resultat.statut in (Statut.CORRECT, Statut.INCORRECT) and self.lecon is not None \
                and self.numero is not None:
            progression.enregistrer(self.lecon, self.numero, resultat.statut.value)
        afficher(resultat)
        if mode_strict():
            if resultat.statut is Statut.ERREUR and resultat.exception is not None:
                raise resultat.exception
            if resultat.statut is not Statut.CORRECT:
                raise ReponseIncorrecte(f"{self.libelle} ({resultat.mot}) : {resultat.message}")

    def _rassembler(self, reponses: tuple, parties: dict) -> tuple[Any, str | None]:
        """The answer as one value (a dict for a question in parts), or a usage message."""
        if isinstance(self.comparaison, Parties):
            noms = self.comparaison.noms
            if len(reponses) == 1 and isinstance(reponses[0], Mapping) and not parties:
                valeur = dict(reponses[0])
            else:
                if len(reponses) > len(noms):
                    return None, (f"Cet exercice attend {len(noms)} réponses ({', '.join(noms)}), tu en as donné "
                                  f"{len(reponses)}.")
                valeur = dict(zip(noms, reponses, strict=False))
                valeur.update(parties)
            inconnues = [n for n in valeur if n not in noms]
            if inconnues:
                return None, (f"{citer(str(inconnues[0]))} n'est pas une partie de cet exercice : les parties sont "
                              f"{enumerer(noms, len(noms))}.")
            manquantes = [n for n in noms if n not in valeur]
            if manquantes:
                return None, (f"Il manque {enumerer([f'« {n} »' for n in manquantes], len(noms))} : écris "
                              f"{self._nom}.verifier({', '.join(noms)}).")
            return valeur, None
        if parties:
            return None, (f"Cet exercice attend une seule réponse, sans nom : {self._nom}.verifier(reponse).")
        if len(reponses) != 1:
            return None, (f"Cet exercice attend une seule réponse : {self._nom}.verifier(reponse)"
                          + (f", pas {len(reponses)}." if reponses else "."))
        return reponses[0], None

    def _evaluer(self, reponses: tuple, parties: dict) -> Resultat:
        if not reponses and not parties:
            arguments = ", ".join(self.comparaison.noms) if isinstance(self.comparaison, Parties) else "reponse"
            return _resultat(Statut.NON_TENTE,
                             f"Donne ta réponse entre les parenthèses : {self._nom}.verifier({arguments}).")
        reponse, erreur_usage = self._rassembler(reponses, parties)
        if erreur_usage:
            if contient_a_completer(list(reponses) + list(parties.values())):
                return _resultat(Statut.NON_TENTE, A_COMPLETER)
            return _resultat(Statut.INCORRECT, erreur_usage)
        if contient_a_completer(reponse) and not isinstance(self.comparaison, Parties):
            return _resultat(Statut.NON_TENTE, A_COMPLETER)
        comparaison = self.comparaison
        attendu = self.valeur_attendue() if comparaison is None or comparaison.utilise_attendu else self.attendu
        comparaison = comparaison or comparaison_pour(attendu)
        if isinstance(comparaison, Parties):
            return self._evaluer_parties(comparaison, reponse, attendu)
        ok, message = comparaison.comparer(reponse, attendu)
        if ok:
            return _resultat(Statut.CORRECT, self.bravo or BRAVO)
        return _resultat(Statut.INCORRECT, self._message_frequent(reponse, attendu, comparaison)
                         or message or "Ce n'est pas encore la bonne réponse.")

    def _evaluer_parties(self, parties: Parties, reponse: dict, attendu: Any) -> Resultat:
        attendus = parties.attendus(attendu)
        if all(contient_a_completer(v) for v in reponse.values()):
            return _resultat(Statut.NON_TENTE, A_COMPLETER)
        lignes, fausses, a_faire = [], 0, 0
        for nom in parties.noms:
            if contient_a_completer(reponse[nom]):
                a_faire += 1
                lignes.append(f"• {nom} : ✋ remplace ____ par ta réponse.")
                continue
            ok, message = parties.comparer_partie(nom, reponse[nom], attendus[nom])
            if ok:
                lignes.append(f"• {nom} : ✅ juste.")
            else:
                fausses += 1
                lignes.append(f"• {nom} : ❌ {message or 'ce n’est pas encore la bonne réponse.'}")
        if not fausses and not a_faire:
            return _resultat(Statut.CORRECT, self.bravo or BRAVO)
        if fausses:
            frequent = self._message_frequent(reponse, attendu, parties)
            if frequent:
                return _resultat(Statut.INCORRECT, frequent)
            return _resultat(Statut.INCORRECT, "\n".join(lignes))
        return _resultat(Statut.NON_TENTE, "\n".join(lignes))

    def _message_frequent(self, reponse: Any, attendu: Any, comparaison: Comparaison) -> str | None:
        for condition, message in self.erreurs_frequentes:
            if self._correspond(condition, reponse, attendu, comparaison):
                return message
        return None

    @staticmethod
    def _correspond(condition: Any, reponse: Any, attendu: Any, comparaison: Comparaison) -> bool:
        """Does a typical wrong answer match? A condition that fails on this answer does not match."""
        try:
            if callable(condition) and not isinstance(condition, Comparaison):
                n = _nb_parametres(condition)
                if n == 0:
                    return bool(comparaison.comparer(reponse, condition())[0])
                return bool(condition(reponse, attendu) if n >= 2 else condition(reponse))
            return bool(comparaison.comparer(reponse, condition)[0])
        except Exception:
            return False

    # -- hints and solution ---------------------------------------------------------------------

    def indice(self, numero: int | None = None) -> None:
        """Show the next hint (one more per call); ``indice(1)`` shows the first one again."""
        total = len(self.indices)
        if numero is not None:
            if not (isinstance(numero, int) and 1 <= numero <= total):
                afficher(Encadre("info", f"Il y a {total} indices : choisis un numéro de 1 à {total}."))
                return
            self._indices_vus = max(self._indices_vus, numero)
            afficher(Encadre("indice", self.indices[numero - 1], titre=f"Indice {numero}/{total}"))
            return
        if self._indices_vus >= total:
            afficher(Encadre("info", f"essaie {self._nom}.solution()", titre="Il n'y a plus d'indice"))
            return
        self._indices_vus += 1
        afficher(Encadre("indice", self.indices[self._indices_vus - 1], titre=f"Indice {self._indices_vus}/{total}"))

    def solution(self) -> None:
        """Show the solution: the code (highlighted) and the explanation, or else the expected value."""
        if self.solution_code:
            afficher(Encadre("solution", self.explication or "", code=self.solution_code))
            return
        tableau = None
        try:
            valeur = self.valeur_attendue()
            bonnes = getattr(self.comparaison, "bonnes", None)
            if valeur is None and bonnes:
                texte = f"La bonne réponse : {enumerer([f'« {b} »' for b in bonnes], 10)}."
            elif hasattr(valeur, "to_string") and hasattr(valeur, "head"):  # a DataFrame or Series
                texte = "La réponse attendue" + (" (ses 10 premières lignes) :" if len(valeur) > 10 else " :")
                tableau = valeur.head(10).to_string()
            else:
                texte = f"La bonne réponse : {_montrer_valeur(valeur)}."
        except Exception as exc:
            if mode_strict():
                raise
            afficher(_resultat(Statut.ERREUR, f"le vérificateur n'a pas pu calculer la solution ({type(exc).__name__}).",
                               exc))
            return
        if self.explication:
            texte += "\n" + self.explication
        afficher(Encadre("solution", texte, code=tableau, langage="texte"))


def _montrer_valeur(valeur: Any) -> str:
    if isinstance(valeur, str):
        return citer(valeur)
    if est_nombre(valeur):
        return nombre_fr(valeur)
    if isinstance(valeur, (list, tuple, set, frozenset)):
        return enumerer([citer(v) for v in valeur], 10)
    return couper(repr(valeur), 200)


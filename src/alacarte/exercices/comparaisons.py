"""Comparisons: how an answer is checked against the expected value, with precise French feedback.

Each comparison is a small object whose ``comparer(reponse, attendu)`` returns ``(ok, message)``:
``ok`` is a bool, ``message`` a French sentence saying what differs (``None`` when all is right).
They never raise for a learner's wrong answer, whatever its type; an exception means a bug in
the checker itself (or in a lesson's expected value), which :class:`~alacarte.exercices.Question`
reports as such.

This module holds the base class, single values, collections, choices and combinations; tables
are in :mod:`~alacarte.exercices.tableaux`, charts and maps in :mod:`~alacarte.exercices.graphiques`.
Heavy libraries (geopandas, plotly, folium) are imported only when a comparison needs them.
"""

from __future__ import annotations

import inspect
import math
from collections import Counter
from collections.abc import Callable, Mapping
from difflib import SequenceMatcher
from typing import Any

from alacarte.exercices._texte import (
    citer,
    decimales_pour,
    enumerer,
    est_nombre,
    nombre_fr,
    normaliser_texte,
    ordinal,
    pluriel,
    reponse_est,
)

__all__ = [
    "Comparaison", "Nombre", "Texte", "Liste", "Ensemble", "Choix", "Personnalise", "Tous", "Parties",
    "comparaison_pour", "message_type",
]

Verdict = tuple[bool, str | None]


def _scalaire(valeur: Any) -> Any:
    """numpy/pandas scalars -> plain Python values (so that 3 == np.int64(3) hashes alike)."""
    if hasattr(valeur, "item") and getattr(valeur, "ndim", 0) == 0 and not isinstance(valeur, (str, bytes)):
        try:
            return valeur.item()
        except (ValueError, TypeError, AttributeError):
            return valeur
    return valeur


def _est_manquant(valeur: Any) -> bool:
    """True for None, NaN, pd.NA, NaT (and False for anything that is not a single value)."""
    if valeur is None:
        return True
    import pandas as pd

    try:
        return pd.api.types.is_scalar(valeur) and bool(pd.isna(valeur))
    except (TypeError, ValueError):
        return False


def _egal(x: Any, y: Any) -> bool:
    """Exact equality that never raises: two missing values are equal, 3 == 3.0 == np.int64(3)."""
    manque_x, manque_y = _est_manquant(x), _est_manquant(y)
    if manque_x or manque_y:
        return manque_x and manque_y
    try:
        return bool(_cle(x) == _cle(y))
    except (TypeError, ValueError):
        return False


def _un_seul(reponse: Any, quoi: str) -> str | None:
    """Tip for a one-value Series/list/array handed in where a single value is expected."""
    nom = type(reponse).__name__
    if nom in ("Series", "ndarray", "Index", "list", "tuple"):
        try:
            n = len(reponse)
        except TypeError:
            return None
        if n == 1:
            acces = ".iloc[0]" if nom == "Series" else "[0]"
            return (f"{reponse_est(reponse)} : il faut {quoi} tout seul. "
                    f"Récupère la valeur avec {acces} (ou .item()).")
        if nom == "Series":
            return (f"{reponse_est(reponse)}, il faut {quoi} : as-tu oublié un calcul comme "
                    ".sum(), .mean() ou .max(), ou une sélection avec .loc ?")
    return None


def message_type(reponse: Any, quoi: str) -> str:
    """« Ta réponse est X, il faut Y » with a tip for the usual suspects (None, a function…)."""
    if reponse is None:
        return (f"Ta réponse est vide (None), il faut {quoi}. As-tu bien écrit ton calcul après « reponse = » ? "
                "Attention : print(...) ou .show() affichent mais ne renvoient rien.")
    return f"{reponse_est(reponse)}, il faut {quoi}."


class Comparaison:
    """Base class: ``comparer(reponse, attendu) -> (ok, message)``.

    Subclasses set ``utilise_attendu = False`` when they carry their own expectations (a
    multiple-choice question with ``bonnes=``, a map checked for its layers), so the question
    does not need an expected value. ``a & b`` builds a comparison that requires both.
    """

    utilise_attendu = True

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        raise NotImplementedError

    def __call__(self, reponse: Any, attendu: Any = None) -> Verdict:
        return self.comparer(reponse, attendu)

    def __and__(self, autre: Comparaison) -> Tous:
        return Tous(self, autre)

    def __repr__(self) -> str:
        reglages = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({reglages})"


# ------------------------------------------------------------------------------------------------
# Numbers and text
# ------------------------------------------------------------------------------------------------

class Nombre(Comparaison):
    """A single number (int, float or numpy scalar).

    tolerance: absolute tolerance (``0.1``: right within 0.1); relative: relative tolerance
    (``0.01``: right within 1 %). The answer is right when within either. Without both, integers
    must be exact and floats equal within 1e-9 (relative).
    reveler: say the expected value in the message (« il faut environ 14,2 »); otherwise only
    « trop grand » / « trop petit ».
    unite: unit written after numbers in messages (« % », « habitants »).
    """

    def __init__(self, tolerance: float | None = None, relative: float | None = None, reveler: bool = True,
                 unite: str = ""):
        if (tolerance is not None and tolerance < 0) or (relative is not None and relative < 0):
            raise ValueError("Nombre : la tolérance doit être positive ou nulle.")
        self.tolerance = tolerance
        self.relative = relative
        self.reveler = reveler
        self.unite = unite

    def _ecart(self, attendu: float) -> float:
        if self.tolerance is None and self.relative is None:
            return 0.0 if float(attendu).is_integer() else 1e-9 * max(1.0, abs(attendu))
        return max(self.tolerance or 0.0, (self.relative or 0.0) * abs(attendu))

    def _fmt(self, x: float, decimales: int | None = None) -> str:
        texte = nombre_fr(x, decimales)
        return f"{texte}\u00a0{self.unite}" if self.unite else texte

    def _precision(self) -> str:
        if self.relative and not self.tolerance:
            return f"à {nombre_fr(self.relative * 100)}\u00a0% près"
        return f"à {nombre_fr(self.tolerance)} près"

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        attendu = _scalaire(attendu)
        if not est_nombre(attendu):
            raise TypeError(f"Nombre : la valeur attendue n'est pas un nombre ({attendu!r})")
        reponse = _scalaire(reponse)
        if not est_nombre(reponse):
            return False, self._mauvais_type(reponse)
        r, a = float(reponse), float(attendu)
        if math.isnan(r):
            return False, ("Ta réponse vaut NaN (une valeur manquante) : ton calcul est tombé sur des cases vides. "
                           "Vérifie la colonne utilisée (.isna().sum()) ou ton filtre.")
        ecart = self._ecart(a)
        if abs(r - a) <= ecart:
            return True, None
        if a != 0 and abs(r * 100 - a) <= ecart:
            return False, (f"{self._fmt(r)} est 100 fois trop petit : pour un pourcentage, "
                           "n'oublie pas de multiplier par 100.")
        if a != 0 and abs(r / 100 - a) <= ecart:
            return False, f"{self._fmt(r)} est 100 fois trop grand : as-tu multiplié par 100 en trop ?"
        if a != 0 and abs(r + a) <= ecart:
            return False, f"{self._fmt(r)} a le mauvais signe : la valeur est bonne, mais le signe moins est en trop (ou manque)."
        exacte = ecart == 0 or (self.tolerance is None and self.relative is None)
        if not self.reveler:
            sens = "trop grand" if r > a else "trop petit"
            precision = "" if exacte else f" ({self._precision()})"
            return False, f"{self._fmt(r)} n'est pas la bonne valeur : c'est {sens}{precision}."
        if exacte:
            return False, f"{self._fmt(r)} n'est pas la bonne valeur : il faut {self._fmt(a)}."
        decimales = decimales_pour(ecart)
        return False, (f"{self._fmt(r)} n'est pas la bonne valeur : il faut environ "
                       f"{self._fmt(a, decimales)} ({self._precision()}).")

    def _mauvais_type(self, reponse: Any) -> str:
        if isinstance(reponse, str):
            brut = reponse.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
            try:
                float(brut)
            except ValueError:
                return f"{reponse_est(reponse)}, il faut un nombre."
            return f"{reponse_est(reponse)}, il faut un nombre : enlève les guillemets."
        return _un_seul(reponse, "un nombre") or message_type(reponse, "un nombre")


class Texte(Comparaison):
    """A single text answer (a name, a code, a word).

    By default case, accents, extra spaces and hyphens are ignored: « saint etienne » matches
    « Saint-Étienne ». reveler: say the expected text when the answer is wrong.
    """

    def __init__(self, ignorer_casse: bool = True, ignorer_accents: bool = True, ignorer_espaces: bool = True,
                 ignorer_tirets: bool = True, reveler: bool = False):
        self.ignorer_casse = ignorer_casse
        self.ignorer_accents = ignorer_accents
        self.ignorer_espaces = ignorer_espaces
        self.ignorer_tirets = ignorer_tirets
        self.reveler = reveler

    def _norm(self, texte: str) -> str:
        return normaliser_texte(texte, casse=self.ignorer_casse, accents=self.ignorer_accents,
                                espaces=self.ignorer_espaces, tirets=self.ignorer_tirets)

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        attendu = _scalaire(attendu)
        if not isinstance(attendu, str):
            raise TypeError(f"Texte : la valeur attendue n'est pas du texte ({attendu!r})")
        reponse = _scalaire(reponse)
        if not isinstance(reponse, str):
            if est_nombre(reponse) and attendu.strip().isdigit():
                return False, (f"{reponse_est(reponse)} : un code s'écrit comme du texte, entre guillemets, "
                               "avec ses zéros du début (par exemple \"01001\", pas 1001).")
            return False, _un_seul(reponse, "un texte") or message_type(reponse, "du texte (entre guillemets)")
        if self._norm(reponse) == self._norm(attendu):
            return True, None
        if not reponse.strip():
            return False, "Ta réponse est un texte vide : écris ta réponse entre les guillemets."
        if normaliser_texte(reponse) == normaliser_texte(attendu):
            return False, f"Presque ! {citer(reponse)} a juste une différence d'écriture : vérifie {self._difference(reponse, attendu)}."
        message = f"{citer(reponse)} n'est pas la bonne réponse."
        if SequenceMatcher(None, normaliser_texte(reponse), normaliser_texte(attendu)).ratio() >= 0.8:
            message += " Tu es tout près : vérifie l'orthographe."
        if self.reveler:
            message += f" Il fallait {citer(attendu)}."
        return False, message

    def _difference(self, reponse: str, attendu: str) -> str:
        """Which single kind of difference (case, accents, spaces, hyphens) separates two texts."""
        reglages = {"casse": self.ignorer_casse, "accents": self.ignorer_accents, "espaces": self.ignorer_espaces,
                    "tirets": self.ignorer_tirets}
        noms = {"casse": "les majuscules", "accents": "les accents", "espaces": "les espaces", "tirets": "les tirets"}
        for genre, ignore in reglages.items():
            if not ignore and normaliser_texte(reponse, **{**reglages, genre: True}) == normaliser_texte(
                    attendu, **{**reglages, genre: True}):
                return noms[genre]
        return "les majuscules, les accents, les espaces et les tirets"


# ------------------------------------------------------------------------------------------------
# Collections
# ------------------------------------------------------------------------------------------------

def _cle(valeur: Any) -> Any:
    """A hashable key for exact comparisons: numbers rounded off float noise, the rest as is."""
    valeur = _scalaire(valeur)
    if est_nombre(valeur):
        f = float(valeur)
        if math.isnan(f):
            return ("NaN",)
        return round(f, 9) + 0.0
    try:
        hash(valeur)
    except TypeError:
        return ("repr", repr(valeur))
    return valeur


def _en_liste(reponse: Any) -> list | None:
    """A list from list/tuple/Series/Index/array/set; None for anything else."""
    if isinstance(reponse, (list, tuple, set, frozenset)):
        return [_scalaire(v) for v in reponse]
    if hasattr(reponse, "tolist") and getattr(reponse, "ndim", 1) == 1:  # Series, Index, numpy/pandas arrays
        return [_scalaire(v) for v in reponse.tolist()]
    return None


def _retenir(valeurs: list, combien: Counter) -> list:
    """The values whose key still has a count in ``combien`` (each one as many times as counted)."""
    restant, retenues = Counter(combien), []
    for v in valeurs:
        if restant[_cle(v)] > 0:
            retenues.append(v)
            restant[_cle(v)] -= 1
    return retenues


class Liste(Comparaison):
    """A list of values (a list, tuple, Series or array are all accepted).

    ordre: the order matters (a ranking) or not. element: how two items are compared
    (e.g. ``Texte()`` to ignore case, ``Nombre(tolerance=0.1)``); exact by default.
    reveler: name the missing items in the message (a few of them).
    """

    _mot = "liste"
    _doublons = True

    def __init__(self, ordre: bool = True, element: Comparaison | None = None, reveler: bool = True):
        self.ordre = ordre
        self.element = element
        self.reveler = reveler

    def _egaux(self, r: Any, a: Any) -> bool:
        if self.element is not None:
            try:
                return bool(self.element.comparer(r, a)[0])
            except (TypeError, ValueError):
                return False
        return _egal(r, a)

    def _preparer(self, valeurs: list) -> list:
        return valeurs

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        attendus = _en_liste(attendu)
        if attendus is None:
            raise TypeError(f"{type(self).__name__} : la valeur attendue n'est pas une liste ({attendu!r})")
        if isinstance(reponse, (set, frozenset)) and self.ordre:
            return False, (f"{reponse_est(reponse)} : un ensemble n'a pas d'ordre. "
                           "Il faut une liste, entre crochets [ ], dans le bon ordre.")
        if isinstance(reponse, Mapping):
            return False, f"{reponse_est(reponse)}, il faut une {self._mot} : list(d) donne ses clés, list(d.values()) ses valeurs."
        if type(reponse).__name__ in ("DataFrame", "GeoDataFrame"):
            return False, f"{reponse_est(reponse)}, il faut une {self._mot} : prends une seule colonne, par exemple tableau[\"nom\"]."
        reponses = _en_liste(reponse)
        if reponses is None:
            exemple = "[\"a\", \"b\"]" if attendus and isinstance(attendus[0], str) else "[1, 2]"
            return False, f"{reponse_est(reponse)}, il faut une {self._mot} de valeurs, par exemple {exemple}."
        attendus, reponses = self._preparer(attendus), self._preparer(reponses)
        manquants, en_trop = self._difference(reponses, attendus)
        if manquants and en_trop and all(est_nombre(v) for v in en_trop) \
                and all(isinstance(v, str) and v.isdigit() for v in manquants):
            return False, (f"Tes codes sont des nombres ({citer(en_trop[0])}) : ils doivent rester du texte "
                           f"({citer(manquants[0])}), sinon le zéro du début disparaît.")
        if manquants or en_trop:
            return False, self._message_difference(reponses, attendus, manquants, en_trop)
        if self.ordre:
            for i, (r, a) in enumerate(zip(reponses, attendus, strict=True), start=1):
                if not self._egaux(r, a):
                    if len(attendus) > 1 and all(self._egaux(x, y) for x, y in zip(reponses, attendus[::-1], strict=True)):
                        return False, ("Tu as les bons éléments, mais dans l'ordre inverse : "
                                       "trie dans l'autre sens (ascending=False ?).")
                    return False, (f"Tu as les bons éléments, mais pas dans le bon ordre : "
                                   f"le {ordinal(i, feminin=False)} devrait être {citer(a)}, pas {citer(r)}.")
        return True, None

    def _difference(self, reponses: list, attendus: list) -> tuple[list, list]:
        """Items of attendus not matched in reponses, and the reverse (as multisets)."""
        if self.element is None:
            cles_r = Counter(_cle(v) for v in reponses)
            cles_a = Counter(_cle(v) for v in attendus)
            return _retenir(attendus, cles_a - cles_r), _retenir(reponses, cles_r - cles_a)
        libres = list(reponses)
        manquants = []
        for a in attendus:
            for j, r in enumerate(libres):
                if self._egaux(r, a):
                    del libres[j]
                    break
            else:
                manquants.append(a)
        return manquants, libres

    def _message_difference(self, reponses: list, attendus: list, manquants: list, en_trop: list) -> str:
        morceaux = []
        if len(reponses) != len(attendus):
            morceaux.append(f"Ta {self._mot} a {pluriel(len(reponses), 'élément')}, il en faut {nombre_fr(len(attendus))}.")
        if manquants and self.reveler:
            morceaux.append(f"Il manque : {enumerer([citer(v) for v in manquants])}.")
        elif manquants:
            morceaux.append(f"Il manque {pluriel(len(manquants), 'élément')}.")
        if en_trop:
            morceaux.append(f"En trop : {enumerer([citer(v) for v in en_trop])}.")
        doublons = [v for v, n in Counter(_cle(v) for v in reponses).items() if n > 1]
        if doublons and self._doublons and not any(n > 1 for n in Counter(_cle(v) for v in attendus).values()):
            morceaux.append("Ta réponse contient des doublons : .unique() ou drop_duplicates() les enlève.")
        return " ".join(morceaux)


class Ensemble(Liste):
    """A set of values: order and repeats do not matter (a set, a list, a Series…)."""

    _mot = "réponse"
    _doublons = False

    def __init__(self, element: Comparaison | None = None, reveler: bool = True):
        super().__init__(ordre=False, element=element, reveler=reveler)

    def _preparer(self, valeurs: list) -> list:
        uniques, vues = [], set()
        for v in valeurs:
            cle = _cle(v)
            if cle not in vues:
                vues.add(cle)
                uniques.append(v)
        if self.element is not None:  # lenient items: also merge items that the element says are equal
            fusion: list = []
            for v in uniques:
                if not any(self._egaux(v, w) for w in fusion):
                    fusion.append(v)
            return fusion
        return uniques

    def _message_difference(self, reponses, attendus, manquants, en_trop):
        morceaux = []
        if len(reponses) != len(attendus):
            morceaux.append(f"Ta réponse a {pluriel(len(reponses), 'élément différent', 'éléments différents')}, "
                            f"il en faut {nombre_fr(len(attendus))}.")
        if manquants and self.reveler:
            morceaux.append(f"Il manque : {enumerer([citer(v) for v in manquants])}.")
        elif manquants:
            morceaux.append(f"Il manque {pluriel(len(manquants), 'élément')}.")
        if en_trop:
            morceaux.append(f"En trop : {enumerer([citer(v) for v in en_trop])}.")
        return " ".join(morceaux)


class Choix(Comparaison):
    """A multiple-choice question (one or several right options).

    bonnes: the right option(s), e.g. ``"B"`` or ``["A", "C"]`` (else the question's expected value).
    options: every option offered, e.g. ``["A", "B", "C", "D"]`` or full labels.
    explications: optional feedback per wrong option, ``{"C": "Non : la Licence Ouverte autorise…"}``.
    Answers may be ``"b"``, ``"A, C"``, ``"AC"``, ``["A", "C"]``; case and accents are ignored.
    """

    def __init__(self, bonnes: Any = None, options: list | None = None, explications: Mapping | None = None):
        if not options:
            raise ValueError("Choix : donne la liste des options possibles (options=[...]).")
        self.options = [str(o) for o in options]
        self.bonnes = None if bonnes is None else self._liste(bonnes)
        self.explications = {self._option(k): v for k, v in (explications or {}).items()}
        if None in self.explications:
            raise ValueError("Choix : une explication porte sur une option qui n'existe pas.")
        if self.bonnes is not None:
            inconnues = [b for b in self.bonnes if self._option(b) is None]
            if inconnues or not self.bonnes:
                raise ValueError(f"Choix : bonne(s) réponse(s) absente(s) des options : {inconnues}.")
        self.utilise_attendu = self.bonnes is None

    @staticmethod
    def _liste(valeur: Any) -> list[str]:
        if isinstance(valeur, str):
            return [valeur]
        return [str(v) for v in valeur]

    def _option(self, texte: Any) -> str | None:
        cle = normaliser_texte(str(texte))
        for o in self.options:
            if normaliser_texte(o) == cle:
                return o
        return None

    def _lire(self, reponse: Any) -> list[str] | None:
        """The labels chosen by the learner, or None when the answer is not a choice at all."""
        reponse = _scalaire(reponse)
        if isinstance(reponse, bool):
            return [str(reponse)]
        if isinstance(reponse, str):
            texte = reponse.strip()
            if self._option(texte) is not None or not texte:
                return [texte] if texte else []
            morceaux = [m for m in texte.replace(";", ",").replace("/", ",").replace(" et ", ",").split(",") if m.strip()]
            lettres = [c for c in texte if not c.isspace()]
            if len(morceaux) == 1 and all(self._option(c) is not None for c in lettres):  # "AC" for A and C
                morceaux = lettres
            return [m.strip() for m in morceaux]
        if isinstance(reponse, (list, tuple, set, frozenset)):
            return [str(_scalaire(v)) for v in reponse]
        if est_nombre(reponse):
            return [str(reponse)]
        return None

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        bonnes = self.bonnes if self.bonnes is not None else self._liste(attendu)
        bonnes_set = {self._option(b) for b in bonnes}
        if None in bonnes_set:
            raise ValueError(f"Choix : la réponse attendue {attendu!r} ne fait pas partie des options")
        choisies = self._lire(reponse)
        if choisies is None:
            return False, f"{reponse_est(reponse)}, il faut la lettre de ton choix entre guillemets, par exemple \"{self.options[0]}\"."
        if not choisies:
            return False, "Tu n'as choisi aucune réponse : écris la lettre de ton choix entre les guillemets."
        possibles = enumerer([f"« {o} »" for o in self.options], maximum=len(self.options)).replace(" et ", " ou ")
        inconnues = [c for c in choisies if self._option(c) is None]
        if inconnues:
            return False, f"{citer(inconnues[0])} ne fait pas partie des choix possibles ({possibles})."
        choix = {self._option(c) for c in choisies}
        if choix == bonnes_set:
            return True, None
        fausses = [o for o in self.options if o in choix - bonnes_set]
        morceaux = []
        for o in fausses[:2]:
            morceaux.append(self.explications.get(o) or f"« {o} » n'est pas une bonne réponse.")
        if len(bonnes_set) == 1 and len(choix) > 1:
            morceaux.append("Une seule réponse est juste : n'en garde qu'une.")
        elif not fausses:
            morceaux.append(f"C'est juste, mais incomplet : il y a {pluriel(len(bonnes_set), 'bonne réponse', 'bonnes réponses')}"
                            f", tu en as trouvé {nombre_fr(len(choix))}.")
        return False, " ".join(morceaux)


# ------------------------------------------------------------------------------------------------
# Escape hatch and combinations
# ------------------------------------------------------------------------------------------------

def _nb_parametres(fonction: Callable) -> int:
    """How many positional arguments a function takes (1 when it cannot be told)."""
    try:
        parametres = inspect.signature(fonction).parameters.values()
    except (TypeError, ValueError):
        return 1
    if any(p.kind is p.VAR_POSITIONAL for p in parametres):
        return 2
    return sum(1 for p in parametres if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty)


class Personnalise(Comparaison):
    """Any check written as a function: ``fonction(reponse)`` or ``fonction(reponse, attendu)``.

    It returns True/False, or ``(ok, message)``. ``message`` is used when it returns a bare False.
    """

    def __init__(self, fonction: Callable, message: str = "Ce n'est pas encore la bonne réponse."):
        if not callable(fonction):
            raise TypeError("Personnalise : il faut une fonction.")
        self.fonction = fonction
        self.message = message

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        n = _nb_parametres(self.fonction)
        resultat = self.fonction(reponse, attendu) if n >= 2 else self.fonction(reponse)
        if isinstance(resultat, tuple) and len(resultat) == 2:
            ok, message = resultat
            return bool(ok), (None if ok else (message or self.message))
        if isinstance(resultat, (bool,)) or type(resultat).__name__ == "bool_":
            return bool(resultat), (None if resultat else self.message)
        raise TypeError(f"Personnalise : la fonction doit renvoyer un booléen ou (ok, message), pas {resultat!r}")


class Tous(Comparaison):
    """Every comparison must agree (the first failing one gives the message): ``Nombre() & Personnalise(f)``."""

    def __init__(self, *comparaisons: Comparaison):
        self.comparaisons = comparaisons
        self.utilise_attendu = any(c.utilise_attendu for c in comparaisons)

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        for comparaison in self.comparaisons:
            ok, message = comparaison.comparer(reponse, attendu)
            if not ok:
                return False, message
        return True, None


class Parties(Comparaison):
    """A question in several named parts: ``Parties(moyenne=Nombre(tolerance=0.1), commune=Texte())``.

    The expected value is a dict with the same keys (or a tuple in the same order); the learner
    answers with ``q.verifier(moyenne, commune)``, ``q.verifier(moyenne=..., commune=...)`` or a dict.
    """

    def __init__(self, parties: Mapping[str, Comparaison | None] | None = None, **autres: Comparaison | None):
        self.parties = dict(parties or {}, **autres)
        if len(self.parties) < 2:
            raise ValueError("Parties : il faut au moins deux parties.")
        self.utilise_attendu = any(c is None or c.utilise_attendu for c in self.parties.values())

    @property
    def noms(self) -> list[str]:
        return list(self.parties)

    def attendus(self, attendu: Any) -> dict:
        """The expected value of each part, from a dict or a tuple/list in order."""
        if attendu is None:
            return dict.fromkeys(self.parties)
        if isinstance(attendu, Mapping):
            manquantes = [n for n in self.parties if n not in attendu and self._comparaison(n, None).utilise_attendu]
            if manquantes:
                raise KeyError(f"Parties : valeurs attendues manquantes pour {manquantes}")
            return {n: attendu.get(n) for n in self.parties}
        if isinstance(attendu, (list, tuple)) and len(attendu) == len(self.parties):
            return dict(zip(self.parties, attendu, strict=True))
        raise TypeError("Parties : la valeur attendue doit être un dict (ou un tuple dans l'ordre des parties)")

    def _comparaison(self, nom: str, attendu: Any) -> Comparaison:
        return self.parties[nom] or comparaison_pour(attendu)

    def comparer_partie(self, nom: str, reponse: Any, attendu: Any) -> Verdict:
        return self._comparaison(nom, attendu).comparer(reponse, attendu)

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        if not isinstance(reponse, Mapping):
            return False, message_type(reponse, f"un dictionnaire avec les parties {enumerer(self.noms, 6)}")
        attendus = self.attendus(attendu)
        for nom in self.parties:
            if nom not in reponse:
                return False, f"Il manque la partie « {nom} »."
            ok, message = self.comparer_partie(nom, reponse[nom], attendus[nom])
            if not ok:
                return False, f"{nom} : {message}"
        return True, None


def comparaison_pour(attendu: Any) -> Comparaison:
    """The natural comparison for an expected value: Nombre, Texte, Liste, Ensemble, Tableau…"""
    from alacarte.exercices.graphiques import FigurePlotly
    from alacarte.exercices.tableaux import Tableau, TableauGeo

    nom = type(attendu).__name__
    attendu = _scalaire(attendu)
    if est_nombre(attendu):
        return Nombre()
    if isinstance(attendu, str):
        return Texte()
    if nom == "GeoDataFrame":
        return TableauGeo()
    if nom in ("DataFrame", "Series"):
        return Tableau()
    if isinstance(attendu, (set, frozenset)):
        return Ensemble()
    if isinstance(attendu, (list, tuple)) or nom in ("ndarray", "Index"):
        return Liste()
    if isinstance(attendu, bool) or nom == "bool_":
        return Choix(bonnes=[str(bool(attendu))], options=["True", "False"])
    if FigurePlotly._est_figure(attendu):
        return FigurePlotly()
    raise TypeError(f"Pas de comparaison par défaut pour une valeur attendue de type {nom} : précise comparaison=...")


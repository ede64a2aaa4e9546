"""French wording helpers for the checker's messages: numbers, quotes, plurals, value descriptions.

Messages are plain text (HTML escaping happens once, at display time), written for a
15-year-old: tutoiement, short sentences, the learner's own value quoted back.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from typing import Any

#: Thousands separator of French typography (narrow no-break space), as in ``Territoire.__str__``.
ESPACE_MILLIERS = "\u202f"
LONGUEUR_MAX = 60


def est_nombre(valeur: Any) -> bool:
    """True for int/float/numpy numbers, False for booleans (which Python counts as ints)."""
    if isinstance(valeur, bool) or type(valeur).__name__ == "bool_":
        return False
    return isinstance(valeur, numbers.Number) and not isinstance(valeur, complex)


def nombre_fr(x: Any, decimales: int | None = None) -> str:
    """A number written the French way: ``4025`` -> ``4 025``, ``14.25`` -> ``14,25``.

    decimales: digits after the comma (rounded); None keeps up to 6 significant decimals.
    """
    if not est_nombre(x):
        return str(x)
    x = x.item() if hasattr(x, "item") else x
    if isinstance(x, float) and math.isnan(x):
        return "NaN (valeur manquante)"
    if isinstance(x, float) and math.isinf(x):
        return "l'infini" if x > 0 else "moins l'infini"
    if decimales is not None:
        texte = f"{float(x):,.{max(0, decimales)}f}"
    elif isinstance(x, numbers.Integral):
        texte = f"{int(x):,}"
    else:
        texte = f"{float(x):,.6f}".rstrip("0").rstrip(".")
    if texte.startswith("-") and not any(c in "123456789" for c in texte):
        texte = texte[1:]  # -0,0 reads as 0,0
    return texte.replace(",", "\x00").replace(".", ",").replace("\x00", ESPACE_MILLIERS)


def decimales_pour(ecart: float) -> int:
    """How many decimals make a tolerance visible: 0.1 -> 1, 0.05 -> 2, 10 -> 0."""
    if not ecart or ecart <= 0 or math.isinf(ecart) or math.isnan(ecart):
        return 6
    return int(min(6, max(0, -math.floor(math.log10(ecart) + 1e-9))))


def couper(texte: str, longueur: int = LONGUEUR_MAX) -> str:
    """Shorten long text with an ellipsis."""
    texte = str(texte)
    return texte if len(texte) <= longueur else texte[: longueur - 1] + "…"


def citer(valeur: Any) -> str:
    """A value quoted back in a sentence: « Lyon » for text, 4 025 for numbers."""
    if isinstance(valeur, str):
        return f"« {couper(valeur)} »"
    if est_nombre(valeur):
        return nombre_fr(valeur)
    if valeur is None:
        return "None"
    if hasattr(valeur, "item") and getattr(valeur, "ndim", 1) == 0:
        return citer(valeur.item())
    return couper(repr(valeur))


def pluriel(n: int, singulier: str, pluriel_: str | None = None) -> str:
    """``pluriel(4025, "ligne")`` -> ``4 025 lignes``; ``pluriel(1, "ligne")`` -> ``1 ligne``."""
    mot = singulier if abs(n) < 2 else (pluriel_ or singulier + "s")
    return f"{nombre_fr(n)} {mot}"


def enumerer(elements: list[str], maximum: int = 3) -> str:
    """« a », « b » et 3 autres — a short French enumeration of already-formatted items."""
    elements = list(elements)
    if len(elements) > maximum:
        reste = len(elements) - maximum
        return ", ".join(elements[:maximum]) + f" et {reste} autre{'s' if reste > 1 else ''}"
    if len(elements) <= 1:
        return "".join(elements)
    return ", ".join(elements[:-1]) + " et " + elements[-1]


def normaliser_texte(texte: str, casse: bool = True, accents: bool = True, espaces: bool = True,
                     tirets: bool = True) -> str:
    """Normalise text for a lenient comparison; each flag removes one kind of difference."""
    texte = unicodedata.normalize("NFC", str(texte)).replace("\u2019", "'").replace("\u00a0", " ")
    if accents:
        texte = unicodedata.normalize("NFKD", texte)
        texte = "".join(c for c in texte if not unicodedata.combining(c))
    if casse:
        texte = texte.casefold()
    if tirets:
        texte = texte.replace("-", " ").replace("\u2011", " ").replace("\u2013", " ")
    if espaces:
        texte = " ".join(texte.split())
    return texte


def decrire(valeur: Any) -> str:
    """What the learner handed in, in French words: « du texte ("12") », « une liste de 3 éléments »."""
    nom_type = type(valeur).__name__
    module = type(valeur).__module__ or ""
    if valeur is None:
        return "vide (None)"
    if isinstance(valeur, bool) or nom_type == "bool_":
        return f"un booléen ({bool(valeur)})"
    if isinstance(valeur, str):
        return f'du texte ("{couper(valeur, 40)}")'
    if est_nombre(valeur):
        v = valeur.item() if hasattr(valeur, "item") else valeur
        if isinstance(v, float) and math.isnan(v):
            return "NaN (une valeur manquante)"
        genre = "un nombre entier" if isinstance(v, numbers.Integral) else "un nombre"
        return f"{genre} ({nombre_fr(v)})"
    if nom_type == "GeoDataFrame":
        return f"un tableau géographique (GeoDataFrame) de {pluriel(len(valeur), 'ligne')}"
    if nom_type == "DataFrame":
        return (f"un tableau (DataFrame) de {pluriel(valeur.shape[0], 'ligne')} et "
                f"{pluriel(valeur.shape[1], 'colonne')}")
    if nom_type in ("Series", "GeoSeries"):
        nom = f" « {valeur.name} »" if valeur.name is not None else ""
        return f"une colonne (Series){nom} de {pluriel(len(valeur), 'valeur')}"
    if nom_type == "ndarray":
        return f"un tableau numpy de {pluriel(valeur.size, 'valeur')}"
    if isinstance(valeur, list):
        return f"une liste de {pluriel(len(valeur), 'élément')}"
    if isinstance(valeur, tuple):
        return f"un tuple de {pluriel(len(valeur), 'élément')}"
    if isinstance(valeur, (set, frozenset)):
        return f"un ensemble (set) de {pluriel(len(valeur), 'élément')}"
    if isinstance(valeur, dict):
        return f"un dictionnaire de {pluriel(len(valeur), 'clé')}"
    if module.startswith("plotly"):
        return "une figure plotly"
    if module.startswith("folium"):
        return f"un objet folium ({nom_type})"
    if module.startswith("matplotlib"):
        return "un graphique matplotlib"
    if callable(valeur):
        return "une fonction (as-tu oublié les parenthèses, par exemple .mean() au lieu de .mean ?)"
    return f"un objet de type {nom_type}"


def reponse_est(valeur: Any) -> str:
    """« Ta réponse est du texte ("12") » — the usual start of a type message."""
    return f"Ta réponse est {decrire(valeur)}"


def ordinal(n: int, feminin: bool = True) -> str:
    """1 -> 1re (1er if masculine), 2 -> 2e: « la 1re ligne », « le 1er élément »."""
    if n == 1:
        return "1re" if feminin else "1er"
    return f"{n}e"

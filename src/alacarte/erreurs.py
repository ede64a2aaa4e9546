"""Errors and messages shown to learners: short, in French, never a raw traceback."""

from __future__ import annotations

import difflib
import unicodedata


class ErreurAlacarte(Exception):
    """An error whose French message is the whole story for a learner.

    IPython calls ``_render_traceback_`` when present, so a notebook shows only the
    message (with an icon) instead of a stack of internal frames.
    """

    def _render_traceback_(self) -> list[str]:
        return [f"❌ {self}"]


class DonneesIntrouvables(ErreurAlacarte, KeyError):
    """Unknown dataset, territory or code."""

    def __str__(self) -> str:  # KeyError quotes its message otherwise
        return str(self.args[0]) if self.args else ""


class DonneesAbimees(ErreurAlacarte, ValueError):
    """A file that fails its checks (hash, format)."""


def normaliser(texte: str) -> str:
    """Lower case, without accents, hyphens or extra spaces: 'Saint-Étienne' -> 'saint etienne'."""
    sans_accents = unicodedata.normalize("NFKD", str(texte)).encode("ascii", "ignore").decode()
    return " ".join(sans_accents.lower().replace("-", " ").replace("'", " ").split())


def proches(mot: str, possibles: list[str], n: int = 5) -> list[str]:
    """Close matches of ``mot`` among ``possibles``, compared without case or accents."""
    par_forme: dict[str, str] = {}
    for p in possibles:
        par_forme.setdefault(normaliser(p), p)
    cle = normaliser(mot)
    trouves = difflib.get_close_matches(cle, list(par_forme), n=n, cutoff=0.6)
    debut = [f for f in par_forme if cle and f.startswith(cle) and f not in trouves]
    return [par_forme[f] for f in (trouves + debut)[:n]]


def message(texte: str) -> None:
    """Print a message for the learner (printed, not a warning: warnings show file paths)."""
    print(texte, flush=True)

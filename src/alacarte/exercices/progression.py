"""Optional local progress: which exercises were tried and solved, kept on this computer only.

Each checked answer appends ``{lecon, exercice, statut, date}`` to a small JSON file — no answer
content, nothing sent anywhere. The file is a convenience, never a requirement: if it cannot be
read or written (read-only home, full disk, a class PC), the checker carries on silently and
keeps the outcomes of this session in memory.

Environment variable:
    ALACARTE_PROGRESSION  path of the file; "" or "0" disables it.
                          Default: $XDG_DATA_HOME/alacarte/progression.json
                          (~/.local/share/alacarte/progression.json).
"""

from __future__ import annotations

import html
import importlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

__all__ = ["bilan", "Bilan", "chemin_progression", "enregistrer", "lire"]

VERSION = 1
MAX_ENTREES = 10_000
STATUTS_BILAN = {"reussi": "réussi", "essaye": "essayé", "pas_encore": "pas encore"}

#: outcomes of this session that could not be written (file disabled or unwritable)
_non_enregistres: list[dict] = []


def chemin_progression() -> Path | None:
    """Where progress is kept, or None when disabled (ALACARTE_PROGRESSION set to "" or "0")."""
    env = os.environ.get("ALACARTE_PROGRESSION")
    if env is not None:
        env = env.strip()
        if env in ("", "0"):
            return None
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "alacarte" / "progression.json"


def _lire_fichier(chemin: Path) -> list[dict]:
    try:
        contenu = json.loads(chemin.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    entrees = contenu.get("tentatives") if isinstance(contenu, dict) else None
    if not isinstance(entrees, list):
        return []
    return [e for e in entrees if isinstance(e, dict) and {"lecon", "exercice", "statut"} <= set(e)]


def _ecrire_fichier(chemin: Path, entrees: list[dict]) -> None:
    """Write atomically: a temporary file in the same folder, then a rename."""
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur, temporaire = tempfile.mkstemp(dir=chemin.parent, prefix=".progression-", suffix=".tmp")
    try:
        with os.fdopen(descripteur, "w", encoding="utf-8") as fichier:
            json.dump({"version": VERSION, "tentatives": entrees[-MAX_ENTREES:]}, fichier, ensure_ascii=False,
                      indent=0)
        os.replace(temporaire, chemin)
    except BaseException:
        try:
            os.unlink(temporaire)
        except OSError:
            pass
        raise


def lire() -> list[dict]:
    """Every recorded outcome: the file's, then this session's unrecorded ones."""
    chemin = chemin_progression()
    entrees = _lire_fichier(chemin) if chemin is not None else []
    return entrees + list(_non_enregistres)


def enregistrer(lecon: str, exercice: int | str, statut: str) -> bool:
    """Append one outcome ("correct" or "incorrect"); True if it reached the file. Never raises."""
    entree = {"lecon": str(lecon), "exercice": exercice, "statut": str(statut),
              "date": datetime.now(UTC).isoformat(timespec="seconds")}
    chemin = chemin_progression()
    if chemin is not None:
        try:
            _ecrire_fichier(chemin, _lire_fichier(chemin) + [entree])
            return True
        except (OSError, TypeError, ValueError):
            pass
    _non_enregistres.append(entree)
    return False


def oublier_session() -> None:
    """Forget this session's unrecorded outcomes (for tests)."""
    _non_enregistres.clear()


class Bilan:
    """A progress summary: ``.tableau`` is a DataFrame; shown as an accessible HTML table."""

    def __init__(self, tableau, titre: str, note: str | None = None):
        self.tableau = tableau
        self.titre = titre
        self.note = note

    def __str__(self) -> str:
        lignes = [self.titre]
        if self.note:
            lignes.append(self.note)
        lignes.append(self.tableau.to_string(index=False) if len(self.tableau) else "(aucun exercice)")
        return "\n".join(lignes)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        e = html.escape
        entetes = "".join(f'<th scope="col" style="text-align:left;padding:.2em .6em">{e(str(c))}</th>'
                          for c in self.tableau.columns)
        lignes = []
        icones = {"réussi": "✅ ", "essayé": "❌ ", "pas encore": "… "}
        for _, ligne in self.tableau.iterrows():
            cellules = []
            for c in self.tableau.columns:
                texte = str(ligne[c])
                prefixe = f'<span aria-hidden="true">{icones[texte]}</span>' if c == "statut" and texte in icones else ""
                cellules.append(f'<td style="padding:.2em .6em">{prefixe}{e(texte)}</td>')
            lignes.append(f"<tr>{''.join(cellules)}</tr>")
        note = f'<p style="margin:.3em 0">{e(self.note)}</p>' if self.note else ""
        return (f'<div class="alacarte-bilan" style="color:#111;background:#fff;padding:.4em">'
                f'<table style="border-collapse:collapse"><caption style="text-align:left;font-weight:bold;'
                f'padding:.2em 0">{e(self.titre)}</caption><thead><tr>{entetes}</tr></thead>'
                f'<tbody>{"".join(lignes)}</tbody></table>{note}</div>')


def _charger_lecon(lecon: str) -> None:
    """Import the lesson's exercise module so that its questions are known (if it exists)."""
    nom = f"alacarte.exercices.lecon{lecon}"
    try:
        importlib.import_module(nom)
    except ModuleNotFoundError as erreur:
        if erreur.name != nom:
            raise


def bilan(lecon: str | int | None = None) -> Bilan:
    """Summary of progress: one row per exercise (réussi / essayé / pas encore, number of attempts).

    lecon: "00" for one lesson; None for every lesson with a recorded outcome or a known question.
    """
    import pandas as pd

    from alacarte.exercices.verificateur import questions_connues

    lecon = None if lecon is None else (f"{lecon:02d}" if isinstance(lecon, int) else str(lecon))
    if lecon is not None:
        _charger_lecon(lecon)
    entrees = [e for e in lire() if lecon is None or e["lecon"] == lecon]
    questions = {cle: q for cle, q in questions_connues().items() if lecon is None or cle[0] == lecon}
    cles = set(questions) | {(e["lecon"], e["exercice"]) for e in entrees}

    def ordre(cle):
        return (str(cle[0]), (0, cle[1], "") if isinstance(cle[1], int) else (1, 0, str(cle[1])))

    lignes = []
    for cle in sorted(cles, key=ordre):
        issues = [e["statut"] for e in entrees if (e["lecon"], e["exercice"]) == cle]
        statut = "reussi" if "correct" in issues else "essaye" if issues else "pas_encore"
        question = questions.get(cle)
        lignes.append({"leçon": cle[0], "exercice": cle[1],
                       "question": question.enonce_court if question is not None else "",
                       "statut": STATUTS_BILAN[statut], "tentatives": len(issues)})
    tableau = pd.DataFrame(lignes, columns=["leçon", "exercice", "question", "statut", "tentatives"])
    if lecon is not None:
        tableau = tableau.drop(columns="leçon")
    reussis = int((tableau["statut"] == "réussi").sum())
    portee = f"leçon {lecon}" if lecon is not None else "toutes les leçons"
    titre = f"Ta progression ({portee}) : {reussis} exercice{'s' if reussis > 1 else ''} réussi{'s' if reussis > 1 else ''} sur {len(tableau)}"
    note = None
    if chemin_progression() is None:
        note = ("La progression n'est pas enregistrée sur cet ordinateur (ALACARTE_PROGRESSION est désactivée) : "
                "ce bilan ne couvre que cette session.")
    return Bilan(tableau.reset_index(drop=True), titre, note)

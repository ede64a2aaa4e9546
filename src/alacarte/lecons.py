"""Lessons: corrigé → student notebook generation, lesson metadata, lesson tables.

The teacher notebook ``lessons/corriges/NN-name.ipynb`` is the source of truth. Solutions are
marked in its code cells and replaced by placeholders in the student notebook
``lessons/NN-name.ipynb``:

- a line ending with ``# SOLUTION``: the right-hand side of its assignment becomes ``____``
  (``reponse = communes.shape[0]  # SOLUTION`` → ``reponse = ____``); a line that is not an
  assignment is replaced by ``# À toi de jouer : …`` (its indentation kept);
- lines between ``# DEBUT SOLUTION`` and ``# FIN SOLUTION``: replaced by one line
  ``# À toi de jouer : écris ton code ici`` (and the markers disappear);
- a cell tagged ``corrige`` (teacher notes, answers in prose) is left out of the student version.

Every notebook carries its lesson metadata under ``metadata["alacarte"]`` (see ``CHAMPS``).

Command line (from the repository root):
    python -m alacarte.lecons generer    # (re)write every student notebook from its corrigé, and the
                                         # generated lesson tables of README.md and docs/guide-enseignant.md
    python -m alacarte.lecons generer 03 # only the student notebook of lesson 03
    python -m alacarte.lecons verifier   # exit 1 if a student notebook is out of sync
    python -m alacarte.lecons table      # print the Markdown lesson table
"""

from __future__ import annotations

import ast
import copy
import json
import sys
from pathlib import Path

RACINE = Path(__file__).resolve().parents[2]
LECONS = RACINE / "lessons"
CORRIGES = LECONS / "corriges"
BINDER = "https://mybinder.org/v2/gh/des-donnees-a-la-carte/des-donnees-a-la-carte/main"

MARQUE_LIGNE = "# SOLUTION"
DEBUT, FIN = "# DEBUT SOLUTION", "# FIN SOLUTION"
A_TOI_LIGNE = "# À toi de jouer : complète cette ligne"
A_TOI_BLOC = "# À toi de jouer : écris ton code ici"
TAG_CORRIGE = "corrige"

# metadata["alacarte"] of every lesson: field -> (type, description)
CHAMPS = {
    "numero": (str, "two digits, as in the file name"),
    "titre": (str, "the lesson title, as in its # heading"),
    "question": (str, "the hook: the question about the territory the lesson answers"),
    "public": (str, "« lycée (seconde, SNT) » or « agents publics »"),
    "duree_minutes": (int, "duration in class"),
    "objectifs": (list, "what the learner can do at the end"),
    "prerequis": (list, "lessons or skills needed first"),
    "snt": (list, "SNT programme capacities (quoted from the official programme)"),
    "pix": (list, "Pix competences, e.g. « 1.3 Traiter des données »"),
    "donnees": (list, "dataset names from the catalogue"),
}

def _remplacer_ligne(ligne: str) -> str:
    """``x = solution  # SOLUTION`` -> ``x = ____``; any other statement -> a « à toi de jouer » comment."""
    indent = ligne[: len(ligne) - len(ligne.lstrip())]
    code = ligne.strip()[: -len(MARQUE_LIGNE)].rstrip()
    try:
        instr = ast.parse(code).body
    except SyntaxError:
        instr = []
    if len(instr) == 1 and isinstance(instr[0], ast.Assign | ast.AnnAssign) and instr[0].value is not None:
        return f"{indent}{code[: instr[0].value.col_offset].rstrip()} ____"
    return f"{indent}{A_TOI_LIGNE}"


def version_eleve_source(source: str) -> str:
    """Student version of one code cell's source."""
    sortie: list[str] = []
    dans_bloc = False
    for ligne in source.split("\n"):
        nue = ligne.strip()
        if nue == DEBUT:
            if dans_bloc:
                raise ValueError("« # DEBUT SOLUTION » ouvert deux fois")
            dans_bloc = True
            indent = ligne[: len(ligne) - len(ligne.lstrip())]
            sortie.append(f"{indent}{A_TOI_BLOC}")
            continue
        if nue == FIN:
            if not dans_bloc:
                raise ValueError("« # FIN SOLUTION » sans « # DEBUT SOLUTION »")
            dans_bloc = False
            continue
        if dans_bloc:
            continue
        if ligne.rstrip().endswith(MARQUE_LIGNE):
            sortie.append(_remplacer_ligne(ligne))
        else:
            sortie.append(ligne)
    if dans_bloc:
        raise ValueError("« # DEBUT SOLUTION » sans « # FIN SOLUTION »")
    return "\n".join(sortie)


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def version_eleve(corrige: dict) -> dict:
    """The student notebook generated from a corrigé notebook (a dict in nbformat 4)."""
    nb = copy.deepcopy(corrige)
    cellules = []
    for cell in nb["cells"]:
        if TAG_CORRIGE in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "code":
            cell["source"] = version_eleve_source(_source(cell))
            cell["outputs"] = []
            cell["execution_count"] = None
        cellules.append(cell)
    nb["cells"] = cellules
    nb["metadata"]["alacarte"] = {**nb["metadata"].get("alacarte", {}), "version": "eleve"}
    return nb


def lire(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def ecrire(nb: dict, path: Path) -> None:
    path.write_text(json.dumps(nb, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def corriges() -> list[Path]:
    return sorted(CORRIGES.glob("[0-9][0-9]-*.ipynb"))


def chemin_eleve(corrige: Path) -> Path:
    return LECONS / corrige.name


def generer(numero: str | None = None) -> list[Path]:
    """Write the student notebook of every corrigé (or only of lesson ``numero``)."""
    ecrits = []
    for c in corriges():
        if numero is not None and not c.name.startswith(f"{numero}-"):
            continue
        cible = chemin_eleve(c)
        ecrire(version_eleve(lire(c)), cible)
        ecrits.append(cible)
    return ecrits


def desynchronises() -> list[str]:
    """Student notebooks that differ from what their corrigé generates (or are missing/orphaned)."""
    problemes = []
    for c in corriges():
        cible = chemin_eleve(c)
        if not cible.exists():
            problemes.append(f"{cible.name} manque")
        elif lire(cible) != version_eleve(lire(c)):
            problemes.append(f"{cible.name} n'est pas à jour avec son corrigé")
    noms = {c.name for c in corriges()}
    problemes += [f"{p.name} n'a pas de corrigé" for p in LECONS.glob("[0-9][0-9]-*.ipynb") if p.name not in noms]
    return problemes


def metadonnees(path: Path) -> dict:
    return lire(path)["metadata"].get("alacarte", {})


def erreurs_metadonnees(path: Path, datasets: set[str] | None = None) -> list[str]:
    """What is missing or wrong in a lesson's metadata (empty list when valid)."""
    nb = lire(path)
    meta = nb["metadata"].get("alacarte")
    if meta is None:
        return ["pas de metadata['alacarte']"]
    erreurs = []
    for champ, (type_, _) in CHAMPS.items():
        if champ not in meta:
            erreurs.append(f"champ manquant : {champ}")
        elif not isinstance(meta[champ], type_) or (type_ is list and not meta[champ] and champ != "prerequis"):
            erreurs.append(f"champ {champ} : {type_.__name__} non vide attendu")
    if meta.get("numero") and not path.name.startswith(meta["numero"] + "-"):
        erreurs.append("le numéro ne correspond pas au nom du fichier")
    titre = next((_source(c) for c in nb["cells"] if c["cell_type"] == "markdown"), "")
    if not titre.startswith("# ") or meta.get("titre", "") not in titre.splitlines()[0]:
        erreurs.append("la première cellule doit être le titre « # … » de la leçon")
    if datasets is not None:
        erreurs += [f"jeu de données inconnu : {d}" for d in meta.get("donnees", []) if d not in datasets]
    return erreurs


def table_markdown() -> str:
    """The lesson table of the README and the teacher guide, generated from the metadata."""
    lignes = ["| n° | leçon | durée | objectifs | ouvrir |", "|---|---|---|---|---|"]
    for c in corriges():
        m = metadonnees(c)
        eleve = f"lessons/{c.name}"
        lien = f"[élève]({eleve}) · [corrigé](lessons/corriges/{c.name}) · [Binder]({BINDER}?urlpath=lab/tree/{eleve})"
        objectifs = " ; ".join(m["objectifs"])
        lignes.append(f"| {m['numero']} | **{m['titre']}** — {m['question']} | {m['duree_minutes']} min | "
                      f"{objectifs} | {lien} |")
    return "\n".join(lignes)


def fiches_enseignant() -> str:
    """One section per lesson for the teacher guide, generated from the metadata."""
    blocs = []
    for c in corriges():
        m = metadonnees(c)
        prerequis = ", ".join(m["prerequis"]) or "aucun"
        blocs.append("\n".join([
            f"### {m['numero']} — {m['titre']}",
            "",
            f"*{m['question']}* — {m['duree_minutes']} min, {m['public']}. Prérequis : {prerequis}.",
            "",
            "- **Objectifs** : " + " ; ".join(m["objectifs"]) + ".",
            "- **Programme de SNT** : " + " ; ".join(m["snt"]) + ".",
            "- **Pix** : " + " ; ".join(m["pix"]) + ".",
            "- **Données** : " + ", ".join(f"`{d}`" for d in m["donnees"]) + ".",
            f"- **Carnets** : [élève](../lessons/{c.name}) · [corrigé](../lessons/corriges/{c.name})",
            "",
            *notes_enseignant(c),
        ]).rstrip())
    return "\n\n".join(blocs)


def notes_enseignant(corrige: Path) -> list[str]:
    """The teacher cells of a corrigé (tagged ``corrige``), headings demoted under the lesson's ###."""
    lignes = []
    for cell in lire(corrige)["cells"]:
        if cell["cell_type"] == "markdown" and TAG_CORRIGE in cell.get("metadata", {}).get("tags", []):
            for ligne in _source(cell).split("\n"):
                lignes.append("#" + ligne if ligne.startswith("#") else ligne)
            lignes.append("")
    return lignes


DEBUT_TABLE, FIN_TABLE = "<!-- lecons:debut (généré par python -m alacarte.lecons ecrire) -->", "<!-- lecons:fin -->"


def _remplacer_entre_marques(texte: str, contenu: str) -> str:
    debut, fin = texte.index(DEBUT_TABLE) + len(DEBUT_TABLE), texte.index(FIN_TABLE)
    return texte[:debut] + "\n" + contenu + "\n" + texte[fin:]


DOCUMENTS = {  # document -> function producing its generated part
    RACINE / "README.md": table_markdown,
    RACINE / "docs" / "guide-enseignant.md": fiches_enseignant,
}


def documents_perimes() -> list[str]:
    """Documents whose generated part is out of date."""
    return [p.name for p, f in DOCUMENTS.items()
            if _remplacer_entre_marques(p.read_text(encoding="utf-8"), f()) != p.read_text(encoding="utf-8")]


def main(argv: list[str]) -> int:
    commande = argv[0] if argv else "verifier"
    if commande in ("generer", "ecrire"):
        numero = argv[1] if len(argv) > 1 else None
        for p in generer(numero):
            print(f"écrit : {p.relative_to(RACINE)}")
        if numero is not None:  # one lesson only: the shared tables are rewritten by a full run
            return 0
        for p, f in DOCUMENTS.items():
            p.write_text(_remplacer_entre_marques(p.read_text(encoding="utf-8"), f()), encoding="utf-8")
            print(f"écrit : {p.relative_to(RACINE)} (partie générée)")
        return 0
    if commande == "verifier":
        problemes = desynchronises() + [f"{d} n'est pas à jour" for d in documents_perimes()]
        for p in problemes:
            print(f"❌ {p} — lancez « python -m alacarte.lecons generer »")
        return 1 if problemes else 0
    if commande == "table":
        print(table_markdown())
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

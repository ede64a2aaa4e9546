"""Lessons: metadata, corrigé/student sync, and the execution of every notebook.

Corrigés run in strict mode (ALACARTE_STRICT=1: a wrong solution or a wrong checker raises and fails
the build); student notebooks run in lax mode with their ____ placeholders left in place and must
reach the end without an error. Each run is timed and its peak memory measured; the figures are
printed at the end of the test session.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from alacarte import catalogue, lecons

ROOT = Path(__file__).resolve().parents[1]
CORRIGES = lecons.corriges()
ELEVES = [lecons.chemin_eleve(c) for c in CORRIGES]
TERRITOIRES = ["region:84", "region:53", "region:94"]
TIMEOUT_CELLULE = 300
FIGURES: list[tuple[str, str, str, float, float]] = []

# VmHWM is the kernel's own peak resident memory (ru_maxrss would include the forking pytest process)
MESURE = "print('__PEAK_KB__', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])"


def executer(path: Path, strict: bool, territoire: str) -> tuple[float, float]:
    """Execute a notebook in its folder; return (seconds, peak MB of the kernel)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(MESURE))
    env = {**os.environ, "ALACARTE_TERRITOIRE": territoire, "ALACARTE_STRICT": "1" if strict else "0",
           "ALACARTE_PROGRESSION": "", "MPLBACKEND": "Agg"}
    client = NotebookClient(nb, timeout=TIMEOUT_CELLULE, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.perf_counter()
    client.execute(env=env)
    secondes = time.perf_counter() - t0
    sortie = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    pic = int(sortie.split("__PEAK_KB__")[1].split()[0]) / 1024
    return secondes, pic


def test_there_are_lessons():
    assert CORRIGES, "no corrigé in lessons/corriges/"


@pytest.mark.parametrize("corrige", CORRIGES, ids=lambda p: p.stem)
def test_metadata_is_complete(corrige):
    assert lecons.erreurs_metadonnees(corrige, set(catalogue())) == []
    assert lecons.metadonnees(corrige)["duree_minutes"] <= 55 or "agents" in lecons.metadonnees(corrige)["public"]


def test_student_notebooks_are_in_sync_with_their_corriges():
    assert lecons.desynchronises() == []


@pytest.mark.parametrize("corrige", CORRIGES, ids=lambda p: p.stem)
def test_student_version_hides_every_solution(corrige):
    eleve = json.loads(lecons.chemin_eleve(corrige).read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in eleve["cells"])
    assert "# SOLUTION" not in text and lecons.DEBUT not in text
    assert "____" in text
    corr = json.loads(corrige.read_text(encoding="utf-8"))
    corr_code = "\n".join("".join(c["source"]) for c in corr["cells"] if c["cell_type"] == "code")
    assert "= ____" not in corr_code  # the corrigé answers every exercise


def test_readme_and_teacher_guide_tables_are_generated_from_metadata():
    assert lecons.documents_perimes() == []
    assert lecons.table_markdown() in (ROOT / "README.md").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "guide-enseignant.md").read_text(encoding="utf-8")
    for c in CORRIGES:
        assert f"### {lecons.metadonnees(c)['numero']} — {lecons.metadonnees(c)['titre']}" in guide
        notes = lecons.notes_enseignant(c)
        assert any("Déroulé" in ligne for ligne in notes), f"{c.name}: no teacher cell with the timing"
        assert "\n".join(notes).strip() in guide


@pytest.mark.parametrize("territoire", TERRITOIRES)
@pytest.mark.parametrize("corrige", CORRIGES, ids=lambda p: p.stem)
def test_corrige_runs_strict(corrige, territoire):
    secondes, pic = executer(corrige, strict=True, territoire=territoire)
    FIGURES.append(("corrigé", corrige.stem, territoire, secondes, pic))
    assert pic < 1024, f"{corrige.name}: {pic:.0f} MB (Binder gives 2 GB, target 1 GB)"


@pytest.mark.parametrize("territoire", TERRITOIRES)
@pytest.mark.parametrize("eleve", ELEVES, ids=lambda p: p.stem)
def test_student_version_runs_lax(eleve, territoire):
    secondes, pic = executer(eleve, strict=False, territoire=territoire)
    FIGURES.append(("élève", eleve.stem, territoire, secondes, pic))
    assert pic < 1024


def test_generator_replaces_marked_solutions():
    src = (
        "communes = charger('communes')\n"
        "reponse = len(communes)  # SOLUTION\n"
        "    top = communes.head(5)  # SOLUTION\n"
        "communes.plot()  # SOLUTION\n"
        "# DEBUT SOLUTION\n"
        "x = 1\n"
        "y = x + 1\n"
        "# FIN SOLUTION\n"
        "q1.verifier(reponse)"
    )
    assert lecons.version_eleve_source(src).split("\n") == [
        "communes = charger('communes')",
        "reponse = ____",
        "    top = ____",
        lecons.A_TOI_LIGNE,
        lecons.A_TOI_BLOC,
        "q1.verifier(reponse)",
    ]
    # comparisons and keyword arguments are not assignments
    assert lecons.version_eleve_source("ok = a == b  # SOLUTION") == "ok = ____"
    assert lecons.version_eleve_source("f(x=1)  # SOLUTION") == lecons.A_TOI_LIGNE


@pytest.mark.parametrize("src", ["# DEBUT SOLUTION\nx = 1", "x = 1\n# FIN SOLUTION",
                                 "# DEBUT SOLUTION\n# DEBUT SOLUTION\n# FIN SOLUTION"])
def test_generator_refuses_unbalanced_blocks(src):
    with pytest.raises(ValueError):
        lecons.version_eleve_source(src)


def test_generator_drops_teacher_cells_and_outputs():
    corrige = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Titre"),
        nbformat.v4.new_markdown_cell("Réponses : …", metadata={"tags": ["corrige"]}),
        nbformat.v4.new_code_cell("r = 2  # SOLUTION", outputs=[nbformat.v4.new_output("stream", text="x")],
                                  execution_count=3),
    ])
    eleve = lecons.version_eleve(corrige)
    assert [c["source"] for c in eleve["cells"]] == ["# Titre", "r = ____"]
    assert eleve["cells"][1]["outputs"] == [] and eleve["cells"][1]["execution_count"] is None
    assert eleve["metadata"]["alacarte"]["version"] == "eleve"
    assert len(corrige["cells"]) == 3  # the corrigé itself is untouched

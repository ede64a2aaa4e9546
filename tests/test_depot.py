"""Repository conventions: README commands, CI, licences, Binder pins, notebooks without outputs, ruff."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_in_french_with_exactly_two_commands():
    first_block = re.search(r"```bash\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first_block.splitlines() if line.split("#")[0].strip()]
    assert commands == ["make lab", "make test"]
    assert README.index("Démarrer") < README.index("In English")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert re.search(r"^make test$", ci, re.M)
    assert "apt-get install" in ci and "chromium" in ci


def test_makefile_targets_do_what_the_readme_says():
    mk = (ROOT / "Makefile").read_text()
    lab = re.search(r"^lab:.*\n((?:\t.*\n)+)", mk, re.M).group(1)
    assert "jupyter lab" in lab and "lab/tree/lessons" in lab
    test = re.search(r"^test:.*\n((?:\t.*\n)+)", mk, re.M).group(1)
    assert "pytest" in test


def test_licences_and_citation():
    assert "Attribution 4.0 International" in (ROOT / "LICENSE-CC-BY").read_text()
    assert "Section 3 -- License Conditions" in (ROOT / "LICENSE-CC-BY").read_text()
    assert (ROOT / "LICENSE-CODE").read_text().startswith("MIT License")
    assert "cff-version" in (ROOT / "CITATION.cff").read_text()


def test_pinned_environments_respect_security_floors():
    from packaging.version import Version

    floors = {"voila": "0.5.6", "jupyter-server": "2.20", "jupyterlab": "4.5.7"}
    for req in [ROOT / "requirements" / "dev.txt", ROOT / "binder" / "requirements.txt"]:
        pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", req.read_text(), re.M))
        pins = {k.lower().replace("_", "-"): v for k, v in pins.items()}
        for name, floor in floors.items():
            assert Version(pins[name]) >= Version(floor), (req.name, name)
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    assert all("==" in line for line in binder.splitlines() if line and not line.startswith(("#", " ")))
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "pip install --no-deps -e ." in (ROOT / "binder" / "postBuild").read_text()


def test_notebooks_are_stored_without_outputs_and_with_a_kernelspec():
    for nb_path in list(ROOT.glob("lessons/**/*.ipynb")) + list(ROOT.glob("dashboards/*.ipynb")):
        nb = json.loads(nb_path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3", nb_path
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, nb_path


def test_no_personal_data_of_councillors_in_the_repository():
    import pyarrow.parquet as pq

    forbidden = {"prenom", "date_naissance", "profession", "nom_elu"}
    for path in (ROOT / "datasets").rglob("*.parquet"):
        assert not forbidden & set(pq.ParquetFile(path).schema_arrow.names), path


def test_ruff_is_clean():
    ruff = str(Path(sys.executable).parent / "ruff")  # installed by `make setup` (test extra)
    result = subprocess.run([ruff, "check", str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_deployment_guide_matches_the_production_configuration():
    """docs/deploiement.md states what dashboards/voila.json does: keep them in step."""
    guide = (ROOT / "docs" / "deploiement.md").read_text(encoding="utf-8")
    conf = json.loads((ROOT / "dashboards" / "voila.json").read_text(encoding="utf-8"))
    v, vc, mkm = conf["Voila"], conf["VoilaConfiguration"], conf["MappingKernelManager"]
    assert f"{v['ip']}:{v['port']}" in guide
    assert f"`{vc['template']}`" in guide and (ROOT / "share/jupyter/voila/templates" / vc["template"]).is_dir()
    assert vc["strip_sources"] and not vc["show_tracebacks"] and not mkm["allow_tracebacks"]
    assert mkm["traceback_replacement_message"] in guide
    assert f"{mkm['cull_idle_timeout'] // 60} minutes" in guide
    assert vc["preheat_kernel"] and "default_pool_size" in guide
    assert conf["VoilaExecutor"]["startup_timeout"] == 300 and "5 minutes" in guide and "startup_timeout" in guide
    assert "proxy_set_header Upgrade" in guide  # Voilà needs WebSockets through the proxy
    from alacarte.tableaux_de_bord.vos_donnees import TAILLE_MAX

    assert f"{TAILLE_MAX // 1_000_000} Mo" in guide

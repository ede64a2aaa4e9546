"""The main job of `make lab`: JupyterLab serves lessons/ and Voilà renders notebooks at /voila/render/...

Started exactly as the Makefile starts it (same options), on a free port of 127.0.0.1, offline.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "test-lab-token"


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _commande_makefile() -> list[str]:
    """The `jupyter lab …` line of the Makefile's lab target, with make variables substituted."""
    mk = (ROOT / "Makefile").read_text()
    ligne = re.search(r"^lab:.*\n\t(.*jupyter lab.*)$", mk, re.M).group(1)
    root = "--allow-root" if os.geteuid() == 0 else ""
    return ligne.replace("$(BIN)/", "").replace("$(CURDIR)", str(ROOT)).replace("$(ALLOW_ROOT)", root).split()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port = _port_libre()
    cmd = [a.replace("$(PORT)", str(port)) for a in _commande_makefile()]
    assert cmd[:2] == ["jupyter", "lab"]
    cmd = [str(Path(sys.executable).parent / "jupyter"), *cmd[1:], "--no-browser", f"--IdentityProvider.token={TOKEN}",
           "--ServerApp.ip=127.0.0.1"]
    journal = tmp_path_factory.mktemp("lab") / "lab.log"
    with open(journal, "w") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            if requests.get(f"{base}/api/status", params={"token": TOKEN}, timeout=2).ok:
                break
        except requests.RequestException:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start: " + journal.read_text()[-3000:])
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def test_lab_opens_on_the_lessons_folder(lab):
    r = requests.get(f"{lab}/lab", params={"token": TOKEN}, timeout=30)
    assert r.ok and "JupyterLab" in r.text
    contenu = requests.get(f"{lab}/api/contents/lessons", params={"token": TOKEN}, timeout=30).json()
    noms = {c["name"] for c in contenu["content"]}
    assert "00-prendre-en-main-jupyter-et-python.ipynb" in noms and "corriges" in noms


def test_voila_renders_a_notebook_inside_lab(lab):
    r = requests.get(f"{lab}/voila/render/lessons/corriges/00-prendre-en-main-jupyter-et-python.ipynb",
                     params={"token": TOKEN}, timeout=180)
    assert r.ok
    assert "Prendre en main Jupyter et Python" in r.text
    assert "Territoire choisi" in r.text  # the setup cell ran in a kernel, offline


def test_lab_speaks_french_and_shows_no_news_popup(lab):
    langue = requests.get(f"{lab}/lab/api/settings/@jupyterlab/translation-extension:plugin",
                          params={"token": TOKEN}, timeout=30).json()
    assert langue["schema"]["properties"]["locale"]["default"] == "fr_FR"
    traductions = requests.get(f"{lab}/lab/api/translations/", params={"token": TOKEN}, timeout=30).json()
    assert "fr_FR" in traductions["data"]
    notif = requests.get(f"{lab}/lab/api/settings/@jupyterlab/apputils-extension:notification",
                         params={"token": TOKEN}, timeout=30).json()
    assert notif["schema"]["properties"]["fetchNews"]["default"] == "false"

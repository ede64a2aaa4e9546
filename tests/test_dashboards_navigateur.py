"""The three Voilà dashboards in a real browser (Playwright + Debian Chromium), offline.

One Voilà for the module, started as the README's ``make dashboards`` does (production
configuration ``dashboards/voila.json``) on a free port of 127.0.0.1; every request that leaves
127.0.0.1 is aborted, so maps must draw with no internet. Expected figures are computed here with
plain pandas on the shipped files. Screenshots at phone width go to ``$ALACARTE_CAPTURES`` (or
pytest's temporary folder).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.navigateur

ROOT = Path(__file__).resolve().parents[1]
D = ROOT / "datasets"
DASHBOARDS = ROOT / "dashboards"
CONFIG = DASHBOARDS / "voila.json"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
DELAI = 120_000  # ms: generous, the machine may be busy
# what must never reach the page: code, tracebacks, paths, exception names
INTERDITS = ["Traceback", "most recent call", "RuntimeError", "Exception", "Error:", "/chemin/secret", ".py\"",
             "site-packages", "import ipywidgets", "def actualiser", "trouver_territoire(", "ui.protege",
             "/work/", "/home/", "/tmp/"]


def nombre(x: float, decimales: int = 0) -> str:
    """French formatting, written here again (not imported) to check the page independently."""
    return f"{x:,.{decimales}f}".replace(",", "\u202f").replace(".", ",")


def _port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _attendre(url: str, delai: float = 120) -> None:
    fin = time.time() + delai
    while time.time() < fin:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"Voilà ne répond pas sur {url}")


def demarrer_voila(racine: Path, env: dict, journal: Path) -> tuple[subprocess.Popen, str]:
    port = _port_libre()
    cmd = [sys.executable, "-m", "voila", f"--port={port}", "--Voila.ip=127.0.0.1", "--no-browser",
           f"--Voila.config_file_paths={CONFIG.parent}", str(racine)]
    proc = subprocess.Popen(cmd, cwd=racine, env=env, stdout=journal.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        _attendre(base + "/")
    except RuntimeError:
        arreter(proc)
        raise
    return proc, base


def arreter(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def environnement(tmp_path_factory):
    cache = tmp_path_factory.mktemp("cache_voila")
    env = {**os.environ, "ALACARTE_CACHE": str(cache), "ALACARTE_TABLEAUX_TEST": "1"}
    env.pop("ALACARTE_TERRITOIRE", None)
    # prepare the derived data once, before the pool kernels start (as `make dashboards` does)
    subprocess.run([sys.executable, "-m", "alacarte.tableaux_de_bord"], env=env, check=True, capture_output=True,
                   timeout=600)
    return env


@pytest.fixture(scope="module")
def serveur(environnement, tmp_path_factory):
    journal = tmp_path_factory.mktemp("voila") / "voila.log"
    proc, base = demarrer_voila(DASHBOARDS, environnement, journal)
    yield base
    arreter(proc)


@pytest.fixture(scope="module")
def navigateur():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium est introuvable ({CHROMIUM}) : installez-le avec « apt-get install chromium » "
                    "(.ci/run le fait).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def captures(tmp_path_factory):
    d = Path(os.environ.get("ALACARTE_CAPTURES") or tmp_path_factory.mktemp("captures"))
    d.mkdir(parents=True, exist_ok=True)
    return d


class Page:
    """A browser tab with the network cut (only 127.0.0.1) and a record of what was refused."""

    def __init__(self, navigateur, largeur=1280, hauteur=900):
        self.ctx = navigateur.new_context(viewport={"width": largeur, "height": hauteur}, locale="fr-FR")
        self.sortants: list[tuple[str, str]] = []
        self.dialogues: list[str] = []
        self.ctx.route("**/*", self._route)
        self.page = self.ctx.new_page()
        self.page.on("dialog", lambda d: (self.dialogues.append(d.message), d.dismiss()))

    def _route(self, route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            cadre = route.request.frame.url if route.request.frame else ""
            self.sortants.append((url, cadre))
            route.abort()

    def fermer(self):
        self.ctx.close()


def verifier_propre(page) -> None:
    """No source code, no traceback, no path anywhere in the DOM (iframes included)."""
    # the maps' documents are checked as frames; their srcdoc attribute (escaped Leaflet source) is not text
    principal = re.sub(r'srcdoc="[^"]*"', "", page.content())
    textes = [principal] + [f.content() for f in page.frames if f != page.main_frame]
    tout = "\n".join(textes)
    # the inlined Leaflet library is JavaScript by nature: look only outside <script> elements
    visible = re.sub(r"<script\b.*?</script>", "", tout, flags=re.S)
    for mot in INTERDITS:
        assert mot not in visible, mot
    assert 'class="highlight' not in tout and 'class="cm-' not in tout  # no code cell input


def carte_dessinee(page, cle: str = "") -> int:
    """Wait until the map (whose data-cle starts with ``cle``) has drawn its shapes; count them."""
    cadre = page.frame_locator(f'iframe.alc-carte[data-cle^="{cle}"]' if cle else "iframe.alc-carte")
    cadre.locator("path.leaflet-interactive").first.wait_for(timeout=DELAI)
    return cadre.locator("path.leaflet-interactive").count()


def libelles_lisibles(page) -> None:
    """No visible widget label overlaps a field (at 390 px labels stack above their field)."""
    chevauchements = page.evaluate("""() => {
        const vus = s => [...document.querySelectorAll(s)].filter(e => e.offsetParent !== null)
            .map(e => [e, e.getBoundingClientRect()]).filter(([e, r]) => r.width > 0 && r.height > 0);
        const champs = vus('.widget-inline-hbox > select, .widget-inline-hbox > input');
        return vus('.widget-inline-hbox > .widget-label').filter(([l, a]) => l.textContent.trim()).flatMap(([l, a]) =>
            champs.filter(([c, d]) => a.left < d.right - 1 && d.left < a.right - 1 && a.top < d.bottom - 1
                                      && d.top < a.bottom - 1).map(() => l.textContent.trim()));
    }""")
    assert chevauchements == [], f"libellés qui recouvrent un champ : {chevauchements}"


def capture_telephone(navigateur, url: str, attendre: str, chemin: Path) -> None:
    p = Page(navigateur, 390, 844)
    try:
        p.page.goto(url, timeout=DELAI)
        p.page.wait_for_selector(attendre, timeout=DELAI)
        if p.page.locator("iframe.alc-carte").count():
            carte_dessinee(p.page)
        hauteur = p.page.evaluate("Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))")
        p.page.set_viewport_size({"width": 390, "height": min(int(hauteur) + 40, 12000)})
        p.page.wait_for_timeout(800)
        p.page.screenshot(path=str(chemin), full_page=True)
        largeur = p.page.evaluate("document.documentElement.scrollWidth")
        assert largeur <= 400, f"la page déborde à 390 px ({largeur} px)"
        libelles_lisibles(p.page)
    finally:
        p.fermer()


def chercher(page, texte: str) -> None:
    champ = page.get_by_label("Rechercher un territoire")
    champ.fill(texte)
    champ.press("Enter")


# --------------------------------------------------------------------------------------------
# expected figures, computed independently
# --------------------------------------------------------------------------------------------

def population(colonne: str, code: str) -> int:
    c = pd.read_parquet(D / "communes" / "communes.parquet", columns=[colonne, "population"])
    return int(c.loc[c[colonne] == code, "population"].sum())


def accidents(colonne: str, code: str, debut: int, fin: int, gravites=None) -> int:
    a = pd.read_parquet(D / "accidents" / "accidents.parquet", columns=[colonne, "annee", "gravite"])
    m = (a[colonne] == code) & a["annee"].between(debut, fin)
    if gravites:
        m &= a["gravite"].isin(gravites)
    return int(m.sum())


def accidents_localises(commune: str, debut: int, fin: int) -> int:
    a = pd.read_parquet(D / "accidents" / "accidents.parquet", columns=["code_commune_2026", "annee", "latitude"])
    return int(((a["code_commune_2026"] == commune) & a["annee"].between(debut, fin) & a["latitude"].notna()).sum())


# --------------------------------------------------------------------------------------------
# the dashboards
# --------------------------------------------------------------------------------------------

def test_portrait_de_territoire(serveur, navigateur, captures):
    url = f"{serveur}/voila/render/portrait-territoire.ipynb"
    p = Page(navigateur)
    try:
        page = p.page
        page.goto(url, timeout=DELAI)
        page.wait_for_selector('[data-territoire="region:84"] [data-test=population]', timeout=DELAI)
        assert nombre(population("region", "84")) in page.inner_text('[data-test=population]')
        assert carte_dessinee(page, "region:84|") == 12  # the 12 départements of Auvergne-Rhône-Alpes
        assert "information non renseignée dans la source" in page.inner_text("[data-test=mairies]")
        assert "Sources et dates des données" in page.inner_text("body")
        chercher(page, "Isère")
        page.wait_for_selector('[data-territoire="departement:38"] [data-test=population]', timeout=DELAI)
        assert nombre(population("departement", "38")) in page.inner_text("[data-test=population]")
        c = pd.read_parquet(D / "communes" / "communes.parquet", columns=["departement", "epci"])
        n_epci = c.loc[c["departement"] == "38", "epci"].nunique()
        assert carte_dessinee(page, "departement:38|") == n_epci
        chercher(page, "200046977")  # an EPCI by its SIREN
        page.wait_for_selector('[data-territoire="epci:200046977"] [data-test=accidents]', timeout=DELAI)
        com = pd.read_parquet(D / "communes" / "communes.parquet", columns=["code", "epci"])
        codes = set(com.loc[com["epci"] == "200046977", "code"])
        a = pd.read_parquet(D / "accidents" / "accidents.parquet", columns=["code_commune_2026", "annee"])
        n_acc = int((a["code_commune_2026"].isin(codes) & a["annee"].between(2016, 2020)).sum())
        assert nombre(n_acc) in page.inner_text("[data-test=accidents]")
        assert carte_dessinee(page, "epci:200046977|") == len(codes)
        assert n_epci > 1
        verifier_propre(page)
        chercher(page, "__erreur__")  # forces an exception inside the callback
        page.wait_for_selector(".alc-erreur", timeout=DELAI)
        assert "Un problème est survenu" in page.inner_text(".alc-erreur")
        verifier_propre(page)
        assert p.sortants == [], p.sortants  # neither the page (template) nor the map asked anything outside
        assert not p.dialogues
    finally:
        p.fermer()
    capture_telephone(navigateur, url, "[data-test=population]", captures / "portrait-390.png")


def test_securite_routiere(serveur, navigateur, captures):
    url = f"{serveur}/voila/render/securite-routiere.ipynb"
    p = Page(navigateur)
    try:
        page = p.page
        page.goto(url, timeout=DELAI)
        page.wait_for_selector('[data-filtre="region:84|2016-2020|3"] [data-test=accidents]', timeout=DELAI)
        assert nombre(accidents("region", "84", 2016, 2020)) in page.inner_text("[data-test=accidents]")
        assert carte_dessinee(page, "region:84|2016-2020|3") == 12
        chercher(page, "Grenoble")
        page.wait_for_selector('[data-filtre="commune:38185|2016-2020|3"] [data-test=accidents]', timeout=DELAI)
        n = accidents("code_commune_2026", "38185", 2016, 2020)
        assert nombre(n) in page.inner_text("[data-test=accidents]")
        pts = accidents_localises("38185", 2016, 2020)
        assert carte_dessinee(page, "commune:38185|2016-2020|3") == 1 + pts  # the commune and its points
        page.get_by_label("accidents léger").uncheck()
        page.wait_for_selector('[data-filtre="commune:38185|2016-2020|2"] [data-test=accidents]', timeout=DELAI)
        n2 = accidents("code_commune_2026", "38185", 2016, 2020, ["mortel", "grave non mortel"])
        assert nombre(n2) in page.inner_text("[data-test=accidents]")
        assert len(page.locator("figure.alc-graphique img").all()) == 4
        assert all(page.locator(".alc-resume").all_inner_texts())
        verifier_propre(page)
        chercher(page, "__erreur__")
        page.wait_for_selector(".alc-erreur", timeout=DELAI)
        verifier_propre(page)
        assert p.sortants == [], p.sortants
    finally:
        p.fermer()
    capture_telephone(navigateur, url, "[data-test=accidents]", captures / "securite-390.png")


FICHIERS = {
    "vide.csv": (b"", "vide"),
    "binaire.csv": (bytes(range(256)) * 40, "binaire"),
    "classeur.xlsx": (b"PK\x03\x04" + b"\x00" * 200, "Excel"),
    "entete.csv": (b"code;valeur\n", "que la ligne d'en-t"),
    "latin1-illisible.csv": (bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 400 + b"\x01\x02" * 300, "pas un texte lisible"),
    "une-colonne.csv": (b"code\n01001\n", "Une seule colonne"),
}


def test_vos_donnees(serveur, navigateur, captures, tmp_path):
    url = f"{serveur}/voila/render/vos-donnees.ipynb"
    p = Page(navigateur, 1280, 1600)
    try:
        page = p.page
        page.goto(url, timeout=DELAI)
        page.wait_for_selector("input[type=file]", timeout=DELAI)
        assert page.get_by_label("Votre fichier CSV (10 Mo au plus)").count() == 1

        def deposer(chemin: Path, attendre: str) -> str:
            page.evaluate("document.querySelectorAll('.alc-message,[data-test=resume-carte]').forEach(e => e.remove())")
            page.set_input_files("input[type=file]", str(chemin))
            page.wait_for_selector(attendre, timeout=DELAI)
            return page.inner_text(attendre)

        for nom, (contenu, attendu) in FICHIERS.items():
            f = tmp_path / nom
            f.write_bytes(contenu)
            assert attendu in deposer(f, ".alc-erreur"), nom
        gros = tmp_path / "gros.csv"
        with gros.open("wb") as fh:  # 50 MB: refused in the browser, the connection survives
            fh.truncate(50_000_000)
        assert "la limite est 10,0 Mo" in deposer(gros, ".alc-erreur")
        hostile = "<img src=x onerror=alert(1)>"
        bon = tmp_path / "mes-donnees.csv"
        bon.write_bytes(("code_insee;`${alert(1)}` {{ 7*7 }} " + hostile + "\n1001;12\n38185;1 200,5\n38186;3\n99999;4\n"
                         "38000;5\n" + hostile + ";6\nL'Isle-d'Abeau;7\nSaint-Étienne;8\n").encode("cp1252"))
        resume = deposer(bon, "[data-test=resume-carte]")
        assert "pour 5 commune(s)" in resume
        assert carte_dessinee(page, "5") == 5
        assert "{{ 7*7 }}" in resume  # the column name is shown as written, on the page and in the map
        cadre = page.frame_locator("iframe.alc-carte")
        cadre.locator("path.leaflet-interactive").first.hover(force=True)
        cadre.locator(".leaflet-tooltip").first.wait_for(timeout=DELAI)
        bulle = cadre.locator(".leaflet-tooltip").first.inner_text()
        assert "{{ 7*7 }}" in bulle and hostile in bulle
        lecture = page.inner_text("[data-test=lecture]")
        assert "Windows-1252" in lecture and "point-virgule" in lecture
        assert "zéro initial" in page.inner_text(".alc-ok")
        tableau = page.inner_text("[data-test=non-apparies]")
        assert "code inconnu" in tableau and "code postal" in tableau and hostile in tableau
        assert page.locator("img[src=x]").count() == 0 and not p.dialogues
        page.wait_for_timeout(500)
        assert not p.dialogues
        verifier_propre(page)
        page.set_viewport_size({"width": 390, "height": 2400})  # the same page, after the upload, on a phone
        page.wait_for_timeout(1000)
        page.screenshot(path=str(captures / "vos-donnees-apres-depot-390.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 400
        libelles_lisibles(page)
        f = tmp_path / "__erreur__"
        f.write_bytes(b"a;b\n1;2\n")
        assert "n'a pas pu être lu" in deposer(f, ".alc-erreur")
        verifier_propre(page)
        assert p.sortants == [], p.sortants
    finally:
        p.fermer()
    capture_telephone(navigateur, url, "input[type=file]", captures / "vos-donnees-390.png")


def test_erreur_de_rendu_sans_trace(environnement, navigateur, tmp_path):
    """A notebook that fails while rendering, served with the production configuration."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Essai"),
                nbformat.v4.new_code_cell("secret = '/chemin/secret.py'\nraise RuntimeError(secret)")]
    nbformat.write(nb, tmp_path / "casse.ipynb")
    proc, base = demarrer_voila(tmp_path, environnement, tmp_path / "voila.log")
    p = Page(navigateur)
    try:
        p.page.goto(f"{base}/voila/render/casse.ipynb", timeout=DELAI)
        p.page.wait_for_selector("text=Essai", timeout=DELAI)
        p.page.wait_for_timeout(1500)
        html = p.page.content()
        for mot in ["Traceback", "RuntimeError", "/chemin/secret", "raise "]:
            assert mot not in html, mot
    finally:
        p.fermer()
        arreter(proc)


def test_configuration_de_production():
    conf = json.loads(CONFIG.read_text(encoding="utf-8"))
    v = conf["VoilaConfiguration"]
    assert v["strip_sources"] is True and v["show_tracebacks"] is False
    assert v["allow_template_override"] == "NO" and v["preheat_kernel"] is True
    k = conf["MappingKernelManager"]
    assert k["allow_tracebacks"] is False and k["cull_idle_timeout"] > 0 and k["cull_interval"] > 0
    assert shutil.which("voila") or (Path(sys.executable).parent / "voila").exists()

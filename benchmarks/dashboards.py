"""Speed and memory of the three Voilà dashboards, served as in production (dashboards/voila.json).

For each dashboard, one Voilà is started on 127.0.0.1 with the production configuration, serving
the dashboard and a floor notebook (one markdown cell and one Dropdown: the least a widget page
costs). Printed, in one run:

- time to content (navigation → key figures and map drawn) for the first viewer and for a later
  viewer (after the pre-heated pool has refilled), the same for the floor, and the ratio;
- interaction latency: territory change (or a small upload) → key figures updated in the page, and
  → everything updated (map, charts, exports: the last thing the callback writes);
- memory per viewer kernel: RSS, PSS (shared pages divided among the processes that map them) and
  USS (memory only that kernel holds) after the page is drawn, the largest of the server's kernels;
- slowest time to content when 5, then 20 viewers open the page at the same moment (among those who got
  it; failures, i.e. no content within BENCH_DELAI_MS (default 300 s), are counted and explained).

Only 127.0.0.1 is contacted; the browser's other requests are aborted (offline). Measures, never
asserts. Usage: ``python benchmarks/dashboards.py [portrait-territoire securite-routiere vos-donnees]``
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARDS = ROOT / "dashboards"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
DELAI = int(__import__("os").environ.get("BENCH_DELAI_MS", "300000"))
CONTENU = {
    "portrait-territoire": "[data-test=population]",
    "securite-routiere": "[data-test=accidents]",
    "vos-donnees": "input[type=file]",
    "plancher": ".widget-dropdown select",
}
PLANCHER = {
    "cells": [
        {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# Plancher"},
        {"cell_type": "code", "id": "b", "metadata": {}, "execution_count": None, "outputs": [],
         "source": "import ipywidgets as W\nW.Dropdown(options=['a', 'b'], description='Choix')"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer(racine: Path) -> tuple[subprocess.Popen, str]:
    port = port_libre()
    proc = subprocess.Popen(
        [sys.executable, "-m", "voila", f"--port={port}", "--Voila.ip=127.0.0.1", "--no-browser",
         f"--Voila.config_file_paths={DASHBOARDS}", str(racine)],
        cwd=racine, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            urllib.request.urlopen(base + "/", timeout=5)
            break
        except OSError:
            time.sleep(0.5)
    return proc, base


def arreter(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def noyaux(serveur: int) -> list[int]:
    """ipykernel processes started by this Voilà."""
    out = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True).stdout.splitlines()[1:]
    return [int(p.split()[0]) for p in out if int(p.split()[1]) == serveur and "ipykernel" in p]


def memoire(pid: int) -> tuple[float, float, float]:
    """(RSS, PSS, USS) in MB from /proc/PID/smaps_rollup."""
    d = {}
    with open(f"/proc/{pid}/smaps_rollup") as fh:
        for ligne in fh:
            if ":" in ligne:
                k, v = ligne.split(":", 1)
                if v.strip().endswith("kB"):
                    d[k] = int(v.split()[0]) / 1024
    return d.get("Rss", 0.0), d.get("Pss", 0.0), d.get("Private_Clean", 0.0) + d.get("Private_Dirty", 0.0)


async def ouvrir(navigateur, url: str, marqueur: str, carte: bool) -> tuple[float, object]:
    ctx = await navigateur.new_context(viewport={"width": 1280, "height": 900})

    async def route(r):
        if r.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            await r.continue_()
        else:
            await r.abort()

    await ctx.route("**/*", route)
    page = await ctx.new_page()
    t0 = time.perf_counter()
    await page.goto(url, timeout=DELAI)
    await page.wait_for_selector(marqueur, state="attached", timeout=DELAI)
    if carte:
        await page.frame_locator("iframe.alc-carte").locator("path.leaflet-interactive").first.wait_for(
            timeout=DELAI)
    return time.perf_counter() - t0, ctx


# the last element each dashboard's callback writes for the Isère (département 38)
FIN = {"portrait-territoire": 'a[download="carte-departement-38.csv"]',
       "securite-routiere": 'a[download="victimes-categories-38.png"]'}


async def interaction(ctx, nom: str, tmp: Path) -> tuple[float, float]:
    """(seconds until the key figures changed, seconds until everything changed)."""
    page = ctx.pages[0]
    if nom == "vos-donnees":
        f = tmp / "petit.csv"
        f.write_text("code;valeur\n38185;1\n38151;2\n38421;3\n", encoding="utf-8")
        t0 = time.perf_counter()
        await page.set_input_files("input[type=file]", str(f))
        await page.wait_for_selector("[data-test=resume-carte]", timeout=DELAI)
        t = time.perf_counter() - t0
        return t, t  # the summary under the map is written last
    champ = page.get_by_label("Rechercher un territoire")
    await champ.fill("Isère")
    t0 = time.perf_counter()
    await champ.press("Enter")
    await page.wait_for_selector('[data-territoire="departement:38"]', timeout=DELAI)
    chiffres = time.perf_counter() - t0
    await page.wait_for_selector(FIN[nom], state="attached", timeout=DELAI)
    return chiffres, time.perf_counter() - t0


async def mesurer(nom: str, navigateur, tmp: Path) -> dict:
    racine = tmp / nom
    racine.mkdir()
    shutil.copy(DASHBOARDS / f"{nom}.ipynb", racine)
    (racine / "plancher.ipynb").write_text(__import__("json").dumps(PLANCHER))
    proc, base = demarrer(racine)
    res = {}
    try:
        await asyncio.sleep(25)  # let the pre-heated pools fill (one kernel per notebook)
        url, plancher = f"{base}/voila/render/{nom}.ipynb", f"{base}/voila/render/plancher.ipynb"
        carte = nom != "vos-donnees"
        res["premier"], ctx1 = await ouvrir(navigateur, url, CONTENU[nom], carte)
        res["plancher_premier"], ctxp = await ouvrir(navigateur, plancher, CONTENU["plancher"], False)
        res["interaction"], res["complete"] = await interaction(ctx1, nom, tmp)
        await asyncio.sleep(2)
        mem = [memoire(p) for p in noyaux(proc.pid)]
        for i, cle in enumerate(("rss", "pss", "uss")):
            res[cle] = max(m[i] for m in mem) if mem else float("nan")
        res["noyaux"] = len(mem)
        await asyncio.sleep(20)  # the pools refill
        res["suivant"], ctx2 = await ouvrir(navigateur, url, CONTENU[nom], carte)
        res["plancher_suivant"], ctxq = await ouvrir(navigateur, plancher, CONTENU["plancher"], False)
        for c in (ctx1, ctxp, ctx2, ctxq):
            await c.close()
        for n in (5, 20):
            await asyncio.sleep(20)
            essais = await asyncio.gather(*[ouvrir(navigateur, url, CONTENU[nom], carte) for _ in range(n)],
                                          return_exceptions=True)
            temps = [e[0] for e in essais if not isinstance(e, BaseException)]
            res[f"simultanes_{n}"] = max(temps) if temps else float("nan")  # slowest of those who got content
            res[f"echecs_{n}"] = n - len(temps)
            raisons = sorted({f"{type(e).__name__}: {str(e).splitlines()[0][:120]}" for e in essais
                              if isinstance(e, BaseException)})
            if raisons:
                print(f"  {nom}, {n} simultaneous viewers, failures: " + " | ".join(raisons), flush=True)
            for e in essais:
                if not isinstance(e, BaseException):
                    await e[1].close()
    finally:
        arreter(proc)
    return res


async def principal(noms: list[str]) -> None:
    from playwright.async_api import async_playwright

    subprocess.run([sys.executable, "-m", "alacarte.tableaux_de_bord"], check=True, capture_output=True)
    charge = os.getloadavg()[0]
    print(f"Voilà dashboards — production configuration, 127.0.0.1, network cut; {os.cpu_count()} cores, "
          f"load average at start {charge:.1f}")
    print(f"{'dashboard':22} {'1st s':>6} {'next s':>6} {'floor1':>6} {'floorN':>6} {'ratio1':>6} {'ratioN':>6} "
          f"{'inter s':>7} {'full s':>6} {'RSS MB':>7} {'PSS MB':>7} {'USS MB':>7} {'5 sim s':>7} {'20 sim s':>8}",
          flush=True)
    async with async_playwright() as p:
        navigateur = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        with tempfile.TemporaryDirectory() as d:
            for nom in noms:  # one line per dashboard as soon as it is measured
                ligne(nom, await mesurer(nom, navigateur, Path(d)))
        await navigateur.close()
    print("targets: ratio to the floor <= 1.5, interaction (key figures) <= 0.3 s, <= 250 MB per kernel")


def ligne(nom: str, r: dict) -> None:
    print(f"{nom:22} {r['premier']:6.2f} {r['suivant']:6.2f} {r['plancher_premier']:6.2f} "
              f"{r['plancher_suivant']:6.2f} {r['premier'] / r['plancher_premier']:6.2f} "
              f"{r['suivant'] / r['plancher_suivant']:6.2f} {r['interaction']:7.2f} {r['complete']:6.2f} "
              f"{r['rss']:7.0f} {r['pss']:7.0f} {r['uss']:7.0f} "
              f"{r['simultanes_5']:7.1f} {r['simultanes_20']:8.1f}"
              + (f"  (failures: {r['echecs_5']} of 5, {r['echecs_20']} of 20)" if r["echecs_5"] or r["echecs_20"]
                 else ""), flush=True)


if __name__ == "__main__":
    asyncio.run(principal(sys.argv[1:] or ["portrait-territoire", "securite-routiere", "vos-donnees"]))

"""Lesson 09 (publish a dashboard): the checkers, the figures, and the starter dashboard
``lessons/mon-tableau-de-bord/mon-tableau-de-bord.ipynb`` executed for three régions and opened
through Voilà (production configuration) in headless Chromium, offline, at desktop and phone width.

Expected figures are recomputed here with plain pandas on the shipped files.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import ipywidgets as W
import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

from alacarte import catalogue, choisir_territoire
from alacarte.exercices import Statut, ____
from alacarte.exercices import lecon09 as L
from alacarte.lecons import BINDER
from tests.test_dashboards_navigateur import (  # noqa: F401  (navigateur and captures are fixtures)
    DELAI,
    Page,
    arreter,
    capture_telephone,
    captures,
    demarrer_voila,
    navigateur,
    verifier_propre,
)

ROOT = Path(__file__).resolve().parents[1]
D = ROOT / "datasets"
TABLEAU = ROOT / L.CHEMIN_TABLEAU


def nombre(x: float) -> str:
    """French formatting as the lesson writes it (no-break space), written here again to check independently."""
    return f"{x:,.0f}".replace(",", "\u00a0")


def _populations(region: str = "84") -> pd.DataFrame:
    p = pd.read_parquet(D / "populations" / "populations.parquet")
    return p[p["region"] == region]


def _deps(region: str = "84") -> pd.DataFrame:
    c = pd.read_parquet(D / "communes" / "communes.parquet", columns=["region", "departement", "departement_nom"])
    c = c[c["region"] == region]
    return c.drop_duplicates("departement").sort_values("departement")


def _menu() -> W.Dropdown:
    d = L.departements()
    return W.Dropdown(options=list(zip(d["nom"], d["code"], strict=True)), description="Département")


# --------------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------------

def test_indicateurs_par_departement_recalcules_independamment():
    t = L.indicateurs_departements()
    deps = _deps()
    assert list(t.index) == list(deps["departement"])
    assert list(t["nom"]) == list(deps["departement_nom"])
    p = _populations()
    assert t["population"].to_dict() == {k: int(v) for k, v in p.groupby("departement")["population_2026"].sum().items()}
    comparables = p[~p["non_comparable"].fillna("").str.contains("2021")]
    evol = 100 * (comparables.groupby("departement")["population_2026"].sum()
                  / comparables.groupby("departement")["population_2021"].sum() - 1)
    assert (t["evolution"] - evol).abs().max() < 1e-9
    e = pd.read_parquet(D / "elus_parite" / "elus_parite.parquet")
    e = e[e["region"] == "84"]
    part = 100 * e.groupby("departement")["maires_f"].sum() / (e["maires_f"] + e["maires_h"]).groupby(
        e["departement"]).sum()
    assert (t["part_mairesses"] - part).abs().max() < 1e-9
    assert t["densite"].between(10, 5000).all()
    # the phrase says the real figures
    code = deps["departement"].iloc[0]
    assert nombre(t.loc[code, "population"]) in L.phrase(code)
    assert t.loc[code, "nom"] in L.phrase(code)


def test_graphique_top_est_une_image_accessible_et_echappee():
    code = L.departements()["code"].iloc[0]
    for ind in L.INDICATEURS_GRAPHIQUE:
        t = L.top_communes(code, ind, 7)
        assert len(t) == 7 and t["valeur"].is_monotonic_decreasing
        h = L.graphique_top(code, ind, 7)
        assert h.startswith("<figure") and "data:image/png;base64," in h
        assert f'alt="{html.escape(L.titre_top(code, ind, 7))}. ' in h
        assert html.escape(L.resume_top(code, ind, 7)) in h
    evol = L.top_communes(code, "evolution", 50)
    pops = L.indicateurs_communes().set_index("code").loc[evol["code"], "population"]
    assert (pops >= L.SEUIL_EVOLUTION).all()  # no small-number trap in the ranking


def test_le_territoire_suit_le_reglage():
    choisir_territoire("region:94", afficher=False)
    assert list(L.departements()["code"]) == ["2A", "2B"]
    choisir_territoire("region:53", afficher=False)
    assert list(L.departements()["code"]) == ["22", "29", "35", "56"]


# --------------------------------------------------------------------------------------------
# checkers
# --------------------------------------------------------------------------------------------

def _statut(q, *r):
    return q.evaluer(*r).statut


def test_q1_le_menu():
    d = L.departements()
    assert _statut(L.q1, _menu()) is Statut.CORRECT
    assert _statut(L.q1, ____) is Statut.NON_TENTE
    faux = [
        W.Dropdown(options=list(d["nom"]), description="Département"),          # names as values
        W.Dropdown(options=list(d["code"]), description="Département"),         # codes as labels
        W.Dropdown(options=list(zip(d["nom"], d["code"], strict=True))),        # no description
        W.RadioButtons(options=list(zip(d["nom"], d["code"], strict=True)), description="Département"),
        list(zip(d["nom"], d["code"], strict=True)),
        W.Dropdown(options=list(zip(d["nom"], d["code"], strict=True))[:-1], description="Département"),
    ]
    messages = [L.q1.evaluer(f) for f in faux]
    assert all(m.statut is Statut.INCORRECT for m in messages)
    assert "codes" in messages[0].message and "noms" in messages[1].message and "description" in messages[2].message
    assert "Il manque" in messages[5].message


def test_q2_la_fonction_valeur():
    par_dep = L.indicateurs_departements()
    assert _statut(L.q2, lambda c, i: par_dep.loc[c, i]) is Statut.CORRECT
    inverse = L.q2.evaluer(lambda c, i: par_dep.loc[i, c])
    assert inverse.statut is Statut.INCORRECT and "inversé" in inverse.message
    assert "ligne ET la colonne" in L.q2.evaluer(lambda c, i: par_dep.loc[c]).message
    assert "return" in L.q2.evaluer(lambda c, i: None).message
    assert "____" in L.q2.evaluer(lambda c, i: ____).message
    assert "sans parenthèses" in L.q2.evaluer(3.5).message


def test_q3_observe_le_verificateur_change_le_menu():
    menu, texte = _menu(), W.HTML()
    mini = W.VBox([menu, texte])
    assert "vide" in L.q3.evaluer(mini).message

    def actualiser(change=None):
        texte.value = "<p>" + html.escape(L.phrase(menu.value)) + "</p>"

    menu.observe(actualiser, names="value")
    assert "une fois" in L.q3.evaluer(mini).message  # wired, but empty until the first click
    actualiser()
    depart = menu.value
    assert _statut(L.q3, mini) is Statut.CORRECT
    assert menu.value == depart  # the checker puts the menu back

    menu2, texte2 = _menu(), W.HTML()
    texte2.value = L.phrase(menu2.value)  # filled once, never wired
    assert "ne suit pas" in L.q3.evaluer(W.VBox([menu2, texte2])).message

    menu3, texte3 = _menu(), W.HTML()
    texte3.value = L.phrase(menu3.value)
    menu3.observe(lambda change: texte3.__setattr__("value", L.phrase(change["new"])))  # no names=: index too
    assert _statut(L.q3, W.VBox([menu3, texte3])) is Statut.INCORRECT
    assert _statut(L.q3, menu) is Statut.INCORRECT


def test_q4_credits_les_producteurs_sont_ceux_du_catalogue():
    for nom, (_, variantes) in L.PRODUCTEURS.items():
        assert nom in L.DONNEES
        assert variantes[0] in L.normaliser_texte(catalogue()[nom]["producer"]), nom
        assert catalogue()[nom]["licence"]["name"] == "Licence Ouverte 2.0"
    bon = ("Sources : INSEE, populations légales 2021 et 2026 ; IGN, ADMIN EXPRESS ; ministère de l'Intérieur, "
           "élus 2026 — Licence Ouverte 2.0")
    assert _statut(L.q4, bon) is Statut.CORRECT
    assert "Intérieur" in L.q4.evaluer("Sources : INSEE 2026, IGN — Licence Ouverte").message
    assert "date" in L.q4.evaluer("Sources : INSEE, IGN, ministère de l'Intérieur — Licence Ouverte").message
    assert "licence" in L.q4.evaluer("Sources : INSEE, IGN, ministère de l'Intérieur, 2026").message
    assert "plateforme" in L.q4.evaluer("data.gouv.fr").message


def test_q5_licences():
    assert _statut(L.q5, "a, b, e") is Statut.CORRECT
    assert "identique" in L.q5.evaluer("a, c").message


def test_q6_le_lien_binder():
    assert L.LIEN_VOILA.startswith(BINDER + "?urlpath=voila/render/")
    assert TABLEAU.exists()
    assert _statut(L.q6, L.LIEN_VOILA) is Statut.CORRECT
    assert _statut(L.q6, L.LIEN_VOILA.replace("voila/render/", "voila%2Frender%2F")) is Statut.CORRECT
    assert "code" in L.q6.evaluer(L.LIEN_VOILA.replace("voila/render", "lab/tree")).message
    assert "ordinateur" in L.q6.evaluer("http://localhost:8888/voila/render/" + L.CHEMIN_TABLEAU).message
    assert "lessons/" in L.q6.evaluer(L.LIEN_VOILA.replace("lessons/", "")).message


# --------------------------------------------------------------------------------------------
# the starter dashboard, executed (kernel side) for three régions
# --------------------------------------------------------------------------------------------

VERIFICATION = """
from alacarte.exercices.lecon09 import departements as _deps, phrase as _phrase
_codes = list(_deps()["code"])
assert menu.value == _codes[0] and _phrase(_codes[0]) in html.unescape(texte.value)
menu.value = _codes[-1]            # what a reader's choice does
assert _phrase(_codes[-1]) in html.unescape(texte.value)
assert f'data-departement="{_codes[-1]}"' in graphique.value
boutons.value = "densite"
curseur.value = 5
assert "denses" in graphique.value and "la 5ᵉ du classement" in graphique.value
print("OK", len(_codes))
"""


def test_tableau_de_depart_sans_sorties():
    nb = json.loads(TABLEAU.read_text(encoding="utf-8"))
    assert all(c.get("outputs", []) == [] and c.get("execution_count") is None for c in nb["cells"])
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert "alacarte" not in nb["metadata"]  # not a lesson: no lesson metadata, not in the lesson tables
    texte = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "Licence Ouverte 2.0" in texte and "CC BY 4.0" in texte and "INSEE" in texte


@pytest.mark.parametrize("territoire", ["region:84", "region:53", "region:94"])
def test_tableau_de_depart_s_execute(territoire):
    nb = nbformat.read(TABLEAU, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(VERIFICATION))
    env = {**os.environ, "ALACARTE_TERRITOIRE": territoire, "MPLBACKEND": "Agg"}
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(TABLEAU.parent)}}).execute(env=env)
    sortie = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.get("name") == "stdout")
    assert sortie.startswith("OK")


# --------------------------------------------------------------------------------------------
# the starter dashboard through Voilà (production configuration), in Chromium, offline
# --------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def voila_tableau(tmp_path_factory):
    env = {**os.environ, "ALACARTE_CACHE": str(tmp_path_factory.mktemp("cache09"))}
    env.pop("ALACARTE_TERRITOIRE", None)
    journal = tmp_path_factory.mktemp("voila09") / "voila.log"
    proc, base = demarrer_voila(TABLEAU.parent, env, journal)
    yield base
    arreter(proc)


@pytest.mark.navigateur
def test_tableau_de_depart_dans_voila(voila_tableau, navigateur, captures):  # noqa: F811
    url = f"{voila_tableau}/voila/render/{TABLEAU.name}"
    deps = _deps()
    p = _populations()
    premier, dernier = deps.iloc[0], deps.iloc[-1]
    pop = p.groupby("departement")["population_2026"].sum()
    page_ = Page(navigateur)
    try:
        page = page_.page
        page.goto(url, timeout=DELAI)
        page.wait_for_selector(f'figure[data-departement="{premier["departement"]}"] img', timeout=DELAI)
        corps = page.inner_text("body")
        assert f"{premier['departement_nom']} : {nombre(pop[premier['departement']])} habitants en 2026" in corps
        assert "Les 10 communes les plus peuplées" in page.get_attribute("figure img", "alt")
        assert "Licence Ouverte 2.0" in corps and "Sources et dates des données" in corps
        assert page.evaluate("document.querySelector('figure img').naturalWidth") > 300  # the image decoded
        # the reader picks another département, then ranks by density
        page.locator("select").first.select_option(label=dernier["departement_nom"])
        page.wait_for_selector(f'figure[data-departement="{dernier["departement"]}"] img', timeout=DELAI)
        assert f"{dernier['departement_nom']} : {nombre(pop[dernier['departement']])} habitants" in page.inner_text(
            "body")
        page.get_by_role("button", name="Densité").click()
        page.wait_for_selector('figure img[alt*="les plus denses"]', timeout=DELAI)
        verifier_propre(page)
        contenu = page.content()
        for code in ("import ipywidgets", "def actualiser", "graphique_top(", "observe("):
            assert code not in contenu, code
        assert page_.sortants == [], page_.sortants  # nothing asked outside 127.0.0.1
        assert not page_.dialogues
        page.screenshot(path=str(captures / "lecon09-tableau-1280.png"), full_page=True)
    finally:
        page_.fermer()
    # a phone: 390 px wide, nothing wider than the screen (capture_telephone asserts it)
    capture_telephone(navigateur, url, "figure[data-departement] img", captures / "lecon09-tableau-390.png")

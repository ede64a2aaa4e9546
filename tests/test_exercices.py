"""The exercise checker: outcomes, precise French messages, hints, solutions, strict mode, progress."""

from __future__ import annotations

import copy
import json
import os
import stat

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest
import shapely

import alacarte
from alacarte.erreurs import ErreurAlacarte
from alacarte.exercices import (
    CarteFolium,
    Choix,
    Ensemble,
    FigurePlotly,
    Liste,
    Nombre,
    NombreLibre,
    Parties,
    Personnalise,
    Question,
    ReponseIncorrecte,
    Statut,
    Tableau,
    TableauGeo,
    Texte,
    ____,
    bilan,
    contient_a_completer,
    progression,
    verificateur,
)
from alacarte.exercices._texte import nombre_fr

HOSTILE = "<img src=x onerror=alert(1)>"
NNBSP = "\u202f"  # the thousands separator of French typography


# ------------------------------------------------------------------------------------------------
# Fixtures
# ------------------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def isolement(tmp_path, monkeypatch):
    """Progress in a temporary file, lax mode, no question left over from another test."""
    monkeypatch.setenv("ALACARTE_PROGRESSION", str(tmp_path / "progression" / "progression.json"))
    monkeypatch.delenv("ALACARTE_STRICT", raising=False)
    monkeypatch.setattr(verificateur, "_questions", {})
    progression.oublier_session()
    yield
    progression.oublier_session()


@pytest.fixture
def affiches(monkeypatch):
    """Everything the checker displays, as objects (instead of printing them)."""
    objets: list = []
    monkeypatch.setattr(verificateur, "afficher", objets.append)
    return objets


@pytest.fixture(scope="module")
def communes():
    return alacarte.charger("communes", territoire="region:84")


@pytest.fixture(scope="module")
def par_departement(communes):
    return communes.groupby("departement", as_index=False)["population"].sum()


@pytest.fixture(scope="module")
def villes(communes):
    """Four real communes with their approximate town-centre coordinates (a labelled test table)."""
    coords = {"Lyon": (4.835, 45.758), "Grenoble": (5.724, 45.188), "Saint-Étienne": (4.387, 45.434),
              "Clermont-Ferrand": (3.087, 45.778)}
    table = communes[communes["nom"].isin(list(coords))][["code", "nom", "population"]].reset_index(drop=True)
    points = [shapely.Point(coords[n]) for n in table["nom"]]
    return gpd.GeoDataFrame(table, geometry=points, crs="EPSG:4326")


def question(attendu=None, comparaison=None, **reglages):
    reglages.setdefault("indices", ["Premier indice.", "Deuxième indice."])
    return Question("Une question de test ?", attendu=attendu, comparaison=comparaison, **reglages)


def verdict(comparaison, reponse, attendu=None):
    ok, message = comparaison.comparer(reponse, attendu)
    assert isinstance(ok, bool)
    return ok, message


# ------------------------------------------------------------------------------------------------
# The placeholder
# ------------------------------------------------------------------------------------------------

def test_placeholder_est_unique():
    from alacarte.exercices.verificateur import ____ as meme

    assert meme is ____
    assert copy.deepcopy(____) is ____
    assert copy.copy(____) is ____
    assert repr(____) == "____"
    assert type(____)() is ____


@pytest.mark.parametrize("valeur", [____, [1, ____], (____,), {"a": ____}, {____: 1}, [[1, [____]]], {1, ____}])
def test_placeholder_detecte_meme_imbrique(valeur):
    assert contient_a_completer(valeur)


@pytest.mark.parametrize("valeur", [None, 0, "", "____", [1, 2], {"a": [1]}, pd.DataFrame({"a": [1]})])
def test_placeholder_absent(valeur):
    assert not contient_a_completer(valeur)


@pytest.mark.parametrize("reponse", [____, [____, 2], {"commune": ____}, (____, ____)])
def test_placeholder_donne_pas_encore_tente(reponse):
    resultat = question(attendu=3).evaluer(reponse)
    assert resultat.statut is Statut.NON_TENTE
    assert "Remplace ____ par ta réponse" in resultat.message
    assert str(resultat).startswith("✋ Pas encore tenté")


def test_verifier_sans_argument_est_pas_encore_tente():
    resultat = question(attendu=3, numero=4).evaluer()
    assert resultat.statut is Statut.NON_TENTE
    assert "q4.verifier(reponse)" in resultat.message


# ------------------------------------------------------------------------------------------------
# Nombre
# ------------------------------------------------------------------------------------------------

def test_nombre_format_francais():
    assert nombre_fr(4025) == f"4{NNBSP}025"
    assert nombre_fr(1234567.5) == f"1{NNBSP}234{NNBSP}567,5"
    assert nombre_fr(14.25) == "14,25"
    assert nombre_fr(14.2345, 1) == "14,2"
    assert nombre_fr(-0.0001, 1) == "0,0"
    assert nombre_fr(np.int64(12)) == "12"


@pytest.mark.parametrize("reponse", [14.2345, 14.2, 14.3, np.float64(14.25), np.float32(14.2)])
def test_nombre_juste_a_la_tolerance_pres(reponse):
    assert verdict(Nombre(tolerance=0.1), reponse, 14.2345) == (True, None)


def test_nombre_entier_exact_par_defaut(communes):
    attendu = len(communes)
    assert verdict(Nombre(), np.int64(attendu), attendu)[0]
    assert verdict(Nombre(), float(attendu), attendu)[0]
    ok, message = verdict(Nombre(), attendu - 1, attendu)
    assert not ok
    assert message == f"{nombre_fr(attendu - 1)} n'est pas la bonne valeur : il faut {nombre_fr(attendu)}."


@pytest.mark.parametrize(("reponse", "phrase"), [
    (12.5, "12,5 n'est pas la bonne valeur : il faut environ 14,2 (à 0,1 près)"),
    ("12", 'Ta réponse est du texte ("12"), il faut un nombre : enlève les guillemets'),
    ("Lyon", 'Ta réponse est du texte ("Lyon"), il faut un nombre.'),
    (pd.Series([14.2]), "Récupère la valeur avec .iloc[0]"),
    (pd.Series([1.0, 2.0, 3.0]), "as-tu oublié un calcul comme .sum(), .mean() ou .max()"),
    (0.142345, "100 fois trop petit : pour un pourcentage, n'oublie pas de multiplier par 100"),
    (1423.45, "100 fois trop grand"),
    (-14.2345, "a le mauvais signe"),
    (float("nan"), "Ta réponse vaut NaN (une valeur manquante)"),
    (True, "Ta réponse est un booléen (True), il faut un nombre"),
    (None, "Ta réponse est vide (None), il faut un nombre"),
    (len, "as-tu oublié les parenthèses"),
    ([14.2], "Récupère la valeur avec [0]"),
])
def test_nombre_messages_precis(reponse, phrase):
    ok, message = verdict(Nombre(tolerance=0.1), reponse, 14.2345)
    assert not ok
    assert phrase in message


def test_nombre_tolerance_relative_et_sans_reveler():
    comparaison = Nombre(relative=0.01, reveler=False, unite="habitants")
    assert verdict(comparaison, 4000, 4025)[0]
    ok, message = verdict(comparaison, 5000, 4025)
    assert not ok
    assert message == f"5{NNBSP}000\u00a0habitants n'est pas la bonne valeur : c'est trop grand (à 1\u00a0% près)."
    assert "4" + NNBSP + "025" not in message  # not revealed


def test_nombre_libre_est_un_nombre():
    assert NombreLibre is Nombre
    with pytest.raises(ValueError):
        Nombre(tolerance=-1)


# ------------------------------------------------------------------------------------------------
# Texte
# ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reponse", ["Saint-Étienne", "saint-etienne", "SAINT ETIENNE", "  Saint  Étienne "])
def test_texte_ignore_casse_accents_espaces(reponse):
    assert verdict(Texte(), reponse, "Saint-Étienne") == (True, None)


@pytest.mark.parametrize(("comparaison", "reponse", "phrase"), [
    (Texte(), "Grenoble", "« Grenoble » n'est pas la bonne réponse."),
    (Texte(), "Saint-Etiene", "Tu es tout près : vérifie l'orthographe"),
    (Texte(ignorer_casse=False), "saint-étienne", "Presque ! « saint-étienne » a juste une différence d'écriture : vérifie les majuscules"),
    (Texte(ignorer_accents=False), "Saint-Etienne", "vérifie les accents"),
    (Texte(), 12, "Ta réponse est un nombre entier (12), il faut du texte"),
    (Texte(), "", "Ta réponse est un texte vide"),
    (Texte(), pd.Series(["Lyon"]), "Récupère la valeur avec .iloc[0]"),
    (Texte(reveler=True), "Grenoble", "Il fallait « Saint-Étienne »."),
])
def test_texte_messages_precis(comparaison, reponse, phrase):
    ok, message = verdict(comparaison, reponse, "Saint-Étienne")
    assert not ok
    assert phrase in message


def test_texte_code_donne_en_nombre():
    ok, message = verdict(Texte(), 1001, "01001")
    assert not ok
    assert "un code s'écrit comme du texte, entre guillemets, avec ses zéros du début" in message


def test_texte_ne_revele_pas_par_defaut():
    assert "Saint-Étienne" not in verdict(Texte(), "Grenoble", "Saint-Étienne")[1]


# ------------------------------------------------------------------------------------------------
# Liste and Ensemble
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def top5(communes):
    return communes.nlargest(5, "population")["nom"].tolist()


def test_liste_acceptee_sous_plusieurs_formes(top5):
    for forme in (top5, tuple(top5), pd.Series(top5), np.array(top5), pd.Index(top5)):
        assert verdict(Liste(), forme, top5) == (True, None)


def test_liste_messages_precis(top5):
    ok, message = verdict(Liste(), top5[:3], top5)
    assert not ok
    assert message.startswith("Ta liste a 3 éléments, il en faut 5. Il manque : ")
    assert f"« {top5[3]} »" in message
    ok, message = verdict(Liste(), [*top5, "Paris"], top5)
    assert "En trop : « Paris »." in message
    ok, message = verdict(Liste(), top5[::-1], top5)
    assert "dans l'ordre inverse" in message
    melange = [top5[1], top5[0], *top5[2:]]
    ok, message = verdict(Liste(), melange, top5)
    assert f"pas dans le bon ordre : le 1er devrait être « {top5[0]} », pas « {top5[1]} »" in message
    ok, message = verdict(Liste(), set(top5), top5)
    assert "un ensemble n'a pas d'ordre" in message
    ok, message = verdict(Liste(), "Lyon", top5)
    assert 'Ta réponse est du texte ("Lyon"), il faut une liste' in message
    ok, message = verdict(Liste(), [*top5[:4], top5[0]], top5)
    assert "doublons" in message


def test_liste_element_souple(top5):
    assert verdict(Liste(element=Texte()), [n.upper() for n in top5], top5)[0]
    assert verdict(Liste(element=Nombre(tolerance=0.1)), [1.04, 2.0], [1.0, 2.0])[0]
    assert not verdict(Liste(element=Nombre(tolerance=0.01)), [1.04, 2.0], [1.0, 2.0])[0]


def test_ensemble(communes):
    departements = sorted(communes["departement"].unique())
    assert verdict(Ensemble(), set(departements), departements)[0]
    assert verdict(Ensemble(), departements[::-1] + departements, departements)[0]
    ok, message = verdict(Ensemble(), departements[:-2], departements)
    assert message.startswith(f"Ta réponse a {len(departements) - 2} éléments différents, il en faut {len(departements)}.")
    assert f"Il manque : « {departements[-2]} » et « {departements[-1]} »." in message
    ok, message = verdict(Ensemble(), [*departements, "75"], departements)
    assert "En trop : « 75 »." in message
    ok, message = verdict(Ensemble(), [int(d) for d in departements], departements)
    assert "Tes codes sont des nombres (1) : ils doivent rester du texte (« 01 »)" in message


# ------------------------------------------------------------------------------------------------
# Choix
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def qcm():
    return Choix(bonnes="B", options=["A", "B", "C", "D"],
                 explications={"C": "Non : la Licence Ouverte autorise aussi la réutilisation commerciale."})


@pytest.mark.parametrize("reponse", ["B", "b", " B ", ["B"]])
def test_choix_juste(qcm, reponse):
    assert verdict(qcm, reponse) == (True, None)


@pytest.mark.parametrize(("reponse", "phrase"), [
    ("A", "« A » n'est pas une bonne réponse."),
    ("C", "Non : la Licence Ouverte autorise aussi la réutilisation commerciale."),
    ("E", "« E » ne fait pas partie des choix possibles (« A », « B », « C » ou « D »)."),
    ("", "Tu n'as choisi aucune réponse"),
    ("B, D", "Une seule réponse est juste : n'en garde qu'une."),
    (None, "Ta réponse est vide (None)"),
])
def test_choix_messages(qcm, reponse, phrase):
    ok, message = verdict(qcm, reponse)
    assert not ok
    assert phrase in message


def test_choix_plusieurs_bonnes_reponses():
    choix = Choix(bonnes=["A", "C"], options=["A", "B", "C", "D"])
    for reponse in ("AC", "A, C", "c et a", ["C", "A"], {"A", "C"}):
        assert verdict(choix, reponse)[0], reponse
    ok, message = verdict(choix, "A")
    assert message == "C'est juste, mais incomplet : il y a 2 bonnes réponses, tu en as trouvé 1."
    assert "« B » n'est pas une bonne réponse." in verdict(choix, "ABC")[1]


def test_choix_libelles_complets_et_attendu_de_la_question():
    options = ["Licence Ouverte 2.0", "CC BY-NC", "Tous droits réservés"]
    q = question(attendu="Licence Ouverte 2.0", comparaison=Choix(options=options))
    assert q.evaluer("licence ouverte 2.0").statut is Statut.CORRECT
    assert q.evaluer("CC BY-NC").message == "« CC BY-NC » n'est pas une bonne réponse."


def test_choix_refuse_une_bonne_reponse_hors_options():
    with pytest.raises(ValueError):
        Choix(bonnes="E", options=["A", "B"])
    with pytest.raises(ValueError):
        Choix(bonnes="A", options=[])


# ------------------------------------------------------------------------------------------------
# Tableau
# ------------------------------------------------------------------------------------------------

def test_tableau_juste(par_departement, communes):
    reponse = communes.groupby("departement")["population"].sum().reset_index()
    assert verdict(Tableau(), reponse, par_departement) == (True, None)
    melange = par_departement.sample(frac=1, random_state=1)[["population", "departement"]]
    assert verdict(Tableau(ignorer_ordre_lignes=True), melange, par_departement)[0]
    assert verdict(Tableau(), par_departement.assign(population=par_departement["population"].astype(float)),
                   par_departement)[0]


def test_tableau_nombre_de_lignes(par_departement, communes):
    ok, message = verdict(Tableau(), communes[["departement", "population"]], par_departement)
    assert not ok
    assert message == (f"Ta table a {nombre_fr(len(communes))} lignes, il en faut {len(par_departement)} : "
                       "as-tu bien filtré (ou regroupé) les données ?")
    ok, message = verdict(Tableau(), par_departement.head(5), par_departement)
    assert message.startswith(f"Ta table a 5 lignes, il en faut {len(par_departement)} : vérifie ton filtre")
    doublee = pd.concat([par_departement, par_departement.head(2)])
    assert "elle contient des lignes en double" in verdict(Tableau(), doublee, par_departement)[1]


def test_tableau_erreur_frequente_en_premier(par_departement, communes):
    q = question(attendu=lambda: par_departement, comparaison=Tableau(), erreurs_frequentes=[
        (lambda r: len(r) == len(communes), "Ta table a une ligne par commune : as-tu regroupé par département ?")])
    resultat = q.evaluer(communes[["departement", "population"]])
    assert resultat.statut is Statut.INCORRECT
    assert resultat.message == "Ta table a une ligne par commune : as-tu regroupé par département ?"


@pytest.mark.parametrize(("transformer", "phrase"), [
    (lambda t: t[["departement"]], "Il manque la colonne population."),
    (lambda t: t.rename(columns={"population": "Population"}),
     "Il manque la colonne population. Ta table a une colonne « Population » : vérifie son nom"),
    (lambda t: t.set_index("departement"),
     "Il manque la colonne departement. Elle est dans l'index de ta table : ajoute .reset_index()."),
    (lambda t: t.merge(t, on="departement"), "Elle est devenue population_x et population_y"),
    (lambda t: t.assign(total=1), "Ta table a une colonne en trop : total."),
    (lambda t: t.assign(departement=t["departement"].astype("int64")),
     "La colonne departement est de type int64 : les codes INSEE doivent rester du texte (01)"),
    (lambda t: t.assign(population=t["population"].astype(str)),
     "La colonne population contient du texte (type str), il faut des nombres : convertis-la avec pd.to_numeric"),
    (lambda t: t.sort_values("population"), "Ta table a les bonnes lignes, mais pas dans le bon ordre"),
    (lambda t: t.groupby("departement")["population"].sum(),
     "il faut un tableau (DataFrame) avec 2 colonnes. Ajoute .reset_index()"),
    (lambda t: None, "Ta réponse est vide (None), il faut un tableau (DataFrame)."),
    (lambda t: 42, "Ta réponse est un nombre entier (42), il faut un tableau (DataFrame)."),
])
def test_tableau_messages_precis(par_departement, transformer, phrase):
    ok, message = verdict(Tableau(), transformer(par_departement.copy()), par_departement)
    assert not ok
    assert phrase in message


def test_tableau_code_insee_en_nombre(communes):
    attendu = communes[communes["code"].str.match(r"\d{5}$")][["code", "nom"]].reset_index(drop=True)
    reponse = attendu.assign(code=attendu["code"].astype("int64"))
    ok, message = verdict(Tableau(), reponse, attendu)
    assert message.startswith("La colonne code est de type int64 : les codes INSEE doivent rester du texte (01001)")


def test_tableau_valeur_differente_montre_une_ligne(par_departement, communes):
    fausse = par_departement.copy()
    fausse.loc[3, "population"] += 10
    ok, message = verdict(Tableau(), fausse, par_departement)
    attendue = par_departement.loc[3]
    assert message == (
        f"La colonne population n'a pas les bonnes valeurs (1 différence sur {len(par_departement)} lignes) : "
        f"par exemple à la 4e ligne (departement : « {attendue['departement']} »), tu as "
        f"{nombre_fr(attendue['population'] + 10)} au lieu de {nombre_fr(attendue['population'])}.")
    noms = communes.nlargest(3, "population")[["nom", "population"]].reset_index(drop=True)
    fausse = noms.assign(population=noms["population"].astype(float) + [0, 0.5, 0])
    assert "à la 2e ligne (nom : « " in verdict(Tableau(), fausse, noms)[1]
    assert verdict(Tableau(tolerance=1), fausse, noms)[0]


def test_tableau_colonnes_choisies(communes):
    comparaison = Tableau(colonnes=["nom", "population"])
    assert verdict(comparaison, communes, communes)[0]
    assert verdict(comparaison, communes[["nom", "population"]], communes)[0]
    assert verdict(comparaison, communes[["nom"]], communes)[1] == "Il manque la colonne population."


def test_tableau_index_verifie_si_demande(par_departement):
    attendu = par_departement.set_index("departement")
    comparaison = Tableau(ignorer_index=False)
    assert verdict(comparaison, attendu.copy(), attendu)[0]
    assert "L'index de ta table n'a pas de nom, il faut « departement »" in verdict(comparaison, par_departement,
                                                                                    attendu)[1]
    assert "ajoute .reset_index() pour en refaire une colonne" in verdict(comparaison, attendu, par_departement)[1]


def test_tableau_series(communes, par_departement):
    attendu = communes.groupby("departement")["population"].sum()
    assert verdict(Tableau(), par_departement.set_index("departement")["population"], attendu)[0]
    ok, message = verdict(Tableau(), par_departement, attendu)
    assert "il faut une seule colonne (Series)" in message
    ok, message = verdict(Tableau(), attendu.head(3), attendu)
    assert message.startswith(f"Ta colonne a 3 valeurs, il en faut {len(attendu)}")


# ------------------------------------------------------------------------------------------------
# TableauGeo
# ------------------------------------------------------------------------------------------------

def test_tableau_geo_juste(villes):
    assert verdict(TableauGeo(), villes.copy(), villes) == (True, None)
    aller_retour = villes.to_crs("EPSG:2154").to_crs("EPSG:4326")
    assert verdict(TableauGeo(), aller_retour, villes)[0]
    assert verdict(TableauGeo(), villes.rename_geometry("geom"), villes)[0]


@pytest.mark.parametrize(("transformer", "phrase"), [
    (lambda g: g.to_crs("EPSG:2154"), 'Ta carte est en EPSG:2154, il faut EPSG:4326 : utilise .to_crs("EPSG:4326").'),
    (lambda g: g.set_crs(None, allow_override=True), "Ta carte n'a pas de système de coordonnées (CRS), il faut EPSG:4326"),
    (lambda g: pd.DataFrame(g.drop(columns="geometry")), "sans géométrie : il faut un tableau géographique (GeoDataFrame)"),
    (lambda g: g.set_geometry(g.to_crs(2154).buffer(1000).to_crs(4326)),
     "Tes géométries sont des polygones (surfaces), il faut des points."),
    (lambda g: g.iloc[:2], "Ta table a 2 lignes, il en faut 4"),
    (lambda g: g.assign(geometry=g.geometry.translate(0.08, 0)), "ta géométrie s'écarte de celle attendue d'environ 6,"),
])
def test_tableau_geo_messages(villes, transformer, phrase):
    ok, message = verdict(TableauGeo(), transformer(villes.copy()), villes)
    assert not ok
    assert phrase in message


def test_tableau_geo_crs_demande_explicitement(villes):
    ok, message = verdict(TableauGeo(crs="EPSG:2154"), villes, villes.to_crs(2154))
    assert message.startswith("Ta carte est en EPSG:4326, il faut EPSG:2154")


# ------------------------------------------------------------------------------------------------
# FigurePlotly
# ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def top(communes):
    return communes.nlargest(5, "population")[["nom", "population"]]


@pytest.fixture
def barres(top):
    return FigurePlotly(type_trace="bar", x=lambda: top["nom"], y=lambda: top["population"])


def test_figure_juste(barres, top):
    figure = px.bar(top, x="nom", y="population", title="Les 5 communes les plus peuplées")
    assert verdict(barres, figure) == (True, None)
    a_la_main = go.Figure(go.Bar(x=top["nom"].tolist(), y=top["population"].tolist()),
                          layout={"title": {"text": "Top 5"}})
    assert verdict(barres, a_la_main)[0]
    assert verdict(FigurePlotly(x="nom", y="population"), figure)[0]
    assert verdict(FigurePlotly(), figure.update_layout(title="t"), figure)[0]


@pytest.mark.parametrize(("fabriquer", "phrase"), [
    (lambda t, c: px.line(t, x="nom", y="population", title="t"),
     "Ta figure est une courbe, il faut un diagramme en barres : utilise px.bar(...)."),
    (lambda t, c: px.pie(t, names="nom", values="population", title="t"), "Ta figure est un diagramme circulaire"),
    (lambda t, c: px.bar(t, x="nom", y="population"), "Ta figure n'a pas de titre : ajoute title="),
    (lambda t, c: px.bar(t, x="population", y="nom", title="t"), "Tes axes sont inversés"),
    (lambda t, c: px.bar(c.nlargest(10, "population"), x="nom", y="population", title="t"),
     "Ta figure montre 10 barres, il en faut 5 : as-tu filtré (ou regroupé) les données avant de tracer ?"),
    (lambda t, c: px.bar(t.assign(population=t["population"] * 2), x="nom", y="population", title="t"),
     "as-tu pris la bonne colonne pour les valeurs ?"),
    (lambda t, c: px.bar(c.nsmallest(5, "population"), x="nom", y="population", title="t"), "Il manque dans ta figure : "),
    (lambda t, c: None, "fig.show() affiche la figure mais ne renvoie rien"),
    (lambda t, c: t, "il faut une figure plotly"),
    (lambda t, c: go.Figure(), "Ta figure est vide"),
])
def test_figure_messages(barres, top, communes, fabriquer, phrase):
    ok, message = verdict(barres, fabriquer(top, communes))
    assert not ok
    assert phrase in message


def test_figure_valeur_precise(barres, top):
    double = top.assign(population=top["population"] * 2)
    ok, message = verdict(barres, px.bar(double, x="nom", y="population", title="t"))
    premiere = top.iloc[0]
    assert message.startswith(f"Pour « {premiere['nom']} », ta figure montre {nombre_fr(premiere['population'] * 2)}, "
                              f"il faut {nombre_fr(premiere['population'])}")


def test_figure_colonnes_titre_et_ordre(top):
    figure = px.bar(top, x="nom", y="population", title="Les communes les plus peuplées")
    assert verdict(FigurePlotly(x="code"), figure)[1] == "L'axe des x de ta figure montre « nom », il faut la colonne « code »."
    assert "devrait parler de « population »" in verdict(FigurePlotly(titre="population"), figure)[1]
    assert verdict(FigurePlotly(titre="peuplées"), figure)[0]
    croissant = px.bar(top.sort_values("population"), x="nom", y="population", title="t")
    ordonne = FigurePlotly(x=top["nom"], y=top["population"], ordre=True)
    assert "pas dans le bon ordre : as-tu trié le tableau avant de tracer ?" in verdict(ordonne, croissant)[1]
    assert verdict(FigurePlotly(x=top["nom"], y=top["population"]), croissant)[0]


# ------------------------------------------------------------------------------------------------
# CarteFolium
# ------------------------------------------------------------------------------------------------

@pytest.fixture
def carte(villes):
    import folium

    m = folium.Map(location=[45.5, 4.5], zoom_start=7, tiles=None)
    for _, ville in villes.iterrows():
        folium.Marker([ville.geometry.y, ville.geometry.x], tooltip=ville["nom"]).add_to(m)
    return m


def test_carte_juste(carte, villes):
    import folium

    assert verdict(CarteFolium(marqueurs=4, infobulles=True), carte) == (True, None)
    folium.GeoJson(villes.to_json()).add_to(carte)
    folium.LayerControl().add_to(carte)
    assert verdict(CarteFolium(couches=["GeoJson", "Marker"], objets=4, controle_couches=True), carte)[0]
    choroplethe = folium.Map(tiles=None)
    folium.Choropleth(geo_data=villes.to_json(), data=villes, columns=["code", "population"],
                      key_on="feature.properties.code").add_to(choroplethe)
    assert verdict(CarteFolium(couches=["Choropleth"], objets=4, legende=True), choroplethe)[0]
    assert verdict(CarteFolium(legende=True), villes.explore(column="nom", legend=True))[0]  # a categorical legend


@pytest.mark.parametrize(("reglages", "phrase"), [
    ({"marqueurs": 12}, "Ta carte a 4 marqueurs, il en faut 12."),
    ({"couches": ["GeoJson"]}, "Ta carte n'a pas de couche GeoJson (les contours) : ajoute folium.GeoJson(...).add_to(m). "
                               "As-tu oublié .add_to(m) ?"),
    ({"controle_couches": True}, "Ta carte n'a pas de contrôle des couches : ajoute folium.LayerControl().add_to(m)"),
    ({"legende": True}, "Ta carte n'a pas de légende"),
    ({"objets": 12}, "Ta carte n'a pas de couche GeoJson"),
])
def test_carte_messages(carte, reglages, phrase):
    ok, message = verdict(CarteFolium(**reglages), carte)
    assert not ok
    assert phrase in message


def test_carte_objets_et_types(villes, top):
    ok, message = verdict(CarteFolium(objets=12), villes.explore())
    assert message == "Ta carte dessine 4 objets (features), il en faut 12 : il en manque, vérifie ton filtre."
    assert "il faut une carte folium (folium.Map)" in verdict(CarteFolium(), px.bar(top, x="nom", y="population"))[1]
    assert "utilise .explore()" in verdict(CarteFolium(), villes)[1]
    assert "m.save(...) ou display(m) ne renvoient rien" in verdict(CarteFolium(), None)[1]
    import folium

    ok, message = verdict(CarteFolium(marqueurs=3), folium.Map())
    assert message == "Ta carte a 0 marqueur, il en faut 3. As-tu oublié .add_to(m) ?"


# ------------------------------------------------------------------------------------------------
# Personnalise, combinations, parts, frequent errors
# ------------------------------------------------------------------------------------------------

def test_personnalise_et_tous():
    pair = Personnalise(lambda r: r % 2 == 0, "Il faut un nombre pair.")
    assert verdict(pair, 4) == (True, None)
    assert verdict(pair, 3) == (False, "Il faut un nombre pair.")
    plus_grand = Personnalise(lambda r, a: (r > a, f"Il faut plus que {a}."))
    assert verdict(plus_grand, 3, 5) == (False, "Il faut plus que 5.")
    q = question(attendu=4, comparaison=Nombre() & pair)
    assert q.evaluer(4).statut is Statut.CORRECT
    assert q.evaluer("4").message.startswith('Ta réponse est du texte ("4")')
    with pytest.raises(TypeError):
        Personnalise("pas une fonction")


def test_personnalise_qui_renvoie_nimporte_quoi_est_un_probleme_du_verificateur():
    resultat = question(attendu=1, comparaison=Personnalise(lambda r: "oui")).evaluer(1)
    assert resultat.statut is Statut.ERREUR
    assert "le vérificateur a rencontré un problème" in resultat.message


@pytest.fixture
def en_deux_parties():
    return question(attendu=lambda: {"moyenne": 14.2, "commune": "Lyon"}, numero=5,
                    comparaison={"moyenne": Nombre(tolerance=0.1), "commune": Texte()})


@pytest.mark.parametrize(("args", "kwargs"), [
    ((14.2, "Lyon"), {}), (({"moyenne": 14.25, "commune": "lyon"},), {}), ((), {"moyenne": 14.2, "commune": "LYON"}),
    ((14.2,), {"commune": "Lyon"}),
])
def test_parties_justes(en_deux_parties, args, kwargs):
    assert en_deux_parties.evaluer(*args, **kwargs).statut is Statut.CORRECT


def test_parties_messages(en_deux_parties):
    assert isinstance(en_deux_parties.comparaison, Parties)
    r = en_deux_parties.evaluer(____, ____)
    assert (r.statut, r.message) == (Statut.NON_TENTE, verificateur.A_COMPLETER)
    r = en_deux_parties.evaluer(14.2, ____)
    assert r.statut is Statut.NON_TENTE
    assert r.message == "• moyenne : ✅ juste.\n• commune : ✋ remplace ____ par ta réponse."
    r = en_deux_parties.evaluer(12, "Lyon")
    assert r.statut is Statut.INCORRECT
    assert "• moyenne : ❌ 12 n'est pas la bonne valeur : il faut environ 14,2 (à 0,1 près)." in r.message
    assert "• commune : ✅ juste." in r.message
    assert "Il manque « commune » : écris q5.verifier(moyenne, commune)." == en_deux_parties.evaluer(14.2).message
    assert "tu en as donné 3" in en_deux_parties.evaluer(1, 2, 3).message
    assert "« moyene » n'est pas une partie" in en_deux_parties.evaluer(moyene=1, commune="x").message
    assert "q5.verifier(moyenne, commune)" in en_deux_parties.evaluer().message


def test_une_seule_reponse_attendue():
    q = question(attendu=3, numero=7)
    assert q.evaluer(1, 2).message == "Cet exercice attend une seule réponse : q7.verifier(reponse), pas 2."
    assert q.evaluer(x=1).statut is Statut.INCORRECT


def test_erreurs_frequentes_formes(communes):
    moins_peuplee = lambda: communes.sort_values("population").iloc[0]["nom"]  # noqa: E731
    q = question(attendu=lambda: communes.sort_values("population").iloc[-1]["nom"], comparaison=Texte(),
                 erreurs_frequentes=[
                     (moins_peuplee, "Tu as pris la commune la moins peuplée : trie dans l'autre sens."),
                     ("Paris", "Paris n'est pas dans la région !"),
                     (lambda r: isinstance(r, pd.DataFrame), "Il faut seulement le nom, pas toute la ligne."),
                     (lambda r, a: isinstance(r, str) and r.upper() == a.upper()[::-1], "C'est à l'envers !"),
                     (lambda r: r.startswith("X"), "ne doit pas planter pour une réponse qui n'est pas du texte"),
                 ])
    assert q.evaluer(moins_peuplee()).message.startswith("Tu as pris la commune la moins peuplée")
    assert q.evaluer("paris").message == "Paris n'est pas dans la région !"
    assert q.evaluer(communes.head(1)).message == "Il faut seulement le nom, pas toute la ligne."
    assert q.evaluer("noyl").message == "C'est à l'envers !"
    assert q.evaluer(12).message.startswith("Ta réponse est un nombre entier (12)")  # the failing predicate is skipped
    assert q.evaluer("Lyon").statut is Statut.CORRECT


def test_une_bonne_reponse_gagne_sur_une_erreur_frequente():
    q = question(attendu=10, erreurs_frequentes=[(10, "Ce message ne doit pas s'afficher.")])
    assert q.evaluer(10).statut is Statut.CORRECT


def test_question_validee_a_la_construction():
    with pytest.raises(ValueError, match="au moins 2 indices"):
        Question("?", attendu=1, indices=["un seul"])
    with pytest.raises(ValueError, match="au moins 2 indices"):
        Question("?", attendu=1, indices=["un", " "])
    with pytest.raises(ValueError, match="attendu"):
        Question("?", indices=["a", "b"])
    with pytest.raises(TypeError):
        Question("?", attendu=1, comparaison="Nombre", indices=["a", "b"])
    with pytest.raises(TypeError):
        Question("?", attendu=1, indices=["a", "b"], erreurs_frequentes=["pas un couple"])
    assert Question("?", comparaison=Choix(bonnes="A", options=["A", "B"]), indices=["a", "b"]).attendu is None


def test_attendu_calcule_au_moment_de_verifier():
    valeurs = iter([1, 2])
    q = question(attendu=lambda: next(valeurs))
    assert q.evaluer(1).statut is Statut.CORRECT
    assert q.evaluer(2).statut is Statut.CORRECT


# ------------------------------------------------------------------------------------------------
# Hints and solution
# ------------------------------------------------------------------------------------------------

def test_indices_progressifs(affiches):
    q = question(attendu=3, numero=2, indices=["Regarde la colonne population.", "Utilise .max()."])
    q.indice()
    q.indice()
    q.indice()
    assert [str(a) for a in affiches] == [
        "💡 Indice 1/2 : Regarde la colonne population.",
        "💡 Indice 2/2 : Utilise .max().",
        "ℹ️ Il n'y a plus d'indice : essaie q2.solution()",
    ]
    q.indice(1)
    assert str(affiches[-1]) == "💡 Indice 1/2 : Regarde la colonne population."
    q.indice(5)
    assert "choisis un numéro de 1 à 2" in str(affiches[-1])
    assert 'role="status"' in affiches[0]._repr_html_()


def test_solution_code_colore(affiches):
    code = 'communes.sort_values("population").iloc[-1]["nom"]'
    question(attendu="Lyon", solution=code, explication="La dernière ligne est la plus peuplée.").solution()
    boite = affiches[-1]
    assert code in str(boite)
    assert "La dernière ligne est la plus peuplée." in str(boite)
    rendu = boite._repr_html_()
    assert "<pre" in rendu and "<span style=" in rendu  # highlighted by Pygments, inline styles
    assert "sort_values" in rendu
    assert "📖" in rendu and "<strong>Solution</strong>" in rendu


def test_solution_sans_code_montre_la_reponse(affiches, communes):
    question(attendu=lambda: "Lyon").solution()
    assert str(affiches[-1]) == "📖 Solution : La bonne réponse : « Lyon »."
    question(comparaison=Choix(bonnes=["A", "C"], options=["A", "B", "C"])).solution()
    assert "« A » et « C »" in str(affiches[-1])
    question(attendu=lambda: communes.nlargest(3, "population")[["nom", "population"]]).solution()
    assert "Lyon" in str(affiches[-1]) and "<pre" in affiches[-1]._repr_html_()
    question(attendu=lambda: 1 / 0).solution()
    assert affiches[-1].statut is Statut.ERREUR


# ------------------------------------------------------------------------------------------------
# Display, HTML escaping
# ------------------------------------------------------------------------------------------------

def test_trois_issues_affichees(capsys):
    q = question(attendu=lambda: "Lyon", bravo="Bravo ! Lyon est la plus peuplée.")
    assert q.verifier("Lyon") is None  # displayed once, not returned (no double output)
    q.verifier("Grenoble")
    q.verifier(____)
    sortie = capsys.readouterr().out.splitlines()
    assert sortie == [
        "✅ Correct : Bravo ! Lyon est la plus peuplée.",
        "❌ Incorrect : « Grenoble » n'est pas la bonne réponse.",
        "✋ Pas encore tenté : Remplace ____ par ta réponse, puis relance la cellule.",
    ]


@pytest.mark.parametrize("statut", list(Statut))
def test_rendu_html_accessible(statut):
    resultat = verificateur._resultat(statut, "Un message.")
    rendu = resultat._repr_html_()
    assert 'role="status"' in rendu
    assert '<span aria-hidden="true">' in rendu  # the icon is decoration; the word says it all
    assert f"<strong>{resultat.mot}</strong>" in rendu
    assert "color:#" in rendu and "background:#" in rendu


def test_reponse_hostile_echappee(communes):
    rendus = [
        question(attendu="Lyon").evaluer(HOSTILE)._repr_html_(),
        question(attendu=["Lyon"]).evaluer([HOSTILE])._repr_html_(),
        question(comparaison=Choix(bonnes="A", options=["A", "B"])).evaluer(HOSTILE)._repr_html_(),
        question(attendu=3).evaluer(HOSTILE)._repr_html_(),
    ]
    table = communes.nlargest(3, "population")[["nom", "population"]].reset_index(drop=True)
    hostile = table.assign(nom=[HOSTILE, *table["nom"][1:]])
    rendus.append(question(attendu=table).evaluer(hostile)._repr_html_())
    rendus.append(question(attendu=table).evaluer(table.assign(**{HOSTILE: 1}))._repr_html_())
    rendus.append(question(attendu="Lyon", erreurs_frequentes=[("x", HOSTILE)]).evaluer("x")._repr_html_())
    for rendu in rendus:
        assert "<img" not in rendu
        assert "&lt;img src=x onerror=alert(1)&gt;" in rendu


# ------------------------------------------------------------------------------------------------
# Strict and lax modes
# ------------------------------------------------------------------------------------------------

def test_mode_strict_leve(monkeypatch, capsys):
    monkeypatch.setenv("ALACARTE_STRICT", "1")
    q = question(attendu=14.2345, comparaison=Nombre(tolerance=0.1), lecon="98", numero=3)
    q.verifier(14.2)
    with pytest.raises(ReponseIncorrecte) as info:
        q.verifier(12.5)
    assert isinstance(info.value, AssertionError) and isinstance(info.value, ErreurAlacarte)
    assert str(info.value) == ("Leçon 98, exercice 3 (Incorrect) : 12,5 n'est pas la bonne valeur : "
                               "il faut environ 14,2 (à 0,1 près).")
    assert info.value._render_traceback_() == [f"❌ {info.value}"]
    with pytest.raises(ReponseIncorrecte, match="Pas encore tenté"):
        q.verifier(____)
    with pytest.raises(ZeroDivisionError):
        question(attendu=lambda: 1 / 0).verifier(1)
    assert "✅ Correct" in capsys.readouterr().out


def test_mode_laxiste_ne_leve_jamais(monkeypatch, capsys):
    monkeypatch.setenv("ALACARTE_STRICT", "0")
    q = question(attendu=14.2345, comparaison=Nombre(tolerance=0.1))
    q.verifier(12.5)
    q.verifier(____)
    q.verifier("du texte", "en trop")
    question(attendu=lambda: 1 / 0).verifier(1)
    question(attendu=lambda: pd.DataFrame({"a": [1]}), comparaison=Nombre()).verifier(3)  # a wrong checker
    sortie = capsys.readouterr().out
    assert "❌ Incorrect" in sortie and "✋ Pas encore tenté" in sortie
    assert sortie.count("le vérificateur a rencontré un problème") == 2
    assert "Traceback" not in sortie
    assert "ZeroDivisionError: division by zero" in sortie  # a one-line detail for the teacher


# ------------------------------------------------------------------------------------------------
# Local progress and bilan
# ------------------------------------------------------------------------------------------------

def _fichier():
    return progression.chemin_progression()


def test_progression_ecrite_sans_contenu_de_reponse(capsys):
    q = question(attendu="Lyon", lecon="98", numero=2)
    q.verifier(HOSTILE)
    q.verifier("Lyon")
    q.verifier(____)  # not an attempt: not recorded
    contenu = json.loads(_fichier().read_text(encoding="utf-8"))
    assert contenu["version"] == 1
    assert [(e["lecon"], e["exercice"], e["statut"]) for e in contenu["tentatives"]] == [
        ("98", 2, "incorrect"), ("98", 2, "correct")]
    assert all(set(e) == {"lecon", "exercice", "statut", "date"} for e in contenu["tentatives"])
    assert HOSTILE not in _fichier().read_text(encoding="utf-8")
    assert [p.name for p in _fichier().parent.iterdir()] == ["progression.json"]  # no temporary file left


def test_progression_chemin_par_defaut(monkeypatch, tmp_path):
    monkeypatch.delenv("ALACARTE_PROGRESSION")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert progression.chemin_progression() == tmp_path / ".local" / "share" / "alacarte" / "progression.json"


@pytest.mark.parametrize("valeur", ["", "0"])
def test_progression_desactivee(monkeypatch, tmp_path, valeur, capsys):
    monkeypatch.setenv("ALACARTE_PROGRESSION", valeur)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "donnees"))
    question(attendu=1, lecon="98", numero=1).verifier(1)
    assert progression.chemin_progression() is None
    assert list(tmp_path.iterdir()) == []
    resume = bilan("98")
    assert resume.tableau["statut"].tolist() == ["réussi"]  # this session is still summarised
    assert "n'est pas enregistrée" in str(resume)


def test_progression_impossible_a_ecrire_sans_erreur(monkeypatch, tmp_path, capsys):
    bloque = tmp_path / "un_fichier"
    bloque.write_text("pas un dossier")
    monkeypatch.setenv("ALACARTE_PROGRESSION", str(bloque / "progression.json"))
    q = question(attendu=1, lecon="98", numero=1)
    q.verifier(2)
    q.verifier(1)
    assert bloque.read_text() == "pas un dossier"
    assert bilan("98").tableau[["statut", "tentatives"]].values.tolist() == [["réussi", 2]]


def test_progression_dossier_en_lecture_seule(monkeypatch, tmp_path, capsys):
    dossier = tmp_path / "lecture_seule"
    dossier.mkdir()
    dossier.chmod(stat.S_IRUSR | stat.S_IXUSR)
    monkeypatch.setenv("ALACARTE_PROGRESSION", str(dossier / "progression.json"))
    try:
        question(attendu=1, lecon="98", numero=1).verifier(1)
        if os.geteuid() != 0:  # root writes anyway
            assert not (dossier / "progression.json").exists()
        assert bilan("98").tableau["statut"].tolist() == ["réussi"]
    finally:
        dossier.chmod(stat.S_IRWXU)


def test_progression_fichier_abime_remplace_sans_erreur(capsys):
    _fichier().parent.mkdir(parents=True)
    _fichier().write_text("{ceci n'est pas du JSON", encoding="utf-8")
    question(attendu=1, lecon="98", numero=1).verifier(1)
    assert len(json.loads(_fichier().read_text(encoding="utf-8"))["tentatives"]) == 1


def test_bilan(capsys):
    q1 = Question("Combien de communes ?", attendu=3, indices=["a", "b"], lecon="99", numero=1)
    q2 = Question("Quelle commune est la plus peuplée ?", attendu="Lyon", indices=["a", "b"], lecon="99", numero=2)
    Question(f"Une question {HOSTILE} ?", attendu=1, indices=["a", "b"], lecon="99", numero=3)
    Question("Une autre leçon", attendu=1, indices=["a", "b"], lecon="98", numero=1).verifier(1)
    q1.verifier(2)
    q1.verifier(3)
    q2.verifier("Grenoble")
    q2.verifier(____)
    resume = bilan("99")
    assert resume.tableau.to_dict("records") == [
        {"exercice": 1, "question": "Combien de communes ?", "statut": "réussi", "tentatives": 2},
        {"exercice": 2, "question": "Quelle commune est la plus peuplée ?", "statut": "essayé", "tentatives": 1},
        {"exercice": 3, "question": f"Une question {HOSTILE} ?", "statut": "pas encore", "tentatives": 0},
    ]
    assert str(resume).startswith("Ta progression (leçon 99) : 1 exercice réussi sur 3")
    rendu = resume._repr_html_()
    assert "<caption" in rendu and '<th scope="col"' in rendu
    assert "<img" not in rendu and "&lt;img" in rendu
    tout = bilan()
    assert set(tout.tableau["leçon"]) == {"98", "99"}
    assert bilan(99).tableau.shape[0] == 3  # an int lesson number works too


def test_affichage_hors_ipython_imprime(capsys):
    verificateur.afficher(verificateur._resultat(Statut.CORRECT, "Bravo !"))
    assert capsys.readouterr().out == "✅ Correct : Bravo !\n"


# ------------------------------------------------------------------------------------------------
# Robustness: no answer, however odd, makes a comparison crash
# ------------------------------------------------------------------------------------------------

def test_reponses_bizarres_jamais_un_probleme_du_verificateur(par_departement, villes, top):
    import folium

    comparaisons = [
        (Nombre(tolerance=0.1), 14.2), (Texte(), "Lyon"), (Liste(), ["a", "b"]), (Ensemble(), {"a", "b"}),
        (Choix(bonnes="A", options=["A", "B"]), None), (Tableau(), par_departement),
        (Tableau(ignorer_ordre_lignes=True, ignorer_index=False), par_departement), (TableauGeo(), villes),
        (FigurePlotly(type_trace="bar", x=top["nom"], y=top["population"]), None),
        (CarteFolium(couches=["GeoJson"], marqueurs=2, objets=2, controle_couches=True, legende=True), None),
        ({"a": Nombre(), "b": Texte()}, {"a": 1, "b": "x"}),
    ]
    bizarres = [
        None, -1, 10**30, "", HOSTILE, b"octets", complex(1, 2), [], {}, set(), [{"a": 1}], [[1, 2]], pd.DataFrame(),
        pd.Series(dtype=float), np.array([[1, 2], [3, 4]]), np.array(3), lambda x: x, object(), float("inf"), pd.NA,
        pd.NaT, True, pd.DataFrame([[1, 2]], columns=["population", "population"]),
        par_departement.assign(population=[[1]] * len(par_departement)), par_departement.T,
        par_departement.set_index(["departement", "population"]), pd.DataFrame({("a", "b"): [1]}),
        villes.assign(geometry=None), gpd.GeoDataFrame({"nom": ["a"]}), folium.Map(), px.scatter(),
    ]
    for comparaison, attendu in comparaisons:
        q = question(attendu=attendu, comparaison=comparaison)
        for reponse in bizarres:
            resultat = q.evaluer(reponse)
            assert resultat.statut is Statut.INCORRECT, (comparaison, reponse, resultat)
            assert resultat.message


def test_placeholder_inside_a_table_is_not_attempted():
    import pandas as pd

    from alacarte.exercices import ____ as trou
    from alacarte.exercices import contient_a_completer

    assert contient_a_completer(pd.DataFrame({"probleme": ["a", "b"], "lignes": [3, trou]}))
    assert contient_a_completer(pd.Series([1, trou], dtype=object))
    assert not contient_a_completer(pd.DataFrame({"a": [1, 2], "b": ["x", None]}))


def test_carte_marqueurs_calcules_au_moment_de_verifier(carte):
    """The expected number of markers may be a function (computed from the data at check time)."""
    assert verdict(CarteFolium(marqueurs=lambda: 4), carte) == (True, None)
    ok, message = verdict(CarteFolium(marqueurs=lambda: 5), carte)
    assert not ok and message == "Ta carte a 4 marqueurs, il en faut 5."

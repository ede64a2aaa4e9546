"""Lesson 06 — Représenter des données: the questions and the tables they are checked against.

The lesson draws plotly figures of the territory: bars (accidents per year), lines (population of
each département at the 2021, 2024 and 2026 vintages, after ``melt`` to long format), a scatter
plot with logarithmic axes (commune population vs accidents 2016–2020), a histogram (commune
populations), and compares a misleading chart (truncated axis) with its honest version.

Every figure exercise checks the data drawn (computed from the shipped data at check time, so the
lesson follows the territory setting), the kind of chart, the title, the axis titles and the
« Source : … » line written by :func:`alacarte.graphiques.sourcer`.
"""

from __future__ import annotations

import functools

import pandas as pd

from alacarte.donnees import charger, dossier_donnees
from alacarte.exercices import Choix, FigurePlotly, Parties, Personnalise, Question, Tous
from alacarte.territoires import Territoire, territoire

LECON = "06"

PREMIERE_ANNEE, DERNIERE_ANNEE = 2016, 2020
#: the histogram of exercise 4 keeps the communes below this population
SEUIL_HISTOGRAMME = 5000
MILLESIMES = [2021, 2024, 2026]
COLONNES_POP = [f"population_{a}" for a in MILLESIMES]
TYPES_DE_GRAPHIQUE = ["barres", "courbe", "nuage", "histogramme"]


# ------------------------------------------------------------------------------------------------
# The tables of the lesson, as the notebook builds them (cached per territory)
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=2)
def _tables(t: Territoire, dossier: str) -> dict:
    accidents = charger("accidents", territoire=t, colonnes=["annee", "code_commune_2026"])
    communes = charger("communes", territoire=t)
    populations = charger("populations", territoire=t)
    par_annee = accidents.groupby("annee").size().reset_index(name="nb_accidents")
    recents = accidents[accidents["annee"] >= PREMIERE_ANNEE]
    nb = recents.groupby("code_commune_2026").size().reset_index(name="nb_accidents")
    nb = nb.rename(columns={"code_commune_2026": "code"})
    par_commune = communes[["code", "nom", "departement", "population"]].merge(nb, on="code", how="left")
    par_commune["nb_accidents"] = par_commune["nb_accidents"].fillna(0).astype(int)
    noms_dep = communes[["departement", "departement_nom"]].drop_duplicates()
    large = populations.groupby("departement")[COLONNES_POP].sum().reset_index()
    large = noms_dep.merge(large, on="departement")
    large = large.rename(columns=dict(zip(COLONNES_POP, MILLESIMES, strict=True)))
    large = large.sort_values(2026, ascending=False).reset_index(drop=True)
    return {"par_annee": par_annee, "par_commune": par_commune, "communes": communes[["code", "population"]],
            "large": large}


def _t(nom: str) -> pd.DataFrame:
    """One table of the lesson for the current territory (a copy: callers may change it)."""
    return _tables(territoire(), str(dossier_donnees()))[nom].copy()


def accidents_par_annee() -> pd.DataFrame:
    """Columns annee, nb_accidents: the road accidents of the territory each year, 2005–2020."""
    return _t("par_annee")


def populations_departements() -> pd.DataFrame:
    """Wide table: departement, departement_nom and one column per vintage (2021, 2024, 2026, int labels)."""
    return _t("large")


def populations_longues() -> pd.DataFrame:
    """Long table: departement, departement_nom, millesime, population (one row per département and vintage)."""
    return populations_departements().melt(id_vars=["departement", "departement_nom"], var_name="millesime",
                                           value_name="population")


def par_commune() -> pd.DataFrame:
    """One row per commune: code, nom, departement, population (2026), nb_accidents (2016–2020)."""
    return _t("par_commune")


def communes_avec_accident() -> pd.DataFrame:
    """The communes with at least one accident in 2016–2020 (those a log scale can show)."""
    pc = par_commune()
    return pc[pc["nb_accidents"] > 0]


def populations_sous_seuil(seuil: int = SEUIL_HISTOGRAMME) -> list[int]:
    """Populations of the communes with fewer than ``seuil`` inhabitants."""
    pop = _t("communes")["population"]
    return [int(p) for p in pop[pop < seuil]]


# ------------------------------------------------------------------------------------------------
# Checks shared by the figure exercises
# ------------------------------------------------------------------------------------------------

def _est_figure(objet) -> bool:
    return type(objet).__name__ == "Figure" and type(objet).__module__.startswith("plotly")


def _titre_axe(fig, axe: str) -> str:
    axis = getattr(fig.layout, f"{axe}axis", None)
    return str(getattr(getattr(axis, "title", None), "text", None) or "")


def _a_une_source(fig) -> bool:
    return any(str(a.text or "").strip().lower().startswith("source") for a in (fig.layout.annotations or ()))


def source_presente(nom_figure: str, source: str) -> Personnalise:
    """The figure has a « Source : … » annotation (added with sourcer)."""
    return Personnalise(lambda fig: _a_une_source(fig),
                        f"Ta figure n'a pas de source. Ajoute la ligne sourcer({nom_figure}, {source}) avant de "
                        "vérifier : un élu doit savoir d'où viennent les chiffres, et de quand ils datent.")


def axes_parlants(colonnes: dict[str, str]) -> Personnalise:
    """Each axis title is not the bare column name (``{"y": "nb_accidents"}``): it says what and in which unit."""
    def verifier(fig):
        for axe, colonne in colonnes.items():
            if _titre_axe(fig, axe).strip() == colonne:
                return False, (f"L'axe des {axe} s'appelle encore « {colonne} », le nom de la colonne. Donne-lui un "
                               f"vrai titre avec son unité, par exemple labels={{\"{colonne}\": \"…\"}} dans px.")
        return True
    return Personnalise(verifier)


def _axes_log(fig) -> tuple[bool, str | None]:
    manquants = [axe for axe in ("x", "y") if getattr(fig.layout, f"{axe}axis").type != "log"]
    if not manquants:
        return True, None
    if len(manquants) == 2:
        return False, ("Tes axes sont en échelle ordinaire : presque tous les points sont écrasés dans un coin. "
                       "Ajoute log_x=True et log_y=True dans px.scatter.")
    return False, f"L'axe des {manquants[0]} n'est pas en échelle logarithmique : ajoute log_{manquants[0]}=True."


def _points_relies(fig) -> tuple[bool, str | None]:
    if all("lines" in str(t.mode or "") for t in fig.data if t.type == "scatter"):
        return True, None
    return False, ("Tes points ne sont pas reliés : pour une évolution dans le temps, utilise px.line (ajoute "
                   "markers=True pour garder aussi les points).")


def _une_courbe_par_departement(fig) -> tuple[bool, str | None]:
    n = len(populations_departements())
    courbes = [t for t in fig.data if t.type in ("scatter", "scattergl")]
    if len(courbes) == n:
        return True, None
    if len(courbes) == 1:
        return False, ("Ta figure n'a qu'une seule ligne, qui saute d'un département à l'autre : ajoute "
                       "color=\"departement_nom\" pour avoir une courbe par département.")
    return False, (f"Ta figure a {len(courbes)} courbes, il en faut une par département ({n}) : utilise "
                   "color=\"departement_nom\" (et, si tu veux, symbol=\"departement_nom\" : la même colonne).")


def _nb_points(fig) -> int:
    return sum(len(t.x) if t.x is not None else 0 for t in fig.data)


# ------------------------------------------------------------------------------------------------
# The questions
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "Trace le nombre d'accidents corporels de chaque année, de 2005 à 2020, en diagramme en barres, avec un "
    "titre, des titres d'axes et la source.",
    attendu=lambda: None,
    comparaison=Tous(
        FigurePlotly(type_trace="bar", x=lambda: accidents_par_annee()["annee"],
                     y=lambda: accidents_par_annee()["nb_accidents"], titre="accident", titres_axes=True),
        axes_parlants({"y": "nb_accidents", "x": "annee"}),
        source_presente("fig1", "SOURCE_ACCIDENTS"),
    ),
    indices=[
        "Trois ingrédients pour px.bar : le tableau (par_annee), la colonne en x (\"annee\") et la colonne en y "
        "(\"nb_accidents\"). Le titre va dans title=\"…\", les titres des axes dans labels={colonne: titre}.",
        "titre1 = f\"Accidents corporels de la route par année — {nom}, 2005–2020\" ; "
        "axes1 = {\"annee\": \"année\", \"nb_accidents\": \"nombre d'accidents corporels\"} ; "
        "fig1 = px.bar(par_annee, x=\"annee\", y=\"nb_accidents\", title=titre1, labels=axes1). "
        "Puis sourcer(fig1, SOURCE_ACCIDENTS) et fig1.show().",
    ],
    solution=(
        'titre1 = f"Accidents corporels de la route par année — {nom}, 2005–2020"\n'
        'axes1 = {"annee": "année", "nb_accidents": "nombre d\'accidents corporels"}\n'
        'fig1 = px.bar(par_annee, x="annee", y="nb_accidents", title=titre1, labels=axes1)\n'
        "sourcer(fig1, SOURCE_ACCIDENTS)\n"
        "fig1.show()"
    ),
    erreurs_frequentes=[
        (lambda r: _est_figure(r) and bool(r.data) and r.data[0].type == "scatter",
         "Ta figure relie ou place des points : ici, on veut des barres, une par année. Utilise px.bar."),
        (lambda r: _est_figure(r) and bool(r.data) and r.data[0].orientation == "h",
         "Tes barres sont couchées : pour des années, on les met debout, le temps de gauche à droite. "
         "Mets \"annee\" en x et \"nb_accidents\" en y (sans orientation=\"h\")."),
    ],
    bravo="Bravo ! Regarde la forme : le nombre d'accidents baisse-t-il chaque année ? Que se passe-t-il en 2020 ?",
    lecon=LECON, numero=1,
)

q2 = Question(
    "Passe le tableau large des populations au format long (melt), puis trace une courbe par département.",
    attendu=lambda: None,
    comparaison=Tous(
        FigurePlotly(type_trace=["line", "scatter"], x=lambda: populations_longues()["millesime"],
                     y=lambda: populations_longues()["population"], titre=True, titres_axes=True),
        Personnalise(_points_relies),
        Personnalise(_une_courbe_par_departement),
        axes_parlants({"y": "population", "x": "millesime"}),
        source_presente("fig2", "SOURCE_POPULATIONS"),
    ),
    indices=[
        "Deux étapes. (1) longue = large.melt(...) : id_vars sont les colonnes à garder telles quelles "
        "(\"departement\", \"departement_nom\"), var_name le nom de la nouvelle colonne des années "
        "(\"millesime\"), value_name celui de la colonne des valeurs (\"population\"). (2) px.line(longue, ...) "
        "avec x=\"millesime\", y=\"population\" et color=\"departement_nom\" : une courbe par département.",
        "longue = large.melt(id_vars=[\"departement\", \"departement_nom\"], var_name=\"millesime\", "
        "value_name=\"population\") puis fig2 = px.line(longue, x=\"millesime\", y=\"population\", "
        "color=\"departement_nom\", symbol=\"departement_nom\", markers=True, title=titre2, labels=axes2).",
    ],
    solution=(
        'longue = large.melt(id_vars=["departement", "departement_nom"], var_name="millesime", '
        'value_name="population")\n'
        'titre2 = f"Population des départements — {nom}, millésimes 2021 à 2026"\n'
        'axes2 = {"millesime": "millésime des populations légales", "population": "population (habitants)",\n'
        '         "departement_nom": "département"}\n'
        'fig2 = px.line(longue, x="millesime", y="population", color="departement_nom", symbol="departement_nom",\n'
        "               markers=True, title=titre2, labels=axes2)\n"
        "sourcer(fig2, SOURCE_POPULATIONS)\n"
        "fig2.show()"
    ),
    erreurs_frequentes=[
        (lambda r: isinstance(r, pd.DataFrame),
         "Ta réponse est un tableau : l'exercice demande la figure. Vérifie fig2, pas longue."),
        (lambda r: _est_figure(r) and len(r.data) == 1 and _nb_points(r) == len(populations_longues()),
         "Tous tes points sont reliés par une seule ligne, qui saute d'un département à l'autre : ajoute "
         "color=\"departement_nom\" pour avoir une courbe par département."),
        (lambda r: _est_figure(r) and any(isinstance(v, str) and v.startswith("population_")
                                          for t in r.data for v in (t.x if t.x is not None else [])),
         "Ton axe des x montre « population_2021 »… : pars du tableau large de la cellule précédente, dont "
         "les colonnes s'appellent 2021, 2024 et 2026 (des nombres)."),
        (lambda r: _est_figure(r) and len(r.data) == 3,
         "Ta figure a 3 courbes, une par millésime : on veut une courbe par département, avec le temps en x. "
         "As-tu fait le melt ? Utilise x=\"millesime\" et color=\"departement_nom\"."),
    ],
    bravo="Bravo ! Regarde bien l'axe vertical de ta figure : où commence-t-il ? La suite en parle.",
    lecon=LECON, numero=2,
)

q3 = Question(
    "Les communes les plus peuplées ont-elles plus d'accidents ? Trace le nuage de points population / "
    "accidents 2016–2020, axes en échelle logarithmique.",
    attendu=lambda: None,
    comparaison=Tous(
        # px.scatter draws "scattergl" (WebGL) traces above 1,000 points
        FigurePlotly(type_trace=["scatter", "scattergl"], x=lambda: communes_avec_accident()["population"],
                     y=lambda: communes_avec_accident()["nb_accidents"], titre=True, titres_axes=True),
        Personnalise(_axes_log),
        axes_parlants({"x": "population", "y": "nb_accidents"}),
        source_presente("fig3", "SOURCE_ACCIDENTS_POP"),
    ),
    indices=[
        "D'abord le filtre : avec_accident garde les lignes de par_commune où \"nb_accidents\" est plus grand "
        "que 0. Ensuite px.scatter avec x=\"population\", y=\"nb_accidents\", et log_x=True, log_y=True.",
        "avec_accident = par_commune[par_commune[\"nb_accidents\"] > 0] puis fig3 = px.scatter(avec_accident, "
        "x=\"population\", y=\"nb_accidents\", log_x=True, log_y=True, hover_name=\"nom\", title=titre3, "
        "labels=axes3).",
    ],
    solution=(
        'avec_accident = par_commune[par_commune["nb_accidents"] > 0]\n'
        'titre3 = f"Plus d\'habitants, plus d\'accidents ? Communes — {nom}, 2016–2020"\n'
        'axes3 = {"population": "population 2026 (habitants, échelle log)",\n'
        '         "nb_accidents": "accidents corporels 2016–2020 (échelle log)"}\n'
        'fig3 = px.scatter(avec_accident, x="population", y="nb_accidents", log_x=True, log_y=True,\n'
        '                  hover_name="nom", title=titre3, labels=axes3)\n'
        "sourcer(fig3, SOURCE_ACCIDENTS_POP)\n"
        "fig3.show()"
    ),
    erreurs_frequentes=[
        (lambda r: _est_figure(r) and _nb_points(r) == len(par_commune()) != len(communes_avec_accident()),
         "Ta figure contient toutes les communes, même celles qui n'ont eu aucun accident : 0 ne peut pas être "
         "placé sur une échelle logarithmique (elle ne montre que des nombres plus grands que 0). Garde "
         "seulement les communes avec par_commune[\"nb_accidents\"] > 0."),
        (lambda r: _est_figure(r) and bool(r.data) and r.data[0].x is not None
            and sorted(float(v) for v in r.data[0].x) == sorted(float(v) for v in communes_avec_accident()["nb_accidents"]),
         "Tes axes sont inversés : la population va en x (à l'horizontale) et le nombre d'accidents en y. On se "
         "demande si les accidents dépendent de la population, et ce qu'on explique va en y."),
        (lambda r: _est_figure(r) and bool(r.data) and r.data[0].type == "bar",
         "Ta figure est un diagramme en barres : pour croiser deux mesures de chaque commune, utilise "
         "px.scatter (un point par commune)."),
    ],
    bravo="Bravo ! Les points montent de gauche à droite : plus une commune a d'habitants, plus elle a "
          "d'accidents. Survole un point pour lire le nom de la commune.",
    lecon=LECON, numero=3,
)

q4 = Question(
    "Trace l'histogramme de la population des communes de moins de 5 000 habitants.",
    attendu=lambda: None,
    comparaison=Tous(
        FigurePlotly(type_trace="histogram", x=lambda: populations_sous_seuil(), titre=True, titres_axes=True),
        axes_parlants({"x": "population"}),
        source_presente("fig4", "SOURCE_POPULATIONS_2026"),
    ),
    indices=[
        "Filtre d'abord : petites = communes[communes[\"population\"] < 5000]. Puis px.histogram(petites, "
        "x=\"population\") : plotly range les communes dans des classes et dessine une barre par classe.",
        "fig4 = px.histogram(petites, x=\"population\", nbins=50, title=titre4, labels=axes4) ; l'axe des y "
        "s'appelle « count » : donne-lui un titre avec fig4.update_yaxes(title=\"nombre de communes\").",
    ],
    solution=(
        'petites = communes[communes["population"] < 5000]\n'
        'titre4 = f"Communes de moins de 5 000 habitants — {nom}, 2026"\n'
        'axes4 = {"population": "population de la commune (habitants)"}\n'
        'fig4 = px.histogram(petites, x="population", nbins=50, title=titre4, labels=axes4)\n'
        'fig4.update_yaxes(title="nombre de communes")\n'
        "sourcer(fig4, SOURCE_POPULATIONS_2026)\n"
        "fig4.show()"
    ),
    erreurs_frequentes=[
        (lambda r: _est_figure(r) and _nb_points(r) == len(_t("communes")) != len(populations_sous_seuil()),
         "Ton histogramme contient toutes les communes : garde seulement celles de moins de 5 000 habitants "
         "avec communes[communes[\"population\"] < 5000]."),
        (lambda r: _est_figure(r) and _nb_points(r) == len(populations_sous_seuil(SEUIL_HISTOGRAMME + 1))
            != len(populations_sous_seuil()),
         "Tu as gardé les communes de 5 000 habitants pile : « moins de 5 000 », c'est < 5000, pas <= 5000."),
        (lambda r: _est_figure(r) and bool(r.data) and r.data[0].type == "bar",
         "Tu as dessiné une barre par commune avec px.bar : un histogramme range d'abord les communes par "
         "classes de population. Utilise px.histogram(petites, x=\"population\")."),
    ],
    bravo="Bravo ! Regarde où sont les barres les plus hautes : dans les toutes petites communes.",
    lecon=LECON, numero=4,
)


def _choix_graphique(bonne: str, pourquoi: dict[str, str]) -> Choix:
    return Choix(bonnes=bonne, options=TYPES_DE_GRAPHIQUE, explications=pourquoi)


q5 = Question(
    "Ta question → le bon graphique : barres, courbe, nuage ou histogramme ?",
    comparaison=Parties(
        a=_choix_graphique("courbe", {
            "barres": "Des barres marchent, mais pour une évolution dans le temps la courbe montre mieux la pente.",
            "histogramme": "Un histogramme range des valeurs par classes : ici, on suit une valeur dans le temps."}),
        b=_choix_graphique("barres", {
            "courbe": "Une courbe relie des points dans le temps : les départements ne se suivent pas, on les "
                      "compare.",
            "histogramme": "Un histogramme compte des communes par classes de population : ici, on compare quelques "
                           "départements nommés."}),
        c=_choix_graphique("nuage", {
            "courbe": "Il n'y a pas de temps ici : on croise deux mesures de chaque commune.",
            "barres": "Des barres montrent une seule mesure : ici, il y en a deux par commune."}),
        d=_choix_graphique("histogramme", {
            "barres": "Une barre par commune ferait des milliers de barres : l'histogramme les range par classes.",
            "nuage": "Un nuage croise deux mesures : ici, il n'y en a qu'une, la population."}),
    ),
    indices=[
        "Pour chaque question, demande-toi : est-ce qu'on suit une valeur dans le temps (courbe) ? compare-t-on "
        "des catégories nommées (barres) ? croise-t-on deux mesures (nuage) ? regarde-t-on comment se répartit "
        "une seule mesure (histogramme) ?",
        "Chaque type de graphique sert une seule fois : a parle du temps, b de départements nommés, c de deux "
        "mesures par commune, d de la répartition d'une mesure.",
    ],
    solution='question_a = "courbe"\nquestion_b = "barres"\nquestion_c = "nuage"\nquestion_d = "histogramme"',
    lecon=LECON, numero=5,
)

q6 = Question(
    "Le graphique trompeur : quelles phrases sont justes ?",
    comparaison=Choix(bonnes=["a", "d"], options=["a", "b", "c", "d"], explications={
        "b": "Non : les deux graphiques montrent exactement les mêmes nombres, tirés du même fichier. Seul l'axe "
             "change.",
        "c": "Non : la couleur ne change rien aux hauteurs. Et elle ne doit jamais porter le sens à elle seule.",
    }),
    indices=[
        "Compare les deux graphiques : les nombres sont-ils différents ? Qu'est-ce qui change entre les deux ?",
        "Regarde où commence l'axe vertical à gauche : une barre n'est honnête que si sa hauteur est "
        "proportionnelle à la valeur.",
    ],
    solution='reponse = "a, d"',
    explication="Pour des barres, l'axe commence à 0 : sinon la hauteur ne représente plus la valeur, et un petit "
                "écart paraît énorme.",
    lecon=LECON, numero=6,
)

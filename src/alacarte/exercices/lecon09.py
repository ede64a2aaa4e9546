"""Lesson 09 — Publier un tableau de bord: the questions, and the figures the dashboard shows.

The learner writes the widget code (Dropdown, ToggleButtons, IntSlider, HTML, observe, VBox/HBox);
this module holds what they should not have to write again: the indicator tables (per commune and
per département, computed from the shipped data for the current territory), the one-sentence
summary of a département and the bar chart of its top communes as an accessible PNG inside an HTML
``<figure>`` (alt text, caption, source). A PNG needs no JavaScript: it shows in JupyterLab, in
Voilà and on Binder alike (the production Voilà configuration does not load plotly's extension).

The starter dashboard ``lessons/mon-tableau-de-bord/mon-tableau-de-bord.ipynb`` uses the same
functions. Checks that involve widgets run kernel-side: they set ``Dropdown.value`` and read
``HTML.value`` (an ``Output`` widget is filled by the browser, not by the kernel).
"""

from __future__ import annotations

import base64
import functools
import html
import re
from io import BytesIO

import pandas as pd

from alacarte.donnees import catalogue, charger
from alacarte.exercices import Choix, Personnalise, Question, ____
from alacarte.exercices._texte import normaliser_texte
from alacarte.exercices.lecon07 import CONTOURS_FAUX
from alacarte.graphiques import OKABE_ITO, nombre
from alacarte.lecons import BINDER
from alacarte.tableaux_de_bord.preparation import surfaces_km2
from alacarte.territoires import territoire

LECON = "09"
#: the indicators of a département (column of indicateurs_departements: label with its unit)
INDICATEURS = {
    "population": "population en 2026 (habitants)",
    "evolution": "évolution de la population depuis 2021 (%)",
    "densite": "densité (habitants par km²)",
    "part_mairesses": "part des femmes parmi les maires (%)",
}
#: the indicators the bar chart ranks communes by (a share of women among ONE mayor means nothing)
INDICATEURS_GRAPHIQUE = {
    "population": "Population",
    "evolution": "Évolution depuis 2021",
    "densite": "Densité",
}
#: communes smaller than this are left out of the ranking by change (+50 % of 12 inhabitants is noise)
SEUIL_EVOLUTION = 1000
DONNEES = ["populations", "communes", "communes_contours", "elus_parite"]
SOURCE = ("Sources : INSEE, populations légales 2021 et 2026 (via Etalab) ; IGN, ADMIN EXPRESS (surfaces) ; "
          "ministère de l'Intérieur, Répertoire national des élus 2026. Licence Ouverte 2.0.")
#: where the starter dashboard is, from the repository root, and its Voilà address on Binder
CHEMIN_TABLEAU = "lessons/mon-tableau-de-bord/mon-tableau-de-bord.ipynb"
LIEN_VOILA = f"{BINDER}?urlpath=voila/render/{CHEMIN_TABLEAU}"


# ------------------------------------------------------------------------------------------------
# The figures
# ------------------------------------------------------------------------------------------------

def _cle() -> tuple[str, str]:
    t = territoire()
    return t.niveau, t.code


@functools.lru_cache(maxsize=3)
def _communes(cle: tuple[str, str]) -> pd.DataFrame:
    pop = charger("populations", colonnes=["code", "nom", "departement", "population_2021", "population_2026",
                                           "non_comparable"])
    noms = charger("communes", colonnes=["code", "departement_nom"])
    contours = charger("communes_contours", colonnes=["code", "departement", "contour", "geometry"])
    surfaces = pd.DataFrame({"code": contours["code"].to_numpy(),
                             # the dashboards' area: Lambert-93 in mainland France, the local CRS overseas
                             "surface_km2": surfaces_km2(contours).to_numpy(),
                             "faux": contours["contour"].isin(CONTOURS_FAUX).to_numpy()})
    elus = charger("elus_parite", colonnes=["code", "maires_f", "maires_h"])
    t = pop.merge(noms, on="code", how="left").merge(surfaces, on="code", how="left").merge(elus, on="code",
                                                                                            how="left")
    comparable = ~t["non_comparable"].fillna("").str.contains("2021")
    t["comparable"] = comparable.astype(bool)
    t["population"] = t["population_2026"]
    t["evolution"] = (100 * (t["population_2026"] / t["population_2021"] - 1)).where(t["comparable"])
    t["densite"] = (t["population"] / t["surface_km2"]).where(~t["faux"].fillna(True).astype(bool))
    t["maires"] = t["maires_f"].fillna(0) + t["maires_h"].fillna(0)
    colonnes = ["code", "nom", "departement", "departement_nom", "population", "population_2021", "comparable",
                "evolution", "surface_km2", "densite", "maires", "maires_f"]
    return t[colonnes].reset_index(drop=True)


def indicateurs_communes() -> pd.DataFrame:
    """One row per commune of the territory: code, nom, departement, departement_nom, population (2026),
    evolution (% since 2021, empty when the commune's perimeter changed), densite (inhabitants per km²,
    empty when its polygon is not its own territory), maires and maires_f (women mayors)."""
    return _communes(_cle()).copy()


@functools.lru_cache(maxsize=3)
def _departements(cle: tuple[str, str]) -> pd.DataFrame:
    c = _communes(cle)
    comp = c[c["comparable"]]
    g = c.groupby("departement")
    t = pd.DataFrame({
        "nom": g["departement_nom"].first(),
        "communes": g.size(),
        "population": g["population"].sum(),
        "evolution": 100 * (comp.groupby("departement")["population"].sum()
                            / comp.groupby("departement")["population_2021"].sum() - 1),
        "densite": g["population"].sum() / g["surface_km2"].sum(),
        "part_mairesses": 100 * g["maires_f"].sum() / g["maires"].sum(),
    })
    t.index.name = "code"
    return t.sort_index()


def indicateurs_departements() -> pd.DataFrame:
    """One row per département of the territory, indexed by its code: nom, communes, and the four
    indicators of :data:`INDICATEURS` (population, evolution, densite, part_mairesses)."""
    return _departements(_cle()).copy()


def departements() -> pd.DataFrame:
    """The départements of the territory: code and nom, sorted by code."""
    return _departements(_cle())["nom"].reset_index()


def phrase(code: str) -> str:
    """The one-sentence portrait of a département (plain text, not HTML)."""
    d = _departements(_cle()).loc[code]
    return (f"{d['nom']} : {nombre(d['population'])} habitants en 2026 "
            f"({nombre(d['evolution'], 1, signe=True)} % depuis 2021), {nombre(d['densite'])} habitants par km², "
            f"{nombre(d['communes'])} communes ; {nombre(d['part_mairesses'])} % des maires sont des femmes.")


_TITRES = {
    "population": "Les {n} communes les plus peuplées",
    "evolution": "Les {n} communes qui ont le plus grandi depuis 2021",
    "densite": "Les {n} communes les plus denses",
}
_UNITES = {
    "population": "habitants en 2026",
    "evolution": "évolution de la population 2021–2026 (%)",
    "densite": "habitants par km² (2026)",
}


def top_communes(code: str, indicateur: str, n: int = 10) -> pd.DataFrame:
    """The ``n`` communes of département ``code`` with the highest ``indicateur`` (columns nom, valeur).
    For the change since 2021, only communes of at least SEUIL_EVOLUTION inhabitants are ranked."""
    if indicateur not in INDICATEURS_GRAPHIQUE:
        raise ValueError(f"indicateur inconnu : {indicateur!r} (possibles : {', '.join(INDICATEURS_GRAPHIQUE)})")
    c = _communes(_cle())
    c = c[c["departement"] == code]
    if indicateur == "evolution":
        c = c[c["population"] >= SEUIL_EVOLUTION]
    c = c.dropna(subset=[indicateur]).nlargest(int(n), indicateur)
    return c[["code", "nom", indicateur]].rename(columns={indicateur: "valeur"}).reset_index(drop=True)


def _decimales(indicateur: str) -> int:
    return 1 if indicateur == "evolution" else 0


def titre_top(code: str, indicateur: str, n: int = 10) -> str:
    nom = _departements(_cle()).loc[code, "nom"]
    titre = _TITRES[indicateur].format(n=len(top_communes(code, indicateur, n))) + f" — {nom}"
    if indicateur == "evolution":
        titre += f" (communes d'au moins {nombre(SEUIL_EVOLUTION)} habitants)"
    return titre


def resume_top(code: str, indicateur: str, n: int = 10) -> str:
    """The one-sentence summary of the chart, computed from the data."""
    t = top_communes(code, indicateur, n)
    nom = _departements(_cle()).loc[code, "nom"]
    if t.empty:
        return f"{nom} : aucune commune à classer pour cet indicateur."
    dec, unite = _decimales(indicateur), _UNITES[indicateur].split(" (")[0]
    premiere, derniere = t.iloc[0], t.iloc[-1]
    signe = indicateur == "evolution"
    if indicateur == "evolution":
        unite = "%"
    return (f"{nom} : en tête, {premiere['nom']} ({nombre(premiere['valeur'], dec, signe)} {unite}) ; "
            f"la {len(t)}ᵉ du classement, {derniere['nom']}, est à {nombre(derniere['valeur'], dec, signe)} {unite}.")


def _png_top(t: pd.DataFrame, titre: str, unite: str, decimales: int, signe: bool) -> bytes:
    import textwrap

    from matplotlib.figure import Figure

    source = textwrap.wrap(SOURCE, 80)
    hauteur = 2.2 + 0.34 * max(len(t), 1)
    fig = Figure(figsize=(5.2, hauteur), dpi=110)
    bas = (0.16 + 0.13 * len(source)) / hauteur  # room for the source lines under the chart
    fig.set_layout_engine("constrained", rect=(0, bas, 1, 1 - bas))
    ax = fig.add_subplot()
    valeurs = t["valeur"].to_numpy()[::-1]
    noms = [textwrap.shorten(str(x), 26, placeholder="…") for x in t["nom"].to_numpy()[::-1]]
    ax.barh(range(len(valeurs)), valeurs, color=OKABE_ITO[0])
    ax.set_yticks(range(len(valeurs)), noms, fontsize=11)
    maxi = max([abs(v) for v in valeurs] or [1])
    for i, v in enumerate(valeurs):  # the value written at the end of each bar: no meaning by length alone
        ax.text(v + maxi * 0.01, i, nombre(v, decimales, signe), va="center", fontsize=10)
    ax.set_xlim(min(0, min(list(valeurs) or [0])), maxi * 1.25)
    ax.set_xlabel(unite, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="x", labelsize=10)
    ax.xaxis.set_major_formatter(lambda x, _: nombre(x))
    fig.suptitle("\n".join(textwrap.wrap(titre, 48)), fontsize=12, x=0.02, ha="left")
    fig.text(0.02, 0.02, "\n".join(source), fontsize=7, color="#444444", va="bottom")
    buf = BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def graphique_top(code: str, indicateur: str, n: int = 10) -> str:
    """The bar chart of the top ``n`` communes as an HTML ``<figure>``: a PNG (title, unit, values on the
    bars, source and date) whose alt text and caption are the computed summary. Text is escaped."""
    t = top_communes(code, indicateur, n)
    titre, resume = titre_top(code, indicateur, n), resume_top(code, indicateur, n)
    png = _png_top(t, titre, _UNITES[indicateur], _decimales(indicateur), indicateur == "evolution")
    b64 = base64.b64encode(png).decode()
    return (f'<figure style="margin:0;max-width:100%" data-departement="{html.escape(code)}">'
            f'<img src="data:image/png;base64,{b64}" alt="{html.escape(titre)}. {html.escape(resume)}" '
            f'style="max-width:100%;height:auto;display:block">'
            f'<figcaption style="font-size:15px;margin:.3em 0">{html.escape(resume)}</figcaption></figure>')


# ------------------------------------------------------------------------------------------------
# Exercise 1 — a Dropdown of the départements
# ------------------------------------------------------------------------------------------------

def _options(menu) -> tuple[list[str], list]:
    """Labels and values of a selection widget (ipywidgets accepts labels or (label, value) pairs)."""
    etiquettes, valeurs = [], []
    for o in menu.options:
        if isinstance(o, (tuple, list)) and len(o) == 2:
            etiquettes.append(str(o[0]))
            valeurs.append(o[1])
        else:
            etiquettes.append(str(o))
            valeurs.append(o)
    return etiquettes, valeurs


def _est_widget(r, nom: str) -> bool:
    try:
        import ipywidgets as W
    except ImportError:  # pragma: no cover - ipywidgets is a dependency
        return False
    return isinstance(r, getattr(W, nom))


def _verifier_menu(r):
    deps = departements()
    codes, noms = list(deps["code"]), list(deps["nom"])
    if isinstance(r, (list, tuple)):
        return False, ("Tu as donné une liste : c'est ce qu'on met dans options=. Il faut le widget lui-même, "
                       "widgets.Dropdown(options=..., description=...).")
    if not _est_widget(r, "Widget"):
        return False, (f"Ta réponse est de type {type(r).__name__} : il faut un widget, "
                       "créé avec widgets.Dropdown(...).")
    if not _est_widget(r, "Dropdown"):
        return False, (f"Ton widget est un {type(r).__name__} : ici, on veut un menu déroulant, widgets.Dropdown. "
                       "Il prend peu de place sur un téléphone.")
    etiquettes, valeurs = _options(r)
    if [str(v) for v in valeurs] == [str(n) for n in noms] or set(map(str, valeurs)) == set(noms):
        return False, ("Ton menu renvoie des noms : ton programme a besoin des codes (un nom peut s'écrire de "
                       "plusieurs façons). Donne des paires (nom affiché, code) : list(zip(deps[\"nom\"], "
                       "deps[\"code\"], strict=True)).")
    if set(map(str, valeurs)) != set(codes):
        manquants = sorted(set(codes) - set(map(str, valeurs)))
        en_trop = sorted(set(map(str, valeurs)) - set(codes))
        morceaux = ["Les valeurs de ton menu ne sont pas les codes des départements de ton territoire."]
        if manquants:
            morceaux.append(f"Il manque : {', '.join(manquants[:5])}.")
        if en_trop:
            morceaux.append(f"En trop : {', '.join(map(str, en_trop[:5]))}.")
        return False, " ".join(morceaux)
    if len(valeurs) != len(set(map(str, valeurs))):
        return False, "Ton menu propose des départements en double : chacun doit y être une seule fois."
    if set(etiquettes) == set(codes):
        return False, ("Ton lecteur verrait seulement des codes (« 38 ») : montre-lui les noms. Donne des "
                       "paires (nom, code) : le nom est affiché, le code est renvoyé.")
    attendues = dict(zip(codes, noms, strict=True))
    if any(attendues[str(v)] != e for e, v in zip(etiquettes, valeurs, strict=True)):
        return False, "Noms et codes ne vont pas ensemble : chaque paire doit être (nom du département, son code)."
    if not str(r.description).strip():
        return False, ("Ton menu n'a pas d'étiquette : ajoute description=\"Département\". Sans elle, ni le "
                       "lecteur ni un lecteur d'écran ne savent à quoi il sert.")
    return True, None


q1 = Question(
    "Crée un menu déroulant (Dropdown) qui affiche le nom des départements du territoire et renvoie leur code.",
    comparaison=Personnalise(_verifier_menu),
    attendu=lambda: list(departements()["code"]),
    indices=[
        "widgets.Dropdown(options=..., description=\"Département\") crée le menu. Pour options, on peut donner une "
        "liste de paires (texte affiché, valeur renvoyée).",
        "list(zip(deps[\"nom\"], deps[\"code\"], strict=True)) fabrique les paires (nom, code) à partir du tableau deps.",
    ],
    solution=('choix_dep = widgets.Dropdown(options=list(zip(deps["nom"], deps["code"], strict=True)), '
              'description="Département")'),
    lecon=LECON, numero=1,
)


# ------------------------------------------------------------------------------------------------
# Exercise 2 — the function that gives a figure
# ------------------------------------------------------------------------------------------------

def _verifier_valeur(r):
    if not callable(r):
        if isinstance(r, (int, float)):
            return False, ("Ta réponse est un nombre : il faut la fonction elle-même. Écris q2.verifier(valeur), "
                           "sans parenthèses après valeur.")
        return False, f"Ta réponse est de type {type(r).__name__} : il faut une fonction, écrite avec def valeur(code, indicateur):"
    table = _departements(_cle())
    for code in table.index:
        for ind in INDICATEURS:
            attendu = float(table.loc[code, ind])
            try:
                obtenu = r(code, ind)
            except Exception as exc:  # noqa: BLE001 - the learner's function may fail in any way
                if isinstance(exc, KeyError) and str(exc).strip("'\"") in (*INDICATEURS, *map(str, table.index)):
                    return False, (f"valeur(\"{code}\", \"{ind}\") plante (KeyError : {exc}) : as-tu inversé la ligne "
                                   "et la colonne ? Avec .loc, c'est d'abord la ligne (le code), puis la colonne.")
                return False, f"valeur(\"{code}\", \"{ind}\") plante : {type(exc).__name__} : {exc}"
            if obtenu is ____:
                return False, "Ta fonction renvoie encore ____ : remplace-le par ton calcul."
            if obtenu is None:
                return False, "Ta fonction ne renvoie rien (None) : as-tu oublié return ?"
            if isinstance(obtenu, (pd.Series, pd.DataFrame)):
                return False, (f"valeur(\"{code}\", \"{ind}\") renvoie un {type(obtenu).__name__}, pas un nombre : "
                               "donne à .loc la ligne ET la colonne, par_dep.loc[code, indicateur].")
            try:
                obtenu = float(obtenu)
            except (TypeError, ValueError):
                return False, f"valeur(\"{code}\", \"{ind}\") renvoie {obtenu!r} : il faut un nombre."
            if abs(obtenu - attendu) > 1e-6 * max(1.0, abs(attendu)):
                return False, (f"valeur(\"{code}\", \"{ind}\") renvoie {nombre(obtenu, 2)}, il faut "
                               f"{nombre(attendu, 2)} : prends la case de la ligne code et de la colonne indicateur "
                               "dans par_dep.")
    return True, None


q2 = Question(
    "Écris la fonction valeur(code, indicateur) qui renvoie le chiffre d'un département pour un indicateur.",
    comparaison=Personnalise(_verifier_valeur),
    attendu=lambda: None,
    indices=[
        "Le tableau par_dep a une ligne par département (son code est l'index) et une colonne par indicateur.",
        "par_dep.loc[ligne, colonne] donne une seule case : return par_dep.loc[code, indicateur]",
    ],
    solution="def valeur(code, indicateur):\n    chiffre = par_dep.loc[code, indicateur]\n    return chiffre",
    lecon=LECON, numero=2,
)


# ------------------------------------------------------------------------------------------------
# Exercise 3 — observe: the text follows the menu
# ------------------------------------------------------------------------------------------------

def _enfants(boite) -> list:
    """Every widget inside a box, depth first."""
    vus = []
    for w in getattr(boite, "children", ()) or ():
        vus.append(w)
        vus.extend(_enfants(w))
    return vus


def _texte_visible(valeur: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", str(valeur))).split())


def _montre(texte_html: str, code: str) -> bool:
    return " ".join(phrase(code).split()) in _texte_visible(texte_html)


def _verifier_mini(r):
    if not (_est_widget(r, "VBox") or _est_widget(r, "HBox") or _est_widget(r, "Box")):
        return False, (f"Ta réponse est de type {type(r).__name__} : il faut la boîte qui range tes widgets, "
                       "widgets.VBox([menu, texte]).")
    enfants = _enfants(r)
    menus = [w for w in enfants if _est_widget(w, "Dropdown")]
    textes = [w for w in enfants if _est_widget(w, "HTML")]
    if not menus or not textes:
        return False, "Ta boîte doit contenir le menu et le texte : widgets.VBox([menu, texte])."
    menu, texte = menus[0], textes[0]
    _, valeurs = _options(menu)
    codes = [str(v) for v in valeurs]
    if set(codes) != set(departements()["code"]):
        return False, "Le menu de ta boîte ne propose pas les départements du territoire : garde celui qui est donné."
    depart = menu.value
    if not _montre(texte.value, str(depart)):
        if not _texte_visible(texte.value):
            return False, ("Au départ, le texte est vide : appelle actualiser() une fois, juste après l'avoir "
                           "branchée, pour remplir le texte avant que le lecteur touche au menu.")
        return False, ("Le texte ne montre pas la phrase du département choisi : dans actualiser, écris "
                       "texte.value = phrase(menu.value) (entre <p> et </p> si tu veux).")
    autres = [c for c in codes if c != str(depart)] or codes
    try:
        for code in autres[:3] + [str(depart)]:
            menu.value = code  # what a reader's click does: the observers run, here, in the kernel
            if not _montre(texte.value, code):
                menu.value = depart
                return False, ("Quand on change le menu, le texte ne suit pas : as-tu branché la fonction avec "
                               "menu.observe(actualiser, names=\"value\") ? Et actualiser lit-elle menu.value ?")
    except Exception as exc:  # noqa: BLE001 - the learner's callback may fail in any way
        return False, (f"Ta fonction actualiser plante quand on change le menu ({type(exc).__name__} : {exc}). "
                       "Elle doit accepter un argument : def actualiser(change=None):")
    return True, None


q3 = Question(
    "Branche le menu sur le texte : quand on choisit un département, la phrase qui le décrit s'affiche.",
    comparaison=Personnalise(_verifier_mini),
    attendu=lambda: None,
    indices=[
        "Écris def actualiser(change=None): qui range phrase(menu.value) dans texte.value. Puis dis au menu de "
        "l'appeler à chaque changement : menu.observe(actualiser, names=\"value\").",
        "N'écris pas menu.observe(actualiser()) : avec les parenthèses, tu appelles la fonction tout de suite au "
        "lieu de la confier au menu. Et appelle actualiser() une fois à la fin, pour le premier affichage.",
    ],
    solution=("def actualiser(change=None):\n"
              "    texte.value = \"<p>\" + html.escape(phrase(menu.value)) + \"</p>\"\n\n"
              "menu.observe(actualiser, names=\"value\")\n"
              "actualiser()"),
    lecon=LECON, numero=3,
)


# ------------------------------------------------------------------------------------------------
# Exercise 4 — the credit line
# ------------------------------------------------------------------------------------------------

#: the producer of each dataset of the dashboard, as a reader must find it in the credit line
#: (several spellings accepted), checked against the catalogue's producer field
PRODUCTEURS = {
    "populations": ("INSEE", ["insee"]),
    "communes_contours": ("IGN", ["ign", "institut national de l'information geographique"]),
    "elus_parite": ("ministère de l'Intérieur", ["interieur", "repertoire national des elus", "rne"]),
}


def _licences() -> set[str]:
    return {catalogue()[n]["licence"]["name"] for n in PRODUCTEURS}


def _verifier_credit(r):
    if not isinstance(r, str):
        return False, f"Ta réponse est de type {type(r).__name__} : il faut un texte, entre guillemets."
    t = normaliser_texte(r)
    for nom, (libelle, variantes) in PRODUCTEURS.items():
        if not any(re.search(rf"\b{re.escape(normaliser_texte(v))}\b", t) for v in variantes):
            return False, (f"Il manque un producteur : {libelle} (jeu « {nom} »). Lis sa fiche : "
                           f"fiche(\"{nom}\"), ligne Producteur.")
    if "2026" not in t:
        return False, ("Il manque la date des données : les populations et les élus sont ceux de 2026 (ligne "
                       "Millésime de la fiche). Un chiffre sans date ne vaut rien.")
    for licence in _licences():
        nom_licence = normaliser_texte(licence.replace(" 2.0", ""))
        if nom_licence not in t and "etalab" not in t:
            return False, (f"Il manque la licence des données : {licence}. Elle demande justement de citer la "
                           "source et la date.")
    return True, None


q4 = Question(
    "Écris la ligne de crédits de ton tableau de bord : les producteurs, la date des données et leur licence.",
    comparaison=Personnalise(_verifier_credit),
    attendu=lambda: None,
    indices=[
        "Le tableau de bord utilise trois jeux : populations, communes_contours et elus_parite. Pour chacun, "
        "fiche(...) donne le Producteur, le Millésime et la Licence.",
        "Une bonne ligne : « Sources : INSEE (populations légales 2021 et 2026), IGN (ADMIN EXPRESS), ministère "
        "de l'Intérieur (élus 2026) — Licence Ouverte 2.0 ».",
    ],
    solution=('credit = ("Sources : INSEE, populations légales 2021 et 2026 ; IGN, ADMIN EXPRESS ; ministère de '
              'l\'Intérieur, Répertoire national des élus 2026 — Licence Ouverte 2.0")'),
    erreurs_frequentes=[
        (lambda r: isinstance(r, str) and normaliser_texte(r).strip() in ("source", "sources", "sources :"),
         "Le mot « Sources » tout seul ne dit rien : nomme qui a produit les données, de quand elles datent et "
         "sous quelle licence."),
        (lambda r: isinstance(r, str) and "data.gouv" in r.lower() and "insee" not in r.lower(),
         "data.gouv.fr est la plateforme qui publie les données, pas leur producteur : nomme l'INSEE, l'IGN et "
         "le ministère de l'Intérieur."),
    ],
    lecon=LECON, numero=4,
)


# ------------------------------------------------------------------------------------------------
# Exercise 5 — the licence of a derived work
# ------------------------------------------------------------------------------------------------

q5 = Question(
    "Tu publies ton tableau de bord, fait avec des données sous Licence Ouverte 2.0 : quelles phrases sont justes ?",
    comparaison=Choix(bonnes=["a", "b", "e"], options=["a", "b", "c", "d", "e"], explications={
        "c": "Non : la Licence Ouverte n'impose pas de partager à l'identique. Tu choisis la licence de ton "
             "travail (CC BY 4.0, par exemple), du moment que tu cites la source des données.",
        "d": "Non : une licence ouverte donne l'autorisation d'avance, à tout le monde, même pour un usage "
             "commercial. Pas besoin de demander.",
    }),
    indices=[
        "La Licence Ouverte demande une seule chose : mentionner la paternité de l'information (sa source) et la "
        "date de sa dernière mise à jour.",
        "Le « partage à l'identique », c'est l'ODbL (la licence d'OpenStreetMap), pas la Licence Ouverte. Et "
        "CC BY 4.0 demande seulement de citer l'auteur : c'est la licence du cours.",
    ],
    solution='reponse = "a, b, e"',
    lecon=LECON, numero=5,
)


# ------------------------------------------------------------------------------------------------
# Exercise 6 — the Binder link that opens the dashboard with Voilà
# ------------------------------------------------------------------------------------------------

def _verifier_lien(r):
    if not isinstance(r, str):
        return False, f"Ta réponse est de type {type(r).__name__} : il faut une adresse, entre guillemets."
    lien = r.strip().replace("%2F", "/").replace("%2f", "/")
    if lien.startswith(("http://localhost", "http://127.0.0.1", "localhost", "127.0.0.1")):
        return False, ("Cette adresse ne marche que sur ton ordinateur (localhost, c'est « cette machine ») : "
                       "un élu sur son téléphone ne l'ouvrira pas. Pars de l'adresse Binder, BINDER.")
    if not lien.startswith(BINDER):
        return False, ("Ton lien doit commencer par l'adresse Binder du dépôt du cours : "
                       "BINDER + \"?urlpath=...\".")
    reste = lien[len(BINDER):]
    if "lab/tree" in reste or "/tree/" in reste or "notebooks/" in reste:
        return False, ("« lab/tree » ouvre JupyterLab : ton lecteur verrait tout le code ! Pour n'afficher que "
                       "le tableau de bord, c'est « voila/render/ ».")
    if not reste.startswith("?urlpath=voila/render/"):
        return False, "Après l'adresse Binder, écris ?urlpath=voila/render/ puis le chemin du carnet."
    chemin = reste[len("?urlpath=voila/render/"):]
    if chemin == CHEMIN_TABLEAU:
        return True, None
    if chemin == CHEMIN_TABLEAU.removeprefix("lessons/"):
        return False, ("Le chemin part de la racine du dépôt, pas du dossier lessons : ajoute « lessons/ » "
                       "devant.")
    if not chemin.endswith(".ipynb"):
        return False, "Le chemin doit finir par le nom du carnet, avec son extension .ipynb."
    return False, f"Le chemin du carnet doit être {CHEMIN_TABLEAU} (depuis la racine du dépôt)."


q6 = Question(
    "Écris le lien Binder qui ouvre le tableau de bord de départ avec Voilà (sans le code).",
    comparaison=Personnalise(_verifier_lien),
    attendu=lambda: LIEN_VOILA,
    indices=[
        "Le lien a trois morceaux : l'adresse Binder du dépôt (BINDER), puis ?urlpath=voila/render/, puis le "
        "chemin du carnet depuis la racine du dépôt.",
        "Le carnet est dans lessons/mon-tableau-de-bord/ et s'appelle mon-tableau-de-bord.ipynb. Colle les "
        "morceaux avec + ou une f-string.",
    ],
    solution=('lien = BINDER + "?urlpath=voila/render/lessons/mon-tableau-de-bord/mon-tableau-de-bord.ipynb"'),
    lecon=LECON, numero=6,
)

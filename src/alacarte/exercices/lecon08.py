"""Lesson 08 — Carte interactive (folium): the questions and the small data they use.

The lesson draws offline folium maps (``alacarte.cartes.CarteHorsLigne``), escapes text from data,
measures and lightens the weight of a map, colours a rate by commune, puts the town halls of one
département on the map with their (missing) accessibility information, and adds a layer control.

Every expected value is computed from the shipped data at check time, so the lesson follows the
territory setting (région 84 by default; 53 and 94 are tested too).
"""

from __future__ import annotations

import functools
import html

from alacarte.donnees import charger, dossier_donnees
from alacarte.exercices import CarteFolium, Choix, Personnalise, Question
from alacarte.exercices.lecon00 import exemple_commune
from alacarte.territoires import Territoire, territoire

LECON = "08"

#: a made-up commune name (not real data) that carries HTML and JavaScript, to show escaping
NOM_PIEGE = "Saint-Piège <img src=x onerror=\"this.outerHTML='⚠ code exécuté !'\">"

#: how many times lighter than the naive map the light map of exercise 3 must be
FACTEUR_MINIMUM = 2
#: beyond this, the communes have lost their shape (triangles, squares): too simplified
FACTEUR_MAXIMUM = 12


@functools.lru_cache(maxsize=2)
def _contours(t: Territoire, dossier: str):
    return charger("communes_contours", territoire=t)


def _communes():
    return _contours(territoire(), str(dossier_donnees())).copy()


def departement_exemple() -> dict:
    """The département of the example commune (the chef-lieu of the territory): code and name."""
    code = exemple_commune()["departement"]
    deps = charger("departements")
    nom = str(deps.loc[deps["code"] == code, "nom"].iloc[0])
    return {"code": code, "nom": nom}


def nb_communes(departement: bool = False) -> int:
    """Number of commune polygons of the territory (or of the example département)."""
    communes = _communes()
    if departement:
        communes = communes[communes["departement"] == departement_exemple()["code"]]
    return len(communes)


def nb_mairies_placees() -> int:
    """Town halls of the example département that have a position (a point)."""
    mairies = charger("mairies")
    mairies = mairies[(mairies["departement"] == departement_exemple()["code"]) & mairies.geometry.notna()]
    return len(mairies)


@functools.lru_cache(maxsize=2)
def _poids_naif(t: Territoire, dossier: str) -> int:
    import folium

    from alacarte.cartes import CarteHorsLigne, poids

    communes = _contours(t, dossier)
    carte = CarteHorsLigne(location=[46, 4], zoom_start=7)
    folium.GeoJson(communes).add_to(carte)
    return poids(carte)


def poids_carte_naive() -> int:
    """Weight in bytes of the naive map: every commune, every column, full precision."""
    return _poids_naif(territoire(), str(dossier_donnees()))


# ------------------------------------------------------------------------------------------------
# Checks
# ------------------------------------------------------------------------------------------------

def _nom_echappe(r) -> tuple[bool, str | None]:
    if not isinstance(r, str):
        return False, ("Ta réponse doit être un texte (str) : le nom échappé, par exemple "
                       "echapper(NOM_PIEGE).")
    if r == NOM_PIEGE:
        return False, ("C'est le nom tel quel : le navigateur lirait <img …> comme une vraie image et lancerait "
                       "son code. Passe-le dans echapper(...).")
    if "<" in r or ">" in r:
        return False, ("Il reste des chevrons < ou > dans ton texte : le navigateur y verrait encore des "
                       "balises. Passe le nom entier dans echapper(...).")
    if html.unescape(html.unescape(r)) == NOM_PIEGE and html.unescape(r) != NOM_PIEGE:
        return False, ("Tu as échappé le nom deux fois : la carte afficherait « &lt;img » au lieu de « <img ». "
                       "Une seule fois suffit.")
    if html.unescape(r) != NOM_PIEGE:
        return False, ("Ton texte ne redonne pas le nom d'origine : on ne doit rien enlever ni changer, "
                       "seulement écrire les caractères spéciaux autrement. Utilise echapper(NOM_PIEGE).")
    return True, None


def _features(carte) -> list:
    from alacarte.exercices.graphiques import _elements, _est_un

    features = []
    for e in _elements(carte):
        if _est_un(e, "GeoJson") and isinstance(getattr(e, "data", None), dict):
            features += e.data.get("features") or []
    return features


def _carte_legere(carte) -> tuple[bool, str | None]:
    from alacarte.cartes import nombre, poids

    naif, leger = poids_carte_naive(), poids(carte)
    facteur = naif / leger
    texte = (f"Ta carte pèse {nombre(leger / 1e6, 2)} Mo, la carte naïve {nombre(naif / 1e6, 2)} Mo "
             f"(÷ {nombre(facteur, 1)})")
    vides = sum(1 for f in _features(carte) if not (f.get("geometry") or {}).get("coordinates"))
    if vides:
        return False, (f"{vides} commune(s) ont disparu (géométrie vide) : ta tolérance est trop grande, ou "
                       "ta précision trop grossière.")
    if facteur < FACTEUR_MINIMUM:
        return False, (f"{texte} : il faut qu'elle soit au moins {FACTEUR_MINIMUM} fois plus légère. Simplifie "
                       "davantage (tolérance plus grande), arrondis les coordonnées, garde moins de colonnes.")
    if facteur > FACTEUR_MAXIMUM:
        return False, (f"{texte} : c'est trop ! Avec une tolérance aussi grande, les communes deviennent des "
                       "triangles et ne ressemblent plus à rien. Essaie quelques centaines de mètres.")
    return True, None


def _plusieurs_couleurs(carte) -> tuple[bool, str | None]:
    couleurs = set()
    for f in _features(carte):
        props = f.get("properties") or {}
        if "__folium_color" in props:
            couleurs.add(props["__folium_color"])
    if len(couleurs) < 3:
        return False, ("Toutes tes communes ont la même couleur : donne à explore la colonne à colorier, "
                       "column=\"taux\", avec les classes (scheme, classification_kwds) et la palette (cmap).")
    return True, None


def _sans_attendu(fonction) -> Personnalise:
    """A custom check that carries its own expectations (no expected value needed)."""
    verification = Personnalise(fonction)
    verification.utilise_attendu = False
    return verification


q1 = Question(
    "Dessine les communes de ton département sur une carte hors ligne, avec leur nom au survol.",
    comparaison=CarteFolium(couches=["GeoJson"], objets=lambda: nb_communes(departement=True), infobulles=True),
    indices=[
        "Trois étapes : une carte vide (CarteHorsLigne), une couche de contours (folium.GeoJson) posée dessus avec "
        ".add_to(carte), et une infobulle (tooltip).",
        "folium.GeoJson(communes_dep[[\"nom_affiche\", \"geometry\"]], "
        "tooltip=folium.GeoJsonTooltip([\"nom_affiche\"], aliases=[\"Commune\"])).add_to(carte_dep)",
    ],
    solution=("carte_dep = CarteHorsLigne(location=centre_dep, zoom_start=9)\n"
              "folium.GeoJson(\n"
              "    communes_dep[[\"nom_affiche\", \"geometry\"]],\n"
              "    tooltip=folium.GeoJsonTooltip([\"nom_affiche\"], aliases=[\"Commune\"]),\n"
              ").add_to(carte_dep)"),
    lecon=LECON, numero=1,
)

q2 = Question(
    "Échappe le nom piégé NOM_PIEGE pour qu'une infobulle l'affiche tel quel, sans lancer son code.",
    comparaison=_sans_attendu(_nom_echappe),
    indices=[
        "Le cours a un outil pour ça : echapper(texte). La bibliothèque standard de Python aussi : html.escape(texte).",
        "nom_sur = echapper(NOM_PIEGE) : < devient &lt;, > devient &gt;, \" devient &quot;. Le navigateur les "
        "affiche comme des caractères, sans les lire comme des balises.",
    ],
    solution="nom_sur = echapper(NOM_PIEGE)",
    lecon=LECON, numero=2,
)

q3 = Question(
    "Construis une carte de toutes les communes du territoire au moins deux fois plus légère que la carte naïve.",
    comparaison=CarteFolium(couches=["GeoJson"], objets=lambda: nb_communes()) & _sans_attendu(_carte_legere),
    indices=[
        "Trois leviers : moins de sommets (simplify, en mètres : passe d'abord en Lambert-93 avec to_crs(2154)), des "
        "coordonnées arrondies (shapely.set_precision, en degrés), et seulement les colonnes utiles.",
        "Essaie une tolérance de 200 m : communes.to_crs(2154).simplify(200).to_crs(4326), puis "
        "shapely.set_precision(..., 0.0001) et la table réduite à [\"code\", \"nom_affiche\", \"geometry\"]. "
        "Regarde le poids avec poids(carte_legere).",
    ],
    solution=("legeres = communes[[\"code\", \"nom_affiche\", \"geometry\"]].copy()\n"
              "legeres[\"geometry\"] = communes.to_crs(2154).simplify(200).to_crs(4326)\n"
              "legeres[\"geometry\"] = shapely.set_precision(legeres.geometry.values, 0.0001)\n"
              "carte_legere = CarteHorsLigne(location=centre, zoom_start=7)\n"
              "folium.GeoJson(legeres).add_to(carte_legere)"),
    lecon=LECON, numero=3,
)

q4 = Question(
    "Colorie les communes selon leur taux d'accidents avec .explore(m=...) : légende, infobulle, palette cividis.",
    comparaison=CarteFolium(couches=["GeoJson"], objets=lambda: nb_communes(), legende=True, infobulles=True)
    & _sans_attendu(_plusieurs_couleurs),
    indices=[
        "Pars d'une carte vide (CarteHorsLigne) puis appelle accidents_legers.explore(m=carte_accidents, ...) : "
        "explore dessine sur ta carte au lieu d'en créer une.",
        "Donne-lui column=\"taux\", scheme=\"user_defined\", classification_kwds={\"bins\": BORNES}, "
        "cmap=\"cividis\", legend=True, legend_kwds={\"caption\": ..., \"labels\": ETIQUETTES, \"colorbar\": False}, "
        "missing_kwds={\"color\": GRIS, \"label\": \"pas de données\"}, tooltip=[\"nom_affiche\", \"taux_texte\"].",
    ],
    solution=("carte_accidents = CarteHorsLigne(location=centre, zoom_start=7)\n"
              "accidents_legers.explore(\n"
              "    m=carte_accidents, column=\"taux\", scheme=\"user_defined\", classification_kwds={\"bins\": BORNES},\n"
              "    cmap=\"cividis\", legend=True,\n"
              "    legend_kwds={\"caption\": \"Accidents par an pour 1 000 habitants\", \"labels\": ETIQUETTES,\n"
              "                 \"colorbar\": False},\n"
              "    missing_kwds={\"color\": GRIS, \"label\": \"pas de données\"},\n"
              "    tooltip=[\"nom_affiche\", \"taux_texte\"], tooltip_kwds={\"aliases\": [\"Commune\", \"Taux\"]},\n"
              "    style_kwds={\"color\": \"white\", \"weight\": 0.3, \"fillOpacity\": 0.85}, name=\"Accidents\",\n"
              ")"),
    lecon=LECON, numero=4,
)

q5 = Question(
    "La colonne accessibilite vaut « NAC » pour toutes les mairies : que peut-on en conclure ?",
    comparaison=Choix(bonnes="c", options=["a", "b", "c", "d"], explications={
        "a": "Non : NAC est la valeur écrite par défaut quand personne n'a rempli le champ. Elle ne dit rien de "
             "la mairie. Publier « aucune mairie n'est accessible » serait une fausse nouvelle.",
        "b": "Non : une valeur identique partout ne prouve pas une erreur de lecture. Le fichier d'origine dit "
             "bien NAC partout : c'est le champ qui n'a jamais été rempli.",
        "d": "Non : on ne remplace jamais une donnée absente par une supposition. On écrit « non renseignée ».",
    }),
    indices=[
        "Quand une valeur est la même pour 34 827 mairies, demande-toi si quelqu'un l'a vraiment saisie.",
        "Relis la fiche du jeu de données (fiche(\"mairies\") ou datasets/mairies/README.md) : que dit-elle de NAC ?",
    ],
    solution='reponse = "c"',
    lecon=LECON, numero=5,
)

q6 = Question(
    "Ajoute à la carte des mairies un contrôle des couches, pour afficher ou cacher chaque groupe.",
    comparaison=CarteFolium(couches=["FeatureGroup"], controle_couches=True, marqueurs=nb_mairies_placees),
    indices=[
        "Le contrôle des couches s'appelle folium.LayerControl. Comme toute couche, on le pose avec .add_to(...).",
        "folium.LayerControl(collapsed=False).add_to(carte_mairies) — toujours en dernier, après toutes les couches : "
        "il ne liste que celles qui existent déjà.",
    ],
    solution="folium.LayerControl(collapsed=False).add_to(carte_mairies)",
    lecon=LECON, numero=6,
)

q7 = Question(
    "Tu ouvres ta carte (avec un fond OpenStreetMap) dans un lycée sans internet. Que vois-tu ?",
    comparaison=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
        "a": "Non : la carte hors ligne contient Leaflet et toutes tes couches dans sa page. Seul le fond manque.",
        "c": "Non : les tuiles ne sont pas dans la page, elles viennent d'un serveur à chaque déplacement. Sans "
             "réseau, le navigateur ne peut pas les demander.",
        "d": "Non : les formes des communes sont dans la page elle-même (le GeoJSON), pas sur le serveur de tuiles.",
    }),
    indices=[
        "Qu'est-ce qui est écrit dans le fichier de la carte, et qu'est-ce qui vient d'ailleurs, à chaque zoom ?",
        "Les tuiles (les petites images du fond) arrivent du serveur d'OpenStreetMap. Les contours et les points "
        "sont dans la page.",
    ],
    solution='reponse = "b"',
    lecon=LECON, numero=7,
)

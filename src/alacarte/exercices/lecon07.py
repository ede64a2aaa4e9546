"""Lesson 07 — Cartographier avec geopandas: the questions and the small data they use.

Every expected value is computed from the shipped data at check time, so the lesson follows the
territory setting (région 84 by default; 53 and 94 are tested too). Lambert-93 (EPSG:2154) is the
right projection for mainland France and Corsica only: a territory in the DROM would need its local
projection (EPSG:2975 for La Réunion, 5490 for the Antilles, 2972 for Guyane, 4471 for Mayotte).
"""

from __future__ import annotations

import warnings

from alacarte.donnees import charger
from alacarte.exercices import Choix, Nombre, Question, TableauGeo
from alacarte.exercices.lecon00 import exemple_commune

LECON = "07"
LAMBERT93 = "EPSG:2154"
#: polygons that do not describe the commune's own territory (datasets/communes_contours/README.md)
CONTOURS_FAUX = ("trop étendu", "incomplet")


def _communes():
    return charger("communes_contours")


def _l93():
    return _communes().to_crs(LAMBERT93)


def commune_exemple() -> dict:
    """The example commune of lesson 00 (the chef-lieu of the territory): code and name."""
    e = exemple_commune()
    return {"code": e["code"], "nom": e["nom"]}


def _surface(crs: str, diviseur: float = 1_000_000) -> float:
    """Area of the example commune computed in ``crs``, divided by ``diviseur``."""
    communes = _communes()
    ligne = communes[communes["code"] == commune_exemple()["code"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # geopandas warns about areas in degrees: that is the point
        geometrie = ligne.geometry if crs == "EPSG:4326" else ligne.to_crs(crs).geometry
        return float(geometrie.area.iloc[0]) / diviseur


def densites():
    """Density (inhabitants per km²) of every commune whose polygon is its own territory."""
    communes = _l93()
    surface = communes.area / 1_000_000
    densite = communes["population"] / surface
    return densite[~communes["contour"].isin(CONTOURS_FAUX)]


def _densite_territoire() -> float:
    communes = _l93()
    return float(communes["population"].sum() / (communes.area.sum() / 1_000_000))


def accidents_par_commune():
    """Road accidents 2016–2020 per commune of 2026: a table with columns code and nb_accidents."""
    accidents = charger("accidents", colonnes=["annee", "code_commune_2026"])
    recents = accidents[accidents["annee"] >= 2016]
    nb = recents.groupby("code_commune_2026").size().reset_index(name="nb_accidents")
    return nb.rename(columns={"code_commune_2026": "code"})


def _carte_accidents():
    return _l93().merge(accidents_par_commune(), on="code", how="left").fillna({"nb_accidents": 0})


def _classes(nom: str):
    import mapclassify

    import alacarte.cartes  # noqa: F401  (fast Fisher-Jenks without numba)

    return getattr(mapclassify, nom)(densites(), k=5)


def _crs_epsg(r) -> int | None:
    crs = getattr(r, "crs", None)
    try:
        return crs.to_epsg() if crs is not None else None
    except Exception:  # noqa: BLE001 - any odd object
        return None


q1 = Question(
    "Convertis les contours des communes en Lambert-93 (EPSG:2154).",
    attendu=_l93,
    comparaison=TableauGeo(crs=LAMBERT93, type_geometrie="Polygon"),
    indices=[
        "La méthode qui change le système de coordonnées d'un GeoDataFrame s'appelle to_crs.",
        "Donne-lui le code EPSG de Lambert-93 : communes.to_crs(2154) (ou \"EPSG:2154\").",
    ],
    solution="communes_l93 = communes.to_crs(2154)",
    erreurs_frequentes=[
        (lambda r: _crs_epsg(r) == 3857,
         "Tu as choisi EPSG:3857, le « Web Mercator » des cartes en ligne : il gonfle les surfaces (deux fois "
         "trop grandes chez nous). Pour la France métropolitaine, prends Lambert-93 : EPSG:2154."),
        (lambda r: _crs_epsg(r) == 2154 and float(abs(r.total_bounds).max()) < 1000,
         "Ta table dit « EPSG:2154 », mais ses coordonnées sont toujours en degrés : set_crs change seulement "
         "l'étiquette. Pour convertir vraiment les coordonnées, utilise to_crs(2154)."),
        (lambda r: _crs_epsg(r) == 4326,
         "Ta table est encore en EPSG:4326 (des degrés) : as-tu bien rangé le résultat de communes.to_crs(2154) "
         "dans communes_l93 ? to_crs ne modifie pas la table de départ, il en renvoie une nouvelle."),
    ],
    lecon=LECON, numero=1,
)

q2 = Question(
    "Quelle est la surface, en km², de la commune exemple (calculée en Lambert-93) ?",
    attendu=lambda: _surface(LAMBERT93),
    comparaison=Nombre(relative=0.01, unite="km²"),
    indices=[
        "Prends la ligne de la commune dans communes_l93 (la table en mètres), puis sa surface avec .area.",
        "En Lambert-93, .area donne des m². Un km² = 1 000 × 1 000 m² : divise par 1_000_000. Pour obtenir un "
        "nombre et pas une colonne, ajoute .iloc[0].",
    ],
    solution=('ligne = communes_l93[communes_l93["code"] == exemple["code"]]\n'
              "surface_km2 = ligne.area.iloc[0] / 1_000_000"),
    erreurs_frequentes=[
        (lambda: _surface("EPSG:4326", 1),
         "Tu as calculé la surface dans communes, qui est en degrés : des « degrés carrés » ne sont pas une "
         "surface. Prends la ligne dans communes_l93."),
        (lambda: _surface("EPSG:4326"),
         "Tu as calculé la surface en degrés (la table communes), puis divisé : le résultat n'a aucun sens. "
         "Prends la ligne dans communes_l93, qui est en mètres."),
        (lambda: _surface(LAMBERT93, 1),
         "C'est la bonne surface, mais en m² : divise par 1 000 000 pour avoir des km²."),
        (lambda: _surface(LAMBERT93, 1000),
         "Un km² vaut 1 000 × 1 000 = 1 000 000 m², pas 1 000 : divise par 1_000_000."),
        (lambda: _surface("EPSG:3857"),
         "Tu as mesuré en Web Mercator (EPSG:3857) : il gonfle les surfaces loin de l'équateur. Prends "
         "communes_l93, en Lambert-93."),
    ],
    lecon=LECON, numero=2,
)

q3 = Question(
    "Quelle est la densité de population du territoire entier, en habitants par km² ?",
    attendu=_densite_territoire,
    comparaison=Nombre(relative=0.01, unite="hab./km²"),
    indices=[
        "La densité d'un territoire, c'est tous ses habitants divisés par toute sa surface.",
        "Additionne la colonne population, additionne la colonne surface_km2 (avec .sum()), puis divise la "
        "première somme par la seconde.",
    ],
    solution='densite_territoire = communes_l93["population"].sum() / communes_l93["surface_km2"].sum()',
    erreurs_frequentes=[
        (lambda: float(densites().mean()),
         "Tu as fait la moyenne des densités des communes : un village de 50 habitants y pèse autant qu'une "
         "grande ville. Divise le total des habitants par le total des km²."),
        (lambda: float(densites().median()),
         "C'est la médiane des densités des communes (la commune « du milieu ») : on veut la densité du "
         "territoire entier, total des habitants ÷ total des km²."),
        (lambda: _densite_territoire() / 1_000_000,
         "Ta surface est en m² : divise le total des habitants par le total de la colonne surface_km2."),
        (lambda: 1 / _densite_territoire(),
         "Tu as divisé la surface par les habitants : c'est l'inverse, habitants ÷ surface."),
    ],
    lecon=LECON, numero=3,
)

q4 = Question(
    "Avec les seuils naturels (Fisher-Jenks, 5 classes), combien de communes tombent dans la classe la plus haute ?",
    attendu=lambda: int(_classes("FisherJenks").counts[-1]),
    comparaison=Nombre(),
    indices=[
        "mapclassify.FisherJenks(densites, k=5) range les densités en 5 classes ; son attribut .counts donne le "
        "nombre de communes de chaque classe, de la plus basse à la plus haute.",
        "Le dernier élément d'une liste s'obtient avec [-1] : classes.counts[-1].",
    ],
    solution=("classes = mapclassify.FisherJenks(densites, k=5)\n"
              "nb_classe_haute = classes.counts[-1]"),
    erreurs_frequentes=[
        (lambda: int(_classes("Quantiles").counts[-1]),
         "Ça, c'est la classe la plus haute avec les quantiles (un cinquième des communes par classe). Utilise "
         "mapclassify.FisherJenks."),
        (lambda: int(_classes("FisherJenks").counts[0]),
         "Ça, c'est la classe la plus basse ([0] est le premier élément) : prends le dernier, avec [-1]."),
        (lambda r: isinstance(r, (list, tuple)) or (hasattr(r, "__len__") and not isinstance(r, str)),
         "Ta réponse contient le nombre de communes de toutes les classes : garde seulement la dernière, avec [-1]."),
    ],
    bravo="Bravo ! Avec ces classes, seules quelques communes très denses ressortent : la carte raconte une "
          "autre histoire que celle des quantiles.",
    lecon=LECON, numero=4,
)


def _sans_geometrie(r) -> bool:
    import geopandas as gpd
    import pandas as pd

    return isinstance(r, pd.DataFrame) and not isinstance(r, gpd.GeoDataFrame)


def _jointure_interne(r) -> bool:
    try:
        return len(r) == len(_l93().merge(accidents_par_commune(), on="code"))
    except TypeError:
        return False


def _vides_restants(r) -> bool:
    try:
        return bool(r["nb_accidents"].isna().any())
    except (KeyError, TypeError, AttributeError):
        return False


q5 = Question(
    "Joins le nombre d'accidents de chaque commune à ses contours, en gardant toutes les communes (0 s'il n'y en a eu aucun).",
    attendu=_carte_accidents,
    comparaison=TableauGeo(crs=LAMBERT93, type_geometrie="Polygon",
                           colonnes=["code", "nom", "population", "nb_accidents", "geometry"]),
    indices=[
        "Pars de la table géographique communes_l93 et joins-lui nb_par_commune avec merge, sur la colonne code.",
        "how=\"left\" garde toutes les communes ; celles sans accident ont alors une case vide, que "
        ".fillna({\"nb_accidents\": 0}) remplace par 0.",
    ],
    solution=('carte_accidents = communes_l93.merge(nb_par_commune, on="code", how="left")'
              '.fillna({"nb_accidents": 0})'),
    erreurs_frequentes=[
        (_sans_geometrie,
         "Ta table n'est plus géographique : dans un merge, c'est la table de gauche qui décide. Écris "
         "communes_l93.merge(nb_par_commune, ...) : la table des contours à gauche."),
        (_jointure_interne,
         "Il manque les communes qui n'ont eu aucun accident : ajoute how=\"left\" au merge pour les garder "
         "toutes."),
        (_vides_restants,
         "Les communes sans accident ont une case vide : remplace-la par 0 avec .fillna({\"nb_accidents\": 0})."),
    ],
    lecon=LECON, numero=5,
)

q6 = Question(
    "Nombre d'accidents ou taux pour 1 000 habitants : quelles phrases sont justes ?",
    comparaison=Choix(bonnes=["a", "b"], options=["a", "b", "c", "d"], explications={
        "c": "Non : une grande ville a beaucoup d'accidents parce qu'elle a beaucoup d'habitants et de trafic. "
             "Pour parler de risque, il faut un taux.",
        "d": "Non : le même fichier d'accidents, rapporté ou non aux habitants, donne deux cartes très "
             "différentes. Compare-les.",
    }),
    indices=[
        "Compare la carte des nombres d'accidents avec la carte de la densité de la partie 3 : à quoi ressemble-t-elle ?",
        "Souviens-toi du « piège des petits nombres » de la leçon 05 : que devient le taux d'un village de 50 "
        "habitants qui a eu 2 accidents ?",
    ],
    solution='reponse = "a, b"',
    lecon=LECON, numero=6,
)

q7 = Question(
    "Que se passe-t-il si on dessine les départements remplis (sans .boundary) par-dessus la carte des communes ?",
    comparaison=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
        "a": "Non : chaque appel à plot(ax=ax) ajoute une couche par-dessus les précédentes.",
        "c": "Non : les couches ne se mélangent pas, la dernière dessinée recouvre les autres (sauf si elle est "
             "transparente).",
        "d": "Non : .boundary ne calcule rien, il garde seulement le contour (une ligne) de chaque forme.",
    }),
    indices=[
        "Sur une carte, les couches s'empilent comme des calques : la dernière posée est au-dessus.",
        "Un département rempli est une surface colorée opaque… que devient ce qui est dessous ?",
    ],
    solution='reponse = "b"',
    lecon=LECON, numero=7,
)

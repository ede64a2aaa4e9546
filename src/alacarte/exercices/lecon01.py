"""Lesson 01 — Trouver et télécharger des données ouvertes: the questions and the small data they use.

Every expected value that depends on the data is computed at check time, so the lesson follows the
territory setting (région 84 by default). The download exercise accepts the shipped snapshot's count
and, when the learner's download from geo.api.gouv.fr succeeded, the count of the answer received.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pandas as pd

from alacarte.donnees import charger, chemin, dossier_cache, fiche, nom_depuis_url
from alacarte.exercices import Choix, Nombre, Parties, Personnalise, Question
from alacarte.exercices._texte import citer, enumerer, est_nombre
from alacarte.exercices.lecon00 import exemple_commune
from alacarte.territoires import territoire

LECON = "01"
API = "https://geo.api.gouv.fr"
CHAMPS = ["nom", "code", "population"]


# ------------------------------------------------------------------------------------------------
# Data handed to the learner
# ------------------------------------------------------------------------------------------------

def departement_exemple() -> str:
    """Code of the département studied: the one of the territory's chef-lieu (else of its largest commune)."""
    return exemple_commune()["departement"]


def url_communes(code_dep: str) -> str:
    """The geo.api.gouv.fr address of the communes of a département, with name, code and population."""
    return f"{API}/communes?codeDepartement={code_dep}&fields={','.join(CHAMPS)}&format=json"


def communes_du_departement(code_dep: str | None = None) -> pd.DataFrame:
    """The shipped communes of a département (snapshot), with the columns of the lesson: code, nom, population."""
    code_dep = code_dep or departement_exemple()
    return charger("communes", territoire=f"departement:{code_dep}")[["code", "nom", "population"]]


def _geojson_mairie(code: str | None = None) -> str:
    """The GeoJSON of one town hall of the territory (the given commune's if it has a point)."""
    mairies = charger("mairies", colonnes=["code", "nom", "geometry"])
    mairies = mairies[mairies.geometry.notna()]
    choix = mairies[mairies.code == code] if code is not None else mairies.iloc[0:0]
    if choix.empty:
        choix = mairies.head(1)
    return choix.head(1).to_json(ensure_ascii=False, drop_id=True)


def extraits_mystere() -> dict[str, str]:
    """Four real snippets of the territory's data, each in a different format (the answer key is q6).

    A: three EPCI as JSON (``to_json(orient="records", indent=2)``); B: the first 60 bytes of the shipped
    ``departements.parquet``; C: the départements as CSV with « ; » (``to_csv(sep=";")``, as a French
    spreadsheet saves it); D: the town hall of the largest commune as GeoJSON (``GeoDataFrame.to_json``).
    """
    epci = charger("epci")[["code", "nom", "nb_communes"]].head(3)
    deps = charger("departements")[["code", "nom", "population"]]
    return {
        "A": epci.to_json(orient="records", force_ascii=False, indent=2),
        "B": repr(chemin("departements").read_bytes()[:60]),
        "C": deps.to_csv(sep=";", index=False),
        "D": _geojson_mairie(exemple_commune()["code"]),
    }


# ------------------------------------------------------------------------------------------------
# Expected values
# ------------------------------------------------------------------------------------------------

def _nb_communes_api(code_dep: str) -> int | None:
    """Rows of the learner's last successful download of the lesson's address (cached file), if any."""
    try:
        fichier = dossier_cache() / nom_depuis_url(url_communes(code_dep))
        with open(fichier, encoding="utf-8") as fh:
            data = json.load(fh)
        return len(data) if isinstance(data, list) and data else None
    except (OSError, ValueError):
        return None


def comptes_acceptes() -> frozenset[int]:
    """Right counts for exercise 4: the snapshot's, and the download's when there was one."""
    code_dep = departement_exemple()
    comptes = {len(communes_du_departement(code_dep))}
    en_ligne = _nb_communes_api(code_dep)
    if en_ligne is not None:
        comptes.add(en_ligne)
    return frozenset(comptes)


def _autres_departements() -> dict[str, int]:
    """Number of communes of each other département of the territory."""
    code_dep = departement_exemple()
    tailles = charger("communes").groupby("departement").size()
    return {str(d): int(n) for d, n in tailles.items() if d != code_dep}


def rapport_json_csv(table: pd.DataFrame | None = None) -> float:
    """Size of the table as JSON records divided by its size as CSV (without index), in characters."""
    table = communes_du_departement() if table is None else table
    texte_csv = table.to_csv(index=False)
    texte_json = table.to_json(orient="records", force_ascii=False)
    return len(texte_json) / len(texte_csv)


def _rapport_variante(orient: str = "records", index: bool = False) -> float:
    """The ratio computed with a typical slip: default ``to_json`` layout, or the CSV written with its index."""
    table = communes_du_departement()
    return len(table.to_json(orient=orient, force_ascii=False)) / len(table.to_csv(index=index))


def _proche(reponse, valeur: float) -> bool:
    """A decimal answer (not a rounded integer) within 0.01 of ``valeur``."""
    return (est_nombre(reponse) and not isinstance(reponse, bool) and not float(reponse).is_integer()
            and abs(float(reponse) - valeur) < 0.01)


def _lettre(options: dict[str, str], valeur: str) -> str:
    """The option whose key word appears in a catalogue value (computed, so it follows the catalogue)."""
    for lettre, mot in options.items():
        if mot.lower() in valeur.lower():
            return lettre
    raise ValueError(f"aucune option ne correspond à {valeur!r}")


PRODUCTEURS = {"a": "INSEE", "b": "ONISR", "c": "Etalab", "d": "Région"}
LICENCES = {"a": "Licence Ouverte", "b": "ODbL", "c": "CC BY-NC", "d": "tous droits réservés"}


def _fiche_accidents() -> dict:
    carte = fiche("accidents")["Valeur"]
    annees = [int(a) for a in pd.Series([carte["Millésime des chiffres"]]).str.findall(r"\d{4}").iloc[0]]
    return {
        "producteur": _lettre(PRODUCTEURS, carte["Producteur"]),
        "licence": _lettre(LICENCES, carte["Licence"]),
        "derniere_annee": max(annees),
        "premiere_annee": min(annees),
    }


# ------------------------------------------------------------------------------------------------
# Checks written for this lesson
# ------------------------------------------------------------------------------------------------

def _verifier_url(reponse, attendu) -> tuple[bool, str | None]:
    """Is ``reponse`` a geo.api.gouv.fr address asking the communes of the expected département
    with the fields nom, code, population in JSON? (parameter order and field order are free)"""
    dep_attendu = parse_qs(urlsplit(attendu).query)["codeDepartement"][0]
    if not isinstance(reponse, str):
        return False, "Ta réponse doit être un texte entre guillemets, qui commence par \"https://\"."
    url = reponse.strip()
    if any(c.isspace() for c in url):
        return False, "Une adresse web ne contient jamais d'espace : enlève ceux autour des = , & et ?."
    morceaux = urlsplit(url)
    if morceaux.scheme not in ("https", "http") or not morceaux.netloc:
        return False, "Une adresse web commence par https:// suivi du nom du serveur : https://geo.api.gouv.fr…"
    if morceaux.netloc.lower() != "geo.api.gouv.fr":
        return False, f"Le serveur doit être geo.api.gouv.fr, pas {citer(morceaux.netloc)}."
    if morceaux.path.rstrip("/") != "/communes":
        return False, (f"Après le serveur vient le chemin : ce qu'on demande. Ici /communes, pas "
                       f"{citer(morceaux.path or '(rien)')}.")
    if not morceaux.query:
        return False, "Il manque le ? puis les paramètres (codeDepartement=…&fields=…&format=json)."
    parametres = parse_qs(morceaux.query, keep_blank_values=True)
    par_minuscule = {nom.lower(): nom for nom in parametres}
    for nom in ("codeDepartement", "fields", "format"):
        if nom not in parametres and nom.lower() in par_minuscule:
            return False, (f"Le paramètre s'écrit {nom}, pas {par_minuscule[nom.lower()]} : l'API fait la différence "
                           "entre majuscules et minuscules.")
    if "codeDepartement" not in parametres:
        return False, "Il manque le paramètre codeDepartement=… qui dit de quel département on veut les communes."
    dep = parametres["codeDepartement"][0]
    if dep != dep_attendu:
        if dep.upper() == dep_attendu:
            return False, f"Le code du département s'écrit en majuscules : {dep_attendu}."
        if dep.isdigit() and dep.zfill(2) == dep_attendu:
            return False, f"Le code du département garde son zéro : {dep_attendu}, pas {dep}."
        if dep in territoire().departements:
            return False, (f"{dep} est bien un département de ton territoire, mais on veut celui de code_dep : "
                           f"{dep_attendu}.")
        return False, f"Le code du département doit être celui de code_dep ({dep_attendu}), pas {citer(dep)}."
    if "fields" not in parametres:
        return False, "Il manque le paramètre fields=… qui choisit les colonnes : fields=nom,code,population."
    champs = [c.strip() for c in parametres["fields"][0].split(",") if c.strip()]
    manquants = [c for c in CHAMPS if c not in champs]
    en_trop = [c for c in champs if c not in CHAMPS]
    if manquants or en_trop:
        morceaux_msg = []
        if manquants:
            morceaux_msg.append(f"il manque {enumerer([citer(c) for c in manquants])}")
        if en_trop:
            morceaux_msg.append(f"en trop : {enumerer([citer(c) for c in en_trop])}")
        return False, f"fields doit valoir nom,code,population (séparés par des virgules) : {' ; '.join(morceaux_msg)}."
    if parametres.get("format") != ["json"]:
        return False, "Il manque format=json à la fin (ou il est mal écrit) : on veut une réponse en JSON."
    inconnus = [p for p in parametres if p not in ("codeDepartement", "fields", "format")]
    if inconnus:
        return False, f"Paramètre en trop : {citer(inconnus[0])}. Il en faut trois : codeDepartement, fields et format."
    return True, None


def _verifier_compte(reponse, attendus) -> tuple[bool, str | None]:
    """Right when the answer is one of the accepted counts (a number or a set of numbers)."""
    attendus = sorted(attendus) if isinstance(attendus, (set, frozenset, list, tuple)) else [attendus]
    for attendu in attendus:
        ok, _ = Nombre().comparer(reponse, attendu)
        if ok:
            return True, None
    return Nombre(reveler=False).comparer(reponse, attendus[0])


def _verifier_annee(reponse, attendu) -> tuple[bool, str | None]:
    """A year: exact, with « trop tôt / trop tard » (Nombre would print 2019 as « 2 019 »)."""
    ok, message = Nombre().comparer(reponse, attendu)
    if ok or not est_nombre(reponse) or isinstance(reponse, bool):
        return ok, message
    sens = "trop tard" if float(reponse) > float(attendu) else "trop tôt"
    return False, f"{reponse} n'est pas la bonne année : c'est {sens}. Relis la ligne « Millésime des chiffres »."


def _norm(valeur) -> str:
    return str(valeur).strip().lower() if isinstance(valeur, str) else ""


# ------------------------------------------------------------------------------------------------
# Questions
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "Licences : laquelle impose le partage à l'identique, et que dois-tu faire pour réutiliser des données "
    "sous Licence Ouverte 2.0 ?",
    comparaison=Parties(
        identique=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
            "a": "Non : la Licence Ouverte demande seulement de citer la source. Tu peux republier ton travail "
                 "sous la licence de ton choix.",
            "c": "Une seule des deux l'impose : la Licence Ouverte ne demande que de citer la source.",
            "d": "Si : l'une des deux l'impose. Relis la colonne « partage à l'identique » du tableau.",
        }),
        affiche=Choix(bonnes="c", options=["a", "b", "c", "d"], explications={
            "a": "Presque rien… mais pas rien : la Licence Ouverte demande une chose. Relis le tableau.",
            "b": "Pas besoin de demander : une licence ouverte donne l'autorisation d'avance, à tout le monde.",
            "d": "Ça, c'est ce qu'exigerait l'ODbL (partage à l'identique). La Licence Ouverte ne le demande pas.",
        }),
    ),
    indices=[
        "Relis le tableau des deux licences : une seule ligne diffère entre elles.",
        "« Partager à l'identique », c'est republier sous la même licence : c'est l'ODbL qui l'exige (b). "
        "La Licence Ouverte, elle, demande seulement de citer la source et la date.",
    ],
    solution='identique = "b"  # l\'ODbL\naffiche = "c"    # citer la source (producteur) et la date',
    erreurs_frequentes=[
        (lambda r: _norm(r.get("identique")) == "a" and _norm(r.get("affiche")) == "d",
         "Tu as inversé les rôles des deux licences : c'est l'ODbL qui oblige à partager à l'identique, "
         "la Licence Ouverte demande seulement de citer la source."),
    ],
    bravo="Bravo ! Citer la source, c'est aussi ce que tu feras en bas de chaque carte et de chaque graphique.",
    lecon=LECON, numero=1,
)

q2 = Question(
    "Lis la fiche du jeu « accidents » : producteur, licence, et dernière année couverte par les chiffres.",
    attendu=lambda: {k: v for k, v in _fiche_accidents().items() if k != "premiere_annee"},
    comparaison=Parties(
        producteur=Choix(options=list(PRODUCTEURS), explications={
            "a": "L'INSEE produit la liste des communes et les populations, pas les fiches d'accident : "
                 "relis la ligne Producteur.",
            "c": "Etalab fournit la licence et des outils, mais ne relève pas les accidents : relis la ligne Producteur.",
            "d": "La Région ne produit pas ce jeu : relis la ligne Producteur.",
        }),
        licence=Choix(options=list(LICENCES), explications={
            "b": "Non : relis la ligne Licence de la fiche.",
            "c": "CC BY-NC interdirait l'usage commercial : relis la ligne Licence de la fiche.",
            "d": "Des données « tous droits réservés » ne seraient pas des données ouvertes ! Relis la ligne Licence.",
        }),
        derniere_annee=Personnalise(_verifier_annee),
    ),
    indices=[
        "Exécute fiche(\"accidents\") et cherche trois lignes : Producteur, Licence et Millésime des chiffres.",
        "Le millésime des chiffres est une période « début–fin » : la dernière année est le nombre après le tiret.",
    ],
    solution='producteur = "b"        # ONISR\nlicence = "a"           # Licence Ouverte 2.0\n'
             'derniere_annee = 2020   # « Millésime des chiffres : 2005–2020 »',
    explication="Attention : la page officielle publie des années plus récentes, mais la copie du cours s'arrête "
                "à la dernière année de son millésime. Une donnée a toujours une date !",
    erreurs_frequentes=[
        (lambda r: r.get("derniere_annee") == 2026,
         "derniere_annee : 2026 est le millésime des codes (la liste des communes qui sert à ranger les "
         "accidents), pas celui des chiffres. Lis la ligne « Millésime des chiffres »."),
        (lambda r: r.get("derniere_annee") == 2024,
         "derniere_annee : 2024 apparaît dans l'adresse de la page officielle (la source publie jusque-là), "
         "mais les chiffres de CE jeu s'arrêtent plus tôt. Lis la ligne « Millésime des chiffres »."),
        (lambda r: r.get("derniere_annee") == _fiche_accidents()["premiere_annee"],
         "derniere_annee : c'est la première année de la période. On veut la dernière, après le tiret."),
    ],
    lecon=LECON, numero=2,
)

q3 = Question(
    "Écris l'adresse qui demande à geo.api.gouv.fr les communes du département code_dep, avec leur nom, "
    "leur code et leur population, au format JSON.",
    attendu=lambda: url_communes(departement_exemple()),
    comparaison=Personnalise(_verifier_url),
    indices=[
        "Pars de l'adresse des départements vue au-dessus : change le chemin (/communes) et les paramètres.",
        "Trois paramètres, séparés par & : codeDepartement=… (le code), fields=nom,code,population et "
        "format=json. Avec une f-string, {code_dep} met le code à la bonne place.",
    ],
    solution='url = f"https://geo.api.gouv.fr/communes?codeDepartement={code_dep}&fields=nom,code,population&format=json"',
    erreurs_frequentes=[
        (lambda r: isinstance(r, str) and "{code_dep}" in r,
         "On voit encore {code_dep} dans ton adresse : as-tu oublié le f devant les guillemets ?"),
        (lambda r: isinstance(r, str) and r.count("?") > 1,
         "Il y a plusieurs ? dans ton adresse : un seul ?, au début des paramètres, puis des & entre eux."),
        (lambda r: isinstance(r, str) and "?" not in r and "&" in r,
         "Il manque le ? entre le chemin /communes et le premier paramètre."),
    ],
    lecon=LECON, numero=3,
)

q4 = Question(
    "Combien de communes (de lignes) contient ton tableau communes_dep ?",
    attendu=comptes_acceptes,
    comparaison=Personnalise(_verifier_compte),
    indices=[
        "Chaque ligne du tableau communes_dep est une commune.",
        "Comme dans la leçon 00 : len(communes_dep) donne le nombre de lignes.",
    ],
    solution="nb_communes_dep = len(communes_dep)",
    erreurs_frequentes=[
        (lambda: len(charger("communes")),
         "Ça, c'est le nombre de communes de tout ton territoire : on veut seulement celles du département "
         "(le tableau communes_dep)."),
        (lambda r: r == len(communes_du_departement().columns),
         "Tu as compté les colonnes (code, nom, population), pas les lignes."),
        (lambda: int(communes_du_departement()["population"].sum()),
         "Ça, c'est le nombre d'habitants du département : on veut le nombre de communes, c'est-à-dire de lignes."),
        (lambda r: r in _autres_departements().values(),
         "C'est le nombre de communes d'un autre département de ton territoire : as-tu changé code_dep ? "
         "Remets code_dep = departement_exemple(), exécute à nouveau les cellules, ou demande de l'aide."),
    ],
    bravo="Bravo ! Et si tu compares avec le tableau des départements, tu vérifies qu'il ne manque personne.",
    lecon=LECON, numero=4,
)

q5 = Question(
    "Pour tout le département, combien de fois le texte JSON est-il plus long que le texte CSV ?",
    attendu=rapport_json_csv,
    comparaison=Nombre(tolerance=0.05, reveler=False),
    indices=[
        "Fabrique d'abord les deux textes avec communes_dep.to_csv(index=False) et "
        "communes_dep.to_json(orient=\"records\", force_ascii=False), comme pour les cinq communes.",
        "len(texte) donne le nombre de caractères. « Combien de fois plus long » : on divise la longueur du "
        "JSON par celle du CSV.",
    ],
    solution='csv_dep = communes_dep.to_csv(index=False)\n'
             'json_dep = communes_dep.to_json(orient="records", force_ascii=False)\n'
             'rapport = len(json_dep) / len(csv_dep)',
    erreurs_frequentes=[
        (lambda: 1 / rapport_json_csv(),
         "Tu as divisé la longueur du CSV par celle du JSON : c'est l'inverse (JSON divisé par CSV)."),
        (lambda r, a: isinstance(r, (int, float)) and not isinstance(r, bool) and r > 100,
         "Ta réponse est un nombre de caractères : on veut un rapport, donc une division (len du JSON / len du CSV)."),
        (lambda r: _proche(r, _rapport_variante(orient="columns")),
         "Ton JSON n'a pas la forme « une accolade par commune » : ajoute orient=\"records\" dans to_json."),
        (lambda r: _proche(r, _rapport_variante(index=True)),
         "Ton CSV contient une colonne de plus, les numéros de ligne : ajoute index=False dans to_csv."),
        (lambda r, a: est_nombre(r) and not isinstance(r, bool) and float(r).is_integer() and r == round(a),
         "Tu as arrondi à l'unité : garde le résultat de la division tel quel (ou au moins un chiffre après "
         "la virgule)."),
    ],
    bravo="Bravo ! Le JSON répète le nom de chaque colonne à chaque commune : c'est pour ça qu'il est plus long.",
    lecon=LECON, numero=5,
)

_FORMATS = ["CSV", "JSON", "GeoJSON", "Parquet"]
_ILLISIBLE = "Celui-là, tu peux le lire : ce n'est pas du binaire comme Parquet."

q6 = Question(
    "Quel est le format de chacun des quatre extraits A, B, C et D ?",
    comparaison=Parties(
        A=Choix(bonnes="JSON", options=_FORMATS, explications={
            "CSV": "A contient des accolades { } et des noms de colonnes entre guillemets : ce n'est pas du CSV.",
            "GeoJSON": "A est bien du JSON, mais sans \"Feature\" ni \"geometry\" : ce n'est pas du GeoJSON.",
            "Parquet": "A se lit à l'œil : ce n'est pas du binaire comme Parquet.",
        }),
        B=Choix(bonnes="Parquet", options=_FORMATS, explications={
            f: "B est illisible (\\x15, \\x04… sont des octets bruts) : regarde ses quatre premières lettres."
            for f in ("CSV", "JSON", "GeoJSON")
        }),
        C=Choix(bonnes="CSV", options=_FORMATS, explications={
            "JSON": "C n'a ni accolades ni guillemets : une ligne d'en-tête, puis une ligne par objet.",
            "GeoJSON": "C n'a ni accolades ni coordonnées : une ligne d'en-tête, puis une ligne par objet.",
            "Parquet": _ILLISIBLE,
        }),
        D=Choix(bonnes="GeoJSON", options=_FORMATS, explications={
            "JSON": "D est écrit en JSON, mais avec \"type\": \"Feature\" et une \"geometry\" : il a un nom plus précis.",
            "CSV": "D contient des accolades { } : ce n'est pas du CSV.",
            "Parquet": _ILLISIBLE,
        }),
    ),
    indices=[
        "Un extrait illisible qui commence par PAR1 ; des accolades { } ; des lignes avec des séparateurs : "
        "chaque format a sa signature.",
        "Un CSV peut utiliser des ; au lieu des virgules (c'est ce que fait un tableur français). Le GeoJSON est "
        "un JSON qui contient \"Feature\" et \"geometry\" avec des coordonnées.",
    ],
    solution='extrait_a = "JSON"\nextrait_b = "Parquet"\nextrait_c = "CSV"\nextrait_d = "GeoJSON"',
    explication="Ces extraits ont été fabriqués par le cours à partir des vraies données de ton territoire : "
                "A avec to_json, C avec to_csv(sep=\";\"), D avec to_json d'un tableau géographique ; "
                "B est le début du vrai fichier departements.parquet livré avec le cours.",
    erreurs_frequentes=[
        (lambda r: _norm(r.get("A")) == "geojson" and _norm(r.get("D")) == "json",
         "Tu as inversé A et D : les deux sont écrits en JSON, mais un seul contient \"Feature\" et une "
         "\"geometry\" (des coordonnées) : c'est lui, le GeoJSON."),
        (lambda r: _norm(r.get("C")) not in ("", "csv") and all(_norm(r.get(k)) == v for k, v in
                                                               (("A", "json"), ("B", "parquet"), ("D", "geojson"))),
         "C : les ; ne changent rien, c'est un tableau en texte, une ligne par objet. Le séparateur d'un CSV "
         "peut être une virgule ou un point-virgule."),
    ],
    lecon=LECON, numero=6,
)


"""Lesson 03 — Vérifier et nettoyer: the questions and the small helpers they use.

The lesson cleans the raw road-accident extract (``accidents_brut``: verbatim lines of the ONISR
file for régions 84, 53 and 94, 2016–2020) and compares the result with the shipped clean version
(``accidents``). Every expected value is recomputed here from the shipped files, with the same
steps as the corrigé, for the current territory.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd

from alacarte.donnees import charger, chemin
from alacarte.exercices import (
    Nombre,
    Personnalise,
    Question,
    Resultat,
    Statut,
    Tableau,
    Texte,
    contient_a_completer,
)
from alacarte.exercices._texte import citer
from alacarte.territoires import choisir_territoire, territoire

LECON = "03"

#: the descriptors kept from the 36 columns of the raw file
COLONNES = ["Num_Acc", "an", "mois", "jour", "hrmn", "dep", "com", "lat", "long"]
#: metropolitan France with Corsica (latitude min, max, longitude min, max), as in the clean dataset
RECTANGLE = (41.3, 51.2, -5.3, 9.7)
#: régions covered by the raw extract, and the one used when the territory is elsewhere
REGIONS_DU_BRUT = {"84": "Auvergne-Rhône-Alpes", "53": "Bretagne", "94": "Corse"}
REGION_DE_REPLI = "84"


# ------------------------------------------------------------------------------------------------
# Reference computations (the corrigé's steps), cached
# ------------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _brut() -> pd.DataFrame:
    """The raw extract (9 descriptors), with ``annee`` and the decoded ``departement`` (do not modify)."""
    brut = pd.read_csv(chemin("accidents_brut"), dtype=str)[COLONNES]
    brut["annee"] = brut["Num_Acc"].str.slice(0, 4).astype(int)
    avant_2019 = brut["annee"] < 2019
    ancien = brut["dep"].str.slice(0, -1).str.zfill(2)
    ancien = ancien.mask(brut["dep"] == "201", "2A").mask(brut["dep"] == "202", "2B")
    brut["departement"] = brut["dep"].str.zfill(2).mask(avant_2019, ancien)
    return brut


def _departements() -> list[str]:
    """The current territory's départements present in the raw extract (sorted)."""
    couverts = set(_brut()["departement"])
    return sorted(set(territoire().departements) & couverts)


def departements_etudies() -> list[str]:
    """Codes of the territory's départements, as a sorted list, for filtering the raw extract.

    The raw extract only covers Auvergne-Rhône-Alpes, Bretagne and Corse: for a territory elsewhere,
    the lesson switches to Auvergne-Rhône-Alpes and says so.
    """
    deps = _departements()
    if not deps:
        t = territoire()
        print(f"⚠️ L'extrait brut ne couvre que trois régions ({', '.join(REGIONS_DU_BRUT.values())}) : "
              f"ton territoire ({t.nom}) n'y est pas. Cette leçon travaille donc sur "
              f"{REGIONS_DU_BRUT[REGION_DE_REPLI]}.")
        choisir_territoire(f"region:{REGION_DE_REPLI}")
        deps = _departements()
    elif territoire().niveau in ("epci", "commune"):
        print("ℹ️ Avant 2019, le fichier brut ne donne pas directement le code INSEE des communes : on garde donc "
              "tous les accidents du département de ton territoire (ou de ses départements).")
    return deps


@functools.lru_cache(maxsize=4)
def _accidents_de(deps: tuple[str, ...]) -> pd.DataFrame:
    brut = _brut()
    return brut[brut["departement"].isin(deps)]


def _accidents() -> pd.DataFrame:
    """The raw rows of the territory (as ``accidents`` in the notebook; do not modify)."""
    return _accidents_de(tuple(_departements()))


def _commune(acc: pd.DataFrame) -> pd.Series:
    avant = acc["annee"] < 2019
    return acc["com"].mask(avant, acc["departement"] + acc["com"].str.zfill(3))


def _heure(acc: pd.DataFrame) -> pd.Series:
    return pd.to_numeric(acc["hrmn"].str.replace(":", "")) // 100


def _coordonnees_brutes(acc: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Latitude and longitude in degrees, before removing impossible values."""
    avant = acc["annee"] < 2019
    lat = pd.to_numeric(acc["lat"].str.strip().str.replace(",", "."), errors="coerce")
    lon = pd.to_numeric(acc["long"].str.strip().str.replace(",", "."), errors="coerce")
    return lat.mask(avant, lat / 100_000), lon.mask(avant, lon / 100_000)


def _position_ok(lat: pd.Series, lon: pd.Series) -> pd.Series:
    la0, la1, lo0, lo1 = RECTANGLE
    return lat.between(la0, la1) & lon.between(lo0, lo1) & (lon != 0)


@functools.lru_cache(maxsize=4)
def _propre_de(deps: tuple[str, ...]) -> pd.DataFrame:
    acc = _accidents_de(deps)
    lat, lon = _coordonnees_brutes(acc)
    ok = _position_ok(lat, lon)
    return pd.DataFrame({
        "num_acc": acc["Num_Acc"],
        "annee": acc["annee"],
        "departement": acc["departement"],
        "commune": _commune(acc),
        "latitude": lat.where(ok),
        "longitude": lon.where(ok),
        "heure": _heure(acc),
    }).reset_index(drop=True)


def _propre() -> pd.DataFrame:
    """The clean table of the notebook (do not modify)."""
    return _propre_de(tuple(_departements()))


def _comparaison() -> pd.DataFrame:
    """The clean table joined to the official clean version on num_acc (as in the notebook)."""
    officiel = charger("accidents", colonnes=["num_acc", "annee", "departement", "commune", "latitude",
                                              "longitude", "heure"])
    officiel = officiel[officiel["annee"].between(2016, 2020)]
    return _propre().merge(officiel, on="num_acc", suffixes=("", "_officiel"))


@functools.lru_cache(maxsize=1)
def _decodage_officiel() -> dict[str, str]:
    """Every pre-2019 ``dep`` value of the raw extract → the official clean département code.

    Order: ordinary 3-character codes (the most frequent first, « 690 »), then 2-character ones (Ain,
    Allier, Ardèche: the zfill trap), then Corsica, so that a learner's function fails first on the most
    telling value.
    """
    brut = _brut()
    anciens = brut[brut["annee"] < 2019][["Num_Acc", "dep"]]
    officiel = pd.read_parquet(chemin("accidents"), columns=["num_acc", "departement"],
                               filters=[("annee", ">=", 2016), ("annee", "<=", 2018)])
    paires = anciens.merge(officiel, left_on="Num_Acc", right_on="num_acc")[["dep", "departement"]]
    paires = paires.drop_duplicates()
    if paires["dep"].duplicated().any():  # pragma: no cover - the clean dataset is consistent
        raise ValueError("un même code dep ancien correspond à plusieurs départements officiels")

    frequence = anciens["dep"].value_counts()

    def rang(code: str) -> tuple:
        return (2 if code in ("201", "202") else 1 if len(code) == 2 else 0, -int(frequence[code]), code)

    return dict(sorted(zip(paires["dep"], paires["departement"], strict=True), key=lambda p: rang(p[0])))


# ------------------------------------------------------------------------------------------------
# A Question that also recognises unfinished functions and tables
# ------------------------------------------------------------------------------------------------

PAS_FINI_FONCTION = ("Ta fonction renvoie encore ____ : remplace les ____ par ton code, exécute la cellule, "
                     "et la vérification se fera toute seule.")
PAS_FINI_TABLEAU = "Ton tableau contient encore ____ : remplace les ____ par tes calculs, puis relance la cellule."


def _contient_a_completer_etendu(valeur: Any) -> str | None:
    """A « not attempted yet » message when a function still returns ____ or a table still holds ____."""
    if isinstance(valeur, (pd.DataFrame, pd.Series)):
        table = valeur.to_frame() if isinstance(valeur, pd.Series) else valeur
        for nom in table.columns:
            if table[nom].dtype == object and any(contient_a_completer(v) for v in table[nom]):
                return PAS_FINI_TABLEAU
        return None
    if callable(valeur) and not isinstance(valeur, type):
        try:
            essai = valeur("690")
        except Exception:
            return None
        return PAS_FINI_FONCTION if contient_a_completer(essai) else None
    return None


class QuestionAvecBrouillon(Question):
    """A Question for which a function returning ____, or a table holding ____, is « pas encore tenté ».

    (The shared ``contient_a_completer`` only looks inside lists, tuples, sets and dicts.)
    """

    def _evaluer(self, reponses: tuple, parties: dict) -> Resultat:
        if len(reponses) == 1 and not parties:
            message = _contient_a_completer_etendu(reponses[0])
            if message:
                return Resultat(genre=Statut.NON_TENTE.value, message=message, statut=Statut.NON_TENTE)
        return super()._evaluer(reponses, parties)


# ------------------------------------------------------------------------------------------------
# Exercise 1 — a pre-2019 département code decoded by hand
# ------------------------------------------------------------------------------------------------

q1 = Question(
    "En 2017, une ligne du fichier a dep = \"10\". Quel est le code INSEE de ce département ?",
    attendu=lambda: _decodage_officiel()["10"],
    comparaison=Texte(),
    indices=[
        "Avant 2019, le fichier écrit le code INSEE du département suivi d'un 0 : le Rhône (69) devient \"690\".",
        "Enlève le 0 final de \"10\" : il reste \"1\". Un code de département a toujours 2 caractères…",
    ],
    solution='reponse = "01"',
    explication="\"10\" = \"01\" + un 0 à la fin : c'est l'Ain. L'Aube (10) s'écrirait \"100\".",
    erreurs_frequentes=[
        ("10", "Piège ! \"10\" est le code de l'Aube… qui s'écrirait \"100\" avant 2019. Ici, le fichier a ajouté "
               "un 0 à la fin d'un autre code : enlève-le."),
        ("1", "Presque : un code de département a toujours 2 caractères. Ajoute le zéro du début."),
        ("100", "Tu as ajouté un 0 : c'est l'inverse, le fichier en a ajouté un à la fin, il faut l'enlever."),
        (lambda r: isinstance(r, str) and r.strip().lower() == "ain",
         "C'est bien l'Ain ! Mais on demande son code INSEE (2 caractères), pas son nom."),
    ],
    bravo="Bravo ! \"10\" veut dire \"01\", l'Ain : un filtre dep == \"01\" ne l'aurait jamais trouvé.",
    lecon=LECON, numero=1,
)


# ------------------------------------------------------------------------------------------------
# Exercise 2 — the decoding function
# ------------------------------------------------------------------------------------------------

def _juger_decodeur(fonction: Any, attendu: dict[str, str]) -> tuple[bool, str | None]:
    if isinstance(fonction, str):
        return False, ("Ta réponse est un texte : donne la fonction elle-même, sans parenthèses ni guillemets : "
                       "q2.verifier(decoder_dep).")
    if not callable(fonction):
        return False, "Donne ta fonction, sans parenthèses : q2.verifier(decoder_dep)."
    for code, bon in attendu.items():
        appel = f'decoder_dep("{code}")'
        try:
            obtenu = fonction(code)
        except Exception as exc:
            return False, f"{appel} provoque une erreur ({type(exc).__name__} : {exc}). Relis la ligne concernée."
        if obtenu is None:
            return False, f"{appel} ne renvoie rien (None) : as-tu oublié « return code_insee » à la fin ?"
        if isinstance(obtenu, str) and obtenu == bon:
            continue
        if not isinstance(obtenu, str):
            return False, (f"{appel} renvoie {citer(obtenu)}, qui n'est pas du texte : un code de département reste "
                           "du texte, n'utilise pas int().")
        if code in ("201", "202"):
            return False, (f"{appel} renvoie {citer(obtenu)} au lieu de {citer(bon)} : as-tu effacé les deux cas "
                           "de la Corse (if … return) ?")
        if len(code) == 2 and obtenu == code:
            return False, (f"{appel} renvoie {citer(obtenu)}, le code de l'Aube ! Avec code[:2], tu gardes les deux "
                           "premiers caractères : enlève plutôt le dernier, avec code[:-1].")
        if obtenu == code:
            return False, f"{appel} renvoie le code sans le changer : enlève le dernier caractère avec code[:-1]."
        if obtenu == code[:-1] and bon == obtenu.zfill(2):
            return False, (f"{appel} renvoie {citer(obtenu)} au lieu de {citer(bon)} : il manque le zéro du début. "
                           "Complète avec .zfill(2).")
        if obtenu.strip() != obtenu:
            return False, f"{appel} renvoie {citer(obtenu)} : il y a une espace en trop."
        return False, f"{appel} renvoie {citer(obtenu)}, il faut {citer(bon)}."
    return True, None


q2 = QuestionAvecBrouillon(
    "Écris la fonction decoder_dep qui transforme un code dep d'avant 2019 en code INSEE.",
    attendu=_decodage_officiel,
    comparaison=Personnalise(_juger_decodeur),
    indices=[
        "Deux gestes : enlever le dernier caractère (code[:-1]), puis compléter avec des zéros à gauche "
        "jusqu'à 2 caractères (.zfill(2)).",
        "Étape 1 : code_insee = code[:-1] ; étape 2 : code_insee = code_insee.zfill(2). Exécute bien la cellule "
        "après avoir modifié la fonction.",
    ],
    solution=('def decoder_dep(code):\n'
              '    if code == "201":\n'
              '        return "2A"\n'
              '    if code == "202":\n'
              '        return "2B"\n'
              '    code_insee = code[:-1]\n'
              '    code_insee = code_insee.zfill(2)\n'
              '    return code_insee'),
    explication="La fonction est vérifiée sur tous les codes dep d'avant 2019 du fichier brut.",
    bravo="Bravo ! Ta fonction décode correctement tous les codes de département d'avant 2019 du fichier.",
    lecon=LECON, numero=2,
)


# ------------------------------------------------------------------------------------------------
# Exercise 3 — the INSEE commune code
# ------------------------------------------------------------------------------------------------

def _avant(acc: pd.DataFrame) -> pd.Series:
    return acc["annee"] < 2019


def _longueur(r: Any) -> int | None:
    try:
        return len(r)
    except TypeError:
        return None


q3 = QuestionAvecBrouillon(
    "Construis la colonne commune : le code INSEE à 5 caractères de la commune de chaque accident.",
    attendu=lambda: _commune(_accidents()),
    comparaison=Tableau(),
    indices=[
        "Avant 2019, on colle deux textes avec + : le code du département (colonne departement) et com complété "
        "sur 3 caractères (.str.zfill(3)). À partir de 2019, com est déjà un code complet.",
        "Pars de accidents[\"com\"] et remplace-le avant 2019 : accidents[\"com\"].mask(avant, "
        "accidents[\"departement\"] + accidents[\"com\"].str.zfill(3)).",
    ],
    solution='commune = accidents["com"].mask(avant, accidents["departement"] + accidents["com"].str.zfill(3))',
    erreurs_frequentes=[
        (lambda r: _longueur(r) == len(_brut()) != len(_accidents()),
         "Ta colonne a une valeur par ligne du fichier brut entier (trois régions) : travaille sur le tableau "
         "accidents, celui de ton territoire."),
        (lambda: _accidents()["com"].mask(_avant(_accidents()), _accidents()["departement"] + _accidents()["com"]),
         "Il manque des zéros : avant 2019, com doit être complété sur 3 caractères (.str.zfill(3)) avant d'être "
         "collé au département."),
        (lambda: _accidents()["com"].mask(_avant(_accidents()), _accidents()["dep"] + _accidents()["com"].str.zfill(3)),
         "Tu as collé la colonne dep brute (\"690\"…) : utilise la colonne departement, déjà décodée (\"69\")."),
        (lambda: _accidents()["departement"] + _accidents()["com"].str.zfill(3),
         "Tes codes de 2019–2020 ont 7 caractères : ils étaient déjà complets. Ne recompose que les lignes "
         "d'avant 2019, avec .mask(avant, …)."),
        (lambda: (_accidents()["departement"] + _accidents()["com"].str.zfill(3)).mask(_avant(_accidents()),
                                                                                    _accidents()["com"]),
         "C'est inversé : il faut recomposer les lignes d'AVANT 2019 et laisser com tel quel ensuite."),
        (lambda: _accidents()["com"].str.zfill(5),
         "Tu as seulement complété com avec des zéros : avant 2019, il faut coller devant le code du département."),
        (lambda: _accidents()["com"],
         "C'est la colonne com telle quelle : avant 2019, il faut la recomposer avec le code du département."),
        (lambda r: isinstance(r, pd.Series) and pd.api.types.is_numeric_dtype(r),
         "Ta colonne contient des nombres : un code INSEE reste du texte (\"01053\", pas 1053). "
         "N'utilise ni pd.to_numeric ni astype(int) ici."),
    ],
    bravo="Bravo ! Chaque accident a maintenant un vrai code INSEE de commune, avant comme après 2019.",
    lecon=LECON, numero=3,
)


# ------------------------------------------------------------------------------------------------
# Exercise 4 — the hour
# ------------------------------------------------------------------------------------------------

def _hrmn() -> pd.Series:
    return _accidents()["hrmn"]


q4 = QuestionAvecBrouillon(
    "Construis la colonne heure (nombres entiers de 0 à 23) à partir de accidents[\"hrmn\"].",
    attendu=lambda: _heure(_accidents()),
    comparaison=Tableau(),
    indices=[
        "Trois étapes : .str.replace(\":\", \"\") pour enlever les deux-points, pd.to_numeric(...) pour avoir des "
        "nombres, puis // 100 pour garder les centaines.",
        "heure = pd.to_numeric(accidents[\"hrmn\"].str.replace(\":\", \"\")) // 100",
    ],
    solution='heure = pd.to_numeric(accidents["hrmn"].str.replace(":", "")) // 100',
    erreurs_frequentes=[
        (lambda r: _longueur(r) == len(_brut()) != len(_accidents()),
         "Ta colonne a une valeur par ligne du fichier brut entier : travaille sur le tableau accidents."),
        (lambda: pd.to_numeric(_hrmn().str.slice(0, 2).str.replace(":", ""), errors="coerce"),
         "Tu as pris les 2 premiers caractères : pour \"911\" (9 h 11), ça donne 91, une heure impossible ! "
         "Passe par les nombres : enlève les « : », convertis, puis divise par 100 avec //."),
        (lambda: pd.to_numeric(_hrmn(), errors="coerce") // 100,
         "Tes heures de 2019–2020 sont vides (NaN) : \"15:45\" n'est pas un nombre. Enlève d'abord les « : » "
         "avec .str.replace(\":\", \"\")."),
        (lambda: pd.to_numeric(_hrmn().str.replace(":", "")) / 100,
         "Tu as des heures à virgule (15,45) : utilise la division entière // au lieu de /."),
        (lambda: pd.to_numeric(_hrmn().str.replace(":", "")) % 100,
         "Ce sont les minutes (le reste de la division, %) : l'heure, c'est le quotient, avec //."),
        (lambda: pd.to_numeric(_hrmn().str.replace(":", "")),
         "Tu as l'heure et les minutes collées (1545) : divise par 100 avec // pour garder l'heure."),
    ],
    bravo="Bravo ! Entre 0 et 23, sans heure impossible : « 911 » est bien devenu 9.",
    lecon=LECON, numero=4,
)


# ------------------------------------------------------------------------------------------------
# Exercise 5 — accidents without a usable position
# ------------------------------------------------------------------------------------------------

def _positions() -> dict[str, int]:
    acc = _accidents()
    lat, lon = _coordonnees_brutes(acc)
    ok = _position_ok(lat, lon)
    return {
        "vides": int(acc["lat"].isna().sum()),
        "renseignees": int(lat.notna().sum()),
        "utilisables": int(ok.sum()),
        "impossibles": int(lat.notna().sum() - ok.sum()),
        "sans_position": int((~ok).sum()),
        "zeros": int(((lat == 0) | (lon == 0)).sum()),
    }


q5 = Question(
    "Combien d'accidents de ton territoire n'ont pas de position utilisable, après le nettoyage ?",
    attendu=lambda: _positions()["sans_position"],
    comparaison=Nombre(),
    indices=[
        "Après le nettoyage, un accident sans position utilisable a une latitude vide (NaN) dans la variable latitude.",
        "latitude.isna() vaut True pour chaque case vide ; .sum() compte les True.",
    ],
    solution="sans_position = latitude.isna().sum()",
    erreurs_frequentes=[
        (lambda: _positions()["vides"],
         "Tu as compté seulement les cases vides du fichier brut : il faut aussi les positions nulles ou hors de "
         "France, que tu viens de vider. Utilise la variable latitude nettoyée."),
        (lambda: _positions()["utilisables"],
         "C'est le nombre d'accidents AVEC une position utilisable : on veut ceux qui n'en ont pas."),
        (lambda: _positions()["impossibles"],
         "Ce sont seulement les positions impossibles : il faut aussi compter les cases vides du départ. "
         "latitude.isna().sum() compte les deux d'un coup."),
        (lambda: 2 * _positions()["sans_position"],
         "Tu as compté chaque accident deux fois (latitude et longitude) : une seule des deux suffit."),
        (lambda r, a: isinstance(r, float) and 0 < r < 1,
         "Ta réponse est une part (entre 0 et 1) : on veut un nombre d'accidents, avec .sum() plutôt que .mean()."),
    ],
    bravo="Bravo ! Ces accidents comptent toujours (ils ont eu lieu), mais on ne pourra pas les placer sur une carte.",
    lecon=LECON, numero=5,
)


# ------------------------------------------------------------------------------------------------
# Exercise 6 — the quality report
# ------------------------------------------------------------------------------------------------

PROBLEMES = [
    "codes, heure et position au format d'avant 2019",
    "département sans son zéro initial (2019–2020)",
    "position absente (case vide)",
    "position nulle ou hors de France",
    "numéro d'accident en double",
]
TRAITEMENTS = [
    "décodés (codes INSEE, heure, degrés)",
    "zéro remis devant (str.zfill)",
    "laissée vide (NaN)",
    "remplacée par une case vide (NaN)",
    "rien à faire",
]


def _rapport() -> pd.DataFrame:
    acc = _accidents()
    positions = _positions()
    lignes = [
        int(_avant(acc).sum()),
        int((acc["dep"].str.len() == 1).sum()),
        positions["vides"],
        positions["impossibles"],
        int(acc["Num_Acc"].duplicated().sum()),
    ]
    return pd.DataFrame({"problème": PROBLEMES, "lignes concernées": lignes, "ce qu'on a fait": TRAITEMENTS})


def _case(r: Any, ligne: int) -> Any:
    """The learner's « lignes concernées » value on a row of the report (None if unreadable)."""
    try:
        return r["lignes concernées"].iloc[ligne]
    except Exception:
        return None


q6 = QuestionAvecBrouillon(
    "Complète le rapport de qualité : le nombre de lignes concernées par chaque problème.",
    attendu=_rapport,
    comparaison=Tableau(colonnes=["problème", "lignes concernées"]),
    indices=[
        "(condition).sum() compte les lignes où la condition est vraie. Les lignes d'avant 2019 : "
        "accidents[\"annee\"] < 2019.",
        "Un département qui a perdu son zéro a un code dep d'un seul caractère : "
        "(accidents[\"dep\"].str.len() == 1).sum().",
    ],
    solution=('format_ancien = (accidents["annee"] < 2019).sum()\n'
              'sans_zero = (accidents["dep"].str.len() == 1).sum()'),
    erreurs_frequentes=[
        (lambda r: _case(r, 0) == int((_brut()["annee"] < 2019).sum()) != _rapport()["lignes concernées"].iloc[0],
         "Ton premier comptage porte sur tout le fichier brut (trois régions) : compte dans accidents, "
         "le tableau de ton territoire."),
        (lambda r: _case(r, 0) == int((_accidents()["annee"] >= 2019).sum()) != _rapport()["lignes concernées"].iloc[0],
         "Ton premier comptage compte les lignes de 2019–2020 : on veut celles d'avant 2019 (< 2019)."),
        (lambda r: _case(r, 1) == 0 != _rapport()["lignes concernées"].iloc[1],
         "Tu trouves 0 département sans zéro : as-tu compté dans la colonne departement, déjà réparée ? "
         "Compte dans la colonne dep, celle d'origine."),
        (lambda r: _case(r, 1) == int((_brut()["dep"].str.len() == 1).sum()) != _rapport()["lignes concernées"].iloc[1],
         "Ton deuxième comptage porte sur tout le fichier brut : compte dans accidents."),
    ],
    bravo=("Bravo ! Ce petit tableau dit à tout lecteur ce que tu as changé et pourquoi : c'est ce qui rend "
           "ton nettoyage digne de confiance."),
    lecon=LECON, numero=6,
)


# ------------------------------------------------------------------------------------------------
# Exercise 7 — agreement with the official clean version
# ------------------------------------------------------------------------------------------------

def _accords() -> dict[str, float]:
    c = _comparaison()
    meme_dep = c["departement"] == c["departement_officiel"]
    meme_com = c["commune"] == c["commune_officiel"]
    return {"accord": float((meme_dep & meme_com).mean() * 100), "nombre": int((meme_dep & meme_com).sum()),
            "desaccords": int((~(meme_dep & meme_com)).sum())}


q7 = Question(
    "Quelle part (en %) des accidents ont le même département et la même commune que dans la version officielle ?",
    attendu=lambda: _accords()["accord"],
    comparaison=Nombre(tolerance=0.01, unite="%"),
    indices=[
        "meme_commune se construit comme meme_departement, avec les colonnes commune et commune_officiel. "
        "« Les deux à la fois » s'écrit avec & : meme_departement & meme_commune.",
        "La part de True, c'est .mean() ; en pourcentage, multiplie par 100 : "
        "(meme_departement & meme_commune).mean() * 100.",
    ],
    solution=('meme_commune = comparaison["commune"] == comparaison["commune_officiel"]\n'
              "accord = (meme_departement & meme_commune).mean() * 100"),
    erreurs_frequentes=[
        (lambda r, a: isinstance(r, (int, float)) and not isinstance(r, bool) and 0 <= r <= 1 < a,
         "Ta réponse est une part entre 0 et 1 : multiplie-la par 100 pour l'avoir en pourcentage."),
        (lambda: _accords()["nombre"],
         "C'est un nombre d'accidents (.sum()) : on veut une part en %, avec .mean() * 100."),
        (lambda r, a: a != 0 and _accords()["desaccords"] != 0 and r == _accords()["desaccords"],
         "C'est le nombre de désaccords : on veut la part des accidents où les deux versions sont d'accord."),
    ],
    bravo=("Bravo ! Si tu trouves 100 %, notre nettoyage retrouve exactement les codes de la version officielle, "
           "accident par accident."),
    lecon=LECON, numero=7,
)


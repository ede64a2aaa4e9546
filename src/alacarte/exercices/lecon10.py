"""Lesson 10 — Projet : une affiche sur mon territoire: the questions and the small data they use.

The guided question is « Les femmes sont-elles bien représentées parmi les maires ? »
(``elus_parite``). Every expected value is computed from the shipped data at check time, so the
lesson follows the territory (régions 84, 53 and 94 are tested). The poster layout itself is
:mod:`alacarte.affiche`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from alacarte.affiche import A3_POINTS, DPI_PNG, licence_pdf, taille_pdf
from alacarte.donnees import charger
from alacarte.exercices import Choix, Nombre, Parties, Personnalise, Question, Tableau

LECON = "10"
COMPTES = ["conseillers_f", "conseillers_h", "adjoints_f", "adjoints_h", "maires_f", "maires_h",
           "maires_delegues_f", "maires_delegues_h"]


def _elus() -> pd.DataFrame:
    return charger("elus_parite")


def _avec_maire() -> pd.DataFrame:
    elus = _elus()
    return elus[elus["maires_f"] + elus["maires_h"] > 0]


def nb_sans_maire() -> int:
    """Communes whose mayor is not in the file (vacant seat, or no council at all)."""
    elus = _elus()
    return int((elus["maires_f"] + elus["maires_h"] == 0).sum())


def indicateur_epci(base: str = "maires") -> pd.DataFrame:
    """Per EPCI: maires, mairesses, part_femmes (%) — the indicator of the poster.

    ``base="communes"`` divides by the number of communes instead (the classic mistake).
    """
    elus = _elus()
    elus = elus.assign(maires=elus["maires_f"] + elus["maires_h"])
    table = elus.groupby("epci").agg(maires=("maires", "sum"), mairesses=("maires_f", "sum"),
                                     communes=("code", "size")).reset_index()
    diviseur = table["maires"] if base == "maires" else table["communes"]
    table["part_femmes"] = 100 * table["mairesses"] / diviseur
    return table[["epci", "maires", "mairesses", "part_femmes"]]


def indicateur_departement() -> pd.DataFrame:
    """Per département, the same indicator, sorted from the lowest share to the highest."""
    elus = _avec_maire()
    table = elus.groupby("departement").agg(maires=("code", "size"), mairesses=("maires_f", "sum")).reset_index()
    table["part_femmes"] = 100 * table["mairesses"] / table["maires"]
    return table.sort_values("part_femmes").reset_index(drop=True)


def chiffres_parite() -> dict:
    """The three key figures: number of women mayors, % of women among mayors, among all councillors."""
    elus = _elus()
    maires = int((elus["maires_f"] + elus["maires_h"]).sum())
    mairesses = int(elus["maires_f"].sum())
    femmes = int(elus[[c for c in COMPTES if c.endswith("_f")]].sum().sum())
    total = int(elus[COMPTES].sum().sum())
    return {"mairesses": mairesses, "part_maires": 100 * mairesses / maires, "part_elus": 100 * femmes / total}


def _cle(nom: str) -> float:
    c = chiffres_parite()
    return c[nom]


# -- exercise 1: the indicator -----------------------------------------------------------------

q1 = Question(
    "Pour comparer les intercommunalités (EPCI) entre elles, quel indicateur mettre sur la carte ?",
    attendu="b",
    comparaison=Choix(bonnes="b", options=["a", "b", "c", "d"], explications={
        "a": "Un nombre de mairesses dépend surtout du nombre de communes de l'EPCI : une grande intercommunalité "
             "en aura toujours plus. Pour comparer, il faut une part (un pourcentage).",
        "c": "Le nombre d'élus dit la taille des conseils municipaux, pas la place des femmes.",
        "d": "La population dit où vivent les gens, pas si les femmes sont maires.",
    }),
    indices=[
        "Les EPCI n'ont pas le même nombre de communes : 10 pour l'un, 100 pour l'autre.",
        "On compare des parts : sur 100 maires, combien sont des femmes ? C'est un pourcentage.",
    ],
    solution='reponse = "b"',
    lecon=LECON, numero=1,
)

# -- exercise 2: check the data ----------------------------------------------------------------

q2 = Question(
    "Combien de communes du territoire n'ont aucun maire (ni femme ni homme) dans le fichier ?",
    attendu=nb_sans_maire,
    comparaison=Nombre(unite="communes"),
    indices=[
        "Une commune sans maire a 0 dans maires_f ET 0 dans maires_h : leur somme vaut 0.",
        'Filtre : elus[elus["maires_f"] + elus["maires_h"] == 0], puis compte les lignes avec len(…) ou .shape[0].',
    ],
    solution='sans_maire = elus[elus["maires_f"] + elus["maires_h"] == 0]\nnb_sans_maire = len(sans_maire)',
    erreurs_frequentes=[
        (lambda: int((_elus()["elus_total"] == 0).sum()),
         "Ça, ce sont les communes sans aucun élu. Il y en a plus sans maire : cherche maires_f + maires_h == 0."),
        (lambda: int((_elus()["maires_f"] == 0).sum()),
         "Ça, ce sont les communes sans mairesse (dont toutes celles qui ont un homme maire). Il faut aussi "
         "maires_h == 0 : additionne les deux colonnes."),
        (lambda: int((_elus()["maires_h"] == 0).sum()),
         "Ça, ce sont les communes sans homme maire (dont celles qui ont une femme maire). Additionne maires_f et "
         "maires_h, puis garde les lignes où la somme vaut 0."),
        (lambda: len(_elus()),
         "C'est le nombre de toutes les communes : tu as oublié de filtrer."),
    ],
    bravo="Bravo ! Un siège de maire peut être vide quelques semaines (démission, décès, élection à refaire). "
          "On retire ces communes du calcul : sinon on compterait un « maire » qui n'existe pas.",
    lecon=LECON, numero=2,
)

# -- exercise 3: the indicator table -----------------------------------------------------------


def _part_en_fraction(r) -> bool:
    return isinstance(r, pd.DataFrame) and "part_femmes" in r.columns and len(r) and \
        pd.to_numeric(r["part_femmes"], errors="coerce").max() <= 1.0 < indicateur_epci()["part_femmes"].max()


def _meme_part(r, autre: pd.DataFrame) -> bool:
    try:
        a = r.sort_values("epci")["part_femmes"].to_numpy(dtype=float)
        b = autre.sort_values("epci")["part_femmes"].to_numpy(dtype=float)
        return len(a) == len(b) and abs(a - b).max() < 0.01
    except Exception:  # noqa: BLE001 - any odd answer
        return False


q3 = Question(
    "Ajoute à par_epci la colonne part_femmes : la part (%) des femmes parmi les maires de chaque EPCI.",
    attendu=indicateur_epci,
    comparaison=Tableau(colonnes=["epci", "maires", "mairesses", "part_femmes"], ignorer_ordre_lignes=True,
                        tolerance=0.01),
    indices=[
        "Une part en % : le nombre de mairesses ÷ le nombre de maires × 100, ligne par ligne.",
        'par_epci["part_femmes"] = 100 * par_epci["mairesses"] / par_epci["…"] : quelle colonne au dénominateur ?',
    ],
    solution='par_epci["part_femmes"] = 100 * par_epci["mairesses"] / par_epci["maires"]',
    erreurs_frequentes=[
        (_part_en_fraction,
         "Ta colonne part_femmes est entre 0 et 1 : c'est une fraction. Multiplie par 100 pour avoir des %."),
        (lambda r: _meme_part(r, indicateur_epci("communes")),
         "Tu as divisé par le nombre de communes. Mais certaines communes n'ont pas de maire en ce moment "
         "(exercice 2) : divise par la colonne maires, pas par communes."),
        (lambda r: isinstance(r, pd.DataFrame) and "epci" not in r.columns and r.index.name == "epci",
         "Le code de l'EPCI est resté dans l'index : ajoute .reset_index() après agg(…)."),
    ],
    lecon=LECON, numero=3,
)

# -- exercise 4: the key figures ---------------------------------------------------------------


def _parts_sur_communes() -> float:
    elus = _elus()
    return 100 * elus["maires_f"].sum() / len(elus)


q4 = Question(
    "Les trois chiffres clés : le nombre de mairesses, la part (%) des femmes parmi les maires, la part (%) des "
    "femmes parmi tous les élus municipaux.",
    attendu=lambda: chiffres_parite(),
    comparaison=Parties(
        mairesses=Nombre(unite="mairesses"),
        part_maires=Nombre(tolerance=0.05, unite="%"),
        part_elus=Nombre(tolerance=0.05, unite="%"),
    ),
    indices=[
        "mairesses : la somme de la colonne maires_f. part_maires : mairesses ÷ nombre de maires × 100. "
        "part_elus : toutes les femmes élues ÷ tous les élus × 100.",
        'Le nombre de maires : elus["maires"].sum(). Toutes les femmes élues : elus[colonnes_f].sum().sum(). Tous '
        'les élus : elus["elus_total"].sum().',
    ],
    solution=('mairesses = elus["maires_f"].sum()\n'
              'part_maires = 100 * mairesses / elus["maires"].sum()\n'
              'part_elus = 100 * elus[colonnes_f].sum().sum() / elus["elus_total"].sum()'),
    erreurs_frequentes=[
        (lambda r: isinstance(r, dict) and isinstance(r.get("part_maires"), (int, float))
         and abs(r["part_maires"] - _parts_sur_communes()) < 0.05 < abs(_parts_sur_communes() - _cle("part_maires")),
         "part_maires : tu as divisé par le nombre de communes. Certaines n'ont pas de maire : divise par "
         "maires_f + maires_h."),
        (lambda r: isinstance(r, dict) and isinstance(r.get("part_maires"), (int, float)) and r["part_maires"] < 1,
         "part_maires : c'est une fraction (entre 0 et 1). Multiplie par 100 pour avoir un pourcentage."),
        (lambda r: isinstance(r, dict) and isinstance(r.get("part_elus"), (int, float)) and r["part_elus"] < 1,
         "part_elus : c'est une fraction (entre 0 et 1). Multiplie par 100 pour avoir un pourcentage."),
    ],
    bravo="Bravo ! Compare tes deux pourcentages : presque la moitié des élus sont des femmes, mais bien moins "
          "des maires. La loi impose la parité sur les listes, pas pour le poste de maire.",
    lecon=LECON, numero=4,
)

# -- exercise 5: the poster files --------------------------------------------------------------


def verifier_affiche(nom) -> tuple[bool, str | None]:
    """The poster ``nom`` (without extension) exists as A3 PDF and PNG at ≥ 150 dpi, with a licence."""
    if not isinstance(nom, (str, Path)):
        return False, "Donne le nom de ton affiche, sans extension, par exemple \"mes_fichiers/mon-affiche\"."
    base = Path(nom)
    if base.suffix.lower() in (".pdf", ".png"):
        base = base.with_suffix("")
    pdf, png = base.with_name(base.name + ".pdf"), base.with_name(base.name + ".png")
    if not pdf.exists():
        return False, f"Je ne trouve pas {pdf} : as-tu exécuté affiche.enregistrer(…) avec ce nom ?"
    if not png.exists():
        return False, f"Je trouve {pdf.name} mais pas {png.name} : relance affiche.enregistrer(…)."
    largeur, hauteur = taille_pdf(pdf)
    if abs(largeur - A3_POINTS[0]) > 1 or abs(hauteur - A3_POINTS[1]) > 1:
        return False, (f"Ton PDF mesure {largeur / 72 * 25.4:.0f} × {hauteur / 72 * 25.4:.0f} mm : une affiche A3 "
                       "en portrait mesure 297 × 420 mm. Utilise Affiche(…).enregistrer(…) sans changer sa taille.")
    from PIL import Image

    with Image.open(png) as image:
        px_l, px_h = image.size
    if px_l < 297 / 25.4 * DPI_PNG - 2:
        return False, (f"Ton PNG fait {px_l} pixels de large : trop flou pour l'impression. Il en faut au moins "
                       f"{round(297 / 25.4 * DPI_PNG)} (150 points par pouce).")
    if abs(px_h / px_l - 420 / 297) > 0.01:
        return False, "Ton PNG n'a pas les proportions d'une feuille A3 portrait (297 × 420 mm)."
    if not licence_pdf(pdf):
        return False, "Je ne trouve pas la licence CC BY dans ton PDF."
    return True, None


q5 = Question(
    "Enregistre ton affiche, puis donne son nom (sans extension) : le PDF et le PNG sont-ils bien au format A3 ?",
    attendu="A3",
    comparaison=Personnalise(verifier_affiche),
    indices=[
        'affiche.enregistrer("mes_fichiers/mon-affiche") écrit deux fichiers : mon-affiche.pdf et mon-affiche.png.',
        'Donne ensuite le même nom à la vérification : q5.verifier("mes_fichiers/mon-affiche").',
    ],
    solution='chemins = affiche.enregistrer("mes_fichiers/mon-affiche")\nq5.verifier("mes_fichiers/mon-affiche")',
    bravo="Bravo ! Ton affiche est prête à imprimer en A3. Ouvre le PDF : c'est lui qu'on envoie à l'imprimeur.",
    lecon=LECON, numero=5,
)

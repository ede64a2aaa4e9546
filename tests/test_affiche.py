"""The A3 poster of lesson 10 (alacarte.affiche): page size, PNG, layout rules, French messages."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from alacarte import charger  # noqa: E402
from alacarte.affiche import A3_POINTS, DPI_PNG, Affiche, ErreurAffiche, licence_pdf, taille_pdf  # noqa: E402
from alacarte.cartes import habiller, sans_donnees  # noqa: E402


def _petite_figure():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b"], [1, 2])
    plt.close(fig)
    return fig


def test_une_vraie_affiche_a3(tmp_path):
    """A poster from the shipped data: A3 PDF, PNG at 150 dpi, not blank, licence in the PDF."""
    elus = charger("elus_parite", territoire="94")
    epci = charger("epci_contours", territoire="94").to_crs(2154)
    par_epci = elus.groupby("epci").agg(maires=("maires_h", "sum"), mairesses=("maires_f", "sum")).reset_index()
    par_epci["part"] = 100 * par_epci["mairesses"] / (par_epci["maires"] + par_epci["mairesses"])
    carte = epci.merge(par_epci, left_on="code", right_on="epci", how="left")
    fig, ax = plt.subplots(figsize=(6, 6))
    carte.plot(column="part", ax=ax, cmap="cividis", legend=True, missing_kwds=sans_donnees())
    habiller(ax, "Part des femmes parmi les maires", source="RNE 2026 ; IGN", legende="%")
    plt.close(fig)

    affiche = Affiche("Les femmes sont-elles bien représentées parmi les maires de Corse ?", "Mars 2026",
                      auteurs=["Test"])
    affiche.carte(fig, titre="Par EPCI").graphique(_petite_figure(), titre="Par département")
    affiche.chiffres_cles([("36", "femmes maires"), (10.0, "% des maires"), (46.6, "% des élus")])
    affiche.sources(["ministère de l'Intérieur, RNE (Licence Ouverte 2.0)"])
    chemins = affiche.enregistrer(tmp_path / "sous-dossier" / "mon-affiche")

    largeur, hauteur = taille_pdf(chemins["pdf"])
    assert largeur == pytest.approx(A3_POINTS[0], abs=0.5) and hauteur == pytest.approx(A3_POINTS[1], abs=0.5)
    assert largeur == pytest.approx(841.89, abs=0.05) and hauteur == pytest.approx(1190.55, abs=0.05)
    assert licence_pdf(chemins["pdf"])

    with Image.open(chemins["png"]) as image:
        px = np.asarray(image.convert("L"), dtype=float)
    h, w = px.shape
    assert w >= round(297 / 25.4 * DPI_PNG) - 1
    assert h / w == pytest.approx(420 / 297, rel=0.005)
    assert px.std() > 20  # not a blank page
    # the map zone holds something (not only white)
    assert (px[int(0.2 * h):int(0.55 * h)] < 200).mean() > 0.05


def test_geodataframe_dessinee(tmp_path):
    epci = charger("epci_contours", territoire="94")
    affiche = Affiche("Population des EPCI")
    affiche.carte(epci, colonne="population", legende="habitants", source="INSEE 2026")
    with pytest.raises(ErreurAffiche, match="colonne"):
        affiche.carte(epci)
    chemins = affiche.enregistrer(tmp_path / "a.pdf")  # the extension is dropped
    assert chemins["pdf"].name == "a.pdf" and chemins["png"].exists()


def test_regles_de_mise_en_page():
    with pytest.raises(ErreurAffiche, match="titre"):
        Affiche("")
    affiche = Affiche("Un titre " * 40)  # very long: wrapped and cut, never overflowing
    fig = affiche.figure()
    titre = fig.texts[0].get_text()
    assert titre.count("\n") <= 1 and titre.endswith("…")
    with pytest.raises(ErreurAffiche, match="3 au plus"):
        affiche.chiffres_cles([("1", "a"), ("2", "b"), ("3", "c"), ("4", "d")])
    with pytest.raises(ErreurAffiche, match="paire"):
        affiche.chiffres_cles(["12 %"])
    with pytest.raises(ErreurAffiche, match="figure matplotlib"):
        affiche.graphique("pas une figure")


def test_taille_pdf_refuse_un_faux_pdf(tmp_path):
    faux = tmp_path / "faux.pdf"
    faux.write_bytes(b"bonjour")
    with pytest.raises(ErreurAffiche, match="PDF"):
        taille_pdf(faux)

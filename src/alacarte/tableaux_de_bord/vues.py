"""HTML views of the computed figures (cards, charts, maps, exports) for the portrait dashboard.

Only presentation: the numbers come from ``portrait``; every string from data is escaped by the
helpers of ``interface``, ``graphiques`` and ``cartes``.
"""

from __future__ import annotations

import html

import pandas as pd

from alacarte.tableaux_de_bord import cartes, graphiques, interface, portrait
from alacarte.tableaux_de_bord.textes import ESPACE, nombre, pourcentage
from alacarte.territoires import NIVEAUX, Territoire

SOURCES_PORTRAIT = ["communes", "populations", "communes_contours", "mairies", "elus_parite", "accidents"]
DECIMALES = {"population_2026": 0, "evolution_2021_2026": 1, "densite": 0, "part_femmes_elus": 1,
             "part_femmes_maires": 1, "accidents_pour_1000": 1}


def _du(terr_niveau: str, nom: str) -> str:
    return {"region": "de la région", "departement": "du département", "epci": "de l'EPCI",
            "commune": "de la commune"}[terr_niveau] + f" {nom}"


def html_chiffres(k: portrait.ChiffresCles) -> str:
    """The key-figure cards of a territory."""
    c = []
    c.append(interface.carte_chiffre(
        "Population 2026", f"{nombre(k.population_2026)} hab.",
        "population municipale légale, millésime 2026", test_id="population"))
    note = "entre les millésimes 2021 et 2026"
    if k.communes_exclues_evolution:
        note += (f", hors {k.communes_exclues_evolution} commune(s) dont le périmètre a changé "
                 "(rétablissement de communes)")
    c.append(interface.carte_chiffre("Évolution depuis 2021", pourcentage(k.evolution_2021_2026, 1, signe=True),
                                     note, absent=k.evolution_2021_2026 is None, test_id="evolution"))
    if k.superficie_km2 is None:
        c.append(interface.carte_chiffre("Superficie et densité", "non disponible",
                                         "commune rétablie en 2025 : aucun contour ne la décrit encore",
                                         absent=True, test_id="superficie"))
    else:
        c.append(interface.carte_chiffre(
            "Superficie", f"{nombre(k.superficie_km2)} km²",
            "calculée sur les contours IGN simplifiés, en projection Lambert-93 (ou locale outre-mer)",
            test_id="superficie"))
        c.append(interface.carte_chiffre("Densité", f"{nombre(k.densite)} hab./km²", "population 2026 / superficie",
                                         test_id="densite"))
    c.append(interface.carte_chiffre("Nombre de communes", nombre(k.nb_communes), "communes au 1er janvier 2026",
                                     test_id="communes"))
    c.append(interface.carte_chiffre(
        "Mairies avec une information d'accessibilité", pourcentage(k.part_mairies_acces_renseigne, 0),
        f"information non renseignée dans la source : le champ vaut « NAC », sa valeur par défaut, pour les "
        f"{nombre(k.mairies)} mairies. Cela ne dit pas si elles sont accessibles.",
        absent=True, test_id="mairies"))
    c.append(interface.carte_chiffre(
        "Femmes parmi les élus municipaux", pourcentage(k.part_femmes_elus, 1),
        f"{nombre(k.elus_f)} sur {nombre(k.elus)} élus (mandats 2026)", test_id="femmes-elus"))
    note = f"{nombre(k.maires_f)} sur {nombre(k.maires)} maires"
    if k.communes_sans_maire:
        note += f" ; {nombre(k.communes_sans_maire)} commune(s) sans maire enregistré"
    c.append(interface.carte_chiffre("Femmes parmi les maires", pourcentage(k.part_femmes_maires, 1), note,
                                     test_id="femmes-maires"))
    comps = " · ".join(f"{cp['libelle']} ({cp['nom']}) : {nombre(cp['accidents_pour_1000'], 1)}"
                       for cp in k.comparaisons)
    c.append(interface.carte_chiffre(
        f"Accidents corporels {portrait.PERIODE_ACCIDENTS} pour 1 000 habitants",
        nombre(k.accidents_pour_1000, 1),
        f"{nombre(k.accidents_5ans)} accidents en 5 ans (population légale 2021). Comparaison : {comps}",
        absent=k.accidents_pour_1000 is None, test_id="accidents"))
    terr = html.escape(f"{k.niveau}:{k.code}")
    titre = html.escape(f"{NIVEAUX[k.niveau]} {k.nom} ({k.code})")
    return (f'<div class="alc" data-territoire="{terr}"><h2 data-test="titre">{titre}</h2>'
            f'<div class="alc-cartes">{"".join(c)}</div></div>')


def html_population(terr: Territoire) -> str:
    s = portrait.series_population(terr)
    vals = [0 if pd.isna(v) else float(v) for v in s["population"]]
    png = graphiques.barres(s["millesime"].tolist(), vals, f"Population – {terr.nom}", "habitants")
    phrases = [f"{m} : {nombre(v)} habitants" for m, v in zip(s["millesime"], vals, strict=True)]
    resume = "Population légale par millésime, sur le périmètre des communes de 2026 : " + " ; ".join(phrases) + "."
    if not s["complet"].all():
        resume += " Une partie des communes (rétablies récemment) n'a pas de population aux anciens millésimes."
    return graphiques.html_graphique(png, "Population sur trois millésimes", resume,
                                     f"population-{terr.niveau}-{terr.code}.png")


def carte_sous_unites(terr: Territoire, indicateur: str, hauteur: int = 420) -> dict:
    """{"html", "legende", "resume", "gdf", "bornes", "palette"} for the choropleth of the sub-units."""
    gdf = portrait.sous_unites(terr)
    titre = portrait.INDICATEURS[indicateur]
    dec = DECIMALES[indicateur]
    res = cartes.carte_choroplethe(gdf, indicateur, titre, decimales=dec,
                                   divergent=indicateur in portrait.DIVERGENTS, hauteur=hauteur,
                                   cle=f"{terr.niveau}:{terr.code}|{indicateur}")
    niveau = gdf.attrs["niveau"]
    sous = portrait.LIBELLE_SOUS_NIVEAU[niveau]
    if terr.niveau == "commune":
        cadre = f"les {len(gdf)} communes de son EPCI (la commune choisie est entourée de noir)"
    else:
        cadre = f"les {len(gdf)} {sous} {_du(terr.niveau, terr.nom)}"
    v = pd.to_numeric(gdf[indicateur], errors="coerce")
    resume = f"Carte : {titre.lower()} pour {cadre}."
    if v.notna().any():
        hi, lo = gdf.loc[v.idxmax()], gdf.loc[v.idxmin()]
        resume += (f" Valeur la plus forte : {hi['nom']} ({nombre(hi[indicateur], dec)}) ; "
                   f"la plus faible : {lo['nom']} ({nombre(lo[indicateur], dec)}).")
    if gdf.attrs.get("sans_contour"):
        resume += f" Sans contour (non dessinées) : {', '.join(gdf.attrs['sans_contour'])}."
    res.update(resume=resume, gdf=gdf)
    return res


def csv_chiffres(k: portrait.ChiffresCles) -> bytes:
    """Key figures as a CSV for a spreadsheet (semicolon, decimal comma, UTF-8 with BOM)."""
    return k.en_tableau().to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def csv_sous_unites(gdf) -> bytes:
    cols = ["code", "nom", *portrait.INDICATEURS, "superficie_km2", "accidents_5ans"]
    return pd.DataFrame(gdf[cols]).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def source_carte() -> str:
    return ("Sources : INSEE, DGCL, IGN ADMIN EXPRESS, ministère de l'Intérieur, DILA, ONISR (Licence Ouverte 2.0)"
            f"{ESPACE}— « Des données à la carte »")


# --------------------------------------------------------------------------------------------
# road safety
# --------------------------------------------------------------------------------------------

SOURCES_SECURITE = ["accidents", "accidents_usagers", "communes", "populations", "communes_contours"]


def html_bilan_securite(terr: Territoire, b, annees: tuple[int, int], gravites) -> str:
    from alacarte.tableaux_de_bord import securite

    periode = f"{annees[0]}–{annees[1]}" if annees[0] != annees[1] else str(annees[0])
    filtre = "toutes gravités" if set(gravites) == set(securite.GRAVITES) else "accidents " + ", ".join(gravites)
    c = [
        interface.carte_chiffre("Accidents corporels", nombre(b.accidents), f"{periode}, {filtre}", test_id="accidents"),
        interface.carte_chiffre("Personnes tuées", nombre(b.tues), "décédées dans les 30 jours", test_id="tues"),
        interface.carte_chiffre("Blessés hospitalisés", nombre(b.hospitalises),
                                "plus de 24 h ; série rompue en 2018 (voir plus bas)", test_id="hospitalises"),
        interface.carte_chiffre("Blessés légers", nombre(b.blesses_legers), "", test_id="legers"),
        interface.carte_chiffre("Accidents localisés", pourcentage(100 * b.avec_coordonnees / b.accidents if b.accidents
                                                                  else None, 0),
                                f"{nombre(b.avec_coordonnees)} avec des coordonnées (presque aucune avant 2015)",
                                test_id="localises"),
    ]
    t = html.escape(f"{NIVEAUX[terr.niveau]} {terr.nom} ({terr.code})")
    cle = html.escape(f"{terr.niveau}:{terr.code}|{annees[0]}-{annees[1]}|{len(gravites)}")
    return (f'<div class="alc" data-territoire="{html.escape(terr.niveau + ":" + terr.code)}" data-filtre="{cle}">'
            f'<h2 data-test="titre">{t}</h2><div class="alc-cartes">{"".join(c)}</div></div>')


def html_graphiques_securite(terr: Territoire, b) -> str:
    from alacarte.tableaux_de_bord import securite

    figs = []
    annees = [str(a) for a in b.par_annee.index]
    empile = {g: b.par_annee[g].tolist() for g in securite.GRAVITES if b.par_annee[g].sum() > 0}
    png = graphiques.barres(annees, b.par_annee.sum(axis=1).tolist(), "Accidents par année et gravité", "accidents",
                            empile=empile or None, couleurs=graphiques.COULEURS_GRAVITE, rotation=45)
    res = graphiques.resume_serie(annees, b.par_annee.sum(axis=1).tolist(), "accidents", "Accidents par année")
    parts = [f"{g} {nombre(b.par_annee[g].sum())}" for g in securite.GRAVITES]
    res += " Par gravité : " + ", ".join(parts) + "."
    figs.append(graphiques.html_graphique(png, "Accidents par année et gravité", res, f"accidents-annees-{terr.code}.png"))
    heures = [f"{h}" for h in range(24)]
    png = graphiques.barres(heures, b.par_heure.tolist(), "Accidents par heure de la journée", "accidents",
                            couleur=graphiques.OKABE_ITO[0])
    res = graphiques.resume_serie([f"{h} h" for h in range(24)], b.par_heure.tolist(), "accidents",
                                  "Accidents par heure")
    figs.append(graphiques.html_graphique(png, "Accidents par heure", res, f"accidents-heures-{terr.code}.png"))
    png = graphiques.barres([j[:3] + "." for j in b.par_jour.index], b.par_jour.tolist(),
                            "Accidents par jour de la semaine", "accidents", couleur=graphiques.OKABE_ITO[1])
    res = graphiques.resume_serie(list(b.par_jour.index), b.par_jour.tolist(), "accidents", "Accidents par jour")
    figs.append(graphiques.html_graphique(png, "Accidents par jour de la semaine", res,
                                          f"accidents-jours-{terr.code}.png"))
    pc = b.par_categorie
    if len(pc):
        cats = [c.replace("piéton en roller ou en trottinette", "roller/trott.") for c in pc.index]
        png = graphiques.barres(cats, pc.sum(axis=1).tolist(), "Victimes par catégorie d'usager", "personnes",
                                empile={g: pc[g].tolist() for g in pc.columns},
                                couleurs={"tué": "#000000", "blessé hospitalisé": "#CC79A7", "blessé léger": "#009E73"})
        res = "Victimes par catégorie d'usager : " + " ; ".join(
            f"{cat} : {nombre(row['tué'])} tués, {nombre(row['blessé hospitalisé'])} hospitalisés, "
            f"{nombre(row['blessé léger'])} blessés légers" for cat, row in pc.iterrows()) + "."
    else:
        png = graphiques.barres(["aucune"], [0], "Victimes par catégorie d'usager", "personnes")
        res = "Aucune victime pour ces filtres."
    figs.append(graphiques.html_graphique(png, "Victimes par catégorie d'usager", res,
                                          f"victimes-categories-{terr.code}.png"))
    return f'<div class="alc alc-graphiques">{"".join(figs)}</div>'


def carte_securite(terr: Territoire, annees: tuple[int, int], gravites, hauteur: int = 440) -> dict:
    from alacarte.tableaux_de_bord import securite

    gdf = securite.taux_par_unite(terr, annees, gravites)
    pts, n = securite.points(terr, annees, gravites)
    periode = f"{annees[0]}–{annees[1]}"
    titre = f"Accidents {periode} pour 1 000 habitants"
    res = cartes.carte_choroplethe(gdf, "taux", titre, decimales=1, palette=cartes.SEQUENTIELLE_CHAUDE,
                                   hauteur=hauteur, points=pts,
                                   cle=f"{terr.niveau}:{terr.code}|{annees[0]}-{annees[1]}|{len(gravites)}")
    unite = "départements" if gdf.attrs["niveau"] == "departement" else "communes"
    v = pd.to_numeric(gdf["taux"], errors="coerce")
    resume = f"Carte du taux d'accidents {periode} (population légale 2021) des {len(gdf)} {unite}."
    if v.notna().any():
        hi = gdf.loc[v.idxmax()]
        resume += f" Le plus élevé : {hi['nom']} ({nombre(hi['taux'], 1)} pour 1 000 habitants)."
    if len(pts):
        resume += f" Points : les {nombre(n)} accidents localisés (noir : mortel, violet : grave, vert : léger)."
    elif n > securite.MAX_POINTS:
        resume += (f" {nombre(n)} accidents localisés : trop pour les afficher un par un ; réduisez la période, "
                   "la gravité ou choisissez un territoire plus petit pour voir les points.")
    points_legende = ('<ul><li><span class="alc-pastille" style="background:#000" aria-hidden="true"></span>mortel</li>'
                      '<li><span class="alc-pastille" style="background:#CC79A7" aria-hidden="true"></span>grave non '
                      'mortel</li><li><span class="alc-pastille" style="background:#009E73" aria-hidden="true">'
                      '</span>léger</li></ul>') if len(pts) else ""
    res.update(resume=resume, gdf=gdf, points=len(pts), legende=res["legende"] + points_legende)
    return res


PROBLEMES_SECURITE = (
    "À savoir : les blessés hospitalisés ne sont plus une statistique labellisée depuis 2018 et leur nombre chute "
    "d'un coup cette année-là (série rompue) ; 2020 est une année atypique (confinements) ; avant 2015, la plupart "
    "des accidents n'ont pas de coordonnées (aucune en 2009). Le territoire d'un accident est sa commune de 2026 "
    "(département et région tels que saisis pour les départements et régions)."
)


# --------------------------------------------------------------------------------------------
# your data on the map
# --------------------------------------------------------------------------------------------

def html_lecture(lecture, nom_fichier: str) -> str:
    t = (f"Fichier « {nom_fichier} » lu : {len(lecture.table)} ligne(s) de données, {len(lecture.table.columns)} "
         f"colonnes, encodage {lecture.encodage}, séparateur : {lecture.nom_separateur}.")
    out = interface.message(t, "ok")
    for a in lecture.avertissements:
        out += interface.message(a, "info")
    return f'<div class="alc" data-test="lecture">{out}</div>'


def html_non_apparies(app, limite: int = 200) -> str:
    non = app.non_apparies
    if non.empty:
        return '<div class="alc" data-test="non-apparies"><p>Toutes les lignes ont trouvé leur commune.</p></div>'
    lignes = "".join(f"<tr><td>{int(r.ligne)}</td><td>{html.escape(str(r.saisi))}</td><td>{html.escape(str(r.raison))}"
                      "</td></tr>" for r in non.head(limite).itertuples())
    plus = f"<p>… et {len(non) - limite} autres (toutes dans le CSV ci-dessous).</p>" if len(non) > limite else ""
    csv_non = non.to_csv(sep=";", index=False).encode("utf-8-sig")
    lien = interface.lien_telechargement(csv_non, "lignes-non-rattachees.csv", "text/csv",
                                         "Télécharger la liste des lignes non rattachées (CSV)")
    return (f'<div class="alc" data-test="non-apparies"><h2>Lignes non rattachées ({len(non)})</h2>'
            '<div class="alc-defile"><table class="alc-tableau"><caption class="alc-resume">Numéro de ligne dans le '
            'fichier (l\'en-tête est la ligne 1), ce qui était écrit, raison probable</caption><thead><tr>'
            f'<th scope="col">ligne</th><th scope="col">saisi</th><th scope="col">raison probable</th></tr></thead>'
            f"<tbody>{lignes}</tbody></table></div>{plus}<p>{lien}</p></div>")


def carte_vos_donnees(gdf, titre: str, hauteur: int = 440) -> dict:
    res = cartes.carte_choroplethe(gdf, "valeur", titre, decimales=1, hauteur=hauteur, cle=f"{len(gdf)}")
    v = pd.to_numeric(gdf["valeur"], errors="coerce")
    resume = f"Carte de « {titre} » pour {len(gdf)} commune(s)."
    if v.notna().any():
        hi, lo = gdf.loc[v.idxmax()], gdf.loc[v.idxmin()]
        resume += (f" Valeur la plus forte : {hi['nom']} ({nombre(hi['valeur'], 1)}) ; la plus faible : "
                   f"{lo['nom']} ({nombre(lo['valeur'], 1)}).")
    res.update(resume=resume)
    return res

"""« Vos données sur la carte »: read an uploaded CSV in memory, join it with the official commune list.

Everything happens on the bytes the browser sent (``FileUpload.value``): nothing is written to
disk. Every refusal is a ``FichierRefuse`` whose message is a French sentence for the user.

    lecture = lire(contenu, "mon-fichier.csv")     # encoding, separator, header, rows
    app = apparier(lecture.table, "code_insee", "valeur")
    app.apparies       # code, nom, departement, valeur, ligne
    app.non_apparies   # ligne, saisi, raison
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field

import pandas as pd

from alacarte.erreurs import normaliser

TAILLE_MAX = 10_000_000  # bytes (10 Mo); checked before anything is decoded
LIGNES_MAX = 100_000

ENCODAGES = [("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252 (Excel français)"), ("latin-1", "Latin-1 (ISO-8859-1)")]
SIGNATURES = [
    (b"PK\x03\x04", "un classeur Excel (.xlsx), un document LibreOffice (.ods) ou une archive .zip"),
    (b"\xd0\xcf\x11\xe0", "un ancien classeur Excel (.xls)"),
    (b"%PDF", "un document PDF"),
    (b"\x89PNG", "une image PNG"),
    (b"\xff\xd8\xff", "une image JPEG"),
    (b"GIF8", "une image GIF"),
    (b"\x1f\x8b", "une archive compressée (.gz)"),
    (b"PAR1", "un fichier Parquet"),
]
CONSEIL_CSV = "Dans votre tableur : Fichier › Enregistrer sous… › type « CSV », puis déposez ce fichier CSV."


class FichierRefuse(ValueError):
    """The upload cannot be used; ``str(exc)`` is the French message shown to the user."""


@dataclass
class Lecture:
    table: pd.DataFrame          # every cell as text, columns = header (deduplicated)
    encodage: str
    separateur: str
    avertissements: list[str] = field(default_factory=list)

    @property
    def nom_separateur(self) -> str:
        return {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}.get(
            self.separateur, repr(self.separateur))


def _taille(n: int) -> str:
    return f"{n / 1e6:.1f} Mo".replace(".", ",")


def decoder(contenu: bytes) -> tuple[str, str]:
    """(text, encoding label). Tries UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252, Latin-1."""
    if contenu.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return contenu.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in contenu[:4096]:
        raise FichierRefuse("Ce fichier n'est pas un fichier texte (il contient des octets nuls : c'est un fichier "
                            f"binaire). {CONSEIL_CSV}")
    for codec, libelle in ENCODAGES:
        try:
            texte = contenu.decode(codec)
        except UnicodeDecodeError:
            continue
        # control characters other than tab and line breaks: a binary file or an unknown encoding
        controles = sum(1 for ch in texte[:20000] if (ord(ch) < 32 and ch not in "\t\r\n") or 0x80 <= ord(ch) < 0xA0)
        if controles > max(2, len(texte[:20000]) // 200):
            continue
        return texte, libelle
    raise FichierRefuse("Ce fichier n'est pas un texte lisible (encodage inconnu ou fichier binaire). "
                        f"Enregistrez-le en CSV « UTF-8 » ou « Windows » depuis votre tableur. {CONSEIL_CSV}")


def deviner_separateur(texte: str) -> str:
    echantillon = "\n".join(texte.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(echantillon, delimiters=";,\t|").delimiter
    except csv.Error:
        entete = texte.splitlines()[0] if texte.splitlines() else ""
        comptes = {s: entete.count(s) for s in ";,\t|"}
        meilleur = max(comptes, key=comptes.get)
        return meilleur if comptes[meilleur] else ";"


def _noms_uniques(entete: list[str]) -> tuple[list[str], list[str]]:
    noms, vus, doublons = [], {}, []
    for i, brut in enumerate(entete):
        nom = str(brut).strip() or f"colonne {i + 1}"
        if nom in vus:
            vus[nom] += 1
            doublons.append(nom)
            nom = f"{nom} ({vus[nom]})"
        else:
            vus[nom] = 1
        noms.append(nom)
    return noms, sorted(set(doublons))


def verifier_taille(taille: int) -> None:
    """Refuse an empty or too big file from its size alone (before reading any byte)."""
    if not taille:
        raise FichierRefuse("Le fichier est vide (0 octet). Vérifiez que vous avez déposé le bon fichier.")
    if taille > TAILLE_MAX:
        raise FichierRefuse(f"Le fichier pèse {_taille(taille)} : la limite est {_taille(TAILLE_MAX)}. "
                            "Gardez seulement la colonne des communes et celle des valeurs, ou découpez le fichier.")


def lire(contenu: bytes, nom_fichier: str = "") -> Lecture:
    """Read an uploaded CSV held in memory; raises FichierRefuse with a French message."""
    verifier_taille(len(contenu or b""))
    for magie, quoi in SIGNATURES:
        if contenu.startswith(magie):
            raise FichierRefuse(f"Ce fichier est {quoi}, pas un fichier CSV. {CONSEIL_CSV}")
    texte, encodage = decoder(contenu)
    if not texte.strip():
        raise FichierRefuse("Le fichier ne contient que des espaces ou des lignes vides : aucune donnée.")
    sep = deviner_separateur(texte)
    try:
        lignes = list(csv.reader(io.StringIO(texte), delimiter=sep))
    except csv.Error as exc:
        raise FichierRefuse("Le fichier n'a pas pu être lu comme un tableau CSV (guillemets mal fermés ?). "
                            f"{CONSEIL_CSV}") from exc
    lignes = [ligne for ligne in lignes if any(c.strip() for c in ligne)]
    if not lignes:
        raise FichierRefuse("Le fichier ne contient aucune ligne lisible.")
    noms, doublons = _noms_uniques(lignes[0])
    donnees = lignes[1:]
    if not donnees:
        raise FichierRefuse("Le fichier ne contient que la ligne d'en-tête (les noms des colonnes) : aucune ligne "
                            "de données.")
    if len(donnees) > LIGNES_MAX:
        raise FichierRefuse(f"Le fichier a {len(donnees):,} lignes : la limite est {LIGNES_MAX:,}.".replace(",", " "))
    if len(noms) < 2:
        raise FichierRefuse("Une seule colonne a été trouvée. Il faut au moins une colonne de codes (ou de noms) "
                            "de communes et une colonne de valeurs, séparées par des points-virgules ou des virgules.")
    avert = []
    if doublons:
        avert.append("Plusieurs colonnes portent le même nom (" + ", ".join(f"« {d} »" for d in doublons)
                     + ") : elles sont numérotées « (2) », « (3) »… pour les distinguer.")
    n = len(noms)
    irregulieres = sum(1 for ligne in donnees if len(ligne) != n)
    if irregulieres:
        avert.append(f"{irregulieres} ligne(s) n'ont pas {n} colonnes : les cellules manquantes sont vides, "
                     "les cellules en trop sont ignorées.")
    donnees = [(ligne + [""] * n)[:n] for ligne in donnees]
    table = pd.DataFrame(donnees, columns=noms, dtype="string")
    table.index = pd.RangeIndex(2, len(table) + 2, name="ligne")  # line numbers as in the file (header = 1)
    return Lecture(table=table, encodage=encodage, separateur=sep, avertissements=avert)


# --------------------------------------------------------------------------------------------
# joining with the commune list
# --------------------------------------------------------------------------------------------

_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def _reference():
    from alacarte.tableaux_de_bord import preparation as prep

    c = prep.communes()
    return c


def _index_noms():
    c = _reference()
    noms = {}
    for code, nom in zip(c["code"], c["nom"], strict=True):
        noms.setdefault(normaliser(nom), []).append(code)
    return noms


def _anciens_codes() -> dict[str, str]:
    from alacarte.donnees import chemin

    p = pd.read_parquet(chemin("populations"), columns=["code", "communes_fusionnees"])
    out = {}
    for code, anciens in zip(p["code"], p["communes_fusionnees"].fillna(""), strict=True):
        for a in str(anciens).split():
            if a != code:
                out[a] = code
    return out


def _codes_postaux() -> dict[str, list[str]]:
    from alacarte.donnees import chemin

    c = pd.read_parquet(chemin("communes"), columns=["code", "codes_postaux"])
    out: dict[str, list[str]] = {}
    for code, cps in zip(c["code"], c["codes_postaux"].fillna(""), strict=True):
        for cp in str(cps).split():
            out.setdefault(cp, []).append(code)
    return out


_caches: dict[str, object] = {}


def _cache(nom, f):
    if nom not in _caches:
        _caches[nom] = f()
    return _caches[nom]


def normaliser_code(saisi: str) -> tuple[str, bool]:
    """'1001' -> ('01001', True); '01001.0' -> ('01001', False); ' 2a004 ' -> ('2A004', False)."""
    s = str(saisi).strip().upper().replace(" ", "")
    if re.fullmatch(r"\d+\.0+", s):
        s = s.split(".")[0]
    if re.fullmatch(r"\d{4}", s):
        return "0" + s, True
    return s, False


def nombre_fr(texte: str) -> float | None:
    """'1 234,5' -> 1234.5 ; '12.5' -> 12.5 ; '' or 'abc' -> None."""
    s = str(texte).strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not s:
        return None
    if s.endswith("%"):
        s = s[:-1]
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") else s.replace(",", "")
    else:
        s = s.replace(",", ".")
    try:
        v = float(s)
    except ValueError:
        return None
    return v if v == v and abs(v) != float("inf") else None


@dataclass
class Appariement:
    apparies: pd.DataFrame       # ligne, code, nom, departement, valeur
    non_apparies: pd.DataFrame   # ligne, saisi, raison
    zeros_ajoutes: int
    par_nom: int

    @property
    def resume(self) -> str:
        n, k = len(self.apparies), len(self.non_apparies)
        t = f"{n} ligne(s) rattachée(s) à une commune, {k} ligne(s) non rattachée(s)."
        if self.zeros_ajoutes:
            t += f" {self.zeros_ajoutes} code(s) à 4 chiffres complété(s) par un zéro initial (1001 → 01001)."
        if self.par_nom:
            t += f" {self.par_nom} ligne(s) reconnue(s) par le nom de la commune."
        return t


def colonnes_probables(table: pd.DataFrame) -> tuple[str | None, str | None]:
    """Best guesses for the commune column (codes or names) and the value column."""
    c = _reference()
    codes = set(c["code"])
    noms = _cache("noms", _index_noms)
    meilleur, score_max = None, 0.0
    for col in table.columns:
        echantillon = table[col].head(200)
        sc = sum(1 for v in echantillon if normaliser_code(v)[0] in codes or normaliser(v) in noms)
        sc = sc / max(1, len(echantillon))
        if any(m in normaliser(col) for m in ("insee", "code", "commune", "codgeo", "com")):
            sc += 0.1
        if sc > score_max:
            meilleur, score_max = col, sc
    valeur = None
    for col in table.columns:
        if col == meilleur:
            continue
        echantillon = table[col].head(200)
        if sum(nombre_fr(v) is not None for v in echantillon) >= 0.8 * max(1, len(echantillon)):
            valeur = col
            break
    return (meilleur if score_max > 0 else None), valeur


def apparier(table: pd.DataFrame, colonne_code: str, colonne_valeur: str) -> Appariement:
    """Join the rows with the 2026 communes by code (or by name); list the rows that do not match."""
    c = _reference()
    codes = set(c["code"])
    noms = _cache("noms", _index_noms)
    anciens = _cache("anciens", _anciens_codes)
    postaux = _cache("postaux", _codes_postaux)
    ok, ko = [], []
    vus: dict[str, int] = {}
    zeros = par_nom = 0
    for ligne, saisi, brut_valeur in zip(table.index, table[colonne_code].fillna(""),
                                         table[colonne_valeur].fillna(""), strict=True):
        saisi = str(saisi)
        code, zero = normaliser_code(saisi)
        raison = None
        trouve = None
        if not saisi.strip():
            raison = "cellule vide : pas de commune"
        elif code in codes:
            trouve = code
        elif _CODE.fullmatch(code) or code.isdigit():
            if code in anciens:
                n = anciens[code]
                raison = f"ancien code : commune fusionnée dans {n} {c.loc[n, 'nom']} (utilisez le code {n})"
            elif code in postaux:
                cibles = postaux[code]
                liste = ", ".join(f"{x} {c.loc[x, 'nom']}" for x in cibles[:3]) + ("…" if len(cibles) > 3 else "")
                raison = f"code postal, pas un code INSEE (code(s) INSEE : {liste})"
            elif len(code) < 4 or len(code) > 5:
                raison = f"code de {len(code)} chiffres : un code commune INSEE en a 5"
            else:
                raison = "code inconnu dans la liste des communes 2026"
        else:
            cands = noms.get(normaliser(saisi), [])
            if len(cands) == 1:
                trouve = cands[0]
                par_nom += 1
            elif len(cands) > 1:
                deps = ", ".join(sorted({str(c.loc[x, "departement"]) for x in cands}))
                raison = f"nom porté par {len(cands)} communes (départements {deps}) : utilisez le code INSEE"
            else:
                proches = difflib.get_close_matches(normaliser(saisi), list(noms), n=1, cutoff=0.85)
                raison = "nom de commune inconnu" + (f" (vouliez-vous dire « {c.loc[noms[proches[0]][0], 'nom']} » ?)"
                                                      if proches else "")
        if trouve is not None:
            valeur = nombre_fr(brut_valeur)
            if valeur is None:
                raison = ("valeur vide" if not str(brut_valeur).strip()
                          else f"valeur non numérique « {str(brut_valeur)[:40]} »")
            elif trouve in vus:
                raison = f"commune déjà présente à la ligne {vus[trouve]} : ligne ignorée"
            else:
                vus[trouve] = int(ligne)
                zeros += int(zero)
                ok.append((int(ligne), trouve, valeur))
                continue
        ko.append((int(ligne), saisi[:60], raison))
    app = pd.DataFrame(ok, columns=["ligne", "code", "valeur"])
    app["nom"] = app["code"].map(c["nom"]).astype("string")
    app["departement"] = app["code"].map(c["departement"]).astype("string")
    non = pd.DataFrame(ko, columns=["ligne", "saisi", "raison"])
    return Appariement(apparies=app[["ligne", "code", "nom", "departement", "valeur"]], non_apparies=non,
                       zeros_ajoutes=zeros, par_nom=par_nom)


MAX_COMMUNES_CARTE = 3000


def a_cartographier(app: Appariement, departement: str | None = None):
    """GeoDataFrame of the matched communes to draw (one département when there are too many)."""
    import geopandas as gpd

    from alacarte.tableaux_de_bord import preparation as prep

    sel = app.apparies
    if departement:
        sel = sel[sel["departement"] == departement]
    sel = sel.head(MAX_COMMUNES_CARTE)
    geo = prep.contours("commune", tuple(sorted(sel["code"])))
    out = gpd.GeoDataFrame(sel.set_index("code").join(geo[["geometry"]], how="inner"), geometry="geometry",
                           crs=geo.crs)
    out["code"] = out.index.astype(str)
    return out.reset_index(drop=True)


def departements_presents(app: Appariement) -> list[tuple[str, int]]:
    vc = app.apparies["departement"].value_counts()
    return [(str(k), int(v)) for k, v in vc.items()]


def prechauffer() -> None:
    """Build the lookup tables (names, old codes, postal codes) and open the commune polygons once
    now: in a pre-heated kernel this is paid before any viewer arrives, and the first upload answers
    at once (measured in-process: lookup tables 5.5 s, first polygon read 0.6 s, then 0.2 s per upload)."""
    from alacarte.tableaux_de_bord import preparation as prep

    _reference()
    _cache("noms", _index_noms)
    _cache("anciens", _anciens_codes)
    _cache("postaux", _codes_postaux)
    prep.contours("commune", ("75056",))  # imports geopandas and shapely, reads the file's metadata

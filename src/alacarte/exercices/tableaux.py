"""Table comparisons: pandas DataFrame/Series (:class:`Tableau`) and GeoDataFrame (:class:`TableauGeo`).

The checks run from the most basic to the finest, and the first problem found is reported:
type of the answer, index, missing columns, number of rows, extra columns, kinds of columns (codes
kept as text!), then the values, with one differing row shown as an example.
"""

from __future__ import annotations

from typing import Any

from alacarte.erreurs import proches
from alacarte.exercices._texte import citer, enumerer, nombre_fr, ordinal, pluriel, reponse_est
from alacarte.exercices.comparaisons import Comparaison, Verdict, _egal, _est_manquant, _scalaire, message_type

__all__ = ["Tableau", "TableauGeo"]

_NOMS_CODES_INSEE = {"code", "code_insee", "codgeo", "insee", "com", "code_commune", "commune_code", "departement",
                     "code_departement", "dep", "region", "code_region", "reg", "arrondissement", "code_postal",
                     "codes_postaux", "cog"}
_NATURES = {"texte": "du texte", "nombre": "des nombres", "booleen": "des booléens (True/False)",
            "date": "des dates", "geometrie": "des géométries", "autre": "des valeurs"}


def _nature(serie) -> str:
    """Kind of a column: texte, nombre, booleen, date, geometrie, vide or autre."""
    import pandas as pd

    dtype = serie.dtype
    if str(dtype) == "geometry":
        return "geometrie"
    if isinstance(dtype, pd.CategoricalDtype):
        return _nature(pd.Series(serie.cat.categories))
    if pd.api.types.is_bool_dtype(dtype):
        return "booleen"
    if pd.api.types.is_numeric_dtype(dtype):
        return "nombre"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "date"
    inferee = pd.api.types.infer_dtype(serie, skipna=True)
    return {"string": "texte", "integer": "nombre", "floating": "nombre", "mixed-integer-float": "nombre",
            "decimal": "nombre", "boolean": "booleen", "datetime": "date", "datetime64": "date", "date": "date",
            "empty": "vide"}.get(inferee, "autre")


def _triable(serie):
    """A sort key for a column that may mix types (sorting falls back to the text form)."""
    return serie.map(lambda v: (0, "") if _est_manquant(v) else (1, str(v)))


class Tableau(Comparaison):
    """A pandas DataFrame or Series.

    colonnes: check only these columns (others in the answer are ignored); by default every
      expected column, and no extra one.
    verifier_types: the kind of each column must match (text, number, boolean, date): codes
      stored as numbers are the classic trap.
    ignorer_index: compare values only, not the index labels (the default).
    ignorer_ordre_lignes: rows may come in any order (else the order is checked, with a tip).
    ignorer_ordre_colonnes: columns may come in any order (the default).
    tolerance / relative: absolute / relative tolerance for numeric columns.
    """

    _objet = "table"

    def __init__(self, colonnes: list[str] | None = None, verifier_types: bool = True, ignorer_index: bool = True,
                 ignorer_ordre_lignes: bool = False, ignorer_ordre_colonnes: bool = True, tolerance: float = 1e-6,
                 relative: float = 1e-9):
        self.colonnes = list(colonnes) if colonnes is not None else None
        self.verifier_types = verifier_types
        self.ignorer_index = ignorer_index
        self.ignorer_ordre_lignes = ignorer_ordre_lignes
        self.ignorer_ordre_colonnes = ignorer_ordre_colonnes
        self.tolerance = tolerance
        self.relative = relative

    # -- entry point --------------------------------------------------------------------------

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        import pandas as pd

        if not isinstance(attendu, (pd.DataFrame, pd.Series)):
            raise TypeError(f"Tableau : la valeur attendue n'est pas un DataFrame ni une Series ({type(attendu)})")
        serie = isinstance(attendu, pd.Series)
        if serie:
            if isinstance(reponse, pd.DataFrame):
                if reponse.shape[1] == 1:
                    return False, (f"{reponse_est(reponse)}, il faut une seule colonne (Series) : "
                                   f"prends-la avec tableau[\"{reponse.columns[0]}\"].")
                return False, f"{reponse_est(reponse)}, il faut une seule colonne (Series), par exemple tableau[\"nom\"]."
            if not isinstance(reponse, pd.Series):
                return False, message_type(reponse, "une colonne (Series)")
            return self._comparer_tables(reponse.rename("valeurs").to_frame(), attendu.rename("valeurs").to_frame(),
                                         serie=True)
        if isinstance(reponse, pd.Series):
            message = (f"{reponse_est(reponse)}, il faut un tableau (DataFrame) avec "
                       f"{pluriel(attendu.shape[1], 'colonne')}.")
            if self._comparer_tables(reponse.reset_index(), attendu, serie=False)[0]:
                message += " Ajoute .reset_index() pour transformer ton résultat en tableau."
            elif attendu.shape[1] == 1:
                message += " Utilise .to_frame() pour transformer ta colonne en tableau."
            return False, message
        if not isinstance(reponse, pd.DataFrame):
            return False, message_type(reponse, "un tableau (DataFrame)")
        return self._comparer_tables(reponse, attendu, serie=False)

    # -- steps ----------------------------------------------------------------------------------

    def _comparer_tables(self, reponse, attendu, serie: bool) -> Verdict:
        noms_index_reponse = [n for n in reponse.index.names if n is not None]
        if not self.ignorer_index:
            message = self._verifier_index(reponse, attendu)
            if message:
                return False, message
            reponse, attendu = reponse.reset_index(), attendu.reset_index()
        else:
            reponse, attendu = reponse.reset_index(drop=True), attendu.reset_index(drop=True)
        colonnes = self.colonnes if self.colonnes is not None else list(attendu.columns)
        absentes = [c for c in colonnes if c not in attendu.columns]
        if absentes:
            raise KeyError(f"Tableau : colonnes à vérifier absentes de la table attendue : {absentes}")
        for verifier in (self._verifier_colonnes_manquantes, self._verifier_lignes, self._verifier_colonnes,
                         self._verifier_types):
            message = verifier(reponse, attendu, colonnes, serie=serie, index_reponse=noms_index_reponse)
            if message:
                return False, message
        return self._verifier_valeurs(reponse, attendu, colonnes, serie=serie)

    def _verifier_index(self, reponse, attendu) -> str | None:
        noms_r, noms_a = list(reponse.index.names), list(attendu.index.names)
        if noms_r == noms_a:
            return None
        lisible = enumerer([f"« {n} »" for n in noms_a if n is not None]) or "sans nom"
        if all(n is None for n in noms_a):
            return (f"L'index de ta {self._objet} est {enumerer([f'« {n} »' for n in noms_r if n is not None])} : "
                    "ajoute .reset_index() pour en refaire une colonne.")
        if all(n is None for n in noms_r):
            return (f"L'index de ta {self._objet} n'a pas de nom, il faut {lisible} : as-tu fait le groupby "
                    "(ou le set_index) sur la bonne colonne ?")
        return (f"L'index de ta {self._objet} est {enumerer([f'« {n} »' for n in noms_r if n is not None])}, "
                f"il faut {lisible} : as-tu fait le groupby (ou le set_index) sur la bonne colonne ?")

    def _verifier_colonnes_manquantes(self, reponse, attendu, colonnes, serie, index_reponse) -> str | None:
        if serie:
            return None
        presentes = [str(c) for c in reponse.columns]
        doublons = sorted({c for c in presentes if presentes.count(c) > 1})
        if doublons:
            return f"Ta {self._objet} a plusieurs colonnes nommées {citer(doublons[0])} : garde-n'en qu'une."
        manquantes = [c for c in colonnes if c not in reponse.columns]
        if manquantes:
            c = manquantes[0]
            if len(manquantes) == 1:
                message = f"Il manque la colonne {c}."
            else:
                message = f"Il manque les colonnes {enumerer([str(m) for m in manquantes], maximum=4)}."
            if c in index_reponse:
                message += f" Elle est dans l'index de ta {self._objet} : ajoute .reset_index()."
            elif f"{c}_x" in presentes and f"{c}_y" in presentes:
                message += (f" Elle est devenue {c}_x et {c}_y : les deux tables de ta jointure (merge) avaient "
                            "cette colonne ; garde-la d'un seul côté avant le merge.")
            else:
                voisines = [p for p in proches(str(c), [p for p in presentes if p not in colonnes], n=1)]
                if voisines:
                    message += f" Ta {self._objet} a une colonne {citer(voisines[0])} : vérifie son nom (majuscules, accents, espaces)."
            return message
        return None

    def _verifier_colonnes(self, reponse, attendu, colonnes, serie, index_reponse) -> str | None:
        if serie:
            return None
        if self.colonnes is None:
            en_trop = [c for c in reponse.columns if c not in attendu.columns]
            if en_trop:
                if len(en_trop) == 1:
                    return f"Ta {self._objet} a une colonne en trop : {en_trop[0]}. Garde seulement {enumerer([str(c) for c in colonnes], 6)}."
                return (f"Ta {self._objet} a {pluriel(len(en_trop), 'colonne')} en trop : "
                        f"{enumerer([str(c) for c in en_trop], 4)}. Garde seulement {enumerer([str(c) for c in colonnes], 6)}.")
            if not self.ignorer_ordre_colonnes and list(reponse.columns) != list(attendu.columns):
                return (f"Ta {self._objet} a les bonnes colonnes mais pas dans le bon ordre : il faut "
                        f"{', '.join(str(c) for c in attendu.columns)}.")
        return None

    def _verifier_lignes(self, reponse, attendu, colonnes, serie, index_reponse) -> str | None:
        n_r, n_a = len(reponse), len(attendu)
        if n_r == n_a:
            return None
        if serie:
            debut = f"Ta colonne a {pluriel(n_r, 'valeur')}, il en faut {nombre_fr(n_a)}"
        else:
            debut = f"Ta {self._objet} a {pluriel(n_r, 'ligne')}, il en faut {nombre_fr(n_a)}"
        if n_r > n_a:
            communes = [c for c in colonnes if c in reponse.columns]
            try:
                sans_doublons = len(reponse[communes].drop_duplicates()) if communes else n_r
            except TypeError:  # unhashable cells (lists, geometries…)
                sans_doublons = n_r
            if sans_doublons == n_a:
                return debut + " : elle contient des lignes en double (drop_duplicates les enlève)."
            return debut + " : as-tu bien filtré (ou regroupé) les données ?"
        return debut + " : vérifie ton filtre, il enlève trop de lignes."

    def _verifier_types(self, reponse, attendu, colonnes, serie, index_reponse) -> str | None:
        if not self.verifier_types:
            return None
        for c in colonnes:
            nat_a, nat_r = _nature(attendu[c]), _nature(reponse[c])
            if nat_a == nat_r or "vide" in (nat_a, nat_r):
                continue
            nom = "Ta colonne" if serie else f"La colonne {c}"
            dtype = reponse[c].dtype
            if nat_a == "texte" and nat_r == "nombre" and self._ressemble_code(c, attendu[c]):
                exemple = self._exemple_code(attendu[c])
                qui = "les codes INSEE" if str(c).lower() in _NOMS_CODES_INSEE else "les codes"
                return (f"{nom} est de type {dtype} : {qui} doivent rester du texte ({exemple}), sinon le zéro du début "
                        "disparaît. Lis le fichier avec dtype=str (ou dtype={\"" + str(c) + "\": str}).")
            if nat_a == "nombre" and nat_r == "texte":
                return (f"{nom} contient du texte (type {dtype}), il faut {_NATURES['nombre']} : "
                        f"convertis-la avec pd.to_numeric(...) (attention aux virgules décimales).")
            return f"{nom} est de type {dtype} ({_NATURES.get(nat_r, 'des valeurs')}), il faut {_NATURES.get(nat_a, 'autre chose')}."
        return None

    @staticmethod
    def _ressemble_code(nom, serie) -> bool:
        if str(nom).lower() in _NOMS_CODES_INSEE or "code" in str(nom).lower() or "siren" in str(nom).lower():
            return True
        valeurs = serie.dropna().astype(str).head(50)
        return len(valeurs) > 0 and valeurs.str.fullmatch(r"\d+[AB]?\d*").all()

    @staticmethod
    def _exemple_code(serie) -> str:
        valeurs = serie.dropna().astype(str)
        avec_zero = valeurs[valeurs.str.startswith("0")]
        return (avec_zero.iloc[0] if len(avec_zero) else valeurs.iloc[0]) if len(valeurs) else "01001"

    # -- values ---------------------------------------------------------------------------------

    def _trier(self, table, colonnes):
        cles = [c for c in colonnes if _nature(table[c]) not in ("geometrie",)]
        if not cles:
            return table.reset_index(drop=True)
        ordre = sorted(cles, key=lambda c: {"texte": 0, "nombre": 1 if str(table[c].dtype).startswith(("int", "Int"))
                                            else 2}.get(_nature(table[c]), 3))
        try:
            return table.sort_values(ordre, kind="mergesort", na_position="last").reset_index(drop=True)
        except (TypeError, ValueError):
            cle = table[ordre].apply(_triable)
            positions = sorted(range(len(table)), key=lambda i: tuple(cle.iloc[i]))
            return table.iloc[positions].reset_index(drop=True)

    def _differences(self, r_col, a_col):
        """Boolean numpy array: True where the two columns differ."""
        import numpy as np
        import pandas as pd

        nat = _nature(a_col)
        if nat == "nombre" and _nature(r_col) in ("nombre", "vide"):
            r = pd.to_numeric(r_col, errors="coerce").astype("float64").to_numpy()
            a = pd.to_numeric(a_col, errors="coerce").astype("float64").to_numpy()
            return ~np.isclose(r, a, atol=self.tolerance, rtol=self.relative, equal_nan=True)
        if nat == "geometrie":
            return self._differences_geo(r_col, a_col)
        try:  # fast path: element-wise equality of plain values, missing values matched apart
            r_na, a_na = r_col.isna().to_numpy(dtype=bool), a_col.isna().to_numpy(dtype=bool)
            egaux = (r_col.astype(object).to_numpy() == a_col.astype(object).to_numpy())
            if not isinstance(egaux, np.ndarray) or egaux.dtype != bool or egaux.shape != r_na.shape:
                raise TypeError("comparaison élément par élément impossible")
            return ~((r_na & a_na) | (~r_na & ~a_na & egaux))
        except (TypeError, ValueError):  # lists, dicts or odd objects in cells
            return ~np.array([_egal(x, y) for x, y in zip(r_col.tolist(), a_col.tolist(), strict=True)], dtype=bool)

    def _differences_geo(self, r_col, a_col):
        import numpy as np

        return np.array([str(x) != str(y) for x, y in zip(r_col, a_col, strict=True)], dtype=bool)

    def _verifier_valeurs(self, reponse, attendu, colonnes, serie) -> Verdict:
        r_cmp, a_cmp = reponse, attendu
        if self.ignorer_ordre_lignes:
            r_cmp, a_cmp = self._trier(reponse, colonnes), self._trier(attendu, colonnes)
        for c in colonnes:
            diff = self._differences(r_cmp[c], a_cmp[c])
            if not diff.any():
                continue
            if not self.ignorer_ordre_lignes and self._egales_triees(reponse, attendu, colonnes):
                return False, (f"Ta {self._objet} a les bonnes lignes, mais pas dans le bon ordre : as-tu trié "
                               "avec sort_values (et dans le bon sens) ?")
            i = int(diff.argmax())
            n = int(diff.sum())
            nom = "Ta colonne" if serie else f"La colonne {c}"
            total = pluriel(len(diff), "valeur" if serie else "ligne")
            repere = self._repere(a_cmp, c, i, colonnes, serie)
            return False, (f"{nom} n'a pas les bonnes valeurs ({pluriel(n, 'différence')} sur {total}) : "
                           f"par exemple {repere}, {self._ecart_valeurs(r_cmp[c].iloc[i], a_cmp[c].iloc[i])}.")
        return True, None

    def _egales_triees(self, reponse, attendu, colonnes) -> bool:
        r, a = self._trier(reponse, colonnes), self._trier(attendu, colonnes)
        return not any(self._differences(r[c], a[c]).any() for c in colonnes)

    @staticmethod
    def _montrer(valeur) -> str:
        return "une case vide" if _est_manquant(valeur) else citer(_scalaire(valeur))

    def _ecart_valeurs(self, recu, voulu) -> str:
        """« tu as 12 au lieu de 14 » for one differing cell."""
        voulu_texte = self._montrer(voulu)
        de = "d'" if voulu_texte.startswith("une ") else "de "
        return f"tu as {self._montrer(recu)} au lieu {de}{voulu_texte}"

    def _repere(self, table, colonne, i, colonnes, serie) -> str:
        """« à la 3e ligne (nom : « Lyon ») » — a human way to point at a row."""
        position = f"à la {ordinal(i + 1)} {'valeur' if serie else 'ligne'}"
        if not self.ignorer_index and "index" in table.columns and colonne != "index":
            return f"{position} (index {citer(_scalaire(table['index'].iloc[i]))})"
        autres = [c for c in table.columns if c != colonne and _nature(table[c]) == "texte"]
        autres.sort(key=lambda c: (c not in colonnes, str(c) not in ("nom", "libelle", "commune"), list(table.columns).index(c)))
        if autres:
            c = autres[0]
            return f"{position} ({c} : {citer(_scalaire(table[c].iloc[i]))})"
        return position


class TableauGeo(Tableau):
    """A geopandas GeoDataFrame: everything :class:`Tableau` checks, plus CRS and geometry type.

    crs: the expected coordinate reference system (default: the expected table's), e.g. "EPSG:4326".
    type_geometrie: "Point", "Polygon" or "LineString" (Multi- forms accepted alike); default: the
      expected table's.
    tolerance_geo: largest distance between an answer geometry and the expected one (in CRS units;
      default 1e-5 degree or 1 m).
    """

    _objet = "table"
    _TYPES = {"point": "des points", "ligne": "des lignes", "polygone": "des polygones (surfaces)"}
    _UN = {"point": "un point", "ligne": "une ligne", "polygone": "un polygone"}

    def __init__(self, crs: Any = None, type_geometrie: str | None = None, tolerance_geo: float | None = None,
                 **reglages):
        super().__init__(**reglages)
        self.crs = crs
        self.type_geometrie = type_geometrie
        self.tolerance_geo = tolerance_geo

    @staticmethod
    def _famille(nom_type: str | None) -> str | None:
        if not nom_type:
            return None
        nom = nom_type.lower().removeprefix("multi")
        return {"point": "point", "linestring": "ligne", "linearring": "ligne", "polygon": "polygone"}.get(nom, nom)

    def comparer(self, reponse: Any, attendu: Any) -> Verdict:
        import geopandas as gpd
        import pandas as pd
        from pyproj import CRS

        if not isinstance(attendu, gpd.GeoDataFrame):
            raise TypeError("TableauGeo : la valeur attendue n'est pas un GeoDataFrame")
        if not isinstance(reponse, gpd.GeoDataFrame):
            if isinstance(reponse, pd.DataFrame):
                return False, (f"{reponse_est(reponse)} sans géométrie : il faut un tableau géographique "
                               "(GeoDataFrame), par exemple gpd.GeoDataFrame(table, geometry=..., crs=...).")
            return False, message_type(reponse, "un tableau géographique (GeoDataFrame)")
        try:
            geometries = reponse.geometry
        except AttributeError:
            return False, "Ta table géographique n'a pas de colonne de géométrie active : utilise .set_geometry(...)."
        crs_attendu = CRS.from_user_input(self.crs) if self.crs is not None else attendu.crs
        if crs_attendu is not None:
            nom_attendu = crs_attendu.to_string()
            if reponse.crs is None:
                return False, (f"Ta carte n'a pas de système de coordonnées (CRS), il faut {nom_attendu}. Si tes "
                               f"coordonnées sont déjà dans ce système, indique-le avec .set_crs(\"{nom_attendu}\").")
            if not CRS.from_user_input(reponse.crs).equals(crs_attendu, ignore_axis_order=True):
                return False, (f"Ta carte est en {reponse.crs.to_string()}, il faut {nom_attendu} : "
                               f"utilise .to_crs(\"{nom_attendu}\").")
        vides = int((geometries.isna() | geometries.is_empty).sum())
        if vides and not int((attendu.geometry.isna() | attendu.geometry.is_empty).sum()):
            return False, f"Ta table a {pluriel(vides, 'géométrie vide', 'géométries vides')} : vérifie ta jointure ou ton calcul."
        familles_a = ({self._famille(self.type_geometrie)} if self.type_geometrie
                      else {self._famille(t) for t in attendu.geom_type.dropna().unique()})
        familles_r = {self._famille(t) for t in reponse.geom_type.dropna().unique()}
        if familles_a and familles_r and not familles_r <= familles_a:
            autre = sorted(familles_r - familles_a)[0]
            voulu = sorted(familles_a)[0]
            message = f"Tes géométries sont {self._TYPES.get(autre, autre)}, il faut {self._TYPES.get(voulu, voulu)}."
            if autre == "point" and voulu == "polygone":
                message += " As-tu pris les centroïdes (.centroid) au lieu des contours ?"
            return False, message
        nom_geo = attendu.geometry.name
        if geometries.name != nom_geo and nom_geo not in reponse.columns:
            reponse = reponse.rename_geometry(nom_geo)
        self._geographique = crs_attendu is None or crs_attendu.is_geographic
        return super().comparer(reponse, attendu)

    def _ecart_valeurs(self, recu, voulu) -> str:
        if not str(type(voulu).__module__).startswith("shapely"):
            return super()._ecart_valeurs(recu, voulu)
        if recu is None or getattr(recu, "is_empty", True):
            return "ta géométrie est vide"
        if self._famille(recu.geom_type) != self._famille(voulu.geom_type):
            un_recu = self._UN.get(self._famille(recu.geom_type), recu.geom_type)
            un_voulu = self._UN.get(self._famille(voulu.geom_type), voulu.geom_type)
            return f"ta géométrie est {un_recu} au lieu d'{un_voulu}"
        metres = float(recu.hausdorff_distance(voulu))
        if getattr(self, "_geographique", True):  # degrees: measure in the local UTM zone
            import geopandas as gpd

            paire = gpd.GeoSeries([recu, voulu], crs="EPSG:4326")
            paire = paire.to_crs(paire.estimate_utm_crs())
            metres = float(paire.iloc[0].hausdorff_distance(paire.iloc[1]))
        distance = f"{nombre_fr(metres / 1000, 1)} km" if metres >= 1000 else f"{nombre_fr(metres, 0)} m"
        return f"ta géométrie s'écarte de celle attendue d'environ {distance}"

    def _differences_geo(self, r_col, a_col):
        import numpy as np
        import shapely

        tolerance = self.tolerance_geo
        if tolerance is None:  # about a metre either way
            tolerance = 1e-5 if getattr(self, "_geographique", True) else 1.0
        r = np.asarray(r_col.values, dtype=object)
        a = np.asarray(a_col.values, dtype=object)
        r_na = np.array([g is None or g.is_empty for g in r], dtype=bool)
        a_na = np.array([g is None or g.is_empty for g in a], dtype=bool)
        distances = np.full(len(r), np.inf)
        ok = ~r_na & ~a_na
        if ok.any():
            distances[ok] = shapely.hausdorff_distance(r[ok], a[ok])
        return ~((r_na & a_na) | (ok & (distances <= tolerance)))

"""Des données à la carte — the small helper package of the lessons and dashboards.

The lessons teach pandas, geopandas, plotly, folium and ipywidgets themselves; this package
only holds what a learner should not have to write: data access with provenance, the
territory setting, the exercise checker, accessible defaults and dashboard logic.
"""

from alacarte.donnees import catalogue, charger, chemin, colonnes, fiche, jeux_de_donnees, telecharger
from alacarte.territoires import choisir_territoire, territoire, trouver_territoire

__version__ = "0.1.0"

__all__ = [
    "catalogue", "charger", "chemin", "choisir_territoire", "colonnes", "fiche", "jeux_de_donnees",
    "telecharger", "territoire", "trouver_territoire",
]

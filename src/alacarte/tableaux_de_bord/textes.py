"""French number formatting and the sources shown on the dashboards."""

from __future__ import annotations

import math

ESPACE = "\u202f"  # narrow no-break space, the French thousands separator


def nombre(x, decimales: int = 0, signe: bool = False) -> str:
    """12345.6 -> '12 346' ; nombre(2.345, 1) -> '2,3' ; signe=True -> '+2,3'."""
    if x is None:
        return "non disponible"
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "non disponible"
    if math.isnan(x) or math.isinf(x):
        return "non disponible"
    texte = f"{x:{'+' if signe else ''},.{decimales}f}"
    return texte.replace(",", ESPACE).replace(".", ",").replace("-", "−")


def pourcentage(x, decimales: int = 1, signe: bool = False) -> str:
    t = nombre(x, decimales, signe)
    return t if t == "non disponible" else f"{t}{ESPACE}%"


def sources(noms: list[str]) -> list[dict]:
    """Producer, vintage and licence of each dataset, from the catalogue (shown under the figures)."""
    from alacarte.donnees import catalogue

    cat = catalogue()
    out = []
    for nom in noms:
        r = cat[nom]
        out.append({"nom": nom, "titre": r["title"], "producteur": r["producer"], "millesime": r["vintage"]["figures"],
                    "licence": r["licence"]["name"], "page": r["source"]["page"]})
    return out

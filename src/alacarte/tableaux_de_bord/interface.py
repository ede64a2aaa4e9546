"""Pieces shared by the three dashboards: style, cards, French error messages, protected callbacks,
downloads, the territory search and the sources block. No computation here.
"""

from __future__ import annotations

import base64
import functools
import html
import logging
import sys

import numpy as np

from alacarte.erreurs import normaliser
from alacarte.tableaux_de_bord.textes import sources

MESSAGE_ERREUR = "Un problème est survenu ; réessayez ou choisissez un autre territoire."
journal = logging.getLogger("alacarte.tableaux_de_bord")
if not journal.handlers:  # the kernel's stderr goes to the server log, never to the page
    _h = logging.StreamHandler(sys.stderr)
    _h.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    journal.addHandler(_h)
    journal.setLevel(logging.INFO)

CSS = """
<style>
.alc-chargement{display:none!important}
.alc{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;font-size:16px;line-height:1.45;max-width:1200px}
.alc h2{font-size:1.25rem;margin:1.2rem 0 .4rem}
.alc-cartes{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:10px;margin:.5rem 0}
.alc-carte-chiffre{border:1px solid #c8c8c8;border-left:6px solid #0072B2;border-radius:6px;padding:.6rem .8rem;background:#fff}
.alc-carte-chiffre .t{font-size:.9rem;color:#3a3a3a;margin:0}
.alc-carte-chiffre .v{font-size:1.6rem;font-weight:700;margin:.1rem 0;color:#111}
.alc-carte-chiffre .n{font-size:.85rem;color:#3a3a3a;margin:0}
.alc-carte-chiffre.alc-absent{border-left-color:#767676}
.alc-carte-chiffre.alc-absent .v{font-size:1.1rem}
.alc-graphiques{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:14px}
.alc-graphique{margin:0}
.alc-graphique img{max-width:100%;height:auto;display:block;border:1px solid #e0e0e0}
.alc-resume{font-size:.95rem;margin:.3rem 0}
.alc-telecharger,.alc a{color:#0a58a8;text-decoration:underline}
.alc-legende ul{list-style:none;padding:0;margin:.2rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.alc-legende li{display:flex;align-items:center;gap:.35rem;font-size:.9rem}
.alc-legende-titre{font-weight:600;margin:.3rem 0 0}
.alc-pastille{display:inline-block;width:1.1rem;height:1.1rem;border:1px solid #555;border-radius:2px}
.alc-message{padding:.6rem .8rem;border-radius:6px;margin:.4rem 0}
.alc-erreur{background:#fdecea;border:1px solid #b3261e;color:#5f1410}
.alc-info{background:#eef4fb;border:1px solid #0a58a8;color:#0b2e55}
.alc-ok{background:#edf7ee;border:1px solid #1e7b34;color:#0f3d1a}
.alc-sources{font-size:.85rem;color:#333}
.alc-sources li{margin:.15rem 0}
.alc-tableau{border-collapse:collapse;font-size:.9rem;width:100%}
.alc-tableau th,.alc-tableau td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left}
.alc-defile{overflow-x:auto;max-width:100%}
.widget-label,.widget-dropdown select,.widget-text input,.widget-select-multiple select,.widget-button{font-size:16px!important}
.jupyter-widgets :focus-visible, .alc :focus-visible{outline:3px solid #E69F00!important;outline-offset:2px}
@media (max-width:600px){.alc-cartes{grid-template-columns:1fr 1fr}.alc-carte-chiffre .v{font-size:1.25rem}
 .alc-graphiques{grid-template-columns:1fr}.widget-hbox{flex-wrap:wrap}
 .widget-inline-hbox{flex-wrap:wrap!important;height:auto!important}
 .widget-inline-hbox>.widget-label{width:100%!important;max-width:100%!important;text-align:left!important}
 .widget-inline-hbox>select,.widget-inline-hbox>input{flex:1 1 100%!important;width:100%!important;min-width:0;
  max-width:100%;box-sizing:border-box;height:var(--jp-widgets-inline-height)}
 .widget-inline-hbox .slider-container{min-width:0;max-width:100%}}
@media (max-width:360px){.alc-cartes{grid-template-columns:1fr}}
</style>
"""


def message(texte: str, genre: str = "info") -> str:
    """A French message box (genre: info, erreur, ok); the text is escaped."""
    role = ' role="alert"' if genre == "erreur" else ' role="status"'
    return f'<div class="alc-message alc-{genre}"{role}>{html.escape(texte)}</div>'


def carte_chiffre(titre: str, valeur: str, note: str = "", absent: bool = False, test_id: str = "") -> str:
    attr = f' data-test="{html.escape(test_id)}"' if test_id else ""
    classe = "alc-carte-chiffre alc-absent" if absent else "alc-carte-chiffre"
    n = f'<p class="n">{html.escape(note)}</p>' if note else ""
    return (f'<div class="{classe}"{attr}><p class="t">{html.escape(titre)}</p>'
            f'<p class="v">{html.escape(valeur)}</p>{n}</div>')


def lien_telechargement(contenu: bytes, nom_fichier: str, mime: str, libelle: str) -> str:
    b64 = base64.b64encode(contenu).decode()
    return (f'<a class="alc-telecharger" download="{html.escape(nom_fichier)}" '
            f'href="data:{mime};base64,{b64}">{html.escape(libelle)}</a>')


def bloc_sources(noms: list[str], complement: str = "") -> str:
    lis = "".join(
        f"<li><strong>{html.escape(s['titre'])}</strong> — {html.escape(s['producteur'])} ; "
        f"millésime : {html.escape(s['millesime'])} ; licence : {html.escape(s['licence'])}.</li>"
        for s in sources(noms)
    )
    extra = f"<p>{html.escape(complement)}</p>" if complement else ""
    return (f'<div class="alc-sources"><h2>Sources et dates des données</h2><ul>{lis}</ul>{extra}'
            "<p>Tableau de bord « Des données à la carte » (CC BY 4.0). Données réelles, livrées avec le projet : "
            "aucune connexion n'est nécessaire.</p></div>")


def protege(sortie, message_erreur: str = MESSAGE_ERREUR):
    """Decorator for widget callbacks: any exception becomes a French message in ``sortie``
    (an ipywidgets.HTML), logged on the server side; no traceback ever reaches the page.

    After each callback the memory freed by its temporary tables is given back to the system, so
    that a kernel that served many territories stays as small as after its first view."""
    from alacarte.tableaux_de_bord.preparation import liberer

    def deco(fonction):
        @functools.wraps(fonction)
        def enveloppe(*args, **kwargs):
            try:
                return fonction(*args, **kwargs)
            except Exception:
                journal.exception("erreur dans %s", getattr(fonction, "__name__", "rappel"))
                try:
                    sortie.value = message(message_erreur, "erreur")
                except Exception:
                    pass
            finally:
                liberer()
            return None

        return enveloppe

    return deco


def chercher_territoires(texte: str, candidats, n: int = 25) -> list[tuple[str, str]]:
    """Territories matching a name or a code: [(label, "niveau:code")], best first.

    Exact codes first, then exact names, then names starting with the text, then containing it;
    within each group régions, départements, EPCI, communes.
    """
    t = str(texte).strip()
    if not t:
        return []
    cle = normaliser(t)
    noms = candidats["_norm"] if "_norm" in candidats else candidats["nom"].map(normaliser)
    rang = np.select(
        [(candidats["code"].str.upper() == t.upper()).to_numpy(bool), (noms == cle).to_numpy(bool),
         noms.str.startswith(cle).to_numpy(bool), noms.str.contains(cle, regex=False).to_numpy(bool)],
        [0, 1, 2, 3], default=9)
    sel = candidats[rang < 9].assign(_rang=rang[rang < 9]).sort_values(["_rang", "ordre", "nom"]).head(n)
    return [(row.libelle, f"{row.niveau}:{row.code}") for row in sel.itertuples()]


def erreur_de_test(texte: str) -> None:
    """Browser tests force a callback error with this text (only when ALACARTE_TABLEAUX_TEST=1)."""
    import os

    if os.environ.get("ALACARTE_TABLEAUX_TEST") == "1" and str(texte).strip() == "__erreur__":
        raise RuntimeError("erreur forcée par les tests : /chemin/secret.py, Traceback (most recent call last)")


def selecteur_territoire(etat, depart: str | None = None):
    """Search box + list of matches (keyboard-usable, labelled). Returns (box, dropdown).

    The dropdown's value is "niveau:code"; observe it to redraw. ``etat`` (an HTML widget) receives
    the French messages (no match, errors).
    """
    import os

    import ipywidgets as W

    from alacarte.tableaux_de_bord.portrait import candidats

    cands = candidats()
    style = {"description_width": "initial"}
    largeur = W.Layout(width="100%", max_width="560px")
    recherche = W.Text(description="Rechercher un territoire", placeholder="nom ou code : Isère, 38, Grenoble…",
                       continuous_update=False, style=style, layout=largeur)
    choix = W.Dropdown(description="Territoire", style=style, layout=largeur)

    @protege(etat)
    def chercher(_=None):
        erreur_de_test(recherche.value)
        options = chercher_territoires(recherche.value, cands)
        if not options:
            etat.value = message(f"Aucun territoire ne correspond à « {recherche.value} ». Essayez un nom ou un code.")
            return
        etat.value = ""
        choix.options = options
        choix.value = options[0][1]

    recherche.observe(chercher, "value")
    depart = depart or os.environ.get("ALACARTE_TERRITOIRE") or "region:84"
    niveau, _, code = depart.rpartition(":")
    options = [o for o in chercher_territoires(code, cands) if not niveau or o[1] == f"{niveau}:{code}"][:1]
    choix.options = options or [("Auvergne-Rhône-Alpes (région 84)", "region:84")]
    choix.value = choix.options[0][1]
    boite = W.VBox([recherche, choix], layout=W.Layout(width="100%"))
    return boite, choix

"""``python -m alacarte.tableaux_de_bord``: prepare the dashboards' data once (cache)."""

import time

from alacarte.tableaux_de_bord.preparation import preparer

t0 = time.perf_counter()
preparer()
print(f"Données des tableaux de bord prêtes ({time.perf_counter() - t0:.1f} s).")

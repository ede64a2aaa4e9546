"""Load time and peak memory of the shipped datasets (national and regional), printed as a table.

Each measurement runs in a fresh Python process so that caches and earlier loads do not count:
the figure is the time of `alacarte.charger(...)` and the growth of the peak resident memory
(VmHWM) over the process after its imports. Usage: `python benchmarks/datasets.py`
"""

from __future__ import annotations

import json
import subprocess
import sys

CASES = [
    ("communes", "France"),
    ("communes", "84"),
    ("communes_contours", "France"),
    ("communes_contours", "84"),
    ("communes_contours", "53"),
    ("communes_contours", "94"),
    ("epci_contours", "France"),
    ("departements_contours", "France"),
    ("mairies", "84"),
    ("accidents", "France"),
    ("accidents", "84"),
    ("accidents_usagers", "84"),
    ("accidents_brut", "France"),
]

CHILD = r"""
import json, sys, time
import geopandas, pandas  # imports are not part of the measurement
import alacarte
name, terr = sys.argv[1], sys.argv[2]
alacarte.catalogue()
def hwm_kb():
    return int([l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM")][0])
before = hwm_kb()
t0 = time.perf_counter()
df = alacarte.charger(name, territoire=terr)
t1 = time.perf_counter()
peak = hwm_kb()
print(json.dumps({"rows": len(df), "seconds": t1 - t0, "peak_mb": (peak - before) / 1024,
                  "frame_mb": float(df.memory_usage(deep=True).sum()) / 1e6}))
"""


def main() -> None:
    cat = __import__("alacarte").catalogue()
    print(f"{'dataset':24} {'territory':9} {'file MB':>8} {'rows':>9} {'load s':>7} {'peak +MB':>9} {'frame MB':>9}")
    for name, terr in CASES:
        out = subprocess.run([sys.executable, "-c", CHILD, name, terr], capture_output=True, text=True, check=True)
        m = json.loads(out.stdout.strip().splitlines()[-1])
        size = cat[name]["bytes"] / 1e6
        print(f"{name:24} {terr:9} {size:8.2f} {m['rows']:9d} {m['seconds']:7.2f} {m['peak_mb']:9.0f} "
              f"{m['frame_mb']:9.1f}")


if __name__ == "__main__":
    main()

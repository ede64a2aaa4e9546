"""Build ``datasets/catalogue.json`` from the hand-written records of each prepare script.

Each prepare module (``admin.py``, ``geo.py``, ``elus.py``, ``accidents.py``) exposes ``RECORDS``,
a list of dicts with what a person must write (title, producer, licence, sources, vintage,
column descriptions, known problems). This script adds what must be measured on the shipped
file: sha256, size in bytes, row count, column types, CRS. Deterministic: same files, same JSON.

Usage (from the repository root): ``python datasets/prepare/catalogue.py``
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sources import DATASETS, SOURCES, sha256_file  # noqa: E402

MODULES = ["admin", "geo", "elus", "accidents"]
REQUIRED = [
    "name", "title", "description", "producer", "licence", "source", "vintage",
    "file", "format", "columns", "known_problems",
]


def measure(record: dict) -> dict:
    path = DATASETS / record["file"]
    out = {"sha256": sha256_file(path), "bytes": path.stat().st_size}
    if record["format"] in ("parquet", "geoparquet"):
        pf = pq.ParquetFile(path)
        out["rows"] = pf.metadata.num_rows
        schema = pf.schema_arrow
        types = {f.name: str(f.type) for f in schema}
        geo = schema.metadata.get(b"geo") if schema.metadata else None
        if geo:
            geo = json.loads(geo)
            col = geo["primary_column"]
            crs = geo["columns"][col].get("crs")
            epsg = None
            if isinstance(crs, dict):
                epsg = crs.get("id", {}).get("code")
            out["crs"] = f"EPSG:{epsg}" if epsg else "OGC:CRS84"
            types[col] = "geometry (" + ", ".join(geo["columns"][col].get("geometry_types", [])) + ")"
    elif record["format"] == "csv":
        opts = record.get("read_options", {})
        df = pd.read_csv(path, dtype=str, keep_default_na=False, **opts)
        out["rows"] = len(df)
        types = {c: "string" for c in df.columns}
    else:
        raise ValueError(f"unknown format {record['format']}")
    described = record["columns"]
    missing = [c for c in types if c not in described]
    extra = [c for c in described if c not in types]
    if missing or extra:
        raise SystemExit(f"{record['name']}: columns not described {missing}, described but absent {extra}")
    out["columns"] = [{"name": c, "type": types[c], "description": described[c]} for c in types]
    return out


def build() -> dict:
    records = []
    for mod_name in MODULES:
        mod = importlib.import_module(mod_name)
        for rec in mod.RECORDS:
            for key in REQUIRED:
                if key not in rec:
                    raise SystemExit(f"{rec.get('name')}: missing {key}")
            rec = dict(rec)
            rec["source"] = dict(rec["source"])
            rec["source"]["built_from"] = [SOURCES[k].as_record() for k in rec["source"]["built_from"]]
            rec.update(measure(rec))
            records.append(rec)
    names = [r["name"] for r in records]
    if len(set(names)) != len(names):
        raise SystemExit("duplicate dataset names")
    return {"catalogue_version": 1, "datasets": {r["name"]: r for r in records}}


def render_readme(r: dict) -> str:
    """French README of a dataset, written from its catalogue record (for records with readme="auto")."""
    src = r["source"]
    lines = [
        f"# {r['title']}", "", r["description"], "",
        f"- **Producteur** : {r['producer']}",
        f"- **Licence** : [{r['licence']['name']}]({r['licence']['url']})",
        f"- **Citer** : {r['attribution']}",
        f"- **Page officielle** : {src['page']}",
        f"- **Téléchargement officiel** : {src['download']}",
        f"- **Millésime** : codes {r['vintage']['codes']} ; chiffres : {r['vintage']['figures']}",
        f"- **Fichier** : `{Path(r['file']).name}` ({r['format']}, {r['rows']:,} lignes, "
        f"{r['bytes'] / 1e6:.2f} Mo, sha256 `{r['sha256'][:16]}…`)".replace(",", " ", 1),
        "- **Reconstruit par** : `" + r.get("prepared_by", "") + "` à partir de "
        + ", ".join(f"{b['package']} {b['version']} ({b['registry']})" for b in src["built_from"]),
        "", "## Colonnes", "", "| colonne | type | description |", "|---|---|---|",
    ]
    lines += [f"| `{c['name']}` | {c['type']} | {c['description']} |" for c in r["columns"]]
    lines += ["", "## Problèmes connus", ""]
    lines += [f"- {p}" for p in r["known_problems"]] or ["- Aucun signalé."]
    if r.get("notes"):
        lines += ["", r["notes"].strip()]
    lines += ["", "_Ce fichier est généré par `datasets/prepare/catalogue.py` à partir du catalogue._", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    cat = build()
    for r in cat["datasets"].values():
        if r.get("readme") == "auto":
            (DATASETS / Path(r["file"]).parent / "README.md").write_text(render_readme(r), encoding="utf-8")
    target = DATASETS / "catalogue.json"
    target.write_text(json.dumps(cat, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    total = sum(r["bytes"] for r in cat["datasets"].values())
    for r in cat["datasets"].values():
        print(f"{r['name']:28} {r['rows']:>9} rows {r['bytes'] / 1e6:7.2f} MB")
    print(f"{'total':28} {'':>9}      {total / 1e6:7.2f} MB")

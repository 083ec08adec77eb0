"""The review page: a small HTTP server on 127.0.0.1, one random token, server-rendered
HTML with a little plain JS served from the package (no external asset).

Every request must carry the token (in the URL the command prints, then in a strict
same-site cookie) and a loopback Host header; anything else gets 403. One thread: the
pipeline is not shared between requests.
"""

from __future__ import annotations

import html
import secrets
import shutil
import subprocess
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, HTTPServer
from importlib import resources
from urllib.parse import parse_qs, urlencode, urlparse

from deident.review.i18n import TEXTS
from deident.review.session import ReviewSession, View

STATIC = {"review.css": "text/css; charset=utf-8", "review.js": "text/javascript; charset=utf-8"}
_COOKIE = "deident_review"


class ReviewServer(HTTPServer):
    def __init__(self, session: ReviewSession, lang: str = "fr", port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.session, self.lang = session, lang if lang in TEXTS else "fr"
        self.token = secrets.token_urlsafe(24)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/?{urlencode({'token': self.token})}"


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer

    def log_message(self, format: str, *args: object) -> None:
        """Silent: request lines carry document positions and the token."""

    # -- access ----------------------------------------------------------------------------
    def _allowed(self, form: dict | None = None) -> bool:
        """Loopback Host, and the token: a form's own field for a POST (a cookie alone
        would let another site post here), the URL's or the cookie for a GET."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            return False  # another name pointing here (DNS rebinding)
        if form is not None:
            given = form.get("token", [""])[0]
        else:
            query = parse_qs(urlparse(self.path).query)
            cookie = SimpleCookie(self.headers.get("Cookie") or "")
            given = query.get("token", [""])[0] or (
                cookie[_COOKIE].value if _COOKIE in cookie else "")
        return secrets.compare_digest(given, self.server.token)

    def _deny(self) -> None:
        self._send(HTTPStatus.FORBIDDEN, b"403 Forbidden\n", "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'")
        self.send_header("Set-Cookie", f"{_COOKIE}={self.server.token}; HttpOnly; "
                         "SameSite=Strict; Path=/")
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -- routes ----------------------------------------------------------------------------
    def do_GET(self) -> None:
        if not self._allowed():
            return self._deny()
        url = urlparse(self.path)
        query = parse_qs(url.query)
        page = Pages(self.server.session, TEXTS[self.server.lang], self.server.lang,
                     self.server.token)
        if url.path == "/":
            return self._html(page.index(query.get("filter", ["all"])[0]))
        if url.path == "/doc":
            return self._html(page.document(_int(query, "id")))
        if url.path.startswith("/static/") and url.path[8:] in STATIC:
            name = url.path[8:]
            data = resources.files("deident.review").joinpath("static", name).read_bytes()
            return self._send(HTTPStatus.OK, data, STATIC[name])
        if url.path == "/page.png":
            image = page.pdf_page(_int(query, "id"), query.get("side", ["src"])[0],
                                  _int(query, "n") or 1)
            if image is not None:
                return self._send(HTTPStatus.OK, image, "image/png")
        self._send(HTTPStatus.NOT_FOUND, b"404\n", "text/plain; charset=utf-8")

    def do_POST(self) -> None:
        length = min(int(self.headers.get("Content-Length") or 0), 1 << 16)
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        if not self._allowed(form):
            return self._deny()
        session = self.server.session
        path = urlparse(self.path).path
        index = _int(form, "id")
        if path == "/decide":
            session.decide(index, form.get("kind", [""])[0], _int(form, "start"), _int(form, "end"))
            return self._redirect(f"/doc?id={index}")
        if path == "/approve":
            session.approve(None if form.get("all") else index)
            return self._redirect("/" if form.get("all") else f"/doc?id={index}")
        if path == "/signoff":
            reviewer = form.get("reviewer", [""])[0].strip()
            if reviewer:
                session.sign_off(reviewer)
            return self._redirect("/?signed=1")
        self._send(HTTPStatus.NOT_FOUND, b"404\n", "text/plain; charset=utf-8")

    def _html(self, body: str) -> None:
        self._send(HTTPStatus.OK, body.encode("utf-8"), "text/html; charset=utf-8")


def _int(query: dict, name: str) -> int:
    try:
        return int(query.get(name, ["0"])[0])
    except ValueError:
        return 0


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


class Pages:
    """The HTML of each page. Every value written into it is escaped."""

    def __init__(self, session: ReviewSession, t: dict[str, str], lang: str, token: str) -> None:
        self.session, self.t, self.lang, self.token = session, t, lang, token

    def _layout(self, title: str, body: str) -> str:
        return (f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
                f"<title>{_e(title)} — deident</title>"
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<link rel="stylesheet" href="/static/review.css">'
                '<script src="/static/review.js" defer></script></head><body>'
                f'<a class="skip" href="#main">{_e(self.t["skip"])}</a>'
                f'<header><a href="/">deident · {_e(self.t["review"])}</a></header>'
                f'<main id="main">{body}</main></body></html>')

    def _token_field(self) -> str:
        return f'<input type="hidden" name="token" value="{_e(self.token)}">'

    def index(self, shown: str) -> str:
        t, session = self.t, self.session
        session.count_suspects()
        rows = []
        for d in session.documents:
            if shown == "todo" and (d.approved or d.status != "done"):
                continue
            if shown == "suspects" and not d.suspects:
                continue
            counts = ", ".join(f"{k} {v}" for k, v in sorted(d.counts.items())) or "—"
            state = t["approved"] if d.approved else t["to_review"]
            rows.append(
                f'<tr class="doc {_e(d.status)}" data-href="/doc?id={d.index}">'
                f'<td><a href="/doc?id={d.index}">{_e(d.task.masked)}</a></td>'
                f'<td>{_e(t.get(d.status, d.status))}</td><td>{_e(counts)}</td>'
                f'<td class="suspects">{d.suspects}</td><td>{_e(state)}</td>'
                f"<td>{_e(d.reason)}</td></tr>")
        filters = " ".join(
            f'<a href="/?filter={name}"{" aria-current=page" if name == shown else ""}>'
            f"{_e(t['filter_' + name])}</a>" for name in ("all", "todo", "suspects"))
        signed = session.state.get("signoff")
        signoff = (f'<p class="signed">{_e(t["signed_by"])} {_e(signed["reviewer"])}, '
                   f'{_e(signed["time"])}</p>' if signed else "")
        return self._layout(t["documents"], (
            f"<h1>{_e(t['documents'])}</h1><nav class=filters aria-label=\"{_e(t['filters'])}\">"
            f"{filters}</nav><p class=hint>{_e(t['keys_list'])}</p>"
            f'<table id="documents"><caption>{_e(t["documents"])}</caption><thead><tr>'
            + "".join(f'<th scope="col">{_e(t[c])}</th>' for c in
                      ("file", "status", "entities", "suspects", "approval", "reason"))
            + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<form method="post" action="/approve">{self._token_field()}'
            f'<input type="hidden" name="all" value="1"><button type="submit">'
            f"{_e(t['approve_all'])}</button></form>"
            f'<form method="post" action="/signoff" class="signoff">{self._token_field()}'
            f'<label for="reviewer">{_e(t["reviewer"])}</label>'
            f'<input id="reviewer" name="reviewer" required autocomplete="name">'
            f'<button type="submit">{_e(t["sign_off"])}</button></form>{signoff}'))

    def document(self, index: int) -> str:
        t, session = self.t, self.session
        if not 0 <= index < len(session.documents):
            return self._layout("404", "<p>404</p>")
        d = session.documents[index]
        view = session.view(index)
        title = d.task.masked
        if view.error:
            return self._layout(title, f"<h1>{_e(title)}</h1><p>{_e(view.error)}</p>")
        pages = ""
        if d.task.source.lower().endswith(".pdf") and shutil.which("pdftoppm"):
            pages = (f'<div class="pages"><img alt="{_e(t["original_page"])}" '
                     f'src="/page.png?id={index}&amp;side=src&amp;n=1">'
                     f'<img alt="{_e(t["pseudonymized_page"])}" '
                     f'src="/page.png?id={index}&amp;side=dst&amp;n=1"></div>')
        suspects = "".join(
            f'<li><form method="post" action="/decide">{self._token_field()}'
            f'<input type="hidden" name="id" value="{index}">'
            f'<input type="hidden" name="kind" value="replace">'
            f'<input type="hidden" name="start" value="{s.start}">'
            f'<input type="hidden" name="end" value="{s.end}">'
            f'<a href="#s{s.start}" class="suspect-link">{_e(view.original[s.start:s.end])}</a> '
            f'<span class="kind">{_e(t["kind_" + s.kind.replace("-", "_")])}</span> '
            f'<button type="submit">{_e(t["replace"])}</button></form></li>'
            for s in view.suspects)
        approve = (f'<form method="post" action="/approve">{self._token_field()}'
                   f'<input type="hidden" name="id" value="{index}">'
                   f'<button type="submit" id="approve" accesskey="a">{_e(t["approve"])}</button>'
                   f"</form>")
        nav = (f'<nav aria-label="{_e(t["navigation"])}">'
               + (f'<a rel="prev" href="/doc?id={index - 1}">{_e(t["previous"])}</a> '
                  if index > 0 else "")
               + (f'<a rel="next" href="/doc?id={index + 1}">{_e(t["next"])}</a>'
                  if index + 1 < len(session.documents) else "") + "</nav>")
        state = t["approved"] if d.approved else t["to_review"]
        return self._layout(title, (
            f"<h1>{_e(title)}</h1>{nav}<p>{_e(t['status'])}: {_e(t.get(d.status, d.status))} · "
            f'{_e(state)}</p><p class=hint>{_e(t["keys_doc"])}</p>{approve}{pages}'
            f'<div class="panes"><section aria-labelledby="h-original"><h2 id="h-original">'
            f'{_e(t["original"])}</h2><pre class="pane" id="original">'
            f"{_marked(view, index, self._token_field(), t)}</pre></section>"
            f'<section aria-labelledby="h-output"><h2 id="h-output">{_e(t["pseudonymized"])}'
            f'</h2><pre class="pane" id="output">{_e(view.pseudonymized)}</pre></section></div>'
            f'<section aria-labelledby="h-suspects"><h2 id="h-suspects">{_e(t["suspects"])} '
            f"({len(view.suspects)})</h2><ol id=\"suspect-list\">{suspects}</ol></section>"))

    def pdf_page(self, index: int, side: str, number: int) -> bytes | None:
        session = self.session
        if not 0 <= index < len(session.documents):
            return None
        task = session.documents[index].task
        path = session.src / task.source if side == "src" else session.dst / task.output
        if not path.exists() or path.suffix.lower() != ".pdf":
            return None
        done = subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l",
                               str(number), str(path)], capture_output=True, timeout=60)
        return done.stdout if done.returncode == 0 else None


def _marked(view: View, index: int, token_field: str, t: dict[str, str]) -> str:
    """The original text with replacements (type, source, score; a "keep" button) and
    suspects (amber) marked."""
    marks = sorted([(r.start, r.end, "r", r) for r in view.replacements]
                   + [(s.start, s.end, "s", s) for s in view.suspects], key=lambda m: m[0])
    out, position = [], 0
    for start, end, kind, item in marks:
        if start < position:
            continue
        out.append(_e(view.original[position:start]))
        text = _e(view.original[start:end])
        if kind == "r":
            label = f"{item.type} · {item.source or t['detector']} · {item.score:.2f}"
            out.append(f'<mark class="replaced" tabindex="0" title="{_e(label)}" '
                       f'data-type="{_e(item.type)}">{text}<span class="tag">{_e(item.type)}'
                       f"</span></mark>")
        else:
            out.append(f'<mark class="suspect" id="s{start}" tabindex="0" '
                       f'title="{_e(t["kind_" + item.kind.replace("-", "_")])}">{text}</mark>')
        position = end
    out.append(_e(view.original[position:]))
    return "".join(out)


def serve(session: ReviewSession, *, lang: str = "fr", port: int = 0,
          open_browser: bool = False) -> ReviewServer:
    """The server, bound to 127.0.0.1 (not yet serving: the caller runs serve_forever)."""
    server = ReviewServer(session, lang, port)
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    return server

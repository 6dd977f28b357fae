"""What stands before the application: request size limits, access tokens, slow clients.

Pure ASGI middlewares (no body is buffered by them) and an HTTP protocol that closes a
connection whose request headers do not arrive in time (slowloris).
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import html
import json
import urllib.parse
from pathlib import Path
from typing import Any

import h11
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.h11_impl import H11Protocol

from conventum.serve.problems import HttpProblem, http_message

OPEN_PATHS = ("/health",)  # load balancers probe it without a token
QUERY_TOKEN_PATHS = ("/v1/registre/echeances.ics",)  # calendar clients send no header: ?jeton=TOKEN


async def send_problem(send: Send, problem: HttpProblem) -> None:
    body = json.dumps(problem.body(), ensure_ascii=False).encode()
    headers = [
        (b"content-type", b"application/json; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(key.lower().encode(), value.encode()) for key, value in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} Mo"


class _TooSlow(Exception):
    pass


class _Body:
    """The request's body as the application reads it: counted, and timed while it streams."""

    def __init__(self, receive: Receive, limit: int, idle: float) -> None:
        self.receive = receive
        self.limit = limit
        self.idle = idle
        self.received = 0
        self.complete = False

    async def __call__(self) -> Message:
        if self.complete:  # the body is in: what follows is the wait for a disconnection
            return await self.receive()
        try:
            message = await asyncio.wait_for(self.receive(), timeout=self.idle)
        except TimeoutError:
            raise _TooSlow from None
        if message["type"] == "http.request":
            self.received += len(message.get("body", b""))
            self.complete = not message.get("more_body", False)
            if self.received > self.limit:
                raise _TooLarge
        return message


class SizeLimit:
    """413 for a body larger than ``limit`` bytes: at once from Content-Length, else while it streams;
    408 when the body stops arriving for ``idle`` seconds (a slow client holds nothing for long)."""

    def __init__(self, app: ASGIApp, limit: int, idle: float = 10.0) -> None:
        self.app = app
        self.limit = limit
        self.idle = idle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        too_large = HttpProblem(
            413, "requete.trop_grande", headers={"Connection": "close"}, limite=megabytes(self.limit)
        )
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await send_problem(send, too_large)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, _Body(receive, self.limit, self.idle), watched)
        except (_TooLarge, _TooSlow) as exc:
            if started:
                raise
            if isinstance(exc, _TooLarge):
                await send_problem(send, too_large)
            else:
                slow = HttpProblem(
                    408, "requete.trop_lente", headers={"Connection": "close"}, delai=f"{self.idle:g}"
                )
                await send_problem(send, slow)


def read_tokens(path: Path) -> list[str]:
    """One token a line; blank lines and lines starting with # are skipped (a file saved with a
    byte-order mark, as Windows' Notepad does, keeps its first comment a comment)."""
    lines = (line.strip().lstrip("\ufeff").strip() for line in path.read_text("utf-8-sig").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _preflight(scope: Scope) -> bool:
    """A browser's CORS preflight: it never carries credentials, so it is answered (by the CORS
    middleware, or 405 without one) before any token is asked for; the real request still needs one."""
    headers = dict(scope["headers"])
    return (
        scope["method"] == "OPTIONS" and b"origin" in headers and b"access-control-request-method" in headers
    )


class TokenGuard:
    """Every request but ``/health`` needs one of the tokens: ``Authorization: Bearer TOKEN``,
    or, for a browser on the form, HTTP Basic with the token as password."""

    def __init__(self, app: ASGIApp, tokens: list[str]) -> None:
        self.app = app
        self.tokens = [token.encode() for token in tokens]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS or _preflight(scope):
            await self.app(scope, receive, send)
            return
        given = self._token(dict(scope["headers"]).get(b"authorization", b""))
        if given is None and scope["path"] in QUERY_TOKEN_PATHS:
            given = _query_token(scope.get("query_string", b""))
        if given is not None and any(hmac.compare_digest(given, token) for token in self.tokens):
            await self.app(scope, receive, send)
            return
        code = "auth.jeton" if given is None else "auth.jeton_invalide"
        if given is None and scope["path"] in QUERY_TOKEN_PATHS:
            code = "auth.jeton_agenda"
        challenge = 'Bearer realm="conventum", Basic realm="conventum", charset="UTF-8"'
        await send_problem(send, HttpProblem(401, code, headers={"WWW-Authenticate": challenge}))

    @staticmethod
    def _token(header: bytes) -> bytes | None:
        scheme, _, value = header.partition(b" ")
        if scheme.lower() == b"bearer" and value.strip():
            return value.strip()
        if scheme.lower() == b"basic":
            try:
                _user, _, password = base64.b64decode(value.strip(), validate=True).partition(b":")
            except ValueError:
                return b""
            return password
        return None


def _query_token(query: bytes) -> bytes | None:
    """The ``jeton`` parameter of a query string (a calendar subscription URL)."""
    for name, value in urllib.parse.parse_qsl(query.decode("latin-1")):
        if name == "jeton" and value:
            return value.encode()
    return None


class GuardedH11Protocol(H11Protocol):
    """HTTP/1.1 that answers 408 and closes when a request's headers take more than
    ``header_timeout`` seconds (a client sending them byte by byte holds nothing for long)."""

    header_timeout = 10.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._header_timer: Any = None
        self._armed_for: Any = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._armed_for = self.cycle
        self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def handle_events(self) -> None:
        super().handle_events()
        if self._header_timer is not None and self.cycle is not self._armed_for:
            self._disarm()  # the headers of a new request arrived

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()  # the next request on this connection gets its own time

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return  # a request is being served: its own deadline applies
        message = http_message("requete.trop_lente", delai=f"{self.header_timeout:g}")
        body = json.dumps({"erreur": {"code": "requete.trop_lente", "message": message}}, ensure_ascii=False)
        raw = body.encode()
        head = (
            "HTTP/1.1 408 Request Timeout\r\ncontent-type: application/json; charset=utf-8\r\n"
            f"content-length: {len(raw)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + raw)
        self.transport.close()


FORM_METHODS = ("POST", "PUT", "PATCH", "DELETE")
ORIGIN_PAGE = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Envoi refusé — conventum</title>'
    "</head><body><h1>Envoi refusé</h1><p>{message}</p></body></html>"
)


class SameOrigin:
    """The clerk's form and batch pages change state: a browser sending them from another site
    (``Origin`` not this server's, nor one of ``--cors-origin``) gets 403 and a French page, so a page
    a clerk opens elsewhere cannot post to the service in their name. A request without ``Origin``
    (curl, a script, an old browser) goes through: no browser leaves it out of a cross-site POST."""

    def __init__(self, app: ASGIApp, allowed: list[str], api_prefix: str = "/v1") -> None:
        self.app = app
        self.allowed = {origin.rstrip("/").lower() for origin in allowed}
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in FORM_METHODS
            or scope["path"].startswith(self.api_prefix)
        ):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin = headers.get(b"origin", b"").decode("latin-1").strip().rstrip("/").lower()
        host = headers.get(b"host", b"").decode("latin-1").strip().lower()
        # behind a reverse proxy, the public host it forwards (a browser's cross-site form cannot set it)
        forwarded = headers.get(b"x-forwarded-host", b"").decode("latin-1").split(",")[0].strip().lower()
        hosts = {name for name in (host, forwarded) if name}
        if not origin or origin in self.allowed or origin.partition("://")[2] in hosts:
            await self.app(scope, receive, send)
            return
        message = http_message("requete.origine", origine=origin[:100], hote=host[:100])
        body = ORIGIN_PAGE.format(message=html.escape(message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [
                    (b"content-type", b"text/html; charset=utf-8"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


def default_hosts(listen: str) -> tuple[str, ...]:
    """The Host names accepted when none is given: listening on loopback, loopback's names only (a
    page whose name was made to point at 127.0.0.1 — DNS rebinding — is refused); else any."""
    return LOOPBACK_NAMES if listen in LOOPBACK_NAMES else ()


def host_name(header: bytes) -> str:
    """The name of a Host header, without its port: ``[::1]:8000`` → ``::1``."""
    text = header.decode("latin-1").strip().lower()
    if text.startswith("["):
        return text[1:].partition("]")[0]
    return text.rpartition(":")[0] if text.count(":") == 1 else text


class AllowedHosts:
    """A request whose ``Host`` is not one of ``allowed`` (``--allowed-host``) gets 400 and a French
    message, before anything else runs; ``/health`` is always answered (load balancers probe it
    by address). An empty list accepts any host."""

    def __init__(self, app: ASGIApp, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {name.strip().lower().strip("[]") for name in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        header = dict(scope.get("headers") or []).get(b"host")
        if scope["type"] != "http" or header is None or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        name = host_name(header)
        if name in self.allowed:
            await self.app(scope, receive, send)
            return
        await send_problem(send, HttpProblem(400, "requete.hote", hote=name[:100] or "vide"))

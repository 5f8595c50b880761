"""HTTP for `papernotes add`: one GET at a time, a 10 s timeout, every failure one sentence.

The clients (`arxiv`, `crossref`) ask a `Transport` for a URL and get a `Response` whatever the
HTTP status; only a failure to get any answer (offline, timeout) is an exception. The default
transport is `urllib` from the standard library, through an `OpenerDirector` that tests replace
with one answering from recorded files, so every line here but the socket runs in the tests.

Why urllib and not `requests` (or a client library built on it): one GET with a timeout and a
User-Agent is all this needs, urllib does it, and its opener is the seam for recorded responses
without patching anything. The clients' docstrings say why no arXiv or Crossref library either.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import Message
from typing import Protocol
from urllib.parse import urlsplit

TIMEOUT = 10.0  # seconds; the budget for one answer
USER_AGENT = "papernotes-add/0.1 (+https://github.com/papernotes/papernotes)"
MAX_BYTES = 20_000_000  # an answer for one paper is a few kB; PaLM's 67 authors are 30 kB


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, body and headers (names lower-cased)."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


class FetchError(Exception):
    """Getting a paper's metadata failed: the message says what failed and what to do, in one line."""


class Unreachable(FetchError):
    """No answer at all: offline, the name does not resolve, the connection is refused."""


class TimedOut(FetchError):
    """No answer within the timeout."""


class Transport(Protocol):
    """What the clients need of HTTP."""

    def get(self, url: str, *, timeout: float = TIMEOUT) -> Response:
        """The answer to a GET of `url`, whatever its status; `Unreachable` or `TimedOut` when there is none."""
        ...


class UrllibTransport:
    """`Transport` over urllib. `opener` defaults to urllib's own (system proxies honoured)."""

    def __init__(self, opener: urllib.request.OpenerDirector | None = None) -> None:
        self.opener = opener or urllib.request.build_opener()

    def get(self, url: str, *, timeout: float = TIMEOUT) -> Response:
        host = urlsplit(url).hostname or url
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
        try:
            with self.opener.open(request, timeout=timeout) as answer:
                return Response(answer.status, answer.read(MAX_BYTES), _lower(answer.headers))
        except urllib.error.HTTPError as exc:  # an answer, with a status the client interprets
            with exc:
                body = exc.read(MAX_BYTES) if exc.fp is not None else b""
            return Response(exc.code, body, _lower(exc.headers) if exc.headers is not None else {})
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, TimeoutError):
                raise TimedOut(f"{host} did not answer within {timeout:g} s") from None
            raise Unreachable(f"cannot reach {host} ({_reason(exc.reason)})") from None
        except TimeoutError:  # a timeout while reading the body
            raise TimedOut(f"{host} did not answer within {timeout:g} s") from None
        except OSError as exc:  # a connection reset mid-answer, and the like
            raise Unreachable(f"cannot reach {host} ({_reason(exc)})") from None


def _lower(headers: Mapping[str, str] | Message) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return " ".join(str(reason).split()) or type(reason).__name__


RATE_LIMITED = (429, 503)  # arXiv answers 503 when asked too often, Crossref 429


def status_problem(response: Response, service: str) -> str | None:
    """What a non-200 answer means for the user, with what to do; None for 200. 404 is the client's to word."""
    # arXiv has also been seen to say it in a plain-text body, not a feed: `Rate exceeded.`
    if response.status in RATE_LIMITED or response.body[:100].strip().startswith(b"Rate exceeded"):
        value = response.headers.get("retry-after", "").strip()
        wait = f"{value} s" if value.isdigit() else "a minute"
        return f"{service} is limiting requests (HTTP {response.status}); wait {wait} and try again"
    if response.status == 200:
        return None
    if response.status >= 500:
        return f"{service} failed to answer (HTTP {response.status}); try again later"
    return f"{service} refused the request (HTTP {response.status})"


def fetch(transport: Transport, url: str, what: object) -> Response:
    """`transport`'s answer for `url`, whatever its status; `FetchError` naming `what` (the paper)
    and saying what to do when no answer came (offline, a timeout)."""
    try:
        return transport.get(url, timeout=TIMEOUT)
    except Unreachable as exc:
        raise FetchError(f"{what}: {exc}; check the network connection and try again") from None
    except TimedOut as exc:
        raise FetchError(f"{what}: {exc}; try again later") from None

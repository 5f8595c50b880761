"""Recorded arXiv and Crossref answers, replayed to `papernotes add` without the network.

`Replay` is a `Transport` that answers each URL from a file in `tests/fixtures/add/` (what each is
based on: the README there); `replay_opener()` answers the same way one level down, as a urllib
handler, so `UrllibTransport`'s own handling of statuses and errors is tested too. Nothing here
opens a socket: an unknown URL fails the test.

`make_library` lays out the small library (`VISION`, `GENERATION`, `ALIASES`) the tests add papers to.
"""

from __future__ import annotations

import argparse
import email.message
import io
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

from papernotes.add.transport import Response, TimedOut, Unreachable
from papernotes.cli.add import Clients, cmd_add
from papernotes.cli.check import check
from papernotes.cli.main import build_parser
from papernotes.cli.project import load_project
from papernotes.notes.model import Diagnostic

from . import paths
from .sites import write_site

FIXTURES = paths.FIXTURES / "add"

# The id asked of arXiv (as `id_list`) -> the recorded answer.
ARXIV = {
    "1706.03762": "attention-1706.03762v7.xml",
    "1706.03762v7": "attention-1706.03762v7.xml",
    "2304.02643v1": "segment-anything-2304.02643v1.xml",
    "2208.12242v2": "dreambooth-2208.12242v2.xml",
    "1512.03385v1": "resnet-1512.03385v1.xml",
    "2006.11239v2": "ddpm-2006.11239v2.xml",
    "2112.10752v2": "latent-diffusion-2112.10752v2.xml",
    "2311.15127v1": "svd-2311.15127v1.xml",
    "1406.2661v1": "gan-1406.2661v1.xml",
    "2111.06377v3": "mae-2111.06377v3.xml",
    "1702.04405v2": "scannet-1702.04405v2.xml",
    "2204.02311v1": "palm-2204.02311v1.xml",
    "2401.99999": "unknown-2401.99999.xml",
    "1234.12345": "error-1234.12345.xml",
}
# A DOI -> the recorded answer (a .txt answer is Crossref's 404).
CROSSREF = {
    "10.1109/CVPR.2016.90": "resnet-10.1109_CVPR.2016.90.json",
    "10.1038/nature14539": "deep-learning-10.1038_nature14539.json",
    "10.1109/TPAMI.2016.2577031": "faster-rcnn-10.1109_TPAMI.2016.2577031.json",
    "10.1145/3528223.3530127": "instant-ngp-10.1145_3528223.3530127.json",
    "10.1007/978-3-030-58452-8_24": "nerf-10.1007_978-3-030-58452-8_24.json",
    "10.1109/ICCV48922.2021.00986": "swin-10.1109_ICCV48922.2021.00986.json",
    "10.18653/v1/N19-1423": "bert-10.18653_v1_N19-1423.json",
    "10.1109/5.726791": "lenet-10.1109_5.726791.json",
    "10.1162/neco.1997.9.8.1735": "lstm-10.1162_neco.1997.9.8.1735.json",
    "10.1007/978-3-319-24574-4_28": "unet-10.1007_978-3-319-24574-4_28.json",
    "10.1145/3422622": "gan-cacm-10.1145_3422622.json",
    "10.1109/CVPR.2016.999999": "unknown-10.1109_CVPR.2016.999999.txt",
}


def arxiv_url(query: str) -> str:
    return f"https://export.arxiv.org/api/query?id_list={quote(query, safe='/')}&max_results=1"


def crossref_url(doi: str) -> str:
    return "https://api.crossref.org/works/" + quote(doi, safe="")


def recorded() -> dict[str, Response]:
    """Every recorded answer by the URL the clients ask."""
    routes = {arxiv_url(q): Response(200, (FIXTURES / "arxiv" / name).read_bytes(), {"content-type": "application/atom+xml"})
              for q, name in ARXIV.items()}
    for doi, name in CROSSREF.items():
        body = (FIXTURES / "crossref" / name).read_bytes()
        status, kind = (404, "text/plain") if name.endswith(".txt") else (200, "application/json")
        routes[crossref_url(doi)] = Response(status, body, {"content-type": kind})
    return routes


class Replay:
    """A `Transport` answering from recorded files; `extra` adds or replaces answers (a Response, or an exception to raise)."""

    def __init__(self, extra: dict[str, Response | Exception] | None = None) -> None:
        self.routes: dict[str, Response | Exception] = {**recorded(), **(extra or {})}
        self.asked: list[tuple[str, float]] = []

    def get(self, url: str, *, timeout: float = 10.0) -> Response:
        self.asked.append((url, timeout))
        answer = self.routes.get(url)
        if answer is None:
            raise AssertionError(f"no recorded answer for {url}")
        if isinstance(answer, Exception):
            raise answer
        return answer


class _ReplayHandler(urllib.request.BaseHandler):
    """Answers https requests from `routes` as urllib's own handler would: a response, an HTTPError or a URLError."""

    handler_order = 100

    def __init__(self, routes: dict[str, Response | Exception]) -> None:
        self.routes = routes
        self.requests: list[urllib.request.Request] = []

    def https_open(self, request: urllib.request.Request) -> urllib.response.addinfourl:
        self.requests.append(request)
        answer = self.routes.get(request.full_url)
        if answer is None:
            raise AssertionError(f"no recorded answer for {request.full_url}")
        if isinstance(answer, Exception):
            raise answer
        headers = email.message.Message()
        for key, value in answer.headers.items():
            headers[key] = value
        response = urllib.response.addinfourl(io.BytesIO(answer.body), headers, request.full_url, answer.status)
        response.msg = "OK" if answer.status == 200 else "Error"
        return response


def replay_opener(extra: dict[str, Response | Exception] | None = None) -> tuple[urllib.request.OpenerDirector, _ReplayHandler]:
    """A urllib opener whose https answers are the recorded ones (and `extra`), with urllib's error processing."""
    handler = _ReplayHandler({**recorded(), **(extra or {})})
    opener = urllib.request.OpenerDirector()
    for h in (handler, urllib.request.HTTPErrorProcessor(), urllib.request.HTTPDefaultErrorHandler()):
        opener.add_handler(h)
    return opener, handler


OFFLINE = Unreachable("cannot reach export.arxiv.org (Temporary failure in name resolution)")
SLOW = TimedOut("export.arxiv.org did not answer within 10 s")
URL_OFFLINE = urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))
URL_TIMEOUT = urllib.error.URLError(TimeoutError("timed out"))


def add(argv: list[str], transport: Replay | None = None) -> int:
    """`papernotes add ...` in this process, answering from recorded files and never sleeping."""
    args: argparse.Namespace = build_parser().parse_args(["add", *argv])
    return cmd_add(args, Clients(transport or Replay(), sleep=lambda _seconds: None))


def problems(root: Path) -> list[Diagnostic]:
    """Every problem `papernotes check` finds in the library at `root` (the current folder must be `root`)."""
    report = check([], load_project(str(root / "mkdocs.yml")))
    return list(report.everything or report.diagnostics)


# -- a library to add papers to ---------------------------------------------------------------

VISION = """# Vision

## Contents
- [Segmentation](#segmentation)

## Segmentation

### [!!] [Meta AI] Segment Anything [[pdf]](https://arxiv.org/abs/2304.02643)
_Alexander Kirillov, Eric Mintun, Piotr Dollár, Ross Girshick_

### [ICCV 2017] Mask R-CNN [[pdf]](https://arxiv.org/abs/1703.06870)
_Kaiming He, Georgia Gkioxari, Piotr Dollár, Ross Girshick_
- A branch for masks.

---
"""
GENERATION = """# Generation

## Diffusion

### [NeurIPS 2023] A Paper About Sampling [[pdf]](https://arxiv.org/abs/2305.00001)
_Ada Lovelace_

### [CVPR 2023] A Paper About Editing [[pdf]](https://arxiv.org/abs/2305.00002)
_Alan Turing, Yann LeCun_
"""
ALIASES = "tags:\n  NeurIPS: [NIPS]\n"


def make_library(root: Path, notes: dict[str, str] | None = None, aliases: str = ALIASES) -> Path:
    write_site(root, notes or {"vision.md": VISION, "generation.md": GENERATION}, plugin={"aliases": "aliases.yml"})
    (root / "aliases.yml").write_text(aliases, encoding="utf-8")
    return root

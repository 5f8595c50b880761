"""Where `papernotes add` gets a paper: identifiers, the urllib transport, arXiv's Atom feed and Crossref's JSON.

Every answer is recorded (tests/fixtures/add/, replayed by tests/support/addkit.py); every failure is one
sentence that says what failed and what to do."""

from __future__ import annotations

import urllib.error

import pytest
from papernotes.add.arxiv import ArxivClient, parse_feed
from papernotes.add.crossref import CrossrefClient, parse_work
from papernotes.add.identifiers import BadIdentifier, PaperId, parse_identifier
from papernotes.add.transport import USER_AGENT, FetchError, Response, TimedOut, Unreachable, UrllibTransport
from support.addkit import FIXTURES, URL_OFFLINE, URL_TIMEOUT, Replay, arxiv_url, crossref_url, replay_opener


@pytest.mark.parametrize(("text", "kind", "value", "version"), [
    ("2304.02643", "arxiv", "2304.02643", ""),
    ("arXiv:2304.02643v2", "arxiv", "2304.02643", "v2"),
    ("ARXIV: 2304.02643V2", "arxiv", "2304.02643", "v2"),
    ("https://arxiv.org/abs/2304.02643", "arxiv", "2304.02643", ""),
    ("http://www.arxiv.org/abs/2304.02643v1/", "arxiv", "2304.02643", "v1"),
    ("https://arxiv.org/pdf/2304.02643v3.pdf", "arxiv", "2304.02643", "v3"),
    ("arxiv.org/pdf/2304.02643", "arxiv", "2304.02643", ""),
    ("https://export.arxiv.org/abs/0704.0001?context=cs", "arxiv", "0704.0001", ""),
    ("hep-th/9901001", "arxiv", "hep-th/9901001", ""),
    ("https://arxiv.org/abs/math.AG/0309136v2", "arxiv", "math.AG/0309136", "v2"),
    ("10.1109/CVPR.2016.90", "doi", "10.1109/CVPR.2016.90", ""),
    ("doi:10.1038/nature14539", "doi", "10.1038/nature14539", ""),
    ("https://doi.org/10.1007/978-3-030-58452-8_24", "doi", "10.1007/978-3-030-58452-8_24", ""),
    ("https://dx.doi.org/10.1145%2F3528223.3530127", "doi", "10.1145/3528223.3530127", ""),
    ("https://doi.org/10.48550/arXiv.2304.02643", "arxiv", "2304.02643", ""),  # arXiv's DataCite DOI: read on arXiv
    ("  10.18653/v1/N19-1423.  ", "doi", "10.18653/v1/N19-1423", ""),
])
def test_identifiers_in_every_accepted_form(text: str, kind: str, value: str, version: str) -> None:
    assert parse_identifier(text) == PaperId(kind, value, version)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["Segment Anything", "2304.026431", "arxiv.org/abs/", "https://example.com/2304.02643", "11.1109/x", ""])
def test_anything_else_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(BadIdentifier, match=r"is neither an arXiv id or URL \(2304\.02643.*or a DOI \(10\.1109"):
        parse_identifier(text)


@pytest.mark.parametrize("text", ["2304.0264", "1412.12345", "2313.00001", "arXiv:0013.1234v2"])
def test_arxiv_ids_that_cannot_exist_are_refused_before_asking(text: str) -> None:
    with pytest.raises(BadIdentifier, match=r"is not a valid arXiv id \(YYMM\.NNNNN"):
        parse_identifier(text)


# -- the urllib transport, through an opener that answers from the recordings ----------------------


def test_transport_returns_every_status_and_sends_its_user_agent() -> None:
    opener, handler = replay_opener({"https://api.example.org/429": Response(429, b"Too many", {"Retry-After": "30"})})
    transport = UrllibTransport(opener)
    answer = transport.get(arxiv_url("2208.12242v2"))
    assert answer.status == 200 and answer.body == (FIXTURES / "arxiv" / "dreambooth-2208.12242v2.xml").read_bytes()
    missing = transport.get(crossref_url("10.1109/CVPR.2016.999999"))
    assert (missing.status, missing.body) == (404, b"Resource not found.")
    limited = transport.get("https://api.example.org/429")
    assert (limited.status, limited.headers["retry-after"]) == (429, "30")
    assert {r.get_header("User-agent") for r in handler.requests} == {USER_AGENT}


@pytest.mark.parametrize(("failure", "kind", "message"), [
    (URL_OFFLINE, Unreachable, "cannot reach export.arxiv.org (Temporary failure in name resolution)"),
    (URL_TIMEOUT, TimedOut, "export.arxiv.org did not answer within 10 s"),
    (TimeoutError("read timed out"), TimedOut, "export.arxiv.org did not answer within 10 s"),
    (ConnectionResetError(104, "Connection reset by peer"), Unreachable, "cannot reach export.arxiv.org (Connection reset by peer)"),
])
def test_transport_failures_are_one_sentence(failure: Exception, kind: type[Exception], message: str) -> None:
    opener, _ = replay_opener({arxiv_url("1512.03385v1"): failure})
    with pytest.raises(kind) as caught:
        UrllibTransport(opener).get(arxiv_url("1512.03385v1"))
    assert str(caught.value) == message


# -- arXiv -------------------------------------------------------------------------------------


def fetch_arxiv(ident: str, extra: dict[str, Response | Exception] | None = None) -> object:
    opener, _ = replay_opener(extra)
    return ArxivClient(UrllibTransport(opener), sleep=lambda _s: None).fetch(parse_identifier(ident))


def test_arxiv_entry_is_read_with_its_version_dates_comment_and_doi() -> None:
    paper = fetch_arxiv("arXiv:2111.06377v3")
    assert paper.source == "arXiv:2111.06377v3"
    assert (paper.arxiv_id, paper.year, paper.update_year) == ("2111.06377", 2021, 2021)
    assert paper.venue_texts == ("Tech report. arXiv v2: add more transfer learning results; v3: add robustness evaluation",)
    assert paper.url == "https://arxiv.org/abs/2111.06377"
    latest = fetch_arxiv("1706.03762")  # unversioned: arXiv answers with the latest version
    assert (latest.source, latest.year, latest.update_year) == ("arXiv:1706.03762v7", 2017, 2023)


def test_arxiv_title_wrapped_across_lines_is_one_line() -> None:
    paper = fetch_arxiv("2208.12242v2")
    assert paper.title == "DreamBooth: Fine Tuning Text-to-Image Diffusion Models for Subject-Driven Generation"
    assert b"Subject-Driven\n  Generation" in (FIXTURES / "arxiv" / "dreambooth-2208.12242v2.xml").read_bytes()


def test_arxiv_journal_reference_comes_before_the_comment() -> None:
    assert fetch_arxiv("1406.2661v1").venue_texts == ("Advances in Neural Information Processing Systems 27 (NIPS 2014)",)


@pytest.mark.parametrize(("ident", "message"), [
    ("2401.99999", "arXiv:2401.99999: arXiv has no paper with this id; check the id (https://arxiv.org/abs/2401.99999)"),
    # An id this code would not send (no month 34), to see arXiv's own error entry read.
    ("1234.12345", "arXiv:1234.12345: arXiv cannot read this id (incorrect id format for 1234.12345); check the id"),
])
def test_arxiv_unknown_id_empty_feed_or_error_entry(ident: str, message: str) -> None:
    opener, _ = replay_opener()
    with pytest.raises(FetchError) as caught:
        ArxivClient(UrllibTransport(opener)).fetch(PaperId("arxiv", ident))
    assert str(caught.value) == message


def test_arxiv_entry_without_title_is_an_unknown_id() -> None:
    """The older service answered an unknown id with an entry holding only its id."""
    feed = (b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>http://arxiv.org/abs/0801.99999</id>'
            b"<title/></entry></feed>")
    with pytest.raises(FetchError, match=r"^arXiv:0801\.99999: arXiv has no paper with this id; check the id"):
        parse_feed(feed, PaperId("arxiv", "0801.99999"))


@pytest.mark.parametrize(("body", "why"), [
    ((FIXTURES / "arxiv" / "truncated-1706.03762.xml").read_bytes(), r"\(unclosed token: line 24, column 24\)"),
    (b"<html><body>Service unavailable</body></html>", r"\(its root is <html>\)"),
    (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom"/>',
     r"\(it declares a document type\)"),
    (b"", r"\(no element found"),
])
def test_arxiv_malformed_answer_is_one_sentence(body: bytes, why: str) -> None:
    with pytest.raises(FetchError, match=rf"^arXiv:1706\.03762: arXiv's answer is not the Atom feed its API documents {why}.*"
                                         r"try again later, or add the paper by hand$"):
        fetch_arxiv("1706.03762", {arxiv_url("1706.03762"): Response(200, body)})


@pytest.mark.parametrize(("answer", "message"), [
    (Response(503, b"Rate exceeded.", {"Retry-After": "20"}), "arXiv is limiting requests (HTTP 503); wait 20 s and try again"),
    (Response(429, b""), "arXiv is limiting requests (HTTP 429); wait a minute and try again"),
    (Response(200, b"Rate exceeded."), "arXiv is limiting requests (HTTP 200); wait a minute and try again"),
    (Response(500, b"oops"), "arXiv failed to answer (HTTP 500); try again later"),
    (URL_OFFLINE, "cannot reach export.arxiv.org (Temporary failure in name resolution); check the network connection and try again"),
    (URL_TIMEOUT, "export.arxiv.org did not answer within 10 s; try again later"),
])
def test_arxiv_rate_limit_offline_and_timeout(answer: Response | Exception, message: str) -> None:
    with pytest.raises(FetchError) as caught:
        fetch_arxiv("2006.11239v2", {arxiv_url("2006.11239v2"): answer})
    assert str(caught.value) == f"arXiv:2006.11239v2: {message}"


def test_arxiv_waits_three_seconds_between_its_own_requests() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    client = ArxivClient(Replay(), clock=lambda: now[0], sleep=sleep)
    client.fetch(parse_identifier("1512.03385v1"))
    assert waits == []  # the first request does not wait
    now[0] += 1.0
    client.fetch(parse_identifier("2006.11239v2"))
    assert waits == [2.0]
    now[0] += 5.0
    client.fetch(parse_identifier("2112.10752v2"))
    assert waits == [2.0]  # three seconds had passed


# -- Crossref ----------------------------------------------------------------------------------


def fetch_doi(doi: str, extra: dict[str, Response | Exception] | None = None) -> object:
    opener, _ = replay_opener(extra)
    return CrossrefClient(UrllibTransport(opener)).fetch(parse_identifier(doi))


def test_crossref_work_is_read_with_event_containers_and_year() -> None:
    nerf = fetch_doi("10.1007/978-3-030-58452-8_24")
    assert nerf.venue_texts == ("ECCV", "European Conference on Computer Vision", "Computer Vision – ECCV 2020",
                                "Lecture Notes in Computer Science")
    assert (nerf.year, nerf.doi, nerf.url) == (2020, "10.1007/978-3-030-58452-8_24", "https://doi.org/10.1007/978-3-030-58452-8_24")
    resnet = fetch_doi("10.1109/CVPR.2016.90")
    assert resnet.year == 2016 and resnet.venue_texts[0] == "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert fetch_doi("10.1109/TPAMI.2016.2577031").year == 2017  # printed 2017, online 2016
    assert fetch_doi("10.1145/3422622").text == "Placeholder abstract: the recorded answers keep the paper's facts; the abstract is not one of them."


def test_crossref_names_and_markup() -> None:
    work = {"status": "ok", "message-type": "work", "message": {
        "title": ["H<sub>2</sub>O &amp; <i>in vivo</i> imaging"], "subtitle": ["A study"],
        "author": [{"given": "Jean", "family": "Dupont", "suffix": "Jr.", "sequence": "first"}, {"name": "The ATLAS Collaboration"},
                   {"family": "Zhang"}, {"given": " ", "family": " "}],
        "issued": {"date-parts": [[None]]}, "created": {"date-parts": [[2020, 1, 1]]}}}
    import json
    paper = parse_work(json.dumps(work).encode(), PaperId("doi", "10.1/x"))
    assert paper.title == "H2O & in vivo imaging: A study"
    assert paper.authors == ("Jean Dupont Jr.", "The ATLAS Collaboration", "Zhang")
    assert paper.year == 2020


@pytest.mark.parametrize(("answer", "message"), [
    (None, "Crossref does not know this DOI (HTTP 404); check it at https://doi.org/10.1109/CVPR.2016.999999, or add the paper by hand"),
    (Response(200, b'{"status": "ok", "message-type": "work", "message": {"title": ['),
     "Crossref's answer is not the JSON its API documents (Expecting value: line 1 column 64 (char 63)); try again later, "
     "or add the paper by hand"),
    (Response(200, b'{"status": "ok", "message-type": "work-list", "message": {"items": []}}'),
     "Crossref's answer is not the JSON its API documents (no work in it); try again later, or add the paper by hand"),
    (Response(200, b'{"status": "ok", "message-type": "work", "message": {"title": []}}'),
     "Crossref has no title for this DOI; add the paper by hand"),
    (Response(200, b"\xff\xfe"), "Crossref's answer is not the JSON its API documents ("),
    (Response(429, b"", {"Retry-After": "5"}), "Crossref is limiting requests (HTTP 429); wait 5 s and try again"),
    (Response(400, b"bad"), "Crossref refused the request (HTTP 400)"),
    (urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")),
     "cannot reach api.crossref.org (Connection refused); check the network connection and try again"),
    (URL_TIMEOUT, "api.crossref.org did not answer within 10 s; try again later"),
])
def test_crossref_unknown_doi_malformed_rate_limit_offline_timeout(answer: Response | Exception | None, message: str) -> None:
    doi = "10.1109/CVPR.2016.999999"
    with pytest.raises(FetchError) as caught:
        fetch_doi(doi, {crossref_url(doi): answer} if answer is not None else None)
    assert str(caught.value).startswith(f"DOI {doi}: {message}")

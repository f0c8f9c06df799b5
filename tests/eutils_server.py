"""A test server that speaks NCBI's E-utilities for PubMed on 127.0.0.1 (a free port), serving the real records
of tests/fixtures/pubmed/ (copies of ../shared/fixtures/pubmed/) and any made with `article`.

    GET|POST /entrez/eutils/esearch.fcgi  db=pubmed term=... retmode=json|xml retmax=N (20) retstart=K (0)
    GET|POST /entrez/eutils/efetch.fcgi   db=pubmed id=PMID,PMID,... retmode=xml

POST takes the parameters form-encoded (application/x-www-form-urlencoded), GET in the query; both are merged.
esearch resolves terms `NCT01234567[si]` joined with OR against each served article's
`DataBankList//AccessionNumber` (and the extra mapping `Eutils.si`), the PMIDs in descending order; a phrase that
finds nothing goes to errorlist.phrasesnotfound, a field other than [si] to fieldsnotfound, an empty term is an
ERROR. efetch answers as NCBI does: the XML declaration, the PubMed DOCTYPE, a PubmedArticleSet of the articles
asked that it has (the others silently left out), in the order asked.

Faults are switched per path (the endpoint, "esearch.fcgi" or "efetch.fcgi") and count: `fail(path, fault,
times)` queues them, one taken per request to that path: "429" (NCBI's small JSON body, no Retry-After), "500",
"502", "503", "504", "cut" (Content-Length of the whole body, half of it sent, then the connection closed),
"html" (HTTP 200 with an HTML error page), "drop" (the last PMID asked that it has left out), "entity" (an efetch
body whose DOCTYPE declares an entity), "reset" (the connection closed without an answer), "slow" (the answer
`slow_seconds` late), "raw" (HTTP 200 with the next body given to `fail`, as it is). A GET whose request line is longer than `max_url` characters gets 414. `log` keeps every
request: (time.monotonic(), method, path, query and form parameters).

    python -m tests.eutils_server [--port N]   # serve until interrupted
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
import xml.etree.ElementTree as ET
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).parent / "fixtures" / "pubmed"
DECLARATION = '<?xml version="1.0" ?>\n'
DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')
ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>|<PubmedBookArticle>.*?</PubmedBookArticle>", re.S)
SI_TERM = re.compile(r'\(?\s*"?(?P<phrase>[^"\[\]()]+?)"?\s*\[(?P<field>[^\]]+)\]\s*\)?')
RATE_LIMITED = b'{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}\n'
HTML_ERROR = (b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Error</title></head>\n'
              b"<body><h1>Service unavailable</h1><p>The server is temporarily unable to service your request.<br>"
              b"Please try again later.</body></html>\n")


def real_articles() -> dict[str, str]:
    """PMID -> the `<PubmedArticle>...</PubmedArticle>` text of each real record of the fixtures."""
    out = {}
    for path in sorted(FIXTURES.glob("*.xml")):
        text = ARTICLE.search(path.read_text(encoding="utf-8"))
        assert text, path
        out[pmid_of(text.group(0))] = text.group(0)
    return out


def pmid_of(article_xml: str) -> str:
    root = ET.fromstring(article_xml)
    found = root.findtext("MedlineCitation/PMID") or root.findtext("BookDocument/PMID")
    assert found, article_xml[:80]
    return found


def article(pmid: str, *ncts: str, title: str = "Low-dose interleukin-2 in a trial") -> str:
    """A small PubmedArticle on the PubMed DTD (pubmed_250101.dtd), naming `ncts` in its DataBankList."""
    bank = ""
    if ncts:
        numbers = "".join(f"<AccessionNumber>{n}</AccessionNumber>" for n in ncts)
        bank = ('<DataBankList CompleteYN="Y"><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>'
                f"<AccessionNumberList>{numbers}</AccessionNumberList></DataBank></DataBankList>")
    return (f'<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">{pmid}</PMID>'
            '<Article PubModel="Print"><Journal><JournalIssue CitedMedium="Internet"><PubDate><Year>2020</Year>'
            f"</PubDate></JournalIssue><Title>A journal</Title></Journal><ArticleTitle>{title}</ArticleTitle>"
            f'<Language>eng</Language>{bank}<PublicationTypeList><PublicationType UI="D016428">Journal Article'
            "</PublicationType></PublicationTypeList></Article></MedlineCitation><PubmedData><ArticleIdList>"
            f'<ArticleId IdType="pubmed">{pmid}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>')


def article_set(articles: list[str], doctype: str = DOCTYPE) -> bytes:
    """An efetch body as NCBI sends it."""
    return (DECLARATION + doctype + "<PubmedArticleSet>\n" + "".join(a + "\n" for a in articles)
            + "</PubmedArticleSet>\n").encode("utf-8")


@dataclass
class Request:
    """One request as the server saw it: when (time.monotonic()), how, where, with what."""

    time: float
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]

    @property
    def params(self) -> dict[str, str]:
        return {**self.query, **self.form}

    @property
    def endpoint(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass
class Eutils:
    """What the server serves and how it misbehaves; tests change it between requests."""

    articles: dict[str, str] = field(default_factory=real_articles)
    si: dict[str, list[str]] = field(default_factory=dict)  # extra NCT id -> PMIDs, beside the DataBankLists
    max_url: int = 4000
    slow_seconds: float = 2.0
    faults: dict[str, deque[str]] = field(default_factory=lambda: defaultdict(deque))
    raw: deque[bytes] = field(default_factory=deque)  # the bodies of "raw" faults, in turn
    log: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, path: str, fault: str, times: int = 1, body: bytes = b"") -> None:
        """The next `times` requests to `path` ("efetch.fcgi", "esearch.fcgi") get `fault` ("raw": `body`)."""
        with self.lock:
            self.faults[path].extend([fault] * times)
            if fault == "raw":
                self.raw.extend([body] * times)

    def add(self, *articles: str) -> None:
        for a in articles:
            self.articles[pmid_of(a)] = a

    def requests_to(self, path: str) -> list[Request]:
        with self.lock:
            return [r for r in self.log if r.endpoint == path]

    def index(self) -> dict[str, set[str]]:
        """NCT id -> the PMIDs whose articles name it in a DataBankList, and those of the extra mapping `si`."""
        out: dict[str, set[str]] = defaultdict(set)
        for nct, pmids in self.si.items():
            out[nct].update(pmids)
        for pmid, text in list(self.articles.items()):
            for n in ET.fromstring(text).iterfind(".//DataBankList/DataBank/AccessionNumberList/AccessionNumber"):
                out[(n.text or "").strip()].add(pmid)
        return out


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str, cut: bool = False) -> None:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that timed out has gone
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))  # the whole body, even when half is sent
            self.end_headers()
            self.wfile.write(body[: len(body) // 2] if cut else body)
            self.wfile.flush()
        if cut:
            self.close_connection = True

    def do_GET(self) -> None:
        self._answer("GET", {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        self._answer("POST", {k: v[-1] for k, v in parse_qs(raw, keep_blank_values=True).items()})

    def _answer(self, method: str, form: dict[str, str]) -> None:
        eu = self.server.eutils
        now = time.monotonic()
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        request = Request(now, method, url.path, query, form)
        with eu.lock:
            eu.log.append(request)
            queue = eu.faults.get(request.endpoint)
            fault = queue.popleft() if queue else None
        if method == "GET" and len(self.requestline) > eu.max_url:
            return self._send(414, b"<html><body><h1>414 Request-URI Too Large</h1></body></html>", "text/html")
        if fault in ("429", "500", "502", "503", "504"):
            body = RATE_LIMITED if fault == "429" else b'{"error":"internal server error"}\n'
            return self._send(int(fault), body, "application/json")
        if fault == "reset":
            self.close_connection = True
            return None
        if fault == "slow":
            time.sleep(eu.slow_seconds)
        if fault == "html":
            return self._send(200, HTML_ERROR, "text/html; charset=UTF-8")
        if fault == "raw":
            with eu.lock:
                raw = eu.raw.popleft()
            return self._send(200, raw, "application/json; charset=UTF-8")
        params = request.params
        if request.endpoint == "esearch.fcgi" and url.path.endswith("/eutils/esearch.fcgi"):
            body, kind = self._esearch(eu, params)
        elif request.endpoint == "efetch.fcgi" and url.path.endswith("/eutils/efetch.fcgi"):
            body, kind = self._efetch(eu, params, fault)
        else:
            return self._send(404, b"<html><body>Not Found</body></html>", "text/html")
        return self._send(200, body, kind, cut=fault == "cut")

    @staticmethod
    def _esearch(eu: Eutils, params: dict[str, str]) -> tuple[bytes, str]:
        term = params.get("term", "").strip()
        retmax, retstart = min(int(params.get("retmax", "20")), 10_000), int(params.get("retstart", "0"))
        as_json = params.get("retmode") == "json"
        if params.get("db") != "pubmed" or not term:
            error = "Empty term and query_key - nothing todo" if not term else f"Invalid db name specified: {params.get('db')}"
            if as_json:
                return json.dumps({"header": {"type": "esearch", "version": "0.3"},
                                   "esearchresult": {"ERROR": error}}).encode(), "application/json; charset=UTF-8"
            return (DECLARATION + f"<eSearchResult><ERROR>{error}</ERROR></eSearchResult>\n").encode(), "text/xml"
        index, found = eu.index(), set[str]()
        phrases_not_found, fields_not_found, parts = [], [], []
        for part in re.split(r"\s+OR\s+", term):
            m = SI_TERM.fullmatch(part.strip())
            if not m or m.group("field").lower() != "si":
                fields_not_found.append(m.group("field") if m else part)
                continue
            hits = index.get(m.group("phrase").strip(), set())
            found |= hits
            if hits:
                parts.append(f"{m.group('phrase').strip()}[si]")
            else:
                phrases_not_found.append(m.group("phrase").strip())
        ids = sorted(found, key=int, reverse=True)
        page = ids[retstart : retstart + retmax]
        errors = {"phrasesnotfound": phrases_not_found, "fieldsnotfound": fields_not_found}
        if as_json:
            result: dict[str, object] = {"count": str(len(ids)), "retmax": str(len(page)), "retstart": str(retstart),
                                         "idlist": page, "translationset": [],
                                         "querytranslation": " OR ".join(parts)}
            if phrases_not_found or fields_not_found:
                result["errorlist"] = errors
            data = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
            return json.dumps(data).encode(), "application/json; charset=UTF-8"
        root = ET.Element("eSearchResult")
        for tag, value in (("Count", len(ids)), ("RetMax", len(page)), ("RetStart", retstart)):
            ET.SubElement(root, tag).text = str(value)
        id_list = ET.SubElement(root, "IdList")
        for pmid in page:
            ET.SubElement(id_list, "Id").text = pmid
        ET.SubElement(root, "TranslationSet")
        ET.SubElement(root, "QueryTranslation").text = " OR ".join(parts)
        if phrases_not_found or fields_not_found:
            error_list = ET.SubElement(root, "ErrorList")
            for tag, values in (("PhraseNotFound", phrases_not_found), ("FieldNotFound", fields_not_found)):
                for v in values:
                    ET.SubElement(error_list, tag).text = v
        doctype = ('<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD esearch 20060628//EN" '
                   '"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n')
        return (DECLARATION + doctype + ET.tostring(root, encoding="unicode") + "\n").encode(), "text/xml; charset=UTF-8"

    @staticmethod
    def _efetch(eu: Eutils, params: dict[str, str], fault: str | None) -> tuple[bytes, str]:
        asked = [p.strip() for p in params.get("id", "").split(",") if p.strip()]
        if params.get("db") != "pubmed" or not asked:
            error = "Empty id list - nothing todo" if not asked else f"Invalid db name specified: {params.get('db')}"
            return (DECLARATION + f"<eFetchResult>\n\t<ERROR>{error}</ERROR>\n</eFetchResult>\n").encode(), "text/xml"
        served = [eu.articles[p] for p in dict.fromkeys(asked) if p in eu.articles]
        if fault == "drop" and served:
            served.pop()
        doctype = DOCTYPE
        if fault == "entity":
            doctype = DOCTYPE.replace('.dtd">', '.dtd" [\n<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">\n]>')
        return article_set(served, doctype), "text/xml; charset=UTF-8"


class Server(ThreadingHTTPServer):
    daemon_threads = True
    eutils: Eutils


class EutilsServer:
    """The server in a thread: `with EutilsServer() as srv: srv.api` is the base URL to give the client."""

    def __init__(self, eutils: Eutils | None = None, port: int = 0) -> None:
        self.eutils = eutils or Eutils()
        self.httpd = Server(("127.0.0.1", port), Handler)
        self.httpd.eutils = self.eutils
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/entrez/eutils"

    def __enter__(self) -> EutilsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args()
    with EutilsServer(port=args.port) as srv:
        print(srv.api, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            srv.thread.join()


if __name__ == "__main__":
    main()

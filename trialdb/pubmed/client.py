"""A client for NCBI's E-utilities, limited to PubMed and to the two requests this project makes:

    POST {api}/esearch.fcgi   form: db=pubmed term=... retmode=json retmax=N retstart=K tool=... email=... [api_key=...]
        -> {"header": {...}, "esearchresult": {"count": "N", "retmax": "n", "retstart": "K",
                                               "idlist": ["PMID", ...], "errorlist": {...}?, "ERROR": "..."?}}
    POST {api}/efetch.fcgi    form: db=pubmed id=PMID,PMID,... retmode=xml tool=... email=... [api_key=...]
        -> <?xml ...?><!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, ...//EN" "...pubmed_250101.dtd">
           <PubmedArticleSet><PubmedArticle>...</PubmedArticle>...</PubmedArticleSet>
           (a PMID PubMed does not have is silently left out; a book chapter is a PubmedBookArticle)

The rules, from NCBI's documentation ("The E-utilities In-Depth: Parameters, Syntax and More" and "A General
Introduction to the E-utilities", https://www.ncbi.nlm.nih.gov/books/NBK25499/ and NBK25497/):

- "In order not to overload the E-utility servers, NCBI recommends that users post no more than three URL requests
  per second"; with an API key (`api_key`) the limit is "10 requests/second". Every HTTP request this client sends,
  retries included, takes a turn of one `RateLimit` (from trialdb.registry.client), spaced 25% wider than the rule
  (3/s: one start every 0.417 s; 10/s: every 0.125 s) so that NCBI, which sees arrival times shifted by the network,
  still counts no more than the rule in any second. One client at a time per machine and key: two clients do not
  share their turns.
- `tool` (the software's name, no spaces) and `email` (its developer's address, no spaces) go with every request,
  so that NCBI can reach the developer before blocking; the email is left out only when none is known.
- A long list of UIDs, or a long term, is sent by HTTP POST ("if more than about 200 UIDs are to be provided, the
  request should be made using the HTTP POST method"); efetch asks at most 200 PMIDs a request. Both requests are
  sent by POST, their parameters (the API key among them) in the form body, never in a URL that logs keep.
- esearch returns 20 ids unless `retmax` says otherwise (at most 10,000 a page); more are paged with `retstart`,
  and PubMed's esearch reaches only the first 10,000 ids of a search.

Retries come from urllib3's `Retry` on 429 (NCBI sends it without a Retry-After header: exponential back-off, the
first retry included), 500, 502, 503 and 504, connection errors and read timeouts; POST is among its allowed methods
because esearch and efetch are read-only queries, safe to send again. A response served with HTTP 200 whose body is
cut short, is not JSON (esearch) or not a well-formed `PubmedArticleSet` (efetch: an HTML error page, another
root) is the same kind of transient fault: asked again with the same `Retry` object's counts and back-off
(`Retry.increment` and `Retry.sleep`). Only when a request keeps failing does it raise `PubmedError`, naming the
request (the URL; the term for esearch; the first and last PMID of the batch and its size for efetch). An XML body
declaring an entity (an entity bomb, an external entity) is refused at once, not retried: it is an attack, not a
fault. efetch's XML is parsed with defusedxml (the DOCTYPE PubMed sends allowed; entities and external references
forbidden).
"""

from __future__ import annotations

import json
import os
import re
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET  # type: ignore[import-untyped]
import requests
from defusedxml import DefusedXmlException
from requests.adapters import HTTPAdapter
from urllib3 import BaseHTTPResponse
from urllib3.exceptions import MaxRetryError, ProtocolError
from urllib3.util.retry import Retry

from trialdb.registry.client import RateLimit

DEFAULT_API = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
DEFAULT_TOOL = "il2-trial-dashboard"
SECRETS = Path(".streamlit") / "secrets.toml"  # Streamlit's project secrets, relative to where the app runs
MAX_BATCH = 200  # PMIDs an efetch request asks at the most
MAX_PAGE = 10_000  # esearch's largest retmax, and how far PubMed's esearch pages at all
PER_SECOND = 3.0  # NCBI's rule without an API key
PER_SECOND_WITH_KEY = 10.0  # ... and with one
SPACING = 1.25  # requests are spaced this much wider than the rule allows
PMID = re.compile(r"[1-9]\d{0,9}")
USER_AGENT = "il2-trial-dashboard/1 (python-requests; low-dose IL-2 publications)"

T = TypeVar("T")


class PubmedError(Exception):
    """E-utilities could not be read as the protocol says: names the request (URL, term or PMIDs) and the problem."""


class _Unparsed(Exception):
    """A response served whole or in part that is not a complete document of the expected kind: asked again."""


@dataclass(frozen=True)
class Credentials:
    """Who asks NCBI: the API key (10 requests a second instead of 3) and the developer's email, each or both None."""

    api_key: str | None = None
    email: str | None = None


def credentials(secrets: Path = SECRETS, environ: Mapping[str, str] | None = None) -> Credentials:
    """NCBI_API_KEY and NCBI_EMAIL from the environment (`environ`, default os.environ), each falling back to the
    same key in Streamlit's secrets file `secrets` (TOML, read with tomllib; a missing file is no error). Empty
    values count as absent. PubmedError names the file when it is not TOML or a value is not a string."""
    env = os.environ if environ is None else environ
    stored: dict[str, Any] = {}
    if secrets.is_file():
        try:
            stored = tomllib.loads(secrets.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise PubmedError(f"{secrets}: not a TOML file ({exc})") from None

    def value(name: str) -> str | None:
        found = env.get(name) or stored.get(name)
        if found is not None and not isinstance(found, str):
            raise PubmedError(f"{secrets}: {name} is not a string ({type(found).__name__})")
        return found.strip() or None if found else None

    return Credentials(api_key=value("NCBI_API_KEY"), email=value("NCBI_EMAIL"))


class _PacedRetry(Retry):
    """urllib3's `Retry`, its waits made through the client: before every request it sends again (the adapter's
    retries and the client's alike) it backs off with the client's `nap`, then takes the client's `pace` (the rate
    limit's turn and the request count). The first retry backs off too (urllib3 sends it at once): NCBI's 429 carries
    no Retry-After, and an immediate repeat would be too fast again."""

    def __init__(self, *args: Any, pace: Callable[[], None] = lambda: None,
                 nap: Callable[[float], None] = time.sleep, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pace, self.nap = pace, nap

    def new(self, **kw: Any) -> Self:
        out = super().new(**kw)
        out.pace, out.nap = self.pace, self.nap
        return out

    def get_backoff_time(self) -> float:
        """Seconds to wait before the next try: backoff_factor x 2^(n-1) after n failures in a row (at most
        backoff_max), the first included."""
        return max(super().get_backoff_time(), min(self.backoff_max, self.backoff_factor)) if self.history else 0.0

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        after = self.get_retry_after(response) if response is not None and self.respect_retry_after_header else None
        wait = after if after is not None else self.get_backoff_time()
        if wait > 0:
            self.nap(wait)
        self.pace()


def _article_set(body: bytes) -> Element:
    """The root of an efetch body, a `PubmedArticleSet`. _Unparsed when the body is not well-formed XML (cut short,
    an HTML page) or has another root; PubmedError at once when it declares an entity or refers outside itself."""
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise PubmedError(f"the body declares an entity or an external reference ({exc!r}): refused") from None
    except ParseError as exc:
        raise _Unparsed(f"the body is not well-formed XML, or was cut short ({exc}; begins {body[:60]!r})") from None
    if root.tag != "PubmedArticleSet":
        error = root.findtext(".//ERROR")
        raise _Unparsed(f"the body's root is <{root.tag}>, not <PubmedArticleSet>"
                        + (f" (ERROR: {error.strip()[:200]})" if error else ""))
    return root


def pmids_in(body: bytes) -> list[str]:
    """The PMIDs an efetch body holds, in its order: `PubmedArticle/MedlineCitation/PMID` and
    `PubmedBookArticle/BookDocument/PMID`. PubmedError when the body is not a PubmedArticleSet."""
    try:
        root = _article_set(body)
    except _Unparsed as exc:
        raise PubmedError(str(exc)) from None
    out = []
    for child in root:
        path = {"PubmedArticle": "MedlineCitation/PMID", "PubmedBookArticle": "BookDocument/PMID"}.get(child.tag)
        text = child.findtext(path) if path else None
        if text is not None:
            out.append(text.strip())
    return out


class Client:
    """esearch and efetch on PubMed under NCBI's rules (see the module's docstring).

    `api`: the E-utilities base URL. `email`, `api_key`: the caller's (see `credentials`, `from_environment`); the
    rate is 10 requests a second with a key, else 3. `tool`: sent with every request. `retries`: how many times a
    failing request is sent again, per kind of fault; `backoff`: seconds, doubled at each retry (at most 120).
    `timeout`: (connect, read) seconds. `batch`: PMIDs an efetch request asks (1 to 200). `page`: esearch's retmax
    (1 to 10,000). `clock` and `sleep` (seconds): for the rate limit and the back-off, injectable for tests.
    `requests`: how many HTTP requests the client has sent, retries included."""

    def __init__(self, api: str = DEFAULT_API, *, email: str | None = None, api_key: str | None = None,
                 tool: str = DEFAULT_TOOL, retries: int = 5, backoff: float = 2.0,
                 timeout: tuple[float, float] = (10.0, 120.0), batch: int = MAX_BATCH, page: int = MAX_PAGE,
                 clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep) -> None:
        if not 1 <= batch <= MAX_BATCH:
            raise ValueError(f"batch {batch}: efetch asks 1 to {MAX_BATCH} PMIDs a request")
        if not 1 <= page <= MAX_PAGE:
            raise ValueError(f"page {page}: esearch's retmax is 1 to {MAX_PAGE}")
        for name, value in (("tool", tool), ("email", email), ("api_key", api_key)):
            if value is not None and (not value or re.search(r"\s", value)):
                raise ValueError(f"{name} {value!r}: NCBI wants a value without spaces")
        self.api = api.rstrip("/")
        self.identity = {"tool": tool, **({"email": email} if email else {}), **({"api_key": api_key} if api_key else {})}
        self.timeout, self.batch, self.page = timeout, batch, page
        per_second = PER_SECOND_WITH_KEY if api_key else PER_SECOND
        self.limit = RateLimit(60.0 * per_second / SPACING, clock=clock, sleep=sleep)
        self.retry = _PacedRetry(total=retries, connect=retries, read=retries, status=retries, other=0,
                                 backoff_factor=backoff, backoff_max=120, status_forcelist=(429, 500, 502, 503, 504),
                                 allowed_methods=frozenset({"GET", "POST"}), respect_retry_after_header=True,
                                 raise_on_status=True, pace=self._pace, nap=sleep)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT})
        adapter = HTTPAdapter(max_retries=self.retry)  # the one back-off definition, for the adapter and _post
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests = 0
        self.phrases_not_found: list[str] = []

    @classmethod
    def from_environment(cls, api: str = DEFAULT_API, *, secrets: Path = SECRETS,
                         environ: Mapping[str, str] | None = None, **options: Any) -> Client:
        """A client with the API key and email of `credentials(secrets, environ)`; `options` as for Client."""
        found = credentials(secrets, environ)
        return cls(api, email=found.email, api_key=found.api_key, **options)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _pace(self) -> None:
        """Before every HTTP request: the rate limit's turn, and the count."""
        self.limit.wait()
        self.requests += 1

    def _post(self, endpoint: str, form: dict[str, str], what: str, read: Callable[[bytes], T]) -> T:
        """`read` of the body that `endpoint` answers to `form` (with tool, email and api_key). A body `read` finds
        cut short or unparsable (_Unparsed) is asked again with the client's `Retry`, then PubmedError naming `what`."""
        url = f"{self.api}/{endpoint}"
        data = {**form, **self.identity}
        attempt = self.retry.new()
        self._pace()
        while True:
            try:
                return read(self._send(url, data))
            except _Unparsed as exc:
                try:
                    attempt = attempt.increment(method="POST", url=url, error=ProtocolError(str(exc)))
                except MaxRetryError:
                    raise PubmedError(f"{what}: {exc} (kept failing: {len(attempt.history) + 1} tries)") from None
                attempt.sleep()
            except PubmedError as exc:
                raise PubmedError(f"{what}: {exc}") from None

    def _send(self, url: str, data: dict[str, str]) -> bytes:
        """One POST (the adapter retrying HTTP faults) and its whole body; PubmedError when it fails."""
        try:
            r = self.session.post(url, data=data, timeout=self.timeout, allow_redirects=False)
            body = r.content  # read whole here: a connection cut mid-body raises now
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            raise _Unparsed(f"the response was cut short ({exc})") from None
        except requests.exceptions.RetryError as exc:
            raise PubmedError(f"NCBI kept failing after retries ({exc})") from None
        except requests.exceptions.RequestException as exc:
            raise PubmedError(f"cannot reach NCBI after retries ({exc.__class__.__name__}: {exc})") from None
        if r.status_code != 200:
            raise PubmedError(f"HTTP {r.status_code} {body[:200]!r}")
        return body

    def esearch(self, term: str) -> list[str]:
        """Every PMID PubMed finds for `term` (PubMed's query syntax, e.g. "NCT01234567[si] OR NCT07654321[si]"),
        in PubMed's order, paged `page` ids a request with retstart. Phrases PubMed did not find (its
        errorlist.phrasesnotfound, e.g. a trial no publication names) are left in `phrases_not_found`.

        PubmedError naming the URL and the term on anything the protocol does not allow: an ERROR in the answer, a
        field PubMed does not know (errorlist.fieldsnotfound), a body not of esearch's JSON shape, an id not of
        digits, a count over 10,000 (beyond esearch's reach) or changing between pages, a repeated id, a page that
        comes back empty before the count is reached; and on a request that keeps failing."""
        url = f"{self.api}/esearch.fcgi"
        ids: list[str] = []
        count: int | None = None
        self.phrases_not_found = []
        while count is None or len(ids) < count:
            what = f"{url} (term {term[:160]!r}{'...' if len(term) > 160 else ''}, retstart {len(ids)})"
            form = {"db": "pubmed", "term": term, "retmode": "json", "retmax": str(self.page), "retstart": str(len(ids))}
            found, total, missing = self._post("esearch.fcgi", form, what, _read_search)
            if count is not None and total != count:
                raise PubmedError(f"{what}: the count changed between pages ({count}, then {total}): search again")
            if total > MAX_PAGE:
                raise PubmedError(f"{what}: {total} ids, beyond the {MAX_PAGE} PubMed's esearch reaches: narrow the term")
            if len(found) > self.page or (not found and len(ids) < total):
                raise PubmedError(f"{what}: {len(found)} ids on a page of {self.page}, {len(ids)} of {total} so far")
            if len(set(found)) < len(found) or not set(found).isdisjoint(ids):
                raise PubmedError(f"{what}: an id comes twice, within the page or on an earlier one")
            count = total
            ids += found
            self.phrases_not_found += [p for p in missing if p not in self.phrases_not_found]
        return ids

    def efetch(self, pmids: Iterable[str], progress: Callable[[int, int], None] | None = None,
               ) -> Iterator[tuple[list[str], bytes]]:
        """For each batch of at most `batch` PMIDs (digits; duplicates asked once, in the order given): (the PMIDs
        asked, the body exactly as NCBI sent it, a well-formed PubmedArticleSet). Which of them came back is the
        caller's to compare (`pmids_in`): PubMed leaves out a PMID it does not have. `progress(done, total)` is
        called with 0 first, then after each batch, in PMIDs.

        PubmedError at once on an id that is not a PMID or a body declaring an entity; after the retries, naming
        the URL, the batch's first and last PMID and its size, on a batch that keeps failing (nothing of it is
        yielded)."""
        asked = list(dict.fromkeys(pmids))
        wrong = [p for p in asked if not isinstance(p, str) or not PMID.fullmatch(p)]
        if wrong:
            raise PubmedError(f"not PMIDs (digits): {wrong[:5]!r}")
        url = f"{self.api}/efetch.fcgi"
        if progress:
            progress(0, len(asked))
        for start in range(0, len(asked), self.batch):
            batch = asked[start : start + self.batch]
            what = f"{url} (PMIDs {batch[0]} to {batch[-1]}, {len(batch)} in the batch)"
            form = {"db": "pubmed", "id": ",".join(batch), "retmode": "xml"}
            body = self._post("efetch.fcgi", form, what, _read_articles)
            yield batch, body
            if progress:
                progress(start + len(batch), len(asked))


def _read_articles(body: bytes) -> bytes:
    """The efetch body itself, once it parses as a PubmedArticleSet (see _article_set)."""
    _article_set(body)
    return body


def _read_search(body: bytes) -> tuple[list[str], int, list[str]]:
    """(idlist, count, phrases not found) of an esearch JSON body. _Unparsed when it is not JSON (cut short, an HTML
    page); PubmedError when it is JSON of another shape, or says ERROR or a field not found."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Unparsed(f"the body is not JSON, or was cut short ({exc}; begins {body[:60]!r})") from None
    result = data.get("esearchresult") if isinstance(data, dict) else None
    if not isinstance(result, dict):
        error = data.get("error") if isinstance(data, dict) else None
        raise PubmedError(f"no esearchresult in the answer ({f'error: {error!r}' if error else repr(body[:200])})")
    if "ERROR" in result:
        raise PubmedError(f"PubMed says ERROR: {str(result['ERROR'])[:300]}")
    errors = result.get("errorlist") or {}
    if not isinstance(errors, dict):
        raise PubmedError(f"errorlist is not an object: {errors!r}"[:300])
    fields = errors.get("fieldsnotfound") or []
    if fields:
        raise PubmedError(f"PubMed does not know the fields {fields!r}"[:300])
    ids, count = result.get("idlist"), result.get("count")
    if not isinstance(ids, list) or not all(isinstance(i, str) and PMID.fullmatch(i) for i in ids):
        raise PubmedError(f"idlist is not a list of PMIDs (digits): {str(ids)[:200]}")
    if not isinstance(count, str) or not count.isdigit():
        raise PubmedError(f"count is not a count: {count!r}")
    missing = errors.get("phrasesnotfound") or []
    if not isinstance(missing, list) or not all(isinstance(p, str) for p in missing):
        raise PubmedError(f"errorlist.phrasesnotfound is not a list of phrases: {missing!r}"[:300])
    return ids, int(count), missing

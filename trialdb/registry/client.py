"""A client for the ClinicalTrials.gov API v2, limited to what the API documents:

    GET {api}/studies?query.term=...&filter.advanced=...&pageSize=...&pageToken=...&countTotal=true
        -> {"studies": [...], "nextPageToken": "...", "totalCount": N}   (no nextPageToken on the last page)
    GET {api}/studies/{nctId}
        -> one study

Retries come from urllib3's `Retry` (maintained; honours `Retry-After`, backs off exponentially) on
429, 500, 502, 503 and 504, connection errors and read timeouts. A response served with HTTP 200 whose
body is cut short or does not parse as JSON is the same kind of transient fault: it is asked again with
the same `Retry` object's counts and back-off (`Retry.increment` and `Retry.sleep`, one definition), and
only when it keeps failing does it raise. The registry asks clients to stay near 50 requests a minute:
requests are spaced accordingly (configurable, so tests run fast). Anything the protocol does not allow
(a page that keeps failing to parse, a page token that repeats, a body of the wrong shape) raises
`RegistryError` with the URL and what was wrong: the caller stops, and writes nothing.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ProtocolError
from urllib3.util.retry import Retry

DEFAULT_API = "https://clinicaltrials.gov/api/v2"
NCT_ID = re.compile(r"NCT\d{8}")
USER_AGENT = "il2-trial-dashboard-sync/1 (python-requests; low-dose IL-2 portfolio)"


class RegistryError(Exception):
    """The registry could not be read as the protocol says: names the URL and the problem."""


class _Unparsed(Exception):
    """A response served whole or in part that is not a complete JSON document: asked again."""


@dataclass
class Page:
    studies: list[Any]
    next_token: str | None
    total: int | None  # totalCount, when the registry sent it (first page, countTotal=true)


class RateLimit:
    """At most `per_minute` request starts a minute, evenly spaced (0 or less: no limit)."""

    def __init__(self, per_minute: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 60.0 / per_minute if per_minute > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self.clock()
            if now < self._next:
                self.sleep(self._next - now)
                now = self._next
            self._next = now + self.interval


class Client:
    def __init__(self, api: str = DEFAULT_API, *, per_minute: float = 50, retries: int = 5, backoff: float = 2.0,
                 timeout: tuple[float, float] = (10.0, 60.0), page_size: int = 100) -> None:
        self.api = api.rstrip("/")
        self.timeout, self.page_size = timeout, page_size
        self.limit = RateLimit(per_minute)
        retry = Retry(total=retries, connect=retries, read=retries, status=retries, other=0,
                      backoff_factor=backoff, backoff_max=120, status_forcelist=(429, 500, 502, 503, 504),
                      allowed_methods=frozenset({"GET"}), respect_retry_after_header=True, raise_on_status=True)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
        self.retry = retry  # the one back-off definition: HTTP faults (the adapter) and unparsed bodies (_get)
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    def _get(self, path: str, params: dict[str, str] | None = None) -> dict:
        """The JSON object at `path`; a body cut short or not JSON is asked again with the client's `Retry`
        (its read count and back-off), then RegistryError naming the page and what was wrong."""
        url = f"{self.api}{path}"
        attempt = self.retry.new()
        while True:
            try:
                return self._get_once(url, params)
            except _Unparsed as exc:
                try:
                    attempt = attempt.increment(method="GET", url=url, error=ProtocolError(str(exc)))
                except MaxRetryError:
                    tries = len(attempt.history) + 1
                    raise RegistryError(f"{exc} (kept failing: {tries} tries)") from None
                attempt.sleep()

    def _get_once(self, url: str, params: dict[str, str] | None) -> dict:
        self.limit.wait()
        self.requests += 1
        try:
            r = self.session.get(url, params=params, timeout=self.timeout)
            body = r.content  # read whole here: a connection cut mid-body raises now
        except requests.exceptions.RetryError as exc:
            raise RegistryError(f"{url}: the registry kept failing after retries ({exc})") from None
        except requests.exceptions.Timeout as exc:
            raise RegistryError(f"{url}: timed out after retries ({exc.__class__.__name__})") from None
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as exc:
            page = requests.Request("GET", url, params=params).prepare().url
            raise _Unparsed(f"{page}: the response was cut short ({exc})") from None
        except requests.exceptions.RequestException as exc:
            raise RegistryError(f"{url}: cannot reach the registry ({exc.__class__.__name__}: {exc})") from None
        if r.status_code == 404:
            raise RegistryError(f"{r.url}: not found (HTTP 404)")
        if r.status_code != 200:
            raise RegistryError(f"{r.url}: HTTP {r.status_code} {body[:200]!r}")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise _Unparsed(f"{r.url}: the page is not JSON, or was cut short ({exc}; begins {body[:60]!r})") from None
        if not isinstance(data, dict):
            raise RegistryError(f"{r.url}: expected a JSON object, got {type(data).__name__}")
        return data

    def search(self, term: str | None, advanced: str | None = None) -> Iterator[Page]:
        """Every page of a search, in order. Stops with RegistryError on a page token seen before."""
        params = {"pageSize": str(self.page_size), "countTotal": "true", "format": "json"}
        if term:
            params["query.term"] = term
        if advanced:
            params["filter.advanced"] = advanced
        seen: set[str] = set()
        token: str | None = None
        while True:
            data = self._get("/studies", {**params, **({"pageToken": token} if token else {})})
            studies, nxt, total = data.get("studies"), data.get("nextPageToken"), data.get("totalCount")
            if not isinstance(studies, list):
                raise RegistryError(f"{self.api}/studies: a page without a list of studies (keys {sorted(data)[:8]})")
            if nxt is not None and (not isinstance(nxt, str) or not nxt):
                raise RegistryError(f"{self.api}/studies: nextPageToken is not a token: {nxt!r}")
            if total is not None and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
                raise RegistryError(f"{self.api}/studies: totalCount is not a count: {total!r}")
            yield Page(studies, nxt, total)
            if nxt is None:
                return
            if nxt in seen or nxt == token:
                raise RegistryError(f"{self.api}/studies: the page token {nxt[:40]!r} repeats; stopped rather "
                                    "than read the same pages again")
            seen.add(nxt)
            token = nxt

    def study(self, nct_id: str) -> Any:
        if not NCT_ID.fullmatch(nct_id):
            raise RegistryError(f"{nct_id!r} is not an NCT id (NCT and eight digits)")
        return self._get(f"/studies/{nct_id}")

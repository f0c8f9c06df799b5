"""A test server that speaks the ClinicalTrials.gov API v2 protocol on 127.0.0.1 (a free port), serving
the real records of tests/fixtures/ctgov/ (copies of ../shared/fixtures/ctgov/ among them).

    GET /api/v2/studies?query.term=&filter.advanced=&pageSize=&pageToken=&countTotal=true
    GET /api/v2/studies/{nctId}

Pagination by an opaque nextPageToken (absent on the last page), totalCount on the first page when
countTotal=true, and `AREA[LastUpdatePostDate]RANGE[date,MAX]` in filter.advanced. query.term is
recorded, not interpreted: the server's records are the portfolio. Faults are switched per test:
`faults` is a queue, one taken per request ("429" with Retry-After, "500", "503", "truncated" (the
connection closed mid-body), "truncated_json" (HTTP 200, a whole response whose body is half the JSON),
"not_json", "timeout", "html_error"); `repeat_token` makes every page name the same next token; `delay` slows every
request (for the kill test).

    python -m tests.ctgov_server [--port N] [--copies N] [--delay S]   # serve until interrupted
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"


def real_records() -> dict[str, dict]:
    """Every real study of the fixtures, by NCT id (single records and search-page records)."""
    out: dict[str, dict] = {}
    for path in sorted(FIXTURES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for s in data.get("studies", [data]):
            out[s["protocolSection"]["identificationModule"]["nctId"]] = s
    return dict(sorted(out.items()))


def copies(n: int) -> dict[str, dict]:
    """`n` records made from the real ones, each under an NCT id of its own (NCT9xxxxxxx), for scale."""
    base = list(real_records().values())
    out = {}
    for i in range(n):
        s = copy.deepcopy(base[i % len(base)])
        nct = f"NCT9{i:07d}"
        s["protocolSection"]["identificationModule"]["nctId"] = nct
        out[nct] = s
    return out


def last_update(study: dict) -> str:
    return ((study["protocolSection"].get("statusModule") or {}).get("lastUpdatePostDateStruct") or {}).get("date", "")


class Registry:
    """What the server serves and how it misbehaves; tests change it between requests."""

    def __init__(self, studies: dict[str, dict] | None = None) -> None:
        self.studies: dict[str, dict] = studies if studies is not None else real_records()
        self.faults: deque[str] = deque()
        self.repeat_token = False
        self.delay = 0.0
        self.timeout_sleep = 3.0
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()

    def set(self, nct: str, path: str, value) -> None:
        """Change one field of a served record ("statusModule.overallStatus" under protocolSection)."""
        node = self.studies[nct]["protocolSection"]
        *parents, last = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None, cut: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if cut else body)  # Content-Length promised the whole body
        if cut:
            self.wfile.flush()
            self.close_connection = True

    def do_GET(self) -> None:
        reg = self.server.registry
        url = urlparse(self.path)
        params = {k: v[-1] for k, v in parse_qs(url.query).items()}
        with reg.lock:
            reg.requests.append((url.path, params))
            fault = reg.faults.popleft() if reg.faults else None
        if reg.delay:
            time.sleep(reg.delay)
        if fault in ("429", "500", "502", "503", "504"):
            return self._send(int(fault), b'{"message": "try again"}', {"Retry-After": "1"} if fault == "429" else {})
        if fault == "timeout":
            time.sleep(reg.timeout_sleep)
        if fault == "not_json":
            return self._send(200, b"<html><body>Service temporarily unavailable</body></html>")
        if fault == "html_error":
            return self._send(400, b"<html>bad request</html>")
        m = re.fullmatch(r"/api/v2/studies(?:/(?P<nct>[^/]+))?", url.path)
        if not m:
            return self._send(404, b'{"message": "no such path"}')
        if m.group("nct"):
            study = reg.studies.get(m.group("nct"))
            if study is None:
                return self._send(404, b'{"message": "no study with that NCT id"}')
            return self._send(200, self._body(study, fault), cut=fault == "truncated")
        return self._page(reg, params, fault)

    def _page(self, reg: Registry, params: dict[str, str], fault: str | None) -> None:
        studies = list(reg.studies.values())
        since = re.search(r"AREA\[LastUpdatePostDate\]RANGE\[(\d{4}-\d{2}-\d{2}),\s*MAX\]", params.get("filter.advanced", ""))
        if since:
            studies = [s for s in studies if last_update(s) >= since.group(1)]
        size = min(int(params.get("pageSize", "10")), 1000)
        token = params.get("pageToken")
        start = int(token[4:]) if token and token.startswith("page") else 0
        body: dict = {"studies": studies[start : start + size]}
        if start + size < len(studies):
            body["nextPageToken"] = "page1" if reg.repeat_token else f"page{start + size}"
        if params.get("countTotal") == "true" and not token:
            body["totalCount"] = len(studies)
        self._send(200, self._body(body, fault), cut=fault == "truncated")

    @staticmethod
    def _body(data: object, fault: str | None) -> bytes:
        """The JSON body; for "truncated_json" its first half, served whole (Content-Length of the half)."""
        text = json.dumps(data).encode()
        return text[: len(text) // 2] if fault == "truncated_json" else text


class Server(ThreadingHTTPServer):
    daemon_threads = True
    registry: Registry


class CtgovServer:
    """The server in a thread: `with CtgovServer() as srv: srv.api` is the base URL to give the client."""

    def __init__(self, registry: Registry | None = None, port: int = 0) -> None:
        self.registry = registry or Registry()
        self.httpd = Server(("127.0.0.1", port), Handler)
        self.httpd.registry = self.registry
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/api/v2"

    def __enter__(self) -> CtgovServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--copies", type=int, default=0, help="serve N copies of the real records instead")
    ap.add_argument("--delay", type=float, default=0.0, help="seconds to wait before each answer")
    args = ap.parse_args()
    reg = Registry(copies(args.copies) if args.copies else None)
    reg.delay = args.delay
    with CtgovServer(reg, args.port) as srv:
        print(srv.api, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            srv.thread.join()


if __name__ == "__main__":
    main()

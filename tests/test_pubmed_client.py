"""trialdb.pubmed.client against a local server speaking NCBI's E-utilities (tests/eutils_server.py) serving real
PubMed records: tool, email and api_key on every request; POST batches of at most 200; esearch's retmax and
retstart; every fault retried, a lasting one named; an entity declaration refused at once; a missing PMID seen;
NCBI's rate (3 a second, 10 with a key) counted on the server's side with the real clock; the credentials."""

from __future__ import annotations

import json
import time

import pytest
import requests

from tests.eutils_server import DECLARATION, DOCTYPE, Eutils, EutilsServer, article, article_set, real_articles
from trialdb.pubmed.client import (
    DEFAULT_TOOL,
    MAX_BATCH,
    SPACING,
    Client,
    Credentials,
    PubmedError,
    credentials,
    pmids_in,
)

REAL = sorted(real_articles())  # 4 real PMIDs
NCT = "NCT01234567"
EMAIL = "developer@example.org"


class FakeTime:
    """A clock that moves only when slept on: the rate limit and the back-off cost no wall time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def eu() -> Eutils:
    """The real records, and five made ones naming NCT01234567 (PMIDs 5000001 to 5000005)."""
    served = Eutils()
    served.add(*(article(str(5_000_000 + i), NCT) for i in range(1, 6)))
    return served


@pytest.fixture
def srv(eu):
    with EutilsServer(eu) as server:
        yield server


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make(srv: EutilsServer, fake: FakeTime, **options) -> Client:
    options = {"email": EMAIL, "retries": 3, "backoff": 1.0, "clock": fake.clock, "sleep": fake.sleep, **options}
    return Client(srv.api, **options)


def test_tool_email_and_api_key_go_with_every_request_in_the_form(srv, eu, fake):
    eu.fail("efetch.fcgi", "503")  # a retry sent by urllib3's adapter
    eu.fail("esearch.fcgi", "cut")  # a retry sent by the client's own loop
    with make(srv, fake, api_key="0123456789abcdef") as client:
        assert client.esearch(f"{NCT}[si]")
        assert [b for b, _ in client.efetch(REAL)] == [REAL]
    assert len(eu.log) == client.requests == 4
    for r in eu.log:
        assert r.method == "POST" and r.query == {}  # nothing in the URL: the key stays out of logs
        assert r.form["tool"] == DEFAULT_TOOL and r.form["email"] == EMAIL
        assert r.form["api_key"] == "0123456789abcdef" and r.form["db"] == "pubmed"

    eu.log.clear()
    with make(srv, fake, email=None, tool="my-tool") as client:
        list(client.efetch(REAL[:1]))
        client.esearch(f"{NCT}[si]")
    assert [sorted(r.form) for r in eu.log] == [["db", "id", "retmode", "tool"],
                                               ["db", "retmax", "retmode", "retstart", "term", "tool"]]
    assert {r.form["tool"] for r in eu.log} == {"my-tool"}


def test_efetch_posts_batches_of_at_most_200_and_yields_the_bodies_as_sent(srv, eu, fake):
    made = [str(6_000_000 + i) for i in range(450)]
    eu.add(*(article(p) for p in made))
    seen: list[tuple[int, int]] = []
    with make(srv, fake) as client:
        got = list(client.efetch(made, progress=lambda done, total: seen.append((done, total))))
    assert [len(b) for b, _ in got] == [200, 200, 50]
    assert [b for b, _ in got] == [made[:200], made[200:400], made[400:]]
    assert [r.form["id"] for r in eu.log] == [",".join(b) for b, _ in got]
    assert {(r.method, r.path, r.form["retmode"]) for r in eu.log} == {("POST", "/entrez/eutils/efetch.fcgi", "xml")}
    assert [body for _, body in got] == [article_set([eu.articles[p] for p in b]) for b, _ in got]  # byte for byte
    assert [pmids_in(body) for _, body in got] == [b for b, _ in got]
    assert seen == [(0, 450), (200, 450), (400, 450), (450, 450)]
    assert fake.now == pytest.approx(2 * SPACING / 3)  # three requests, paced at 3 a second (with the margin)

    with pytest.raises(ValueError, match="1 to 200"):
        Client(srv.api, batch=MAX_BATCH + 1)


def test_efetch_asks_each_pmid_once_and_refuses_what_is_not_a_pmid(srv, eu, fake):
    with make(srv, fake, batch=2) as client:
        assert [b for b, _ in client.efetch([REAL[0], REAL[1], REAL[0], REAL[2]])] == [REAL[:2], REAL[2:3]]
        assert list(client.efetch([])) == []
        with pytest.raises(PubmedError, match="not PMIDs"):
            list(client.efetch([REAL[0], "PMC123", "12 3"]))
    assert len(eu.log) == 2


def test_esearch_sets_retmax_and_pages_with_retstart(srv, eu, fake):
    expected = [str(5_000_000 + i) for i in range(5, 0, -1)]
    with make(srv, fake, page=2) as client:
        assert client.esearch(f"{NCT}[si]") == expected
    assert [(r.form["retstart"], r.form["retmax"], r.form["retmode"]) for r in eu.log] == [
        ("0", "2", "json"), ("2", "2", "json"), ("4", "2", "json")]
    assert {r.form["term"] for r in eu.log} == {f"{NCT}[si]"}

    eu.log.clear()
    with make(srv, fake) as client:  # the default page: all at once, retmax said (NCBI's default is 20)
        assert client.esearch(f"{NCT}[si]") == expected
    assert [(r.form["retstart"], r.form["retmax"]) for r in eu.log] == [("0", "10000")]


def test_esearch_joins_or_terms_and_reports_phrases_not_found(srv, eu, fake):
    eu.si["NCT07654321"] = [REAL[0]]
    long_term = " OR ".join([f"{NCT}[si]", "NCT07654321[si]", *(f"NCT9{i:07d}[si]" for i in range(300))])
    with make(srv, fake) as client:
        found = client.esearch(long_term)  # some 5,000 characters: POST, no URL too long
        assert found == [REAL[0], *(str(5_000_000 + i) for i in range(5, 0, -1))]  # PMIDs, descending
        assert client.phrases_not_found == [f"NCT9{i:07d}" for i in range(300)]
        assert client.esearch("NCT99999999[si]") == [] and client.phrases_not_found == ["NCT99999999"]


@pytest.mark.parametrize(("term", "message"), [
    ("", "ERROR: Empty term"),
    (f"{NCT}[zz]", "does not know the fields"),
])
def test_an_esearch_error_names_the_url_and_the_term(srv, eu, fake, term, message):
    with make(srv, fake) as client, pytest.raises(PubmedError) as caught:
        client.esearch(term)
    assert message in str(caught.value) and f"{srv.api}/esearch.fcgi" in str(caught.value)
    assert f"term {term!r}" in str(caught.value)
    assert len(eu.log) == 1  # not a transient fault: asked once


@pytest.mark.parametrize(("body", "message"), [
    (b'{"esearchresult": {"count": "1", "idlist": ["abc"]}}', "not a list of PMIDs"),
    (b'{"esearchresult": {"count": "1", "idlist": "123"}}', "not a list of PMIDs"),
    (b'{"esearchresult": {"count": "one", "idlist": ["123"]}}', "count is not a count"),
    (b'{"esearchresult": {"count": "2", "idlist": []}}', "0 ids on a page"),
    (b'{"esearchresult": {"count": "2", "idlist": ["7", "7"]}}', "an id comes twice"),
    (b'{"esearchresult": {"count": "10001", "idlist": ["7"]}}', "beyond the 10000"),
    (b'{"header": {}, "result": {}}', "no esearchresult"),
    (b'{"error": "API rate limit exceeded"}', "API rate limit exceeded"),
    (b"[1, 2]", "no esearchresult"),
])
def test_an_esearch_answer_of_another_shape_is_refused(srv, eu, fake, body, message):
    eu.fail("esearch.fcgi", "raw", body=body)
    with make(srv, fake) as client, pytest.raises(PubmedError, match=message) as caught:
        client.esearch(f"{NCT}[si]")
    assert f"{srv.api}/esearch.fcgi (term '{NCT}[si]'" in str(caught.value)
    assert len(eu.log) == 1


EFETCH_FAULTS = ["429", "500", "502", "503", "504", "cut", "html", "reset"]


@pytest.mark.parametrize("fault", EFETCH_FAULTS)
def test_each_efetch_fault_is_retried_then_succeeds(srv, eu, fake, fault):
    eu.fail("efetch.fcgi", fault, times=2)
    with make(srv, fake, batch=3) as client:
        got = list(client.efetch(REAL))
    assert [b for b, _ in got] == [REAL[:3], REAL[3:]]
    assert [pmids_in(body) for _, body in got] == [REAL[:3], REAL[3:]]
    assert [r.form["id"] for r in eu.log] == [",".join(REAL[:3])] * 3 + [REAL[3]]
    assert client.requests == 4
    # exponential back-off from the first retry (NCBI's 429 says no Retry-After), then the next batch's turn
    assert fake.slept[:2] == [1.0, 2.0]


@pytest.mark.parametrize("fault", ["429", "503", "cut", "html", "reset"])
def test_each_esearch_fault_is_retried_then_succeeds(srv, eu, fake, fault):
    eu.fail("esearch.fcgi", fault, times=2)
    with make(srv, fake) as client:
        assert client.esearch(f"{NCT}[si]") == [str(5_000_000 + i) for i in range(5, 0, -1)]
    assert len(eu.log) == client.requests == 3
    assert fake.slept == [1.0, 2.0]


def test_a_read_timeout_is_retried(srv, eu):
    eu.slow_seconds = 1.0
    eu.fail("efetch.fcgi", "slow")
    with Client(srv.api, email=EMAIL, timeout=(2.0, 0.3), backoff=0.0) as client:
        assert [pmids_in(body) for _, body in client.efetch(REAL[:1])] == [REAL[:1]]
    assert len(eu.log) == client.requests == 2


@pytest.mark.parametrize("fault", ["429", "503", "cut", "html", "reset"])
def test_a_fault_that_persists_names_the_batch_and_the_caller_gets_nothing_of_it(srv, eu, fake, fault):
    with make(srv, fake, batch=2, retries=2) as client:
        got = []
        batches = client.efetch(REAL)
        got.append(next(batches))  # the first batch comes whole
        eu.fail("efetch.fcgi", fault, times=99)
        with pytest.raises(PubmedError) as caught:
            got.extend(batches)
    assert [b for b, _ in got] == [REAL[:2]]  # of the failing batch, nothing: no partial body
    message = str(caught.value)
    assert message.startswith(f"{srv.api}/efetch.fcgi (PMIDs {REAL[2]} to {REAL[3]}, 2 in the batch)")
    assert len(eu.requests_to("efetch.fcgi")) == 1 + 3  # the first batch, then one try and two retries


def test_an_esearch_fault_that_persists_names_the_term(srv, eu, fake):
    eu.fail("esearch.fcgi", "503", times=99)
    with make(srv, fake, retries=1) as client, pytest.raises(PubmedError) as caught:
        client.esearch(f"{NCT}[si]")
    assert str(caught.value).startswith(f"{srv.api}/esearch.fcgi (term '{NCT}[si]', retstart 0)")
    assert "503" in str(caught.value) and len(eu.log) == 2


def test_an_entity_declaration_is_refused_at_once(srv, eu, fake):
    eu.fail("efetch.fcgi", "entity", times=5)
    with make(srv, fake) as client, pytest.raises(PubmedError, match="declares an entity") as caught:
        list(client.efetch(REAL))
    assert f"PMIDs {REAL[0]} to {REAL[-1]}, 4 in the batch" in str(caught.value)
    assert len(eu.log) == 1 and fake.slept == []  # not retried
    xxe = (DECLARATION + '<!DOCTYPE PubmedArticleSet [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           "<PubmedArticleSet>&e;</PubmedArticleSet>").encode()
    with pytest.raises(PubmedError, match="declares an entity"):
        pmids_in(xxe)


def test_a_missing_pmid_is_seen_with_pmids_in(srv, eu, fake):
    with make(srv, fake) as client:
        [(asked, body)] = list(client.efetch([REAL[0], "39999999", REAL[1]]))
        assert asked == [REAL[0], "39999999", REAL[1]] and pmids_in(body) == [REAL[0], REAL[1]]
        eu.fail("efetch.fcgi", "drop")  # a PMID PubMed has, left out of one answer
        [(asked, body)] = list(client.efetch(REAL))
        assert set(asked) - set(pmids_in(body)) == {REAL[-1]}
        [(asked, body)] = list(client.efetch(["39999999"]))
        assert pmids_in(body) == [] and body.startswith((DECLARATION + DOCTYPE).encode())
    book = article_set(['<PubmedBookArticle><BookDocument><PMID Version="1">20301295</PMID></BookDocument>'
                        "</PubmedBookArticle>", article("123")])
    assert pmids_in(book) == ["20301295", "123"]
    with pytest.raises(PubmedError, match="not <PubmedArticleSet>"):
        pmids_in(b"<eFetchResult><ERROR>Empty id list - nothing todo</ERROR></eFetchResult>")


def densest_second(times: list[float]) -> int:
    """The most requests any closed 1-second window holds (each window starting at a request)."""
    return max(sum(1 for u in times if t <= u <= t + 1.0) for t in times)


@pytest.mark.parametrize(("api_key", "rule", "count"), [(None, 3, 8), ("0123456789abcdef", 10, 18)])
def test_the_rate_counted_on_the_server_with_the_real_clock(srv, eu, api_key, rule, count):
    """NCBI: no more than 3 requests a second, 10 with an API key; the retries count too (backoff 0 here, so
    only the pacing holds them back)."""
    eu.fail("efetch.fcgi", "503", times=2)
    eu.fail("efetch.fcgi", "cut")
    with Client(srv.api, email=EMAIL, api_key=api_key, batch=1, backoff=0.0) as client:
        started = time.monotonic()
        assert len(list(client.efetch(REAL))) == 4
        while len(eu.log) < count:
            client.esearch(f"{NCT}[si]")
    times = [r.time for r in eu.log]
    assert densest_second(times) <= rule
    assert densest_second(times) >= rule - 1  # paced near the rule, not far below it
    assert len(times) == client.requests == count and time.monotonic() - started < count / rule * SPACING + 1.0


def test_credentials_from_the_environment_then_the_secrets_file(tmp_path, monkeypatch):
    secrets = tmp_path / ".streamlit" / "secrets.toml"
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.delenv("NCBI_EMAIL", raising=False)
    assert credentials(secrets) == Credentials(None, None)  # no file: no error
    secrets.parent.mkdir()
    secrets.write_text('TRIALDB_URL = "sqlite:///x"\nNCBI_API_KEY = "filekey0123"\nNCBI_EMAIL = "file@example.org"\n')
    assert credentials(secrets) == Credentials("filekey0123", "file@example.org")
    monkeypatch.setenv("NCBI_EMAIL", "env@example.org")
    assert credentials(secrets) == Credentials("filekey0123", "env@example.org")  # each key on its own
    monkeypatch.setenv("NCBI_API_KEY", "envkey4567")
    assert credentials(secrets) == Credentials("envkey4567", "env@example.org")
    monkeypatch.setenv("NCBI_API_KEY", "")  # empty: absent, the file's
    assert credentials(secrets).api_key == "filekey0123"
    assert credentials(secrets, environ={}) == Credentials("filekey0123", "file@example.org")

    client = Client.from_environment("http://127.0.0.1:9/eutils", secrets=secrets)
    assert client.identity == {"tool": DEFAULT_TOOL, "email": "env@example.org", "api_key": "filekey0123"}
    assert client.limit.interval == pytest.approx(SPACING / 10)  # 10 a second with the key, spaced wider
    assert Client("http://127.0.0.1:9/eutils").limit.interval == pytest.approx(SPACING / 3)
    client.close()

    secrets.write_text('NCBI_API_KEY = 12345\n')
    with pytest.raises(PubmedError, match="NCBI_API_KEY is not a string"):
        credentials(secrets, environ={})
    secrets.write_text('NCBI_API_KEY = "unterminated\n')
    with pytest.raises(PubmedError, match="not a TOML file"):
        credentials(secrets, environ={})
    with pytest.raises(ValueError, match="without spaces"):
        Client(email="a developer@example.org")


def test_the_server_speaks_esearch_xml_efetch_by_get_and_refuses_a_long_url(srv, eu):
    api = srv.api
    r = requests.get(f"{api}/esearch.fcgi", params={"db": "pubmed", "term": f"{NCT}[si]", "retmax": "2"}, timeout=5)
    assert r.status_code == 200 and b"<eSearchResult><Count>5</Count><RetMax>2</RetMax><RetStart>0</RetStart>" in r.content
    assert b"<IdList><Id>5000005</Id><Id>5000004</Id></IdList>" in r.content
    r = requests.get(f"{api}/esearch.fcgi", params={"db": "pubmed", "term": f"{NCT}[si]", "retmode": "json"}, timeout=5)
    assert json.loads(r.content)["esearchresult"]["count"] == "5"
    r = requests.get(f"{api}/efetch.fcgi", params={"db": "pubmed", "id": f"{REAL[1]},1,{REAL[0]}"}, timeout=5)
    assert pmids_in(r.content) == [REAL[1], REAL[0]]
    assert r.content == article_set([eu.articles[REAL[1]], eu.articles[REAL[0]]])
    r = requests.get(f"{api}/efetch.fcgi", params={"db": "pubmed", "id": ",".join(str(i) for i in range(10**7, 10**7 + 500))},
                     timeout=5)
    assert r.status_code == 414
    eu.fail("esearch.fcgi", "429")
    r = requests.post(f"{api}/esearch.fcgi", data={"db": "pubmed", "term": f"{NCT}[si]"}, timeout=5)
    assert r.status_code == 429 and "Retry-After" not in r.headers and json.loads(r.content)["error"]
    assert [(x.method, x.endpoint) for x in eu.log] == [("GET", "esearch.fcgi")] * 2 + [("GET", "efetch.fcgi")] * 2 + [
        ("POST", "esearch.fcgi")]
    assert eu.log[-1].form == {"db": "pubmed", "term": f"{NCT}[si]"} and eu.log[-1].query == {}

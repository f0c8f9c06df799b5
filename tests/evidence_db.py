"""A database for the Evidence tests (AppTest and Chromium): the seeds, with three PubMed files imported as
`python -m trialdb import FILE.xml` imports them (a rebuild, which the app makes of a database older than
seed_data/, carries them over): a built retracted article and a built structured-abstract article naming the RA
trial NCT02467504, and a results article naming the SLE trial NCT02465580."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO
from tests.eutils_server import DECLARATION, DOCTYPE, article
from trialdb.build import build
from trialdb.pubmed.fetch import import_articles

BUILT = REPO / "tests" / "fixtures" / "pubmed" / "built"
BANK = ('<DataBankList CompleteYN="Y"><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>'
        "<AccessionNumberList><AccessionNumber>{}</AccessionNumber></AccessionNumberList></DataBank></DataBankList>")
# A structured abstract as PubMed writes one (labels and NlmCategory), with a word found nowhere else.
STRUCTURED = """<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">90000500</PMID>
<Article PubModel="Print-Electronic"><Journal><JournalIssue CitedMedium="Internet"><PubDate><Year>2021</Year>
<Month>Mar</Month></PubDate></JournalIssue><Title>Journal of built records</Title>
<ISOAbbreviation>J Built Rec</ISOAbbreviation></Journal>
<ArticleTitle>Low-dose IL-2 in rheumatoid arthritis: a <i>built</i> randomised trial</ArticleTitle>
<Abstract><AbstractText Label="OBJECTIVE" NlmCategory="OBJECTIVE">To test IL-2.</AbstractText>
<AbstractText Label="METHODS" NlmCategory="METHODS">Patients were randomised.</AbstractText>
<AbstractText Label="FINDINGS" NlmCategory="RESULTS">Tregs rose; the word quokkaphrase appears only here.</AbstractText>
<AbstractText Label="INTERPRETATION" NlmCategory="CONCLUSIONS">IL-2 was safe.</AbstractText></Abstract>
<AuthorList CompleteYN="Y"><Author ValidYN="Y"><LastName>Doe</LastName><Initials>J</Initials></Author></AuthorList>
<Language>eng</Language>""" + BANK.format("NCT02467504") + """<PublicationTypeList>
<PublicationType UI="D016449">Randomized Controlled Trial</PublicationType></PublicationTypeList></Article>
</MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">90000500</ArticleId>
<ArticleId IdType="doi">10.0000/built.90000500</ArticleId><ArticleId IdType="pmc">PMC9000500</ArticleId>
</ArticleIdList></PubmedData></PubmedArticle>"""


def one(xml: str) -> bytes:
    return (DECLARATION + DOCTYPE + "<PubmedArticleSet>\n" + xml + "\n</PubmedArticleSet>\n").encode()


def evidence_database(tmp: Path) -> str:
    """Build it in folder `tmp`; returns its URL."""
    retracted = (BUILT / "retracted.xml").read_text()
    retracted = retracted.replace("<Language>eng</Language>", "<Language>eng</Language>" + BANK.format("NCT02467504"))
    files = {"90000004.xml": retracted.encode(), "90000500.xml": one(STRUCTURED),
             "90000600.xml": one(article("90000600", "NCT02465580", title="IL-2 in lupus: the results"))}
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    url = f"sqlite:///{tmp / 'evidence.sqlite3'}"
    build(url)
    import_articles(url, [tmp / name for name in files])
    return url

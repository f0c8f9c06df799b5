"""Each parser, field by field, against its document; NULL (absent) where the document is silent."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from trialdb.errors import SourceError
from trialdb.sources.parsers import parse_document

SLE = "000_6466603a80bf6227.txt"
PUB = "001_5bf168e9fbcd7a81.txt"
BELI = "002_d0226d158199b0ed.txt"
RA = "003_1bf84b16c51ec7a9.txt"
PSS = "004_e455a5cc15255154.txt"


@pytest.fixture(scope="module")
def parsed():
    return {p.name: parse_document(p) for p in sorted(SEED.glob("*.txt"))}


def test_every_quote_is_a_verbatim_slice(parsed):
    for name, p in parsed.items():
        assert p.quotes, name
        for path, q in p.quotes.items():
            assert p.document.text[q.offset : q.offset + len(q.text)] == q.text, (name, path)


def test_registry_record_fields(parsed):
    r = parsed[SLE].record
    assert r["identificationModule"] == {
        "briefTitle": "A Pilot-Study With Low-dose hrIL-2 for the Treatment of Systemic Lupus Erythematosus",
        "nctId": "NCT02465580", "orgStudyIdInfo": {"id": "hrIL-2-SLE"}}
    assert r["statusModule"] == {"lastUpdatePostDateStruct": {"date": "2015-06-08"}, "overallStatus": "UNKNOWN",
                                 "startDateStruct": {"date": "2015-06-30"}, "completionDateStruct": {"date": "2017-12-31"}}
    d = r["designModule"]
    assert d["phases"] == ["PHASE2"] and d["studyType"] == "INTERVENTIONAL"
    assert d["enrollmentInfo"] == {"count": 60}  # ESTIMATED/ACTUAL not stated: absent
    assert d["designInfo"] == {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL", "primaryPurpose": "TREATMENT",
                               "maskingInfo": {"masking": "DOUBLE", "whoMasked": ["PARTICIPANT", "INVESTIGATOR"]}}
    assert r["hasResults"] is False
    assert r["conditionsModule"]["conditions"] == ["Systemic Lupus Erythematosus"]
    assert r["descriptionModule"]["briefSummary"].startswith("Dysfunction of regulatory T (Treg) cells")
    assert r["descriptionModule"]["briefSummary"].endswith("placebo group (N = 30)).")
    assert "for 3 cycles" in r["descriptionModule"]["detailedDescription"]
    arms = r["armsInterventionsModule"]["armGroups"]
    assert [(a["label"], a["type"], a["interventionNames"]) for a in arms] == [
        ("hrIL-2 active", "ACTIVE_COMPARATOR", ["Drug: hrIL-2 active"]),
        ("hrIL-2 placebo", "PLACEBO_COMPARATOR", ["Drug: hrIL-2 placebo"])]
    assert arms[1]["description"] == "1 million U doses of placebo s.c. injection"
    ivs = r["armsInterventionsModule"]["interventions"]
    assert [(i["name"], i["type"], i["description"]) for i in ivs] == [
        ("hrIL-2 active", "DRUG", "active group: placebo group =1:1"),
        ("hrIL-2 placebo", "DRUG", "active group: placebo group =1:1")]
    assert r["otherInterventionNames"] == ["Human recombinant IL-2"]
    el = r["eligibilityModule"]
    assert (el["minimumAge"], el["maximumAge"], el["sex"], el["healthyVolunteers"]) == ("18 Years", "65 Years", "ALL", False)
    assert len(el["criteria"]["inclusion"]) == 10 and len(el["criteria"]["exclusion"]) == 8
    assert el["criteria"]["inclusion"][-1] == "Written informed consent form."
    assert el["criteria"]["exclusion"][-1] == "Inability to comply with IL-2 treatment regimen."
    sp = r["sponsorCollaboratorsModule"]
    assert sp["leadSponsor"] == {"name": "Peking University People's Hospital", "class": "OTHER"}
    assert [c["name"] for c in sp["collaborators"]] == ["Monash University", "Beijing ShuangLu Pharmaceutical Co., Ltd."]
    assert sp["responsibleParty"] == {"type": "PRINCIPAL_INVESTIGATOR", "investigatorFullName": "Zhanguo Li",
                                      "investigatorTitle": "Dept. Rheumatology and Immunology"}
    cl = r["contactsLocationsModule"]
    assert cl["overallOfficials"] == [{"name": "Zhanguo Li, MD", "role": "PRINCIPAL_INVESTIGATOR",
                                       "affiliation": "Peking University Institute of Rheumatology and Immunology"}]
    assert [c["phone"] for c in cl["centralContacts"]] == ["8613661345637", "8618611707347"]
    loc = cl["locations"][0]
    assert (loc["city"], loc["state"], loc["country"], loc["status"]) == ("Beijing", "Beijing Municipality", "China", "RECRUITING")
    assert loc["contacts"] == [{"name": "Tian Liu, MD", "role": "primary", "phone": "8613661345637"}]
    refs = r["referencesModule"]["references"]
    assert [(x["pmid"], x["type"]) for x in refs] == [("34116715", "DERIVED"), ("33687069", "DERIVED"), ("31537547", "DERIVED")]
    assert "Ann Rheum Dis. 2020 Jan;79(1):141-149" in refs[2]["citation"]
    # The "More Related Trials" block is about other studies: not a fact of this one.
    assert "NCT02779153" not in str(r)


@pytest.mark.parametrize("name,nct,status,phase,count,etype,masking,conds,arms", [
    (BELI, "NCT05262686", "UNKNOWN", ["PHASE3"], 10, "ESTIMATED", "NONE", ["Systemic Lupus Erythematosus"],
     [("belimumab plus low dose IL-2", "EXPERIMENTAL"), ("belimumab", "ACTIVE_COMPARATOR"), ("low dose IL-2", "ACTIVE_COMPARATOR")]),
    (RA, "NCT02467504", "COMPLETED", ["PHASE2"], 47, None, "QUADRUPLE", ["Rheumatoid Arthritis"],
     [("Experimental", "ACTIVE_COMPARATOR"), ("Placebo Comparator", "PLACEBO_COMPARATOR")]),
    (PSS, "NCT02464319", "COMPLETED", ["PHASE2"], 60, None, "QUADRUPLE", ["Primary Sjögren's Syndrome"],
     [("Experimental: hrIL-2 active", "ACTIVE_COMPARATOR"), ("Placebo Comparator: hrIL-2 placebo", "PLACEBO_COMPARATOR")]),
])
def test_veeva_fields(parsed, name, nct, status, phase, count, etype, masking, conds, arms):
    r = parsed[name].record
    assert r["identificationModule"]["nctId"] == nct
    assert r["statusModule"] == {"overallStatus": status}  # no dates: the Veeva pages state none
    assert r["designModule"]["phases"] == phase
    assert r["designModule"]["enrollmentInfo"].get("count") == count
    assert r["designModule"]["enrollmentInfo"].get("type") == etype
    assert r["designModule"]["designInfo"]["maskingInfo"] == {"masking": masking}
    assert r["designModule"]["designInfo"]["interventionModel"] == "PARALLEL"
    assert r["conditionsModule"]["conditions"] == conds
    assert [(a["label"], a["type"]) for a in r["armsInterventionsModule"]["armGroups"]] == arms
    assert r["sponsorCollaboratorsModule"]["leadSponsor"] == {"name": "Peking University", "class": "OTHER"}
    assert r["locationCountStated"] == 1
    for silent in ("referencesModule", "hasResults", "derivedSection"):
        assert silent not in r


def test_veeva_details(parsed):
    b = parsed[BELI].record
    assert b["identificationModule"]["orgStudyIdInfo"] == {"id": "Peking2021SLE"}
    assert [c["name"] for c in b["contactsLocationsModule"]["centralContacts"]] == ["Ruiling Feng", "Jing He"]
    assert (b["eligibilityModule"]["minimumAge"], b["eligibilityModule"]["maximumAge"]) == ("18 Years", "70 Years")
    assert b["armsInterventionsModule"]["armGroups"][0]["interventionNames"] == ["Drug: Belimumab", "Drug: Interleukin-2"]
    ra = parsed[RA].record
    assert [i["name"] for i in ra["armsInterventionsModule"]["interventions"]] == [
        "Loxoprofen", "hrIL-2 placebo", "MTX", "Folic Acid", "hrIL-2 active"]
    assert len(ra["eligibilityModule"]["criteria"]["inclusion"]) == 5
    assert len(ra["eligibilityModule"]["criteria"]["exclusion"]) == 22
    assert ra["identificationModule"]["orgStudyIdInfo"] == {"id": "hrIL-2 RA"}
    pss = parsed[PSS].record
    assert pss["eligibilityModule"]["criteria"]["inclusion"][0] == "Diagnosis of a primary Sjögren´s Syndrome"


def test_catalogue_record(parsed):
    r = parsed[PUB].record
    assert r["pmid"] == "31537547" and r["pmcid"] == "PMC6937406" and r["doi"] == "10.1136/annrheumdis-2019-215396"
    assert r["journal"] == "Ann Rheum Dis" and r["year"] == 2020
    assert (r["printDate"], r["epubDate"]) == ("2020-01", "2019-09-19")
    assert r["licence"] == "CC BY-NC 4.0" and r["licenceUrl"] == "http://creativecommons.org/licenses/by-nc/4.0/"
    assert r["registrations"] == ["NCT02465580", "NCT02932137"]
    assert len(r["authors"]) == 31 and r["authors"][0] == "He, Jing" and r["authors"][-1] == "Li, Zhanguo"
    assert r["abstract"].startswith("OBJECTIVES:") and "(p=0.052)" in r["abstract"]
    assert r["title"].startswith("Efficacy and safety of low-dose IL-2")


def test_a_parser_reads_another_page_of_its_format(tmp_path):
    """A second Veeva page, written the way the site writes them, with other values."""
    text = (SEED / PSS).read_text(encoding="utf-8")
    text = (text.replace("NCT02464319", "NCT09999999").replace("Completed\nPhase 2", "Recruiting\nPhase 1/Phase 2")
            .replace("60 patients", "120 actual patients").replace("Quadruple Blind", "Double Blind"))
    path = tmp_path / "other.txt"
    path.write_text(text, encoding="utf-8")
    r = parse_document(path).record
    assert r["identificationModule"]["nctId"] == "NCT09999999"
    assert r["statusModule"]["overallStatus"] == "RECRUITING"
    assert r["designModule"]["phases"] == ["PHASE1", "PHASE2"]
    assert r["designModule"]["enrollmentInfo"] == {"count": 120, "type": "ACTUAL"}
    assert r["designModule"]["designInfo"]["maskingInfo"]["masking"] == "DOUBLE"


def test_unrecognised_format(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("Just some notes\nabout a trial\n", encoding="utf-8")
    with pytest.raises(SourceError) as err:
        parse_document(path)
    assert err.value.file == "note.txt" and err.value.field == "format"

"""The regimen reader on real dosing wording (each phrase's source in its comment), with the readings a careful
person makes, refusals included; and a property test: every number of a read dose is in its quote, every quote
is a verbatim substring of the string at its path."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trialdb.dosing.reader import Reading, read_regimens, reading_from_json, reading_to_json
from trialdb.dosing.schedules import Phase, is_complete
from trialdb.dosing.units import numbers_in, parse_number

FIXTURES = [*Path("tests/fixtures/ctgov").glob("*.json"), *Path("/work/shared/fixtures/quirks").glob("*.json")]


def study(arms: list[dict], interventions: list[dict], **description: str) -> dict:
    """A small API v2 study dict."""
    ps: dict = {"identificationModule": {"nctId": "NCT00000000"},
                "armsInterventionsModule": {"armGroups": arms, "interventions": interventions}}
    if description:
        ps["descriptionModule"] = description
    return {"protocolSection": ps}


def one_arm(text: str, where: str = "arm", label: str = "IL-2", name: str = "Aldesleukin") -> dict:
    arm: dict = {"label": label, "interventionNames": [f"Drug: {name}"]}
    iv: dict = {"name": name, "armGroupLabels": [label]}
    (arm if where == "arm" else iv)["description"] = text
    return study([arm], [iv])


def at(study_: dict, path: str):
    node = study_["protocolSection"]
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        node = node[int(part[1:-1])] if part.startswith("[") else node[part]
    return node


def check_quotes(s: dict, readings: list[Reading]) -> None:
    for r in readings:
        assert r.quote in at(s, r.path)
        for f in r.facts:
            assert f.quote in at(s, f.path), f
        for n in r.not_read:
            if n.quote is not None:
                assert n.path is not None and n.quote in at(s, n.path), n
        if r.dose is not None:
            dose_fact = next(f for f in r.facts if f.field == "dose")
            assert r.dose in numbers_in(dose_fact.quote)
        assert reading_from_json(json.loads(json.dumps(reading_to_json(r)))) == r


def only(text: str, where: str = "arm") -> Reading:
    s = one_arm(text, where)
    rs = read_regimens(s)
    check_quotes(s, rs)
    assert len(rs) == 1 and rs[0].role == "active"
    return rs[0]


def reasons(r: Reading, field: str) -> str:
    return " | ".join(n.reason for n in r.not_read if n.field == field)


P = Phase
# (source, text, dose, unit, route, phases, expected not-read fields (substring of reason) or flags)
CASES = [
    # fixtures/dosing/README.md #6: bullous pemphigoid, J Am Acad Dermatol 2024
    ("readme-6", "IL-2 (half million IU) administered subcutaneously every other day for 8 weeks",
     0.5, "million IU", "subcutaneous", (P(2, 56),), {}),
    # README #7: refractory rheumatoid arthritis (Shanxi group)
    ("readme-7", "daily subcutaneous injections of 0.5 million IU of human IL-2 for five consecutive days",
     0.5, "million IU", "subcutaneous", (P(1, 5),), {}),
    # README #8: immune thrombocytopenia, PMID 27862977
    ("readme-8", "low-dose IL-2 (1.0 million IU/day) on 5 consecutive days per week for 4 weeks",
     1.0, "million IU", None, (P(1, 5, 2, 4),), {"route": "not stated"}),
    # README #9: MIROCALS patient information page (NCT03039673)
    ("readme-9", "you will give yourself once a day for five days every 4 weeks (total of 19 5-day cycles)",
     None, None, None, (P(1, 5, 23, 19),), {"dose": "not stated"}),
    # README #3: DILfrequency (NCT02265809), JCI Insight 2018: superscript of 10^6 lost
    ("readme-3", "0.26 × 106 IU/m2 ... every 3 days",
     0.26, "million IU/m²", None, (P(3, None),), {"phases[0].for_days": "duration not stated"}),
    # README #5: ultra-low-dose IL-2 after transplantation, Clin Cancer Res 2014: a range, three times a week
    ("readme-5", "100,000–200,000 IU/m2 ×3 per week",
     None, None, None, (P(None, None, times_per_week=3),),
     {"dose": "a range", "phases[0].every_days": "×3 per week"}),
    # README #2: DF-IL2-Child (NCT01862120): per-m² doses by arm; daily × 5 then fortnightly for a year
    ("readme-2", "0.125, 0.250 or 0.500 million international units (MIU)/m2, given daily for a 5 day course and "
                 "then fortnightly for 1 year",
     None, None, None, (P(1, 5), P(14, None)),
     {"dose": "several doses listed", "phases[1].for_days": "not a whole number of days"}),
    # README #1: DF-IL2 (NCT01353833): three doses for three arms, the arm label names none
    ("readme-1", "placebo or IL2 at 0·33 MIU/day, 1 MIU/day, or 3 MIU/day for a 5-day course",
     None, None, None, (P(1, 5),), {"dose": "several doses listed"}),
    # README #4: NCT02318082, Blood Adv 2019: doses by population and a dose escalation
    ("readme-4", "Daily IL-2 was initiated in children and adults (0.33 × 106 and 0.67 × 106 IU/m2 per day, "
                 "respectively). Dose escalations were scheduled at weeks 2 and 4",
     None, None, None, (P(1, None),), {"dose": "several doses listed", "phases.dose": "escalation"}),
    # NCT01366092 arm description as posted (meddatax.com mirror): Markdown escapes 10\^6 and m\^2
    ("NCT01366092", "Interleukin-2: Daily subcutaneous IL-2 (1 x 10\\^6 IU/m\\^2/day) for self-administration "
                    "for 12 weeks followed by 4-week hiatus",
     1.0, "million IU/m²", "subcutaneous", (P(1, 84, 28),), {}),
    # NCT02739412 arm description (meddatax.com mirror): "per meter squared"
    ("NCT02739412", "IL-2 (Interleukin-2; Aldesleukin; Proleukin) administered daily as a single subcutaneous "
                    "injection 0.30 MIU per meter squared body surface area for a duration of 4 weeks.",
     0.3, "million IU/m²", "subcutaneous", (P(1, 28),), {}),
    # NCT02465580 detailed description (ctv.veeva.com): "1X 106" with the sign, "Qod", 3 cycles
    ("NCT02465580", "1 million units every other day subcutaneously (HrIL-2 1X 106, ip, Qod) for a period of "
                    "14 days. After a 14-day rest, another cycle started) for 3 cycles",
     1.0, "million IU", "subcutaneous", (P(2, 14, 14, 3),), {}),
    # Ann Rheum Dis 2020 (PubMed 31537547), NCT02465580: one cycle described, the count elsewhere
    ("PMID31537547", "IL-2 at a dose of 1 million IU or placebo was administered subcutaneously every other day "
                     "for 2 weeks and followed by a 2-week break as one treatment cycle.",
     1.0, "million IU", "subcutaneous", (P(2, 14, 14, None),), {"phases[0].cycles": "not stated"}),
    # MIROCALS (NCT03039673) Lancet 2025 abstract: over 18 months (months not converted)
    ("MIROCALS", "2 million international units (MIU) IL-2LD or placebo by subcutaneous injection daily for 5 days "
                 "every 28 days over 18 months",
     2.0, "million IU", "subcutaneous", (P(1, 5, 23, None),), {"phases[0].cycles": "month"}),
    # IMODALS (NCT02059759) EBioMedicine 2020: two doses for two arms listed, arm label names none
    ("IMODALS", "aldesleukin 2 MIU, 1 MIU, or placebo once daily for 5 days every 4 weeks for 3 cycles",
     None, None, None, (P(1, 5, 23, 3),), {"dose": "several doses listed"}),
    # Saadoun 2011 as summarised in J Immunol 2019 table 1 (PMC6986328): induction then courses at weeks
    ("Saadoun", "SC, 1 million IU per day for 5 days, followed by three 5-day courses of 3 million IU per day at "
                "weeks 3, 6, and 9",
     1.0, "million IU", "subcutaneous", (P(1, 5), P(1, 5, 0, None, dose=3.0)), {"phases[1].rest_days": "weeks"}),
    # Koreth 2011 summarised (PMC6986328): doses by arm, daily for 8 weeks then a 4-week hiatus
    ("Koreth", "SC, 0.3, 1 or 3 million IU per square meter of body-surface area, daily for 8 weeks, followed by a "
               "4-week hiatus",
     None, None, "subcutaneous", (P(1, 56, 28),), {"dose": "several doses listed"}),
    # Blood 2016 128(1):130 (ashpublications): daily IL-2 (1 × 106 IU/m2) for 12 weeks
    ("Blood2016", "35 adults with steroid-refractory cGVHD received daily IL-2 (1 × 106 IU/m2) for 12 weeks",
     1.0, "million IU/m²", None, (P(1, 84),), {}),
    # Ann Rheum Dis 2015 abstract AB0525 (NCT02084238): "every second day"
    ("AB0525", "three courses of low dose recombinant human IL-2 (1 million IU every second day for 2 weeks "
               "followed by a 2-week hiatus)",
     1.0, "million IU", None, (P(2, 14, 14, 3),), {}),
    # drugs.com aldesleukin dosage (label): every 8 hours is not a whole-day interval; high dose flagged
    ("drugs.com", "0.037 mg/kg (600,000 IU/kg) every 8 hours via a 15-minute IV infusion for a maximum of 14 doses",
     600000.0, "IU/kg", "intravenous", (), {"phases[0].every_days": "more than once a day"}),
    # NCT01445561 brief summary (meddatax.com): dose not stated, every day for 5 days
    ("NCT01445561", "Participants will receive one of two possible very low doses of interleukin-2 every day for "
                    "5 days.",
     None, None, None, (P(1, 5),), {"dose": "not stated"}),
    # hindawi BMRI 2018 table 1 (GVHD, Koreth): a list with thousands separators
    ("hindawi-GVHD", "Low s.c. dose (300,000; 1,000,000 or 3,000,000 IU/m2) of IL-2 for eight weeks",
     None, None, "subcutaneous", (P(None, 56),), {"dose": "several doses listed",
                                                  "phases[0].every_days": "not stated"}),
    # NCT02465580 curated quote (seed_data): "hrIL-2s.c.injection" (no space), dose in units
    ("seed-NCT02467504", "hrIL-2 active (1 million U doses of hrIL-2s.c.injection)",
     1.0, "million IU", "subcutaneous", (), {"phases": "schedule not stated"}),
    # Proleukin in HIV, NCT00001357 summary (clinicaltrialexchange): "approximately every eight weeks"
    ("NCT00001357", "Patients will receive Proleukin subcutaneously at their assigned dose level once per day for "
                    "5 days approximately every eight weeks for a total of 6 months.",
     None, None, "subcutaneous", (P(1, 5, 0, None),), {"phases[0].every_days": "approximately every"}),
    # French word order (MUI) and French schedule words ("pendant", "puis", "tous les 15 jours"): daily for 5 days,
    # then every 15 days for a duration not stated
    ("french-MUI", "IL-2 1 MUI/jour pendant 5 jours puis tous les 15 jours",
     1.0, "million IU", None, (P(1, 5), P(15, None)), {"phases[1].for_days": "duration not stated"}),
    # the Chinese unit wan: "50WIU" (rhIL-2 records of Chinese sponsors), every other day
    ("wan", "rhIL-2 50WIU subcutaneous injection every other day for 12 weeks",
     50.0, "10⁴ IU", "subcutaneous", (P(2, 84),), {}),
    # a garbled number: the multiplication sign lost between digits is never read as a fragment
    ("garbled", "IL-2 1106 IU subcutaneously daily for 5 days",
     None, None, "subcutaneous", (P(1, 5),), {"dose": "garbled"}),
    # an implausible dose kept as written and flagged (a thousand times below low dose)
    ("implausible", "Aldesleukin 1000 IU subcutaneously once daily for 5 days",
     1000.0, "IU", "subcutaneous", (P(1, 5),), {"flag": "far below"}),
    # "mIU" is ambiguous (milli or million)
    ("mIU", "IL-2 1.5 mIU subcutaneously daily for 5 days",
     None, None, "subcutaneous", (P(1, 5),), {"dose": "ambiguous unit"}),
    # "biweekly" is ambiguous (twice a week or every two weeks)
    ("biweekly", "1 MIU IL-2 subcutaneously biweekly for 12 weeks",
     1.0, "million IU", "subcutaneous", (P(None, 84),), {"phases[0].every_days": "biweekly"}),
    # three times a week: a count per week, no interval
    ("tiw", "Participants self-inject 1 MIU three times a week for 6 weeks",
     1.0, "million IU", None, (P(None, 42, times_per_week=3),), {"phases[0].every_days": "three times a week"}),
    # a Markdown escaped tilde before the number: approximate, not read
    ("tilde", "IL-2 \\~1 MIU daily for 5 days",
     None, None, None, (P(1, 5),), {"dose": "approximate"}),
    # --- more real wording (issue 20: at least 40 phrases), each source in its comment ---
    # NCT04077684 brief summary (clinicaltrialexchange.com mirror): three doses for three arms, none named by the arm
    ("NCT04077684", "three doses of IL2 (0.2 MIU, 0.5 MIU or 1 MIU) versus placebo",
     None, None, None, (), {"dose": "several doses listed", "phases": "schedule not stated"}),
    # NCT01840046, Castela et al. JAMA Dermatol 2014 (PubMed 24872229): "IU/d", "during 5 days", induction then
    # three courses at stated weeks with their own dose
    ("PMID24872229", "Subcutaneous interleukin 2 (1.5 million IU/d) was administered during 5 days, followed by three "
                     "5-day courses of 3 million IU/d at weeks 3, 6, and 9.",
     1.5, "million IU", "subcutaneous", (P(1, 5), P(1, 5, 0, None, dose=3.0)), {"phases[1].rest_days": "weeks"}),
    # mdedge.com ACR report of the first SLE trial (Peking University): courses and breaks, no frequency
    ("mdedge-SLE", "received three courses of SC injections of 1 million IU of IL-2, with a 2-week break between "
                   "courses",
     1.0, "million IU", "subcutaneous", (), {"phases": "schedule not stated"}),
    # UK-Vanguard, PLoS Clin Trials 2006 (doi 10.1371/journal.pctr.0010003): "twice-daily" and "wk"
    ("UK-Vanguard", "IL-2 was administered by twice-daily subcutaneous injections for five consecutive days every 8 wk.",
     None, None, "subcutaneous", (P(None, 5, 51, None),), {"phases[0].every_days": "more than once a day",
                                                            "phases[0].cycles": "not stated"}),
    # UK-Vanguard abstract: a dose per arm listed, doses per day given in two injections
    ("UK-Vanguard-doses", "receive IL-2 at 15 million international units (MIU) per day (12 participants) or 9 MIU/day "
                          "(12 participants) or no treatment (12 participants)",
     None, None, None, (P(1, None),), {"dose": "several doses listed"}),
    # LILACS protocol (NCT03113773), BMJ Open 2018 (PubMed 30224390): a dose range with the superscript lost
    ("LILACS-range", "randomised to receive either IL-2 (aldesleukin; dose range 0.3-3×106 IU) or placebo once daily, "
                     "given subcutaneously, for five consecutive days.",
     None, None, "subcutaneous", (P(1, 5),), {"dose": "a range"}),
    # LILACS protocol: the first cohort's dose, "0.3×106" written without spaces
    ("LILACS-group1", "Group 1 will receive a dose of 0.3×106 IU",
     0.3, "million IU", None, (), {"phases": "schedule not stated"}),
    # LILACS ESC abstract (discovery.researcher.life): five dose groups listed
    ("LILACS-groups", "5 dose groups (0.3, 0.6, 1.2, 2.4 and 3x106 IU/day)",
     None, None, None, (P(1, None),), {"dose": "several doses listed"}),
    # LILACS, NEJM Evidence 2022 (PubMed 38319239): part B's two dose groups
    ("LILACS-partB", "one of two dose groups (1.5 and 2.5 × 106 IU daily)",
     None, None, None, (P(1, None),), {"dose": "several doses listed", "phases[0].for_days": "not stated"}),
    # LILACS research summary (cctu.org.uk): "over five days"
    ("LILACS-cctu", "The planned doses will be given to the trial patients once a day, over five days as subcutaneous "
                    "injections",
     None, None, "subcutaneous", (P(1, 5),), {"dose": "not stated"}),
    # Hartemann 2013 as summarised in J Immunol 2019 table 1 (PMC6986328): "followed for 60 days" is follow-up
    ("Hartemann-table", "SC, 0.33, 1 or 3 million IU per day, for a 5-day course, followed for 60 days",
     None, None, "subcutaneous", (P(1, 5),), {"dose": "several doses listed"}),
    # NCT05605665 arm description (crick.ai registry mirror): "10\\~6" (the registry's escaped tilde where the power
    # sign was) is one million (issue 32); "once twice a week" is still not read
    ("NCT05605665", "low dose interleukin-2 injected subcutaneously, at a dose of 1 x 10\\~6 IU once twice a week, "
                    "for 12 weeks.",
     1.0, "million IU", "subcutaneous", (P(None, 84),), {"phases[0].every_days": "once twice"}),
    # NCT00554515 (SELECT, trials.co mirror): high-dose IL-2, every 8 hours; "IL2, 600,000" is not a list of doses
    ("NCT00554515", "Participants received high-dose (HD) IL2, 600,000 IU/kg/dose (Prometheus Laboratories Inc.) i.v. "
                    "every 8 hours for 5 days (maximum of 14 doses) beginning on day 1 and again on day 15.",
     600000.0, "IU/kg", "intravenous", (P(None, 5),), {"flag": "high-dose range",
                                                       "phases[0].every_days": "more than once a day"}),
    # ACR 2017 abstract (acrabstracts.org), rheumatoid arthritis in China: the wan unit "WIU"
    ("ACR-WIU", "injected subcutaneously IL-2 at 50 WIU per day for a 5 day course",
     50.0, "10⁴ IU", "subcutaneous", (P(1, 5),), {}),
    # Allegretti et al. ulcerative colitis (MedPage Today report): "IU/m2/day" with the superscript lost
    ("UC-doseA", "Dose A: 0.3 x 106 IU/m2/day",
     0.3, "million IU/m²", None, (P(1, None),), {"phases[0].for_days": "duration not stated"}),
    # NCT02467504, Signal Transduct Target Ther 2022 (PubMed 35250032): cycles named first, "(a total of 7 doses)"
    ("PMID35250032", "Three cycles of Ld-IL2 or placebo were administered subcutaneously every other day for 2 weeks "
                     "(a total of 7 doses), followed by a 2-week break.",
     None, None, "subcutaneous", (P(2, 14, 14, 3),), {"dose": "not stated"}),
    # NCT02464319, JAMA Netw Open 2022 (rheumatologyadvisor.com report): "a 2-week pause in treatment"
    ("pSS-2022", "low-dose IL-2 at a dose of 1 million IU subcutaneously every other day for 2 weeks followed by a "
                 "2-week pause in treatment",
     1.0, "million IU", "subcutaneous", (P(2, 14, 14),), {}),
    # Takaku 1988, Gan To Kagaku Ryoho (PubMed 3058043): PubMed's "10(6)" for a superscript
    ("PMID3058043", "subcutaneously in 4 patients at a dose of 1 x 10(6) U/day for 5 days",
     1.0, "million IU", "subcutaneous", (P(1, 5),), {}),
    # J Immunother 1995 (PubMed 8770775): "once daily 6 days a week" is not every day
    ("PMID8770775", "IL-2 was administered once daily 6 days a week for 12 weeks.",
     None, None, None, (P(None, 84, times_per_week=6),), {"phases[0].every_days": "6 days a week"}),
    # SC IL-2 in melanoma (litmetric.com abstract): 5 days per week, repeated at 6-week intervals
    ("melanoma-SC", "IL-2 administered SC daily for 5 days per week for 4 consecutive weeks, repeated at 6-week "
                    "intervals.",
     None, None, "subcutaneous", (P(None, 28, 14, None, times_per_week=5),),
     {"phases[0].every_days": "5 days per week", "phases[0].cycles": "not stated"}),
    # Clin Cancer Res table 2 footnote (clincancerres.aacrjournals.org): "MIU/M2" in capitals is per m²
    ("MIU/M2", "Adjuvant IL-2 given at 4.0 MIU/M2 on days 8-12 of each cycle.",
     4.0, "million IU/m²", None, (), {"phases": "schedule not stated"}),
    # natural IL-2 in hepatitis B (fitforthem.unipa.it abstract): "30 000 U" and increasing doses are not read
    ("nIL-2-HBV", "increasing doses of nIL-2 (30 000 U, 100 000 U, 300 000 U, 1.0 million U) subcutaneously",
     None, None, "subcutaneous", (), {"phases.dose": "escalation"}),
    ("nIL-2-spaces", "nIL-2 (30 000 U, 100 000 U, 300 000 U, 1.0 million U) subcutaneously in a phase I trial. Each "
                     "dose was applied once per week over 3 weeks.",
     None, None, "subcutaneous", (P(7, 21),), {"dose": "digit groups separated by spaces"}),
    # Clin Cancer Res 2014 (aacrjournals.org), ULD IL-2 after HSCT: a range of doses and a range of durations
    ("CCR2014-full", "received ULD IL-2 post hematopoietic stem cell transplantation (HSCT; 100,000–200,000 IU/m2 ×3 "
                     "per week), starting <day 30 and continuing for 6 to 12 weeks.",
     None, None, None, (P(None, None, times_per_week=3),), {"dose": "a range", "phases[0].for_days": "not stated"}),
    # French HIV care guidelines, chapter 17 (studylibfr.com): decimal commas in a range, "2 fois par jour"
    ("french-HIV", "les doses habituelles sont de 4,5-7,5 MUI 2 fois par jour",
     None, None, None, (), {"dose": "a decimal comma", "phases[0].every_days": "more than once a day"}),
]


@pytest.mark.parametrize("source,text,dose,unit,route,phases,notes", CASES, ids=[c[0] for c in CASES])
def test_real_phrase(source, text, dose, unit, route, phases, notes):
    r = only(text)
    assert (r.dose, r.unit, r.route) == (dose, unit, route)
    assert r.phases == phases
    for field, words in notes.items():
        if field == "flag":
            assert any(words in f for f in r.flags), r.flags
        else:
            assert words in reasons(r, field), (field, r.not_read)


def test_dose_per_arm_from_arm_label():
    # DF-IL2 (NCT01353833): the shared intervention lists three doses; each arm's label names its own
    iv = {"name": "Interleukin-2", "description": "IL2 at 0·33 MIU/day, 1 MIU/day, or 3 MIU/day for a 5-day course",
          "armGroupLabels": ["IL-2 0·33 MIU", "IL-2 1 MIU", "IL-2 3 MIU"]}
    arms = [{"label": lab, "interventionNames": ["Drug: Interleukin-2"]} for lab in iv["armGroupLabels"]]
    s = study(arms, [iv])
    rs = read_regimens(s)
    check_quotes(s, rs)
    assert [(r.arm, r.dose, r.unit) for r in rs] == [("IL-2 0·33 MIU", 0.33, "million IU"),
                                                      ("IL-2 1 MIU", 1.0, "million IU"),
                                                      ("IL-2 3 MIU", 3.0, "million IU")]
    assert all(r.phases == (Phase(1, 5),) for r in rs)
    assert rs[0].facts[0].path == "armsInterventionsModule.armGroups[0].label"


def test_dose_only_in_intervention_name():
    # IMODALS (NCT02059759) interventions as the registry names them (ctv.veeva.com): "2.0 MIU IL-2 per day"
    ivs = [{"name": "2.0 MIU IL-2 per day", "armGroupLabels": ["A"]}, {"name": "1.0 MIU IL-2 per day",
                                                                         "armGroupLabels": ["B"]},
           {"name": "Placebo", "armGroupLabels": ["C"]}]
    arms = [{"label": x, "interventionNames": [f"Drug: {iv['name']}"]} for x, iv in zip("ABC", ivs, strict=True)]
    s = study(arms, ivs, detailedDescription="ALS patients treated for 3 months (5 days every four weeks repeated "
                                             "three times).")
    rs = read_regimens(s)
    check_quotes(s, rs)
    assert [(r.arm, r.role, r.dose) for r in rs] == [("A", "active", 2.0), ("B", "active", 1.0),
                                                      ("C", "placebo", None)]
    # the dose is in the name; the schedule in the name too ("per day") - the study description is not used
    assert rs[0].phases == (Phase(1, None),)


def test_study_description_only_when_arms_say_nothing():
    # IMODALS detailed description (ctv.veeva.com) read when arms and interventions give no dose or schedule
    s = study([{"label": "IL-2", "interventionNames": ["Drug: IL-2"]}], [{"name": "IL-2", "armGroupLabels": ["IL-2"]}],
              detailedDescription="assess ld-IL-2 activity ... in ALS patients treated for 3 months (5 days every "
                                  "four weeks repeated three times).")
    [r] = read_regimens(s)
    check_quotes(s, [r])
    assert r.path == "descriptionModule.detailedDescription"
    assert r.phases == (Phase(None, 5, 0, 3),) or r.phases[0].cycles == 3


def test_placebo_or_shares_schedule_and_background_drugs():
    # NCT02467504-like: arms with IL-2 or placebo plus MTX; the intervention says "IL-2 or placebo"
    ivs = [{"name": "hrIL-2 active", "description": "low-dose IL-2 or placebo, 1 million units every other day "
                                                    "subcutaneously for a period of 14 days",
            "armGroupLabels": ["Experimental"]},
           {"name": "hrIL-2 placebo", "armGroupLabels": ["Placebo Comparator"]},
           {"name": "MTX", "description": "methotrexate 10 mg weekly", "armGroupLabels": ["Experimental",
                                                                                         "Placebo Comparator"]}]
    arms = [{"label": "Experimental", "interventionNames": ["Drug: hrIL-2 active", "Drug: MTX"]},
            {"label": "Placebo Comparator", "interventionNames": ["Drug: hrIL-2 placebo", "Drug: MTX"]}]
    s = study(arms, ivs)
    rs = read_regimens(s)
    check_quotes(s, rs)
    got = [(r.arm, r.drug, r.role) for r in rs]
    assert got == [("Experimental", "hrIL-2 active", "active"), ("Experimental", "MTX", "background"),
                   ("Placebo Comparator", "hrIL-2 placebo", "placebo"), ("Placebo Comparator", "MTX", "background")]
    active, _, placebo, mtx = rs
    assert active.dose == 1.0 and active.phases == (Phase(2, 14),) and active.route == "subcutaneous"
    assert placebo.dose is None and placebo.phases == active.phases and placebo.route == "subcutaneous"
    assert mtx.phases == () and mtx.dose is None


def test_type_prefix_quirk_fixture():
    s = json.loads(Path("/work/shared/fixtures/quirks/arm-intervention-type-prefix.json").read_text())
    s = s["studies"][0] if "studies" in s else s
    rs = read_regimens(s)
    check_quotes(s, rs)
    assert [(r.arm, r.drug, r.role) for r in rs] == [
        ("Group A", "Aldesleukin", "active"), ("Group B", "Placebo", "placebo"),
        ("Group C", "Aldesleukin", "active"), ("Group C", "Aldesleukin high-purity lot", "active")]
    assert all(r.dose is None and r.phases == () for r in rs)
    assert all(any(n.field == "dose" for n in r.not_read) for r in rs if r.role == "active")


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_fixtures_without_il2_give_nothing_and_never_raise(path):
    data = json.loads(path.read_text())
    for s in data.get("studies", [data]) if isinstance(data, dict) else []:
        rs = read_regimens(s)
        check_quotes(s, rs)
        if path.name != "arm-intervention-type-prefix.json":
            assert rs == []


def test_no_arms_module_and_junk():
    assert read_regimens({}) == []
    assert read_regimens({"protocolSection": {"armsInterventionsModule": {"armGroups": "x"}}}) == []
    assert read_regimens({"protocolSection": {"armsInterventionsModule": {
        "armGroups": [{"label": 3}], "interventions": [{"name": "IL-2"}]}}}) == []


def test_il2_receptor_antibody_is_not_read_as_il2():
    s = one_arm("basiliximab 20 mg IV on days 0 and 4", name="Basiliximab (anti-IL-2 receptor antibody)")
    assert read_regimens(s) == []


# --- property: numbers of a dose are in its quote, quotes are verbatim -----------------------------------------

NUMS = st.sampled_from(["0·33", "0.5", "1", "1.5", "2", "3", "100,000", "1,500,000", "0.26", "half", "1106", "12"])
# powers of ten as they are copied (issue 32): signs lost, escaped, replaced by a tilde or E, superscripts flattened
# with and without a space; a dose read beside one is the number before it, never a fragment of it
POWERS = (" × 106 IU", " x 10\\^6 IU", " × 105 IU", " x 10 6 IU", " x 10 6 IU/m 2", " × 10\\~6 IU", " x 10~6 IU",
          "×10E6 IU", "E+06 IU", " x 10(6) IU", " x 10 ^ 6 IU", " 10 6 IU", " x 106IU")
UNITS_ = st.sampled_from([" MIU", " million IU", *POWERS, " MUI", " WIU", " IU", "万IU",
                          " million international units (MIU)", " mIU", " IU/kg", " mg", " U"])
PER = st.sampled_from(["", "/m2", "/m\\^2", "/m²", " per square meter", "/kg", "/day"])
FREQ = st.sampled_from(["", " daily", " every other day", " qod", " weekly", " fortnightly", " three times a week",
                        " ×3 per week", " every 3 days", " biweekly", " twice daily", " on 5 consecutive days per week"])
DUR = st.sampled_from(["", " for 5 days", " for 8 weeks", " for 6 months", " for 1 year", " for a 5-day course",
                       " every 4 weeks for 3 cycles", " followed by a 2-week break", " and then weekly for 12 weeks"])
ROUTE = st.sampled_from(["", " subcutaneously", " SC", " IV", " s.c.", " by subcutaneous injection"])
WHERE = st.sampled_from(["arm", "iv"])


@settings(max_examples=300, deadline=None)
@given(NUMS, UNITS_, PER, FREQ, DUR, ROUTE, WHERE, st.sampled_from(["", "IL-2 ", "Aldesleukin ", "(", "or "]))
def test_property_dose_numbers_in_quote(num, unit, per, freq, dur, route, where, lead):
    text = f"{lead}{num}{unit}{per}{route}{freq}{dur}"
    s = one_arm(text, where)
    rs = read_regimens(s)
    check_quotes(s, rs)
    for r in rs:
        if r.dose is not None:
            assert r.unit is not None
            if unit in POWERS:  # read as the power or not at all
                assert r.dose == parse_number(num) and r.unit.startswith("million IU"), (text, r.dose, r.unit)
        if is_complete(r.phases):
            assert all(p.every_days and p.for_days for p in r.phases)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 .,·×xX^\\-–/MIUmuikgd²WU万aeoy()")), max_size=60))
def test_property_never_raises_on_any_text(text):
    s = one_arm(text)
    check_quotes(s, read_regimens(s))


def test_synthetic_portfolio_wordings():
    # the synthetic portfolio's registry-style wordings (trialdb/synthetic.py): "14 days of rest" is a rest, and
    # "for 5 consecutive days every 4 weeks" a 5-day course every 28 days (neither was read so before)
    from trialdb.synthetic import DOSING_TEXTS

    assert only(DOSING_TEXTS[1].format(d="1.5")).phases == (P(2, 14, 14, 3),)
    assert only(DOSING_TEXTS[2].format(d="1.5")).phases == (P(1, 5, 23, 6),)

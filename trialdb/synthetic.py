"""A deterministic synthetic portfolio for scale tests and the benchmark: N trials with realistic
mixes of indications, phases, statuses, dates (some missing), arms, regimens, and outcomes for some.
Every row is marked synthetic: its document says so, and it carries no provenance.

Arms and interventions carry registry-style dosing text (DOSING_TEXTS: real wordings, a dose per arm in
some, unreadable ranges, placebo arms), and most trials' regimens are read from it by the regimen reader
and decided by the portfolio classifier exactly as an import stores them (trialdb.readings), the others
curated; a few percent are not low-dose IL-2 (NOT_LOW_DOSE: receptor antibody, engineered IL-2, fusion
toxin) so the "also matched" list has rows at scale. Most trials register a primary and some secondary outcomes
(`design_outcomes`), as registry records do. Trials have a lead sponsor and some collaborators of varied agency
classes, and sites in real cities with the registry's kind of geoPoint (a few without), for the Where and who page."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from trialdb import schema
from trialdb.indications import BY_CODE
from trialdb.portfolio.classifier import decide
from trialdb.readings import PortfolioInputs, decision_row, store_registry_study
from trialdb.search import refresh_search_index
from trialdb.store import models as m
from trialdb.store.bulk import add_rows
from trialdb.store.db import make_engine, sqlite_path

# 30 indications in the 7 disease areas of trialdb.indications, weighted towards where low-dose IL-2
# is tried most (SLE, RA, T1D, GVHD); each one has at least one trial (the first 30 trials take one each).
INDICATION_WEIGHTS = [
    ("SLE", 30), ("RA", 20), ("pSS", 8), ("SSc", 4), ("BD", 3), ("GPA", 2), ("IIM", 2), ("CryoVas", 2),
    ("TAK", 1), ("APS", 1),  # rheumatology
    ("T1D", 18), ("GD", 2),  # endocrinology
    ("GVHD", 14), ("TxR", 4),  # transplantation and GVHD
    ("ALS", 4), ("MS", 3), ("AD", 2), ("PD", 1), ("MG", 1),  # neurology
    ("AA", 4), ("PsO", 3), ("AtD", 2), ("PV", 1), ("Vit", 1),  # dermatology
    ("UC", 4), ("CD", 3), ("AIH", 2),  # gastroenterology
    ("CAD", 3), ("ITP", 2), ("COVID", 2),  # other
]
PHASES = [("PHASE1", 20), ("PHASE1/PHASE2", 15), ("PHASE2", 40), ("PHASE2/PHASE3", 5), ("PHASE3", 10), (None, 10)]
STATUSES = [("COMPLETED", 35), ("RECRUITING", 20), ("UNKNOWN", 15), ("ACTIVE_NOT_RECRUITING", 10),
            ("NOT_YET_RECRUITING", 8), ("TERMINATED", 7), ("WITHDRAWN", 5)]
MASKING = ["NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"]
SCHEDULES = [
    [{"every_days": 2, "for_days": 14, "rest_days": 14, "cycles": 3}],
    [{"every_days": 2, "for_days": 84}, {"every_days": 7, "for_days": 84}],
    [{"every_days": 1, "for_days": 5, "rest_days": 23, "cycles": 6}],
    [{"every_days": 7, "for_days": 168}],
]


# Registry-style dosing wordings of an IL-2 arm ({d}: the dose in million IU); the placebo arm shares the
# schedule in words of its own. Real patterns (../shared/fixtures/dosing/), and ranges no reader should read.
DOSING_TEXTS = [
    "Aldesleukin {d} million IU injected subcutaneously once daily for 5 days.",
    "Interleukin-2 {d} MIU subcutaneously every other day for 14 days, then 14 days of rest, for 3 cycles.",
    "Low-dose IL-2 {d} million IU/day subcutaneously for 5 consecutive days every 4 weeks (6 cycles).",
    "IL-2 {d} × 10^6 IU given subcutaneously once a week for 24 weeks.",
    "rhIL-2 {d} million IU subcutaneously every other day for 12 weeks, then once a week for 12 weeks.",
    "Low-dose IL-2 at 100,000–200,000 IU/m2 ×3 per week subcutaneously.",
    "Interleukin-2 {d} million IU subcutaneously three times a week; duration per investigator.",
]
PLACEBO_TEXT = "Placebo (0.9% saline) injected subcutaneously on the same schedule as the active arm."
# Not low-dose IL-2, for a few percent of trials: (intervention name, arm description).
NOT_LOW_DOSE = [
    ("Basiliximab", "Basiliximab 20 mg intravenously on days 0 and 4."),
    ("Efavaleukin alfa", "Efavaleukin alfa (an IL-2 mutein) subcutaneously every 2 weeks."),
    ("Denileukin diftitox", "Denileukin diftitox 9 µg/kg intravenously daily for 5 days every 21 days."),
]
NOT_LOW_DOSE_SHARE = 0.04  # as many again as this share of the portfolio, set aside (beyond the n trials)
CURATED_SHARE = 0.25  # of trials with a regimen: curated rows (as a person would), the rest read from the text


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate(url: str, n: int = 10_000, seed: int = 2026) -> None:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    engine = make_engine(url)
    schema.metadata.drop_all(engine)
    schema.metadata.create_all(engine)
    rng = random.Random(seed)
    with Session(engine) as s:
        doc = m.Document(name="synthetic", format="synthetic portfolio", sha256="-",
                         text=f"Synthetic portfolio of {n} trials (seed {seed}); not real data.")
        s.add(doc)
        for code, _ in INDICATION_WEIGHTS:  # names and areas from the one indication table
            ind = BY_CODE[code]
            s.add(m.IndicationRow(code=code, name=ind.name, area=ind.area, mesh_ids=",".join(ind.mesh_ids)))
        s.flush()
        inputs = PortfolioInputs()  # no reviewed decisions, no curated registry regimens
        for i in range(n):
            study, record, read = _study(rng, i, doc.id, seed)
            s.add(study)
            add_rows(s, OUTCOMES_TABLE, design_outcomes(study.nct_id, i))
            if read:  # read and decided as an import would (trialdb.readings), no provenance
                store_registry_study(s, study, record, inputs, None)
            else:  # curated rows: decided as an import would
                study.decision = decision_row(decide(record, inputs.reviewed))
            if i % 500 == 499:
                s.flush()
        # Beyond the n portfolio trials, a few percent that the registry query also matched and the portfolio
        # sets aside (listed on Also matched, counted nowhere else), from a random stream of their own.
        extra = random.Random(seed + 1)
        for j in range(round(n * NOT_LOW_DOSE_SHARE)):
            study, record, _ = _study(extra, n + j, doc.id, seed, other=True)
            s.add(study)
            add_rows(s, OUTCOMES_TABLE, design_outcomes(study.nct_id, n + j))
            store_registry_study(s, study, record, inputs, None)
        for k in range(n // 20):  # a publication with outcomes for one trial in twenty
            s.add(_publication(rng, k, f"NCT9{(k * 20):07d}", doc.id))
        s.flush()
        add_synthetic_results(s, seed)
        s.add(m.Meta(key="origin", value="synthetic"))
        refresh_search_index(s)
        s.commit()
    engine.dispose()


# Registered outcome measures, registry-style (measure, time frame, description; None: not stated). Each trial
# registers one primary and one to three secondary ones, chosen by its number (no random draw: every other value
# of the portfolio stays as it was); one trial in seven has an "other" outcome, one in eleven none at all.
RegisteredOutcome = tuple[str, str, str | None]  # measure, time frame, description (None: not stated)
OUTCOMES_TABLE = schema.metadata.tables[m.DesignOutcome.__tablename__]
PRIMARY_OUTCOMES: list[RegisteredOutcome] = [
    ("SLE Responder Index-4 (SRI-4) response", "Week 24",
     "Proportion of participants achieving SRI-4 response: a reduction of \\>= 4 points in SLEDAI-2K, no new "
     "BILAG A or more than one new BILAG B domain score, and no worsening of the physician's global assessment."),
    ("Change from baseline in DAS28-CRP", "Baseline and week 12", None),
    ("C-peptide area under the curve in a mixed-meal tolerance test", "Month 12",
     "Two-hour C-peptide AUC after a standard mixed meal, in nmol/L."),
    ("Incidence of grade II-IV acute graft-versus-host disease", "Day 100 after transplantation", None),
    ("Change in ESSDAI score", "Baseline and week 24",
     "EULAR Sjögren's syndrome disease activity index (0 to 123; higher is more active)."),
]
SECONDARY_OUTCOMES: list[RegisteredOutcome] = [
    ("Change in circulating regulatory T cells (CD4+CD25+FOXP3+)", "Baseline, weeks 2, 4, 12 and 24",
     "Percentage of CD4+ T cells, measured by flow cytometry."),
    ("Number of participants with adverse events", "Up to week 28", "Graded by CTCAE version 5.0."),
    ("Injection site reactions", "Up to week 24", None),
    ("Change in anti-dsDNA antibody titre", "Baseline and week 24", None),
    ("Serum IL-2 concentration", "Days 1 and 5 of the first cycle", "Pharmacokinetics: peak concentration."),
]
OTHER_OUTCOMES: list[RegisteredOutcome] = [("Exploratory cytokine profile", "Week 12", "IL-6, IL-17A and IFN-gamma in serum.")]


def design_outcomes(nct: str, i: int) -> list[dict[str, Any]]:
    """The registered outcomes of synthetic trial number `i` (`nct`) as design_outcomes rows (bulk.add_rows)."""
    if i % 11 == 10:  # no outcomesModule, as in some registry records
        return []
    chosen: list[tuple[str, list[RegisteredOutcome]]] = [
        ("primary", [PRIMARY_OUTCOMES[i % len(PRIMARY_OUTCOMES)]]),
        ("secondary", [SECONDARY_OUTCOMES[(i + k) % len(SECONDARY_OUTCOMES)] for k in range(1 + i % 3)]),
        ("other", OTHER_OUTCOMES if i % 7 == 3 else [])]
    return [{"nct_id": nct, "outcome_type": kind, "position": k, "measure": measure, "time_frame": when,
             "description": description}
            for kind, entries in chosen for k, (measure, when, description) in enumerate(entries)]


# Cities where trials of the portfolio's kind run, with the point the registry gives a site there (its geocoding of
# the city, rounded; decimal degrees), and the country as the registry names it. Beijing and Paris lead, as they do
# for low-dose IL-2; "Hong Kong" and "Singapore" have no shape on the 1:110m map (the page names them).
CITIES = [
    ("Beijing", "China", 39.9075, 116.39723), ("Shanghai", "China", 31.22222, 121.45806),
    ("Guangzhou", "China", 23.11667, 113.25), ("Paris", "France", 48.85341, 2.3488), ("Lyon", "France", 45.74846, 4.84671),
    ("London", "United Kingdom", 51.50853, -0.12574), ("Cambridge", "United Kingdom", 52.2, 0.11667),
    ("Boston", "United States", 42.35843, -71.05977), ("San Francisco", "United States", 37.77493, -122.41942),
    ("Seattle", "United States", 47.60621, -122.33207), ("Bethesda", "United States", 38.98067, -77.10026),
    ("Berlin", "Germany", 52.52437, 13.41053), ("Munich", "Germany", 48.13743, 11.57549),
    ("Leuven", "Belgium", 50.87959, 4.70093), ("Milan", "Italy", 45.46427, 9.18951), ("Madrid", "Spain", 40.4165, -3.70256),
    ("Stockholm", "Sweden", 59.32938, 18.06871), ("Seoul", "Korea, Republic of", 37.566, 126.9784),
    ("Tokyo", "Japan", 35.6895, 139.69171), ("Sydney", "Australia", -33.86785, 151.20732),
    ("Melbourne", "Australia", -37.814, 144.96332), ("Toronto", "Canada", 43.70011, -79.4163),
    ("Moscow", "Russian Federation", 55.75222, 37.61556), ("Prague", "Czechia", 50.08804, 14.42076),
    ("Hong Kong", "Hong Kong", 22.27832, 114.17469), ("Singapore", "Singapore", 1.28967, 103.85007),
]
CITY_WEIGHTS = [14, 4, 2, 10, 3, 4, 2, 5, 3, 2, 2, 3, 2, 2, 2, 2, 1, 2, 2, 1, 1, 2, 1, 1, 1, 1]
# Sponsors: (name, the registry's agency class), leads weighted towards the academic centres that carry the field.
SPONSORS = [
    ("Peking University People's Hospital", "OTHER"), ("Assistance Publique - Hôpitaux de Paris", "OTHER"),
    ("University of Cambridge", "OTHER"), ("National Institute of Allergy and Infectious Diseases (NIAID)", "NIH"),
    ("Charité - Universitätsmedizin Berlin", "OTHER"), ("ILTOO Pharma", "INDUSTRY"),
    ("Beijing ShuangLu Pharmaceutical Co., Ltd.", "INDUSTRY"), ("Immune Tolerance Network", "NETWORK"),
    ("Juvenile Diabetes Research Foundation", "OTHER"), ("Department of Veterans Affairs", "FED"),
    ("Seoul National University Hospital", "OTHER"), ("Novartis", "INDUSTRY"), ("Dr. A. Investigator", "INDIV"),
    ("Ministry of Health, Czech Republic", "OTHER_GOV"),
]
SPONSOR_WEIGHTS = [20, 14, 6, 4, 5, 6, 3, 3, 3, 1, 3, 2, 1, 1]


def sponsors_and_sites(i: int) -> tuple[list[m.Sponsor], list[m.Facility], list[str]]:
    """Synthetic trial number `i`'s lead sponsor and 0 to 2 collaborators (varied agency classes), its 1 to 6 sites
    in CITIES (one trial in twelve none; one site in fifteen without a geoPoint, as in some registry records), and
    its countries. Drawn from a stream of its own, so every other value of the portfolio stays as it was."""
    rng = random.Random(7919 * i + 13)
    lead = rng.choices(SPONSORS, weights=SPONSOR_WEIGHTS)[0]
    others = [sp for sp in dict.fromkeys(rng.choices(SPONSORS, weights=SPONSOR_WEIGHTS, k=rng.choice([0, 0, 1, 2])))
              if sp != lead]
    sponsors = [m.Sponsor(position=k, lead_or_collaborator="lead" if k == 0 else "collaborator", name=name,
                          agency_class=kind) for k, (name, kind) in enumerate([lead, *others])]
    if i % 12 == 11:
        return sponsors, [], []
    sites = []
    for k, (city, country, lat, lon) in enumerate(rng.choices(CITIES, weights=CITY_WEIGHTS, k=rng.randint(1, 6))):
        placed = rng.random() >= 1 / 15
        sites.append(m.Facility(name=f"Synthetic site {k + 1} of trial {i}, {city}", status="RECRUITING", city=city,
                                country=country, latitude=lat if placed else None, longitude=lon if placed else None))
    return sponsors, sites, list(dict.fromkeys(f.country for f in sites if f.country))


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}" + (f"-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else "")


def _study(rng: random.Random, i: int, doc_id: int, seed: int = 2026, other: bool = False) -> tuple[m.Study, dict, bool]:
    """A synthetic trial, the registry-shaped record of its arms, and whether its regimens are to be read
    from that record (False: curated rows are already on the trial). `other`: a trial of another IL-2
    intervention (NOT_LOW_DOSE) that the registry query matched and the portfolio sets aside."""
    nct = f"NCT9{i:07d}"
    text_rng = random.Random(seed * 100_003 + i)  # its own stream: the trials' other values stay as they were
    ind = _pick(rng, INDICATION_WEIGHTS)
    if i < len(INDICATION_WEIGHTS):  # every indication present, however small the portfolio
        ind = INDICATION_WEIGHTS[i][0]
    start = rng.randint(2008, 2026) if rng.random() < 0.8 else None
    s = m.Study(nct_id=nct, brief_title=f"Synthetic low-dose IL-2 trial {i} in {ind}", indication_code=ind,
                overall_status=_pick(rng, STATUSES), phase=_pick(rng, PHASES), study_type="INTERVENTIONAL",
                enrollment=rng.choice([None, rng.randint(8, 400)]) if rng.random() < 0.1 else rng.randint(8, 400),
                enrollment_type=rng.choice(["ACTUAL", "ESTIMATED", None]), document_id=doc_id,
                start_date=_date(rng, start) if start else None,
                completion_date=_date(rng, start + rng.randint(1, 5)) if start and rng.random() < 0.85 else None,
                last_update_posted_date=_date(rng, 2025) if rng.random() < 0.5 else None)
    s.conditions = [m.Condition(name=ind)]
    s.design = m.Design(allocation="RANDOMIZED", intervention_model="PARALLEL", primary_purpose="TREATMENT",
                        masking=rng.choice(MASKING))
    s.sponsors, s.facilities, countries = sponsors_and_sites(i)
    s.countries = [m.Country(name=c) for c in countries]
    first = i < len(INDICATION_WEIGHTS)  # one trial per indication: always a curated regimen (stable tests)
    has_regimen = rng.random() < 0.9 or first
    schedule = rng.choice(SCHEDULES) if has_regimen else None
    dose = rng.choice([0.5, 1.0, 1.5, 3.0]) if has_regimen else 1.0
    if other:  # matched by the registry query, not low-dose IL-2
        name, desc = text_rng.choice(NOT_LOW_DOSE)
        s.brief_title = f"Synthetic {name} trial {i} in {ind}"
        arms = [(name, "EXPERIMENTAL", desc, name)]
    else:
        text = text_rng.choice(DOSING_TEXTS) if has_regimen else ""
        if has_regimen and text_rng.random() < 0.2:  # a dose per arm, in the arm label as well as its description
            arms = [(f"IL-2 {d:g} MIU", "EXPERIMENTAL", text.format(d=f"{d:g}"), "Interleukin-2") for d in (dose, dose * 2)]
        else:
            arms = [("Low-dose IL-2", "EXPERIMENTAL", text.format(d=f"{dose:g}"), "Interleukin-2")]
    arms.append(("Placebo", "PLACEBO_COMPARATOR", PLACEBO_TEXT, "Placebo"))
    if not has_regimen and not other:  # one trial in ten lists no arms (as many registry records do): no regimen
        arms = []
    drugs = list(dict.fromkeys(drug for *_, drug in arms))
    ivs = {d: m.Intervention(position=k, intervention_type="DRUG", name=d,
                             description=next(desc for _, _, desc, dd in arms if dd == d)) for k, d in enumerate(drugs)}
    s.interventions = list(ivs.values())
    groups = []
    for k, (label, kind, desc, drug) in enumerate(arms):
        g = m.DesignGroup(position=k, title=label, group_type=kind, description=desc)
        g.interventions = [ivs[drug]]
        groups.append(g)
    s.design_groups = groups
    record = {"protocolSection": {
        "identificationModule": {"nctId": nct, "briefTitle": s.brief_title},
        "conditionsModule": {"conditions": [ind]},
        "armsInterventionsModule": {
            "armGroups": [{"label": label, "type": kind, "description": desc, "interventionNames": [f"Drug: {drug}"]}
                          for label, kind, desc, drug in arms],
            "interventions": [{"type": "DRUG", "name": d, "description": ivs[d].description,
                               "armGroupLabels": [label for label, *_, dd in arms if dd == d]} for d in drugs]}}}
    if other or not has_regimen or (not first and text_rng.random() >= CURATED_SHARE):
        return s, record, True
    if has_regimen:
        phases = json.dumps(schedule)
        s.regimens = [
            m.Regimen(arm=label, drug=drug, role="active", dose=dose if k == 0 else dose * 2, unit="million IU",
                      route="subcutaneous", phases=phases, source="curated")
            for k, (label, _, _, drug) in enumerate(arms[:-1])] + [
            m.Regimen(arm="Placebo", drug="Placebo", role="placebo", route="subcutaneous", phases=phases,
                      source="curated")]
    return s, record, False


def _publication(rng: random.Random, k: int, nct: str, doc_id: int) -> m.Publication:
    pub = m.Publication(pmid=f"9{k:07d}", title=f"Synthetic results of {nct}", journal="Synthetic J", year=2020,
                        document_id=doc_id)
    pub.registrations = [m.PublicationRegistration(position=0, nct_id=nct)]
    for j, week in enumerate((12, 24)):
        o = m.Outcome(nct_id=nct, measure="SRI-4 response", timepoint_weeks=week, is_primary=j == 0, is_harm=False,
                      p_value=f"0.{rng.randint(1, 99):02d}")
        for pos, name in enumerate(("IL-2", "Placebo")):
            n = rng.randint(10, 60)
            r = rng.randint(0, n)
            o.groups.append(m.OutcomeGroup(position=pos, group_name=name, percent=f"{100 * r / n:.2f}",
                                           responders=r, n=n, derived=False))
        pub.outcomes.append(o)
    return pub


# --- posted registry results (trialdb/results/models.py), shaped like the real ones -------------------------

RESULTS_SHARE = 0.4  # of completed trials: results posted on the registry
EVENT_TERMS = [("Injection site reaction", "General disorders"), ("Fever", "General disorders"),
               ("Upper respiratory tract infection", "Infections and infestations"),
               ("Urinary tract infection", "Infections and infestations"), ("Pneumonia", "Infections and infestations"),
               ("Headache", "Nervous system disorders"), ("Nausea", "Gastrointestinal disorders"),
               ("Diarrhoea", "Gastrointestinal disorders"), ("Arthralgia", "Musculoskeletal disorders"),
               ("Rash", "Skin and subcutaneous tissue disorders"), ("Lupus flare", "Immune system disorders"),
               ("Eosinophilia", "Blood and lymphatic system disorders")]
TIME_POINTS = ["Baseline", "Week 4", "Week 12", "Week 24"]


def add_synthetic_results(session: Session, seed: int = 2026) -> int:
    """Posted results for a share of the completed trials: 2 groups, 2 to 30 outcome measures (one trial
    with 300), counts with percentages, means with SD over time points, medians with ranges, analyses
    with numeric and inequality p-values, and 5 to 80 adverse-event terms (one trial with 1,500). Rows go
    in by core inserts with explicit ids: the ORM would take minutes at this size. Returns the trials."""
    from sqlalchemy import insert, select

    from trialdb.results import models as r

    rng = random.Random(seed + 12)  # its own stream: the trials themselves stay as they were
    ncts = [n for n in session.scalars(select(m.Study.nct_id).where(m.Study.overall_status == "COMPLETED")
                                       .order_by(m.Study.nct_id)) if rng.random() < RESULTS_SHARE]
    rows: dict[type, list[dict]] = {t: [] for t in (r.ResultDetail, r.OutcomeMeasure, r.ResultGroup, r.OutcomeCount,
                                                    r.OutcomeMeasurement, r.OutcomeAnalysis, r.OutcomeAnalysisGroup,
                                                    r.ReportedEventTotal, r.ReportedEvent)}
    ids = {t: 0 for t in rows}

    def add(table: type, **values) -> int:
        ids[table] += 1
        rows[table].append({"id": ids[table], **values} if table is not r.ResultDetail else values)
        return ids[table]

    names = ("Low-dose IL-2", "Placebo")
    for k, nct in enumerate(ncts):
        n_measures = 300 if k == 0 else rng.randint(2, 30)
        n_terms = 1500 if k == 1 else rng.randint(5, 80)
        add(r.ResultDetail, nct_id=nct, results_first_posted_date=f"20{rng.randint(12, 25)}-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}", results_first_posted_date_type="ACTUAL", has_flow=False, has_baseline=False,
            has_outcome_measures=True, has_adverse_events=True, events_frequency_threshold="5")
        at_risk = [rng.randint(10, 120) for _ in names]
        for i in range(n_measures):
            kind = rng.choice(("count", "count", "mean", "time", "median"))
            oid = add(r.OutcomeMeasure, nct_id=nct, position=i, outcome_type="PRIMARY" if i < 2 else "SECONDARY",
                      title={"count": f"Participants with SRI-4 response ({i})", "mean": f"Change in SLEDAI-2K ({i})",
                             "time": f"Regulatory T cells over time ({i})", "median": f"Anti-dsDNA titre ({i})"}[kind],
                      time_frame="Week 24", reporting_status="POSTED",
                      param_type={"count": "COUNT_OF_PARTICIPANTS", "mean": "MEAN", "time": "MEAN",
                                  "median": "MEDIAN"}[kind],
                      dispersion_type={"count": None, "mean": "STANDARD_DEVIATION", "time": "STANDARD_DEVIATION",
                                       "median": "FULL_RANGE"}[kind],
                      unit_of_measure={"count": "Participants", "mean": "score on a scale", "time": "% of CD4+ T cells",
                                       "median": "IU/mL"}[kind])
            gids = [add(r.ResultGroup, nct_id=nct, result_type=r.OUTCOME, outcome_measure_id=oid, position=g,
                        ctgov_group_code=f"OG00{g}", title=name) for g, name in enumerate(names)]
            for g, gid in enumerate(gids):
                add(r.OutcomeCount, nct_id=nct, outcome_measure_id=oid, result_group_id=gid, class_position=None,
                    denom_position=0, position=g, units="Participants", count=str(at_risk[g]))
            classes = TIME_POINTS if kind == "time" else [None]
            for c, cls in enumerate(classes):
                for g, gid in enumerate(gids):
                    value: dict = {"param_value": str(rng.randint(0, at_risk[g]))} if kind == "count" else \
                        {"param_value": f"{rng.uniform(1, 30):.2f}", "spread": f"{rng.uniform(0.5, 8):.2f}"} \
                        if kind in ("mean", "time") else \
                        {"param_value": f"{rng.uniform(10, 80):.1f}", "lower_limit": f"{rng.uniform(0, 9):.1f}",
                         "upper_limit": f"{rng.uniform(81, 200):.1f}"}
                    add(r.OutcomeMeasurement, nct_id=nct, outcome_measure_id=oid, result_group_id=gid, class_position=c,
                        classification=cls, category_position=0, position=g, **value)
            if rng.random() < 0.5:
                aid = add(r.OutcomeAnalysis, nct_id=nct, outcome_measure_id=oid, position=0,
                          p_value=rng.choice(["<0.001", f"0.{rng.randint(1, 99):02d}", "0.052"]),
                          method=rng.choice(["Fisher Exact", "ANCOVA", "Wilcoxon (Mann-Whitney)"]))
                for g, gid in enumerate(gids):
                    add(r.OutcomeAnalysisGroup, nct_id=nct, outcome_analysis_id=aid, result_group_id=gid, position=g)
        egs = [add(r.ResultGroup, nct_id=nct, result_type=r.EVENTS, position=g, ctgov_group_code=f"EG00{g}", title=name)
               for g, name in enumerate(names)]
        for g, gid in enumerate(egs):
            for kind in ("deaths", "serious", "other"):
                top = {"deaths": 2, "serious": at_risk[g] // 5, "other": at_risk[g]}[kind]
                add(r.ReportedEventTotal, nct_id=nct, result_group_id=gid, event_type=kind,
                    subjects_affected=rng.randint(0, top), subjects_at_risk=at_risk[g])
        for e in range(n_terms):
            term, organ = EVENT_TERMS[e % len(EVENT_TERMS)]
            kind = "serious" if e % 5 == 0 else "other"
            for g, gid in enumerate(egs):
                affected = rng.randint(0, at_risk[g] // (6 if kind == "serious" else 2))
                add(r.ReportedEvent, nct_id=nct, result_group_id=gid, event_type=kind, position=e, stat_position=g,
                    adverse_event_term=term if e < len(EVENT_TERMS) else f"{term} ({e})", organ_system=organ,
                    source_vocabulary="MedDRA", assessment="SYSTEMATIC_ASSESSMENT",
                    event_count=affected + rng.randint(0, 3), subjects_affected=affected, subjects_at_risk=at_risk[g])
    for table, values in rows.items():  # parents first: the dict is in that order
        for start in range(0, len(values), 5000):
            session.execute(insert(table), values[start : start + 5000])
    return len(ncts)


def main(argv: list[str] | None = None) -> int:
    import argparse
    import time

    ap = argparse.ArgumentParser(prog="python -m trialdb.synthetic", description=__doc__)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--db", type=Path, required=True)
    args = ap.parse_args(argv)
    t = time.perf_counter()
    generate(f"sqlite:///{args.db.resolve()}", args.n)
    print(f"wrote {args.n} synthetic trials to {args.db} in {time.perf_counter() - t:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def add_changes(url: str, n: int = 5_000, seed: int = 11) -> None:
    """Add `n` synthetic registry changes (study_changes) to a synthetic portfolio, spread over its trials,
    the tracked fields and 24 weekly syncs, with a last sync in meta: the "What's new" page at scale."""
    import datetime as dt

    from sqlalchemy import select

    from trialdb.registry.changes import NEW_TRIAL, TRACKED, to_json
    from trialdb.store.freshness import META_API, META_AT, META_QUERY

    engine = make_engine(url)
    schema.metadata.create_all(engine)
    rng = random.Random(seed)
    start = dt.datetime(2026, 6, 1, 5, 17, tzinfo=dt.UTC)
    syncs = [(start + dt.timedelta(weeks=w)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
             for w in range(24)]
    values: dict[str, list[Any]] = {"protocolSection.statusModule.overallStatus": [s for s, _ in STATUSES],
              "protocolSection.designModule.phases": [["PHASE1"], ["PHASE2"], ["PHASE2", "PHASE3"], ["PHASE3"]],
              "protocolSection.designModule.enrollmentInfo.count": list(range(8, 400, 7)),
              "hasResults": [False, True]}
    with Session(engine) as s:
        ncts = list(s.scalars(select(m.Study.nct_id).order_by(m.Study.nct_id)))
        for i in range(n):
            field = NEW_TRIAL if rng.random() < 0.1 else rng.choice(TRACKED)
            pool = values.get(field, [f"synthetic value {k}" for k in range(5)])
            old, new = rng.sample(pool, 2) if len(pool) > 1 else (None, pool[0])
            if field == NEW_TRIAL:
                old, new = None, f"Synthetic trial {i}"
            s.add(m.StudyChange(nct_id=rng.choice(ncts), field=field, old=to_json(old), new=to_json(new),
                                last_update=f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                                detected=syncs[i % len(syncs)], sync_id=syncs[i % len(syncs)]))
        for key, value in ((META_AT, syncs[-1]), (META_QUERY, "synthetic"), (META_API, "synthetic")):
            s.merge(m.Meta(key=key, value=value))
        s.commit()
    engine.dispose()

"""The database as ClinicalTrials.gov API v2 records: `{"studies", "publications", "schedules", "portfolio"}`.

`schedules`: one entry per regimen (arm as the record writes it, drug, role), with dose, unit and route
(null when not stated), phases, the administration days (null when the schedule is not complete), source
("curated" | "read"), the quote and its JSON path, and what was not stated or read (not_read) with why.
`portfolio`: every study's portfolio decision {"nct_id", "included", "category", "reason", "quote"}."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, object_session

from trialdb.dosing.schedules import administration_days, is_complete, phases_from_json
from trialdb.pubmed.retractions import retraction_notices
from trialdb.readings import phase_dicts
from trialdb.reporting import study_reporting
from trialdb.results.section import drop_empty as _clean
from trialdb.results.section import results_posted, section_record
from trialdb.store import models as m


def _date(date: str | None, kind: str | None) -> dict | None:
    return {"date": date, "type": kind} if date else None


def criteria_text(study: m.Study) -> str | None:
    parts = []
    for kind, title in (("inclusion", "Inclusion Criteria"), ("exclusion", "Exclusion Criteria")):
        items = [c.criterion for c in study.criteria if c.kind == kind]
        if items:
            parts.append(f"{title}:\n\n" + "\n".join(f"* {x}" for x in items))
    return "\n\n".join(parts) or None


def outcomes_module(study: m.Study) -> dict[str, list[dict[str, str | None]]]:
    """The registered outcomes as the record posts them: {"primaryOutcomes": [{"measure", "description",
    "timeFrame"}], "secondaryOutcomes": [...], "otherOutcomes": [...]}, each list in its order (empty lists and
    unstated fields are dropped by the caller's clean-up, as the registry leaves them out)."""
    module: dict[str, list[dict[str, str | None]]] = {key: [] for key in m.OUTCOME_LISTS.values()}
    for o in sorted(study.design_outcomes, key=lambda o: (o.type_order, o.position)):
        module[m.OUTCOME_LISTS[o.outcome_type]].append(
            {"measure": o.measure, "description": o.description, "timeFrame": o.time_frame})
    return module


def study_record(s: m.Study) -> dict:
    lead = next((sp for sp in s.sponsors if sp.lead_or_collaborator == "lead"), None)
    rp = s.responsible_party
    d, el = s.design, s.eligibility
    ps: dict[str, Any] = {
        "identificationModule": {
            "nctId": s.nct_id, "orgStudyIdInfo": {"id": s.org_study_id} if s.org_study_id else None,
            "secondaryIdInfos": [{"id": i.id_value, "type": i.id_type, "domain": i.id_type_description,
                                  "link": i.id_link} for i in s.id_information if i.id_source == "secondary_id"],
            "nctIdAliases": [i.id_value for i in s.id_information if i.id_source == "nct_alias"],
            "briefTitle": s.brief_title, "officialTitle": s.official_title,
            "acronym": s.acronym,
        },
        "statusModule": {
            "overallStatus": s.overall_status, "lastKnownStatus": s.last_known_status,
            "startDateStruct": _date(s.start_date, s.start_date_type),
            "primaryCompletionDateStruct": _date(s.primary_completion_date, s.primary_completion_date_type),
            "completionDateStruct": _date(s.completion_date, s.completion_date_type),
            "lastUpdatePostDateStruct": _date(s.last_update_posted_date, None),
        },
        "sponsorCollaboratorsModule": {
            "responsibleParty": rp and {"type": rp.responsible_party_type, "investigatorFullName": rp.name,
                                        "investigatorTitle": rp.title, "investigatorAffiliation": rp.affiliation},
            "leadSponsor": lead and {"name": lead.name, "class": lead.agency_class},
            "collaborators": [{"name": c.name, "class": c.agency_class} for c in s.sponsors
                              if c.lead_or_collaborator == "collaborator"],
        },
        "descriptionModule": {"briefSummary": s.brief_summary, "detailedDescription": s.detailed_description},
        "conditionsModule": {"conditions": [c.name for c in s.conditions]},
        "designModule": {
            "studyType": s.study_type, "phases": s.phase.split("/") if s.phase else None,
            "designInfo": d and {
                "allocation": d.allocation, "interventionModel": d.intervention_model,
                "primaryPurpose": d.primary_purpose,
                "maskingInfo": {"masking": d.masking,
                                "whoMasked": d.who_masked.split(",") if d.who_masked else None},
            },
            "enrollmentInfo": {"count": s.enrollment, "type": s.enrollment_type} if s.enrollment is not None else None,
        },
        "armsInterventionsModule": {
            "armGroups": [{"label": g.title, "type": g.group_type, "description": g.description,
                           "interventionNames": json.loads(g.intervention_names) if g.intervention_names is not None
                           else [f"{iv.intervention_type.replace('_', ' ').title()}: {iv.name}"
                                 for iv in g.interventions]} for g in s.design_groups],
            "interventions": [{"type": iv.intervention_type, "name": iv.name, "description": iv.description,
                               "armGroupLabels": [g.title for g in s.design_groups if iv in g.interventions],
                               "otherNames": [o.name for o in iv.other_names]} for iv in s.interventions],
        },
        "outcomesModule": outcomes_module(s),
        "eligibilityModule": el and {
            "eligibilityCriteria": criteria_text(s), "healthyVolunteers": el.healthy_volunteers, "sex": el.sex,
            "minimumAge": el.minimum_age, "maximumAge": el.maximum_age,
        },
        "contactsLocationsModule": {
            "centralContacts": [{"name": c.name, "role": c.role, "phone": c.phone, "email": c.email}
                                for c in s.central_contacts],
            "overallOfficials": [{"name": o.name, "affiliation": o.affiliation, "role": o.role} for o in s.officials],
            "locations": [{"facility": f.name, "status": f.status, "city": f.city, "state": f.state, "zip": f.zip,
                           "country": f.country, "geoPoint": {"lat": f.latitude, "lon": f.longitude},
                           "contacts": [{"name": c.name, "role": "CONTACT", "phone": c.phone, "email": c.email}
                                        for c in f.contacts]} for f in s.facilities],
        },
        "referencesModule": {"references": [{"pmid": r.pmid, "type": r.reference_type, "citation": r.citation,
                                             "retractions": [{"pmid": x.pmid, "source": x.source}
                                                             for x in r.retractions]}
                                            for r in s.references]},
    }
    # API v2 has no list of countries (AACT derives its countries table from the locations): not exported.
    rec = {"protocolSection": ps, "hasResults": s.has_results}
    session = object_session(s)
    if session is not None:  # the posted results, from their own tables (trialdb/results/section.py)
        posted = results_posted(session, s.nct_id)
        if posted is not None:
            ps["statusModule"]["resultsFirstPostDateStruct"] = _date(*posted)
        rec["resultsSection"] = section_record(session, s.nct_id)
    return _clean(rec)


def publication_record(p: m.Publication, retracted: bool = False) -> dict:
    """A publication as exported: the seed-era keys, and PubMed's `publication_types`, `abstract` (a list of
    `{"label", "category", "text"}`: PubMed's sections, or the seed document's abstract as one unlabelled section),
    `published` (the `PubDate` as PubMed writes it), `retracted` and `source` ("curated", "pubmed" or
    "curated+pubmed"). `nct_ids` are the registrations the publication names."""
    rec = _clean({
        "pmid": p.pmid, "pmcid": p.pmcid, "doi": p.doi, "title": p.title, "journal": p.journal, "year": p.year,
        "printDate": p.print_date, "epubDate": p.epub_date, "licence": p.licence,
        "authors": [a.name for a in p.authors], "nct_ids": [r.nct_id for r in p.registrations],
        "outcomes": [{"measure": o.measure, "timepoint_weeks": o.timepoint_weeks, "population": o.population,
                      "primary": o.is_primary, "p_value": o.p_value,
                      "groups": [{"group": g.group_name, "percent": g.percent, "responders": g.responders,
                                  "n": g.n, "derived": g.derived} for g in o.groups]} for o in p.outcomes],
    })
    sections = ([{"label": x.label, "category": x.category, "text": x.text} for x in p.sections] if p.sections
                else [{"label": None, "category": None, "text": p.abstract}] if p.abstract else [])
    rec.update({"publication_types": [t.name for t in p.types], "abstract": sections, "published": p.published,
                "retracted": retracted, "source": p.source})
    return rec


def reporting_records(session: Session, today: dt.date) -> list[dict]:
    """Every study's reporting status on `today` (trialdb.reporting): `{"nct_id", "status", "primary_completion"
    (the date the rule used, ISO), "results_posted" (ISO or None), "publications" (the PMIDs that count as
    published results)}`."""
    out = []
    for nct, (r, _) in sorted(study_reporting(session, today).items()):
        out.append({"nct_id": nct, "status": r.status,
                    "primary_completion": r.primary_completion.isoformat() if r.primary_completion else None,
                    "results_posted": r.results_posted.isoformat() if r.results_posted else None,
                    "publications": list(r.reported_by)})
    return out


def schedule_records(session: Session) -> list[dict]:
    quotes = {(p.subject, p.path): p.quote for p in session.scalars(
        select(m.Provenance).where(m.Provenance.path.like("regimens[%")))}
    out = []
    for r in session.scalars(select(m.Regimen).order_by(m.Regimen.nct_id, m.Regimen.id)):
        phases = phase_dicts(r.phases)
        parsed = phases_from_json(r.phases)
        days = administration_days(parsed) if is_complete(parsed) else None if parsed else []
        out.append({"nct_id": r.nct_id, "arm": r.arm, "drug": r.drug, "role": r.role, "dose": r.dose, "unit": r.unit,
                    "route": r.route, "days": days, "phases": phases, "source": r.source or "curated",
                    "quote": quotes.get((r.nct_id, f"regimens[{r.arm}|{r.drug}]")), "path": r.path,
                    "not_read": [{"field": n.get("field"), "reason": n.get("reason"), "quote": n.get("quote"),
                                  "path": n.get("path")} for n in (json.loads(r.not_read) if r.not_read else [])],
                    "flags": json.loads(r.flags) if r.flags else []})
    return out


def portfolio_records(session: Session) -> list[dict]:
    """Every study's portfolio decision; a study without one (a database built before decisions) is
    exported as included with category and reason null."""
    decided = {d.nct_id: d for d in session.scalars(select(m.PortfolioDecision))}
    out = []
    for nct in session.scalars(select(m.Study.nct_id).order_by(m.Study.nct_id)):
        d = decided.get(nct)
        out.append({"nct_id": nct, "included": d.included if d else True, "category": d.category if d else None,
                    "reason": d.reason if d else None, "quote": d.quote if d else None})
    return out


def export(engine: Engine, today: dt.date | None = None) -> dict:
    """The whole database as one JSON-ready dict; reporting statuses as of `today` (default: the date today)."""
    with Session(engine) as session:
        studies = session.scalars(select(m.Study).order_by(m.Study.nct_id)).all()
        pubs = session.scalars(select(m.Publication).order_by(m.Publication.pmid)).all()
        retracted = retraction_notices(session)
        return {"studies": [study_record(s) for s in studies],
                "publications": [publication_record(p, p.pmid in retracted) for p in pubs],
                "schedules": schedule_records(session), "portfolio": portfolio_records(session),
                "reporting": reporting_records(session, today or dt.date.today())}


def export_json(engine: Engine) -> str:
    return json.dumps(export(engine), indent=2, ensure_ascii=False)

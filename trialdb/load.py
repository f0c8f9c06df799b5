"""From parsed records (ClinicalTrials.gov API v2 shape) and curation to database rows, with provenance."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from trialdb import models as m
from trialdb.enums import ENUMS
from trialdb.errors import SourceError
from trialdb.indications import match_condition
from trialdb.results import add_results
from trialdb.sources import Parsed, Quote
from trialdb.statistics import derive_counts

MESH_PATH = "derivedSection.conditionBrowseModule.meshes"


def add_document(session: Session, parsed_doc, fmt: str) -> m.Document:
    row = m.Document(name=parsed_doc.name, format=fmt, sha256=parsed_doc.sha256, text=parsed_doc.text)
    session.add(row)
    session.flush()
    return row


def add_provenance(session: Session, subject: str, quotes: dict[str, Quote], docs: dict[str, m.Document]) -> int:
    """One provenance row per quote, by one executemany (a Core insert: a record has hundreds of facts, and
    an ORM object each made a build with 1,000 synced records spend most of its time here)."""
    if quotes:
        session.execute(insert(m.Base.metadata.tables["provenance"]), [
            {"subject": subject, "path": path, "document_id": docs[q.document].id, "quote": q.text, "offset": q.offset}
            for path, q in quotes.items()])
    return len(quotes)


def _check_enum(file: str, path: str, kind: str, value: Any) -> Any:
    if value is not None and value not in ENUMS[kind]:
        raise SourceError(file, path, value, f"not a ClinicalTrials.gov {kind} value")
    return value


def split_criteria(text: str) -> dict[str, list[str]]:
    """The registry's eligibility text ("Inclusion Criteria:\\n\\n* ...") as one item per bullet."""
    out: dict[str, list[str]] = {"inclusion": [], "exclusion": []}
    kind = "inclusion"
    for line in text.splitlines():
        s = line.strip()
        if re.match(r"(?i)exclusion criteria", s):
            kind = "exclusion"
        elif re.match(r"(?i)inclusion criteria", s):
            kind = "inclusion"
        elif s:
            item = re.sub(r"^(?:[*•\-–]|\d{1,2}[.)])\s*", "", s)
            if item:
                out[kind].append(item)
    return out


def add_study(session: Session, parsed: Parsed, document: m.Document) -> m.Study:
    r, f = parsed.record, document.name
    ident = r.get("identificationModule", {})
    status = r.get("statusModule", {})
    design = r.get("designModule", {})
    conds = r.get("conditionsModule", {}).get("conditions", [])
    nct = ident.get("nctId")
    if not nct or not re.fullmatch(r"NCT\d{8}", nct):
        raise SourceError(f, "identificationModule.nctId", nct, "missing or not an NCT identifier")
    if not ident.get("briefTitle"):
        raise SourceError(f, "identificationModule.briefTitle", None, "missing")
    if not status.get("overallStatus"):
        raise SourceError(f, "statusModule.overallStatus", None, "missing")
    if not conds:
        raise SourceError(f, "conditionsModule.conditions", None, "no condition, so no indication")
    _check_enum(f, "statusModule.overallStatus", "overallStatus", status["overallStatus"])
    _check_enum(f, "statusModule.lastKnownStatus", "overallStatus", status.get("lastKnownStatus"))
    for ph in design.get("phases", []) or []:
        _check_enum(f, "designModule.phases", "phase", ph)
    _check_enum(f, "designModule.studyType", "studyType", design.get("studyType"))

    match = match_condition(conds[0], (r.get("derivedSection") or {}).get("conditionBrowseModule"))
    ind = match.indication
    if session.scalar(select(m.IndicationRow.code).where(m.IndicationRow.code == ind.code)) is None:
        session.add(m.IndicationRow(code=ind.code, name=ind.name, area=ind.area, mesh_ids=",".join(ind.mesh_ids) or None))
        session.flush()  # rarely: the next study of this indication finds the row (get sees no pending rows)
    cq = parsed.quotes.get("conditionsModule.conditions[0]")
    if match.how == "mesh" and match.mesh is not None and match.mesh_index is not None:
        # The registry's MeSH descriptor decided: the fact is quoted from that entry of the record (an
        # imported JSON file; `check` follows the path after "indication.").
        parsed.quotes[f"indication.{MESH_PATH}[{match.mesh_index}].term"] = Quote(
            document.name, json.dumps(match.mesh.get("term"), ensure_ascii=False), None)
    elif cq:
        parsed.quotes["indication"] = cq

    def date(key: str) -> tuple[str | None, str | None]:
        d = status.get(key) or {}
        _check_enum(f, f"statusModule.{key}.type", "dateType", d.get("type"))
        return d.get("date"), d.get("type")

    enrol = design.get("enrollmentInfo") or {}
    _check_enum(f, "designModule.enrollmentInfo.type", "enrollmentType", enrol.get("type"))
    s = m.Study(
        nct_id=nct, brief_title=ident["briefTitle"], official_title=ident.get("officialTitle"),
        org_study_id=(ident.get("orgStudyIdInfo") or {}).get("id"), indication_code=ind.code,
        overall_status=status["overallStatus"], last_known_status=status.get("lastKnownStatus"),
        phase="/".join(design.get("phases") or []) or None, study_type=design.get("studyType"),
        enrollment=enrol.get("count"), enrollment_type=enrol.get("type"),
        brief_summary=r.get("descriptionModule", {}).get("briefSummary"),
        detailed_description=r.get("descriptionModule", {}).get("detailedDescription"),
        has_results=r.get("hasResults"), location_count_stated=r.get("locationCountStated"),
        document_id=document.id, acronym=ident.get("acronym"),
    )
    s.start_date, s.start_date_type = date("startDateStruct")
    s.primary_completion_date, s.primary_completion_date_type = date("primaryCompletionDateStruct")
    s.completion_date, s.completion_date_type = date("completionDateStruct")
    s.last_update_posted_date, _ = date("lastUpdatePostDateStruct")
    s.conditions = [m.Condition(name=c) for c in conds]
    info = design.get("designInfo")
    if info:
        mask = info.get("maskingInfo") or {}
        for key, kind in (("allocation", "allocation"), ("interventionModel", "interventionModel"),
                          ("primaryPurpose", "primaryPurpose")):
            _check_enum(f, f"designModule.designInfo.{key}", kind, info.get(key))
        _check_enum(f, "designModule.designInfo.maskingInfo.masking", "masking", mask.get("masking"))
        s.design = m.Design(allocation=info.get("allocation"), intervention_model=info.get("interventionModel"),
                            primary_purpose=info.get("primaryPurpose"), masking=mask.get("masking"),
                            who_masked=",".join(mask.get("whoMasked", [])) or None)
    _arms(s, r.get("armsInterventionsModule", {}), r.get("otherInterventionNames", []), f)
    _eligibility(s, r.get("eligibilityModule"), f)
    _sponsors(s, r.get("sponsorCollaboratorsModule", {}), f)
    _contacts(s, r.get("contactsLocationsModule", {}), r.get("derivedSection", {}), f)
    for ref in r.get("referencesModule", {}).get("references", []):
        _check_enum(f, "referencesModule.references.type", "referenceType", ref.get("type"))
        s.references.append(m.StudyReference(pmid=ref.get("pmid"), reference_type=ref.get("type"),
                                             citation=ref.get("citation", "")))
    if s.org_study_id:
        s.id_information.append(m.IdInformation(id_source="org_study_id", id_value=s.org_study_id))
    for sec in ident.get("secondaryIdInfos", []):
        s.id_information.append(m.IdInformation(id_source="secondary_id", id_value=sec["id"],
                                                id_type=sec.get("type") or sec.get("domain")))
    session.add(s)  # not flushed: the caller's flush writes a whole import, one executemany per table
    add_results(session, nct, r)  # the registry's posted results, when the record has them
    return s


def _arms(s: m.Study, module: dict, other_names: list[str], f: str) -> None:
    by_name: dict[str, m.Intervention] = {}
    for i, iv in enumerate(module.get("interventions", [])):
        _check_enum(f, f"armsInterventionsModule.interventions[{i}].type", "interventionType", iv.get("type"))
        row = m.Intervention(position=i, intervention_type=iv.get("type") or "OTHER", name=iv["name"],
                             description=iv.get("description"))
        s.interventions.append(row)
        by_name[f"{row.intervention_type}: {row.name}".lower()] = row
        for other in iv.get("otherNames", []):
            s.other_names.append(m.InterventionOtherName(name=other, intervention=row))
    for name in other_names:  # listed for the study, not for one intervention
        s.other_names.append(m.InterventionOtherName(name=name))
    for i, arm in enumerate(module.get("armGroups", [])):
        _check_enum(f, f"armsInterventionsModule.armGroups[{i}].type", "armGroupType", arm.get("type"))
        g = m.DesignGroup(position=i, title=arm["label"], group_type=arm.get("type"), description=arm.get("description"))
        for name in arm.get("interventionNames", []):
            # "Drug: X" names an intervention by type and name (ClinicalTrials.gov's own linking).
            kind, _, plain = name.partition(": ")
            key = f"{kind.upper().replace(' ', '_')}: {plain}".lower()
            if key not in by_name:
                raise SourceError(f, f"armsInterventionsModule.armGroups[{i}].interventionNames", name,
                                  "names no intervention of the study")
            g.interventions.append(by_name[key])
        s.design_groups.append(g)


def _eligibility(s: m.Study, el: dict | None, f: str) -> None:
    if not el:
        return
    _check_enum(f, "eligibilityModule.sex", "sex", el.get("sex"))
    s.eligibility = m.Eligibility(sex=el.get("sex"), minimum_age=el.get("minimumAge"),
                                  maximum_age=el.get("maximumAge"), healthy_volunteers=el.get("healthyVolunteers"))
    criteria = el.get("criteria") or split_criteria(el.get("eligibilityCriteria", ""))
    for kind in ("inclusion", "exclusion"):
        for i, text in enumerate(criteria.get(kind, [])):
            s.criteria.append(m.EligibilityCriterion(kind=kind, position=i, criterion=text))


def _sponsors(s: m.Study, module: dict, f: str) -> None:
    entries = [("lead", module["leadSponsor"])] if module.get("leadSponsor") else []
    entries += [("collaborator", c) for c in module.get("collaborators", [])]
    for i, (role, sp) in enumerate(entries):
        _check_enum(f, "sponsorCollaboratorsModule.class", "agencyClass", sp.get("class"))
        if not isinstance(sp.get("name"), str) or not sp["name"].strip():  # a sponsor without a name: say so
            where = "leadSponsor" if role == "lead" else f"collaborators[{i - bool(module.get('leadSponsor'))}]"
            raise SourceError(f, f"sponsorCollaboratorsModule.{where}.name", sp.get("name"), "missing")
        s.sponsors.append(m.Sponsor(position=i, lead_or_collaborator=role, name=sp["name"], agency_class=sp.get("class")))
    rp = module.get("responsibleParty")
    if rp:
        _check_enum(f, "sponsorCollaboratorsModule.responsibleParty.type", "responsiblePartyType", rp.get("type"))
        s.responsible_party = m.ResponsibleParty(
            responsible_party_type=rp.get("type"), name=rp.get("investigatorFullName"),
            title=rp.get("investigatorTitle"), affiliation=rp.get("investigatorAffiliation"))


def _contacts(s: m.Study, module: dict, derived: dict, f: str) -> None:
    for o in module.get("overallOfficials", []):
        _check_enum(f, "contactsLocationsModule.overallOfficials.role", "officialRole", o.get("role"))
        s.officials.append(m.OverallOfficial(role=o.get("role"), name=o["name"], affiliation=o.get("affiliation")))
    for c in module.get("centralContacts", []):
        _check_enum(f, "contactsLocationsModule.centralContacts.role", "contactRole", c.get("role"))
        s.central_contacts.append(m.CentralContact(role=c.get("role"), name=c["name"], phone=c.get("phone"),
                                                   email=c.get("email")))
    for loc in module.get("locations", []):
        _check_enum(f, "contactsLocationsModule.locations.status", "recruitmentStatus", loc.get("status"))
        fac = m.Facility(name=loc.get("facility"), status=loc.get("status"), city=loc.get("city"),
                         state=loc.get("state"), zip=loc.get("zip"), country=loc.get("country"))
        fac.contacts = [m.FacilityContact(contact_type=c.get("role"), name=c.get("name", ""), phone=c.get("phone"),
                                          email=c.get("email")) for c in loc.get("contacts", [])]
        s.facilities.append(fac)
    countries = derived.get("miscInfoModule", {}).get("countries") or list(
        dict.fromkeys(loc["country"] for loc in module.get("locations", []) if loc.get("country")))
    s.countries = [m.Country(name=c) for c in countries]


def add_publication(session: Session, parsed: Parsed, document: m.Document) -> m.Publication:
    r = parsed.record
    pub = m.Publication(
        pmid=r["pmid"], pmcid=r.get("pmcid"), doi=r.get("doi"), title=r["title"], journal=r.get("journal"),
        year=r.get("year"), print_date=r.get("printDate"), epub_date=r.get("epubDate"),
        publisher=r.get("publisher"), licence=r.get("licence"), licence_url=r.get("licenceUrl"),
        rights=r.get("rights"), abstract=r.get("abstract"), document_id=document.id)
    pub.authors = [m.PublicationAuthor(position=i, name=a) for i, a in enumerate(r.get("authors", []))]
    pub.registrations = [m.PublicationRegistration(position=i, nct_id=n)
                         for i, n in enumerate(r.get("registrations", []))]
    session.add(pub)
    return pub


def add_regimen(session: Session, r: dict, study: m.Study, file: str, where: str) -> m.Regimen:
    arms = {g.title: g for g in study.design_groups}
    if r["arm"] not in arms:
        raise SourceError(file, f"{where}.arm", r["arm"], f"no such arm in {study.nct_id}")
    if r["drug"] not in {iv.name for iv in arms[r["arm"]].interventions}:
        raise SourceError(file, f"{where}.drug", r["drug"], f"not an intervention of arm {r['arm']!r}")
    row = m.Regimen(nct_id=study.nct_id, arm=r["arm"], drug=r["drug"], role=r["role"], dose=r.get("dose"),
                    unit=r.get("unit"), unit_as_written=r.get("unit_as_written"), route=r.get("route"),
                    phases=json.dumps([p.__dict__ for p in r["phases"]]) if r["phases"] else None,
                    interpretation=r.get("interpretation"))
    study.regimens.append(row)
    return row


def regimen_path(row: m.Regimen) -> str:
    return f"regimens[{row.arm}|{row.drug}]"


def outcome_path(row: m.Outcome) -> str:
    when = f" week {row.timepoint_weeks}" if row.timepoint_weeks is not None else ""
    return f"outcomes[{row.measure}{when}]"


def add_outcome(session: Session, o: dict, pub: m.Publication) -> m.Outcome:
    row = m.Outcome(pmid=pub.pmid, nct_id=o.get("nct_id"), measure=o["measure"],
                    timepoint_weeks=o.get("timepoint_weeks"), population=o.get("population"),
                    is_primary=bool(o.get("primary")), is_harm=bool(o.get("harm")),
                    p_value=o.get("p_value"), note=o.get("note"))
    for i, g in enumerate(o["groups"]):
        grp = m.OutcomeGroup(position=i, group_name=g["group"], percent=g.get("percent"),
                             responders=g.get("responders"), n=g.get("n"), derived=False)
        if grp.n is None and "randomised" in g:
            if grp.percent is not None and grp.responders is None:
                found = derive_counts(grp.percent, g["randomised"])
                if found:
                    grp.responders, grp.n = found
                    grp.derivation = (f"computed here: {found[0]}/{found[1]} is the largest denominator not above "
                                      f"the {g['randomised']} randomised that reproduces {grp.percent}% "
                                      f"when rounded to the published precision")
            else:
                grp.n = g["randomised"]
                grp.derivation = (f"computed here: denominator taken as the {g['randomised']} randomised "
                                  f"to the group; the paper does not state it for this outcome")
            grp.derived = grp.derivation is not None
        row.groups.append(grp)
    pub.outcomes.append(row)
    return row

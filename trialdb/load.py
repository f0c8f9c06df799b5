"""From parsed records (ClinicalTrials.gov API v2 shape) and curation to database rows, with provenance."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb import flags
from trialdb.enums import ENUMS
from trialdb.errors import SourceError
from trialdb.indications import match_condition
from trialdb.results import section as results
from trialdb.sources.documents import Parsed, Quote
from trialdb.statistics import derive_counts
from trialdb.store import models as m
from trialdb.store.bulk import add_rows

MESH_PATH = "derivedSection.conditionBrowseModule.meshes"


def add_document(session: Session, parsed_doc, fmt: str) -> m.Document:
    return add_documents(session, [parsed_doc], fmt)[parsed_doc.name]


def add_documents(session: Session, docs: list, fmt: str) -> dict[str, m.Document]:
    """Many source documents of one format, with one flush for their ids (a flush per document made much of a
    build's time with 500 PubMed files). Returns {name: row}."""
    rows = {d.name: m.Document(name=d.name, format=fmt, sha256=d.sha256, text=d.text) for d in docs}
    session.add_all(rows.values())
    session.flush()
    return rows


def add_provenance(session: Session, subject: str, quotes: dict[str, Quote], docs: dict[str, m.Document]) -> int:
    """One provenance row per quote, by one executemany of the driver's own INSERT (a record has hundreds
    of facts: as ORM objects, then as a Core insert's parameter dicts, they made much of a build's time
    with 1,000 synced records)."""
    if quotes:
        conn = session.connection()
        conn.exec_driver_sql(_provenance_insert(conn.dialect.paramstyle),
                             [(subject, path, docs[q.document].id, q.text, q.offset) for path, q in quotes.items()])
    return len(quotes)


@functools.cache
def _provenance_insert(paramstyle: str) -> str:
    """INSERT INTO provenance for the driver's paramstyle (sqlite3: qmark; psycopg: pyformat)."""
    marks = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(paramstyle)
    if marks is None:
        raise NotImplementedError(f"provenance is written for qmark and format paramstyles, not {paramstyle}")
    return f'INSERT INTO provenance (subject, path, document_id, quote, "offset") VALUES ({", ".join([marks] * 5)})'


# The shape of an API v2 enum token ("RECRUITING", "EARLY_PHASE1"): an unknown value of this shape is a value
# the registry may have added (it has: COMBINATION_PRODUCT, DIAGNOSTIC_TEST, DEVICE_FEASIBILITY, the
# expanded-access statuses), kept as posted and flagged; anything else is not an enum value at all.
API_TOKEN = re.compile(r"[A-Z][A-Z0-9_]{0,63}")


class Checks:
    """How `add_study` checks a record's values and names what it refuses.

    `where` None: a record the seed parsers built (their `enums.normalise` already mapped the document's
    wording), so a value not in `ENUMS` is refused, as a typo. `where` a JSON path ("$", "$.studies[1]"):
    an imported API v2 record; a value not in `ENUMS` of the API token shape (`API_TOKEN`) is kept as
    posted and flagged "enum_value_unknown" (trialdb/flags.py) at its path in the protocol section; a
    non-string or a string of another shape is refused. Errors name the file and the field's path, for an
    imported record the full JSON path (`$.protocolSection.statusModule.overallStatus`)."""

    def __init__(self, file: str, where: str | None = None) -> None:
        self.file, self.where = file, where
        self.flagged: list[flags.Flagged] = []

    def error(self, path: str, value: Any, problem: str) -> SourceError:
        """A SourceError for the value at `path` (relative to the protocol section)."""
        return SourceError(self.file, path if self.where is None else f"{self.where}.protocolSection.{path}",
                           value, problem)

    def enum(self, path: str, kind: str, value: Any) -> Any:
        """`value` (None, a value of `ENUMS[kind]`, or for an imported record an unknown token, flagged)."""
        if value is None or value in ENUMS[kind]:
            return value
        if self.where is not None and isinstance(value, str) and API_TOKEN.fullmatch(value):
            self.flagged.append((path, "enum_value_unknown", value))
            return value
        if self.where is not None:
            raise self.error(path, value, f"not a ClinicalTrials.gov {kind} value: not a string of the API's enum "
                                          "shape (capitals, digits and underscores)")
        raise self.error(path, value, f"not a ClinicalTrials.gov {kind} value")


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


def add_study(session: Session, parsed: Parsed, document: m.Document, where: str | None = None) -> m.Study:
    """Store a parsed study (API v2 shape) with its rows and flags. `where`: None for a seed document's
    record, else the imported record's JSON path in its file; it decides how an enum value not in `ENUMS`
    is treated and how errors name the field (see `Checks`). Raises SourceError."""
    r, f = parsed.record, document.name
    c = Checks(f, where)
    ident = r.get("identificationModule", {})
    status = r.get("statusModule", {})
    design = r.get("designModule", {})
    conds = r.get("conditionsModule", {}).get("conditions", [])
    nct = ident.get("nctId")
    if not nct or not re.fullmatch(r"NCT\d{8}", nct):
        raise c.error("identificationModule.nctId", nct, "missing or not an NCT identifier")
    if not ident.get("briefTitle"):
        raise c.error("identificationModule.briefTitle", None, "missing")
    if not status.get("overallStatus"):
        raise c.error("statusModule.overallStatus", None, "missing")
    if not conds:
        raise c.error("conditionsModule.conditions", None, "no condition, so no indication")
    c.enum("statusModule.overallStatus", "overallStatus", status["overallStatus"])
    c.enum("statusModule.lastKnownStatus", "overallStatus", status.get("lastKnownStatus"))
    for i, ph in enumerate(design.get("phases", []) or []):
        c.enum(f"designModule.phases[{i}]", "phase", ph)
    c.enum("designModule.studyType", "studyType", design.get("studyType"))

    match = match_condition(conds[0], (r.get("derivedSection") or {}).get("conditionBrowseModule"))
    ind = match.indication
    known = _indications_known(session)
    if ind.code not in known:
        if session.scalar(select(m.IndicationRow.code).where(m.IndicationRow.code == ind.code)) is None:
            session.add(m.IndicationRow(code=ind.code, name=ind.name, area=ind.area,
                                        mesh_ids=",".join(ind.mesh_ids) or None))
            session.flush()  # rarely: the next study of this indication finds the row (get sees no pending rows)
        known.add(ind.code)
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
        c.enum(f"statusModule.{key}.type", "dateType", d.get("type"))
        return d.get("date"), d.get("type")

    enrol = design.get("enrollmentInfo") or {}
    c.enum("designModule.enrollmentInfo.type", "enrollmentType", enrol.get("type"))
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
    rows = _LeafRows(nct)  # rows nothing points at: written after the flush, one executemany a table (bulk)
    rows.add(m.Condition, [{"name": c} for c in conds])
    info = design.get("designInfo")
    if info:
        mask = info.get("maskingInfo") or {}
        for key, kind in (("allocation", "allocation"), ("interventionModel", "interventionModel"),
                          ("primaryPurpose", "primaryPurpose")):
            c.enum(f"designModule.designInfo.{key}", kind, info.get(key))
        c.enum("designModule.designInfo.maskingInfo.masking", "masking", mask.get("masking"))
        rows.add(m.Design, [{"allocation": info.get("allocation"), "intervention_model": info.get("interventionModel"),
                             "primary_purpose": info.get("primaryPurpose"), "masking": mask.get("masking"),
                             "who_masked": ",".join(mask.get("whoMasked", [])) or None}])
    unlinked = _arms(s, r.get("armsInterventionsModule", {}), r.get("otherInterventionNames", []), c)
    _eligibility(s, r.get("eligibilityModule"), c, rows)
    _design_outcomes(r.get("outcomesModule"), c, rows)
    _sponsors(s, r.get("sponsorCollaboratorsModule", {}), c, rows)
    _contacts(s, r.get("contactsLocationsModule", {}), r.get("derivedSection", {}), c, rows)
    for i, ref in enumerate(r.get("referencesModule", {}).get("references", [])):
        c.enum(f"referencesModule.references[{i}].type", "referenceType", ref.get("type"))
        row = m.StudyReference(pmid=ref.get("pmid"), reference_type=ref.get("type"), citation=ref.get("citation", ""))
        row.retractions = [m.StudyReferenceRetraction(position=k, pmid=x.get("pmid"), source=x.get("source"))
                           for k, x in enumerate(ref.get("retractions") or [])]
        s.references.append(row)
    ids: list[dict[str, Any]] = []
    if s.org_study_id:
        ids.append(_id_row("org_study_id", s.org_study_id))
    for sec in ident.get("secondaryIdInfos", []):
        # Each entry its own row, even when an id repeats under another type or domain.
        ids.append(_id_row("secondary_id", sec["id"], sec.get("type"), sec.get("domain"), sec.get("link")))
    for alias in ident.get("nctIdAliases", []):  # older NCT ids the registry merged into this record
        ids.append(_id_row("nct_alias", alias))
    rows.add(m.IdInformation, ids)
    session.add(s)  # not flushed: the caller's flush writes a whole import, one executemany per table
    rows.write(session)
    results.add_results(session, nct, r)  # the registry's posted results, when the record has them
    # Posted values that break an expectation: kept as posted above, flagged here (trialdb/flags.py).
    found = results.flags_of(r["resultsSection"]) if r.get("resultsSection") else []
    found += unlinked + c.flagged
    if flags.enrollment_placeholder(enrol.get("count")):
        found.append((flags.ENROLLMENT_PATH, "enrollment_placeholder", enrol.get("count")))
    flags.store(session, nct, found)
    return s


def _indications_known(session: Session) -> set[str]:
    """Indication codes known to have their row in this transaction (one query per code, not per study)."""
    tx = session.get_transaction()
    held = session.info.get("trialdb_indications")
    if held is None or held[0] is not tx:
        held = session.info["trialdb_indications"] = (tx, set())
    return held[1]


class _LeafRows:
    """A study's rows that nothing points at and nothing reads back in the adding session (conditions,
    criteria, sponsors, ...), as column dicts with the study's nct_id, for `bulk.add_rows`."""

    def __init__(self, nct: str) -> None:
        self.nct = nct
        self.rows: list[tuple[Any, list[dict[str, Any]]]] = []

    def add(self, model: Any, rows: list[dict[str, Any]]) -> None:
        self.rows.append((model, [{"nct_id": self.nct, **row} for row in rows]))

    def write(self, session: Session) -> None:
        for model, rows in self.rows:
            add_rows(session, model.__table__, rows)


def _id_row(source: str, value: str, kind: str | None = None, description: str | None = None,
            link: str | None = None) -> dict[str, Any]:
    return {"id_source": source, "id_value": value, "id_type": kind, "id_type_description": description,
            "id_link": link}


def _arms(s: m.Study, module: dict, other_names: list[str], c: Checks) -> list[flags.Flagged]:
    """Arms and interventions, linked as the registry links them; the names an arm gives that no
    intervention of the study has, as flags (the arm and its names are kept as written)."""
    unlinked: list[flags.Flagged] = []
    by_name: dict[str, m.Intervention] = {}
    for i, iv in enumerate(module.get("interventions", [])):
        c.enum(f"armsInterventionsModule.interventions[{i}].type", "interventionType", iv.get("type"))
        row = m.Intervention(position=i, intervention_type=iv.get("type") or "OTHER", name=iv["name"],
                             description=iv.get("description"))
        s.interventions.append(row)
        by_name[f"{row.intervention_type}: {row.name}".lower()] = row
        for other in iv.get("otherNames", []):
            s.other_names.append(m.InterventionOtherName(name=other, intervention=row))
    for name in other_names:  # listed for the study, not for one intervention
        s.other_names.append(m.InterventionOtherName(name=name))
    for i, arm in enumerate(module.get("armGroups", [])):
        c.enum(f"armsInterventionsModule.armGroups[{i}].type", "armGroupType", arm.get("type"))
        names = arm.get("interventionNames", [])
        g = m.DesignGroup(position=i, title=arm["label"], group_type=arm.get("type"), description=arm.get("description"),
                          intervention_names=json.dumps(names, ensure_ascii=False) if "interventionNames" in arm else None)
        for k, name in enumerate(names):
            # "Drug: X" names an intervention by type and name (ClinicalTrials.gov's own linking).
            kind, _, plain = name.partition(": ")
            key = f"{kind.upper().replace(' ', '_')}: {plain}".lower()
            if key in by_name:
                g.interventions.append(by_name[key])
            else:  # kept as written (export gives it back) and flagged; the arm stays
                unlinked.append((f"armsInterventionsModule.armGroups[{i}].interventionNames[{k}]",
                                 "arm_names_unknown_intervention", name))
        s.design_groups.append(g)
    return unlinked


def _eligibility(s: m.Study, el: dict | None, c: Checks, rows: _LeafRows) -> None:
    if not el:
        return
    c.enum("eligibilityModule.sex", "sex", el.get("sex"))
    rows.add(m.Eligibility, [{"sex": el.get("sex"), "minimum_age": el.get("minimumAge"),
                              "maximum_age": el.get("maximumAge"), "healthy_volunteers": el.get("healthyVolunteers")}])
    criteria = el.get("criteria") or split_criteria(el.get("eligibilityCriteria", ""))
    rows.add(m.EligibilityCriterion, [{"kind": kind, "position": i, "criterion": text}
                                      for kind in ("inclusion", "exclusion")
                                      for i, text in enumerate(criteria.get(kind, []))])


OUTCOME_FIELDS = (("measure", "measure"), ("timeFrame", "time_frame"), ("description", "description"))


def _design_outcomes(module: Any, c: Checks, rows: _LeafRows) -> None:
    """The registered outcome measures (`outcomesModule.primaryOutcomes[i]`, `secondaryOutcomes[i]`,
    `otherOutcomes[i]`: {measure, description, timeFrame}) as `design_outcomes` rows, each field's text as
    posted (None where the entry does not state it). Their provenance is the record's own leaves (the importer
    quotes every leaf at its JSON path). A list that is not a list of objects, or a field that is not text, is
    refused with its path: the API sends neither."""
    if module is None:
        return
    if not isinstance(module, dict):
        raise c.error("outcomesModule", module, "not an object as the API writes it")
    out: list[dict[str, Any]] = []
    for kind, key in m.OUTCOME_LISTS.items():
        entries = module.get(key)
        if entries is None:
            continue
        if not isinstance(entries, list):
            raise c.error(f"outcomesModule.{key}", entries, "not a list as the API writes it")
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise c.error(f"outcomesModule.{key}[{i}]", entry, "not an object as the API writes it")
            for field, _ in OUTCOME_FIELDS:
                if entry.get(field) is not None and not isinstance(entry[field], str):
                    raise c.error(f"outcomesModule.{key}[{i}].{field}", entry[field], "not text as the API writes it")
            out.append({"outcome_type": kind, "position": i,
                        **{column: entry.get(field) for field, column in OUTCOME_FIELDS}})
    rows.add(m.DesignOutcome, out)


def _sponsors(s: m.Study, module: dict, c: Checks, rows: _LeafRows) -> None:
    entries = [("lead", module["leadSponsor"])] if module.get("leadSponsor") else []
    entries += [("collaborator", c) for c in module.get("collaborators", [])]
    for i, (role, sp) in enumerate(entries):
        where = "leadSponsor" if role == "lead" else f"collaborators[{i - bool(module.get('leadSponsor'))}]"
        c.enum(f"sponsorCollaboratorsModule.{where}.class", "agencyClass", sp.get("class"))
        if not isinstance(sp.get("name"), str) or not sp["name"].strip():  # a sponsor without a name: say so
            raise c.error(f"sponsorCollaboratorsModule.{where}.name", sp.get("name"), "missing")
        rows.add(m.Sponsor, [{"position": i, "lead_or_collaborator": role, "name": sp["name"],
                              "agency_class": sp.get("class")}])
    rp = module.get("responsibleParty")
    if rp:
        c.enum("sponsorCollaboratorsModule.responsibleParty.type", "responsiblePartyType", rp.get("type"))
        rows.add(m.ResponsibleParty, [{"responsible_party_type": rp.get("type"), "name": rp.get("investigatorFullName"),
                                       "title": rp.get("investigatorTitle"),
                                       "affiliation": rp.get("investigatorAffiliation")}])


def _contacts(s: m.Study, module: dict, derived: dict, c: Checks, rows: _LeafRows) -> None:
    for i, o in enumerate(module.get("overallOfficials", [])):
        c.enum(f"contactsLocationsModule.overallOfficials[{i}].role", "officialRole", o.get("role"))
        rows.add(m.OverallOfficial, [{"role": o.get("role"), "name": o["name"], "affiliation": o.get("affiliation")}])
    for i, cc in enumerate(module.get("centralContacts", [])):
        c.enum(f"contactsLocationsModule.centralContacts[{i}].role", "contactRole", cc.get("role"))
        rows.add(m.CentralContact, [{"role": cc.get("role"), "name": cc["name"], "phone": cc.get("phone"),
                                     "email": cc.get("email")}])
    for i, loc in enumerate(module.get("locations", [])):
        c.enum(f"contactsLocationsModule.locations[{i}].status", "recruitmentStatus", loc.get("status"))
        geo = loc.get("geoPoint") or {}  # numbers, or refused by the importer (registry.importer.TYPED)
        lat, lon = geo.get("lat"), geo.get("lon")
        for key, value, limit in (("lat", lat, 90), ("lon", lon, 180)):  # kept as posted, flagged, never drawn
            if flags.coordinate_out_of_range(value, limit):
                c.flagged.append((f"contactsLocationsModule.locations[{i}].geoPoint.{key}", "geo_point_out_of_range",
                                  value))
        fac = m.Facility(name=loc.get("facility"), status=loc.get("status"), city=loc.get("city"),
                         state=loc.get("state"), zip=loc.get("zip"), country=loc.get("country"),
                         latitude=lat, longitude=lon)
        fac.contacts = [m.FacilityContact(contact_type=x.get("role"), name=x.get("name", ""), phone=x.get("phone"),
                                          email=x.get("email")) for x in loc.get("contacts", [])]
        s.facilities.append(fac)
    countries = derived.get("miscInfoModule", {}).get("countries") or list(
        dict.fromkeys(loc["country"] for loc in module.get("locations", []) if loc.get("country")))
    rows.add(m.Country, [{"name": c} for c in countries])


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


def _curated_phase(p: Any) -> dict[str, Any]:
    """A curated phase as stored: every field of schedules.Phase, the months (issue 32) only where a person wrote
    them, so a curation without months is stored (and exported) as before they existed."""
    return {k: v for k, v in p.__dict__.items() if k not in ("for_months", "period_months") or v is not None}


def add_regimen(session: Session, r: dict, study: m.Study, file: str, where: str) -> m.Regimen:
    arms = {g.title: g for g in study.design_groups}
    if r["arm"] not in arms:
        raise SourceError(file, f"{where}.arm", r["arm"], f"no such arm in {study.nct_id}")
    if r["drug"] not in {iv.name for iv in arms[r["arm"]].interventions}:
        raise SourceError(file, f"{where}.drug", r["drug"], f"not an intervention of arm {r['arm']!r}")
    row = m.Regimen(nct_id=study.nct_id, arm=r["arm"], drug=r["drug"], role=r["role"], dose=r.get("dose"),
                    unit=r.get("unit"), unit_as_written=r.get("unit_as_written"), route=r.get("route"),
                    phases=json.dumps([_curated_phase(p) for p in r["phases"]]) if r["phases"] else None,
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

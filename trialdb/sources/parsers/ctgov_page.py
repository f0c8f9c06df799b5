"""The ClinicalTrials.gov-style record page: one field a block under headings such as
`Recruitment Status`, `Clinical Phase`, `Study Start Date`, `Group Type ...`."""

from __future__ import annotations

import re

from trialdb.enums import normalise
from trialdb.errors import SourceError
from trialdb.sources.documents import Line, Parsed, SourceDocument
from trialdb.sources.parsers.common import Page, age, bullet_items, count, iso_date

FIELDS = {
    "Study Results", "Recruitment Status", "Clinical Phase", "Total Enrollment", "Study Classification",
    "Study Start Date", "Study Completion Date", "Allocation Method", "Intervention Model",
    "Primary Study Purpose", "Blinding Strategy", "Inclusion Criteria", "Exclusion Criteria",
    "Minimum Eligible Age", "Maximum Eligible Age", "Eligible Sex", "Accepts Healthy Volunteers",
}
# Section headings carry a one-line explanation of the site's own beneath them.
SECTIONS = {
    "Basic Information", "Brief Summary", "Detailed Description", "Conditions", "Study Design",
    "Study Groups", "Interventions", "Other Intervention Names", "Eligibility Criteria", "Sponsors",
    "Responsible Party", "Principal Investigators", "Locations", "Countries", "Central Contacts",
    "Facility Contacts", "References", "Other Identifiers", "More Related Trials",
}
REQUIRED = ("Recruitment Status", "Clinical Phase", "Study Classification", "Conditions")


def recognises(doc: SourceDocument) -> bool:
    return bool(re.search(r"^NCT ID: ", doc.text, re.M))


def _triples(lines: list[Line], marker: str) -> list[tuple[list[Line], Line]]:
    """Split a block into records that each end with a line starting with `marker` (or hold it)."""
    out, current = [], []
    for line in lines:
        current.append(line)
        if line.text.startswith(marker):
            out.append((current, line))
            current = []
    return out


def parse(doc: SourceDocument) -> Parsed:
    page = Page(doc, FIELDS | SECTIONS)
    f = doc.name
    p = Parsed("study", doc, {})
    lines = page.lines
    if not lines:
        raise SourceError(f, "title", doc.text[:40], "no text")
    p.put("identificationModule.briefTitle", lines[0].text, doc.quote(lines[0]))
    nct_line = next((ln for ln in lines if ln.text.startswith("NCT ID:")), None)
    nct = nct_line.text.split(":", 1)[1].strip() if nct_line else ""
    if nct_line is None or not re.fullmatch(r"NCT\d{8}", nct):
        raise SourceError(f, "NCT ID", nct, "not an NCT identifier")
    p.put("identificationModule.nctId", nct, doc.quote(nct_line))
    for heading in REQUIRED:
        page.block(heading, required=True, blurb=heading in SECTIONS)

    upd = next((ln for ln in lines if ln.text.startswith("Last Updated:")), None)
    if upd:
        date = iso_date(upd.text.split(":", 1)[1], f, "Last Updated")
        p.put("statusModule.lastUpdatePostDateStruct", {"date": date}, doc.quote(upd))
    page.put_enum(p, "statusModule.overallStatus", "overallStatus", "Recruitment Status", True)
    raw_phase, head, line = page.value("Clinical Phase", True)
    phases = [normalise("phase", x, file=f, field="Clinical Phase") for x in re.split(r"[,/|]", raw_phase)]
    p.put("designModule.phases", phases, doc.quote(head, line))
    page.put_enum(p, "designModule.studyType", "studyType", "Study Classification", True)
    if found := page.value("Total Enrollment"):
        p.put("designModule.enrollmentInfo", {"count": count(found[0], f, "Total Enrollment")},
              doc.quote(found[1], found[2]))
    for heading, key in (("Study Start Date", "startDateStruct"),
                         ("Study Completion Date", "completionDateStruct")):
        if found := page.value(heading):
            p.put(f"statusModule.{key}", {"date": iso_date(found[0], f, heading)},
                  doc.quote(found[1], found[2]))
    if results := page.block("Study Results"):
        p.put("hasResults", not results[0].text.lower().startswith("results pending"), doc.quote(results[0]))

    for heading, key in (("Brief Summary", "briefSummary"), ("Detailed Description", "detailedDescription")):
        if block := page.block(heading, blurb=True):
            q = doc.quote(block[0], block[-1])
            p.put(f"descriptionModule.{key}", q.text, q)
    for i, line in enumerate(page.block("Conditions", True, blurb=True)):
        p.put(f"conditionsModule.conditions[{i}]", line.text, doc.quote(line))

    design = "designModule.designInfo"
    page.put_enum(p, f"{design}.allocation", "allocation", "Allocation Method")
    page.put_enum(p, f"{design}.interventionModel", "interventionModel", "Intervention Model")
    page.put_enum(p, f"{design}.primaryPurpose", "primaryPurpose", "Primary Study Purpose")
    page.put_enum(p, f"{design}.maskingInfo.masking", "masking", "Blinding Strategy")
    masked = page.block("Blinding Strategy")[1:]
    if masked:  # "Participants Investigators": who is masked, one word each
        who = [normalise("whoMasked", w, file=f, field="Blinding Strategy") for w in masked[0].text.split()]
        p.put(f"{design}.maskingInfo.whoMasked", who, doc.quote(masked[0]))

    _interventions(page, p)
    _arms(page, p)
    _eligibility(page, p)
    _sponsors(page, p)
    _contacts(page, p)
    _references(page, p)
    return p


def _interventions(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    for i, (rec, type_line) in enumerate(_triples(page.block("Interventions", blurb=True), "Intervention Type")):
        name, desc = rec[0], rec[1:-1]
        base = f"armsInterventionsModule.interventions[{i}]"
        p.put(f"{base}.name", name.text, doc.quote(name))
        kind = normalise("interventionType", type_line.text.removeprefix("Intervention Type"), file=f,
                         field="Intervention Type")
        p.put(f"{base}.type", kind, doc.quote(type_line))
        if desc:
            q = doc.quote(desc[0], desc[-1])
            p.put(f"{base}.description", q.text, q)
    # The page lists other names once for all interventions, without saying whose they are.
    for i, line in enumerate(page.block("Other Intervention Names", blurb=True)):
        p.put(f"otherInterventionNames[{i}]", line.text, doc.quote(line))


def _arms(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    known = {iv["name"]: iv.get("description", "") for iv in
             p.record.get("armsInterventionsModule", {}).get("interventions", [])}
    lines = page.block("Study Groups", blurb=True)
    j, arm = 0, -1
    while j < len(lines):
        arm += 1
        base = f"armsInterventionsModule.armGroups[{arm}]"
        label = lines[j]
        k = j + 1
        while k < len(lines) and not lines[k].text.startswith("Group Type"):
            k += 1
        if k == len(lines):
            raise SourceError(f, "Group Type", label.text, "study group without a group type")
        p.put(f"{base}.label", label.text, doc.quote(label))
        if k > j + 1:
            q = doc.quote(lines[j + 1], lines[k - 1])
            p.put(f"{base}.description", q.text, q)
        kind = normalise("armGroupType", lines[k].text.removeprefix("Group Type"), file=f, field="Group Type")
        p.put(f"{base}.type", kind, doc.quote(lines[k]))
        j, names = k + 1, []
        # Then each linked intervention: its name, its type line, and its description again.
        while j + 1 < len(lines) and lines[j].text in known and lines[j + 1].text.startswith("Intervention Type"):
            itype = lines[j + 1].text.removeprefix("Intervention Type").strip().title()
            names.append((f"{itype}: {lines[j].text}", lines[j]))
            j += 2
            desc_lines = known[lines[j - 2].text].splitlines()
            while desc_lines and j < len(lines) and lines[j].text == desc_lines[0].strip():
                desc_lines.pop(0)
                j += 1
        for n, (name, line) in enumerate(names):
            p.put(f"{base}.interventionNames[{n}]", name, doc.quote(line))


def _eligibility(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    for heading, key in (("Inclusion Criteria", "inclusion"), ("Exclusion Criteria", "exclusion")):
        for i, (text, line) in enumerate(bullet_items(page.block(heading), doc)):
            p.put(f"eligibilityModule.criteria.{key}[{i}]", text, doc.quote(line))
    for heading, key in (("Minimum Eligible Age", "minimumAge"), ("Maximum Eligible Age", "maximumAge")):
        if found := page.value(heading):
            p.put(f"eligibilityModule.{key}", age(found[0], f, heading), doc.quote(found[1], found[2]))
    page.put_enum(p, "eligibilityModule.sex", "sex", "Eligible Sex")
    if found := page.value("Accepts Healthy Volunteers"):
        answer = found[0].strip().lower()
        if answer not in ("yes", "no"):
            raise SourceError(f, "Accepts Healthy Volunteers", found[0], "neither Yes nor No")
        p.put("eligibilityModule.healthyVolunteers", answer == "yes", doc.quote(found[1], found[2]))


def _sponsors(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    collab = 0
    for rec, role_line in _triples(page.block("Sponsors", blurb=True), "Sponsor Role"):
        role = role_line.text.removeprefix("Sponsor Role").strip().lower()
        entry = {"name": rec[0].text}
        if len(rec) > 2:
            entry["class"] = normalise("agencyClass", rec[1].text, file=f, field="Sponsors")
        if role == "lead":
            p.put("sponsorCollaboratorsModule.leadSponsor", entry, doc.quote(rec[0], role_line))
        elif role == "collaborator":
            p.put(f"sponsorCollaboratorsModule.collaborators[{collab}]", entry, doc.quote(rec[0], role_line))
            collab += 1
        else:
            raise SourceError(f, "Sponsor Role", role, "neither lead nor collaborator")
    for rec, role_line in _triples(page.block("Responsible Party", blurb=True), "Responsibility Role"):
        kind = normalise("responsiblePartyType", role_line.text.removeprefix("Responsibility Role"),
                         file=f, field="Responsibility Role")
        party = {"type": kind, "investigatorFullName": rec[0].text}
        if len(rec) > 2:
            party["investigatorTitle"] = rec[1].text
        p.put("sponsorCollaboratorsModule.responsibleParty", party, doc.quote(rec[0], role_line))


def _people(lines: list[Line], file: str, field: str) -> list[list[Line]]:
    """Person blocks that start with a name followed by a `Role:` line. A `Role:` line with no name before it
    (first in the block, or right after another `Role:` line) is a SourceError naming `file` and `field`: it
    cannot be told whose role it is."""
    roles = [i for i, ln in enumerate(lines) if ln.text.startswith("Role:")]
    for i in roles:
        if i == 0 or lines[i - 1].text.startswith("Role:"):
            raise SourceError(file, field, lines[i].text, "a Role: line with no name before it")
    starts = [i - 1 for i in roles]
    return [lines[s : (starts[n + 1] if n + 1 < len(starts) else len(lines))] for n, s in enumerate(starts)]


def _contacts(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    cl = "contactsLocationsModule"
    for i, rec in enumerate(_people(page.block("Principal Investigators", blurb=True), f, "Principal Investigators")):
        role = normalise("officialRole", rec[1].text.removeprefix("Role:"), file=f, field="Principal Investigators")
        entry = {"name": rec[0].text, "role": role}
        if len(rec) > 2:
            entry["affiliation"] = rec[2].text
        p.put(f"{cl}.overallOfficials[{i}]", entry, doc.quote(rec[0], rec[-1]))
    for i, rec in enumerate(_people(page.block("Central Contacts", blurb=True), f, "Central Contacts")):
        role = normalise("contactRole", rec[1].text.removeprefix("Role:"), file=f, field="Central Contacts")
        entry = {"name": rec[0].text, "role": role}
        if len(rec) > 2:
            entry["phone"] = rec[2].text
        p.put(f"{cl}.centralContacts[{i}]", entry, doc.quote(rec[0], rec[-1]))
    sites = _triples(page.block("Locations", blurb=True), "Site Status")
    for i, (rec, status_line) in enumerate(sites):
        status = normalise("recruitmentStatus", status_line.text.removeprefix("Site Status"), file=f,
                           field="Site Status")
        entry = {"facility": rec[0].text, "status": status}
        if len(rec) > 2:
            parts = [x.strip() for x in rec[1].text.split(",")]
            entry |= {"city": parts[0], "country": parts[-1]}
            if len(parts) > 2:
                entry["state"] = ", ".join(parts[1:-1])
        p.put(f"{cl}.locations[{i}]", entry, doc.quote(rec[0], status_line))
    # Facility contacts are listed apart from the sites; with one site they belong to it.
    contacts = _people(page.block("Facility Contacts", blurb=True), f, "Facility Contacts")
    if contacts and len(sites) != 1:
        raise SourceError(f, "Facility Contacts", len(sites), "facility contacts with no single site to belong to")
    for i, rec in enumerate(contacts):
        entry = {"name": rec[0].text, "role": rec[1].text.removeprefix("Role:").strip()}
        if len(rec) > 2:
            entry["phone"] = rec[2].text
        p.put(f"{cl}.locations[0].contacts[{i}]", entry, doc.quote(rec[0], rec[-1]))
    for i, line in enumerate(page.block("Countries", blurb=True)):
        p.put(f"derivedSection.miscInfoModule.countries[{i}]", line.text, doc.quote(line))


def _references(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    lines = page.block("References", blurb=True)
    n = 0
    for i, line in enumerate(lines):
        if not line.text.startswith("Reference Type") or i == 0:
            continue
        cite = lines[i - 1]
        entry = {"citation": cite.text,
                 "type": normalise("referenceType", line.text.removeprefix("Reference Type"), file=f,
                                   field="Reference Type")}
        last = line
        if i + 1 < len(lines) and (m := re.match(r"PMID:\s*(\d+)", lines[i + 1].text)):
            entry["pmid"] = m.group(1)
            last = lines[i + 1]
        p.put(f"referencesModule.references[{n}]", entry, doc.quote(cite, last))
        n += 1
    ids = page.block("Other Identifiers", blurb=True)
    for i, line in enumerate(ids):
        if line.text.startswith("Identifier Source:") and i >= 1:
            source = line.text.split(":", 1)[1].strip()
            ident = ids[i - 2] if i >= 2 and ids[i - 1].text.startswith("Identifier Type") else ids[i - 1]
            if source == "org_study_id":
                p.put("identificationModule.orgStudyIdInfo", {"id": ident.text}, doc.quote(ident, line))
            else:
                k = len(p.record.get("identificationModule", {}).get("secondaryIdInfos", []))
                p.put(f"identificationModule.secondaryIdInfos[{k}]", {"id": ident.text, "domain": source},
                      doc.quote(ident, line))

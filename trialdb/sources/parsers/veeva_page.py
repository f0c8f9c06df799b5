"""The ClinicalTrials.Veeva page: headings such as `Status and phase`, `Enrollment`, `Trial design`,
and arm blocks of a label, an `... group` line, `Description:` and `Treatment:`."""

from __future__ import annotations

import re

from trialdb.enums import normalise
from trialdb.errors import SourceError
from trialdb.sources.documents import Parsed, SourceDocument
from trialdb.sources.parsers.common import Page, age, bullet_items, count

HEADINGS = {
    "Menu", "Status and phase", "Conditions", "Treatments", "Study type", "Funder types", "Identifiers",
    "Details and patient eligibility", "About", "Full description", "Enrollment", "Sex", "Ages",
    "Volunteers", "Inclusion criteria", "Exclusion criteria", "Trial design", "Primary purpose",
    "Allocation", "Interventional model", "Masking", "Trial contacts and locations",
    "Central trial contact", "Data sourced from clinicaltrials.gov",
}
ARM_TYPE = re.compile(r"(.+) group$")


def recognises(doc: SourceDocument) -> bool:
    return doc.text.lstrip().startswith("ClinicalTrials.Veeva")


def parse(doc: SourceDocument) -> Parsed:
    page = Page(doc, HEADINGS)
    f = doc.name
    p = Parsed("study", doc, {})

    menu = page.index("Menu", required=True)
    if menu + 3 >= len(page.lines):
        raise SourceError(f, "Menu", None, "no title and sponsor after the menu")
    title = page.lines[menu + 1]
    p.put("identificationModule.briefTitle", title.text, doc.quote(title))
    # Beneath the title: the sponsor's initial as a logo letter, then the sponsor's name.
    logo, sponsor = page.lines[menu + 2], page.lines[menu + 3]
    if len(logo.text) == 1 and sponsor.text not in HEADINGS:
        p.put("sponsorCollaboratorsModule.leadSponsor.name", sponsor.text, doc.quote(logo, sponsor))
    if found := page.value("Funder types"):
        p.put("sponsorCollaboratorsModule.leadSponsor.class",
              normalise("agencyClass", found[0], file=f, field="Funder types"), doc.quote(found[1], found[2]))

    ids = page.block("Identifiers", required=True)
    if not re.fullmatch(r"NCT\d{8}", ids[0].text):
        raise SourceError(f, "Identifiers", ids[0].text, "not an NCT identifier")
    p.put("identificationModule.nctId", ids[0].text, doc.quote(ids[0]))
    if len(ids) > 1:
        p.put("identificationModule.orgStudyIdInfo", {"id": ids[1].text}, doc.quote(ids[1]))

    status = page.block("Status and phase", required=True)
    p.put("statusModule.overallStatus",
          normalise("overallStatus", status[0].text, file=f, field="Status and phase"), doc.quote(status[0]))
    if len(status) > 1:
        phases = [normalise("phase", x, file=f, field="Status and phase")
                  for x in re.split(r"\s*[/,]\s*", status[1].text)]
        p.put("designModule.phases", phases, doc.quote(status[1]))
    for i, line in enumerate(page.block("Conditions", required=True)):
        p.put(f"conditionsModule.conditions[{i}]", line.text, doc.quote(line))
    page.put_enum(p, "designModule.studyType", "studyType", "Study type", True)

    for heading, key in (("About", "briefSummary"), ("Full description", "detailedDescription")):
        if block := page.block(heading):
            q = doc.quote(block[0], block[-1])
            p.put(f"descriptionModule.{key}", q.text, q)

    if found := page.value("Enrollment"):
        info: dict[str, int | str] = {"count": count(found[0], f, "Enrollment")}
        if m := re.search(r"\b(estimated|actual)\b", found[0], re.I):
            info["type"] = m.group(1).upper()
        p.put("designModule.enrollmentInfo", info, doc.quote(found[1], found[2]))
    page.put_enum(p, "eligibilityModule.sex", "sex", "Sex")
    if found := page.value("Ages"):
        m = re.fullmatch(r"(\d+)\s*(?:to|-)\s*(\d+)\s*years?(?: old)?", found[0], re.I)
        if not m:
            raise SourceError(f, "Ages", found[0], "not an age range")
        q = doc.quote(found[1], found[2])
        p.put("eligibilityModule.minimumAge", age(m.group(1), f, "Ages"), q)
        p.put("eligibilityModule.maximumAge", age(m.group(2), f, "Ages"), q)
    if found := page.value("Volunteers"):
        answer = found[0].lower()
        if answer not in ("no healthy volunteers", "accepts healthy volunteers"):
            raise SourceError(f, "Volunteers", found[0], "not a healthy-volunteers statement")
        p.put("eligibilityModule.healthyVolunteers", answer.startswith("accepts"), doc.quote(found[1], found[2]))
    for heading, key in (("Inclusion criteria", "inclusion"), ("Exclusion criteria", "exclusion")):
        for i, (text, line) in enumerate(bullet_items(page.block(heading), doc)):
            p.put(f"eligibilityModule.criteria.{key}[{i}]", text, doc.quote(line))

    design = "designModule.designInfo"
    page.put_enum(p, f"{design}.primaryPurpose", "primaryPurpose", "Primary purpose")
    page.put_enum(p, f"{design}.allocation", "allocation", "Allocation")
    page.put_enum(p, f"{design}.interventionModel", "interventionModel", "Interventional model")
    page.put_enum(p, f"{design}.maskingInfo.masking", "masking", "Masking")

    for i, line in enumerate(page.block("Treatments")):
        kind, _, name = line.text.partition(":")
        base = f"armsInterventionsModule.interventions[{i}]"
        p.put(f"{base}.type", normalise("interventionType", kind, file=f, field="Treatments"), doc.quote(line))
        p.put(f"{base}.name", name.strip(), doc.quote(line))
    _arms(page, p)

    if (found := page.value("Trial contacts and locations")) and found[0].isdigit():
        p.put("locationCountStated", int(found[0]), doc.quote(found[1], found[2]))
    if found := page.value("Central trial contact"):
        for i, name in enumerate(x.strip() for x in found[0].split(";")):
            p.put(f"contactsLocationsModule.centralContacts[{i}]", {"name": name}, doc.quote_text(name, "Central trial contact"))
    return p


def _arms(page: Page, p: Parsed) -> None:
    doc, f = page.doc, page.doc.name
    block = page.block("Masking")[1:]  # after the masking value: "N participants in K patient groups"
    if not block:
        return
    if not re.match(r"\d+ participants? in \d+ patient groups?", block[0].text):
        raise SourceError(f, "Trial design", block[0].text, "expected 'N participants in K patient groups'")
    lines = block[1:]
    starts = [i - 1 for i, ln in enumerate(lines) if ARM_TYPE.fullmatch(ln.text) and i > 0
              and i + 1 < len(lines) and lines[i + 1].text == "Description:"]
    for n, s in enumerate(starts):
        arm = lines[s : (starts[n + 1] if n + 1 < len(starts) else len(lines))]
        base = f"armsInterventionsModule.armGroups[{n}]"
        p.put(f"{base}.label", arm[0].text, doc.quote(arm[0]))
        kind = normalise("armGroupType", arm[1].text, file=f, field="arm group type")
        p.put(f"{base}.type", kind, doc.quote(arm[1]))
        texts = [ln.text for ln in arm]
        if "Treatment:" not in texts:
            raise SourceError(f, "Treatment:", arm[0].text, "arm without a Treatment: list")
        t = texts.index("Treatment:")
        if t > 3:
            q = doc.quote(arm[3], arm[t - 1])
            p.put(f"{base}.description", q.text, q)
        for k, line in enumerate(arm[t + 1 :]):
            p.put(f"{base}.interventionNames[{k}]", line.text, doc.quote(line))

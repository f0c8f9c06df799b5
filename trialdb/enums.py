"""ClinicalTrials.gov API v2 enum spellings: the one place they are written.

Source wording differs (`Quadruple Blind`, `None (Open label)`, `Phase 2`, `Active Comparator group`);
`normalise` maps it to the API spelling or raises, so an unknown value never enters the database.
"""

from __future__ import annotations

import re

from trialdb.errors import SourceError

ENUMS: dict[str, tuple[str, ...]] = {
    "overallStatus": (
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE", "NO_LONGER_AVAILABLE",
        "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING", "WITHHELD", "UNKNOWN",
    ),
    "phase": ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"),
    "studyType": ("EXPANDED_ACCESS", "INTERVENTIONAL", "OBSERVATIONAL"),
    "allocation": ("RANDOMIZED", "NON_RANDOMIZED", "NA"),
    "interventionModel": ("SINGLE_GROUP", "PARALLEL", "CROSSOVER", "FACTORIAL", "SEQUENTIAL"),
    "primaryPurpose": (
        "TREATMENT", "PREVENTION", "DIAGNOSTIC", "ECT", "SUPPORTIVE_CARE", "SCREENING",
        "HEALTH_SERVICES_RESEARCH", "BASIC_SCIENCE", "DEVICE_FEASIBILITY", "OTHER",
    ),
    "masking": ("NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"),
    "whoMasked": ("PARTICIPANT", "CARE_PROVIDER", "INVESTIGATOR", "OUTCOMES_ASSESSOR"),
    "armGroupType": (
        "EXPERIMENTAL", "ACTIVE_COMPARATOR", "PLACEBO_COMPARATOR", "SHAM_COMPARATOR",
        "NO_INTERVENTION", "OTHER",
    ),
    "interventionType": (
        "BEHAVIORAL", "BIOLOGICAL", "COMBINATION_PRODUCT", "DEVICE", "DIAGNOSTIC_TEST",
        "DIETARY_SUPPLEMENT", "DRUG", "GENETIC", "PROCEDURE", "RADIATION", "OTHER",
    ),
    "sex": ("FEMALE", "MALE", "ALL"),
    "dateType": ("ACTUAL", "ESTIMATED"),
    "agencyClass": (
        "NIH", "FED", "OTHER_GOV", "INDIV", "INDUSTRY", "NETWORK", "AMBIG", "OTHER", "UNKNOWN",
    ),
    "responsiblePartyType": ("SPONSOR", "PRINCIPAL_INVESTIGATOR", "SPONSOR_INVESTIGATOR"),
    "officialRole": ("STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR"),
    "contactRole": (
        "STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR", "CONTACT",
    ),
    "referenceType": ("BACKGROUND", "RESULT", "DERIVED"),
}
ENUMS["recruitmentStatus"] = ENUMS["overallStatus"]
ENUMS["enrollmentType"] = ENUMS["dateType"]

# Registry-page wording that does not reduce to the API spelling by upper-casing alone.
_ALIASES: dict[str, dict[str, str]] = {
    "masking": {"NONE_OPEN_LABEL": "NONE", "OPEN_LABEL": "NONE", "SINGLE_BLIND": "SINGLE",
                "DOUBLE_BLIND": "DOUBLE", "TRIPLE_BLIND": "TRIPLE", "QUADRUPLE_BLIND": "QUADRUPLE"},
    "interventionModel": {"PARALLEL_ASSIGNMENT": "PARALLEL", "SINGLE_GROUP_ASSIGNMENT": "SINGLE_GROUP",
                          "CROSSOVER_ASSIGNMENT": "CROSSOVER", "FACTORIAL_ASSIGNMENT": "FACTORIAL",
                          "SEQUENTIAL_ASSIGNMENT": "SEQUENTIAL"},
    "phase": {"N_A": "NA", "NOT_APPLICABLE": "NA", "PHASE_1": "PHASE1", "PHASE_2": "PHASE2",
              "PHASE_3": "PHASE3", "PHASE_4": "PHASE4", "EARLY_PHASE_1": "EARLY_PHASE1"},
    "allocation": {"N_A": "NA"},
    "whoMasked": {"PARTICIPANTS": "PARTICIPANT", "INVESTIGATORS": "INVESTIGATOR",
                  "CARE_PROVIDERS": "CARE_PROVIDER", "OUTCOMES_ASSESSORS": "OUTCOMES_ASSESSOR"},
}

# What the registry has no field for, by study type (designModule.studyType): the phase (designModule.phases) is
# a field of interventional studies only; designInfo's allocation, interventionModel, primaryPurpose and
# maskingInfo are interventional (an observational study's designInfo has observationalModel and timePerspective
# instead, an expanded access record has no designInfo); arm groups are an interventional study's arms or an
# observational study's groups/cohorts, and an expanded access record has none. Source: ClinicalTrials.gov's
# study data structure (clinicaltrials.gov/data-api/about-api/study-data-structure) and its PRS data element
# definitions. Such a fact reads NOT_APPLICABLE, not "not stated in source".
NOT_APPLICABLE = "not applicable"
_DESIGN_INFO = frozenset({"phase", "allocation", "intervention_model", "primary_purpose", "masking", "who_masked"})
NOT_APPLICABLE_TO: dict[str, frozenset[str]] = {
    "OBSERVATIONAL": _DESIGN_INFO,
    "EXPANDED_ACCESS": _DESIGN_INFO | {"arms"},
}
NO_PHASE = tuple(t for t, fields in NOT_APPLICABLE_TO.items() if "phase" in fields)


def applies(study_type: str | None, field: str) -> bool:
    """Whether a study of `study_type` (an API v2 studyType; None when not stated) has the design fact `field`
    ("phase", "allocation", "intervention_model", "primary_purpose", "masking", "who_masked", "arms") in the
    registry at all (NOT_APPLICABLE_TO). A study type not stated is given every field: missing, not inapplicable."""
    return field not in NOT_APPLICABLE_TO.get(study_type or "", frozenset())


# How each value reads on screen; an enum missing here is shown title-cased.
LABELS: dict[str, str] = {
    "NA": "Not applicable", "EARLY_PHASE1": "Early phase 1", "PHASE1": "Phase 1", "PHASE2": "Phase 2",
    "PHASE3": "Phase 3", "PHASE4": "Phase 4", "ACTIVE_NOT_RECRUITING": "Active, not recruiting",
    "NOT_YET_RECRUITING": "Not yet recruiting", "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    # Abbreviations (secondaryIdInfos' type, a sponsor's class) read as written.
    "NIH": "NIH", "FDA": "FDA", "VA": "VA", "CDC": "CDC", "AHRQ": "AHRQ", "SAMHSA": "SAMHSA", "CTIS": "CTIS",
    "EUDRACT_NUMBER": "EudraCT number",
    "EXPANDED_ACCESS": "Expanded access",
}


def label(value: str | None) -> str:
    """Readable form of an API enum value ("PHASE2" -> "Phase 2")."""
    if value is None:
        return "not stated in source"
    return LABELS.get(value, value.replace("_", " ").capitalize())


def normalise(kind: str, raw: str, *, file: str, field: str) -> str:
    """Map source wording to the API v2 spelling of enum `kind`, or raise SourceError."""
    key = re.sub(r"[^A-Z0-9]+", "_", raw.strip().upper()).strip("_")
    key = re.sub(r"_GROUP$", "", key) if kind == "armGroupType" else key
    key = _ALIASES.get(kind, {}).get(key, key)
    if key not in ENUMS[kind]:
        raise SourceError(file, field, raw, f"not a ClinicalTrials.gov {kind} value")
    return key

"""Typed SQLAlchemy 2.x models: one table per registry concept, named after the AACT schema
(studies, conditions, designs, design_groups, interventions, ...), plus what the registry lacks:
source documents, provenance, indications, dosing regimens, publications and their outcomes."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ForeignKey, Index, Text, case
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


def _nct() -> Mapped[str]:
    return mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), index=True)


class Document(Base):
    """A source document, kept verbatim so every quote can be checked against it."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    format: Mapped[str]
    sha256: Mapped[str]
    text: Mapped[str] = mapped_column(Text)


class Provenance(Base):
    """One fact's source: `subject` (an NCT id or PMID:n) and `path` (the ClinicalTrials.gov API v2
    path, or regimens[...] / outcomes[...]) name the fact; `quote` is verbatim from the document."""

    __tablename__ = "provenance"
    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(index=True)
    path: Mapped[str]
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    quote: Mapped[str] = mapped_column(Text)
    offset: Mapped[int | None]


class IndicationRow(Base):
    """An indication present in the database: a row of trialdb.indications' table, or one made for an
    unknown condition (its area then from the registry's MeSH tree)."""

    __tablename__ = "indications"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    area: Mapped[str] = mapped_column(default="other", index=True)  # trialdb.indications.AREAS code
    mesh_ids: Mapped[str | None]  # API v2 MeSH ids joined by ","


class Study(Base):
    __tablename__ = "studies"
    nct_id: Mapped[str] = mapped_column(primary_key=True)
    brief_title: Mapped[str]
    official_title: Mapped[str | None]
    org_study_id: Mapped[str | None]
    indication_code: Mapped[str] = mapped_column(ForeignKey("indications.code"), index=True)
    overall_status: Mapped[str] = mapped_column(index=True)
    last_known_status: Mapped[str | None]
    phase: Mapped[str | None] = mapped_column(index=True)  # API phases joined by "/": "PHASE2/PHASE3"
    study_type: Mapped[str | None]
    enrollment: Mapped[int | None]
    enrollment_type: Mapped[str | None]
    start_date: Mapped[str | None]  # partial ISO dates as the registry writes them
    start_date_type: Mapped[str | None]
    primary_completion_date: Mapped[str | None]
    primary_completion_date_type: Mapped[str | None]
    completion_date: Mapped[str | None]
    completion_date_type: Mapped[str | None]
    last_update_posted_date: Mapped[str | None]
    brief_summary: Mapped[str | None] = mapped_column(Text)
    detailed_description: Mapped[str | None] = mapped_column(Text)
    has_results: Mapped[bool | None]
    location_count_stated: Mapped[int | None]
    acronym: Mapped[str | None]  # identificationModule.acronym, where the source states one
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))

    conditions: Mapped[list[Condition]] = relationship(order_by="Condition.id", cascade="all, delete-orphan")
    design: Mapped[Design | None] = relationship(cascade="all, delete-orphan")
    design_groups: Mapped[list[DesignGroup]] = relationship(order_by="DesignGroup.position",
                                                            cascade="all, delete-orphan")
    interventions: Mapped[list[Intervention]] = relationship(order_by="Intervention.position",
                                                             cascade="all, delete-orphan")
    other_names: Mapped[list[InterventionOtherName]] = relationship(cascade="all, delete-orphan")
    eligibility: Mapped[Eligibility | None] = relationship(cascade="all, delete-orphan")
    criteria: Mapped[list[EligibilityCriterion]] = relationship(
        order_by="(EligibilityCriterion.kind.desc(), EligibilityCriterion.position)", cascade="all, delete-orphan")
    sponsors: Mapped[list[Sponsor]] = relationship(order_by="Sponsor.position", cascade="all, delete-orphan")
    responsible_party: Mapped[ResponsibleParty | None] = relationship(cascade="all, delete-orphan")
    officials: Mapped[list[OverallOfficial]] = relationship(order_by="OverallOfficial.id", cascade="all, delete-orphan")
    central_contacts: Mapped[list[CentralContact]] = relationship(order_by="CentralContact.id",
                                                                  cascade="all, delete-orphan")
    facilities: Mapped[list[Facility]] = relationship(order_by="Facility.id", cascade="all, delete-orphan")
    countries: Mapped[list[Country]] = relationship(order_by="Country.id", cascade="all, delete-orphan")
    references: Mapped[list[StudyReference]] = relationship(order_by="StudyReference.id",
                                                            cascade="all, delete-orphan")
    id_information: Mapped[list[IdInformation]] = relationship(order_by="IdInformation.id",
                                                               cascade="all, delete-orphan")
    regimens: Mapped[list[Regimen]] = relationship(order_by="Regimen.id", cascade="all, delete-orphan")
    # What the record says it will measure (outcomesModule): primary, then secondary, then other, each in its order.
    design_outcomes: Mapped[list[DesignOutcome]] = relationship(
        order_by="(DesignOutcome.type_order, DesignOutcome.position)", cascade="all, delete-orphan")
    decision: Mapped[PortfolioDecision | None] = relationship(cascade="all, delete-orphan")


class Condition(Base):
    __tablename__ = "conditions"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    name: Mapped[str]


class Design(Base):
    __tablename__ = "designs"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), unique=True)
    allocation: Mapped[str | None]
    intervention_model: Mapped[str | None]
    primary_purpose: Mapped[str | None]
    masking: Mapped[str | None] = mapped_column(index=True)
    who_masked: Mapped[str | None]  # API values joined by ","


class DesignGroup(Base):
    """An arm: AACT calls it a design group; `title` is the registry's arm label."""

    __tablename__ = "design_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    position: Mapped[int]
    title: Mapped[str]
    group_type: Mapped[str | None]
    description: Mapped[str | None] = mapped_column(Text)
    # armGroups[].interventionNames as the record writes them (JSON list): the links below cannot hold a name
    # no intervention of the study has (flagged, trialdb/flags.py); NULL for the seed documents.
    intervention_names: Mapped[str | None] = mapped_column(Text)
    interventions: Mapped[list[Intervention]] = relationship(secondary="design_group_interventions",
                                                             order_by="DesignGroupIntervention.id")


class Intervention(Base):
    __tablename__ = "interventions"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    position: Mapped[int]
    intervention_type: Mapped[str]
    name: Mapped[str]
    description: Mapped[str | None] = mapped_column(Text)
    other_names: Mapped[list[InterventionOtherName]] = relationship(back_populates="intervention")


class DesignGroupIntervention(Base):
    __tablename__ = "design_group_interventions"
    id: Mapped[int] = mapped_column(primary_key=True)
    design_group_id: Mapped[int] = mapped_column(ForeignKey("design_groups.id", ondelete="CASCADE"), index=True)
    intervention_id: Mapped[int] = mapped_column(ForeignKey("interventions.id", ondelete="CASCADE"))


class InterventionOtherName(Base):
    """Another name of an intervention; `intervention_id` is NULL where the source does not say whose."""

    __tablename__ = "intervention_other_names"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    intervention_id: Mapped[int | None] = mapped_column(ForeignKey("interventions.id", ondelete="CASCADE"))
    name: Mapped[str]
    intervention: Mapped[Intervention | None] = relationship(back_populates="other_names")


class Eligibility(Base):
    __tablename__ = "eligibilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), unique=True)
    sex: Mapped[str | None]
    minimum_age: Mapped[str | None]
    maximum_age: Mapped[str | None]
    healthy_volunteers: Mapped[bool | None]


class EligibilityCriterion(Base):
    """One inclusion or exclusion criterion, as its own item (AACT keeps them as one text)."""

    __tablename__ = "eligibility_criteria"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    kind: Mapped[str]  # "inclusion" | "exclusion"
    position: Mapped[int]
    criterion: Mapped[str] = mapped_column(Text)


class DesignOutcome(Base):
    """An outcome measure the registry record says the trial will assess, AACT's `design_outcomes`: one entry of
    `outcomesModule.primaryOutcomes[position]`, `secondaryOutcomes[position]` or `otherOutcomes[position]`, its
    `measure`, `timeFrame` and `description` kept as posted (the description is CommonMark, as the registry writes
    it: trialdb.registry.text reads it for display and search). NULL where the entry does not state a field; a
    trial whose record has no outcomesModule (every seed document) has no rows. Not the outcomes a publication
    reports (`outcomes`) nor the registry's posted results (trialdb.results.models.OutcomeMeasure)."""

    __tablename__ = "design_outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    outcome_type: Mapped[str]  # "primary" | "secondary" | "other" (OUTCOME_TYPES)
    position: Mapped[int]  # the index in its list of the record
    measure: Mapped[str | None] = mapped_column(Text)
    time_frame: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)

    @hybrid_property
    def type_order(self) -> int:
        """0 for primary, 1 secondary, 2 other: the order the record and the pages list them in."""
        return OUTCOME_TYPES.index(self.outcome_type) if self.outcome_type in OUTCOME_TYPES else len(OUTCOME_TYPES)

    @type_order.inplace.expression
    @classmethod
    def _type_order(cls) -> ColumnElement[int]:
        return case({t: i for i, t in enumerate(OUTCOME_TYPES)}, value=cls.outcome_type, else_=len(OUTCOME_TYPES))


# outcome_type of DesignOutcome -> its list in the record's outcomesModule, in the record's order.
OUTCOME_LISTS = {"primary": "primaryOutcomes", "secondary": "secondaryOutcomes", "other": "otherOutcomes"}
OUTCOME_TYPES = tuple(OUTCOME_LISTS)


class Sponsor(Base):
    __tablename__ = "sponsors"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    position: Mapped[int]
    lead_or_collaborator: Mapped[str]  # "lead" | "collaborator"
    name: Mapped[str]
    agency_class: Mapped[str | None]


class ResponsibleParty(Base):
    __tablename__ = "responsible_parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), unique=True)
    responsible_party_type: Mapped[str | None]
    name: Mapped[str | None]
    title: Mapped[str | None]
    affiliation: Mapped[str | None]


class OverallOfficial(Base):
    __tablename__ = "overall_officials"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    role: Mapped[str | None]
    name: Mapped[str]
    affiliation: Mapped[str | None]


class CentralContact(Base):
    __tablename__ = "central_contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    role: Mapped[str | None]
    name: Mapped[str]
    phone: Mapped[str | None]
    email: Mapped[str | None]


class Facility(Base):
    """A site (`contactsLocationsModule.locations[i]`). `latitude` and `longitude` (AACT's names) are its
    `geoPoint` {lat, lon} as the registry geocoded it (decimal degrees, WGS 84; the registry geocodes a site's
    city, so sites of one city share a point); NULL when the record has no geoPoint, and for every seed
    document, which names a city at most: such a site is counted under its country, never placed."""

    __tablename__ = "facilities"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    name: Mapped[str | None]
    status: Mapped[str | None]
    city: Mapped[str | None]
    state: Mapped[str | None]
    zip: Mapped[str | None]
    country: Mapped[str | None]
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    contacts: Mapped[list[FacilityContact]] = relationship(order_by="FacilityContact.id", cascade="all, delete-orphan")


class FacilityContact(Base):
    __tablename__ = "facility_contacts"
    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facilities.id", ondelete="CASCADE"), index=True)
    contact_type: Mapped[str | None]  # as the source writes it ("primary")
    name: Mapped[str]
    phone: Mapped[str | None]
    email: Mapped[str | None]


class Country(Base):
    __tablename__ = "countries"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    name: Mapped[str]


class StudyReference(Base):
    __tablename__ = "study_references"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    pmid: Mapped[str | None]
    reference_type: Mapped[str | None]
    citation: Mapped[str] = mapped_column(Text)
    retractions: Mapped[list[StudyReferenceRetraction]] = relationship(order_by="StudyReferenceRetraction.position",
                                                                       cascade="all, delete-orphan")


class StudyReferenceRetraction(Base):
    """A retraction notice of a reference's publication, as the registry links it
    (`referencesModule.references[i].retractions[k]`: the notice's PMID and its source, e.g. "J. 2020;1:100").
    AACT has no such table; named after the table it belongs to. Any row here means the reference's
    publication was retracted, so every page that lists the reference flags it."""

    __tablename__ = "study_reference_retractions"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference_id: Mapped[int] = mapped_column(ForeignKey("study_references.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # k in retractions[k]
    pmid: Mapped[str | None]
    source: Mapped[str | None]


class IdInformation(Base):
    """An identifier of a study, AACT's `id_information`: `id_source` says which list it comes from:
    "org_study_id" (identificationModule.orgStudyIdInfo), "secondary_id" (secondaryIdInfos[k], with its
    `type`, `domain` (AACT's id_type_description) and `link`), or "nct_alias" (nctIdAliases[k]: an NCT id
    the registry merged into this record). Rows keep the record's order: repeated ids stay separate rows."""

    __tablename__ = "id_information"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    id_source: Mapped[str]  # "org_study_id" | "secondary_id" | "nct_alias"
    id_value: Mapped[str] = mapped_column(index=True)
    id_type: Mapped[str | None]  # secondaryIdInfos[k].type (API enum, e.g. "NIH", "REGISTRY")
    id_type_description: Mapped[str | None]  # secondaryIdInfos[k].domain, as posted
    id_link: Mapped[str | None]  # secondaryIdInfos[k].link, as posted


class Regimen(Base):
    """How one drug is given in one arm: curated by a person (seed_data/curation.toml, `source` "curated") or
    read from the registry record's own words (trialdb.dosing.reader, `source` "read"). `phases` is JSON (see
    the schedules module); for a read regimen `path` is the JSON path (relative to protocolSection) of the
    string its quote comes from, `facts` the quote and path of every fact read ([{field, quote, path}]),
    `not_read` what was not stated or could not be read ([{field, reason, quote, path}]) and `flags` the
    expectations a value breaks (kept as written) - all JSON text. trialdb.readings stores and checks them."""

    __tablename__ = "regimens"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = _nct()
    arm: Mapped[str]
    drug: Mapped[str]
    role: Mapped[str]  # "active" | "placebo" | "background"
    dose: Mapped[float | None]
    unit: Mapped[str | None]
    unit_as_written: Mapped[str | None]
    route: Mapped[str | None]
    phases: Mapped[str | None] = mapped_column(Text)
    interpretation: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(default="curated")  # "curated" | "read"
    path: Mapped[str | None] = mapped_column(Text)
    facts: Mapped[str | None] = mapped_column(Text)
    not_read: Mapped[str | None] = mapped_column(Text)
    flags: Mapped[str | None] = mapped_column(Text)


class PortfolioDecision(Base):
    """Whether a study belongs to the low-dose IL-2 portfolio (trialdb.portfolio.classifier): its category (a
    portfolio.CATEGORIES key), the reason, and the verbatim words that decide it with their JSON path
    (relative to protocolSection); `source` "classifier" | "reviewed" (seed_data/portfolio.toml) | "seed".
    A study without a row (a database built before this table) counts as included."""

    __tablename__ = "portfolio_decisions"
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), primary_key=True)
    included: Mapped[bool] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(index=True)
    reason: Mapped[str] = mapped_column(Text)
    quote: Mapped[str | None] = mapped_column(Text)
    path: Mapped[str | None]
    source: Mapped[str]


class Publication(Base):
    """One publication per PMID, from the seed documents (`source` "curated"), a PubMed record
    (seed_data/pubmed/<PMID>.xml, "pubmed") or both ("curated+pubmed"). Where both state a fact, the seed
    document's stays here with its quote and PubMed's different value is kept in `publication_discrepancies`;
    PubMed fills what the seed does not state. `document_id` is the first source's document,
    `pubmed_document_id` the PubMed file's. `published` is the `PubDate` as PubMed writes it ("2019 Nov-Dec")."""

    __tablename__ = "publications"
    pmid: Mapped[str] = mapped_column(primary_key=True)
    pmcid: Mapped[str | None]
    doi: Mapped[str | None]
    title: Mapped[str]
    journal: Mapped[str | None]
    year: Mapped[int | None]
    print_date: Mapped[str | None]
    epub_date: Mapped[str | None]
    publisher: Mapped[str | None]
    licence: Mapped[str | None]
    licence_url: Mapped[str | None]
    rights: Mapped[str | None] = mapped_column(Text)
    abstract: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    journal_iso: Mapped[str | None]  # Journal/ISOAbbreviation
    published: Mapped[str | None]  # Journal/JournalIssue/PubDate as written (Year Month Day, Season or MedlineDate)
    copyright: Mapped[str | None] = mapped_column(Text)  # Abstract/CopyrightInformation, shown with the abstract
    source: Mapped[str] = mapped_column(default="curated")  # "curated" | "pubmed" | "curated+pubmed"
    pubmed_document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    types: Mapped[list[PublicationType]] = relationship(order_by="PublicationType.position",
                                                        cascade="all, delete-orphan")
    sections: Mapped[list[PublicationAbstractSection]] = relationship(
        order_by="PublicationAbstractSection.position", cascade="all, delete-orphan")
    corrections: Mapped[list[PublicationCorrection]] = relationship(order_by="PublicationCorrection.position",
                                                                    cascade="all, delete-orphan")
    discrepancies: Mapped[list[PublicationDiscrepancy]] = relationship(order_by="PublicationDiscrepancy.id",
                                                                       cascade="all, delete-orphan")
    authors: Mapped[list[PublicationAuthor]] = relationship(order_by="PublicationAuthor.position",
                                                            cascade="all, delete-orphan")
    registrations: Mapped[list[PublicationRegistration]] = relationship(
        order_by="PublicationRegistration.position", cascade="all, delete-orphan")
    outcomes: Mapped[list[Outcome]] = relationship(order_by="Outcome.id", cascade="all, delete-orphan")


class PublicationType(Base):
    """PubMed's `PublicationTypeList/PublicationType`, in order ("Randomized Controlled Trial", "Retracted
    Publication", ...)."""

    __tablename__ = "publication_types"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str]


class PublicationAbstractSection(Base):
    """A section of PubMed's abstract (`Abstract/AbstractText`), its `Label` and `NlmCategory` as published
    (both None for an unlabelled abstract); the text with its inline markup as text."""

    __tablename__ = "publication_abstract_sections"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str | None]
    category: Mapped[str | None]
    text: Mapped[str] = mapped_column(Text)


class PublicationCorrection(Base):
    """PubMed's `CommentsCorrectionsList/CommentsCorrections` of the kinds that change how a paper is read:
    `ref_type` "RetractionIn", "ErratumIn", "ExpressionOfConcernIn" and the like, the notice's source and PMID."""

    __tablename__ = "publication_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    ref_type: Mapped[str]
    ref_source: Mapped[str | None]
    ref_pmid: Mapped[str | None]


class PublicationDiscrepancy(Base):
    """A fact the seed document and PubMed both state, differently: both kept, the seed's on the publication."""

    __tablename__ = "publication_discrepancies"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    field: Mapped[str]
    curated: Mapped[str]
    pubmed: Mapped[str]


class PublicationAuthor(Base):
    __tablename__ = "publication_authors"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str]


class PublicationRegistration(Base):
    """A registration a publication cites; not a foreign key, as it may have no record here."""

    __tablename__ = "publication_registrations"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    nct_id: Mapped[str] = mapped_column(index=True)


class Outcome(Base):
    __tablename__ = "outcomes"
    id: Mapped[int] = mapped_column(primary_key=True)
    pmid: Mapped[str] = mapped_column(ForeignKey("publications.pmid", ondelete="CASCADE"), index=True)
    nct_id: Mapped[str | None] = mapped_column(index=True)
    measure: Mapped[str]
    timepoint_weeks: Mapped[int | None]
    population: Mapped[str | None]
    is_primary: Mapped[bool]
    is_harm: Mapped[bool]
    p_value: Mapped[str | None]  # exactly as published
    note: Mapped[str | None] = mapped_column(Text)
    groups: Mapped[list[OutcomeGroup]] = relationship(order_by="OutcomeGroup.position", cascade="all, delete-orphan")


class OutcomeGroup(Base):
    __tablename__ = "outcome_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    outcome_id: Mapped[int] = mapped_column(ForeignKey("outcomes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    group_name: Mapped[str]
    percent: Mapped[str | None]  # exactly as published ("55.17")
    responders: Mapped[int | None]
    n: Mapped[int | None]
    derived: Mapped[bool]  # responders / n computed here, not published
    derivation: Mapped[str | None] = mapped_column(Text)


class Meta(Base):
    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_studies_filters", Study.indication_code, Study.phase, Study.overall_status)


class StudyChange(Base):
    """One difference a registry sync found between a trial's stored record and the one it fetched
    (trialdb.registry.changes): `field` is the API v2 path, `old`/`new` the values as JSON text (NULL: not in the
    record). A trial new to the database is one change with field "study" and no old value. Not a foreign
    key to studies: the history outlives a record."""

    __tablename__ = "study_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(index=True)
    field: Mapped[str]
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    last_update: Mapped[str | None]  # the record's own lastUpdatePostDate
    detected: Mapped[str] = mapped_column(index=True)  # UTC, ISO 8601, when the sync found it
    sync_id: Mapped[str]  # the sync that found it (its start time, UTC)


class SeedRegistryRecord(Base):
    """A registry record of a trial the seed documents describe: kept (its document) but never loaded
    over the curated seed facts; the trial record page shows where the two differ."""

    __tablename__ = "seed_registry_records"
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))


class Flag(Base):
    """One posted value that breaks an expectation (kind in `trialdb.flags.KINDS`, which holds the rules), kept as
    posted where it is stored."""

    __tablename__ = "flags"
    id: Mapped[int] = mapped_column(primary_key=True)
    nct_id: Mapped[str] = mapped_column(ForeignKey("studies.nct_id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)  # the value's JSON path in the record, as in `provenance.path`
    kind: Mapped[str]
    value: Mapped[str | None] = mapped_column(Text)  # the value as posted (a number written as text)
    # Never set (the flag names its study by nct_id): it tells the unit of work to write a new study before its
    # flags in one flush (PostgreSQL checks the foreign key at once; an import flushes once, trialdb/store/ids.py).
    study: Mapped[Study] = relationship()

"""What the database holds: every fact, NULL where the sources are silent, provenance for each."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from trialdb.check import check
from trialdb.store import models as m


def test_every_quote_verbatim_and_every_study_field_traced(engine):
    report = check(engine)
    assert report.ok and report.facts > 250 and report.documents == 5
    assert report.fields > 200 and report.covered == report.fields, report.uncovered


def test_indications_and_nulls(engine):
    with Session(engine) as s:
        rows = {x.nct_id: x for x in s.scalars(select(m.Study))}
        assert {n: r.indication_code for n, r in rows.items()} == {
            "NCT02465580": "SLE", "NCT05262686": "SLE", "NCT02467504": "RA", "NCT02464319": "pSS"}
        assert {c.code: c.name for c in s.scalars(select(m.IndicationRow))}["pSS"] == "Primary Sjögren's syndrome"
        # Only the first record states dates; the Veeva pages state none and stay NULL.
        assert rows["NCT02465580"].start_date == "2015-06-30"
        for n in ("NCT05262686", "NCT02467504", "NCT02464319"):
            assert rows[n].start_date is None and rows[n].completion_date is None
            assert rows[n].last_update_posted_date is None and rows[n].has_results is None
        assert rows["NCT02465580"].enrollment_type is None and rows["NCT05262686"].enrollment_type == "ESTIMATED"


def test_arms_linked_to_interventions(engine):
    with Session(engine) as s:
        g = s.scalars(select(m.DesignGroup).where(m.DesignGroup.nct_id == "NCT02467504", m.DesignGroup.title == "Experimental")).one()
        assert sorted(i.name for i in g.interventions) == ["Folic Acid", "MTX", "Loxoprofen", "hrIL-2 active"].__class__(
            sorted(["Folic Acid", "MTX", "Loxoprofen", "hrIL-2 active"]))
        other = s.scalars(select(m.InterventionOtherName)).one()
        assert other.name == "Human recombinant IL-2" and other.intervention_id is None  # source does not say whose


def test_regimens_and_outcomes(engine):
    with Session(engine) as s:
        reg = s.scalars(select(m.Regimen).where(m.Regimen.drug == "MTX")).all()
        assert reg and all(r.dose is None and r.phases is None and r.role == "background" for r in reg)
        placebo = s.scalars(select(m.Regimen).where(m.Regimen.role == "placebo")).all()
        assert len(placebo) == 3 and all(r.dose is None and r.phases for r in placebo)
        out = s.scalars(select(m.Outcome).where(m.Outcome.timepoint_weeks == 12)).one()
        assert out.is_primary and out.p_value == "0.052" and out.note == "The primary endpoint was not met at week 12."
        assert [(g.percent, g.responders, g.n, g.derived) for g in out.groups] == [("55.17", 16, 29, True), ("30.00", 9, 30, True)]
        cr = s.scalars(select(m.Outcome).where(m.Outcome.measure.like("Complete remission%"))).one()
        assert [(g.percent, g.responders, g.n, g.derived) for g in cr.groups] == [("53.85", 7, 13, False), ("16.67", 2, 12, False)]
        assert s.scalar(select(func.count()).select_from(m.Provenance).where(m.Provenance.path.like("regimens[%"))) == 16


def test_database_is_read_only_for_the_app(engine):
    import pytest
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError), engine.begin() as conn:
        conn.execute(text("DELETE FROM studies"))

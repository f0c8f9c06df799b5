"""A deterministic synthetic portfolio for scale tests and the benchmark: N trials with realistic
mixes of indications, phases, statuses, dates (some missing), arms, regimens, and outcomes for some.
Every row is marked synthetic: its document says so, and it carries no provenance."""

from __future__ import annotations

import json
import random
from pathlib import Path

from sqlalchemy.orm import Session

from trialdb import models as m
from trialdb.db import make_engine, sqlite_path
from trialdb.indications import BY_CODE
from trialdb.search import refresh_search_index

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


def _pick(rng: random.Random, weighted):
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


def generate(url: str, n: int = 10_000, seed: int = 2026) -> None:
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
    engine = make_engine(url)
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    rng = random.Random(seed)
    with Session(engine) as s:
        doc = m.Document(name="synthetic", format="synthetic portfolio", sha256="-",
                         text=f"Synthetic portfolio of {n} trials (seed {seed}); not real data.")
        s.add(doc)
        for code, _ in INDICATION_WEIGHTS:  # names and areas from the one indication table
            ind = BY_CODE[code]
            s.add(m.IndicationRow(code=code, name=ind.name, area=ind.area, mesh_ids=",".join(ind.mesh_ids)))
        s.flush()
        for i in range(n):
            s.add(_study(rng, i, doc.id))
            if i % 500 == 499:
                s.flush()
        for k in range(n // 20):  # a publication with outcomes for one trial in twenty
            s.add(_publication(rng, k, f"NCT9{(k * 20):07d}", doc.id))
        s.add(m.Meta(key="origin", value="synthetic"))
        refresh_search_index(s)
        s.commit()
    engine.dispose()


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}" + (f"-{rng.randint(1, 28):02d}" if rng.random() < 0.7 else "")


def _study(rng: random.Random, i: int, doc_id: int) -> m.Study:
    nct = f"NCT9{i:07d}"
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
    il2 = m.Intervention(position=0, intervention_type="DRUG", name="Interleukin-2")
    placebo = m.Intervention(position=1, intervention_type="DRUG", name="Placebo")
    s.interventions = [il2, placebo]
    active = m.DesignGroup(position=0, title="Low-dose IL-2", group_type="EXPERIMENTAL")
    active.interventions = [il2]
    control = m.DesignGroup(position=1, title="Placebo", group_type="PLACEBO_COMPARATOR")
    control.interventions = [placebo]
    s.design_groups = [active, control]
    s.sponsors = [m.Sponsor(position=0, lead_or_collaborator="lead", name=f"Sponsor {i % 97}", agency_class="OTHER")]
    if rng.random() < 0.9:
        phases = json.dumps(rng.choice(SCHEDULES))
        dose = rng.choice([0.5, 1.0, 1.5, 3.0])
        s.regimens = [
            m.Regimen(arm="Low-dose IL-2", drug="Interleukin-2", role="active", dose=dose, unit="million IU",
                      route="subcutaneous", phases=phases),
            m.Regimen(arm="Placebo", drug="Placebo", role="placebo", route="subcutaneous", phases=phases)]
    return s


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

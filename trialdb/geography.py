"""Where the trials run and who runs them: the queries of the Where and who page, aggregated in SQL where the
rows would be many.

- `sites(engine, f)`: the selection's sites placed on the globe, one row per geoPoint and indication.
- `countries(engine, f)`: trials and sites per country as the registry names it.
- `sponsors(engine, f)`: trials per sponsor name, as lead and as collaborator, with the registry's class.
- `known_sponsors(engine, names)`: which of `names` the database has (the sponsor filter's check).

A site is placed only at the registry's own `geoPoint` (facilities.latitude and longitude) when both are
stated and on the globe (trialdb.flags.on_the_map); any other site, and every site of a seed document, which
names a city at most, is counted under its country and never placed at a guessed point. A trial is counted
once per country it runs in (its `countries` rows, with the countries of its sites), so the countries' trials
add up to more than the selection when trials run in several countries."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
from sqlalchemy import Engine, and_, distinct, func, select, union

from trialdb.queries import Filters, _frame
from trialdb.store import models as m

MAX_NAMED = 3  # facilities a place names (its tooltip), and trials it names for a click: the first few
MAX_LINKED = 10


def _placed():
    """The SQL condition of a site on the map: trialdb.flags.on_the_map, in SQL."""
    F = m.Facility
    return and_(F.latitude.is_not(None), F.longitude.is_not(None), F.latitude.between(-90, 90),
                F.longitude.between(-180, 180))


def sites(engine: Engine, f: Filters) -> pd.DataFrame:
    """The selection's placed sites, one row per geoPoint (latitude, longitude), country and indication: `city`
    (the first city named there), `trials` (distinct), `sites` (facilities), and `facilities` and `nct_ids`
    (the first MAX_NAMED facility names, ";"-joined, and the first MAX_LINKED trials, in NCT order, ";"-joined).
    The registry geocodes a site's city, so one row is usually one city's sites: at 10,000 trials a few
    thousand rows, not one per site. Sites not placed are counted by `countries`."""
    F, S = m.Facility, m.Study
    keys = (F.latitude, F.longitude, F.country, S.indication_code)
    stmt = (select(*keys, F.city, F.name, F.nct_id).join(S, S.nct_id == F.nct_id)
            .where(f.where(), _placed()).order_by(*keys, F.nct_id, F.id))
    rows = _frame(engine, stmt)
    out = []
    for (lat, lon, country, ind), g in rows.groupby(["latitude", "longitude", "country", "indication_code"],
                                                    sort=False, dropna=False):
        names = [n for n in dict.fromkeys(g.name.tolist()) if isinstance(n, str)]
        trials = list(dict.fromkeys(g.nct_id.tolist()))
        city = next((c for c in g.city.tolist() if isinstance(c, str)), None)
        out.append((lat, lon, country, ind, city, len(trials), len(g), ";".join(names[:MAX_NAMED]), len(names),
                    ";".join(trials[:MAX_LINKED])))
    return pd.DataFrame.from_records(out, columns=["latitude", "longitude", "country", "indication", "city", "trials",
                                                   "sites", "facilities", "n_facilities", "nct_ids"])


def countries(engine: Engine, f: Filters) -> tuple[pd.DataFrame, int]:
    """Per country, as the registry names it: `trials` (each trial once per country: its `countries` rows
    and the countries of its sites), `sites` (facilities in it) and `placed` (those with a geoPoint on the
    globe); and how many trials of the selection name no country at all."""
    F, C, S = m.Facility, m.Country, m.Study
    chosen = select(S.nct_id).where(f.where())
    named = union(select(C.nct_id, C.name.label("country")).where(C.nct_id.in_(chosen)),
                  select(F.nct_id, F.country).where(F.nct_id.in_(chosen), F.country.is_not(None))).subquery()
    trials = select(named.c.country, func.count(distinct(named.c.nct_id)).label("trials")).group_by(named.c.country)
    site_rows = (select(F.country, func.count().label("sites"),
                        func.coalesce(func.sum(func.cast(_placed(), m.Facility.id.type)), 0).label("placed"))
                 .where(F.nct_id.in_(chosen), F.country.is_not(None)).group_by(F.country))
    per_trial = _frame(engine, trials)
    per_site = _frame(engine, site_rows)
    with engine.connect() as conn:
        nowhere = conn.execute(select(func.count()).select_from(S).where(
            f.where(), S.nct_id.not_in(select(named.c.nct_id)))).scalar_one()
    out = per_trial.merge(per_site, on="country", how="outer").fillna({"trials": 0, "sites": 0, "placed": 0})
    out = out.astype({"trials": int, "sites": int, "placed": int})
    return out.sort_values(["trials", "sites", "country"], ascending=[False, False, True], kind="stable",
                           ignore_index=True), int(nowhere)


def sponsors(engine: Engine, f: Filters) -> pd.DataFrame:
    """Per sponsor name as the registry writes it (`sponsors.name`): `lead` (trials it leads), `collaborator`
    (trials it collaborates on), `trials` (either), and `classes` (its agency classes as posted, distinct,
    ";"-joined in order; "" when not stated), largest first."""
    Sp, S = m.Sponsor, m.Study
    chosen = select(S.nct_id).where(f.where())
    per_role = _frame(engine, select(Sp.name, Sp.lead_or_collaborator.label("role"),
                                     func.count(distinct(Sp.nct_id)).label("n"))
                      .where(Sp.nct_id.in_(chosen)).group_by(Sp.name, Sp.lead_or_collaborator))
    either = _frame(engine, select(Sp.name, func.count(distinct(Sp.nct_id)).label("trials"))
                    .where(Sp.nct_id.in_(chosen)).group_by(Sp.name))
    classes = _frame(engine, select(Sp.name, Sp.agency_class).distinct()
                     .where(Sp.nct_id.in_(chosen), Sp.agency_class.is_not(None)).order_by(Sp.name, Sp.agency_class))
    if either.empty:
        return pd.DataFrame(columns=["name", "classes", "lead", "collaborator", "trials"])
    roles = per_role.pivot_table(index="name", columns="role", values="n", aggfunc="sum", fill_value=0)
    out = either.set_index("name").join(roles.reindex(columns=["lead", "collaborator"], fill_value=0)).fillna(0)
    joined = classes.groupby("name").agency_class.agg(";".join) if not classes.empty else pd.Series(dtype=str)
    out["classes"] = joined.reindex(out.index).fillna("")
    out = out.reset_index().astype({"lead": int, "collaborator": int, "trials": int})
    return out[["name", "classes", "lead", "collaborator", "trials"]].sort_values(
        ["trials", "lead", "name"], ascending=[False, False, True], kind="stable", ignore_index=True)


def known_sponsors(engine: Engine, names: Collection[str]) -> list[str]:
    """The names of `names` that some sponsor row has (exactly as written), in the order given."""
    if not names:
        return []
    with engine.connect() as conn:
        found = set(conn.execute(select(m.Sponsor.name).distinct().where(m.Sponsor.name.in_(list(names)))).scalars())
    return [n for n in dict.fromkeys(names) if n in found]




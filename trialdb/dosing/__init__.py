"""Dosing: schedules (phases to calendars), the unit vocabulary, and the regimen reader.

- `trialdb.dosing.schedules`: `Phase` and the calendar arithmetic (administration days, cumulative dose).
- `trialdb.dosing.units`: the one documented vocabulary of dose units and their multipliers.
- `trialdb.dosing.reader`: `read_regimens(study)`, each registry study's IL-2 regimens read from its own words.

May import: nothing else of trialdb (pure functions over text and numbers).
"""

"""ClinicalTrials.gov: the API v2 client (`client`), importing its JSON as the registry serves it (`importer`),
keeping the portfolio current (`sync`), the record files of seed_data/registry/ with SHA256SUMS and changes.json
(`folder`), what changed between syncs (`changes`), and the registry's free text as it means it (`text`).

May import: trialdb.errors, trialdb.enums, trialdb.flags, trialdb.indications, trialdb.store, trialdb.sources,
trialdb.results, trialdb.portfolio, trialdb.load, trialdb.readings, trialdb.search, trialdb.export, trialdb.build,
trialdb.schema
"""

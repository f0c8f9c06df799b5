"""The database store: where the database lives and how it is opened (`db`), its typed tables with AACT's names
(`models`), how a build knows it is current (`freshness`: the fingerprint of seed_data/ and this package's code, the
meta table), and the two ways an import writes fast (`ids`: primary keys given before a flush; `bulk`: leaf rows
by Core executemany). The posted results' tables are `trialdb.results.models`; `trialdb.schema` holds them all.

May import: trialdb.errors
"""

"""The source documents and what a person curated from them: reading a document strictly, with its lines and
verbatim quotes (`documents`), one parser per seed document format (`parsers`), and seed_data/curation.toml,
regimens and outcomes each with its verbatim quote (`curation`).

May import: trialdb.errors, trialdb.enums, trialdb.dosing, trialdb.store
"""

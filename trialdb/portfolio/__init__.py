"""What each trial gives, and so which trials the portfolio keeps: the reviewed table of IL-2 names and wordings,
the classifier that applies it and the reviewed decisions of seed_data/portfolio.toml (`classifier`), and the
cheap substring test run before each wording's search (`prefilter`). A dose the regimen reader read
(trialdb.dosing) in the high-dose range decides a trial high-dose.

May import: trialdb.errors, trialdb.dosing, trialdb.registry.client
"""

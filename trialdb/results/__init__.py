"""The registry's posted results (API v2 `resultsSection`): which keys are modelled, their checks, the rows they
become and the same keys given back in the API's shape (`section`), their tables with AACT's names (`models`), and
the queries behind the Outcomes page's registry results (`queries`). Values stay the strings the registry posted.

May import: trialdb.errors, trialdb.flags, trialdb.store, trialdb.sources, trialdb.queries
"""

"""PubMed: the NCBI E-utilities client (`client`: esearch and efetch under NCBI's rules), reading PubMed's
efetch XML as the PubMed DTD means it, each fact with its XPath (`article`), the article files of
seed_data/pubmed/ with SHA256SUMS (`folder`), articles into the database, one publication per PMID (`store`),
which publications are retracted (`retractions`), and which publications each trial has, fetched and stored
(`fetch`).

May import: trialdb.errors, trialdb.store, trialdb.sources, trialdb.registry, trialdb.progress, trialdb.schema,
trialdb.load, trialdb.build, trialdb.search
"""

"""The dashboard's own code, under the pages of app_pages/ and over the data package trialdb (never the other
way): colours (`theme`), frames and figures (pure functions from data to tables and charts, no Streamlit), cached
data (`data`: one engine per server, queries cached per filter; no SQL here), the sidebar filter (`filters`), the
Streamlit pieces every page uses (`ui`) and the Trial record page's longer sections (`record`). A concept with several modules has a subpackage: `results` (posted registry
results on the Outcomes page) and `dosing` (the Dosing schedules page).
"""

"""The low-dose IL-2 trial portfolio dashboard: the entrypoint frame around every page.

Run with `streamlit run app.py`. The database builds itself from seed_data/ on first start.
Page scripts live in app_pages/ (not pages/: see README, "Why app_pages/").
"""

import dataclasses

import streamlit as st

from dashboard import filters, ui

st.set_page_config(page_title="Low-dose IL-2 trial portfolio", page_icon="🧪", layout="wide")

PAGES = [
    st.Page("app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("app_pages/timeline.py", title="Timeline", icon=":material/timeline:"),
    st.Page("app_pages/phase_status.py", title="Phase and status", icon=":material/bar_chart:"),
    st.Page("app_pages/dosing.py", title="Dosing schedules", icon=":material/medication:"),
    st.Page("app_pages/outcomes.py", title="Outcomes", icon=":material/monitoring:"),
    st.Page("app_pages/evidence.py", title="Evidence", icon=":material/library_books:"),
    st.Page("app_pages/where_who.py", title="Where and who", icon=":material/public:"),
    st.Page("app_pages/trial_record.py", title="Trial record", icon=":material/description:"),
    st.Page("app_pages/compare.py", title="Compare trials", icon=":material/compare_arrows:"),
    st.Page("app_pages/also_matched.py", title="Also matched", icon=":material/filter_list_off:"),
    st.Page("app_pages/whats_new.py", title="What's new", icon=":material/update:"),
]
page = st.navigation(PAGES)
ui.any_screen_css()
query = filters.search_box()
st.session_state["_filters"] = dataclasses.replace(filters.sidebar(), query=query)
with st.sidebar:
    st.caption("Every fact comes from a source document kept verbatim in seed_data/. Missing facts read "
               "*not stated in source*; numbers computed here say so.")
filters.show_notices()
page.run()

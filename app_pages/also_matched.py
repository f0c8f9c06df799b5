"""Also matched by the registry query: the studies the portfolio leaves out (IL-2 receptor antibodies, fusion
toxins, engineered IL-2, cell therapy, trials that only measure IL-2...), each with its category, the reason and
the record's own words; and, on request, the engineered-IL-2 trials beside the portfolio, never pooled with it."""

import streamlit as st

from dashboard import data, filters, frames, portfolio_view, ui

filters.page_title("Also matched by the registry query")
st.markdown("The registry's intervention search for IL-2 also finds studies that do not give low-dose IL-2: "
            "antibodies against the IL-2 receptor, IL-2 fusion toxins, engineered IL-2 (muteins, PEGylated or "
            "fused IL-2), cell therapies without IL-2 given, and trials that only measure IL-2. They are not in "
            "the portfolio, so no other page counts them. Each is listed here with why, in the words of its "
            "registry record. The sidebar filter applies to them too.")
f = filters.current()
beside = st.toggle("Show the engineered-IL-2 trials beside the portfolio (never pooled with it)",
                   key="beside_engineered", bind="query-params")
if beside:
    engineered = data.engineered_studies(f)
    left, right = st.columns(2)
    left.metric("Portfolio: low-dose IL-2 trials", f"{data.headline(f)['trials']:,}")
    right.metric("Engineered IL-2 trials", f"{len(engineered):,}")
    st.caption("Two separate counts of the same filter: the engineered-IL-2 trials are never added to the "
               "portfolio's numbers, charts or tables.")
    if engineered.empty:
        st.info("No engineered-IL-2 trial matches the filter.")
    else:
        ui.table(frames.trials_table(engineered), "engineered_table", "engineered_il2_trials.csv")

matched = data.also_matched(f)
if matched.empty and data.studies(f).empty:  # the filter or the search selects nothing at all
    ui.empty_state()
    st.stop()
if matched.empty:
    st.info("No study the registry query matched is set aside under the current filter: every one gives "
            "low-dose IL-2 and is in the portfolio.")
    st.stop()
st.subheader("Studies set aside, by category")
ui.table(portfolio_view.counts(matched), "also_counts", "also_matched_counts.csv", sortable=False)
labels = [portfolio_view.category_label(c) for c in dict.fromkeys(matched.category)]
if notice := filters.check_url_values("also_category", [*portfolio_view.CATEGORIES.values(), *labels], "category",
                                      remember=False):
    st.warning(notice, icon=":material/link_off:")
left, right = st.columns(2)
picked = left.multiselect("Category", labels, key="also_category", bind="query-params", placeholder="All categories")
query = right.text_input("Search these studies", key="also_q", bind="query-params",
                         placeholder="NCT id, title word, drug, reason",
                         help="Every word must appear in the NCT id, title, reason or quote (case and accents ignored).")
keys = [k for k in dict.fromkeys(matched.category) if portfolio_view.category_label(k) in picked]
shown = portfolio_view.choose(matched, keys, query or "")
if shown.empty:
    st.info("No study set aside matches the category and search chosen.")
else:
    st.caption(f"{len(shown):,} of {len(matched):,} studies set aside. “Decided by” says whether the reason was "
               "read from the record or reviewed by a person (seed_data/portfolio.toml).")
    ui.table(portfolio_view.table(shown), "also_matched", "il2_also_matched.csv")

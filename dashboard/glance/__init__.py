"""The overview at a glance (issue 33): the Vega-Lite spec of each small chart and what a click on it asks the
filter for, pure and written as dicts so the overview never imports Altair (`specs`), and the charts drawn above
the overview's table, a click filtering as the sidebar does (`view`).

May import: dashboard.data, dashboard.filters, dashboard.frames, trialdb
"""

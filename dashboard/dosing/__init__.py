"""The Dosing schedules page's own frames: each regimen with its source and quote, what could not be read and the
units compared (`view`), and the landscape of every IL-2 arm, dose against frequency (`landscape`). Pure pandas and
Vega-Lite specs, no Streamlit.

May import: dashboard.figures, dashboard.theme, trialdb
"""

"""The registry's posted results on the Outcomes page: pure frames from the posted values (`frames`), pure figures
from those frames (`figures`), and the Streamlit view of one trial's results, a module a tab (`view`).

May import: dashboard.data, dashboard.filters, dashboard.ui, dashboard.figures, dashboard.theme, trialdb
"""

"""The overview at a glance (issue 33): each small chart of the selection as HTML bars whose every bar is a link to
the overview filtered to it, pure (`bars`), and the charts drawn above the overview's table (`view`).

May import: dashboard.data, dashboard.filters, dashboard.frames, dashboard.theme, trialdb
"""

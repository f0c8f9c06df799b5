"""The yardstick: a minimal Streamlit page (a title and a line of text), served and measured like the app.
Two pages, so it is measured at the root and at a page path as the app's pages are (Streamlit itself takes
longer to connect on a page path)."""

import streamlit as st


def minimal() -> None:
    st.title("Minimal page")
    st.write("A line of text.")


st.navigation([st.Page(minimal, title="Minimal", url_path="minimal", default=True),
               st.Page(minimal, title="Other", url_path="other")]).run()

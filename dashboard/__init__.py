"""The dashboard's own code: colours, frames and figures (pure, no Streamlit) and the Streamlit glue."""

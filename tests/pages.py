"""The pages app.py registers, read from its source: tests loop over them, so a page added there (by
any issue) is covered by the phone, accessibility and search tests without editing them."""

from __future__ import annotations

import re

from tests.conftest import REPO


def registered_pages() -> list[str]:
    """Script stems in navigation order ("overview", "timeline", ...)."""
    return re.findall(r'st\.Page\(\s*"app_pages/(\w+)\.py"', (REPO / "app.py").read_text())


def url_path(stem: str) -> str:
    """The page's URL path: the default (first) page is the root."""
    return "" if stem == registered_pages()[0] else stem

"""The imports run one way: pages (app.py, app_pages/) over the dashboard over the data package trialdb, with no
cycle between modules, and each subpackage within what its docstring's "May import:" line allows.

The graph is read from the source (every `import` and `from ... import`, at the top of a module or inside a
function, since an import deferred for speed is still a dependency), not from what happens to be loaded."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO

PACKAGES = ("trialdb", "dashboard")
ALLOWED = re.compile(r"^May import:(.*(?:\n(?!\n).*)*)", re.M)  # the line, and lines after it up to a blank one


def modules(root: Path) -> dict[str, Path]:
    """Dotted name -> file, for app.py, app_pages/ and every module of the packages under `root`."""
    found: dict[str, Path] = {}
    files = [root / "app.py", *sorted((root / "app_pages").glob("*.py"))]
    for pkg in PACKAGES:
        files += sorted((root / pkg).rglob("*.py"))
    for path in files:
        if not path.exists():
            continue
        parts = path.relative_to(root).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The dotted names `name` imports: a module of `known` where the import names one (`from trialdb import
    flags` is trialdb.flags), else the module named (`streamlit`, `trialdb` for `from trialdb import SourceError`)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                out.add(full if full in known else module)
    out.discard(name)
    return out


def graph(root: Path) -> dict[str, set[str]]:
    known = modules(root)
    return {name: imports(name, path, known) for name, path in known.items()}


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted: every import cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g[v]:
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(g):
        if v not in index:
            visit(v)
    return found


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def subpackages(root: Path) -> dict[str, list[str]]:
    """Each subpackage of trialdb and dashboard (trialdb.registry, ...) -> what its __init__ docstring's
    "May import:" line allows (dotted prefixes; a missing line is reported by the test)."""
    out: dict[str, list[str]] = {}
    for pkg in PACKAGES:
        for init in sorted((root / pkg).glob("*/__init__.py")):
            name = f"{pkg}.{init.parent.name}"
            doc = ast.get_docstring(ast.parse(init.read_text())) or ""
            found = ALLOWED.search(doc)
            out[name] = re.findall(r"\b(?:trialdb|dashboard)(?:\.\w+)*", found.group(1)) if found else ["<missing>"]
    return out


def violations(root: Path) -> list[str]:
    """Every import that runs the wrong way under `root`, as sentences naming the modules."""
    g = graph(root)
    out = [f"import cycle: {' <-> '.join(c)}" for c in cycles(g)]
    for name, deps in sorted(g.items()):
        for dep in sorted(deps):
            if within(name, "trialdb") and any(within(dep, p) for p in ("dashboard", "streamlit", "app_pages", "app")):
                out.append(f"{name} imports {dep}: the data package never imports the dashboard or Streamlit")
            if within(name, "dashboard") and any(within(dep, p) for p in ("app_pages", "app")):
                out.append(f"{name} imports {dep}: the dashboard never imports a page")
    for sub, allowed in subpackages(root).items():
        if allowed == ["<missing>"]:
            out.append(f"{sub}: its __init__ docstring has no 'May import:' line")
            continue
        for name, deps in sorted(g.items()):
            if not within(name, sub):
                continue
            for dep in sorted(deps):
                top = dep.split(".")[0]
                if top not in PACKAGES or within(dep, sub) or (dep == top and top == sub.split(".")[0]):
                    continue
                if not any(within(dep, a) for a in allowed):
                    out.append(f"{name} imports {dep}, which {sub}'s 'May import:' line does not allow")
    return out


def test_the_imports_run_one_way():
    assert violations(REPO) == []


def test_the_graph_is_read_from_the_source():
    g = graph(REPO)
    # a deferred import counts (the dashboard imports the builder only when a build is due)
    assert "trialdb.build" in g["dashboard.data"]
    assert "trialdb.store.models" in g["trialdb.schema"] and "trialdb.results.models" in g["trialdb.schema"]
    assert {"dashboard.data", "dashboard.filters", "dashboard.ui"} <= g["app_pages.overview"]


def test_no_family_of_modules_side_by_side_at_the_top():
    """A concept with several modules is a subpackage: no `results_*` or `registry_*` modules beside each other (or
    beside a subpackage of that name) at the top of trialdb/ or dashboard/."""
    for pkg in PACKAGES:
        names = [p.stem for p in (REPO / pkg).glob("*.py") if p.stem != "__init__"]
        folders = {p.parent.name for p in (REPO / pkg).glob("*/__init__.py")}
        families = defaultdict(list)
        for n in names:
            families[n.split("_")[0]].append(n)
        crowded = {k: v for k, v in families.items() if len(v) > 1 or (k in folders and v != [k])}
        assert crowded == {}, f"{pkg}/: modules of one concept side by side: {crowded}"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


@pytest.mark.parametrize(("files", "expected"), [
    ({"trialdb/__init__.py": "", "trialdb/a.py": "from trialdb import b\n", "trialdb/b.py": "import trialdb.a\n"},
     "import cycle: trialdb.a <-> trialdb.b"),
    ({"trialdb/__init__.py": "", "trialdb/a.py": "def f():\n    import streamlit\n"},
     "trialdb.a imports streamlit: the data package never imports the dashboard or Streamlit"),
    ({"trialdb/__init__.py": "", "trialdb/a.py": "from dashboard.ui import table\n", "dashboard/__init__.py": "",
      "dashboard/ui.py": ""},
     "trialdb.a imports dashboard.ui: the data package never imports the dashboard or Streamlit"),
    ({"trialdb/__init__.py": "", "trialdb/store/__init__.py": '"""The store.\n\nMay import: trialdb.errors\n"""\n',
      "trialdb/store/db.py": "from trialdb import flags\n", "trialdb/flags.py": "", "trialdb/errors.py": ""},
     "trialdb.store.db imports trialdb.flags, which trialdb.store's 'May import:' line does not allow"),
    ({"trialdb/__init__.py": "", "trialdb/store/__init__.py": '"""The store."""\n'},
     "trialdb.store: its __init__ docstring has no 'May import:' line"),
    ({"trialdb/__init__.py": "", "trialdb/x/__init__.py": "", "trialdb/x/a.py": "from . import b\n",
      "trialdb/x/b.py": "from .a import f\n"},
     "import cycle: trialdb.x.a <-> trialdb.x.b"),
])
def test_each_kind_of_wrong_import_is_found(tmp_path, files, expected):
    found = violations(write(tmp_path, files))
    assert expected in found, found

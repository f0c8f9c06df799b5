"""The registry folder of seed_data/: the record files `sync` writes (one per study, named by its NCT id,
`{"fetchedAt": ..., "study": {...}}`), and changes.json, the history of what each sync found changed and
the last successful sync. Every build reads both, so a rebuild from seed_data/ loses nothing.

SHA256SUMS (the format `sha256sum -c` reads) holds the sha256 of each record file as the sync validated and
wrote it. The build checks every file against it instead of verifying each of its quotes again, and stops
on a file changed since (`registry_documents`); `python -m trialdb check` verifies every quote of the
database and the folder against SHA256SUMS (`changed_files`)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from trialdb.errors import SourceError
from trialdb.registry import changes as ch
from trialdb.registry.client import NCT_ID
from trialdb.registry.importer import read_file
from trialdb.store import models as m
from trialdb.store.db import REGISTRY
from trialdb.store.freshness import META_API, META_AT, META_ID, META_QUERY

CHANGES_FILE = "changes.json"
MANIFEST = "SHA256SUMS"  # sha256 of each record file as the sync wrote it: "<hex>  NCT........json" a line
PORTFOLIO = "portfolio.toml"


def write_atomically(path: Path, content: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def changes_document(session: Session) -> str:
    """changes.json: the last successful sync and every change recorded, from the database."""
    meta = {r.key: r.value for r in session.scalars(select(m.Meta).where(m.Meta.key.in_((META_AT, META_QUERY, META_API, META_ID))))}
    rows = session.scalars(select(m.StudyChange).order_by(m.StudyChange.detected, m.StudyChange.nct_id, m.StudyChange.id))
    return json.dumps({
        "lastSync": {"at": meta.get(META_AT), "query": meta.get(META_QUERY), "api": meta.get(META_API),
                     "id": meta.get(META_ID)},
        "changes": [{"nct_id": r.nct_id, "field": r.field, "old": ch.from_json(r.old), "new": ch.from_json(r.new),
                     "last_update": r.last_update, "detected": r.detected, "sync_id": r.sync_id} for r in rows],
    }, ensure_ascii=False, indent=1) + "\n"


def load_changes_file(session: Session, seed_dir: Path) -> None:
    """A rebuild from seed_data/ gets the change history and the last sync back from changes.json."""
    path = seed_dir / REGISTRY / CHANGES_FILE
    if not path.exists():
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        last, rows = data["lastSync"], data["changes"]
        for i, c in enumerate(rows):
            session.add(m.StudyChange(nct_id=c["nct_id"], field=c["field"], old=ch.to_json(c["old"]),
                                      new=ch.to_json(c["new"]), last_update=c["last_update"], detected=c["detected"],
                                      sync_id=c["sync_id"]))
            if not isinstance(c["nct_id"], str) or not NCT_ID.fullmatch(c["nct_id"]):
                raise SourceError(f"{REGISTRY}/{CHANGES_FILE}", f"changes[{i}].nct_id", c["nct_id"], "not an NCT id")
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"{REGISTRY}/{CHANGES_FILE}", "$", str(exc)[:80], "not a changes file written by sync") from None
    for key, value in ((META_AT, last.get("at")), (META_QUERY, last.get("query")), (META_API, last.get("api")),
                       (META_ID, last.get("id"))):
        if value is not None:
            session.merge(m.Meta(key=key, value=value))


RECORD_NAME = re.compile(r"NCT\d{8}\.json")


def read_manifest(folder: Path, names: re.Pattern[str] = RECORD_NAME) -> dict[str, str]:
    """{file name: sha256 hex} from `folder`'s SHA256SUMS ({} when there is none); every line must be
    "<sha256>  <name>" with a name `names` matches in full (SourceError naming the line otherwise)."""
    path = folder / MANIFEST
    if not path.exists():
        return {}
    out = {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not names.fullmatch(name):
            raise SourceError(f"{folder.name}/{MANIFEST}", f"line {i + 1}", line[:80],
                              f"not a '<sha256>  <file>' line naming a file like {names.pattern!r}")
        out[name] = digest
    return out


def update_manifest(folder: Path, texts: dict[str, str], names: re.Pattern[str] = RECORD_NAME) -> None:
    """Record the sha256 of files just validated and written ({file name: text}); entries of the
    other files are kept as they were (never recomputed from disk, which would bless a hand edit)."""
    sums = read_manifest(folder, names)
    sums.update({name: hashlib.sha256(text.encode("utf-8")).hexdigest() for name, text in texts.items()})
    write_atomically(folder / MANIFEST, "".join(f"{sums[k]}  {k}\n" for k in sorted(sums)))


def changed_files(seed_dir: Path) -> list[tuple[str, str, str]]:
    """(file, "sha256", what) for each record file of seed_data/registry/ whose content is not the one the
    sync wrote (SHA256SUMS), or that it never wrote (no entry): what `check` reports about the folder."""
    return files_changed(seed_dir / REGISTRY, "NCT*.json", RECORD_NAME, "the sync")


def files_changed(folder: Path, glob: str, names: re.Pattern[str], writer: str) -> list[tuple[str, str, str]]:
    """(folder/file, "sha256", what) for each file of `folder` matching `glob` whose sha256 is not the one its
    SHA256SUMS gives, or that has no line there ("not written by `writer`")."""
    if not folder.is_dir():
        return []
    sums = read_manifest(folder, names)
    out = []
    for p in sorted(folder.glob(glob)):
        digest = hashlib.sha256(p.read_bytes()).hexdigest()
        if p.name not in sums:
            out.append((f"{folder.name}/{p.name}", "sha256", f"{digest} is in no line of {MANIFEST}: not written by {writer}"))
        elif sums[p.name] != digest:
            out.append((f"{folder.name}/{p.name}", "sha256",
                        f"{digest} differs from {sums[p.name]} in {MANIFEST}: changed since {writer} wrote it"))
    return out


def registry_documents(seed_dir: Path) -> tuple[list, set[str]]:
    """The record files of seed_data/registry/, read as `import` reads files (names prefixed "registry/"),
    and the names of those whose sha256 is the one SHA256SUMS gives (the sync validated them: the build
    need not verify their quotes again). A file whose sha256 differs stops the build (SourceError)."""
    folder = seed_dir / REGISTRY
    if not folder.is_dir():
        return [], set()
    sums = read_manifest(folder)
    docs, trusted = [], set()
    for p in sorted(folder.glob("NCT*.json")):
        doc, studies = read_file(p, f"{REGISTRY}/")
        if p.name in sums:
            if sums[p.name] != doc.sha256:
                raise SourceError(f"{REGISTRY}/{p.name}", "sha256", doc.sha256,
                                  f"changed since the sync wrote it ({MANIFEST} gives {sums[p.name]}); "
                                  "run `python -m trialdb sync`, never edit a record by hand")
            trusted.add(doc.name)
        docs.append((doc, studies))
    return docs, trusted

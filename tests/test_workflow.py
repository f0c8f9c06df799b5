"""The workflow that can write to the repository (.github/workflows/registry-sync.yml) is held to zizmor,
the GitHub Actions security linter, run offline with its pedantic persona and the policy in
.github/zizmor.yml: no findings. And, read from the workflow's text, what zizmor does not check by itself:
which job may write, and that the schedule and the manual input are still there."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
WORKFLOWS = REPO / ".github" / "workflows"
SYNC = WORKFLOWS / "registry-sync.yml"


def _zizmor_executable() -> str:
    """The zizmor installed beside this Python (requirements-test.txt), else the one on PATH."""
    beside = Path(sys.executable).with_name("zizmor")
    found = str(beside) if beside.is_file() else shutil.which("zizmor")
    if not found:
        pytest.fail("zizmor is not installed: pip install -r requirements-test.txt")
    return found


def _zizmor(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Offline (no GitHub API), pedantic, and failing on a file it cannot parse instead of skipping it."""
    command = [
        _zizmor_executable(),
        "--offline",
        "--persona=pedantic",
        "--strict-collection",
        "--no-progress",
        "--color=never",
        *args,
    ]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False)


def _report(result: subprocess.CompletedProcess[str]) -> str:
    return f"zizmor exited {result.returncode}\n{result.stdout}\n{result.stderr}"


def test_zizmor_is_the_pinned_version():
    pin = re.search(r"^zizmor==(\S+)$", (REPO / "requirements-test.txt").read_text(), re.MULTILINE)
    assert pin, "requirements-test.txt pins no zizmor"
    version = subprocess.run([_zizmor_executable(), "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.split() == ["zizmor", pin.group(1)], version.stdout


def test_zizmor_finds_nothing_in_the_workflows():
    plain = _zizmor("--format", "plain", WORKFLOWS.relative_to(REPO))
    assert plain.returncode == 0, _report(plain)
    findings = _zizmor("--format", "json", WORKFLOWS.relative_to(REPO))
    assert findings.returncode == 0 and json.loads(findings.stdout) == [], _report(plain)


def test_zizmor_would_report_the_old_faults(tmp_path):
    """The same invocation is not blind: on a workflow with the faults registry-sync.yml had (write access
    for every job, actions by a movable tag, checkout keeping the token, an input spliced into a script)
    it reports each of them."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "faulty.yml").write_text(
        "on:\n  workflow_dispatch:\n    inputs:\n      full:\n        type: boolean\n"
        "permissions:\n  contents: write\n"
        "jobs:\n  sync:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: python -m trialdb sync ${{ inputs.full && '--full' || '' }}\n"
    )
    result = _zizmor("--no-config", "--format", "json", workflows)
    assert result.returncode != 0, _report(result)
    found = {finding["ident"] for finding in json.loads(result.stdout)}
    assert {"excessive-permissions", "unpinned-uses", "artipacked", "template-injection"} <= found, _report(result)


def test_a_workflow_that_does_not_parse_fails_the_run(tmp_path):
    """Without --strict-collection zizmor would skip it with a warning and audit the others."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "clean.yml").write_text(
        "name: clean\non: push\npermissions: {}\nconcurrency:\n  group: clean\n  cancel-in-progress: true\n"
        "jobs:\n  a:\n    name: a\n    runs-on: ubuntu-latest\n    steps:\n      - run: 'true'\n"
    )
    assert _zizmor("--no-config", workflows).returncode == 0, _report(_zizmor("--no-config", workflows))
    (workflows / "broken.yml").write_text("on: push\njobs:\n  a:\n    runs-on: [\n")
    result = _zizmor("--no-config", workflows)
    assert result.returncode != 0 and "broken.yml" in result.stdout + result.stderr, _report(result)


def _jobs(text: str) -> dict[str, str]:
    """Each job's block of lines under `jobs:`, by its id (two-space indentation, as written)."""
    body = text.split("\njobs:\n", 1)[1]
    parts = re.split(r"^  ([\w-]+):\n", body, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _permissions(block: str, indent: str) -> dict[str, str]:
    """The `permissions:` mapping written at this indentation in a block (comments dropped)."""
    match = re.search(rf"^{indent}permissions:[ \t]*(\{{\}})?[ \t]*(#.*)?\n((?:{indent}  .*\n)*)", block, re.MULTILINE)
    assert match, f"no permissions at indentation {len(indent)}"
    entries = (line.split("#", 1)[0].strip() for line in match.group(3).splitlines())
    return dict(entry.split(": ", 1) for entry in entries if entry)


def test_only_the_job_that_pushes_may_write():
    text = SYNC.read_text()
    top = _permissions(text, "")
    assert top == {} and re.search(r"^permissions: \{\}", text, re.MULTILINE), "workflow-level permissions not empty"
    jobs = _jobs(text)
    assert set(jobs) == {"sync-files", "sync-shared-database"}
    assert _permissions(jobs["sync-files"], "    ") == {"contents": "write"}
    assert _permissions(jobs["sync-shared-database"], "    ") == {"contents": "read"}
    pushes = [job for job, block in jobs.items() if re.search(r"^\s*git\b.* push$", block, re.MULTILINE)]
    assert pushes == ["sync-files"], pushes
    # No checkout keeps the token in .git/config: only the push step is given it.
    assert text.count("uses: actions/checkout@") == text.count("persist-credentials: false") == 2


def test_the_schedule_the_manual_input_and_the_pins_are_kept():
    text = SYNC.read_text()
    assert 'cron: "17 5 * * 1"' in text  # Mondays 05:17 UTC
    assert re.search(r"workflow_dispatch:\n    inputs:\n      full:\n(?:        .*\n)*?        type: boolean\n", text)
    assert "group: registry-sync" in text and "secrets.TRIALDB_URL" in text
    uses = re.findall(r"uses: (\S+)(.*)", text)
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", ref) for ref, _ in uses), uses
    assert all(re.fullmatch(r"  # v\d+\.\d+\.\d+", comment) for _, comment in uses), uses

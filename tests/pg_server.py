"""A throwaway PostgreSQL server on loopback for the test run: Debian's binaries, a cluster made in
a temporary folder (C collation, trust auth on 127.0.0.1 only), stopped and removed afterwards.

    python -m tests.pg_server -- COMMAND...   # runs COMMAND with TRIALDB_TEST_URL pointing at it
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

from tests.browser_support import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"PostgreSQL's {name} not found: install Debian's postgresql (scripts/test.sh does)")
    return found[-1]


def _as_postgres(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    # PostgreSQL refuses to run as root: run its programs as the postgres user Debian's package makes.
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        kw["preexec_fn"] = lambda: (os.setgid(user.pw_gid), os.setuid(user.pw_uid))
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1 :] if "--" in argv else argv
    folder = tempfile.mkdtemp(prefix="il2-pg-")
    data = os.path.join(folder, "data")
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(folder, user.pw_uid, user.pw_gid)
    port = free_port()
    _as_postgres([_bin("initdb"), "-D", data, "--locale=C", "--encoding=UTF8", "-A", "trust", "-U", "postgres"])
    _as_postgres([_bin("pg_ctl"), "-D", data, "-l", os.path.join(folder, "log"), "-w", "-t", "60", "start",
                  "-o", f"-h 127.0.0.1 -p {port} -k {folder} -F"])
    try:
        _as_postgres([_bin("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "trials"])
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/trials"
        print(f"PostgreSQL {os.path.basename(os.path.dirname(os.path.dirname(_bin('initdb'))))} on 127.0.0.1:{port}",
              flush=True)
        t0 = time.monotonic()
        rc = subprocess.call(cmd, env={**os.environ, "TRIALDB_TEST_URL": url})
        print(f"(run against PostgreSQL took {time.monotonic() - t0:.0f} s)", flush=True)
        return rc
    finally:
        _as_postgres([_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"])
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

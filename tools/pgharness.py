#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL server.

    python tools/pgharness.py -- pytest -n 2

Starts a private server from the machine's PostgreSQL binaries in a temporary
directory on a free loopback port, exports DATABASE_URL for the command, and
removes everything afterwards. PostgreSQL refuses to run as root, so under
root the server runs as the ``postgres`` user (runuser). fsync is off: the data
is thrown away.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def find_bindir() -> str | None:
    env = os.environ.get("SIFA_PG_BINDIR")
    if env and os.path.exists(os.path.join(env, "initdb")):
        return env
    for pattern in ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/usr/pgsql-*/bin"):
        for d in sorted(glob.glob(pattern), reverse=True):
            if os.path.exists(os.path.join(d, "initdb")):
                return d
    found = shutil.which("initdb")
    return os.path.dirname(found) if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str]) -> int:
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print("usage: pgharness.py -- command ...", file=sys.stderr)
        return 2
    bindir = find_bindir()
    if bindir is None:
        print("未找到 PostgreSQL 服务器程序（initdb）。请安装：apt-get install postgresql", file=sys.stderr)
        return 3
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    tmp = tempfile.mkdtemp(prefix="sifa-pg-")
    data, sock = os.path.join(tmp, "data"), os.path.join(tmp, "sock")
    os.makedirs(sock)
    if as_root:
        shutil.chown(tmp, "postgres")
        shutil.chown(sock, "postgres")
    port = free_port()
    log = os.path.join(tmp, "server.log")
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8")
    try:
        subprocess.run(
            prefix + [f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        subprocess.run(
            prefix + [f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", log, "-w", "-t", "60", "start"], check=True, stdout=subprocess.DEVNULL, env=env
        )
        child_env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        start = time.monotonic()
        rc = subprocess.call(argv, env=child_env)
        print(f"[pgharness] PostgreSQL on port {port}; command finished in {time.monotonic() - start:.0f}s with exit code {rc}", file=sys.stderr)
        return rc
    except subprocess.CalledProcessError as exc:
        print(f"[pgharness] could not start PostgreSQL: {exc}", file=sys.stderr)
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as fh:
                print(fh.read()[-2000:], file=sys.stderr)
        return 4
    finally:
        subprocess.run(
            prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
        )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

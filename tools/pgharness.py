#!/usr/bin/env python3
"""Run a command against a throwaway PostgreSQL server.

    python tools/pgharness.py -- pytest -n 2

Starts a private server from the machine's PostgreSQL binaries in a temporary
directory on a free loopback port, exports DATABASE_URL for the command, and
removes everything afterwards. PostgreSQL refuses to run as root, so under
root the server runs as the ``postgres`` user (runuser). fsync is off: the data
is thrown away.

It also starts a streaming hot-standby replica of that server (pg_basebackup -R
through a replication slot, on a second port) and exports its URL as
SIFA_TEST_REPLICA_URL for the read-replica tests (sifa/common/tests/test_replica.py).
Never as DATABASE_REPLICA_URL: the rest of the suite runs on the primary only.
A fresh cluster copies in about a second; SIFA_PG_REPLICA=0 skips it, and a
replica that does not start is a warning, not a failure.
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


def start_replica(bindir: str, prefix: list[str], tmp: str, primary_port: int, common: str, env: dict) -> tuple[str, int] | None:
    """A hot standby streaming from the primary on ``primary_port``: its data
    directory and port, or None (with a warning) when it could not start."""
    data = os.path.join(tmp, "replica")
    sock = os.path.join(tmp, "replica-sock")
    log = os.path.join(tmp, "replica.log")
    os.makedirs(sock)
    if prefix:
        shutil.chown(sock, "postgres")
    port = free_port()
    try:
        # -C -S: a replication slot keeps the WAL the replica still needs, however far a
        # burst of test writes (fsync off, frequent checkpoints) runs ahead of it.
        # -R writes primary_conninfo and standby.signal. --checkpoint=fast: no waiting.
        subprocess.run(
            prefix
            + [f"{bindir}/pg_basebackup", "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres", "-D", data]
            + ["-X", "stream", "-C", "-S", "sifa_test_replica", "-R", "--checkpoint=fast", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
        opts = f"-p {port} -k {sock} {common} -c hot_standby=on"
        subprocess.run(
            prefix + [f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", log, "-w", "-t", "60", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        print(f"[pgharness] warning: read replica not started, its tests will be skipped: {exc} {detail.decode(errors='replace')[-500:]}", file=sys.stderr)
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(
                prefix + [f"{bindir}/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
            )
        return None
    return data, port


def run_command(argv: list[str], env: dict) -> int:
    """The command's exit code. On Ctrl-C the command got the same SIGINT: give it a
    minute to clean up (its servers, files, databases) while PostgreSQL still runs,
    instead of subprocess.call's immediate SIGKILL; a second Ctrl-C kills it."""
    with subprocess.Popen(argv, env=env) as child:
        try:
            return child.wait()
        except KeyboardInterrupt:
            try:
                child.wait(timeout=60)
            except (subprocess.TimeoutExpired, KeyboardInterrupt):
                child.kill()
                child.wait()
            raise


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
    replica_data, replica_port = None, None
    try:
        subprocess.run(
            prefix + [f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
        )
        # wal_level replica and a few WAL senders: the replica below streams from it. initdb's
        # pg_hba.conf already lets local replication connections in (trust, like the rest).
        common = "-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=200"
        opts = f"-p {port} -k {sock} {common} -c full_page_writes=off -c wal_level=replica -c max_wal_senders=4 -c max_replication_slots=4"
        subprocess.run(
            prefix + [f"{bindir}/pg_ctl", "-D", data, "-o", opts, "-l", log, "-w", "-t", "60", "start"], check=True, stdout=subprocess.DEVNULL, env=env
        )
        child_env = dict(os.environ, DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/postgres")
        child_env.pop("SIFA_TEST_REPLICA_URL", None)
        if os.environ.get("SIFA_PG_REPLICA", "1") != "0":
            replica = start_replica(bindir, prefix, tmp, port, common, env)
            if replica is not None:
                replica_data, replica_port = replica
                child_env["SIFA_TEST_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{replica_port}/postgres"
        start = time.monotonic()
        rc = run_command(argv, child_env)
        where = f"{port} (replica on {replica_port})" if replica_data else f"{port}"
        print(f"[pgharness] PostgreSQL on port {where}; command finished in {time.monotonic() - start:.0f}s with exit code {rc}", file=sys.stderr)
        return rc
    except subprocess.CalledProcessError as exc:
        print(f"[pgharness] could not start PostgreSQL: {exc}", file=sys.stderr)
        if os.path.exists(log):
            with open(log, encoding="utf-8", errors="replace") as fh:
                print(fh.read()[-2000:], file=sys.stderr)
        return 4
    finally:
        for d in (replica_data, data):
            if d:
                subprocess.run(
                    prefix + [f"{bindir}/pg_ctl", "-D", d, "-m", "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
                )
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

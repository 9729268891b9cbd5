"""`python -m benchmarks.ab A B`: goal measures of two commits, taken in turns.

On a shared or virtual machine the same code measures up to a quarter apart from one
run to the next (docs/scale.md), as wide as the change being judged. So the two
commits are measured in turns (A, B, A, B …), each round in a new process with its own
throwaway PostgreSQL (``tools/pgharness.py``), and the change is read as the ratio of
the medians. Each commit is checked out as a git worktree in a temporary directory and
run with this tree's Python; the side that measures is this file, run with the
worktree as its working directory (so an older commit needs only ``benchmarks.run``
and ``benchmarks.goals``, not this file).

    python -m benchmarks.ab HEAD~1 HEAD                      # case creation through the API
    python -m benchmarks.ab main HEAD --measure case_list --rounds 5 --cases 20000

Writes ``benchmarks/results/ab-<name>.json``."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("api_create", "case_list", "api_list")


def side(measure: str, cases: int, times: int) -> dict:
    """In a worktree (the working directory): load, warm up, take ``measure`` ``times``
    times (p50 of each), print them as one JSON line."""
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    from benchmarks import goals
    from benchmarks import run as R
    from benchmarks.data import Loader

    _city, bureaus, places, users, pools = R.setup()
    Loader(places, pools).load(cases)
    office = users["office"]
    if measure == "api_create":
        from sifa.orgs.models import Org

        committee = Org.objects.filter(kind="committee", parent_id=office.org_id).order_by("id").first()
        take = lambda n: goals.api_create(office, committee.pk, n)  # noqa: E731
    else:
        client = goals.signed_in(office)
        url = "/cases/" if measure == "case_list" else "/api/v1/cases/"
        take = lambda n: goals.repeated(client, url, n)  # noqa: E731
    take(20)  # warm: the first generation of caches, the server's statements planned
    return {"p50_ms": [take(60)["p50_ms"] for _ in range(times)]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="two commits' goal measures, taken in turns")
    ap.add_argument("a", nargs="?", help="the commit before (any git revision)")
    ap.add_argument("b", nargs="?", help="the commit after")
    ap.add_argument("--measure", choices=MEASURES, default="api_create")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--times", type=int, default=3, help="p50s of 60 requests taken per round and side")
    ap.add_argument("--name", default="", help="results file name (results/ab-<name>.json)")
    ap.add_argument("--note", default="")
    ap.add_argument("--side", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.side:
        print("AB " + json.dumps(side(args.measure, args.cases, args.times)), flush=True)
        return 0
    if not (args.a and args.b):
        ap.error("two commits are needed")

    def rev(r: str) -> str:
        return subprocess.run(["git", "rev-parse", "--short", r], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()

    revs = {"a": rev(args.a), "b": rev(args.b)}
    out = {"a": [], "b": []}
    with tempfile.TemporaryDirectory(prefix="sifa-ab-") as tmp:
        trees = {k: Path(tmp) / k for k in revs}
        for k, tree in trees.items():
            subprocess.run(["git", "worktree", "add", "--detach", "-f", str(tree), revs[k]], cwd=ROOT, capture_output=True, check=True)
        try:
            for n in range(args.rounds):
                for k in ("a", "b"):
                    cmd = [sys.executable, "tools/pgharness.py", "--", sys.executable, str(Path(__file__).resolve()), "--side"]
                    cmd += ["--measure", args.measure, "--cases", str(args.cases), "--times", str(args.times)]
                    env = dict(os.environ, SIFA_PG_REPLICA="0")  # no replica replaying the load on the same cores
                    run = subprocess.run(cmd, cwd=trees[k], env=env, capture_output=True, text=True, timeout=1800, check=False)
                    line = next((x for x in run.stdout.splitlines() if x.startswith("AB ")), None)
                    if line is None:
                        print(run.stdout[-2000:], run.stderr[-2000:], file=sys.stderr)
                        return 1
                    out[k] += json.loads(line[3:])["p50_ms"]
                    print(f"round {n + 1} {k} ({revs[k]}): {out[k][-args.times :]}", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True, check=False)
    med = {k: statistics.median(v) for k, v in out.items()}
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "measure": args.measure,
        "cases": args.cases,
        "note": args.note,
        "a": {"rev": revs["a"], "p50_ms": out["a"], "median_ms": med["a"]},
        "b": {"rev": revs["b"], "p50_ms": out["b"], "median_ms": med["b"]},
        "b_over_a": round(med["b"] / med["a"], 2),
        "load_average": os.getloadavg()[0],
    }
    print(f"{args.measure}: {revs['a']} {med['a']:.1f} ms, {revs['b']} {med['b']:.1f} ms (median p50), ratio {result['b_over_a']}")
    path = ROOT / "benchmarks" / "results" / f"ab-{args.name or datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

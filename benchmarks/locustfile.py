"""The mixed load of benchmarks/load.py (locust, headless): scoped users
working the case list, case pages, creating a mediation dispute through the
API and taking its first step, and leaders opening the dashboard.

The users are signed in beforehand by load.py (second factor passed); the
sessions, API tokens, case ids and URLs come from the JSON file named by
SIFA_BENCH_LOAD_CONFIG. No think time: each simulated user sends its next
request when the previous answer arrives, so the figures are the server's
capacity at that concurrency, not a model of human pacing."""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from pathlib import Path

from locust import HttpUser, constant, task

CONFIG = json.loads(Path(os.environ["SIFA_BENCH_LOAD_CONFIG"]).read_text(encoding="utf-8"))
# nginx in front of gunicorn says the request came over HTTPS (production settings redirect otherwise).
PROXY = {"X-Forwarded-Proto": "https"}
_office_seq, _leader_seq = itertools.count(), itertools.count()


def _signed_in(user: HttpUser, who: dict) -> None:
    # The cookie as a header: the session cookie is Secure and the loopback has no TLS.
    user.client.headers.update(PROXY | {"Cookie": f"{CONFIG['session_cookie']}={who['session']}"})
    user.who = who


def _get(user: HttpUser, url: str, name: str) -> None:
    # No redirects followed: a lost session (a redirect to the login page) is a failure, not a fast 200.
    with user.client.get(url, name=name, allow_redirects=False, catch_response=True) as resp:
        if resp.status_code != 200:
            resp.failure(f"{resp.status_code} {resp.headers.get('Location', '')}")


class OfficeWorker(HttpUser):
    """An office user (司法所): their list, their cases, a new dispute and its acceptance."""

    weight = 4
    wait_time = constant(0)

    def on_start(self):
        _signed_in(self, CONFIG["office"][next(_office_seq) % len(CONFIG["office"])])
        self.created: list[int] = []

    @task(5)
    def case_list(self):
        _get(self, "/cases/", "list")

    @task(3)
    def case_detail(self):
        _get(self, f"/cases/{random.choice(self.who['cases'])}/", "detail")

    @task(1)
    def create(self):
        tag = uuid.uuid4().hex[:8]
        body = {
            "owner_org": self.who["committee"],
            "source": "application",
            "dispute_type": "02",
            "summary": "楼上漏水，双方就维修和赔偿发生争执。",
            "parties": [{"role": "applicant", "name": f"申请人{tag}"}, {"role": "respondent", "name": f"被申请人{tag}"}],
            "confirm_duplicate": True,
        }
        headers = {"Authorization": f"Token {self.who['token']}"}
        with self.client.post(CONFIG["create_url"], json=body, headers=headers, name="create", catch_response=True) as resp:
            if resp.status_code == 201:
                self.created.append(resp.json()["id"])
            else:
                resp.failure(f"{resp.status_code}: {resp.text[:200]}")

    @task(1)
    def step(self):
        if not self.created:
            return self.create()
        url = CONFIG["step_url"].replace("/0/", f"/{self.created.pop()}/")
        headers = {"Authorization": f"Token {self.who['token']}"}
        with self.client.post(url, json={"data": {}}, headers=headers, name="step", catch_response=True) as resp:
            if resp.status_code != 200:
                resp.failure(f"{resp.status_code}: {resp.text[:200]}")


class Leader(HttpUser):
    """A bureau leader (局领导): the dashboard of the year, the bureau's list and cases."""

    weight = 1
    wait_time = constant(0)

    def on_start(self):
        _signed_in(self, CONFIG["leaders"][next(_leader_seq) % len(CONFIG["leaders"])])

    @task(1)
    def dashboard(self):
        _get(self, CONFIG["dashboard_url"], "dashboard")

    @task(2)
    def case_list(self):
        _get(self, "/cases/", "list")

    @task(2)
    def case_detail(self):
        _get(self, f"/cases/{random.choice(self.who['cases'])}/", "detail")

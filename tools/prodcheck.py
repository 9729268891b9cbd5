#!/usr/bin/env python3
"""`make prod-check`: the production stack on this machine, checked end to end.

    python tools/pgharness.py -- .venv/bin/python tools/prodcheck.py

Runs config.settings.prod exactly as deploy/ does (gunicorn with
deploy/gunicorn.conf.py and several workers, the background worker
``manage.py worker``) against the PostgreSQL server in DATABASE_URL (a
throwaway one from pgharness): two logins as in the runbook (the owner
migrates, the application login serves), collectstatic into a temporary
directory, ``check --deploy`` with every warning an error. Then a journey over
HTTP on loopback, as a browser behind nginx would make it
(``X-Forwarded-Proto: https``): first sign-in with a TOTP authenticator and the
forced password change, sign-in again with a code, register a dispute, take a
workflow step, import an Excel ledger through the worker, export it, generate
the annual report's data part; security headers, secure cookies, DEBUG off and
the hashed static files on the way; finally ``audit_checkpoint`` and
``audit_verify``. Any failure exits non-zero; every process it started is
stopped and every file, database and login it made is removed, also on
failure, Ctrl-C or a timeout.

The HTTP client and its helpers (forms, cookies, multipart, TOTP) are in
tools/prodcheck_http.py: the standard library only, tested in
sifa/common/tests/test_prodcheck.py.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from prodcheck_http import LOGOUT, CheckFailed, Client, Response, encode_multipart, expect, find_form, totp

ROOT = Path(__file__).resolve().parent.parent
TOTAL_SECONDS = int(os.environ.get("SIFA_PRODCHECK_TIMEOUT") or 600)
JOB_SECONDS = 120  # one background job (import, export, report), queued to done
IMPORT_ROWS = 30


# --- processes and steps ---------------------------------------------------------------------------


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when this script dies, even by SIGKILL, so
    that no gunicorn or worker outlives a killed prod-check (Linux; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Run:
    """One prod-check: the temporary directory, the environment, the processes."""

    def __init__(self):
        self.started = time.monotonic()
        self.tmp = Path(tempfile.mkdtemp(prefix="sifa-prodcheck-"))
        self.procs: list[tuple[str, subprocess.Popen, Path]] = []
        self.python = sys.executable
        self.step_no = 0

    def say(self, zh: str, en: str) -> None:
        self.step_no += 1
        print(f"[{time.monotonic() - self.started:5.1f}s] {self.step_no:2d}. {zh} / {en}", flush=True)

    def manage(self, env: dict, *args: str, timeout: int = 300) -> str:
        proc = subprocess.run([self.python, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0:
            raise CheckFailed(f"manage.py {' '.join(args)} 失败 / failed (exit {proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
        return proc.stdout + proc.stderr

    def spawn(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = self.tmp / f"{name}.log"
        # Its own session: Ctrl-C reaches this script only, which stops the process
        # in order (graceful first) instead of leaving it half-killed.
        with open(log, "wb") as fh:
            proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_die_with_parent)
        self.procs.append((name, proc, log))
        return proc

    def finish(self, proc: subprocess.Popen, timeout: float) -> None:
        """Wait for a process started by spawn() that is meant to end, and require success."""
        name, _proc, log = next(p for p in self.procs if p[1] is proc)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise CheckFailed(f"{name} 超时 / timed out") from None
        self.procs = [p for p in self.procs if p[1] is not proc]
        if rc != 0:
            raise CheckFailed(f"{name} 失败 / failed (exit {rc}):\n{log.read_text(errors='replace')[-3000:]}")

    def check_alive(self) -> None:
        for name, proc, log in self.procs:
            if proc.poll() is not None:
                raise CheckFailed(f"{name} 已退出 / exited (exit {proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        for _name, proc, _log in reversed(self.procs):
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _name, proc, _log in reversed(self.procs):
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()

    def logs_tail(self) -> str:
        return "".join(f"\n--- {name} log (tail) ---\n{log.read_text(errors='replace')[-2500:]}" for name, _p, log in self.procs if log.exists())


class Database:
    """A database and two logins on the server of DATABASE_URL, as the runbook sets
    them up: the owner migrates, the application login owns nothing."""

    def __init__(self, admin_url: str):
        import psycopg  # the project's own driver, in the virtualenv

        self.psycopg = psycopg
        self.admin_url = admin_url
        tag = secrets.token_hex(4)
        self.name, self.owner, self.app = f"sifa_prodcheck_{tag}", f"sifa_owner_{tag}", f"sifa_app_{tag}"
        self.passwords = {self.owner: secrets.token_urlsafe(16), self.app: secrets.token_urlsafe(16)}
        self.created = False

    def _admin(self, *statements: str) -> None:
        with self.psycopg.connect(self.admin_url, autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)

    def create(self) -> None:
        self.created = True
        self._admin(
            f"CREATE ROLE {self.owner} LOGIN PASSWORD '{self.passwords[self.owner]}'",
            f"CREATE ROLE {self.app} LOGIN PASSWORD '{self.passwords[self.app]}'",
            f"CREATE DATABASE {self.name} OWNER {self.owner}",
        )

    def url(self, login: str) -> str:
        parts = urllib.parse.urlsplit(self.admin_url)
        netloc = f"{login}:{self.passwords[login]}@{parts.hostname}:{parts.port or 5432}"
        return urllib.parse.urlunsplit((parts.scheme, netloc, f"/{self.name}", "", ""))

    def drop(self) -> None:
        if self.created:
            self._admin(
                f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)",
                f"DROP ROLE IF EXISTS {self.app}",
                f"DROP ROLE IF EXISTS {self.owner}",
            )


def prod_environment(run: Run, db_url: str, port: int) -> dict:
    key = lambda: base64.b64encode(os.urandom(32)).decode()  # noqa: E731
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SIFA_", "DJANGO_"))}
    return env | {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "DATABASE_URL": db_url,
        "SIFA_SECRET_KEY": secrets.token_urlsafe(50),
        "SIFA_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SIFA_PUBLIC_URL": "https://127.0.0.1",
        "SIFA_TRUST_X_FORWARDED_FOR": "1",
        "SIFA_CONN_MAX_AGE": "600",
        "SIFA_FIELD_KEY": key(),
        "SIFA_HASH_KEY": key(),
        "SIFA_AUDIT_KEY": key(),
        "SIFA_VAR_DIR": str(run.tmp / "var"),
        "SIFA_AUDIT_CHECKPOINT_FILE": str(run.tmp / "var" / "audit" / "checkpoints.jsonl"),
        "SIFA_WEB_BIND": f"127.0.0.1:{port}",
        "SIFA_WEB_WORKERS": "2",
        "SIFA_WEB_THREADS": "2",
        "SIFA_WEB_LOGLEVEL": "warning",
        "PYTHONUNBUFFERED": "1",
        "MPLCONFIGDIR": str(run.tmp / "matplotlib"),
    }


def static_environment(run: Run, env: dict) -> dict:
    """collectstatic's environment: as a production install from requirements.txt.
    WhiteNoise compresses with brotli too whenever the module can be imported, at its
    slowest setting (about 25 s per MB of JavaScript on a busy 2-core machine, minutes
    for the API docs' bundles). requirements.txt does not install it, but a development
    virtualenv may hold it as another tool's dependency (locust's HTTP client); then it
    is hidden from this one command, so the check builds what production builds."""
    if "brotli" in (ROOT / "requirements.txt").read_text(encoding="utf-8").lower():
        return env
    shim = run.tmp / "no-brotli"
    shim.mkdir(exist_ok=True)
    (shim / "brotli.py").write_text('raise ImportError("not installed in production (requirements.txt)")\n', encoding="utf-8")
    return env | {"PYTHONPATH": os.pathsep.join(p for p in (str(shim), env.get("PYTHONPATH", "")) if p)}


# --- the set-up an operator does on the server (run as `prodcheck.py --setup`) ---------------------


def setup_accounts() -> None:
    """What the installation needs before anyone signs in, made through the
    services as the system administrator and the operator would: a bureau, an
    office, a mediation committee, an office clerk with a temporary password, and
    the second factor required of office staff (so that this clerk signs in with
    TOTP). Prints them as JSON."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from sifa.accounts.services import create_user, set_role_settings
    from sifa.mediation.choices import COMMITTEE
    from sifa.orgs.services import create_org

    bureau = create_org(actor=None, name="验收区司法局", short_name="验司", kind="bureau", region_code="359901", parent=None)
    office = create_org(actor=None, name="验收司法所", short_name="验收所", kind="office", region_code="359901", parent=bureau)
    committee = create_org(actor=None, name="验收街道人民调解委员会", short_name="验收调委会", kind=COMMITTEE, region_code="359901", parent=office)
    password = "Tmp-" + secrets.token_urlsafe(12) + "9a"
    user = create_user(None, username="yanshou", full_name="验收员", org=office, password=password)
    call_command("set_role", user.username, "office", reason="生产验收（make prod-check）", stdout=io.StringIO())
    set_role_settings(None, {"office": True})
    print(json.dumps({"username": user.username, "password": password, "office": office.pk, "committee": committee.pk, "committee_name": committee.name}))


# --- the journey -----------------------------------------------------------------------------------


def wait_job(client: Client, status_path: str, want: tuple[str, ...], run: Run) -> str:
    """Poll a job's status fragment until its status is one of ``want`` (or final)."""
    deadline = time.monotonic() + JOB_SECONDS
    status = ""
    while time.monotonic() < deadline:
        run.check_alive()
        page = client.get(status_path)
        expect(page.status == 200, "任务状态页无法打开", "job status page failed", page)
        marker = page.text.split('data-job-status="', 1)
        status = marker[1].split('"', 1)[0] if len(marker) == 2 else ""
        if status in want or status in ("invalid", "failed"):
            return status
        time.sleep(0.5)
    raise CheckFailed(f"后台任务 {JOB_SECONDS} 秒内未完成（状态 {status}）/ background job not finished in {JOB_SECONDS}s (status {status})")


def check_headers(resp: Response) -> None:
    h = resp.headers
    hsts = h.get("Strict-Transport-Security", "")
    expect("max-age=31536000" in hsts and "includeSubDomains" in hsts, f"缺少 HSTS 头（{hsts!r}）", "HSTS header missing", resp)
    expect(h.get("X-Content-Type-Options") == "nosniff", "缺少 nosniff 头", "X-Content-Type-Options missing", resp)
    expect(h.get("X-Frame-Options") == "DENY", "缺少 X-Frame-Options: DENY", "X-Frame-Options missing", resp)
    csp = h.get("Content-Security-Policy", "")
    expect("default-src 'self'" in csp and "frame-ancestors 'none'" in csp, "缺少内容安全策略（CSP）", "Content-Security-Policy missing", resp)
    expect(h.get("Referrer-Policy") == "same-origin", "缺少 Referrer-Policy", "Referrer-Policy missing", resp)


def ledger_file(template: bytes, committee: str, tag: str, today: date) -> bytes:
    """IMPORT_ROWS new disputes, in the columns of the downloaded template."""
    from openpyxl import Workbook, load_workbook

    headers = [c.value for c in next(load_workbook(io.BytesIO(template), read_only=True).worksheets[0].iter_rows(max_row=1))]
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for i in range(IMPORT_ROWS):
        row = {
            "纠纷名称": f"导入{tag}-{i}号邻里纠纷",
            "登记日期": (today - timedelta(days=1 + i % 20)).isoformat(),
            "调解组织": committee,
            "案件来源": "当事人申请",
            "纠纷类型": "邻里纠纷",
            "申请人姓名": f"导入申请人{tag}{i}",
            "申请人联系电话": f"139{i:08d}",
            "被申请人姓名": f"导入被申请人{tag}{i}",
            "纠纷简要情况": "楼上漏水，双方就维修和赔偿发生争执。",
        }
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def journey(run: Run, client: Client, info: dict) -> None:
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the app's TIME_ZONE, whatever the machine's
    tag = secrets.token_hex(3)

    run.say("HTTP 自动跳转 HTTPS；DEBUG 关闭", "HTTP redirects to HTTPS; DEBUG is off")
    plain = client.get("/accounts/login/", https=False)
    expect(plain.status == 301 and plain.headers.get("Location", "").startswith("https://"), "未从 HTTP 跳转到 HTTPS", "no redirect to HTTPS", plain)
    missing = client.get(f"/no-such-page-{tag}/")
    debug_page = "Traceback" in missing.text or "DEBUG = True" in missing.text
    expect(missing.status == 404 and not debug_page, "404 页显示了调试信息", "debug page shown", missing)

    run.say("安全响应头与 Cookie 标志", "security headers and cookie flags")
    login = client.get("/accounts/login/")
    expect(login.status == 200, "登录页无法打开", "login page failed", login)
    check_headers(login)
    expect({"secure"} <= client.flags.get("csrftoken", set()), "CSRF Cookie 未设置 Secure", "CSRF cookie not Secure")

    run.say("静态文件（WhiteNoise，带哈希的清单文件名）", "static files (WhiteNoise, hashed manifest names)")
    hrefs = [p.split('"', 1)[0] for p in login.text.split('href="/static/')[1:] + login.text.split('src="/static/')[1:]]
    expect(bool(hrefs), "登录页未引用静态文件", "login page references no static file")
    for href in hrefs[:4]:
        stem = href.rsplit("/", 1)[-1].split(".")
        expect(len(stem) >= 3 and len(stem[-2]) == 12, f"静态文件名未带哈希：{href}", "static name not hashed")
        asset = client.get("/static/" + href)
        expect(asset.status == 200 and len(asset.body) > 0, f"静态文件无法下载：{href}", "static file not served", asset)
        expect("immutable" in asset.headers.get("Cache-Control", ""), f"静态文件缓存头不对：{href}", "static file not cached forever", asset)
        if href.endswith((".css", ".js")):
            packed = client.get("/static/" + href, extra={"Accept-Encoding": "gzip"})
            expect(packed.headers.get("Content-Encoding") == "gzip", f"静态文件未压缩：{href}", "static file not served compressed", packed)

    run.say("首次登录：绑定验证器（TOTP）、修改临时密码", "first sign-in: enrol TOTP, change the temporary password")
    resp = client.submit(login, "username", username=info["username"], password=info["password"])
    expect(resp.status == 302, "登录失败", "sign-in failed", resp)
    resp = client.get(resp.location)
    expect(resp.status == 302 and "/accounts/otp/setup/" in resp.location, "登录后未要求绑定验证器", "no TOTP enrolment after sign-in", resp)
    expect({"secure", "httponly"} <= client.flags.get("sessionid", set()), "会话 Cookie 未设置 Secure/HttpOnly", "session cookie not Secure/HttpOnly")
    setup = client.get(resp.location)
    secret = setup.text.split('<code class="sf-code">', 1)[-1].split("<", 1)[0].strip()
    expect(setup.status == 200 and secret.isalnum() and len(secret) >= 16, "绑定页未显示验证器密钥", "no authenticator secret shown", setup)
    resp = client.submit(setup, "token", token=totp(secret))
    expect(resp.status == 302, "验证码未通过（绑定）", "TOTP code refused at enrolment", resp)
    resp = client.get(resp.location)
    expect(resp.status == 302 and "/accounts/password/" in resp.location, "临时密码未要求修改", "temporary password not forced to change", resp)
    new_password = "Prod-" + secrets.token_urlsafe(12) + "7b"
    page = client.get(resp.location)
    resp = client.submit(page, "new_password1", old_password=info["password"], new_password1=new_password, new_password2=new_password)
    expect(resp.status == 302, "修改密码失败", "password change failed", resp)

    run.say("退出后再次登录（密码 + 动态验证码）", "sign out, sign in again (password + TOTP code)")
    home = client.get("/cases/home/")
    expect(home.status == 200, "首页无法打开", "home page failed", home)
    resp = client.submit(home, "csrfmiddlewaretoken", LOGOUT)  # the top bar's 退出登录
    expect(resp.status == 302 and "sessionid" not in client.cookies, "退出登录失败", "sign-out failed", resp)
    login = client.get("/accounts/login/")
    resp = client.submit(login, "username", username=info["username"], password=new_password)
    expect(resp.status == 302, "再次登录失败", "second sign-in failed", resp)
    resp = client.get(resp.location)
    expect(resp.status == 302 and "/accounts/otp/verify/" in resp.location, "再次登录未要求动态验证码", "no TOTP code asked at sign-in", resp)
    page = client.get(resp.location)
    # The enrolment used this 30-s step's code; django-otp refuses a replay, and
    # accepts the next step's (tolerance 1), as a phone a few seconds ahead would show.
    resp = client.submit(page, "token", token=totp(secret, time.time() + 30))
    expect(resp.status == 302, "动态验证码未通过", "TOTP code refused at sign-in", resp)
    expect(client.get("/cases/").status == 200, "案件列表无法打开", "case list failed")

    run.say("登记纠纷（人民调解）", "register a dispute (mediation)")
    page = client.get("/mediation/new/")
    expect(page.status == 200, "登记页无法打开", "registration page failed", page)
    title_person = f"验收{tag}"
    parties = {"party-TOTAL_FORMS": "2", "party-INITIAL_FORMS": "0"}
    for i, (role, name, phone) in enumerate([("applicant", f"{title_person}甲", "13800000001"), ("respondent", f"{title_person}乙", "")]):
        parties |= {f"party-{i}-role": role, f"party-{i}-kind": "natural", f"party-{i}-name": name, f"party-{i}-phone": phone}
    resp = client.submit(
        page,
        "owner_org",
        owner_org=str(info["committee"]),
        source="application",
        dispute_type="0102",
        place="验收社区",
        opened_on=today.isoformat(),
        summary="双方就赡养费分担发生争执（生产验收）。",
        **parties,
    )
    expect(resp.status == 302 and resp.location.startswith("/cases/"), "纠纷登记失败：" + _errors(resp), "registration failed", resp)
    case_path = resp.location.split("?", 1)[0]
    detail = client.get(case_path)
    expect(detail.status == 200 and title_person in detail.text, "案件页未显示新登记的纠纷", "case page does not show the dispute", detail)

    run.say("办理一步：受理", "take a workflow step: accept")
    page = client.get(case_path + "do/accept/")
    expect(page.status == 200, "受理页无法打开", "step page failed", page)
    resp = client.submit(page, "version")
    expect(resp.status == 302, "受理失败：" + _errors(resp), "step failed", resp)
    detail = client.get(case_path + "?tab=timeline")
    expect("已受理" in detail.text, "案件状态未变为“已受理”", "status is not accepted", detail)

    run.say(f"台账导入：下载模板，上传 {IMPORT_ROWS} 行，后台校验并写入", f"ledger import: template, {IMPORT_ROWS} rows, validated and committed by the worker")
    template = client.get("/ledgers/template/mediation.xlsx")
    expect(template.status == 200 and template.body[:2] == b"PK", "导入模板无法下载", "template download failed", template)
    page = client.get("/ledgers/import/?case_type=mediation")
    form = find_form(page.text, "file")
    upload = ledger_file(template.body, info["committee_name"], tag, today)
    body, ctype = encode_multipart(form.values(case_type="mediation"), {"file": ("验收台账.xlsx", upload, "application/octet-stream")})
    resp = client.request("POST", "/ledgers/import/", body, ctype)
    expect(resp.status == 302 and "/ledgers/import/" in resp.location, "上传台账失败：" + _errors(resp), "upload failed", resp)
    job_path = resp.location.split("?", 1)[0]
    status = wait_job(client, job_path + "status/", ("validated",), run)
    expect(status == "validated", f"台账校验未通过（{status}）：" + _errors(client.get(job_path)), f"validation ended {status}")
    resp = client.submit(client.get(job_path), "csrfmiddlewaretoken", job_path + "commit/")
    expect(resp.status == 302, "确认导入失败", "commit failed", resp)
    status = wait_job(client, job_path + "status/", ("done",), run)
    expect(status == "done", f"台账写入未完成（{status}）：" + _errors(client.get(job_path)), f"commit ended {status}")

    run.say("台账导出（后台生成 Excel，下载并核对行数）", "ledger export (worker builds the Excel; download, count rows)")
    page = client.get("/ledgers/export/?case_type=mediation")
    expect(page.status == 200, "导出页无法打开", "export page failed", page)
    resp = client.submit(page, "reveal")
    expect(resp.status == 302 and "/ledgers/export/" in resp.location, "导出未开始", "export not started", resp)
    job_path = resp.location.split("?", 1)[0]
    status = wait_job(client, job_path + "status/", ("done",), run)
    expect(status == "done", f"导出未完成（{status}）", f"export ended {status}")
    file = client.get(job_path + "download/")
    expect(file.status == 200 and file.body[:2] == b"PK", "导出文件无法下载", "export download failed", file)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(file.body), read_only=True)
    text = "\n".join(str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if c)
    found = text.count(f"导入{tag}-")
    expect(found == IMPORT_ROWS, f"导出文件只含 {found}/{IMPORT_ROWS} 条导入的纠纷", "export misses imported rows")
    expect(title_person in text, "导出文件缺少登记的纠纷", "export misses the registered dispute")

    run.say("年度工作总结（数据部分）：查看并生成 Word", "annual report (data part): view it, generate the Word file")
    query = f"?org={info['office']}&kind=year&year={today.year}"
    page = client.get("/stats/report/" + query)
    expect(page.status == 200 and "工作总结" in page.text, "年度报告页无法打开", "annual report page failed", page)
    resp = client.post("/stats/report/" + query, [("csrfmiddlewaretoken", client.cookies.get("csrftoken", ""))])
    expect(resp.status == 302 and "/ledgers/export/" in resp.location, "年度报告未开始生成", "report not started", resp)
    job_path = resp.location.split("?", 1)[0]
    status = wait_job(client, job_path + "status/", ("done",), run)
    expect(status == "done", f"年度报告生成失败（{status}）", f"report ended {status}")
    file = client.get(job_path + "download/")
    expect(file.status == 200 and file.body[:2] == b"PK", "年度报告无法下载", "report download failed", file)
    with zipfile.ZipFile(io.BytesIO(file.body)) as docx:
        expect("word/document.xml" in docx.namelist(), "年度报告不是 Word 文件", "report is not a .docx")


def _errors(resp: Response) -> str:
    """The error messages a page shows (Bootstrap's invalid-feedback and alerts), for the report."""
    out = []
    for marker in ('class="invalid-feedback', 'class="alert alert-danger', "data-job-error", 'class="text-danger'):
        for chunk in resp.text.split(marker)[1:4]:
            piece = chunk.split(">", 1)[-1].split("</", 1)[0].strip()
            if piece:
                out.append(piece)
    return "；".join(out)[:800] or f"HTTP {resp.status}"


# --- main ------------------------------------------------------------------------------------------


def _on_signal(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _on_alarm(signum, frame):
    raise CheckFailed(f"超过总时限 {TOTAL_SECONDS} 秒 / over the time limit of {TOTAL_SECONDS}s")


def main() -> int:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith("postgres"):
        print("需要 PostgreSQL：python tools/pgharness.py -- python tools/prodcheck.py / needs DATABASE_URL (run it under pgharness)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(TOTAL_SECONDS)
    run, db = Run(), Database(admin_url)
    ok = False
    try:
        port = free_port()
        run.say("创建数据库与两个登录名（属主 / 应用）", "create the database and its two logins (owner / application)")
        db.create()
        env = prod_environment(run, db.url(db.app), port)
        owner_env = env | {"DATABASE_URL": db.url(db.owner), "SIFA_DB_APP_ROLE": db.app}

        run.say("收集静态文件（临时目录，与迁移同时进行）", "collectstatic into a temporary directory (beside the migration)")
        # It needs no database and compresses every file (gzip, brotli): the slowest step
        # on a busy machine, so it runs while the database is migrated.
        static = run.spawn("collectstatic", [run.python, "manage.py", "collectstatic", "--noinput", "-v", "0"], static_environment(run, env))

        run.say("以属主身份迁移数据库（授予应用登录名权限）", "migrate as the owner (grants the application login)")
        run.manage(owner_env, "migrate", "--noinput")
        run.manage(env, "seed_holidays")
        run.finish(static, TOTAL_SECONDS)
        expect((run.tmp / "var" / "static" / "staticfiles.json").exists(), "缺少静态文件清单", "no staticfiles.json manifest")

        run.say("manage.py check --deploy（任何警告即失败）", "manage.py check --deploy (any warning fails)")
        out = run.manage(env, "check", "--deploy", "--fail-level", "WARNING", "--database", "default")
        print("      " + out.strip().splitlines()[-1])

        run.say("初始化机构与账号（服务层，计入审计）", "set up orgs and the account (through the services, audited)")
        proc = subprocess.run([run.python, __file__, "--setup"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise CheckFailed(f"初始化失败 / set-up failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
        info = json.loads(proc.stdout.strip().splitlines()[-1])

        run.say("启动 gunicorn（deploy/gunicorn.conf.py，2 进程 × 2 线程）与后台任务进程", "start gunicorn (2 workers x 2 threads) and the worker")
        venv_bin = Path(run.python).parent
        run.spawn("gunicorn", [str(venv_bin / "gunicorn"), "--config", "deploy/gunicorn.conf.py", "config.wsgi:application"], env)
        run.spawn("worker", [run.python, "manage.py", "worker"], env)
        client = Client(f"http://127.0.0.1:{port}", f"127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while True:
            run.check_alive()
            try:
                if client.get("/healthz").status == 200:
                    break
            except OSError:
                pass
            expect(time.monotonic() < deadline, "gunicorn 60 秒内未就绪", "gunicorn not ready within 60s")
            time.sleep(0.3)

        journey(run, client, info)

        run.say("审计：audit_checkpoint 与 audit_verify", "audit: audit_checkpoint and audit_verify")
        print("      " + run.manage(env, "audit_checkpoint").strip().splitlines()[-1])
        print("      " + run.manage(env, "audit_verify").strip().splitlines()[-1])
        run.check_alive()
        access = (run.tmp / "gunicorn.log").read_text(errors="replace")
        expect(" 500 " not in access and "Traceback" not in access, "gunicorn 日志中有服务器错误", "server errors in the gunicorn log")
        ok = True
    except CheckFailed as exc:
        print(f"\n✗ 生产验收失败 / prod-check FAILED: {exc}", file=sys.stderr)
        print(run.logs_tail(), file=sys.stderr)
    except KeyboardInterrupt:
        print("\n✗ 已中断 / interrupted", file=sys.stderr)
    except Exception as exc:  # noqa: BLE001 - report anything, then clean up
        import traceback

        traceback.print_exc()
        print(f"\n✗ 生产验收出错 / prod-check ERROR: {exc!r}", file=sys.stderr)
        print(run.logs_tail(), file=sys.stderr)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # cleaning up is not interrupted
        print(f"[{time.monotonic() - run.started:5.1f}s] 停止进程，删除临时数据库与文件 / stopping processes, removing the database and files", flush=True)
        run.stop()
        try:
            db.drop()
        except Exception as exc:  # noqa: BLE001 - the server may already be gone
            print(f"(删除临时数据库失败 / could not drop the database: {exc})", file=sys.stderr)
        shutil.rmtree(run.tmp, ignore_errors=True)
    took = time.monotonic() - run.started
    if ok:
        print(f"\n✓ 生产验收通过 / prod-check passed in {took:.0f}s")
        return 0
    print(f"(用时 / took {took:.0f}s)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--setup"]:
        setup_accounts()
        sys.exit(0)
    sys.exit(main())

"""deploy/ is checked, not just written: the systemd units pass `systemd-analyze
verify`, every timer starts a unit and a command that exist, the compose file
runs the same commands as the units, the environment file lists every variable
the code reads, gunicorn accepts its configuration, and nginx and gunicorn agree
with the app's limits (and `nginx -t` passes where nginx is installed)."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
UNITS = DEPLOY / "systemd"
NGINX_CONF = DEPLOY / "nginx" / "sifa.conf"
INSTALL = "/opt/sifa"
SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"


def unit(name: str) -> configparser.ConfigParser:
    # systemd allows repeated keys; the last one wins here, which is enough for these checks.
    parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    parser.optionxform = str
    parser.read(UNITS / name, encoding="utf-8")
    return parser


def exec_argv(name: str) -> list[str]:
    return shlex.split(unit(name)["Service"]["ExecStart"])


def services() -> list[str]:
    return sorted(p.name for p in UNITS.glob("*.service"))


def timers() -> list[str]:
    return sorted(p.name for p in UNITS.glob("*.timer"))


def render_units(tmp_path: Path) -> Path:
    """The units with their /opt/sifa executables pointed at this checkout's, so
    that verify's check that each ExecStart exists means something here."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    out = tmp_path / "units"
    out.mkdir()
    for src in UNITS.iterdir():
        text = src.read_text(encoding="utf-8")
        text = text.replace(f"{INSTALL}/.venv/bin/gunicorn", str(gunicorn if gunicorn.exists() else sys.executable))
        text = text.replace(f"{INSTALL}/.venv/bin/python", sys.executable)
        (out / src.name).write_text(text, encoding="utf-8")
    return out


# --- systemd -----------------------------------------------------------------------------------


def test_the_units_are_there():
    assert {"sifa-web.service", "sifa-worker.service", "sifa-job@.service", "sifa-backup.service"} <= set(services())
    assert {"sifa-settle.timer", "sifa-audit-verify.timer", "sifa-attachments-sweep.timer", "sifa-backup.timer"} <= set(timers())


@pytest.mark.skipif(not os.path.exists(SYSTEMD_ANALYZE), reason="systemd-analyze 不存在（非 systemd 主机）：无法校验单元文件")
def test_systemd_analyze_verify_passes_without_a_warning(tmp_path):
    rendered = render_units(tmp_path)
    names = [str(rendered / n) for n in services() if "@" not in n] + [str(rendered / n) for n in timers()]
    # The template is verified through the instances the timers start.
    names += [str(rendered / n) for n in sorted({unit(t)["Timer"]["Unit"] for t in timers()}) if "@" in n]
    proc = subprocess.run([SYSTEMD_ANALYZE, "verify", *names], capture_output=True, text=True, cwd=rendered, check=False)
    # verify only warns about unknown keys and bad values: any output is a defect.
    assert proc.returncode == 0 and not proc.stdout.strip() and not proc.stderr.strip(), proc.stdout + proc.stderr


@pytest.mark.skipif(not os.path.exists(SYSTEMD_ANALYZE), reason="systemd-analyze 不存在（非 systemd 主机）：无法校验单元文件")
def test_verify_would_catch_a_missing_executable(tmp_path):
    """The check above is not vacuous: the unit as shipped names /opt/sifa, absent here."""
    proc = subprocess.run([SYSTEMD_ANALYZE, "verify", str(UNITS / "sifa-web.service")], capture_output=True, text=True, check=False)
    assert proc.returncode != 0 and "/opt/sifa/.venv/bin/gunicorn" in proc.stdout + proc.stderr


def test_every_timer_starts_an_existing_unit_and_command():
    from django.core.management import get_commands

    commands = get_commands()
    for name in timers():
        target = unit(name)["Timer"]["Unit"]
        template = re.sub(r"@[^.]+\.", "@.", target)
        # verify does not notice a timer whose unit is missing; this does.
        assert (UNITS / template).exists(), f"{name}: Unit={target} 不存在"
        if "@" in target:
            command = target.split("@", 1)[1].removesuffix(".service")
            assert command in commands, f"{name}: manage.py {command} 不存在"
        else:
            argv = exec_argv(target)
            assert argv[1] == f"{INSTALL}/manage.py" and argv[2] in commands, f"{target}: {argv}"
        assert unit(name)["Timer"]["OnCalendar"]


def test_every_service_is_hardened_and_runs_as_sifa():
    for name in services():
        svc = unit(name)["Service"]
        for key, value in {
            "User": "sifa",
            "NoNewPrivileges": "yes",
            "ProtectSystem": "strict",
            "PrivateTmp": "yes",
            "ProtectHome": "yes",
            "EnvironmentFile": "/etc/sifa/sifa.env",
            "WorkingDirectory": INSTALL,
        }.items():
            assert svc.get(key) == value, f"{name}: {key}={svc.get(key)!r}"
        assert "/var/lib/sifa" in svc["ReadWritePaths"].split(), name
        assert svc.get("CapabilityBoundingSet") == "", name
        assert "DJANGO_SETTINGS_MODULE=config.settings.prod" in svc["Environment"].split(), name


def test_web_and_worker_run_gunicorn_with_the_config_and_db_worker():
    assert exec_argv("sifa-web.service") == [f"{INSTALL}/.venv/bin/gunicorn", "--config", f"{INSTALL}/deploy/gunicorn.conf.py", "config.wsgi:application"]
    # manage.py worker: django-tasks-db's db_worker with a beat (sifa.common.worker, docs/adr/0018).
    assert exec_argv("sifa-worker.service") == [f"{INSTALL}/.venv/bin/python", f"{INSTALL}/manage.py", "worker"]


# --- compose ------------------------------------------------------------------------------------


def test_compose_runs_the_same_commands_and_paths_as_the_units():
    yaml = pytest.importorskip("yaml", reason="PyYAML 不可用：无法解析 compose 文件")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    svcs = compose["services"]
    assert {"web", "worker", "db", "nginx"} <= set(svcs)
    assert svcs["web"]["command"] == exec_argv("sifa-web.service")
    assert svcs["worker"]["command"] == exec_argv("sifa-worker.service")
    for name in ("web", "worker"):
        assert svcs[name]["env_file"] == "sifa.env"
        assert svcs[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "config.settings.prod"
        assert svcs[name]["working_dir"] == INSTALL
        assert any(v.endswith(":/var/lib/sifa") for v in svcs[name]["volumes"]), name
    assert "./nginx/sifa.conf:/etc/nginx/conf.d/sifa.conf:ro" in svcs["nginx"]["volumes"]
    # nginx sees the static files, never the attachments.
    assert not any(v.split(":")[1] == "/var/lib/sifa" for v in svcs["nginx"]["volumes"])
    assert svcs["db"]["image"].startswith("postgres:")


# --- environment file ---------------------------------------------------------------------------


ENV_READ = re.compile(r"""(?:environ\.get|environ\[|getenv)\(?\s*["']((?:SIFA|DATABASE)_[A-Z0-9_]+)["']""")


def _variables_read() -> set[str]:
    found = set()
    sources = [*(ROOT / "config").rglob("*.py"), *(ROOT / "sifa").rglob("*.py"), DEPLOY / "gunicorn.conf.py"]
    for path in sources:
        # Production reads base.py and prod.py, never the demo's or the tests' settings.
        if "tests" in path.parts or path.as_posix().endswith(("config/settings/dev.py", "config/settings/test.py")):
            continue
        found |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return found


def test_env_example_lists_every_variable_the_code_reads():
    text = (DEPLOY / "sifa.env.example").read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, flags=re.M))
    read = _variables_read()
    assert {"SIFA_SECRET_KEY", "DATABASE_URL", "SIFA_FIELD_KEY", "SIFA_HASH_KEY"} <= read  # the scan works
    missing = sorted(read - listed)
    assert not missing, f"deploy/sifa.env.example 缺少：{missing}"
    # systemd's EnvironmentFile: KEY=value with no spaces around "=" and no quotes.
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s\"']*", line), line


# --- gunicorn and nginx -------------------------------------------------------------------------


def _gunicorn_conf() -> dict:
    import runpy

    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def _nginx_size(text: str) -> int:
    value = re.search(r"client_max_body_size\s+(\d+)([kKmM]?);", text)
    assert value, "client_max_body_size missing"
    return int(value[1]) * {"": 1, "k": 1024, "m": 1024 * 1024}[value[2].lower()]


def test_nginx_and_gunicorn_agree_with_the_app():
    conf = _gunicorn_conf()
    text = NGINX_CONF.read_text(encoding="utf-8")
    assert f"server {conf['bind']}" in text  # the upstream is where gunicorn listens
    assert conf["preload_app"] is True and conf["threads"] >= 2 and conf["workers"] >= 2
    read_timeout = int(re.search(r"proxy_read_timeout\s+(\d+)s;", text)[1])
    assert conf["timeout"] < read_timeout  # gunicorn gives up first, with its own clean error
    size = _nginx_size(text)
    assert size >= settings.SIFA_ATTACHMENT_MAX_BYTES
    assert size >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    # The proxy header the app trusts (config/settings/prod.py) is the one nginx sets.
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in text
    # Overwritten, not appended ($proxy_add_x_forwarded_for would let a client forge it).
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in text
    assert "$proxy_add_x_forwarded_for" not in text
    assert re.search(r"location /media/ \{\s*return 404;", text)
    assert "alias /var/lib/sifa/static/;" in text
    assert "ssl_protocols TLSv1.2 TLSv1.3;" in text
    assert "return 301 https://$host$request_uri;" in text


def test_gunicorn_accepts_the_configuration(tmp_path):
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        pytest.skip("gunicorn 未安装（requirements.txt 中有）")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.test", SIFA_WEB_BIND="127.0.0.1:0")
    proc = subprocess.run(
        [str(gunicorn), "--check-config", "--config", str(DEPLOY / "gunicorn.conf.py"), "config.wsgi:application"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _self_signed(dest: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sfj.example.gov.cn")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    crt, pem = dest / "fullchain.pem", dest / "privkey.pem"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return crt, pem


def test_nginx_accepts_the_site(tmp_path):
    nginx = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.path.exists(p)), None)
    if nginx is None:
        pytest.skip("nginx 未安装：跳过 nginx -t（其余检查见上）")
    crt, pem = _self_signed(tmp_path)
    site = NGINX_CONF.read_text(encoding="utf-8")
    site = site.replace("/etc/ssl/sifa/fullchain.pem", str(crt)).replace("/etc/ssl/sifa/privkey.pem", str(pem))
    site = site.replace("/var/lib/sifa/static/", f"{tmp_path}/static/")
    (tmp_path / "sifa.conf").write_text(site, encoding="utf-8")
    temp = "".join(f"    {kind}_temp_path {tmp_path}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\nhttp {{\n    access_log off;\n{temp}    include {tmp_path}/sifa.conf;\n}}\n",
        encoding="utf-8",
    )
    proc = subprocess.run([nginx, "-t", "-e", "stderr", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr

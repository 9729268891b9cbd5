"""gunicorn for sifa: ``gunicorn --config deploy/gunicorn.conf.py config.wsgi:application``.

Used by deploy/systemd/sifa-web.service and deploy/compose.yaml. Every value
can be changed from the environment (SIFA_WEB_*; unset or empty = the
default here), so the unit and the compose
file stay the same on every host.

Long work (imports, exports, annual reports, the daily jobs) runs in the
background worker, never in a request: a request that needs more than the
timeout is a bug, and the timeout is kept modest so that a stuck request frees
its worker instead of holding it.
"""

import os

# 127.0.0.1 only: nginx on the same host is the one client. For a unix socket:
# SIFA_WEB_BIND=unix:/run/sifa/gunicorn.sock (and the nginx upstream to match).
bind = os.environ.get("SIFA_WEB_BIND") or "127.0.0.1:8000"

# Threads rather than many processes: a request mostly waits on PostgreSQL, and
# each thread holds one persistent database connection, so workers × threads is
# the number of connections one web server opens (keep it under max_connections
# divided by the number of web servers, the worker and a margin).
workers = int(os.environ.get("SIFA_WEB_WORKERS") or (os.cpu_count() or 1) + 1)
threads = int(os.environ.get("SIFA_WEB_THREADS") or 4)
worker_class = "gthread"

timeout = int(os.environ.get("SIFA_WEB_TIMEOUT") or 60)
graceful_timeout = 30
keepalive = 5

# Load the application once in the master: workers fork with it already
# imported (faster start, shared memory). Nothing opens a database connection
# at import, so no connection is shared across the fork.
preload_app = True

# Recycle workers now and then so that memory growth (large exports) is
# bounded; the jitter keeps them from restarting all at once.
max_requests = 2000
max_requests_jitter = 200

# Heartbeat files on a RAM file system (the units' /tmp is private anyway).
worker_tmp_dir = "/dev/shm"  # noqa: S108 - per-process heartbeat files, not data

# Bodies are buffered by nginx; these limits mirror its own.
limit_request_line = 8190
limit_request_fields = 100

# Logs to stdout/stderr: journald (systemd) or the container log collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SIFA_WEB_LOGLEVEL") or "info"
# The client address nginx saw, the duration in ms and the request id the app
# sets (X-Request-ID), so an access-log line can be matched to its audit entries.
access_log_format = '%({x-forwarded-for}i)s - %(u)s [%(t)s] "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s" rid=%({x-request-id}o)s'

# Trust X-Forwarded-Proto only from nginx on this host (SECURE_PROXY_SSL_HEADER
# in config/settings/prod.py reads it).
forwarded_allow_ips = os.environ.get("SIFA_WEB_FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

proc_name = "sifa-web"

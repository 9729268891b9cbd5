"""The application's own PostgreSQL login: every right it needs, and none that
would let it rewrite the audit trail.

Migrations run as the owner of the tables (the owner may alter tables and
switch triggers off); the web servers and workers connect as another role that
does not own them. This grants that role what the application does and no more
on the audit tables: read, insert, and set an unsealed entry's seal (the
trigger checks the rest). No UPDATE of content, no DELETE, no TRUNCATE, no
ALTER TABLE ... DISABLE TRIGGER (only an owner may). Run after every migrate
(``SIFA_DB_APP_ROLE`` makes ``migrate`` do it; ``manage.py db_grant_app`` does
it by hand). See docs/adr/0017 and docs/runbook.md."""

from __future__ import annotations

import re

from django.db import connection as default_connection

AUDIT_TABLES = ("audit_auditentry", "audit_audithead")
_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


class RoleError(Exception):
    pass


def grant_app_role(role: str, *, connection=None) -> list[str]:
    """Grant ``role`` the application's rights in the current database's public
    schema. Returns the statements run. Refuses a role that is a superuser or
    owns the audit tables: such a login could undo any of it."""
    conn = connection or default_connection
    if conn.vendor != "postgresql":
        raise RoleError("只有 PostgreSQL 需要单独的应用数据库账号。")
    if not _NAME.match(role):
        raise RoleError(f"数据库角色名“{role}”无效：只能包含小写字母、数字和下划线。")
    with conn.cursor() as cur:
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        row = cur.fetchone()
        if row is None:
            raise RoleError(f"数据库角色“{role}”不存在：请先由数据库管理员创建（CREATE ROLE {role} LOGIN PASSWORD …）。")
        if row[0]:
            raise RoleError(f"数据库角色“{role}”是超级用户，可以关闭触发器、改写审计日志：应用不能使用它登录。")
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY(%s) AND tableowner = %s", [list(AUDIT_TABLES), role])
        owned = [r[0] for r in cur.fetchall()]
        if owned:
            raise RoleError(f"数据库角色“{role}”是审计表 {', '.join(owned)} 的所有者：迁移应以另一个账号运行。")
    q = f'"{role}"'
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {q}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {q}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {q}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {q}",
        # Migrations are the owner's.
        f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {q}",
        # The audit trail: read, append, seal; never rewrite.
        f"REVOKE UPDATE, DELETE ON audit_auditentry FROM {q}",
        f"GRANT UPDATE (seq, prev_hash, hash) ON audit_auditentry TO {q}",
        f"REVOKE DELETE ON audit_audithead FROM {q}",
    ]
    with conn.cursor() as cur:
        for sql in statements:
            cur.execute(sql)
    return statements


def post_migrate_grant(sender, using="default", **kwargs) -> None:
    """Connected in AuditConfig.ready: after ``migrate`` (as the owner) with
    ``SIFA_DB_APP_ROLE`` set, the application's login gets its rights on the
    tables that migration may have added."""
    from django.conf import settings
    from django.db import connections

    role = getattr(settings, "SIFA_DB_APP_ROLE", "")
    conn = connections[using]
    if role and conn.vendor == "postgresql":
        grant_app_role(role, connection=conn)

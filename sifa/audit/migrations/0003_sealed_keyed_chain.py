"""The sealed, keyed chain (docs/adr/0017).

- ``seq`` is the sealer's numbering, empty until the entry is sealed after its
  transaction commits; ``hash`` becomes an HMAC under the audit key.
- Existing entries are re-sealed under the key, after their plain SHA-256 chain
  has been checked: a chain already broken is not laundered (the migration
  stops and says where).
- On PostgreSQL the trigger allows exactly one UPDATE of a row (its sealing:
  numbering and hashes set, content unchanged) and refuses every other UPDATE,
  every DELETE and every TRUNCATE but a superuser's (which could switch the
  trigger off anyway; the test runner empties tables that way). The head row may
  only move forward and cannot be deleted.
"""

import hashlib

from django.db import migrations, models

GENESIS = "0" * 64

DROP_OLD = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
"""

TRIGGERS = """
CREATE OR REPLACE FUNCTION sifa_audit_append_only() RETURNS trigger AS $$
BEGIN
    -- Sealing an unsealed entry: numbering and hashes set, every content column unchanged.
    IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.id = OLD.id AND OLD.hash = ''
       AND NEW.at IS NOT DISTINCT FROM OLD.at
       AND NEW.user_id IS NOT DISTINCT FROM OLD.user_id
       AND NEW.username IS NOT DISTINCT FROM OLD.username
       AND NEW.user_org IS NOT DISTINCT FROM OLD.user_org
       AND NEW.ip IS NOT DISTINCT FROM OLD.ip
       AND NEW.action IS NOT DISTINCT FROM OLD.action
       AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.object_repr IS NOT DISTINCT FROM OLD.object_repr
       AND NEW.result IS NOT DISTINCT FROM OLD.result
       AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id
       AND NEW.detail IS NOT DISTINCT FROM OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION sifa_audit_append_only();

CREATE OR REPLACE FUNCTION sifa_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit tables cannot be truncated';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditentry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION sifa_audit_no_truncate();
CREATE TRIGGER audit_audithead_no_truncate
    BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION sifa_audit_no_truncate();

CREATE OR REPLACE FUNCTION sifa_audit_head_forward() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.last_seq >= OLD.last_seq THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_audithead only moves forward';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_audithead_forward
    BEFORE UPDATE OR DELETE ON audit_audithead
    FOR EACH ROW EXECUTE FUNCTION sifa_audit_head_forward();
"""

DROP_NEW = """
DROP TRIGGER IF EXISTS audit_auditentry_append_only ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_auditentry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_audithead_no_truncate ON audit_audithead;
DROP TRIGGER IF EXISTS audit_audithead_forward ON audit_audithead;
DROP FUNCTION IF EXISTS sifa_audit_no_truncate();
DROP FUNCTION IF EXISTS sifa_audit_head_forward();
"""


def drop_old(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_OLD)


def reseal(apps, schema_editor):
    from sifa.audit.chain import canonical, compute_hash

    Entry = apps.get_model("audit", "AuditEntry")
    Head = apps.get_model("audit", "AuditHead")
    prev_old, prev_new, batch = GENESIS, GENESIS, []
    last = 0
    for e in Entry.objects.order_by("seq").iterator(chunk_size=2000):
        expected = hashlib.sha256((prev_old + "|" + canonical(e)).encode("utf-8")).hexdigest()
        if e.seq != last + 1 or e.prev_hash != prev_old or e.hash != expected:
            raise RuntimeError(f"审计日志第 {e.seq} 条在启用密钥前已不完整，迁移停止：请先用 audit_verify 查明并报告。")
        prev_old, last = e.hash, e.seq
        e.prev_hash, e.hash = prev_new, compute_hash(prev_new, e)
        prev_new = e.hash
        batch.append(e)
        if len(batch) >= 1000:
            Entry.objects.bulk_update(batch, ["prev_hash", "hash"])
            batch = []
    if batch:
        Entry.objects.bulk_update(batch, ["prev_hash", "hash"])
    Head.objects.update_or_create(pk=1, defaults={"last_seq": last, "last_hash": prev_new})


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGERS)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_NEW)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]

    operations = [
        migrations.RunPython(drop_old, migrations.RunPython.noop),
        migrations.AlterModelOptions(name="auditentry", options={"ordering": ["-id"], "verbose_name": "审计日志", "verbose_name_plural": "审计日志"}),
        migrations.AlterField(model_name="auditentry", name="seq", field=models.BigIntegerField(blank=True, null=True, unique=True, verbose_name="序号")),
        migrations.AlterField(model_name="auditentry", name="prev_hash", field=models.CharField(blank=True, default="", max_length=64)),
        migrations.AlterField(model_name="auditentry", name="hash", field=models.CharField(blank=True, default="", max_length=64)),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_entry_unsealed"),
        ),
        migrations.RunPython(reseal, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]

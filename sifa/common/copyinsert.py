"""Bulk inserts through PostgreSQL's COPY, for the ledger import's thousands
of rows (issue 19).

``bulk_create`` sends each batch of 1,000 rows as one INSERT … VALUES with a
bound parameter per cell (17,000 for parties), which the server parses and
plans, and Django's SQL compiler prepares every value on the way. For the
parties of a 5,000-row ledger that was 1.1 s; the same rows through COPY
took 0.7 s, and their values are prepared by the same field methods
(``pre_save``, ``get_db_prep_save``: encryption, JSON and dates as
``bulk_create`` stores them). Like ``bulk_create``: no signals, ``save()`` is
not called, and the objects come back saved, with their primary keys.

Primary keys a table numbers itself are taken from its sequence first (one
``nextval`` per row, in one query), so the objects can be referred to at once.
On another database (the SQLite demo) it is ``bulk_create``.
"""

from __future__ import annotations

from datetime import date

from django.db import connections, router
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    ForeignKey,
    IntegerField,
    OneToOneField,
    PositiveIntegerField,
    PositiveSmallIntegerField,
    SmallAutoField,
    SmallIntegerField,
    TextField,
)

BATCH = 1000
_AUTO = (AutoField, BigAutoField, SmallAutoField)

# Fields of these exact classes store a value of this type as it is: their
# get_db_prep_save (to_python, get_prep_value …) returns it unchanged, so it
# is skipped for such a value (a fifth of a ledger import's inserts).
# Subclasses (an encrypted text field) and other values take the full path.
_AS_IS = {
    CharField: str,
    TextField: str,
    BooleanField: bool,
    IntegerField: int,
    SmallIntegerField: int,
    BigIntegerField: int,
    PositiveIntegerField: int,
    PositiveSmallIntegerField: int,
    AutoField: int,
    BigAutoField: int,
    ForeignKey: int,
    OneToOneField: int,
    DateField: date,
}


def _preparer(field, connection):
    """obj -> the field's value as the database stores it (what bulk_create sends)."""
    kind = _AS_IS.get(type(field))
    if isinstance(field, DateField) and (field.auto_now or field.auto_now_add):
        kind = None  # pre_save sets it
    if isinstance(field, ForeignKey) and not isinstance(field.target_field, IntegerField):
        kind = None  # a key of another type (AutoField and BigAutoField are integer fields)
    if kind is None:
        return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
    attname = field.attname

    def prepare(obj):
        value = getattr(obj, attname)
        if value is None or type(value) is kind:
            return value
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return prepare


def _connection(model):
    alias = router.db_for_write(model)
    return alias, connections[alias]


def numbers_ahead(model) -> bool:
    """Can ``number`` give ``model``'s objects their primary keys before they are inserted?"""
    return _connection(model)[1].vendor == "postgresql" and isinstance(model._meta.pk, _AUTO) and not model._meta.parents


def number(model, objs: list) -> None:
    """Give the objects without a primary key theirs, from the table's sequence (PostgreSQL)."""
    missing = [o for o in objs if o.pk is None]
    if not missing:
        return
    opts = model._meta
    with _connection(model)[1].cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [opts.db_table, opts.pk.column, len(missing)])
        for obj, (value,) in zip(missing, cur.fetchall(), strict=True):
            obj.pk = value


def insert(model, objs: list, *, keys: bool = True) -> list:
    """Insert ``objs`` (unsaved instances of ``model``) and return them, saved.
    ``keys=False``: rows nobody refers to (the statistics' facts), whose table numbers
    them itself; the objects are left without their primary key."""
    if not objs:
        return objs
    alias, connection = _connection(model)
    if connection.vendor != "postgresql" or model._meta.parents:
        return model.objects.using(alias).bulk_create(objs, batch_size=BATCH)
    opts = model._meta
    for obj in objs:
        # What bulk_create checks first: a related object saved since it was assigned gives its id.
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    auto = isinstance(opts.pk, _AUTO)
    if auto and keys:
        number(model, objs)
    fields = [f for f in opts.concrete_fields if keys or not (auto and f.primary_key)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    preparers = [_preparer(f, connection) for f in fields]
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([prepare(obj) for prepare in preparers])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return objs

"""Writes to the organisation tree. Paths are kept right here and nowhere else."""

from __future__ import annotations

from django.db import transaction

from sifa.audit.services import record
from sifa.common.errors import DomainError

from .choices import ALLOWED_PARENTS, OrgKind
from .models import Org

EDITABLE = ("name", "short_name", "kind", "parent", "region_code", "sort_order", "address", "phone", "is_active")


def _check_parent(kind: str, parent: Org | None) -> None:
    allowed = ALLOWED_PARENTS.get(kind, set())
    if (parent.kind if parent else None) not in allowed:
        where = parent.get_kind_display() if parent else "顶层"
        raise DomainError(f"“{OrgKind(kind).label}”不能设在“{where}”之下。", field="parent")


def _set_path(org: Org) -> None:
    prefix = org.parent.path if org.parent_id else "/"
    org.path = f"{prefix}{org.pk}/"
    org.depth = org.path.count("/") - 2


@transaction.atomic
def create_org(*, actor, **fields) -> Org:
    _check_parent(fields["kind"], fields.get("parent"))
    org = Org(**fields)
    org.full_clean(exclude=["path"])
    org.path = "/"
    org.save()
    _set_path(org)
    org.save(update_fields=["path", "depth"])
    record("org.create", actor=actor, obj=org, detail={"name": org.name, "kind": org.kind})
    return org


@transaction.atomic
def update_org(org: Org, *, actor, **fields) -> Org:
    org = Org.objects.select_for_update().get(pk=org.pk)
    old_path, old_parent = org.path, org.parent_id
    changes = {}
    for key, value in fields.items():
        if key not in EDITABLE:
            raise DomainError(f"字段 {key} 不可修改。")
        if getattr(org, key) != value:
            changes[key] = str(value)
            setattr(org, key, value)
    new_parent = org.parent
    if new_parent is not None and new_parent.path.startswith(old_path):
        raise DomainError("上级机构不能是本机构或其下级机构。", field="parent")
    _check_parent(org.kind, new_parent)
    org.full_clean(exclude=["path"])
    if org.parent_id != old_parent:
        _set_path(org)
        # Move the whole subtree (and every denormalised path) in SQL.
        _rewrite_paths(old_path, org.path)
    org.save()
    record("org.update", actor=actor, obj=org, detail=changes)
    return org


def _rewrite_paths(old: str, new: str) -> None:
    from django.db.models import Value
    from django.db.models.functions import Concat, Substr

    cut = len(old) + 1
    Org.objects.filter(path__startswith=old).exclude(path=old).update(path=Concat(Value(new), Substr("path", cut)))
    for obj in Org.objects.filter(path__startswith=new):
        obj.depth = obj.path.count("/") - 2
        obj.save(update_fields=["depth"])
    # Cases carry their owner's path for fast scoping; keep them in step.
    from django.apps import apps

    Case = apps.get_model("cases", "Case")
    Case.all_objects.filter(org_path__startswith=old).update(org_path=Concat(Value(new), Substr("org_path", cut)))

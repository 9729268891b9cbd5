"""Writes to the organisation tree. Paths are kept right here and nowhere else."""

from __future__ import annotations

from django.db import transaction

from sifa.audit.services import record
from sifa.common.errors import DomainError

from .choices import allowed_parents, kind_label
from .models import Org

EDITABLE = ("name", "short_name", "kind", "parent", "region_code", "sort_order", "address", "phone", "is_active")


def _check_parent(kind: str, parent: Org | None) -> None:
    from sifa.kit import registry

    if registry.org_kind(kind) is None:
        raise DomainError(f"机构类型“{kind}”无效。", field="kind")
    if (parent.kind if parent else None) not in allowed_parents(kind):
        where = parent.get_kind_display() if parent else "顶层"
        raise DomainError(f"“{kind_label(kind)}”不能设在“{where}”之下。", field="parent")


def _check_name(name: str, parent: Org | None, exclude_pk=None) -> None:
    # The database constraint does not cover top-level orgs (NULL parents are
    # distinct), and its message is not one a user should read.
    qs = Org.objects.filter(parent=parent, name=name)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        where = f"“{parent.name}”下" if parent else "顶层"
        raise DomainError(f"{where}已有名为“{name}”的机构。", field="name")


def _check_children_fit(org: Org, kind: str) -> None:
    for child in org.children.all():
        if kind not in allowed_parents(child.kind):
            raise DomainError(f"下级机构“{child.name}”（{child.get_kind_display()}）不能设在“{kind_label(kind)}”之下，不能改为该类型。", field="kind")


def _check_users_fit(org: Org, kind: str) -> None:
    from sifa.accounts.roles import role_fits_org, role_label

    for role in org.users.filter(is_active=True).values_list("role", flat=True).distinct():
        if not role_fits_org(role, kind):
            raise DomainError(f"本机构有角色为“{role_label(role)}”的用户，该角色不能属于“{kind_label(kind)}”，请先调整用户。", field="kind")


def _check_deactivation(org: Org) -> None:
    if org.children.filter(is_active=True).exists():
        raise DomainError("请先停用全部下级机构，再停用本机构。", field="is_active")
    if org.users.filter(is_active=True).exists():
        raise DomainError("本机构还有启用的用户，请先停用或调出这些用户。", field="is_active")


def _set_path(org: Org) -> None:
    prefix = org.parent.path if org.parent_id else "/"
    org.path = f"{prefix}{org.pk}/"
    org.depth = org.path.count("/") - 2


@transaction.atomic
def create_org(*, actor, **fields) -> Org:
    _check_parent(fields["kind"], fields.get("parent"))
    parent = fields.get("parent")
    if parent is not None and not parent.is_active:
        raise DomainError(f"上级机构“{parent.name}”已停用。", field="parent")
    if fields.get("name"):
        _check_name(fields["name"], parent)
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
    old_path, old_parent, old_kind, was_active = org.path, org.parent_id, org.kind, org.is_active
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
    if new_parent is not None and new_parent.is_active is False and org.parent_id != old_parent:
        raise DomainError(f"上级机构“{new_parent.name}”已停用。", field="parent")
    if org.kind != old_kind:
        _check_children_fit(org, org.kind)
        _check_users_fit(org, org.kind)
    if was_active and not org.is_active:
        _check_deactivation(org)
    if "name" in changes or org.parent_id != old_parent:
        _check_name(org.name, new_parent, exclude_pk=org.pk)
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

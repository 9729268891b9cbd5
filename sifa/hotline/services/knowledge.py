"""Writes of the knowledge base (知识库): the bureau keeps the answers its
operators give (解答口径) with their legal basis; every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from sifa.audit.services import record
from sifa.common.errors import DomainError, PermissionRefused

from .. import selectors
from ..choices import Category
from ..models import Answer

FIELDS = ("category", "question", "answer", "basis", "keywords", "is_active")


def _clean(fields: dict) -> dict:
    out = {k: fields[k] for k in FIELDS if k in fields}
    if out.get("category", Category.OTHER) not in Category.values:
        raise DomainError("法律类别无效。", field="category")
    for name, label, limit in (("question", "问题", 200), ("answer", "解答口径", 8000)):
        value = (out.get(name) or "").strip()
        if not value:
            raise DomainError(f"请填写{label}。", field=name)
        if len(value) > limit:
            raise DomainError(f"{label}不能超过{limit}字。", field=name)
        out[name] = value
    out["basis"] = (out.get("basis") or "").strip()[:4000]
    out["keywords"] = " ".join((out.get("keywords") or "").replace("，", " ").replace(",", " ").split())[:200]
    return out


def create_answer(actor, **fields) -> Answer:
    org = selectors.keeper_org(actor)
    if org is None:
        raise PermissionRefused("只有司法局（公共法律服务中心）的热线工作人员可以维护知识库。")
    a = Answer(org=org, updated_by=actor, **_clean(fields))
    a.save()
    record("hotline.answer_add", actor=actor, obj=a, detail={"question": a.question, "org": org.name})
    return a


def update_answer(actor, pk: int, **fields) -> Answer:
    """Correct an answer, or take it out of use (停用: no longer found on a call)."""
    org = selectors.keeper_org(actor)
    if org is None:
        raise PermissionRefused("只有司法局（公共法律服务中心）的热线工作人员可以维护知识库。")
    with transaction.atomic():
        a = Answer.objects.select_for_update().filter(pk=pk, org=org).first()
        if a is None:
            raise PermissionRefused("该条目由其他单位维护，您不能修改。")
        clean = _clean(fields)
        changed = sorted(k for k, v in clean.items() if getattr(a, k) != v)
        for k, v in clean.items():
            setattr(a, k, v)
        a.updated_by = actor
        a.save()
        record("hotline.answer_update", actor=actor, obj=a, detail={"question": a.question, "fields": changed})
    return a


def note_use(actor, pk: int) -> bool:
    """An operator took this answer into a reply: counted, so the most used come first."""
    return selectors.answers(actor).filter(pk=pk).update(uses=F("uses") + 1) > 0

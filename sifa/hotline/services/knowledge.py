"""Writes of the knowledge base (知识库): the bureau keeps the answers its
operators give (解答口径) with their legal basis; every change is audited, and a
refused one changes nothing."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from sifa.audit.services import record
from sifa.common.errors import Conflict, DomainError, PermissionRefused

from .. import selectors
from ..choices import Category
from ..models import Answer

FIELDS = ("category", "question", "answer", "basis", "keywords", "is_active")
NOT_A_KEEPER = "只有司法局（公共法律服务中心）的热线工作人员可以维护知识库。"
# (field, label, limit, required): the same limits as the model and the form, checked
# here too because the API and scripts do not pass through the form.
_TEXTS = (("question", "问题", 200, True), ("answer", "解答口径", 8000, True), ("basis", "法律依据", 4000, False), ("keywords", "关键词", 200, False))


def _clean(fields: dict) -> dict:
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:  # a caller's mistake, not a user's: never silently dropped
        raise TypeError(f"unknown answer fields: {unknown}")
    out = dict(fields)
    if out.get("category", Category.OTHER) not in Category.values:
        raise DomainError("法律类别无效。", field="category")
    # Commas typed in either width separate keywords like spaces do.
    out["keywords"] = " ".join(str(out.get("keywords") or "").replace("，", " ").replace(",", " ").split())
    for name, label, limit, required in _TEXTS:
        value = str(out.get(name) or "").strip()
        if required and not value:
            raise DomainError(f"请填写{label}。", field=name)
        if len(value) > limit:
            raise DomainError(f"{label}不能超过{limit}字。", field=name)
        out[name] = value
    if "is_active" in out:
        out["is_active"] = bool(out["is_active"])
    return out


def _keeper(actor, org=None):
    keeper = selectors.keeper_org(actor)
    if keeper is None:
        raise PermissionRefused(NOT_A_KEEPER)
    # A caller naming the org may only name the one the actor keeps (a centre's
    # operator keeps the bureau's), never another bureau's.
    if org is not None and org.pk != keeper.pk:
        raise PermissionRefused(f"您只能维护{keeper.name}的知识库。")
    return keeper


def create_answer(actor, org=None, **fields) -> Answer:
    """A new entry, kept by the actor's bureau (``org`` may name it, nothing else)."""
    keeper = _keeper(actor, org)
    clean = _clean(fields)
    with transaction.atomic():
        a = Answer(org=keeper, updated_by=actor, **clean)
        a.save()
        record("hotline.answer_add", actor=actor, obj=a, detail={"question": a.question, "org": keeper.name})
    return a


def version(answer: Answer) -> str:
    """What an edit page carries to detect a change made since it was opened."""
    return answer.updated_at.isoformat()


def update_answer(actor, answer: Answer | int, /, *, seen: str = "", **fields) -> Answer:
    """Correct an entry (``answer``: the entry or its id; positional, as the entry has
    a field of that name), or take it out of use (停用: no longer found on a call) and
    back (启用). Fields not given keep their value; ``seen`` (``version()`` when the
    page was opened) refuses a save over another keeper's change."""
    keeper = _keeper(actor)
    pk = answer.pk if isinstance(answer, Answer) else answer
    with transaction.atomic():
        a = Answer.objects.select_for_update().filter(pk=pk, org=keeper).first()
        if a is None:
            raise PermissionRefused("该条目由其他单位维护，您不能修改。")
        if seen and seen != version(a):
            raise Conflict("该条目已被他人修改，请刷新页面核对后重新修改。")
        clean = _clean({f: getattr(a, f) for f in FIELDS} | fields)
        changed = sorted(k for k, v in clean.items() if getattr(a, k) != v)
        for k, v in clean.items():
            setattr(a, k, v)
        a.updated_by = actor
        a.save()
        record("hotline.answer_update", actor=actor, obj=a, detail={"question": a.question, "fields": changed})
    return a


def note_use(actor, pk: int) -> bool:
    """An operator took this answer into a reply: counted in the database (two
    operators quoting at once both count), so the most used come first."""
    return selectors.answers(actor).filter(pk=pk).update(uses=F("uses") + 1) > 0

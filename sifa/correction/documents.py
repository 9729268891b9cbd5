"""Word documents of 社区矫正 (A4): templates in ``templates/correction/documents/``
(their commands: ``common.docgen``), each offered while ``available(case)``.

Every document opens with the confidentiality mark (内部 · 注意保密; a sealed
minor's file says so, §54). The person's ID number, phone and address are in
full only for roles that may reveal them (``cases.documents.party_values``), as
in the other lines; the offence and the sentence are part of the file's
official documents and appear as recorded.

* 社区矫正对象 (``DOCUMENTS``): 接收登记表 (§22), 入矫宣告书 (§22), 矫正方案 with
  the 矫正小组 (§24–25), 训诫 / 警告决定书 (§28, the latest decision of its kind),
  the proposals to the court or the deciding organ — 提请撤销缓刑 / 撤销假释 /
  收监执行建议书 (§46–49, one template) —, 解除社区矫正证明书 (§44) and
  解矫宣告书.
* 调查评估 (``INQUIRY_DOCUMENTS``): 调查评估意见书 (§18).
* Approvals (``approval_document``): one 审批表 for every procedure of
  ``workflow/approvals.py`` — the application, the office's review, the decision.

Who signs: the 县级社区矫正机构 (the case's bureau) decides, proposes and
certifies; the 执行地司法所 (the case's owner) declares, plans and receives."""

from __future__ import annotations

from datetime import date

from sifa.accounts.roles import REVEAL, has_cap
from sifa.cases.documents import of_role, party_values
from sifa.cases.selectors import case_has
from sifa.common.identity import mask_phone
from sifa.kit.casetype import DocumentSpec

from .choices import APPROVAL_KINDS, APPROVAL_SPANS, REVOCATIONS, Category, DecisionOrgan, MonitorCase, Opinion, ReleaseKind, Sanction

LAW = "《中华人民共和国社区矫正法》"
MARK = "内部 · 注意保密"
SEALED = "未成年人案件，身份信息依法保密，不得公开或者向无关人员提供（《中华人民共和国社区矫正法》第五十四条）"

# What each proposal asks for, from whom, and on what basis (§46–49).
PROPOSALS = {
    Sanction.REVOKE_PROBATION: {
        "what": "撤销缓刑",
        "basis": f"《中华人民共和国刑法》第七十七条第二款、{LAW}第四十六条第三款",
        "deadline": "人民法院应当在收到建议书后三十日内作出裁定（第四十八条）",
    },
    Sanction.REVOKE_PAROLE: {
        "what": "撤销假释",
        "basis": f"《中华人民共和国刑法》第八十六条第三款、{LAW}第四十六条第三款",
        "deadline": "人民法院应当在收到建议书后三十日内作出裁定（第四十八条）",
    },
    Sanction.IMPRISON: {
        "what": "收监执行",
        "basis": f"《中华人民共和国刑事诉讼法》第二百六十八条、{LAW}第四十九条",
        "deadline": "社区矫正决定机关应当在收到建议书后三十日内作出决定（第四十九条第二款）",
    },
}

# What release means for each category, said at the 解矫宣告.
RELEASE_EFFECT = {
    Category.CONTROL: "管制期满，依法解除管制",
    Category.PROBATION: "缓刑考验期满，原判刑罚不再执行",
    Category.PAROLE: "假释考验期满，视为原判刑罚已经执行完毕",
    Category.MEDICAL: "暂予监外执行期间刑期届满，刑罚执行完毕",
}


def _label(choices, value, blank: str = "") -> str:
    try:
        return choices(value).label if value else blank
    except ValueError:
        return value


def ymd(d: date | None) -> str:
    """2026-03-07 -> 2026年3月7日 (dates inside a sentence; the signature's date is ``cn_date``)."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def _on(event) -> date | None:
    on = (event.data or {}).get("on") if event else None
    return date.fromisoformat(on) if on else (event.at.date() if event else None)


def _latest(case, transition: str):
    return case.events.filter(transition=transition).order_by("-at", "-id").first()


def mark(case) -> str:
    return MARK + (f"　{SEALED}" if case.is_sealed else "")


def person(case, user, role: str) -> dict:
    """The person of the file: the party and the values shown to ``user``, plus
    one sentence naming them (name, sex, birth, ethnicity, ID number)."""
    parties = of_role(case, role)
    p = parties[0] if parties else None
    if p is None:
        return {"p": None, "v": {}, "name": "", "sentence": "", "born": ""}
    v = party_values(p, user)
    born = ymd(p.birth_date)
    bits = [
        p.name,
        p.get_gender_display() if p.gender else "",
        f"{born}出生" if born else "",
        p.ethnicity,
        f"身份证号码{v['id_number']}" if v.get("id_number") else "",
    ]
    return {"p": p, "v": v, "name": p.name, "sentence": "，".join(b for b in bits if b), "born": born}


def judgment(rec) -> str:
    """因犯危险驾驶罪，经演示区人民法院（2025）演刑初字第88号刑事判决，判处拘役三个月，缓刑六个月;
    a parole or a medical parole names the original sentence and the ruling or decision."""
    organ = rec.decision_org_name or _label(DecisionOrgan, rec.decision_organ)
    no = rec.judgment_no or ""
    sentence = (rec.sentence or "").strip().rstrip("。")
    if rec.category == Category.PAROLE:
        return f"因犯{rec.crime}，{'原判' + sentence + '，' if sentence else ''}经{organ}{no}刑事裁定假释"
    if rec.category == Category.MEDICAL:
        return f"因犯{rec.crime}，{'原判' + sentence + '，' if sentence else ''}经{organ}{no}决定暂予监外执行"
    sentence = sentence.removeprefix("判处")
    return f"因犯{rec.crime}，经{organ}{no}刑事判决{'，判处' + sentence if sentence else ''}"


def context(case, user) -> dict:
    rec = case.record
    return {
        "LAW": LAW,
        "mark": mark(case),
        "organ": case.bureau.name,
        "office": case.owner_org.name,
        "person": person(case, user, "subject"),
        "category": _label(Category, rec.category),
        "judgment": judgment(rec),
        "term": f"{ymd(rec.term_start)}至{ymd(rec.term_end)}",
    }


# --- 接收, 宣告, 方案 --------------------------------------------------------------------------------


def _intake(case, user) -> dict:
    rec = case.record
    e = _latest(case, "report")
    way = {"self": "本人报到", "transfer": "移送接收"}.get(rec.report_way, rec.report_way)
    return {"report_way": way, "report_note": (e.data or {}).get("note", "") if e else "", "receiver": e.actor_name if e else ""}


def _declaration(case, user) -> dict:
    e = _latest(case, "declare")
    data = (e.data or {}) if e else {}
    return {"place": data.get("place", ""), "attendees": data.get("attendees", ""), "declarer": e.actor_name if e else ""}


def _plan(case, user) -> dict:
    reveal = has_cap(user, REVEAL)
    team = [
        (n, m.name, m.get_role_display(), m.get_gender_display(), m.unit or "—", (m.phone if reveal else mask_phone(m.phone)) or "—")
        for n, m in enumerate(case.correction_team.all(), start=1)
    ]
    return {"team": team}


# --- 训诫, 警告, 提请 ---------------------------------------------------------------------------------


def latest_discipline(case, *kinds):
    return case.correction_disciplines.filter(kind__in=kinds).order_by("-on", "-id").first()


def _has(*kinds):
    # On the case page the file's 奖惩 rows are read once, for these and its 基本信息 tab.
    return lambda case: case.record is not None and case_has(case, "correction_disciplines", kind__in=kinds)


def _discipline(kind):
    def ctx(case, user) -> dict:
        d = latest_discipline(case, kind)
        before = case.correction_disciplines.filter(kind__in=(Sanction.ADMONISH, Sanction.WARN), on__lte=d.on).exclude(pk=d.pk) if d else []
        return {
            "discipline": d,
            "earlier": [(x.get_kind_display(), x.on, x.corrected_on) for x in before],
        }

    return ctx


def _proposal(kind):
    def ctx(case, user) -> dict:
        d = latest_discipline(case, kind)
        earlier = case.correction_disciplines.filter(kind__in=(Sanction.ADMONISH, Sanction.WARN, Sanction.PENALTY))
        if d is not None:
            earlier = earlier.filter(on__lte=d.on)
        arrest = kind != Sanction.IMPRISON and d is not None and case.correction_disciplines.filter(kind=Sanction.ARREST, on__gte=d.on).exists()
        return PROPOSALS[kind] | {
            "discipline": d,
            "earlier": [(x.get_kind_display(), x.on, x.reason, x.corrected_on) for x in earlier],
            "arrest": arrest,
            "kind_label": Sanction(kind).label,
        }

    return ctx


# --- 解除 ------------------------------------------------------------------------------------------------


def _release(case, user) -> dict:
    rec = case.record
    expiry = rec.release_kind == ReleaseKind.EXPIRY
    return {
        "release_kind": _label(ReleaseKind, rec.release_kind),
        "effect": RELEASE_EFFECT.get(rec.category, "") if expiry else "经赦免，依法解除社区矫正",
        "expiry": expiry,
        "declarer": getattr(_latest(case, "release"), "actor_name", ""),
    }


def _released(case) -> bool:
    rec = case.record
    return rec is not None and (bool(rec.release_kind) or case.status == "released")


def _doc(key, label, available=None, extra=None, template: str = "") -> DocumentSpec:
    def ctx(case, user) -> dict:
        return context(case, user) | (extra(case, user) if extra else {})

    ok = available or (lambda case: case.record is not None)
    return DocumentSpec(key, label, f"correction/documents/{template or key}.txt", ok, ctx)


DOCUMENTS = (
    _doc("intake", "社区矫正对象接收登记表", extra=_intake),
    _doc("declaration", "入矫宣告书", lambda case: case.record is not None and case.record.declared_on is not None, _declaration),
    _doc("plan", "矫正方案", lambda case: case.record is not None and case.record.plan_on is not None, _plan),
    _doc("admonish", "训诫决定书", _has(Sanction.ADMONISH), _discipline(Sanction.ADMONISH), "discipline"),
    _doc("warn", "警告决定书", _has(Sanction.WARN), _discipline(Sanction.WARN), "discipline"),
    *(_doc(Sanction(kind).value, f"{Sanction(kind).label}建议书", _has(kind), _proposal(kind), "proposal") for kind in REVOCATIONS),
    _doc("certificate", "解除社区矫正证明书", _released, _release),
    _doc("release", "解矫宣告书", _released, _release),
)


# --- 调查评估 ----------------------------------------------------------------------------------------------


def _inquiry(case, user) -> dict:
    rec = case.record
    notes = [(_on(e), (e.data or {}).get("note", "")) for e in case.events.filter(transition="investigate").order_by("at", "id")]
    return {
        "LAW": LAW,
        "mark": mark(case),
        "organ": case.bureau.name,
        "office": case.owner_org.name,
        "person": person(case, user, "assessed"),
        "proposed": _label(Category, rec.proposed_category),
        "opinion": _label(Opinion, rec.opinion),
        "notes": notes,
        "issuer": getattr(_latest(case, "issue"), "actor_name", ""),
    }


INQUIRY_DOCUMENTS = (
    DocumentSpec(
        "opinion",
        "调查评估意见书",
        "correction/documents/opinion.txt",
        available=lambda case: case.record is not None and case.record.issued_on is not None,
        context=_inquiry,
    ),
)


# --- 审批表 (the documents of every approval procedure) ------------------------------------------------


def _steps(case, proc) -> dict:
    """The procedure's steps taken, by name (the last of each)."""
    out = {}
    for e in case.events.filter(data__procedure=proc.pk, transition__startswith=f"{proc.key}.").order_by("at", "id"):
        out[e.transition.split(".", 1)[1]] = e
    return out


def _span(d: dict) -> str:
    if not d.get("start") or not d.get("end"):
        return ""
    start, end = date.fromisoformat(d["start"]), date.fromisoformat(d["end"])
    return f"{ymd(start)}至{ymd(end)}，共{(end - start).days + 1}日"


PLACE_LABEL = {"leave": "前往地点", "work": "活动地点", "move": "新执行地", "place": "特定区域（场所）", "visit": "会客事项"}


def approval_context(case, user, proc) -> dict:
    d = (proc.data or {}) if proc else {}
    key = proc.key if proc else ""
    steps = _steps(case, proc) if proc else {}
    rows = [("审批事项", APPROVAL_KINDS.get(key, key)), ("申请日期", ymd(proc.opened_on) if proc else "")]
    if key in APPROVAL_SPANS:
        rows.append(("起止日期", _span(d)))
    if d.get("destination"):
        rows.append((PLACE_LABEL.get(key, "地点"), d["destination"]))
    if d.get("visitor"):
        rows.append(("会见对象", d["visitor"]))
    if key == "monitor":
        rows += [("适用情形", _label(MonitorCase, d.get("monitor_case", ""))), ("使用期限", f"{d.get('months', '')}个月")]
    # 司法所审核
    office = steps.get("approve_office")
    forward, refuse_review = steps.get("forward"), steps.get("refuse_review")
    if office:
        review = ("经审核，申请事由属实，外出时间在司法所批准权限以内，由司法所审批。", office.actor_name, _on(office))
    elif forward:
        said = (d.get("review") or "").strip().rstrip("。")
        review = (f"{said or '经审核，申请事由属实'}。同意，报县级社区矫正机构审批。", forward.actor_name, _on(forward))
    elif refuse_review:
        review = (f"不同意。理由：{refuse_review.reason}", refuse_review.actor_name, _on(refuse_review))
    else:
        review = ("", "", None)
    # 审批决定
    approve, refuse = steps.get("approve"), steps.get("refuse")
    if approve or office:
        e = approve or office
        opinion = d.get("opinion", "")
        decision = (("批准。" + opinion) if opinion else "批准。", e.actor_name or d.get("decided_by", ""), _on(e))
    elif refuse:
        decision = (f"不予批准。理由：{refuse.reason}", refuse.actor_name, _on(refuse))
    elif refuse_review:
        decision = ("司法所审核不同意，未报审批。", "", None)
    else:
        decision = ("", "", None)
    back = steps.get("back")
    end = steps.get("end")
    renewals = [
        (n, ymd(date.fromisoformat(r["on"])) if r.get("on") else "", r.get("months", ""), r.get("by", ""))
        for n, r in enumerate(d.get("renewals") or [], start=1)
    ]
    return context(case, user) | {
        "kind": APPROVAL_KINDS.get(key, key),
        "rows": rows,
        "reason": d.get("reason", ""),
        "review": review,
        "decision": decision,
        "decider": "县级司法行政部门负责人" if key == "monitor" else "司法所" if office else "县级社区矫正机构",
        "returned": (ymd(date.fromisoformat(d["returned_on"])), d.get("late_days", 0)) if back and d.get("returned_on") else None,
        "renewals": renewals,
        "ended": (end.reason, _on(end)) if end else None,
        "status": proc.status_label if proc else "",
    }


def approval_document(key: str) -> DocumentSpec:
    """The 审批表 of the approval ``key`` (``approvals._procedure`` declares it)."""
    return DocumentSpec(
        "approval",
        f"{APPROVAL_KINDS[key]}审批表",
        "correction/documents/approval.txt",
        available=lambda proc: True,
        procedure_context=approval_context,
    )

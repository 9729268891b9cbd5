"""The Word documents of a reconsideration case (行政复议法 §30–§76): templates
in ``templates/reconsideration/documents/`` (commands: ``common.docgen``), each
offered on the case page's 文书 tab once the step that issues it has happened.
Every one is issued by the 行政复议机关 under a variant of the case's 文号
(演司行复受字〔2026〕第3号)."""

from __future__ import annotations

from sifa.cases.documents import doc_number_variant, names, of_role, party_rows
from sifa.cases.selectors import case_has
from sifa.common import dictionaries
from sifa.common.text import cn_date, money
from sifa.kit.casetype import DocumentSpec

from . import conf, selectors
from .choices import (
    DECISION_ARTICLE,
    DECISION_KINDS,
    FY_REFUSAL_REASON,
    ActivityKind,
    NormReviewOrigin,
    OpinionKind,
    Outcome,
    Procedure,
    SuspensionGround,
    TerminationReason,
)

LAW = "《中华人民共和国行政复议法》"

TERMINATION_ARTICLE = {
    TerminationReason.WITHDRAWN: "第四十一条第一项",
    TerminationReason.SETTLED: "第七十四条、第四十一条第一项",
    TerminationReason.DEATH_NO_HEIR: "第四十一条第二项",
    TerminationReason.ORG_NO_SUCCESSOR: "第四十一条第三项",
    TerminationReason.CRIMINAL_MEASURES: "第四十一条第四项",
    TerminationReason.SUSPENSION_EXPIRED: "第四十一条第五项",
}


def organ(case) -> str:
    """The 行政复议机关: the district government whose 复议机构 is the bureau
    (行政复议法 §4); a deployment may name it in settings (``conf.py``)."""
    bureau = case.bureau.name
    return conf.get("ORGAN") or (bureau.replace("司法局", "人民政府") if bureau.endswith("司法局") else bureau)


def act_text(app) -> str:
    text = app.contested_act
    if app.act_number and app.act_number not in text:
        text += f"（{app.act_number}）"
    if app.amount is not None:
        text += f"（涉及款额{money(app.amount)}）"
    return text


def _short(label: str) -> str:
    return label.split("（")[0]


def _latest(related, *order, **filters):
    return related.filter(**filters).order_by(*order, "-id").first()


def _context(case, app) -> dict:
    respondent = selectors.agency_label(app.respondent_agency)
    act = act_text(app)
    return {
        "app": app,
        "LAW": LAW,
        "organ": organ(case),
        "act": act,
        "respondent": respondent,
        "applicants": names(of_role(case, "applicant"), blank="申请人"),
        "procedure": Procedure(app.procedure or Procedure.ORDINARY).label,
        "intro": f"你（单位）不服{respondent}作出的{act}，于{cn_date(case.opened_on)}向本机关提出行政复议申请。",
    }


def _decision(case, app) -> dict:
    return {"decision": selectors.deadline(case, "decision")}


# Where a handler's text turns from the reasons to the decision itself: the
# document writes the 依照……的规定，本机关决定 paragraph from the decision's kind,
# so the sentence holding one of these (and what follows) would say it twice.
_MAIN_TEXT_MARKS = ("本机关决定", "决定如下", "现决定", "特决定", "复议机关决定")
_SENTENCE_ENDS = "。！？；\n"


def reasoning(summary: str) -> str:
    """The 本机关认为 paragraph from what the handler wrote: without a leading
    "本机关认为：" and without the sentence that states the decision (its 主文,
    e.g. "依照……第六十四条的规定，本机关决定：撤销……"), which the document
    states once, in its own paragraph. Reasons citing a law stay."""
    text = (summary or "").strip()
    for lead in ("本机关认为：", "本机关认为:", "本机关认为，", "本机关认为"):
        if text.startswith(lead):
            text = text[len(lead) :].lstrip()
            break
    marks = [i for i in (text.find(m) for m in _MAIN_TEXT_MARKS) if i >= 0]
    if marks:
        first = min(marks)
        start = max(text.rfind(e, 0, first) for e in _SENTENCE_ENDS)
        text = text[: start + 1].rstrip() if start >= 0 else ""
    if text and text[-1] not in "。！？”":
        text = text.rstrip("，,；;") + "。"
    return text


def _parties(case, app) -> dict:
    roles = {"applicant": "申请人", "agent": "委托代理人"}
    return {
        "parties": party_rows(case, roles, contact=False),
        "third_parties": party_rows(case, {"third_party": "第三人"}, contact=False),
        "article": DECISION_ARTICLE.get(case.outcome, ""),
        "reasoning": reasoning(app.decision_summary),
    }


def _hearing(case, app) -> dict:
    a = selectors.scheduled_hearing(case) or _latest(case.fy_activities, "-on", kind=ActivityKind.HEARING)
    return {"hearing": a, "matters": a.summary.split("【听证笔录】")[0].strip()}


def _suspension(case, app) -> dict:
    s = _latest(case.fy_suspensions, "-started_on")
    return {"s": s, "ground": _short(SuspensionGround(s.ground).label), "item": list(SuspensionGround.values).index(s.ground) + 1}


def _resumption(case, app) -> dict:
    return {"s": _latest(case.fy_suspensions, "-ended_on", ended_on__isnull=False)}


def _refusal(case, app) -> dict:
    return {"refusal_reason": dictionaries.label(FY_REFUSAL_REASON, app.refusal_reason)}


def _opinion(case, app) -> dict:
    o = _latest(case.fy_opinions, "-issued_on")
    is_opinion = o.kind == OpinionKind.OPINION
    return {"o": o, "is_opinion": is_opinion, "addressee": selectors.agency_label(o.addressee), "word": "意" if is_opinion else "建"}


def _norm(competent: bool, on: str):
    def extra(case, app) -> dict:
        r = _latest(case.fy_norm_reviews, "-started_on", competent=competent, **{f"{on}__isnull": False})
        ctx = _context(case, app)
        matter = f"申请人{ctx['applicants']}不服{ctx['respondent']}作出的{ctx['act']}一案"
        if r.origin == NormReviewOrigin.APPLICATION:
            how = f"本机关在办理{matter}中，申请人依照{LAW}第十三条的规定，一并提出对{r.document}的附带审查申请。"
        else:
            how = f"本机关在审查{matter}时，认为被申请人作出行政行为所依据的{r.document}可能不合法。"
        return {"r": r, "how_raised": how}

    return extra


def _doc(key, label, word, available, extra=None) -> DocumentSpec:
    def context(case, user) -> dict:
        app = case.record
        ctx = _context(case, app) | (extra(case, app) if extra else {})
        return ctx | {"number": doc_number_variant(case, f"{ctx.get('word', word)}字")}

    return DocumentSpec(key, label, f"reconsideration/documents/{key}.txt", lambda case: case.record is not None and available(case, case.record), context)


def _has(related: str, **filters):
    # On the case page the rows are read once, for all of these and the 基本信息 tab.
    return lambda case, app: case_has(case, related, **filters)


FY_DOCUMENTS = (
    _doc("acceptance", "受理通知书", "受", lambda c, a: bool(a.accepted_on), _decision),
    _doc("refusal", "不予受理决定书", "不受", lambda c, a: c.outcome == Outcome.NOT_ACCEPTED, _refusal),
    _doc("correction", "补正通知书", "补", lambda c, a: bool(a.correction_notified_on)),
    _doc("reply_notice", "答复通知书", "答", lambda c, a: bool(a.accepted_on)),
    _doc("hearing", "听证通知书", "听", _has("fy_activities", kind="hearing"), _hearing),
    _doc("extension", "延期通知书", "延", lambda c, a: bool(a.extension_days), _decision),
    _doc("suspension", "中止通知书", "中", _has("fy_suspensions"), _suspension),
    _doc("resumption", "恢复审理通知书", "恢", _has("fy_suspensions", ended_on__isnull=False), _resumption),
    _doc(
        "termination",
        "终止通知书",
        "终",
        lambda c, a: c.outcome == Outcome.TERMINATE,
        lambda c, a: {"reason": _short(TerminationReason(a.termination_reason).label), "article": TERMINATION_ARTICLE[a.termination_reason]},
    ),
    _doc("decision", "行政复议决定书", "决", lambda c, a: c.outcome in DECISION_KINDS, _parties),
    _doc("mediation", "行政复议调解书", "调", lambda c, a: c.outcome == Outcome.MEDIATION, _parties),
    _doc("opinion", "意见书（建议书）", "意", _has("fy_opinions"), _opinion),
    _doc("norm_notice", "附带审查答复通知书", "审", _has("fy_norm_reviews", competent=True, notified_on__isnull=False), _norm(True, "notified_on")),
    _doc("norm_transfer", "附带审查转送函", "转", _has("fy_norm_reviews", competent=False, transferred_on__isnull=False), _norm(False, "transferred_on")),
)

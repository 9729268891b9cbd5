"""Notices of the procedure: 受理、不予受理、补正、答复、听证、延期、中止、恢复、终止."""

from __future__ import annotations

from sifa.common import dictionaries
from sifa.common.text import cn_date, cn_number

from .. import selectors
from ..choices import FY_REFUSAL_REASON, ActivityKind, SuspensionGround, TerminationReason
from .common import LAW, act_text, applicant_names, finish, procedure_label, respondent, start

FILING = "如不服本决定，可以自收到本决定书之日起十五日内依法向人民法院提起行政诉讼。"


def _intro(case, app) -> str:
    return f"你（单位）不服{respondent(app)}作出的{act_text(app)}，于{cn_date(case.opened_on)}向本机关提出行政复议申请。"


def acceptance(case, user) -> bytes:
    doc, app = start(case, "行政复议受理通知书", "受")
    doc.paragraph(f"{applicant_names(case)}：", indent=False)
    if app.deemed_accepted:
        body = f"本机关在法定审查期限内未作出不予受理决定，依照{LAW}第三十条第三款的规定，本案自审查期限届满之日即{cn_date(app.accepted_on)}起视为受理。"
    else:
        body = f"经审查，该申请符合{LAW}第三十条第一款规定的受理条件，本机关决定自{cn_date(app.accepted_on)}起受理。"
    doc.paragraph(_intro(case, app) + body)
    dl = selectors.deadline(case, "decision")
    days = dl.amount if dl else 60
    due = f"（届满日为{cn_date(dl.due_date)}）" if dl else ""
    doc.paragraph(
        f"本案适用{procedure_label(app)}审理。本机关将依照{LAW}第六十二条的规定，自受理之日起{cn_number(days)}日内作出行政复议决定{due}；"
        "依法中止、延长审理期限的，另行书面告知。"
    )
    doc.paragraph(f"行政复议期间，你（单位）可以依照{LAW}第四十七条的规定查阅、复制被申请人提出的书面答复、作出行政行为的证据、依据和其他有关材料。")
    return finish(doc, case, app.accepted_on)


def refusal(case, user) -> bytes:
    doc, app = start(case, "不予受理行政复议申请决定书", "不受")
    doc.paragraph(f"{applicant_names(case)}：", indent=False)
    reason = dictionaries.label(FY_REFUSAL_REASON, app.refusal_reason)
    doc.paragraph(_intro(case, app) + f"经审查，该申请{reason}。{app.decision_summary}")
    doc.paragraph(f"依照{LAW}第三十条第二款的规定，本机关决定不予受理。")
    if app.competent_organ:
        doc.paragraph(f"你（单位）可以向有管辖权的{app.competent_organ}申请行政复议。")
    doc.paragraph(FILING)
    return finish(doc, case, case.closed_on)


def correction(case, user) -> bytes:
    doc, app = start(case, "行政复议申请补正通知书", "补")
    doc.paragraph(f"{applicant_names(case)}：", indent=False)
    doc.paragraph(
        _intro(case, app) + f"经审查，申请材料不齐全或者表述不清楚。依照{LAW}第三十一条第一款的规定，请你（单位）自收到本通知之日起十个工作日内补正下列事项："
    )
    for line in app.correction_items.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.paragraph("有正当理由不能按期补正的，可以申请延长补正期限；无正当理由逾期不补正的，视为放弃行政复议申请，并记录在案。")
    return finish(doc, case, app.correction_notified_on)


def reply_notice(case, user) -> bytes:
    doc, app = start(case, "行政复议答复通知书", "答")
    simplified = app.procedure == "simplified"
    doc.paragraph(f"{respondent(app)}：", indent=False)
    doc.paragraph(
        f"申请人{applicant_names(case)}不服你单位作出的{act_text(app)}，向本机关申请行政复议，本机关已依法受理。现将行政复议申请书副本（或申请笔录复印件）发送你单位。"
    )
    doc.paragraph(
        f"依照{LAW}第{'五十四' if simplified else '四十八'}条的规定，请你单位自收到之日起{'五' if simplified else '十'}日（工作日）内提出书面答复，"
        "并提交作出行政行为的证据、依据和其他有关材料。"
    )
    doc.paragraph("逾期不提出书面答复、不提交证据和依据的，视为该行政行为没有证据、依据（第七十条）；被申请人的负责人应当参加听证（第五十一条）。")
    return finish(doc, case, app.copy_sent_on or app.accepted_on)


def hearing(case, user) -> bytes:
    doc, app = start(case, "行政复议听证通知书", "听")
    a = selectors.scheduled_hearing(case) or case.fy_activities.filter(kind=ActivityKind.HEARING).order_by("-on", "-id").first()
    doc.paragraph(f"{applicant_names(case)}、{respondent(app)}：", indent=False)
    doc.paragraph(
        f"关于申请人不服被申请人{act_text(app)}一案，本机关定于{cn_date(a.scheduled_for)}在{a.place}举行听证。拟听证事项：{a.summary.split('【听证笔录】')[0].strip()}"
    )
    doc.paragraph(
        f"请准时参加。申请人无正当理由拒不参加听证的，视为放弃听证权利；被申请人的负责人应当参加听证，不能参加的，应当说明理由并委托相应的工作人员参加（{LAW}第五十一条）。"
    )
    return finish(doc, case, a.on)


def extension(case, user) -> bytes:
    doc, app = start(case, "行政复议延期审理通知书", "延")
    dl = selectors.deadline(case, "decision")
    doc.paragraph(f"{applicant_names(case)}、{respondent(app)}：", indent=False)
    doc.paragraph(
        f"本机关受理的申请人不服被申请人{act_text(app)}一案，因情况复杂，不能在规定期限内作出行政复议决定。经行政复议机构负责人批准，"
        f"依照{LAW}第六十二条第一款的规定，审理期限延长{cn_number(app.extension_days)}日" + (f"，至{cn_date(dl.due_date)}届满。" if dl else "。")
    )
    return finish(doc, case, app.extension_approved_on)


def suspension(case, user) -> bytes:
    doc, app = start(case, "行政复议中止审理通知书", "中")
    s = case.fy_suspensions.order_by("-started_on", "-id").first()
    item = list(SuspensionGround.values).index(s.ground) + 1
    doc.paragraph(f"{applicant_names(case)}、{respondent(app)}：", indent=False)
    doc.paragraph(
        f"本机关受理的申请人不服被申请人{act_text(app)}一案，因{SuspensionGround(s.ground).label.split('（')[0]}"
        f"{'：' + s.note if s.note else ''}，依照{LAW}第三十九条第一款第{cn_number(item)}项的规定，本机关决定自{cn_date(s.started_on)}起中止审理。"
    )
    doc.paragraph("中止期间不计入审理期限。中止的原因消除后，本机关将及时恢复审理，并书面告知。")
    return finish(doc, case, s.started_on)


def resumption(case, user) -> bytes:
    doc, app = start(case, "行政复议恢复审理通知书", "恢")
    s = case.fy_suspensions.filter(ended_on__isnull=False).order_by("-ended_on", "-id").first()
    doc.paragraph(f"{applicant_names(case)}、{respondent(app)}：", indent=False)
    doc.paragraph(
        f"本机关于{cn_date(s.started_on)}中止审理的申请人不服被申请人{act_text(app)}一案，中止的原因已经消除。依照{LAW}第三十九条第二款的规定，"
        f"本机关决定自{cn_date(s.ended_on)}起恢复审理，审理期限继续计算。"
    )
    return finish(doc, case, s.ended_on)


TERMINATION_ITEM = {
    TerminationReason.WITHDRAWN: "第四十一条第一项",
    TerminationReason.SETTLED: "第七十四条、第四十一条第一项",
    TerminationReason.DEATH_NO_HEIR: "第四十一条第二项",
    TerminationReason.ORG_NO_SUCCESSOR: "第四十一条第三项",
    TerminationReason.CRIMINAL_MEASURES: "第四十一条第四项",
    TerminationReason.SUSPENSION_EXPIRED: "第四十一条第五项",
}


def termination(case, user) -> bytes:
    doc, app = start(case, "行政复议终止通知书", "终")
    reason = TerminationReason(app.termination_reason)
    doc.paragraph(f"{applicant_names(case)}、{respondent(app)}：", indent=False)
    doc.paragraph(
        f"本机关受理的申请人不服被申请人{act_text(app)}一案，因{reason.label.split('（')[0]}"
        f"{'（' + app.decision_summary + '）' if app.decision_summary else ''}，依照{LAW}{TERMINATION_ITEM[reason]}的规定，本机关决定终止行政复议。"
    )
    if reason == TerminationReason.SETTLED:
        doc.paragraph("行政复议终止后，申请人不得再以同一事实和理由提出行政复议申请，但能够证明撤回申请违背其真实意愿的除外。")
    return finish(doc, case, case.closed_on)

"""Documents that conclude or follow a case: 行政复议决定书, 调解书, 意见书/建议书."""

from __future__ import annotations

from sifa.common.text import cn_date

from .. import selectors
from ..choices import DECISION_ARTICLE, REVOKING, OpinionKind, Outcome
from .common import LAW, act_text, applicant_names, finish, organ, parties, procedure_label, respondent, start

ROLES = {"applicant": "申请人", "agent": "委托代理人"}


def _main_text(app, kind: str) -> str:
    act = f"被申请人作出的{act_text(app)}"
    text = {
        Outcome.CHANGE: f"变更{act}。",
        Outcome.REVOKE: f"撤销{act}。",
        Outcome.PARTIAL_REVOKE: f"部分撤销{act}。",
        Outcome.CONFIRM_ILLEGAL: f"确认{act}违法。",
        Outcome.ORDER_PERFORM: "责令被申请人在法定期限内履行法定职责。",
        Outcome.CONFIRM_INVALID: f"确认{act}无效。",
        Outcome.UPHOLD: f"维持{act}。",
        Outcome.DISMISS_CLAIM: "驳回申请人的行政复议请求。",
        Outcome.DISMISS_APPLICATION: "驳回申请人的行政复议申请。",
    }[kind]
    if kind in REVOKING and app.order_redo:
        text += "责令被申请人在法定期限内重新作出行政行为。"
    if app.compensation_awarded:
        text += "被申请人依法给予申请人赔偿（返还财产、解除查封、扣押、冻结措施或者赔偿相应的价款）。"
    return text


def _header(doc, case, app) -> None:
    rows = parties(case, ROLES)
    rows.append(("被申请人", f"{respondent(app)}。"))
    rows += parties(case, {"third_party": "第三人"})
    doc.fields(rows)


def decision(case, user) -> bytes:
    doc, app = start(case, "行政复议决定书", "决")
    _header(doc, case, app)
    how = "视为受理" if app.deemed_accepted else "依法受理"
    doc.paragraph(
        f"申请人不服被申请人作出的{act_text(app)}，于{cn_date(case.opened_on)}向本机关申请行政复议，本机关于{cn_date(app.accepted_on)}{how}，适用{procedure_label(app)}进行了审理。本案现已审理终结。"
    )
    doc.paragraph(f"申请人请求：{app.request}")
    if app.reasons:
        doc.paragraph(f"申请人称：{app.reasons}")
    doc.paragraph(f"本机关认为：{app.decision_summary}")
    article = DECISION_ARTICLE[case.outcome] + ("、第七十二条" if app.compensation_awarded else "")
    doc.paragraph(f"依照{LAW}{article}的规定，本机关决定：")
    doc.paragraph(_main_text(app, case.outcome))
    doc.paragraph("申请人如不服本决定，可以自收到本决定书之日起十五日内，依法向人民法院提起行政诉讼。")
    doc.paragraph(f"本决定书一经送达，即发生法律效力（{LAW}第七十五条）。")
    return finish(doc, case, case.closed_on)


def mediation(case, user) -> bytes:
    doc, app = start(case, "行政复议调解书", "调")
    _header(doc, case, app)
    doc.paragraph(
        f"申请人不服被申请人作出的{act_text(app)}，于{cn_date(case.opened_on)}向本机关申请行政复议。本机关受理后，依照{LAW}第五条的规定进行调解，当事人自愿达成如下协议："
    )
    for line in app.mediation_agreement.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    doc.paragraph(f"本调解书经各方当事人签字或者签章，并加盖本机关印章，即具有法律效力（{LAW}第七十三条）。被申请人应当履行本调解书（第七十七条）。")
    doc.signatures(["申请人", "被申请人"])
    return finish(doc, case, case.closed_on)


def opinion(case, user) -> bytes:
    o = case.fy_opinions.order_by("-issued_on", "-id").first()
    is_opinion = o.kind == OpinionKind.OPINION
    doc, app = start(case, "行政复议意见书" if is_opinion else "行政复议建议书", "意" if is_opinion else "建")
    doc.paragraph(f"{selectors.agency_label(o.addressee)}：", indent=False)
    doc.paragraph(f"本机关在办理申请人{applicant_names(case)}不服{respondent(app)}作出的{act_text(app)}一案中，发现以下问题：")
    for line in o.content.splitlines():
        if line.strip():
            doc.paragraph(line.strip())
    if is_opinion:
        doc.paragraph(f"依照{LAW}第七十六条的规定，请你单位自收到本意见书之日起六十日内，将纠正相关违法或者不当行政行为的情况报送本机关。")
    else:
        doc.paragraph("建议你单位认真研究、改进相关工作，并自收到本建议书之日起六十日内将采纳和整改情况函告本机关。")
    doc.paragraph(f"抄送：{organ(case)}行政复议机构。", indent=False)
    return finish(doc, case, o.issued_on)

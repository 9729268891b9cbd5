"""Word documents of a dispute, built from the case data with the committee's
name and the document number (人调字文号). Each is offered only when it makes
sense (``available``). The parties' sentences are the kernel's
(``cases.documents``): personal data in full only for roles that may reveal it.
"""

from __future__ import annotations

from sifa.cases.documents import names, party_sentence, party_values
from sifa.common import dictionaries
from sifa.common.docgen import OfficialDocument
from sifa.common.errors import DomainError
from sifa.common.text import cn_date, cn_number, money
from sifa.kit.casetype import DocumentSpec

from .choices import DISPUTE_TYPE_SET, AgreementForm, PartyRole, Result, SessionKind, Source, Status

ROLE_LABELS = dict(PartyRole.choices)
BLANK_NUMBER = "（　　）人调字第　　号"


def _type_label(d) -> str:
    return dictionaries.label(DISPUTE_TYPE_SET, d.dispute_type).split(" / ")[-1]


def _parties(case):
    return list(case.parties.all())


def _side(parties, role) -> list:
    return [p for p in parties if p.role == role]


def _mediator_names(d) -> str:
    return "、".join(link.mediator.name for link in d.mediator_links.select_related("mediator")) or (d.case.handler.display_name if d.case.handler else "")


def _doc(case) -> OfficialDocument:
    doc = OfficialDocument()
    doc.org_header(case.owner_org.name)
    return doc


def _party_block(doc, parties, user) -> None:
    doc.fields((ROLE_LABELS.get(p.role, p.role), party_sentence(p, user)) for p in parties)


# --- 人民调解申请书 / 受理登记表 ------------------------------------------------------------------------


def build_application(case, user) -> bytes:
    d = case.record
    parties = _parties(case)
    doc = OfficialDocument()
    doc.title("人民调解申请书")
    _party_block(doc, parties, user)
    doc.heading("申请事项")
    respondents = names(_side(parties, PartyRole.RESPONDENT))
    doc.paragraph(f"请求{case.owner_org.name}对申请人与{respondents}之间的{_type_label(d)}进行调解。")
    doc.heading("事实和理由")
    doc.paragraph(case.summary)
    doc.paragraph("此致", indent=True)
    doc.paragraph(case.owner_org.name, indent=False)
    doc.signatures([f"申请人{p.name}" for p in _side(parties, PartyRole.APPLICANT)])
    return doc.bytes()


def build_registration(case, user) -> bytes:
    d = case.record
    parties = _parties(case)
    doc = _doc(case)
    doc.title("人民调解受理登记表", case.doc_number or BLANK_NUMBER)
    doc.form_table(
        [
            ("登记日期", cn_date(case.opened_on)),
            ("案件编码", case.code),
            ("案件来源", d.get_source_display() + (f"（{d.referred_by}）" if d.referred_by else "")),
            ("纠纷类型", _type_label(d)),
            ("纠纷发生地", d.place),
            ("争议金额", money(d.amount_in_dispute) if d.amount_in_dispute is not None else "—"),
        ]
    )
    doc.heading("当事人")
    rows = []
    for p in parties:
        v = party_values(p, user)
        rows.append([ROLE_LABELS.get(p.role, p.role), p.name, p.get_gender_display() if p.gender else "", v["id_number"], v["phone"], v["address"]])
    doc.table(["身份", "姓名/名称", "性别", "证件号码", "联系电话", "住址"], rows, size=10.5)
    doc.heading("纠纷简要情况")
    doc.paragraph(case.summary)
    doc.heading("受理情况")
    if d.accepted_on:
        doc.paragraph(f"经审查，本委员会于{cn_date(d.accepted_on)}决定受理，调解员：{_mediator_names(d) or '待指派'}。")
    elif case.status == Status.NOT_ACCEPTED:
        doc.paragraph(f"不予受理。原因：{d.get_not_accepted_reason_display()}。")
    else:
        doc.paragraph("待审查。")
    doc.signatures(["当事人", "登记人"])
    doc.signature(case.owner_org.name, d.accepted_on or case.opened_on)
    return doc.bytes()


# --- 调解笔录 (调查记录 and 调解记录) ---------------------------------------------------------------------


def build_sessions(case, user) -> bytes:
    d = case.record
    doc = _doc(case)
    held = list(d.sessions.filter(held=True))
    for i, s in enumerate(held):
        if i:
            doc.page_break()
        doc.title("调查笔录" if s.kind == SessionKind.INVESTIGATION else "调解笔录", case.doc_number)
        when = cn_date(s.on) + (f" {s.at_time:%H:%M}" if s.at_time else "")
        doc.fields([("时间", when), ("地点", s.place), ("调解员", s.mediators or _mediator_names(d)), ("参加人", s.participants), ("案由", case.title)])
        doc.heading("记录")
        for line in (s.record or "").splitlines() or [""]:
            doc.paragraph(line)
        doc.signatures(["参加人", "调解员", "记录人"])
    return doc.bytes()


# --- 人民调解协议书 ------------------------------------------------------------------------------------------


def copies_sentence(parties) -> str:
    """RMTJ §29: each party keeps one original, the committee one."""
    n = len([p for p in parties if p.role in (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY)])
    if n <= 2:
        return "本协议一式三份，双方当事人、人民调解委员会各执一份。"
    return f"本协议一式{cn_number(n + 1)}份，各方当事人各执一份，人民调解委员会留存一份。"


def build_agreement(case, user) -> bytes:
    d = case.record
    if d.agreement_form != AgreementForm.WRITTEN:
        raise DomainError("本案没有书面调解协议。")
    parties = _parties(case)
    doc = _doc(case)
    doc.title("人民调解协议书", case.doc_number)
    _party_block(doc, parties, user)
    doc.heading("纠纷的主要事实、争议事项及各方当事人的责任")
    doc.paragraph(d.facts)
    doc.heading("经人民调解委员会调解，各方当事人自愿达成如下协议")
    for line in d.agreement_content.splitlines() or [""]:
        doc.paragraph(line)
    doc.heading("履行方式、期限")
    doc.fields(
        [
            ("履行方式", d.performance_manner),
            ("履行期限", f"{cn_date(d.performance_deadline)}前" if d.performance_deadline else "已当场履行完毕"),
            ("协议涉及金额", money(d.agreement_amount) if d.agreement_amount is not None else "无"),
        ]
    )
    doc.paragraph("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。")
    doc.paragraph(
        "经人民调解委员会调解达成的调解协议，具有法律约束力，当事人应当按照约定履行。双方当事人认为有必要的，可以自本协议生效之日起三十日内共同向人民法院申请司法确认。"
    )
    doc.paragraph(copies_sentence(parties))
    doc.signatures([f"{ROLE_LABELS.get(p.role, p.role)}{p.name}" for p in parties] + [f"人民调解员{_mediator_names(d)}"])
    doc.signature(case.owner_org.name, d.agreed_on)
    return doc.bytes()


# --- 终止调解通知书 -----------------------------------------------------------------------------------------


def build_termination(case, user) -> bytes:
    d = case.record
    parties = _parties(case)
    applicants, respondents = _side(parties, PartyRole.APPLICANT), _side(parties, PartyRole.RESPONDENT)
    doc = _doc(case)
    doc.title("终止调解通知书", case.doc_number)
    doc.paragraph(f"{names(applicants + respondents)}：", indent=False)
    accepted = f"本委员会于{cn_date(d.accepted_on)}受理" if d.accepted_on else "本委员会受理"
    doc.paragraph(
        f"{names(applicants)}与{names(respondents)}之间的{_type_label(d)}，{accepted}后进行了调解。因{d.get_termination_reason_display()}，"
        "根据《中华人民共和国人民调解法》第二十六条的规定，本委员会决定终止调解。"
    )
    doc.paragraph("你们可以依法通过仲裁、行政、司法等途径维护自己的权利。")
    doc.paragraph("特此通知。")
    doc.signature(case.owner_org.name, d.outcome_on)
    return doc.bytes()


# --- 回访记录 -------------------------------------------------------------------------------------------------


def build_visits(case, user) -> bytes:
    d = case.record
    doc = _doc(case)
    doc.title("人民调解回访记录", case.doc_number)
    for i, v in enumerate(d.visits.all()):
        if i:
            doc.page_break()
        doc.form_table(
            [
                ("当事人", names(_parties(case))),
                ("调解协议编号", case.doc_number),
                ("回访事由", "了解调解协议履行情况，督促履行（人民调解法第三十一条）"),
                ("回访时间", cn_date(v.on)),
                ("回访方式", v.get_method_display()),
                ("回访对象", v.visited),
                ("履行情况", v.get_performance_display()),
                ("满意度", v.get_satisfaction_display()),
                ("是否起诉", "是" if v.sued else "否"),
                ("是否激化/隐患", "是" if v.new_risk else "否"),
            ]
        )
        doc.heading("回访情况")
        doc.paragraph(v.notes or "—")
        doc.heading("采取的措施")
        doc.paragraph(v.measures or "—")
        doc.fields([("回访人", v.visitor)])
    return doc.bytes()


# --- 卷宗封面 and 卷内目录 (the county standard order, DOMAIN.md §2.3) ----------------------------------------------

# (name, mandatory) in the standard order.
DOSSIER_ORDER = [
    ("人民调解申请书或人民调解受理登记表", True),
    ("当事人权利义务告知书", True),
    ("当事人身份证明", True),
    ("授权委托书", False),
    ("调查记录", False),
    ("证据材料", False),
    ("调解记录", True),
    ("调解协议书", True),
    ("收条、汇款单等履行凭证", False),
    ("回访记录", False),
    ("司法确认有关材料", False),
    ("卷宗情况说明", False),
    ("封底", True),
]


def dossier_presence(case, d) -> list[str]:
    """For each item of ``DOSSIER_ORDER``: 有 / 无 / "" (to be checked by the filer)."""
    sessions = d.sessions.filter(held=True)
    has_agent = case.parties.filter(role=PartyRole.AGENT).exists()
    agreement = "有" if d.agreement_form == AgreementForm.WRITTEN else ("口头协议记录" if d.agreement_form == AgreementForm.ORAL else "无")
    return [
        "有",
        "",
        "",
        "有" if has_agent else "无",
        "有" if sessions.filter(kind=SessionKind.INVESTIGATION).exists() else "无",
        "",
        "有" if sessions.filter(kind=SessionKind.MEDIATION).exists() else "无",
        agreement if d.result == Result.SUCCESS else ("终止调解通知书" if d.result == Result.FAILED else "无"),
        "",
        "有" if d.visit_count else "无",
        "有" if hasattr(d, "confirmation") else "无",
        "",
        "有",
    ]


def build_dossier(case, user) -> bytes:
    d = case.record
    doc = OfficialDocument()
    doc.title("人民调解卷宗")
    end = d.outcome_on or case.closed_on
    doc.form_table(
        [
            ("卷名", case.title),
            ("卷号", case.doc_number or BLANK_NUMBER),
            ("调解组织", case.owner_org.name),
            ("人民调解员", _mediator_names(d)),
            ("调解日期", f"{cn_date(d.accepted_on) or '　　'}至{cn_date(end) or '　　'}"),
            ("案件编码", case.code),
            ("立卷人", getattr(user, "display_name", "")),
            ("立卷日期", cn_date(case.closed_on) if case.closed_on else "　　年　　月　　日"),
            ("保管期限", "　　"),
            ("结案方式", case.outcome_label or "—"),
        ],
        cols=1,
        size=14,
    )
    doc.page_break()
    doc.title("卷内目录")
    presence = dossier_presence(case, d)
    rows = [[i + 1, name, "必须" if required else "按需", presence[i], ""] for i, (name, required) in enumerate(DOSSIER_ORDER)]
    doc.table(["序号", "材料名称", "要求", "具备情况", "页码"], rows, widths_cm=[1.5, 7.5, 1.8, 2.8, 1.8])
    return doc.bytes()


# --- availability ----------------------------------------------------------------------------------------------


def _with(test):
    return lambda case: case.record is not None and test(case, case.record)


DOCUMENTS = (
    DocumentSpec("application", "人民调解申请书", build_application, _with(lambda c, d: d.source == Source.APPLICATION)),
    DocumentSpec("registration", "人民调解受理登记表", build_registration, _with(lambda c, d: True)),
    DocumentSpec("sessions", "调解笔录", build_sessions, _with(lambda c, d: d.sessions.filter(held=True).exists())),
    DocumentSpec("agreement", "人民调解协议书", build_agreement, _with(lambda c, d: d.result == Result.SUCCESS and d.agreement_form == AgreementForm.WRITTEN)),
    DocumentSpec("termination", "终止调解通知书", build_termination, _with(lambda c, d: d.result == Result.FAILED)),
    DocumentSpec("visits", "回访记录", build_visits, _with(lambda c, d: d.visit_count > 0)),
    DocumentSpec("dossier", "卷宗封面及卷内目录", build_dossier, _with(lambda c, d: c.status != Status.REGISTERED)),
)

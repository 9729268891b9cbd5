"""Word documents of a dispute: templates in ``templates/mediation/documents/``
(see ``common.docgen`` for their commands), each offered only when it makes
sense (``available``). The parties' sentences are the kernel's
(``cases.documents``): personal data in full only for roles that may reveal it.
"""

from __future__ import annotations

from sifa.cases.documents import names, party_sentence, party_values
from sifa.cases.selectors import case_has
from sifa.common import dictionaries
from sifa.common.text import cn_number
from sifa.kit.casetype import DocumentSpec

from .choices import DISPUTE_TYPE_SET, AgreementForm, PartyRole, Result, SessionKind, Source, Status

ROLE_LABELS = dict(PartyRole.choices)
SIDES = (PartyRole.APPLICANT, PartyRole.RESPONDENT, PartyRole.THIRD_PARTY)

# 卷内目录: (name, mandatory) in the county standard order (DOMAIN.md §2.3).
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


def copies_sentence(parties) -> str:
    """RMTJ §29: each party keeps one original, the committee one."""
    n = len([p for p in parties if p.role in SIDES])
    if n <= 2:
        return "本协议一式三份，双方当事人、人民调解委员会各执一份。"
    return f"本协议一式{cn_number(n + 1)}份，各方当事人各执一份，人民调解委员会留存一份。"


def mediator_names(d) -> str:
    return "、".join(link.mediator.name for link in d.mediator_links.select_related("mediator")) or (d.case.handler.display_name if d.case.handler else "")


def dossier_presence(case, d) -> list[str]:
    """For each item of ``DOSSIER_ORDER``: 有 / 无 / "" (to be checked by the filer)."""
    held = {s.kind for s in d.sessions.filter(held=True)}
    has = lambda yes: "有" if yes else "无"  # noqa: E731
    agreement = {AgreementForm.WRITTEN: "有", AgreementForm.ORAL: "口头协议记录"}.get(d.agreement_form, "无")
    outcome = {Result.SUCCESS: agreement, Result.FAILED: "终止调解通知书"}.get(d.result, "无")
    has_agent = case.parties.filter(role=PartyRole.AGENT).exists()
    investigated, mediated, confirmed = has(SessionKind.INVESTIGATION in held), has(SessionKind.MEDIATION in held), has(hasattr(d, "confirmation"))
    return ["有", has(d.accepted_on is not None), "", has(has_agent), investigated, "", mediated, outcome, "", has(d.visit_count), confirmed, "", "有"]


def context(case, user) -> dict:
    d = case.record
    parties = list(case.parties.all())
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    respondents = [p for p in parties if p.role == PartyRole.RESPONDENT]
    return {
        "d": d,
        "org": case.owner_org.name,
        "number": case.doc_number or "（　　）人调字第　　号",
        "kind": dictionaries.label(DISPUTE_TYPE_SET, d.dispute_type).split(" / ")[-1],
        "mediators": mediator_names(d),
        "parties": [{"role": ROLE_LABELS.get(p.role, p.role), "p": p, "sentence": party_sentence(p, user), "v": party_values(p, user)} for p in parties],
        "applicants": applicants,
        "applicant_names": names(applicants),
        "respondent_names": names(respondents),
        "both_names": names(applicants + respondents),
        "party_names": names(parties),
        "sessions": d.sessions.filter(held=True),
        "copies": copies_sentence(parties),
    }


def dossier_context(case, user) -> dict:
    rows = zip(DOSSIER_ORDER, dossier_presence(case, case.record), strict=True)
    return context(case, user) | {"contents": [(name, required, present) for (name, required), present in rows]}


def _doc(key, label, available, extra=context) -> DocumentSpec:
    return DocumentSpec(key, label, f"mediation/documents/{key}.txt", lambda case: case.record is not None and available(case, case.record), extra)


DOCUMENTS = (
    _doc("application", "人民调解申请书", lambda c, d: d.source == Source.APPLICATION),
    _doc("registration", "人民调解受理登记表", lambda c, d: True),
    # Read to the parties once the committee has accepted the dispute (卷内目录第二项).
    _doc("notice", "当事人权利义务告知书", lambda c, d: d.accepted_on is not None),
    _doc("sessions", "调解笔录", lambda c, d: case_has(c, "sessions", of=d, held=True)),
    _doc("agreement", "人民调解协议书", lambda c, d: d.result == Result.SUCCESS and d.agreement_form == AgreementForm.WRITTEN),
    _doc("termination", "终止调解通知书", lambda c, d: d.result == Result.FAILED),
    _doc("visits", "回访记录", lambda c, d: d.visit_count > 0),
    _doc("dossier", "卷宗封面及卷内目录", lambda c, d: c.status != Status.REGISTERED, dossier_context),
)

"""The Word documents of a reconsideration case (行政复议法 §30–§76), each
offered on the case page's 文书 tab once the step that issues it has happened."""

from __future__ import annotations

from sifa.kit.casetype import DocumentSpec

from ..choices import DECISION_KINDS, Outcome
from . import decisions, norm, notices


def _app(case):
    return case.record


def _accepted(case) -> bool:
    app = _app(case)
    return bool(app and app.accepted_on)


def _has(related: str, **filters):
    def check(case) -> bool:
        return getattr(case, related).filter(**filters).exists()

    return check


FY_DOCUMENTS = (
    DocumentSpec("acceptance", "受理通知书", notices.acceptance, _accepted),
    DocumentSpec("refusal", "不予受理决定书", notices.refusal, lambda case: case.outcome == Outcome.NOT_ACCEPTED),
    DocumentSpec("correction", "补正通知书", notices.correction, lambda case: bool(_app(case) and _app(case).correction_notified_on)),
    DocumentSpec("reply_notice", "答复通知书", notices.reply_notice, _accepted),
    DocumentSpec("hearing", "听证通知书", notices.hearing, _has("fy_activities", kind="hearing")),
    DocumentSpec("extension", "延期通知书", notices.extension, lambda case: bool(_app(case) and _app(case).extension_days)),
    DocumentSpec("suspension", "中止通知书", notices.suspension, _has("fy_suspensions")),
    DocumentSpec("resumption", "恢复审理通知书", notices.resumption, _has("fy_suspensions", ended_on__isnull=False)),
    DocumentSpec("termination", "终止通知书", notices.termination, lambda case: case.outcome == Outcome.TERMINATE),
    DocumentSpec("decision", "行政复议决定书", decisions.decision, lambda case: case.outcome in DECISION_KINDS),
    DocumentSpec("mediation", "行政复议调解书", decisions.mediation, lambda case: case.outcome == Outcome.MEDIATION),
    DocumentSpec("opinion", "意见书（建议书）", decisions.opinion, _has("fy_opinions")),
    DocumentSpec("norm_notice", "附带审查答复通知书", norm.drafter_notice, _has("fy_norm_reviews", competent=True, notified_on__isnull=False)),
    DocumentSpec("norm_transfer", "附带审查转送函", norm.transfer_letter, _has("fy_norm_reviews", competent=False, transferred_on__isnull=False)),
)

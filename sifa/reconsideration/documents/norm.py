"""The letters of a 附带审查 (行政复议法 §56–§60): the notice asking the drafting
organ for a written reply (§58) and the letter transferring the review to the
organ competent to handle it (§56, §57, §60)."""

from __future__ import annotations

from ..choices import NormReviewOrigin
from .common import LAW, act_text, applicant_names, finish, respondent, start


def _latest(case, **filters):
    return case.fy_norm_reviews.filter(**filters).order_by("-started_on", "-id").first()


def _how_raised(case, app, r) -> str:
    matter = f"申请人{applicant_names(case)}不服{respondent(app)}作出的{act_text(app)}一案"
    if r.origin == NormReviewOrigin.APPLICATION:
        return f"本机关在办理{matter}中，申请人依照{LAW}第十三条的规定，一并提出对{r.document}的附带审查申请。"
    return f"本机关在审查{matter}时，认为被申请人作出行政行为所依据的{r.document}可能不合法。"


def drafter_notice(case, user) -> bytes:
    r = _latest(case, competent=True, notified_on__isnull=False)
    doc, app = start(case, "规范性文件附带审查答复通知书", "审")
    doc.paragraph(f"{r.drafting_organ}：", indent=False)
    doc.paragraph(_how_raised(case, app, r) + "本机关有权对其进行处理，行政复议已依法中止。")
    doc.paragraph(
        f"依照{LAW}第五十八条的规定，请你单位自收到本通知之日起十个工作日内，就相关条款的合法性提出书面答复，并提交制定依据及相关材料。"
        "必要时，本机关将要求你单位当面说明理由。"
    )
    return finish(doc, case, r.notified_on)


def transfer_letter(case, user) -> bytes:
    r = _latest(case, competent=False, transferred_on__isnull=False)
    doc, app = start(case, "规范性文件附带审查转送函", "转")
    doc.paragraph(f"{r.transferee}：", indent=False)
    doc.paragraph(_how_raised(case, app, r) + f"该文件由{r.drafting_organ}制定，本机关无权处理。")
    doc.paragraph(
        f"依照{LAW}第五十六条、第五十七条的规定，现将有关材料转送你单位依法处理。请依照第六十条的规定，自收到本函之日起六十日内将处理意见回复本机关。"
    )
    return finish(doc, case, r.transferred_on)

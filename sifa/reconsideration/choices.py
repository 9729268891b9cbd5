"""States and code lists of administrative reconsideration (行政复议, letters FY)
and administrative suits (行政应诉, letters YS). English values, Chinese labels.

Lists a bureau may want to edit (matter categories, 不予受理 reasons, respondent
agencies) are dictionaries, seeded from the lists at the end of this module by
a data migration and by the demo (an administrator may rename, reorder or
disable entries later); the ones fixed by statute are the choices here.
"""

from django.db import models

from sifa.cases.choices import Channel

FY_KEY = "reconsideration"
YS_KEY = "litigation"

# How an application may reach the bureau (行政复议法 §22).
FY_CHANNELS = {
    Channel.POST: "邮寄",
    Channel.IN_PERSON: "当面提交",
    Channel.ONLINE: "互联网渠道",
    Channel.ORAL: "口头申请（当场记录）",
}
FY_PARTY_ROLES = {"applicant": "申请人", "agent": "委托代理人", "third_party": "第三人"}
YS_PARTY_ROLES = {"plaintiff": "原告", "agent": "原告委托代理人", "third_party": "第三人"}


class FyStatus(models.TextChoices):
    RECEIVED = "received", "待审查"
    CORRECTING = "correcting", "待补正"
    REVIEWING = "reviewing", "审理中"
    SUSPENDED = "suspended", "中止审理"
    CLOSED = "closed", "已结案"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ABANDONED = "abandoned", "视为放弃申请"


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"


class SimplifiedGround(models.TextChoices):
    """行政复议法 §53."""

    ON_THE_SPOT = "on_the_spot", "被申请的行政行为是当场作出（第五十三条第一款第一项）"
    WARNING = "warning", "行政行为是警告或者通报批评（第一款第二项）"
    SMALL_AMOUNT = "small_amount", "案件涉及款额三千元以下（第一款第三项）"
    INFO_DISCLOSURE = "info_disclosure", "属于政府信息公开案件（第一款第四项）"
    PARTIES_AGREE = "parties_agree", "当事人各方同意适用简易程序（第二款）"


SIMPLIFIED_AMOUNT_LIMIT = 3000


class Outcome(models.TextChoices):
    """结案方式 (Case.outcome) of a reconsideration case."""

    CHANGE = "change", "变更"
    REVOKE = "revoke", "撤销"
    PARTIAL_REVOKE = "partial_revoke", "部分撤销"
    CONFIRM_ILLEGAL = "confirm_illegal", "确认违法"
    ORDER_PERFORM = "order_perform", "责令履行"
    CONFIRM_INVALID = "confirm_invalid", "确认无效"
    UPHOLD = "uphold", "维持"
    DISMISS_CLAIM = "dismiss_claim", "驳回复议请求"
    DISMISS_APPLICATION = "dismiss_application", "驳回申请"
    MEDIATION = "mediation", "调解（行政复议调解书）"
    TERMINATE = "terminate", "终止"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ABANDONED = "abandoned", "视为放弃申请"


# Decisions on the merits (作出行政复议决定): the denominator of 纠错率.
DECISIONS = (
    Outcome.CHANGE,
    Outcome.REVOKE,
    Outcome.PARTIAL_REVOKE,
    Outcome.CONFIRM_ILLEGAL,
    Outcome.ORDER_PERFORM,
    Outcome.CONFIRM_INVALID,
    Outcome.UPHOLD,
    Outcome.DISMISS_CLAIM,
)
# 纠错: the act was changed, revoked, declared illegal or invalid, or the duty ordered.
CORRECTIVE = (Outcome.CHANGE, Outcome.REVOKE, Outcome.PARTIAL_REVOKE, Outcome.CONFIRM_ILLEGAL, Outcome.CONFIRM_INVALID, Outcome.ORDER_PERFORM)
# 审结: every way an accepted case is concluded.
CONCLUDED = (*DECISIONS, Outcome.DISMISS_APPLICATION, Outcome.MEDIATION, Outcome.TERMINATE)

# The decision types a 决定书 carries, with their article of the 2023 law.
DECISION_KINDS = (*DECISIONS, Outcome.DISMISS_APPLICATION)
DECISION_ARTICLE = {
    Outcome.CHANGE: "第六十三条",
    Outcome.REVOKE: "第六十四条",
    Outcome.PARTIAL_REVOKE: "第六十四条",
    Outcome.CONFIRM_ILLEGAL: "第六十五条",
    Outcome.ORDER_PERFORM: "第六十六条",
    Outcome.CONFIRM_INVALID: "第六十七条",
    Outcome.UPHOLD: "第六十八条",
    Outcome.DISMISS_CLAIM: "第六十九条",
    Outcome.DISMISS_APPLICATION: "第三十三条",
}
# Decisions that presuppose an application to perform a statutory duty (不作为).
INACTION_ONLY = (Outcome.ORDER_PERFORM, Outcome.DISMISS_CLAIM)
REVOKING = (Outcome.REVOKE, Outcome.PARTIAL_REVOKE)


class SuspensionGround(models.TextChoices):
    """行政复议法 §39 第一款."""

    DEATH = "death", "申请人死亡，其近亲属尚未确定是否参加（第一项）"
    INCAPACITY = "incapacity", "申请人丧失行为能力，尚未确定法定代理人（第二项）"
    MISSING = "missing", "申请人下落不明（第三项）"
    ORG_TERMINATED = "org_terminated", "申请人法人或其他组织终止，尚未确定权利义务承受人（第四项）"
    FORCE_MAJEURE = "force_majeure", "因不可抗力或其他正当理由不能参加（第五项）"
    MEDIATION = "mediation", "调解、和解，申请人和被申请人同意中止（第六项）"
    INTERPRETATION = "interpretation", "法律适用问题需有权机关解释或确认（第七项）"
    OTHER_CASE = "other_case", "须以其他案件审理结果为依据（第八项）"
    INCIDENTAL_REVIEW = "incidental_review", "规范性文件或依据附带审查（第九项，第五十六条、第五十七条）"
    OTHER = "other", "其他需要中止的情形（第十项）"


# §41(5): a suspension on items 1, 2 or 4 that lasts 60 days ends the case.
AUTO_TERMINATE_GROUNDS = (SuspensionGround.DEATH, SuspensionGround.INCAPACITY, SuspensionGround.ORG_TERMINATED)
SUSPENSION_LIMIT_DAYS = 60


class TerminationReason(models.TextChoices):
    """行政复议法 §41, §74."""

    WITHDRAWN = "withdrawn", "申请人撤回行政复议申请，准予撤回（第一项）"
    SETTLED = "settled", "当事人达成和解，申请人撤回申请（第七十四条）"
    DEATH_NO_HEIR = "death_no_heir", "申请人死亡，没有近亲属或近亲属放弃权利（第二项）"
    ORG_NO_SUCCESSOR = "org_no_successor", "法人或其他组织终止，没有承受人或承受人放弃权利（第三项）"
    CRIMINAL_MEASURES = "criminal_measures", "因同一违法行为涉嫌犯罪被采取刑事强制措施（第四项）"
    SUSPENSION_EXPIRED = "suspension_expired", "中止满六十日，中止原因仍未消除（第五项）"


# 调撤: a mediation agreement, or a withdrawal (after settlement or not).
WITHDRAWALS = (TerminationReason.WITHDRAWN, TerminationReason.SETTLED)


class ActivityKind(models.TextChoices):
    HEAR = "hear", "听取意见"
    HEARING = "hearing", "听证"
    INVESTIGATION = "investigation", "调查取证"
    COMMITTEE = "committee", "行政复议委员会咨询"
    MEDIATION = "mediation", "调解/和解"


class HearMethod(models.TextChoices):
    """行政复议法 §49."""

    IN_PERSON = "in_person", "当面听取"
    ONLINE = "online", "通过互联网听取"
    PHONE = "phone", "电话听取"
    WRITTEN = "written", "因当事人原因不能听取意见，书面审理"


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "已通知"
    HELD = "held", "已举行"


class MediationResult(models.TextChoices):
    ONGOING = "ongoing", "继续调解"
    FAILED = "failed", "调解未达成协议"
    SETTLED = "settled", "达成和解（待申请人撤回）"


class OpinionKind(models.TextChoices):
    OPINION = "opinion", "行政复议意见书（第七十六条）"
    SUGGESTION = "suggestion", "行政复议建议书"


OPINION_FEEDBACK_DAYS = 60


class NormReviewOrigin(models.TextChoices):
    """附带审查: asked for by the applicant, or found by the organ itself."""

    APPLICATION = "application", "申请人一并提出附带审查申请（第十三条、第五十六条）"
    EX_OFFICIO = "ex_officio", "审查中认为被申请人的依据不合法（第五十七条）"


class NormReviewResult(models.TextChoices):
    LAWFUL = "lawful", "相关条款合法，在行政复议决定书中一并告知（第五十九条）"
    UNLAWFUL = "unlawful", "超越权限或违反上位法，决定停止执行并责令制定机关纠正（第五十九条）"
    TRANSFEREE_REPLIED = "transferee_replied", "有权处理的机关已回复处理意见（第六十条）"


NORM_HANDLE_DAYS = 30  # §56–57: handle within 30 days (calendar, §88)
NORM_TRANSFER_WORKDAYS = 7  # §56–57: or transfer within 7 (working) days
NORM_NOTICE_WORKDAYS = 3  # §58: notify the drafting organ within 3 days of the 中止
NORM_REPLY_WORKDAYS = 10  # §58: the drafting organ replies within 10 days
NORM_TRANSFER_REPLY_DAYS = 60  # §60: the transferee replies within 60 days


# --- 行政应诉 -----------------------------------------------------------------------------------


class YsStatus(models.TextChoices):
    REGISTERED = "registered", "待答辩"
    IN_TRIAL = "in_trial", "审理中"
    JUDGED = "judged", "已裁判（上诉期内）"
    CLOSED = "closed", "已结案"


class Instance(models.TextChoices):
    FIRST = "first", "一审"
    SECOND = "second", "二审"
    RETRIAL = "retrial", "再审"


class JudgmentKind(models.TextChoices):
    """What the court decided (行政诉讼法 §69–§78; rulings and second instance)."""

    DISMISS_CLAIM = "dismiss_claim", "判决驳回原告诉讼请求（第六十九条）"
    REVOKE = "revoke", "判决撤销或部分撤销（第七十条）"
    ORDER_PERFORM = "order_perform", "判决履行法定职责（第七十二条）"
    ORDER_PAYMENT = "order_payment", "判决履行给付义务（第七十三条）"
    CONFIRM_ILLEGAL = "confirm_illegal", "判决确认违法（第七十四条）"
    CONFIRM_INVALID = "confirm_invalid", "判决确认无效（第七十五条）"
    COMPENSATION = "compensation", "判决赔偿或采取补救措施（第七十六条）"
    CHANGE = "change", "判决变更（第七十七条）"
    AGREEMENT = "agreement", "判决承担行政协议责任（第七十八条）"
    DISMISS_SUIT = "dismiss_suit", "裁定驳回起诉"
    WITHDRAWN = "withdrawn", "裁定准予撤诉"
    MEDIATION = "mediation", "调解结案（第六十条）"
    DISMISS_APPEAL = "dismiss_appeal", "驳回上诉，维持原裁判"
    AMEND_WIN = "amend_win", "改判（行政机关胜诉）"
    AMEND_LOSS = "amend_loss", "改判（行政机关败诉）"
    REMAND = "remand", "发回重审"


# 判决 (judgments) as opposed to 裁定 (rulings) and mediation: the denominator of 败诉率.
JUDGMENTS = (
    JudgmentKind.DISMISS_CLAIM,
    JudgmentKind.REVOKE,
    JudgmentKind.ORDER_PERFORM,
    JudgmentKind.ORDER_PAYMENT,
    JudgmentKind.CONFIRM_ILLEGAL,
    JudgmentKind.CONFIRM_INVALID,
    JudgmentKind.COMPENSATION,
    JudgmentKind.CHANGE,
    JudgmentKind.AGREEMENT,
)
LOSSES = (
    JudgmentKind.REVOKE,
    JudgmentKind.ORDER_PERFORM,
    JudgmentKind.ORDER_PAYMENT,
    JudgmentKind.CONFIRM_ILLEGAL,
    JudgmentKind.CONFIRM_INVALID,
    JudgmentKind.COMPENSATION,
    JudgmentKind.CHANGE,
    JudgmentKind.AGREEMENT,
    JudgmentKind.AMEND_LOSS,
)
RULINGS = (JudgmentKind.DISMISS_SUIT, JudgmentKind.WITHDRAWN)
FIRST_INSTANCE_KINDS = (*JUDGMENTS, *RULINGS, JudgmentKind.MEDIATION)
APPEAL_KINDS = (JudgmentKind.DISMISS_APPEAL, JudgmentKind.AMEND_WIN, JudgmentKind.AMEND_LOSS, JudgmentKind.REMAND, *RULINGS, JudgmentKind.MEDIATION)
# 行政诉讼法 §85: appeal within 15 days of a judgment, 10 days of a ruling.
APPEAL_DAYS_JUDGMENT = 15
APPEAL_DAYS_RULING = 10
DEFENCE_DAYS = 15  # 行政诉讼法 §67


class AbsenceReason(models.TextChoices):
    """Why the agency head could not appear (最高法 2020 规定 §8)."""

    FORCE_MAJEURE = "force_majeure", "不可抗力"
    ACCIDENT = "accident", "意外事件"
    DUTIES = "duties", "需要履行他人不能代替的公务"
    OTHER = "other", "无法出庭的其他正当事由"


# --- editable code lists (dictionaries) and their seeds -----------------------------------------

RESPONDENT_AGENCY = "respondent_agency"
FY_CATEGORY = "fy_category"
FY_REFUSAL_REASON = "fy_refusal_reason"

SET_LABELS = {
    RESPONDENT_AGENCY: "被申请人/被告行政机关",
    FY_CATEGORY: "行政复议事项类别",
    FY_REFUSAL_REASON: "行政复议不予受理理由",
}

# A plausible district's agencies (a deployment replaces them with its own).
AGENCIES = [
    ("gov", "区人民政府"),
    ("public_security", "区公安分局"),
    ("market", "区市场监督管理局"),
    ("hrss", "区人力资源和社会保障局"),
    ("natural_resources", "区自然资源局"),
    ("housing", "区住房和城乡建设局"),
    ("urban_management", "区城市管理和综合执法局"),
    ("ecology", "区生态环境分局"),
    ("transport", "区交通运输局"),
    ("health", "区卫生健康局"),
    ("education", "区教育局"),
    ("civil_affairs", "区民政局"),
    ("agriculture", "区农业农村局"),
    ("emergency", "区应急管理局"),
    ("culture_tourism", "区文化和旅游局"),
    ("medical_insurance", "区医疗保障局"),
    ("veterans", "区退役军人事务局"),
    ("street_donghu", "东湖街道办事处"),
    ("town_xishan", "西山镇人民政府"),
    ("town_nanqiao", "南桥镇人民政府"),
]

# 行政复议法 §11 (fifteen items) with the sub-items production systems use (DOMAIN.md §3.2).
CATEGORIES = [
    ("penalty", "行政处罚"),
    ("penalty_warning", "警告、通报批评", "penalty"),
    ("penalty_fine", "罚款", "penalty"),
    ("penalty_confiscation", "没收违法所得、没收非法财物", "penalty"),
    ("penalty_licence", "暂扣或吊销许可证件、降低资质等级", "penalty"),
    ("penalty_detention", "行政拘留", "penalty"),
    ("penalty_other", "其他行政处罚", "penalty"),
    ("coercion", "行政强制措施、行政强制执行"),
    ("licensing", "行政许可"),
    ("resource_title", "自然资源权属确认"),
    ("expropriation", "征收征用及补偿"),
    ("compensation", "行政赔偿"),
    ("work_injury", "工伤认定"),
    ("business_autonomy", "经营自主权、农村土地承包经营权"),
    ("competition", "排除、限制竞争"),
    ("illegal_levy", "违法集资、摊派费用或要求履行其他义务"),
    ("inaction", "不履行法定职责（不作为）"),
    ("inaction_licence", "不颁发证照、不审批登记", "inaction"),
    ("inaction_protection", "不履行保护人身权、财产权、受教育权职责", "inaction"),
    ("social_security", "不依法给付抚恤金、社会保险待遇、最低生活保障"),
    ("agreement", "行政协议"),
    ("info_disclosure", "政府信息公开"),
    ("complaint", "举报投诉处理"),
    ("other", "其他行政行为"),
]
# Categories that are applications to perform a duty (preset the 不作为 flag).
INACTION_CATEGORIES = ("inaction", "inaction_licence", "inaction_protection", "social_security")

# 行政复议法 §30 第一款 and the statistics columns of DOMAIN.md §3.2.
REFUSAL_REASONS = [
    ("no_party", "无明确的申请人或被申请人不适格（第三十条第一款第一项）"),
    ("no_interest", "申请人与行政行为无利害关系（第二项）"),
    ("no_request", "无具体的行政复议请求和理由（第三项）"),
    ("out_of_time", "超过法定申请期限（第四项，第二十条、第二十一条）"),
    ("out_of_scope", "不属于行政复议范围（第五项，第十二条）"),
    ("scope_state_act", "国防、外交等国家行为", "out_of_scope"),
    ("scope_normative", "规范性文件等抽象行政行为", "out_of_scope"),
    ("scope_personnel", "对工作人员的奖惩、任免等决定", "out_of_scope"),
    ("scope_civil_mediation", "对民事纠纷作出的调解", "out_of_scope"),
    ("scope_petition", "信访事项处理行为", "out_of_scope"),
    ("scope_guidance", "不具强制力的行政指导", "out_of_scope"),
    ("scope_criminal", "刑事司法行为", "out_of_scope"),
    ("no_jurisdiction", "不属于本机关管辖（第六项）"),
    ("duplicate", "已受理同一申请或人民法院已受理同一行政行为的诉讼（第七项）"),
    ("other", "其他"),
]
# Reasons that require naming the competent organ (§30 第二款).
NEEDS_COMPETENT_ORGAN = ("no_jurisdiction",)


def seed(ensure) -> int:
    """Seed every list with ``ensure(code_set, items, source)`` (the dictionaries service)."""
    return ensure(RESPONDENT_AGENCY, AGENCIES, "local") + ensure(FY_CATEGORY, CATEGORIES, "statute") + ensure(FY_REFUSAL_REASON, REFUSAL_REASONS, "statute")

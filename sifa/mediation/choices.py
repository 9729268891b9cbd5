"""Status and code lists of people's mediation: English values, Chinese labels.

Editable lists (dispute types, professional fields) live in the dictionary
table instead (``DISPUTE_TYPES`` / ``FIELDS`` below are only their seeds).
"""

from django.db import models

CASE_TYPE = "mediation"

# Dictionary sets (sifa.common.dictionaries)
DISPUTE_TYPE_SET = "mediation_dispute_type"
FIELD_SET = "mediation_field"

# What the line brings to the registry (line.py): its org kinds, role and assignment.
COMMITTEE, STUDIO = "committee", "studio"
MEDIATION_ORG_KINDS = (COMMITTEE, STUDIO)
MEDIATOR = "mediator"  # the role 人民调解员 and the assignment 调解员


class Status(models.TextChoices):
    REGISTERED = "registered", "已登记"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ACCEPTED = "accepted", "已受理"
    MEDIATING = "mediating", "调解中"
    AGREED = "agreed", "已达成协议（履行中）"
    TERMINATED = "terminated", "调解终止"
    ARCHIVED = "archived", "已结案归档"


class Outcome(models.TextChoices):
    """Case.outcome of a closed dispute."""

    SUCCESS = "success", "调解成功"
    FAILED = "failed", "调解不成（终止）"
    NOT_ACCEPTED = "not_accepted", "不予受理"


class Result(models.TextChoices):
    """The mediation outcome written when it happens (before archiving)."""

    SUCCESS = "success", "调解成功"
    FAILED = "failed", "调解不成"


class Source(models.TextChoices):
    APPLICATION = "application", "当事人申请"
    INITIATIVE = "initiative", "调委会主动调解（排查）"
    COURT = "court", "人民法院委托移送"
    POLICE = "police", "公安机关移送"
    PETITION = "petition", "信访部门移送"
    GOVERNMENT = "government", "政府及部门委托移送"
    OTHER_REFERRAL = "other_referral", "其他单位委托移送"


class SourceGroup(models.TextChoices):
    """The three source groups of the statistical bulletins (申请/主动/委托移送)."""

    APPLICATION = "application", "申请调解"
    INITIATIVE = "initiative", "主动调解"
    REFERRAL = "referral", "委托移送调解"


SOURCE_GROUP = {
    Source.APPLICATION: SourceGroup.APPLICATION,
    Source.INITIATIVE: SourceGroup.INITIATIVE,
    Source.COURT: SourceGroup.REFERRAL,
    Source.POLICE: SourceGroup.REFERRAL,
    Source.PETITION: SourceGroup.REFERRAL,
    Source.GOVERNMENT: SourceGroup.REFERRAL,
    Source.OTHER_REFERRAL: SourceGroup.REFERRAL,
}
REFERRAL_SOURCES = frozenset(s for s, g in SOURCE_GROUP.items() if g == SourceGroup.REFERRAL)


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"
    AGENT = "agent", "代理人"


# Sides of a dispute: "one party on each side" means one applicant and one respondent.
SIDES = (PartyRole.APPLICANT, PartyRole.RESPONDENT)


class NotAcceptedReason(models.TextChoices):
    PARTY_REFUSES = "party_refuses", "当事人一方明确拒绝调解"
    NOT_CIVIL = "not_civil", "不属于民间纠纷"
    OTHER_PROCEDURE = "other_procedure", "已进入诉讼、仲裁或行政处理程序"
    OTHER = "other", "其他原因"


class MediatorChoice(models.TextChoices):
    DESIGNATED = "designated", "调委会指定"
    CHOSEN = "chosen", "当事人选择"


class SessionKind(models.TextChoices):
    INVESTIGATION = "investigation", "调查"
    MEDIATION = "mediation", "调解"


class AgreementForm(models.TextChoices):
    ORAL = "oral", "口头协议"
    WRITTEN = "written", "书面调解协议书"


class TerminationReason(models.TextChoices):
    NO_AGREEMENT = "no_agreement", "经调解未能达成协议"
    PARTY_REFUSES = "party_refuses", "当事人拒绝继续调解"
    EXTENSION_FAILED = "extension_failed", "延期后仍未达成协议"
    LITIGATION = "litigation", "当事人已起诉、申请仲裁或行政处理"
    OTHER = "other", "其他原因"


class Performance(models.TextChoices):
    PENDING = "pending", "待履行"
    PERFORMED = "performed", "履行完毕"
    PARTLY = "partly", "部分履行"
    NOT_PERFORMED = "not_performed", "未履行"


class VisitMethod(models.TextChoices):
    HOME = "home", "上门回访"
    PHONE = "phone", "电话回访"
    OFFICE = "office", "当事人来访"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class RiskKind(models.TextChoices):
    PUBLIC_ORDER = "public_order", "可能引发治安案件"
    CRIMINAL = "criminal", "可能引发刑事案件"
    MASS = "mass", "可能引发群体性事件或越级上访"
    EXTREME = "extreme", "当事人有极端言行"


class RiskLevel(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较大"
    MAJOR = "major", "重大"


class RiskStatus(models.TextChoices):
    ACTIVE = "active", "预警中"
    REPORTED = "reported", "已报告公安"
    DEFUSED = "defused", "已化解（防止民转刑）"
    ESCALATED = "escalated", "已转化为治安/刑事案件"


class ConfirmationStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    ACCEPTED = "accepted", "法院已受理"
    NOT_ACCEPTED = "not_accepted", "法院不予受理"
    CONFIRMED = "confirmed", "确认有效"
    REJECTED = "rejected", "驳回申请（不予确认）"
    WITHDRAWN = "withdrawn", "当事人撤回申请"


CONFIRMATION_PENDING = frozenset({ConfirmationStatus.APPLIED, ConfirmationStatus.ACCEPTED})


# --- the registry of mediation organisations and people -----------------------------------


class CommitteeType(models.TextChoices):
    VILLAGE = "village", "村（居）民委员会人民调解委员会"
    TOWNSHIP = "township", "乡镇（街道）人民调解委员会"
    ENTERPRISE = "enterprise", "企事业单位人民调解委员会"
    PROFESSIONAL = "professional", "行业性专业性人民调解委员会"
    STUDIO_PERSONAL = "studio_personal", "个人调解工作室"
    STUDIO_GOLD = "studio_gold", "金牌调解工作室"
    STUDIO_REPS = "studio_reps", "“两代表一委员”调解工作室"
    STUDIO_OTHER = "studio_other", "其他调解工作室"


STUDIO_TYPES = frozenset({CommitteeType.STUDIO_PERSONAL, CommitteeType.STUDIO_GOLD, CommitteeType.STUDIO_REPS, CommitteeType.STUDIO_OTHER})


class Position(models.TextChoices):
    """A mediator's place in one committee. 主任/副主任/委员 are the committee's
    members (委员, RMTJ §8: 3–9); 聘任调解员 are mediators it engages (§13)."""

    DIRECTOR = "director", "主任"
    DEPUTY = "deputy", "副主任"
    MEMBER = "member", "委员"
    MEDIATOR = "mediator", "聘任调解员"


MEMBER_POSITIONS = frozenset({Position.DIRECTOR, Position.DEPUTY, Position.MEMBER})


class MediatorKind(models.TextChoices):
    FULL_TIME = "full_time", "专职"
    PART_TIME = "part_time", "兼职"


class MediatorLevel(models.TextChoices):
    UNRATED = "", "未评定"
    LEVEL_1 = "1", "一级"
    LEVEL_2 = "2", "二级"
    LEVEL_3 = "3", "三级"
    LEVEL_4 = "4", "四级"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


# --- dictionary seeds ------------------------------------------------------------------------

# The 15 categories of the MoJ statistical list (DOMAIN.md §2.2, 黄石 bulletin);
# "99" = 其他 as in MoJ code lists. Sub-types are optional second-level entries.
DISPUTE_TYPES: list[tuple] = [
    ("01", "婚姻家庭纠纷"),
    ("02", "邻里纠纷"),
    ("03", "房屋宅基地纠纷"),
    ("04", "合同纠纷"),
    ("05", "生产经营纠纷"),
    ("06", "损害赔偿纠纷"),
    ("07", "山林土地纠纷"),
    ("08", "征地拆迁纠纷"),
    ("09", "环境污染纠纷"),
    ("10", "劳动争议纠纷"),
    ("11", "消费纠纷"),
    ("12", "医疗纠纷"),
    ("13", "道路交通事故纠纷"),
    ("14", "物业纠纷"),
    ("99", "其他纠纷"),
    ("0101", "婚姻纠纷", "01"),
    ("0102", "赡养纠纷", "01"),
    ("0103", "抚养纠纷", "01"),
    ("0104", "继承纠纷", "01"),
    ("1001", "拖欠农民工工资纠纷", "10"),
    ("1101", "电子商务纠纷", "11"),
    ("9901", "旅游纠纷", "99"),
    ("9902", "村务管理纠纷", "99"),
]

FIELDS: list[tuple] = [
    ("medical", "医疗纠纷（医患）"),
    ("property", "物业纠纷"),
    ("labour", "劳动人事争议"),
    ("traffic", "道路交通事故"),
    ("family", "婚姻家庭"),
    ("consumer", "消费纠纷"),
    ("commercial", "商事纠纷"),
    ("ip", "知识产权"),
    ("other", "其他"),
]

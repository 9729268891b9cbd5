"""States and code lists of the 12348 hotline and the public legal service
centres (RX). English values, Chinese labels. Sources: DOMAIN.md §7 (the
proposed work-order model, a bureau's 12345-transfer rules)."""

from django.db import models

CASE_TYPE = "hotline"
VISITS_KEY = "hotline.visits"

# The org kind of a public legal service centre (公共法律服务中心), at a city or a district.
PLS_CENTER = "pls_center"
# Who may own a work order (the front desk that received it): the bureau, its centre, or
# an office's public legal service station (公共法律服务工作站) for a walk-in.
OWNER_KINDS = ("city_bureau", "bureau", PLS_CENTER, "office")


class Status(models.TextChoices):
    REGISTERED = "registered", "待受理"
    ACCEPTED = "accepted", "已受理"
    DISPATCHED = "dispatched", "已派单"
    HANDLING = "handling", "办理中"
    REPLIED = "replied", "已反馈待回访"
    CLOSED = "closed", "已办结"


class Channel(models.TextChoices):
    """Where the order came from (受理渠道)."""

    HOTLINE = "12348", "12348电话"
    TRANSFER_12345 = "12345", "12345转办"
    LINKAGE_110 = "110", "110联动"
    ONLINE = "online", "网络/网站"
    WINDOW = "window", "窗口"
    LETTER = "letter", "信函"


# The platforms that transfer orders with their own reference (and take replies back).
PLATFORMS = (Channel.TRANSFER_12345, Channel.LINKAGE_110)


class Kind(models.TextChoices):
    """工单类型: the type decides the time limit (conf.LIMITS)."""

    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    APPOINTMENT = "appointment", "预约"


class Appointment(models.TextChoices):
    """What a 预约 books (一端发起、多端响应)."""

    LEGAL_AID = "legal_aid", "法律援助"
    MEDIATION = "mediation", "人民调解"
    OTHER = "other", "其他公共法律服务"


class Category(models.TextChoices):
    """法律类别 of the matter (the hotline's specialist seats and the counts by category)."""

    CONTRACT = "contract", "合同纠纷"
    LABOUR = "labour", "劳动劳务"
    FAMILY = "family", "婚姻家庭"
    PROPERTY = "property", "房产物业"
    TORT = "tort", "侵权损害"
    TRAFFIC = "traffic", "交通事故"
    DEBT = "debt", "借贷债务"
    ADMINISTRATIVE = "administrative", "行政"
    CRIMINAL = "criminal", "刑事"
    COMPANY = "company", "公司经营"
    OTHER = "other", "其他"


class Target(models.TextChoices):
    """Who an order is dispatched to (派单对象)."""

    OFFICE = "office", "司法所"
    LEGAL_AID = "legal_aid_center", "法律援助中心"
    COMMITTEE = "committee", "人民调解委员会"
    CENTER = "pls_center", "公共法律服务中心"
    LAW_FIRM = "law_firm", "律师事务所"


# The org kinds each target is (a law firm is not in the tree: its name is typed).
TARGET_KINDS = {
    Target.OFFICE: ("office",),
    Target.LEGAL_AID: ("legal_aid_center",),
    Target.COMMITTEE: ("committee", "studio"),
    Target.CENTER: (PLS_CENTER,),
}
# Every org kind an order may be dispatched to.
DISPATCHED_TO = frozenset(k for kinds in TARGET_KINDS.values() for k in kinds)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    UNSATISFIED = "unsatisfied", "不满意"


class CallbackWay(models.TextChoices):
    PHONE = "phone", "电话回访"
    SMS = "sms", "短信评价"
    VISIT = "visit", "上门回访"
    NONE = "unreachable", "联系不上"


class Point(models.TextChoices):
    """公共法律服务实体平台: the level of the place a visitor came to."""

    CENTER = "center", "公共法律服务中心"
    STATION = "station", "公共法律服务工作站"
    ROOM = "room", "公共法律服务工作室"


class Service(models.TextChoices):
    """What a visitor came for (一窗办多事)."""

    CONSULT = "consult", "法律咨询"
    LEGAL_AID = "legal_aid", "法律援助"
    MEDIATION = "mediation", "人民调解"
    NOTARY = "notary", "公证"
    APPRAISAL = "appraisal", "司法鉴定"
    LAWYER = "lawyer", "律师服务"
    ARBITRATION = "arbitration", "仲裁"
    COMPLAINT = "complaint", "投诉举报"
    OTHER = "other", "其他"


# Party roles: the caller (诉求人) and, when there is one, the other side of the matter.
PARTY_ROLES = {"caller": "诉求人", "respondent": "对方当事人", "agent": "代理人"}

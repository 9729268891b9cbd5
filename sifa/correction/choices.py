"""States and code lists of 社区矫正 (JZ) and its 调查评估 (PG). English values,
Chinese labels. Sources: DOMAIN.md §4 (社区矫正法; the code lists of §4.4)."""

from django.db import models

CASE_TYPE = "correction"
ASSESSMENT = "correction_assessment"

# The role of the line's office officers (社区矫正工作人员).
OFFICER_ROLE = "correction_officer"


class Status(models.TextChoices):
    RECEIVED = "received", "待报到"  # documents received; the person has 10 days to report (§21)
    ENROLLED = "enrolled", "已报到待宣告"  # reported, identity checked, file opened (§22)
    SUPERVISING = "supervising", "在矫"
    LOST = "lost", "脱管"
    RELEASED = "released", "已解除矫正"
    TERMINATED = "terminated", "已终止矫正"


ACTIVE = (Status.RECEIVED, Status.ENROLLED, Status.SUPERVISING, Status.LOST)
# On the register (在册): reported and not yet released or terminated.
ON_REGISTER = (Status.ENROLLED, Status.SUPERVISING, Status.LOST)


class AssessmentStatus(models.TextChoices):
    ENTRUSTED = "entrusted", "调查中"
    ISSUED = "issued", "已出具意见"
    WITHDRAWN = "withdrawn", "委托撤回"


class Category(models.TextChoices):
    """矫正类别 (§2)."""

    CONTROL = "control", "管制"
    PROBATION = "probation", "缓刑"
    PAROLE = "parole", "假释"
    MEDICAL = "medical", "暂予监外执行"


class DecisionOrgan(models.TextChoices):
    COURT = "court", "人民法院"
    POLICE = "police", "公安机关"
    PRISON = "prison", "监狱管理机关"


class Entruster(models.TextChoices):
    """委托单位 of a 调查评估."""

    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    POLICE = "police", "公安机关"
    PRISON = "prison", "监狱"


class Opinion(models.TextChoices):
    SUITABLE = "suitable", "适宜社区矫正"
    UNSUITABLE = "unsuitable", "不适宜社区矫正"


class Grade(models.TextChoices):
    """管理等级 (分类管理; the province's grades, DOMAIN §4.3)."""

    STRICT = "strict", "严管"
    NORMAL = "normal", "普管"
    LENIENT = "lenient", "宽管"


class ActivityKind(models.TextChoices):
    """日常监管 records (§26: 通信联络, 信息化核查, 实地查访; §35–43: education, 公益活动)."""

    REPORT = "report", "报告"
    WRITTEN = "written", "书面汇报"
    TALK = "talk", "个别教育/谈话"
    VISIT = "visit", "实地查访"
    CHECK = "check", "信息化核查（位置核查）"
    STUDY = "study", "教育学习"
    SERVICE = "service", "公益活动"


class ReportWay(models.TextChoices):
    IN_PERSON = "in_person", "当面"
    PHONE = "phone", "电话"
    VIDEO = "video", "视频"


# Every kind of contact that proves where the person is (for 脱管 warnings).
CONTACT_KINDS = (ActivityKind.REPORT, ActivityKind.TALK, ActivityKind.VISIT, ActivityKind.CHECK)


class Reward(models.TextChoices):
    COMMEND = "commend", "表扬"
    REDUCTION = "reduction", "提请减刑"


class Sanction(models.TextChoices):
    """The ladder of §28 (and §46–49 for the proposals to the court or the prison authority)."""

    ADMONISH = "admonish", "训诫"
    WARN = "warn", "警告"
    PENALTY = "penalty", "提请治安管理处罚"
    REVOKE_PROBATION = "revoke_probation", "提请撤销缓刑"
    REVOKE_PAROLE = "revoke_parole", "提请撤销假释"
    IMPRISON = "imprison", "提请收监执行"
    ARREST = "arrest", "提请逮捕"


# Which revocation fits which category (§46–49).
REVOCATION = {Category.PROBATION: Sanction.REVOKE_PROBATION, Category.PAROLE: Sanction.REVOKE_PAROLE, Category.MEDICAL: Sanction.IMPRISON}
REVOCATIONS = tuple(REVOCATION.values())


class MonthResult(models.TextChoices):
    """月度考核 (DOMAIN §4.3, 福建)."""

    GOOD = "good", "良好"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class ReleaseKind(models.TextChoices):
    EXPIRY = "expiry", "矫正期满"
    PARDON = "pardon", "赦免"


class TerminationKind(models.TextChoices):
    REVOKE_PROBATION = "revoke_probation", "撤销缓刑"
    REVOKE_PAROLE = "revoke_parole", "撤销假释"
    IMPRISON = "imprison", "收监执行"
    DEATH = "death", "死亡"
    OTHER = "other", "其他"


class MonitorCase(models.TextChoices):
    """The five cases in which 电子定位 may be used (§29), and no other."""

    PROHIBITION = "prohibition", "违反人民法院禁止令"
    LEFT = "left", "无正当理由，未经批准离开所居住的市、县"
    REFUSED = "refused", "拒不按照规定报告自己的活动情况，被给予警告"
    PENALTY = "penalty", "违反监督管理规定，被给予治安管理处罚"
    REVOCATION = "revocation", "拟提请撤销缓刑、假释或者暂予监外执行收监执行"


class TeamRole(models.TextChoices):
    """矫正小组 members (§25)."""

    OFFICER = "officer", "司法所工作人员"
    COMMITTEE = "committee", "村（居）民委员会人员"
    FAMILY = "family", "家庭成员/监护人"
    EMPLOYER = "employer", "所在单位或学校人员"
    SOCIAL = "social", "社会工作者"
    VOLUNTEER = "volunteer", "志愿者"
    POLICE = "police", "派出所民警"


PARTY_ROLES = {"subject": "社区矫正对象"}
ASSESSMENT_PARTY_ROLES = {"assessed": "被调查评估对象"}


# 审批事项 (§23, §27, §29; the 智慧矫正 checklist of DOMAIN §4.6), each a procedure in the case.
APPROVAL_KINDS = {
    "leave": "外出",
    "work": "经常性跨市县活动",
    "move": "变更执行地",
    "visit": "会客",
    "place": "进入特定区域（场所）",
    "medical": "病情复查期限延长",
    "monitor": "使用电子定位装置",
}
# Asked with a period (start and end).
APPROVAL_SPANS = ("leave", "work", "place")

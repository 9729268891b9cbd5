"""States and code lists of 安置帮教 (AZ). English values, Chinese labels; the risk
grades and the period lengths a bureau may change are in ``conf.py``."""

from django.db import models

CASE_TYPE = "resettlement"

# The role of the office's resettlement officers (安置帮教工作人员): this line only.
OFFICER_ROLE = "resettlement_officer"


class Status(models.TextChoices):
    PENDING = "pending", "待释放"  # from the prison's notice, before release
    UNLINKED = "unlinked", "未衔接"  # released, not reported or not found: being searched for
    ASSISTING = "assisting", "帮教中"  # handed over, within the assistance period
    ENDED = "ended", "已解除"  # the period ended, re-offended, died, or moved away


class Origin(models.TextChoices):
    """Where the person comes from: the seeds count 监所释放 and 解除社区矫正 apart."""

    PRISON = "prison", "监狱刑满释放"
    DETENTION = "detention", "看守所刑满释放"
    CORRECTION = "correction", "解除社区矫正"

    @classmethod
    def custodial(cls) -> list[str]:
        return [cls.PRISON, cls.DETENTION]


class Verification(models.TextChoices):
    """摸排: what the office found about a notified person."""

    LOCAL = "local", "本辖区居住"
    ELSEWHERE = "elsewhere", "人户分离（居住在其他辖区）"
    NOT_FOUND = "not_found", "查无此人/下落不明"


class HandoverWay(models.TextChoices):
    """衔接方式: collected at the gate (必接必送), brought by family, or reported in person."""

    COLLECTED = "collected", "监所门口接回（必接必送）"
    FAMILY = "family", "亲属接回后报到"
    REPORTED = "reported", "本人报到"
    FOUND = "found", "查找后衔接"
    # From community correction: the office that supervised hands the file on on the release day.
    TRANSFERRED = "transferred", "解除社区矫正直接衔接"


class ContactKind(models.TextChoices):
    VISIT = "visit", "走访"
    TALK = "talk", "谈话"
    PHONE = "phone", "电话联系"


class AssistanceKind(models.TextChoices):
    EMPLOYMENT = "employment", "就业帮扶"
    BUSINESS = "business", "自主创业扶持"
    DIBAO = "dibao", "最低生活保障"
    INSURANCE = "insurance", "社会保险"
    HOUSING = "housing", "过渡性安置（安置基地）"
    TRAINING = "training", "技能培训"
    LEGAL_AID = "legal_aid", "法律援助"
    RELIEF = "relief", "临时救助"
    OTHER = "other", "其他帮扶"


class Placement(models.TextChoices):
    """安置 (how the person is settled): what 安置率 counts."""

    EMPLOYED = "employed", "就业"
    SELF_EMPLOYED = "self_employed", "自主创业/个体经营"
    FARMING = "farming", "务农"
    DIBAO = "dibao", "纳入低保"
    BASE = "base", "过渡性安置基地"
    FAMILY = "family", "家庭接纳"
    SCHOOL = "school", "就学"
    NOT_NEEDED = "not_needed", "无需安置（退休、丧失劳动能力等）"


class EndKind(models.TextChoices):
    EXPIRED = "expired", "帮教期满解除"
    REOFFENDED = "reoffended", "重新违法犯罪"
    DIED = "died", "死亡"
    MOVED = "moved", "迁出本区（移交）"


# Party roles this line uses, in display order: the person is the case's party.
PARTY_ROLES = {"releasee": "刑满释放人员", "relative": "亲属/联系人"}


# Still to be handed over: registered from the notice (or released), or being searched for.
NOT_LINKED = (Status.PENDING, Status.UNLINKED)

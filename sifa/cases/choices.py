from django.db import models

from sifa.kit import registry
from sifa.kit.roles import AssignmentRoleSpec


class PartyKind(models.TextChoices):
    NATURAL = "natural", "自然人"
    LEGAL = "legal", "法人"
    UNINCORPORATED = "unincorporated", "非法人组织"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    USCC = "uscc", "统一社会信用代码"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他证件"


class PartyRole(models.TextChoices):
    """Generic roles; a line may relabel them (CaseType.party_roles)."""

    APPLICANT = "applicant", "申请人"
    RESPONDENT = "respondent", "被申请人"
    THIRD_PARTY = "third_party", "第三人"
    AGENT = "agent", "代理人"
    PARTY = "party", "当事人"
    OTHER = "other", "其他"


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class EventKind(models.TextChoices):
    CREATED = "created", "登记"
    TRANSITION = "transition", "办理"
    EDIT = "edit", "修改"
    PARTY = "party", "当事人"
    ATTACHMENT = "attachment", "附件"
    ASSIGNMENT = "assignment", "指派"
    DEADLINE = "deadline", "期限"
    DOCUMENT = "document", "文书"
    IMPORTED = "imported", "导入"
    DELETED = "deleted", "删除"
    RESTORED = "restored", "恢复"
    NOTE = "note", "备注"
    TRANSFER = "transfer", "移送"
    SHARE = "share", "共享"
    HANDOVER = "handover", "移交"


class AssignmentRole:
    """The kernel's assignment codes; a line declares its own (调解员 …) in its ``Line``."""

    HANDLER = "handler"
    ASSISTANT = "assistant"


registry.add_assignment_role(AssignmentRoleSpec(AssignmentRole.HANDLER, "承办人", order=10))
registry.add_assignment_role(AssignmentRoleSpec(AssignmentRole.ASSISTANT, "协办人", order=90))


class Channel(models.TextChoices):
    """How a matter reached the bureau."""

    IN_PERSON = "in_person", "当面"
    POST = "post", "邮寄"
    ONLINE = "online", "网上"
    PHONE = "phone", "电话"
    ORAL = "oral", "口头"
    REFERRAL = "referral", "移送/委托"
    INITIATIVE = "initiative", "主动排查"
    IMPORT = "import", "台账导入"
    OTHER = "other", "其他"

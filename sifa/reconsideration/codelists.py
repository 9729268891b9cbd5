"""Editable code lists (字典) of this line, seeded once by a data migration and
by the demo; an administrator may rename, reorder or disable entries later.

Pure data: migrations import this module, so it imports no models.
"""

from __future__ import annotations

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

"""States and code lists of 法律援助 (YZ), from 法律援助法 (2022) and DOMAIN.md §6.
English values, Chinese labels."""

from django.db import models

CASE_TYPE = "legal_aid"
CENTER = "legal_aid_center"  # the org kind of 法律援助中心 (法律援助机构, 法援法 §12)


class Status(models.TextChoices):
    RECEIVED = "received", "审查中"  # an application received (§43: decide within 7 days)
    MATERIALS = "materials", "待补充材料"  # one-time notice of missing material (§43)
    NOTIFIED = "notified", "待指派"  # a notice of 通知辩护/强制医疗 (§36: assign within 3 days)
    GRANTED = "granted", "已决定给予"  # §43: assign within 3 days of the decision
    ASSIGNED = "assigned", "承办中"
    ENDED = "ended", "待提交结案材料"  # the matter ended; the provider's closing material (§50)
    REVIEW = "review", "结案审查中"
    CLOSED = "closed", "已结案"
    REFUSED = "refused", "不予法律援助"
    WITHDRAWN = "withdrawn", "视为撤回"
    TERMINATED = "terminated", "终止法律援助"


class Kind(models.TextChoices):
    APPLY = "apply", "申请"
    NOTIFY = "notify", "通知辩护/代理"  # §25, §28
    FORWARDED = "forwarded", "羁押人员申请转交"  # §39: forwarded within 24 h


class Category(models.TextChoices):
    CRIMINAL = "criminal", "刑事"
    CIVIL = "civil", "民事"
    ADMINISTRATIVE = "administrative", "行政"
    STATE_COMPENSATION = "state_comp", "国家赔偿"
    LABOUR_ARBITRATION = "labour_arb", "劳动争议仲裁"
    NON_LITIGATION = "non_litigation", "非诉讼"


class Stage(models.TextChoices):
    """The criminal matter's stage (刑事 by stage)."""

    INVESTIGATION = "investigation", "侦查"
    PROSECUTION = "prosecution", "审查起诉"
    TRIAL = "trial", "审判"
    DEATH_REVIEW = "death_review", "死刑复核"


class Ground(models.TextChoices):
    """The legal ground of the aid."""

    S25 = "s25", "第二十五条 通知辩护"
    S28 = "s28", "第二十八条 强制医疗"
    S29 = "s29", "第二十九条 被害人、自诉人等"
    S31 = "s31", "第三十一条 经济困难的民事、行政事项"
    S32 = "s32", "第三十二条 不受经济困难条件限制"
    OTHER = "other", "其他"


class NotifyingOrgan(models.TextChoices):
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    POLICE = "police", "公安机关"


class MeansBasis(models.TextChoices):
    """How the economic situation was checked (§41, §42)."""

    CHECKED = "checked", "信息共享核查"
    PLEDGE = "pledge", "个人诚信承诺"
    EXEMPT = "exempt", "免予核查（第四十二条）"
    NOT_REQUIRED = "not_required", "无需审查经济状况（第二十五、二十八、三十二条）"


class Exemption(models.TextChoices):
    """§42: no means check."""

    MINOR_ELDERLY_DISABLED = "no_income", "无固定生活来源的未成年人、老年人、残疾人"
    RELIEF = "relief", "社会救助、司法救助或者优抚对象"
    MIGRANT_WORKER = "migrant_worker", "进城务工人员请求支付劳动报酬或者工伤赔偿"
    OTHER = "other", "法律、法规、规章规定的其他情形"


class Termination(models.TextChoices):
    """§48."""

    FRAUD = "fraud", "以欺骗或者其他不正当手段获得法律援助"
    CONCEALED = "concealed", "故意隐瞒重要事实或者提供虚假证据"
    MISUSE = "misuse", "利用法律援助从事违法活动"
    MEANS_CHANGED = "means_changed", "经济状况发生变化，不再符合法律援助条件"
    CASE_ENDED = "case_ended", "案件终止审理或者已经被撤销"
    OWN_COUNSEL = "own_counsel", "受援人自行委托律师或者其他代理人"
    REQUESTED = "requested", "受援人有正当理由要求终止法律援助"
    OTHER = "other", "法律法规规定的其他情形"


class ProviderKind(models.TextChoices):
    LAWYER = "lawyer", "律师"
    GRASSROOTS = "grassroots", "基层法律服务工作者"
    VOLUNTEER = "volunteer", "法律援助志愿者"


class AssignMode(models.TextChoices):
    ROTATION = "rotation", "轮流指派"
    CHOICE = "choice", "指定指派"
    APPLICANT = "applicant", "受援人选择"


class Outcome(models.TextChoices):
    JUDGMENT = "judgment", "判决"
    MEDIATED = "mediated", "调解/和解"
    WITHDRAWN = "withdrawn", "撤诉/撤回"
    ARBITRATION = "arbitration", "仲裁裁决"
    NON_LITIGATION = "non_litigation", "非诉讼办结"
    OTHER = "other", "其他"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASIC = "basic", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class Channel(models.TextChoices):
    """How a consultation came in."""

    VISIT = "visit", "来访"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    ONLINE = "online", "网络"


class HelpKind(models.TextChoices):
    """What a duty lawyer did (§30)."""

    ADVICE = "advice", "法律咨询"
    PROCEDURE = "procedure", "程序选择建议"
    MEASURES = "measures", "申请变更强制措施"
    OPINION = "opinion", "对案件处理提出意见"
    PLEA = "plea", "认罪认罚具结书签署在场"


class Station(models.TextChoices):
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    DETENTION = "detention", "看守所"


# Party roles this line uses, in display order.
PARTY_ROLES = {"applicant": "申请人/受援人", "agent": "代理申请人"}

# Special groups counted in the returns (特殊群体).
GROUPS = {"migrant_worker": "农民工", "woman": "妇女", "minor": "未成年人", "elderly": "老年人", "disabled": "残疾人"}

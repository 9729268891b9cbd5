"""Demo data of the hotline (the ``demo`` of ``line.py``): the bureau's public legal
service centre with an operator (login ``operator``), orders in every state —
answered on the call, dispatched to offices and the legal-aid centre, called
back with each rating, one overdue and reminded, one from 12345 — visitors at
the centre and the stations, and a few knowledge-base answers. Idempotent."""

from sifa.cases.models import Case

from .choices import CASE_TYPE, PLS_CENTER, CallbackWay, Category, Channel, Kind, Satisfaction, Target

ANSWERS = (
    (
        Category.LABOUR,
        "用人单位拖欠工资怎么办？",
        "可先与用人单位协商；协商不成的，可向劳动保障监察机构投诉，或向劳动人事争议仲裁委员会申请仲裁。农民工等经济困难的，可申请法律援助。",
        "《劳动合同法》第三十条；《劳动争议调解仲裁法》第五条",
        "欠薪 拖欠工资 讨薪",
    ),
    (
        Category.FAMILY,
        "协议离婚需要哪些手续？",
        "双方应亲自到婚姻登记机关申请离婚登记，提交离婚协议书；自收到申请之日起三十日内任何一方不愿离婚的，可撤回申请（离婚冷静期）。",
        "《民法典》第一千零七十六条、第一千零七十七条",
        "离婚 冷静期",
    ),
    (
        Category.TRAFFIC,
        "交通事故责任认定不服怎么办？",
        "对交通事故认定书有异议的，可自收到之日起三日内向上一级公安机关交通管理部门提出书面复核申请。",
        "《道路交通事故处理程序规定》第七十一条",
        "交通事故 责任认定 复核",
    ),
    (
        Category.PROPERTY,
        "物业费可以因服务不好拒交吗？",
        "业主不得以未接受或无需接受相关物业服务为由拒绝支付物业费；对服务质量有异议的，可要求物业改正或通过业主委员会、人民调解、诉讼解决。",
        "《民法典》第九百四十四条",
        "物业费 拒交",
    ),
)


def seed(ctx) -> int:
    if Case.all_objects.filter(case_type=CASE_TYPE).exists():
        return 0
    from .models import Answer
    from .services import register

    bureau = ctx.orgs["bureau"]
    center = ctx.org("pls_center", f"{bureau.short_name}公共法律服务中心", "公法中心", PLS_CENTER, bureau)
    operator = ctx.user("operator", "周坐席", "hotline_operator", center)
    made = 0
    for category, question, answer, basis, keywords in ANSWERS:
        Answer.objects.create(org=bureau, category=category, question=question, answer=answer, basis=basis, keywords=keywords, updated_by=operator)
        made += 1
    offices = sorted(k for k in ctx.orgs if k.startswith("office_"))
    # Answered on the call: closed at once, most rated.
    ratings = (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASIC, "", Satisfaction.SATISFIED, Satisfaction.UNSATISFIED)
    for i, rating in enumerate(ratings):
        caller = ctx.person("caller", with_id=False)
        register(
            operator,
            owner_org=center,
            parties=[caller],
            summary="来电咨询：单位未签订书面劳动合同，能否主张二倍工资。",
            category=Category.LABOUR,
            answer="用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资（《劳动合同法》第八十二条）；可申请劳动仲裁。",
            satisfaction=rating,
            opened_on=ctx.workday(30 - i * 4),
        )
        made += 1
    # Dispatched to offices: replied and called back, one still handling, one overdue and reminded.
    for n, key in enumerate(offices):
        caller = ctx.person("caller", with_id=False)
        opened = ctx.workday(20 - n * 3)
        case = register(
            operator,
            owner_org=center,
            parties=[caller, ctx.person("respondent", with_id=False)],
            summary="邻居违章搭建影响通行，要求协调处理。",
            kind=Kind.HELP,
            category=Category.PROPERTY,
            opened_on=opened,
        )
        ctx.step(operator, case, "dispatch", opened, target=Target.OFFICE, org=ctx.orgs[key], instructions="请联系诉求人，组织双方协商或引导申请人民调解。")
        office_user = next((u for u in ctx.users.values() if u.org_id == ctx.orgs[key].pk and u.role == "office"), None)
        if office_user is None:
            continue
        if n == len(offices) - 1:
            ctx.step(operator, case, "remind", ctx.today, note="请加快办理。")
            continue
        ctx.step(office_user, case, "sign", ctx.after(opened, 1))
        ctx.step(office_user, case, "reply", ctx.after(opened, 2), answer="已联系双方现场查看，经调解双方同意拆除影响通行部分。", contacted=True)
        ctx.step(operator, case, "callback", ctx.after(opened, 3), way=CallbackWay.PHONE, satisfaction=Satisfaction.SATISFIED if n else Satisfaction.BASIC)
        made += 1
    # From 12345, waiting in the intake list.
    caller = ctx.person("caller", with_id=False)
    register(
        operator,
        owner_org=center,
        parties=[caller],
        summary="12345转来：咨询工伤认定申请时限。",
        channel=Channel.TRANSFER_12345,
        external_ref=f"12345-{ctx.today:%Y%m%d}-0001",
        category=Category.LABOUR,
        opened_on=ctx.workday(1),
        intake=True,
    )
    return made + 1

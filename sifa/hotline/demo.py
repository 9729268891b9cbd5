"""Demo data of the hotline (the ``demo`` of ``line.py``): the bureau's public legal
service centre with an operator (login ``operator``), orders in every state —
answered on the call, dispatched to offices and the legal-aid centre, called
back with each rating, one overdue and reminded, one from 12345 — visitors at
the centre and the stations, and a few knowledge-base answers. Idempotent."""

from sifa.cases.models import Case
from sifa.deadlines import calendar

from .choices import CASE_TYPE, PLS_CENTER, CallbackWay, Category, Channel, Kind, Point, Satisfaction, Service, Target

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
    center = ctx.org("pls_center", bureau.name.replace("司法局", "") + "公共法律服务中心", "公法中心", PLS_CENTER, bureau)
    operator = ctx.user("operator", "周坐席", "hotline_operator", center)
    made = 0
    for category, question, answer, basis, keywords in ANSWERS:
        Answer.objects.create(org=bureau, category=category, question=question, answer=answer, basis=basis, keywords=keywords, updated_by=operator)
        made += 1
    # Answered on the call: closed at once, most rated by the caller.
    ratings = (Satisfaction.SATISFIED, Satisfaction.SATISFIED, Satisfaction.BASIC, "", Satisfaction.SATISFIED, Satisfaction.UNSATISFIED)
    for i, rating in enumerate(ratings):
        register(
            operator,
            owner_org=center,
            parties=[ctx.person("caller", with_id=False)],
            summary="来电咨询：单位未签订书面劳动合同，能否主张二倍工资。",
            category=Category.LABOUR,
            answer="用人单位自用工之日起超过一个月不满一年未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资（《劳动合同法》第八十二条）；可申请劳动仲裁。",
            satisfaction=rating,
            opened_on=ctx.workday(30 - i * 4),
        )
        made += 1
    offices = sorted(k for k in ctx.orgs if k.startswith("office_"))
    # Dispatched to offices: replied and called back (satisfied, basically satisfied).
    for n, key in enumerate(offices):
        office_user = next((u for u in ctx.users.values() if u.org_id == ctx.orgs[key].pk and u.role == "office"), None)
        if office_user is None:
            continue
        opened = ctx.workday(25 - n * 5)
        case = _dispatched(ctx, operator, center, ctx.orgs[key], opened, Kind.HELP, Category.PROPERTY, "邻居违章搭建影响通行，要求协调处理。")
        ctx.step(office_user, case, "sign", ctx.after(opened, 1))
        ctx.step(office_user, case, "reply", ctx.after(opened, 2), answer="已联系双方现场查看，经调解双方同意拆除影响通行部分。", contacted=True)
        ctx.step(operator, case, "callback", ctx.after(opened, 3), way=CallbackWay.PHONE, satisfaction=Satisfaction.SATISFIED if n else Satisfaction.BASIC)
        made += 1
    office_a, office_b = ctx.users["office_a"].org, ctx.users["office_b"].org
    # On office_a's desk now (待办工单); on office_b's, overdue and reminded (催办).
    _dispatched(ctx, operator, center, office_a, ctx.workday(1), Kind.CONSULT, Category.FAMILY, "咨询赡养费纠纷如何处理，希望就近面谈。")
    late = _dispatched(ctx, operator, center, office_b, ctx.workday(12), Kind.COMPLAINT, Category.ADMINISTRATIVE, "投诉村委会未公开土地补偿款分配方案。")
    if calendar.add_workdays(late.opened_on, 13) < ctx.today:
        ctx.step(operator, late, "remind", ctx.today, note="已超过办理时限，请加快办理并反馈。")
    # An appointment for legal aid, sent to the centre (its staff see it as a dispatched order).
    aid = ctx.orgs.get("legal_aid_center")
    if aid is not None:
        _dispatched(ctx, operator, center, aid, ctx.workday(2), Kind.APPOINTMENT, Category.LABOUR, "农民工被拖欠工资，预约法律援助。", appointment="legal_aid")
    made += 3
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


def _dispatched(ctx, operator, center, org, opened, kind, category, summary, **kw):
    from .services import register

    people = [ctx.person("caller", with_id=False), ctx.person("respondent", with_id=False)]
    case = register(operator, owner_org=center, parties=people, summary=summary, kind=kind, category=category, opened_on=opened, **kw)
    target = {PLS_CENTER: Target.CENTER, "legal_aid_center": Target.LEGAL_AID}.get(org.kind, Target.OFFICE)
    ctx.step(operator, case, "dispatch", opened, target=target, org=org, instructions="请联系诉求人办理，按时反馈。")
    return case


def seed_visits(ctx) -> int:
    """Visitors at the centre and the offices' stations (the register's ``demo``)."""
    from sifa.registers.services import create_entry

    from .models import Visit
    from .registers import VISITS

    if Visit.all_objects.exists():
        return 0
    center = ctx.orgs.get("pls_center")
    places = [(center, Point.CENTER, "")] if center else []
    places += [(ctx.orgs[k], Point.STATION, f"{ctx.orgs[k].short_name}公共法律服务工作站") for k in sorted(ctx.orgs) if k.startswith("office_")]
    made = 0
    for i, (org, point, name) in enumerate(places):
        staff = next((u for u in ctx.users.values() if u.org_id == org.pk and u.role in ("office", "hotline_operator")), None)
        if staff is None:
            continue
        for j, (service, category, summary) in enumerate(VISIT_MATTERS):
            person = ctx.person("visitor", with_id=False)
            values = {
                "on": ctx.workday(3 + 4 * j + i),
                "owner_org": org,
                "person_name": person["name"],
                "person_phone": person["phone"],
                "person_id_number": "",
            }
            extra = {"summary": summary, "result": "已当场解答" if service == Service.CONSULT else "已引导办理", "point": point, "point_name": name}
            create_entry(staff, VISITS, values | extra | {"service": service, "category": category, "served_by": "值班律师"})
            made += 1
    return made


VISIT_MATTERS = (
    (Service.CONSULT, Category.FAMILY, "咨询离婚后子女抚养费标准。"),
    (Service.LEGAL_AID, Category.LABOUR, "工伤后单位不予赔偿，申请法律援助。"),
    (Service.MEDIATION, Category.PROPERTY, "与邻居因排水问题发生纠纷，请求调解。"),
    (Service.NOTARY, Category.OTHER, "咨询遗嘱公证需要准备的材料。"),
)

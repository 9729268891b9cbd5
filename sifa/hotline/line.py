"""12348热线与公共法律服务 (RX), declared once: the kernel reads this
(``kit.line``). Rules and sources: DOMAIN.md §7 — "前台统一受理，后台分流转办":
the front desk (the bureau's 12348 seats, its public legal service centre, a
station's window) receives every order and keeps it; the handling unit works
on it through a share; the front desk calls back and closes it."""

from sifa.accounts.roles import EXPORT, HANDLE, REPORT, REVEAL, SEE_CASES
from sifa.cases.selectors import registering, using
from sifa.common.badges import cached_badge
from sifa.common.sorting import ASC, date_sort
from sifa.kit.casetype import CaseApi, CaseType
from sifa.kit.line import LINE_SORTS, Line, ListSpec
from sifa.kit.menu import MenuEntry
from sifa.kit.portal import PublicForm
from sifa.kit.roles import ORG, OrgKindSpec, RoleSpec

from . import demo, documents, kpis, ledger, selectors, serializers, services
from .choices import CASE_TYPE, OWNER_KINDS, PARTY_ROLES, PLS_CENTER, Status
from .forms import HotlineFilter, PublicQuestionForm
from .registers import VISITS
from .workflow import DEADLINE_RULES, QUALITY, WORKFLOW

FRONT_DESKS = frozenset({"bureau", "city_bureau", PLS_CENTER})


def _progress(case):
    from sifa.kit.portal import PublicProgress

    stage = {Status.REGISTERED: "已收到，待受理", Status.CLOSED: "已办结"}.get(case.status, "办理中")
    return PublicProgress(stage=stage, received_on=case.opened_on, decided_on=case.closed_on)


CASES = CaseType(
    key=CASE_TYPE,
    letters="RX",
    label="12348工单",
    workflow=WORKFLOW,
    record="hotline.WorkOrder",
    owner_kinds=OWNER_KINDS,
    api_root="hotline",
    deadline_rules=DEADLINE_RULES,
    procedures=(QUALITY,),
    documents=documents.DOCUMENTS,
    detail_template="hotline/_detail.html",
    create_url_name="hotline:create",
    party_roles=PARTY_ROLES,
    outcomes={"answered": "已答复"},
    public_tracking=True,
    public_party_role="caller",
    owner_label="受理单位",
    opened_label="受理",
    public_progress=_progress,
    api=CaseApi(
        serializers.WorkOrderListSerializer,
        serializers.WorkOrderDetailSerializer,
        serializers.WorkOrderCreateSerializer,
        services.register_from_api,
    ),
    order=50,
    sample=services.sample,
)

LINE = Line(
    label="hotline",
    name="12348热线",
    case_types=(CASES,),
    order=50,
    roles=(
        # 热线坐席: registers and answers calls, dispatches and calls back; hotline orders only.
        RoleSpec(
            "hotline_operator",
            "热线坐席",
            frozenset({SEE_CASES, HANDLE, REPORT, REVEAL, EXPORT}),
            ORG,
            org_kinds=FRONT_DESKS,
            case_types=(CASE_TYPE,),
            order=58,
        ),
        # A transferring platform's service account (12345/110): not a person. No capability at
        # all, so no page and none of the kernel's API answers it; its own routes (api.py) push
        # orders and read back the replies to its own orders, by its token only.
        RoleSpec("hotline_platform", "转办平台对接账号", frozenset(), ORG, org_kinds=FRONT_DESKS, case_types=(CASE_TYPE,), order=95),
    ),
    org_kinds=(OrgKindSpec(PLS_CENTER, "公共法律服务中心", frozenset({"bureau", "city_bureau"}), order=45),),
    kpis=kpis.KPIS,
    reports=(kpis.REPORT,),
    returns=(kpis.RETURN,),
    figures=(
        ("hotline.orders", "channel"),
        ("hotline.orders", "kind"),
        ("hotline.orders", "category"),
        ("hotline.orders", "desk"),
        ("hotline.on_time_rate", "channel"),
        ("hotline.satisfaction", "channel"),
        ("hotline.visits", "point"),
        ("hotline.visits", "service"),
        ("hotline.handovers", "handover"),
        ("hotline.visit_handovers", "handover"),
    ),
    ledgers=(ledger.LEDGER,),
    lists=(
        ListSpec(
            CASE_TYPE,
            "12348工单",
            CASE_TYPE,
            HotlineFilter,
            template="hotline/list.html",
            related=("workorder",),
            # A work order's next deadline is its 办理时限 (the column and the phone's 排序 say so).
            sorts=LINE_SORTS.with_keys(next_due=date_sort("办理时限", "next_due", first=ASC)),
            empty="没有符合条件的工单。",
            create_label="登记来电/工单",
        ),
    ),
    menu=(
        MenuEntry("12348工单", "hotline:list", using(CASE_TYPE)),
        MenuEntry("登记来电/工单", "hotline:create", registering(CASE_TYPE)),
        MenuEntry("待办工单", "hotline:todo", using(CASE_TYPE), badge=cached_badge("hotline_todo", selectors.todo_count, apps=("cases", "hotline"))),
        MenuEntry("知识库", "hotline:knowledge", using(CASE_TYPE)),
        MenuEntry("工单质检", "hotline:quality", registering(CASE_TYPE)),
        MenuEntry("转办答复回传", "hotline:replies", registering(CASE_TYPE)),
    ),
    registers=(VISITS,),
    public_forms=(
        PublicForm(
            key="hotline",
            label="在线法律咨询/预约",
            case_type=CASE_TYPE,
            form_class=PublicQuestionForm,
            submit=services.submit_online,
            intro="可在线提出法律咨询，或预约法律援助、人民调解等公共法律服务；也可拨打12348公共法律服务热线。咨询免费。",
            next_steps="工作人员将在3个工作日内答复（紧急事项当日处理）。请保存工单编码，凭编码和联系电话后四位查询办理进度。",
            order=40,
        ),
    ),
    audit_labels={
        "hotline.answer_add": "添加知识库条目",
        "hotline.answer_update": "修改知识库条目",
        "hotline.replies_export": "导出转办工单答复",
        "hotline.transfer_received": "接收转办平台工单",
    },
    demo=demo.seed,
)

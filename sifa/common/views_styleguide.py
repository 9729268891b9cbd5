"""The living style guide (/ui/, docs/style-guide.md): every component of the pages,
rendered with the real classes, includes and template tags, so a change to one of
them is seen here first. It holds no case data: every name, number and code below is
made up here, and its one button (the confirm demo) changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .forms import StyledFormMixin, normalized
from .identity import normalize_id_number, normalize_phone
from .lights import LIGHTS
from .sorting import Sort, Sorts, date_sort, state


class SampleForm(StyledFormMixin, forms.Form):
    """A registration form's usual fields: required, a select with 请选择, ID number and
    phone checked as typed (``live_checks``) and again by the server."""

    live_checks = {"id_number": "id", "phone": "phone"}

    name = forms.CharField(label="当事人姓名", max_length=20)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False, help_text="18 位，最后一位可以是 X；边输入边校验。")
    phone = forms.CharField(label="联系电话", max_length=20)
    kind = forms.ChoiceField(label="纠纷类型", choices=[("", "---------"), ("neighbour", "邻里纠纷"), ("family", "婚姻家庭纠纷"), ("labour", "劳动争议")])
    opened_on = forms.DateField(label="收案日期", widget=forms.DateInput)
    summary = forms.CharField(label="简要案情", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    agree = forms.BooleanField(label="当事人同意调解", required=False)

    def clean_id_number(self):
        return normalized(self, "id_number", normalize_id_number)

    def clean_phone(self):
        return normalized(self, "phone", normalize_phone)


# A form sent back with errors: what the user typed stays, each error beside its field.
BAD_INPUT = {
    "bad-name": "",
    "bad-id_number": "359901199001011230",
    "bad-phone": "1380013",
    "bad-kind": "",
    "bad-opened_on": "2026-13-40",
    "bad-summary": "双方因院墙通道发生争执。",
}

ROWS = [
    # code, type, title, (tone, status), office, handler, light, due, opened, changed
    (
        "演司调〔2026〕0012号",
        "人民调解",
        "张某某与李某某邻里纠纷",
        ("primary", "调解中"),
        "东湖司法所",
        "陈所员",
        "normal",
        date(2026, 12, 18),
        date(2026, 11, 22),
        datetime(2026, 12, 3, 9, 41),
    ),
    (
        "演司调〔2026〕0009号",
        "人民调解",
        "王某某与赵某某婚姻家庭纠纷",
        ("warning", "待受理"),
        "西山司法所",
        "林所员",
        "due_soon",
        date(2026, 12, 8),
        date(2026, 11, 30),
        datetime(2026, 12, 4, 16, 5),
    ),
    (
        "演司援〔2026〕0031号",
        "法律援助",
        "刘某某劳动报酬纠纷申请法律援助",
        ("danger", "已退回"),
        "法律援助中心",
        "郑援助",
        "overdue",
        date(2026, 12, 1),
        date(2026, 11, 2),
        datetime(2026, 12, 2, 11, 20),
    ),
    (
        "演司复〔2026〕0004号",
        "行政复议",
        "周某某不服某局行政处罚决定",
        ("info", "中止审理"),
        "演示区司法局",
        "李科员",
        "paused",
        date(2027, 1, 15),
        date(2026, 10, 9),
        datetime(2026, 11, 28, 10, 0),
    ),
    (
        "演司调〔2026〕0002号",
        "人民调解",
        "吴某某与某物业公司物业服务纠纷",
        ("success", "已办结"),
        "南桥司法所",
        "",
        "done",
        None,
        date(2026, 9, 14),
        datetime(2026, 10, 20, 15, 32),
    ),
]

STAGES = [("登记", "done"), ("受理", "done"), ("调查", "skipped"), ("调解", "current"), ("制作协议", "next"), ("回访", "todo"), ("结案", "todo")]

EVENTS = [
    ("2026-12-03 09:41", "陈所员", "调解", "accepted", "mediating", "第一次调解，双方同意继续协商。"),
    ("2026-11-25 14:10", "陈所员", "受理", "registered", "accepted", ""),
    ("2026-11-22 10:02", "", "登记", "", "registered", "群众来所口头申请。"),
]
# (id, heading) of each section of the page, in order (the tests check each is there).
SECTIONS = [
    ("page-head", "页头"),
    ("buttons", "按钮"),
    ("badges", "状态标记"),
    ("lights", "期限灯"),
    ("stages", "流程进度"),
    ("cards", "卡片与数字卡"),
    ("kv", "键值列表"),
    ("timeline", "办理进展"),
    ("table", "表格"),
    ("filter", "筛选栏"),
    ("form", "表单"),
    ("messages", "提示消息"),
    ("confirm", "确认对话框"),
    ("pagination", "分页"),
    ("empty", "空状态"),
    ("breadcrumbs", "面包屑"),
    ("tabs", "标签页"),
]
TABS = [("info", "基本信息"), ("parties", "当事人"), ("timeline", "办理进展"), ("docs", "文书"), ("files", "附件"), ("deadlines", "期限")]
STATUS_LABELS = {"registered": "已登记", "accepted": "已受理", "mediating": "调解中"}


# The table's sorts, declared as a list declares them (common.sorting); the made-up rows
# are sorted here in Python, a real list in the database.
SORTS = Sorts(
    {
        "code": Sort("编码", ("code",)),
        "due": date_sort("最近期限", "due", first="asc"),
        "opened": date_sort("收案日期", "opened"),
        "changed": date_sort("最后变更", "changed"),
    },
    default="-opened",
)

SAMPLE_MESSAGES = [
    (messages.SUCCESS, "已保存。"),
    (messages.INFO, "导出已开始，完成后可在“导入导出”中下载。"),
    (messages.WARNING, "该当事人已有 2 件在办案件，请核对。"),
    (messages.ERROR, "保存失败：联系电话格式不正确。"),
]


def _sorted(rows, sorting):
    field = SORTS.keys[sorting.key].order_by[0]
    present = sorted((r for r in rows if r[field] is not None), key=lambda r: r[field], reverse=sorting.desc)
    return present + [r for r in rows if r[field] is None]  # no deadline: last either way


ROW_FIELDS = ("code", "kind", "title", "status", "office", "handler", "light", "due", "opened", "changed")


def _rows():
    rows = []
    for values in ROWS:
        row = dict(zip(ROW_FIELDS, values, strict=True))
        tone, status = row.pop("status")
        row["case"] = SimpleNamespace(stage=SimpleNamespace(tone=tone, label=status))  # what {% status_badge %} reads
        rows.append(row)
    return rows


def _events():
    tz = timezone.get_current_timezone()
    return [
        SimpleNamespace(
            at=datetime.strptime(at, "%Y-%m-%d %H:%M").replace(tzinfo=tz),
            actor_name=who,
            label=label,
            from_status=frm,
            to_status=to,
            reason=reason,
            data={},
            attachments=SimpleNamespace(all=[]),
        )
        for at, who, label, frm, to, reason in EVENTS
    ]


@login_required
def styleguide(request):
    if request.method == "POST":
        # The confirm demo: nothing is written, the page only says the step was taken.
        messages.success(request, "已确认：这是示例操作，没有改动任何数据。")
        return redirect(reverse("common:styleguide") + "#confirm")
    if request.GET.get("messages"):
        # The toasts as every page shows them: through the messages framework and base.html.
        for level, text in SAMPLE_MESSAGES:
            messages.add_message(request, level, text)
    sorting = state(request.GET, SORTS)
    page_obj = Paginator(range(1, 238), 20).get_page(request.GET.get("page") or 3)
    context = {
        "title": "界面组件",
        "sections": SECTIONS,
        "tabs": TABS,
        "breadcrumbs": [("系统设置", None), ("界面组件", None)],
        "form": SampleForm(),
        "bad_form": SampleForm(BAD_INPUT, prefix="bad"),
        "lights": [(key, label) for key, (label, _tone) in LIGHTS.items()],
        "tones": [
            ("secondary", "已登记"),
            ("warning", "待受理"),
            ("primary", "办理中"),
            ("info", "中止"),
            ("success", "已办结"),
            ("danger", "已退回"),
            ("dark", "已封存"),
        ],
        "rows": _sorted(_rows(), sorting),
        "sorting": sorting,
        "progress": [SimpleNamespace(stage=SimpleNamespace(label=label), mark=mark) for label, mark in STAGES],
        "events": _events(),
        "status_labels": STATUS_LABELS,
        "page_obj": page_obj,
        # Raw, as a record holds them: the page masks and formats them with the real filters.
        "party": {"name": "张某某", "id_number": "359901199001011233", "phone": "13800138000", "amount": 12800, "on": date(2026, 11, 22)},
    }
    return render(request, "common/styleguide.html", context)

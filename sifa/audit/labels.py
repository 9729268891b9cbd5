"""Chinese names of audit actions, for the audit administrator's pages: the
kernel's here, a line's in its ``Line.audit_labels``. An action without a name
is shown by its code (``tests/test_labels.py`` makes sure none is missing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ACTION_LABELS: dict[str, str] = {
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.lockout": "账户锁定",
    "auth.logout": "退出登录",
    "auth.session_expired": "会话过期",
    "auth.password_change": "修改密码",
    "auth.password_set": "管理员设置临时密码",
    "auth.otp_enrolled": "绑定双因素验证器",
    "auth.otp_verified": "双因素验证通过",
    "auth.otp_failed": "双因素验证失败",
    "auth.otp_reset": "重置双因素认证",
    "token.create": "创建 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "user.create": "创建账号",
    "user.update": "修改账号",
    "user.enable": "启用账号",
    "user.disable": "停用账号",
    "user.unlock": "解除登录锁定",
    "perm.change": "角色/权限变更",
    "perm.role_setting": "角色安全设置",
    "org.create": "新建机构",
    "org.update": "修改机构",
    "dictionary.create": "新增字典项",
    "dictionary.update": "修改字典项",
    "dictionary.activate": "启用字典项",
    "dictionary.deactivate": "停用字典项",
    "page.access": "访问管理页面",
    "audit.verify": "校验审计日志",
    "system.backup": "备份数据库与附件",
    "system.restore": "从备份恢复数据库与附件",
    "case.create": "登记案件",
    "case.view": "查看案件",
    "case.access": "访问案件",
    "case.write": "修改案件",
    "case.update": "修改案件信息",
    "case.assign": "指派承办人",
    "case.take": "认领案件",
    "case.transfer": "移送案件",
    "case.share": "共享案件",
    "case.unshare": "结束共享",
    "case.handover": "移交至其他业务",
    "case.procedure_open": "发起审批等程序",
    "case.procedure_step": "程序中的办理步骤",
    "case.transition": "办理步骤",
    "case.document": "生成文书",
    "case.delete": "删除案件",
    "case.restore": "恢复案件",
    "case.reopen": "重新开启已归档案件",
    "register.create": "新增登记（登记簿）",
    "register.update": "修改登记（登记簿）",
    "register.delete": "删除登记（登记簿）",
    "register.view": "查看登记（登记簿）",
    "register.access": "访问登记（登记簿）",
    "party.create": "添加当事人",
    "party.update": "修改当事人",
    "party.delete": "删除当事人",
    "party.reveal": "查看完整个人信息",
    "attachment.upload": "上传附件",
    "attachment.download": "下载附件",
    "attachment.sweep": "清理遗留附件文件",
    "calendar.set_day": "设置节假日/调休",
    "calendar.clear_day": "清除节假日设置",
    "calendar.confirm_year": "确认年度节假日",
    "deadlines.settings": "期限预警设置",
    "deadline.duty_done": "定期义务标记完成",
    "ledger.import.check": "台账导入校验",
    "ledger.import": "台账导入",
    "ledger.import.retry": "台账导入重试",
    "stats.kpi_choice": "设置统计口径",
    "ledger.export": "导出",
    "ledger.download": "下载导出文件",
    "ledger.export_request": "申请导出敏感业务数据",
    "ledger.export_approve": "批准导出申请",
    "ledger.export_refuse": "不予批准导出申请",
    "ledger.job.access": "访问导入导出任务",
    "portal.track": "公众查询办理进度",
    "stats.report.create": "新建工作总结",
    "stats.report.save": "修改工作总结文字（新版本）",
    "stats.report.submit": "工作总结提交审核",
    "stats.report.approve": "工作总结审核通过",
    "stats.report.return": "退回工作总结",
    "stats.report.issue": "印发工作总结",
    "stats.report.download": "下载已印发的工作总结",
    "stats.report.access": "访问工作总结",
    "filings.indicator_create": "新建填报指标",
    "filings.indicator_update": "修改填报指标",
    "filings.round_open": "开启填报轮次",
    "filings.save": "保存填报草稿",
    "filings.submit": "上报填报数据",
    "filings.return": "退回填报数据",
    "filings.lock": "锁定填报数据（审核通过）",
    "filings.unlock": "解锁填报数据",
    "filings.access": "访问填报数据",
}


def all_labels() -> dict[str, str]:
    from sifa.kit import registry

    return registry.audit_labels() | ACTION_LABELS


def action_label(action: str) -> str:
    """The kernel's labels, then those the lines declare (``Line.audit_labels``)."""
    from sifa.kit import registry

    return ACTION_LABELS.get(action) or registry.audit_labels().get(action, action)


# The filter's groups: an action's first part ("auth" of "auth.login"). A line's
# actions ("mediation.…") are grouped under the line's name.
GROUP_LABELS: dict[str, str] = {
    "auth": "登录与会话",
    "token": "API 令牌",
    "user": "账号管理",
    "perm": "角色与权限",
    "org": "组织机构",
    "dictionary": "字典管理",
    "page": "管理页面",
    "audit": "审计",
    "system": "备份与恢复",
    "case": "案件",
    "party": "当事人",
    "attachment": "附件",
    "register": "登记簿",
    "calendar": "节假日",
    "deadlines": "期限设置",
    "deadline": "期限办理",
    "ledger": "台账导入导出",
    "portal": "公众服务",
    "stats": "统计分析",
    "filings": "填报",
}
# Object types the platform writes that are not a model.
OBJECT_TYPE_LABELS: dict[str, str] = {"page": "管理页面"}


def group_label(prefix: str) -> str:
    from sifa.kit import registry

    if prefix in GROUP_LABELS:
        return GROUP_LABELS[prefix]
    line = next((ln for ln in registry.lines() if ln.label == prefix), None)
    if line is not None:
        return line.name
    ct = registry.find_type(prefix)
    return ct.label if ct is not None else "其他"


def action_choices() -> list:
    """The audit filter's choices, in Chinese: per group, "全部" (the group's prefix,
    which the search matches as a class) and then each action by its name."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in all_labels().items():
        groups.setdefault(code.split(".", 1)[0], []).append((code, label))
    order = list(GROUP_LABELS)
    out: list = [("", "全部操作")]
    for prefix in sorted(groups, key=lambda p: (order.index(p) if p in order else len(order), p)):
        name = group_label(prefix)
        # "…（全部）" is the group's prefix, which the search matches as a class.
        out.append((name, [(f"{prefix}.", f"{name}（全部）"), *sorted(groups[prefix], key=lambda x: x[1])]))
    return out


def object_type_label(object_type: str) -> str:
    """“案件” for "cases.case": the model's own Chinese name."""
    if not object_type:
        return ""
    if object_type in OBJECT_TYPE_LABELS:
        return OBJECT_TYPE_LABELS[object_type]
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def object_type_choices() -> list[tuple[str, str]]:
    """Every kind of object the platform's own apps store, by its Chinese name."""
    from django.apps import apps

    seen: dict[str, str] = dict(OBJECT_TYPE_LABELS)
    for model in apps.get_models():
        name = str(model._meta.verbose_name)
        # Models without a Chinese name are internal (counters, the chain's head): never audited objects.
        if model.__module__.startswith("sifa.") and any("\u4e00" <= ch <= "\u9fff" for ch in name):
            seen.setdefault(model._meta.label_lower, name)
    # Two models may share a Chinese name: the app's name tells them apart.
    counts: dict[str, int] = {}
    for label in seen.values():
        counts[label] = counts.get(label, 0) + 1
    rows = []
    for key, label in seen.items():
        if counts[label] > 1 and "." in key:
            app = apps.get_app_config(key.split(".")[0])
            label = f"{label}（{app.verbose_name}）"
        rows.append((key, label))
    return [("", "全部对象"), *sorted(rows, key=lambda r: r[1])]


# Readable lines for an entry's detail, by object type: the detail is stored as
# the codes that were hashed ({"transition": "court_accept", "from": …}); the
# app that owns the object turns them into words for the auditor. The raw JSON
# stays on the page beside them, since that is what the chain vouches for.
Describer = Callable[[Any], list[tuple[str, str]]]
_DESCRIBERS: dict[str, Describer] = {}


def register_describer(object_type: str, fn: Describer) -> None:
    _DESCRIBERS[object_type] = fn


def describe(entry) -> list[tuple[str, str]]:
    fn = _DESCRIBERS.get(entry.object_type or "")
    return fn(entry) if fn is not None else []

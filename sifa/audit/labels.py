"""Chinese names of audit actions, for the audit administrator's pages. An
action without a name here is shown by its code."""

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
    "case.create": "登记案件",
    "case.view": "查看案件",
    "case.access": "访问案件",
    "case.write": "修改案件",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from sifa.common.forms import StyledFormMixin, applied_filters


class LoginForm(StyledFormMixin, AuthenticationForm):
    error_messages = {
        # One message for unknown user, wrong password and disabled account.
        "invalid_login": "用户名或密码不正确。",
        "inactive": "用户名或密码不正确。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autofocus": True})


class PasswordForm(StyledFormMixin, PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "当前密码"
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "确认新密码"


class OtpTokenForm(StyledFormMixin, forms.Form):
    token = forms.CharField(
        label="动态验证码", max_length=8, min_length=6, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"})
    )


# --- administration ---------------------------------------------------------------
#
# Choices and querysets that depend on the database are set up in a base class
# that sits after StyledFormMixin in the MRO, so each form is complete before
# the mixin styles it or anything validates it.

ROLE_FILTER_UNASSIGNED = "__none__"


def _org_choice(**kwargs):
    from sifa.orgs.forms import org_field

    return org_field(**kwargs)


class _UserFilterFields(forms.Form):
    q = forms.CharField(label="用户名/姓名", required=False, max_length=50)
    role = forms.ChoiceField(label="角色", required=False, choices=())
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")])

    def __init__(self, *args, **kwargs):
        from .roles import UNASSIGNED_LABEL, role_choices

        super().__init__(*args, **kwargs)
        self.fields["org"] = _org_choice(label="机构（含下级）", required=False, active_only=False, empty_label="全部机构")
        self.order_fields(["q", "org", "role", "active"])
        self.fields["role"].choices = [("", "全部角色"), (ROLE_FILTER_UNASSIGNED, UNASSIGNED_LABEL), *role_choices()]


class UserFilterForm(StyledFormMixin, _UserFilterFields):
    def filters(self) -> dict:
        """Keyword arguments for selectors.users(); an invalid field is named on the page and left out."""
        if not self.is_bound:
            return {}
        d = applied_filters(self)
        role = d.get("role") or None
        return {
            "q": d.get("q") or "",
            "org": d.get("org"),
            "role": "" if role == ROLE_FILTER_UNASSIGNED else role,
            "active": {"1": True, "0": False}.get(d.get("active") or ""),
        }


class _PasswordPairMixin:
    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


def _password_field(label: str, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, strip=False, help_text=help_text, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


def _policy() -> str:
    from .services import password_policy_text

    return password_policy_text()


class _UserIdentityFields(forms.Form):
    full_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    field_order = ["username", "full_name", "org", "phone", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = _org_choice(label="所属机构")
        self.order_fields(self.field_order)


class _UserCreateFields(_UserIdentityFields):
    username = forms.CharField(label="用户名", max_length=30, help_text="3–30位字母、数字或 . _ -；创建后不可修改。")
    password1 = _password_field("临时密码")
    password2 = _password_field("确认临时密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = "用户首次登录时须修改。密码" + _policy()


class UserCreateForm(_PasswordPairMixin, StyledFormMixin, _UserCreateFields):
    live_checks = {"phone": "phone"}


class UserEditForm(StyledFormMixin, _UserIdentityFields):
    live_checks = {"phone": "phone"}


class _PasswordResetFields(forms.Form):
    password1 = _password_field("临时密码")
    password2 = _password_field("确认临时密码")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = "用户下次登录时须修改。密码" + _policy()


class PasswordResetForm(_PasswordPairMixin, StyledFormMixin, _PasswordResetFields):
    pass


class _RoleSelect(forms.Select):
    """The role list with the administrator roles shown but not selectable: they
    are granted only by the server's operator (三员分立)."""

    disabled_values: frozenset = frozenset()

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


ADMIN_ROLE_HELP = "系统管理员、安全管理员、审计管理员由服务器运维人员执行 manage.py set_role 授予或变更（三员分立）。"


class _RoleGrantFields(forms.Form):
    role = forms.ChoiceField(label="角色", required=False, choices=(), widget=_RoleSelect)
    lines = forms.MultipleChoiceField(
        label="业务条线", required=False, choices=(), widget=forms.CheckboxSelectMultiple, help_text="仅“科室工作人员”需要选择，至少一项。"
    )

    def __init__(self, *args, locked: bool = False, **kwargs):
        from .roles import UNASSIGNED_LABEL, is_admin_role, role_choices
        from .services import line_choices

        super().__init__(*args, **kwargs)
        choices = role_choices()
        self.fields["role"].choices = [("", f"{UNASSIGNED_LABEL}（无任何权限）"), *choices]
        # Still valid choices, so a crafted request reaches the service, which
        # refuses it and audits the refusal.
        self.fields["role"].widget.disabled_values = frozenset(code for code, _ in choices if is_admin_role(code))
        self.fields["role"].help_text = ADMIN_ROLE_HELP
        self.fields["lines"].choices = line_choices()
        if locked:
            # An administrator account: shown, not editable (the page says why).
            for field in self.fields.values():
                field.disabled = True


class RoleGrantForm(StyledFormMixin, _RoleGrantFields):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Checkbox lists look like checkboxes, not text inputs.
        self.fields["lines"].widget.attrs["class"] = "form-check-input"


class _RoleSettingsFields(forms.Form):
    """One “require 2FA” checkbox per role; the administrators' are on and cannot
    be unticked. Switching a role off needs a reason."""

    def __init__(self, *args, settings_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        for row in settings_rows:
            field = forms.BooleanField(label=row.label, required=False, initial=row.require_2fa)
            if row.locked:
                field.disabled = True
                field.initial = True
                field.help_text = "管理员角色必须使用双因素认证，不能关闭（三员分立）。"
            elif row.default:
                field.help_text = "默认启用；关闭须填写理由。"
            self.fields[f"require_2fa_{row.role}"] = field
        self.fields["reason"] = forms.CharField(
            label="关闭理由",
            required=False,
            max_length=200,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text="关闭某个角色的强制双因素认证时必填，记入审计日志。",
        )


class RoleSettingsForm(StyledFormMixin, _RoleSettingsFields):
    def values(self) -> dict[str, bool]:
        prefix = "require_2fa_"
        return {name[len(prefix) :]: bool(value) for name, value in self.cleaned_data.items() if name.startswith(prefix)}

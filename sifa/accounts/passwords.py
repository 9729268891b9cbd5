"""Password rules beyond Django's own validators (SECURITY.md "passwords")."""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import MinimumLengthValidator as _DjangoMinimumLength
from django.core.exceptions import ValidationError

_CLASSES = [
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"\d"), "数字"),
    (re.compile(r"[^a-zA-Z\d]"), "符号"),
]


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for rx, _ in _CLASSES if rx.search(password))
        if found < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"至少包含大写字母、小写字母、数字、符号中的{self.min_classes}类。"


class HistoryValidator:
    """Refuse the current password and the last ``keep`` ones."""

    def __init__(self, keep: int = 5):
        self.keep = keep

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        if user.password and check_password(password, user.password):
            raise ValidationError("新密码不能与当前密码相同。", code="password_reused")
        for old in user.password_history.all()[: self.keep]:
            if check_password(password, old.password):
                raise ValidationError(f"新密码不能与最近{self.keep}次使用过的密码相同。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近{self.keep}次使用过的密码相同。"


class UsernameContainmentValidator:
    """Django's similarity check passes a long password that merely contains the
    username ("Zhangsan@20261234"); SECURITY.md says "not like the username", so
    containing it (or its reverse) is refused too."""

    min_length = 3

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if len(username) < self.min_length:
            return
        low = password.lower()
        if username in low or username[::-1] in low:
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self):
        return "不能包含用户名。"


class MinimumLengthValidator(_DjangoMinimumLength):
    """Django 5.2's own message for this check has no Simplified Chinese
    translation yet; users must not read English."""

    def get_error_message(self):
        return f"密码太短：至少需要{self.min_length}个字符。"

    def get_help_text(self):
        return f"至少{self.min_length}个字符。"

"""Helpers for access-matrix tests: every role of the users fixture, and a
snapshot of the tables a refused request must leave alone."""

from __future__ import annotations

ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")
ADMIN_ROLES = ("sysadmin", "secadmin", "auditor")
CASE_ROLES = tuple(r for r in ROLES if r not in ADMIN_ROLES)


def expected(allowed: tuple[str, ...] | str, who: str, ok: int, refused: int = 404) -> int:
    allowed = (allowed,) if isinstance(allowed, str) else allowed
    return ok if who in allowed else refused


def snapshot() -> dict:
    """Everything the administration pages could change (audit entries aside:
    a refusal is itself audited)."""
    from django.contrib.sessions.models import Session
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sifa.accounts.models import ApiToken, RoleSetting, User
    from sifa.common.models import DictionaryEntry
    from sifa.orgs.models import Org

    return {
        "users": sorted(
            User.objects.values_list("pk", "username", "full_name", "role", "lines", "org_id", "phone", "is_active", "password", "must_change_password")
        ),
        "role_settings": sorted(RoleSetting.objects.values_list("role", "require_2fa")),
        "orgs": sorted(Org.objects.values_list("pk", "name", "short_name", "kind", "parent_id", "path", "region_code", "is_active", "sort_order")),
        "tokens": sorted(ApiToken.objects.values_list("user_id", "digest", "revoked_at", "expires_at")),
        "devices": sorted(TOTPDevice.objects.values_list("user_id", "confirmed")),
        "dictionary": sorted(DictionaryEntry.objects.values_list("pk", "code", "label", "parent_id", "is_active", "sort_order")),
        "sessions": Session.objects.count(),
    }

"""Account writes: passwords (with history) and the second factor."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from sifa.audit.services import record

from .models import PasswordHistory

HISTORY_KEEP = 5


@transaction.atomic
def set_password(user, raw_password: str, *, actor=None, temporary: bool = False, validate: bool = True) -> None:
    """Set a password, keeping the previous hash for the reuse check.
    ``temporary`` (set by an administrator) forces a change at next login."""
    if validate:
        validate_password(raw_password, user)
    if user.password:
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.all()[HISTORY_KEEP:]
        PasswordHistory.objects.filter(pk__in=[p.pk for p in stale]).delete()
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = temporary
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    record("auth.password_set" if temporary else "auth.password_change", actor=actor or user, obj=user)

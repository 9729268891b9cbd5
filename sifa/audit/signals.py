"""Login, logout, failed login and lockout entries (framework signals are the
only place these events surface)."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import Result
from .services import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record("auth.login", actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record("auth.logout", actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The username is what was typed (it may not exist); the password never is.
    record("auth.login_failed", username=str(credentials.get("username", ""))[:150], result=Result.FAILED)


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record("auth.lockout", username=str(username or "")[:150], result=Result.REFUSED)

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from .formkeep import KeptForm  # noqa: F401  (form content kept across a re-login)
from .roles import has_cap, role_label


class User(AbstractUser):
    """A person who signs in. ``first_name`` is not used: Chinese names are one
    field (``full_name``)."""

    full_name = models.CharField("姓名", max_length=50)
    # Blank = 未授权: accounts are created by the system administrator without
    # powers; only the security administrator grants a role (三员分立).
    role = models.CharField("角色", max_length=20, blank=True, default="")  # a code of kit.registry.roles()
    org = models.ForeignKey("orgs.Org", verbose_name="所属机构", on_delete=models.PROTECT, related_name="users")
    # Business lines a section staff member works (case-type keys); empty = none.
    lines = models.JSONField("业务条线", default=list, blank=True)
    phone = models.CharField("手机号", max_length=20, blank=True)
    password_changed_at = models.DateTimeField("密码修改时间", default=timezone.now)
    must_change_password = models.BooleanField("下次登录须修改密码", default=False)

    REQUIRED_FIELDS = ["full_name"]
    objects = UserManager()

    @property
    def password_expired(self) -> bool:
        """Temporary password, or older than the policy allows: change it before going on."""
        from datetime import timedelta

        from django.conf import settings

        if not self.has_usable_password():
            return False  # a service account (a platform's API token) has no password to renew
        return self.must_change_password or timezone.now() - self.password_changed_at > timedelta(days=settings.SIFA_PASSWORD_MAX_AGE_DAYS)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        ordering = ["org__path", "username"]

    def __str__(self):
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def can(self, capability: str) -> bool:
        return has_cap(self, capability)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_role_display(self) -> str:
        # Defined here so a blank role reads “未授权” everywhere, not as an empty string.
        return role_label(self.role)


class PasswordHistory(models.Model):
    """Hashes of earlier passwords, so the last 5 cannot be reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]


class RoleSetting(models.Model):
    """Per-role security settings, kept by the security administrator."""

    role = models.CharField("角色", max_length=20, unique=True)
    require_2fa = models.BooleanField("强制双因素认证", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "角色安全设置"
        verbose_name_plural = "角色安全设置"

    def __str__(self):
        return role_label(self.role)

    def get_role_display(self) -> str:
        return role_label(self.role)


class ApiTokenQuerySet(models.QuerySet):
    def usable(self):
        """Neither revoked nor expired: what the API accepts."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal (or service-account) API token. Only a SHA-256 digest of the key
    and a short prefix (to tell tokens apart on the page) are stored: the key is
    shown once, at creation (ADR 0016). Revoked tokens are kept, marked, so the
    owner's list and the API's refusal can say what happened."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("用途", max_length=50)
    prefix = models.CharField("令牌前缀", max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    expires_at = models.DateTimeField("到期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        return "已过期" if self.is_expired else "有效"

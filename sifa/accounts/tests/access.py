"""Routes whose access-matrix tests live in this app (test_access.py)."""

COVERED_ROUTES = {
    "accounts:login",
    "accounts:logout",
    "accounts:session",
    "accounts:password_change",
    "accounts:profile",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:user_list",
    "accounts:user_create",
    "accounts:user_edit",
    "accounts:user_active",
    "accounts:user_password",
    "accounts:user_unlock",
    "accounts:user_otp_reset",
    "accounts:role_list",
    "accounts:role_settings",
    "accounts:role_matrix",
    "accounts:role_edit",
}

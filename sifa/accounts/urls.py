from django.urls import path

from . import views, views_otp, views_roles, views_users

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("session/", views.session_state, name="session"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views_otp.profile, name="profile"),
    path("profile/token/", views_otp.token_create, name="token_create"),
    path("profile/token/<int:pk>/revoke/", views_otp.token_revoke, name="token_revoke"),
    path("otp/setup/", views_otp.otp_setup, name="otp_setup"),
    path("otp/verify/", views_otp.otp_verify, name="otp_verify"),
    # System administrator: accounts.
    path("users/", views_users.user_list, name="user_list"),
    path("users/new/", views_users.user_create, name="user_create"),
    path("users/<int:pk>/", views_users.user_edit, name="user_edit"),
    path("users/<int:pk>/active/", views_users.user_active, name="user_active"),
    path("users/<int:pk>/password/", views_users.user_password, name="user_password"),
    path("users/<int:pk>/unlock/", views_users.user_unlock, name="user_unlock"),
    path("users/<int:pk>/otp-reset/", views_users.user_otp_reset, name="user_otp_reset"),
    # Security administrator: roles.
    path("roles/", views_roles.role_list, name="role_list"),
    path("roles/settings/", views_roles.role_settings, name="role_settings"),
    path("roles/matrix/", views_roles.role_matrix, name="role_matrix"),
    path("roles/<int:pk>/", views_roles.role_edit, name="role_edit"),
]

"""URL wiring. Each sifa app plugs in by having ``urls.py`` (pages, mounted at
/<label>/, namespace = label) and/or ``api.py`` with ``api_urlpatterns``
(mounted under /api/v1/). Nothing here names a business line."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated

from sifa.cases.views import by_code, home
from sifa.common import views as common_views

urlpatterns = [
    path("", home, name="home"),
    path("q/<str:code>", by_code, name="case_by_code"),
    path("healthz", common_views.healthz, name="healthz"),
    # The schema maps every route and field: signed-in users only (401 to anyone
    # else, like the API); the docs page sends a visitor to the login page.
    path("api/v1/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path("api/v1/docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema", permission_classes=[IsAuthenticated])), name="api-docs"),
]

api_patterns = []
for app_config in apps.get_app_configs():
    if not app_config.name.startswith("sifa."):
        continue
    if find_spec(f"{app_config.name}.urls"):
        module = import_module(f"{app_config.name}.urls")
        prefix = getattr(module, "url_prefix", f"{app_config.label}/")
        urlpatterns.append(path(prefix, include((module.urlpatterns, app_config.label), namespace=app_config.label)))
    if find_spec(f"{app_config.name}.api"):
        module = import_module(f"{app_config.name}.api")
        api_patterns += getattr(module, "api_urlpatterns", [])

urlpatterns.append(path("api/v1/", include((api_patterns, "api"), namespace="api")))

handler400 = "sifa.common.views.bad_request"
handler403 = "sifa.common.views.permission_denied"
handler404 = "sifa.common.views.page_not_found"
handler500 = "sifa.common.views.server_error"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

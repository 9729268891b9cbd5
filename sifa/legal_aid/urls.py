"""Pages of 法律援助, mounted at /legal_aid/ (namespace "legal_aid")."""

from django.urls import path

from . import views
from .views import roster as views_roster
from .views import subsidies as views_subsidies

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.create, name="create"),
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.provider_create, name="provider_create"),
    path("providers/<int:pk>/edit/", views.provider_edit, name="provider_edit"),
    path("quality/", views.quality_sample, name="quality"),
    # 办案补贴 (法律援助法 §52)
    path("subsidies/", views_subsidies.subsidies, name="subsidies"),
    path("subsidies/approve/", views_subsidies.approve, name="subsidy_approve"),
    path("subsidies/<int:pk>/adjust/", views_subsidies.adjust, name="subsidy_adjust"),
    path("subsidies/compute/<int:case_pk>/", views_subsidies.compute, name="subsidy_compute"),
    path("subsidies/batches/new/", views_subsidies.batch_create, name="subsidy_batch_create"),
    path("subsidies/batches/<int:pk>/", views_subsidies.batch, name="subsidy_batch"),
    path("subsidies/batches/<int:pk>/paid/", views_subsidies.batch_paid, name="subsidy_batch_paid"),
    path("subsidies/batches/<int:pk>/export/", views_subsidies.batch_export, name="subsidy_batch_export"),
    # 值班律师排班 (法律援助法 §14, §30)
    path("roster/", views_roster.roster, name="roster"),
    path("roster/new/", views_roster.shift_create, name="shift_create"),
    path("roster/copy/", views_roster.copy_week, name="roster_copy"),
    path("roster/<int:pk>/delete/", views_roster.shift_delete, name="shift_delete"),
]

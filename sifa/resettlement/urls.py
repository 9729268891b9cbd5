"""Pages of 安置帮教, mounted at /resettlement/ (namespace "resettlement")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.create, name="create"),
    path("unlinked/", views.unlinked, name="unlinked"),
    path("return/", views.statistical_return, name="return"),
]

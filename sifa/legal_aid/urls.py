"""Pages of 法律援助, mounted at /legal_aid/ (namespace "legal_aid")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.create, name="create"),
    path("providers/", views.providers, name="providers"),
    path("providers/new/", views.provider_create, name="provider_create"),
]

"""System settings pages that belong to the foundation: the dictionary admin.
Mounted at /settings/ (namespace "common")."""

from django.urls import path

from . import views_dictionaries as views

url_prefix = "settings/"

urlpatterns = [
    path("dictionaries/", views.dictionary_sets, name="dictionary_sets"),
    path("dictionaries/<str:code_set>/", views.dictionary_entries, name="dictionary_entries"),
    path("dictionaries/<str:code_set>/new/", views.dictionary_create, name="dictionary_create"),
    path("dictionaries/<str:code_set>/<int:pk>/", views.dictionary_edit, name="dictionary_edit"),
    path("dictionaries/<str:code_set>/<int:pk>/active/", views.dictionary_toggle, name="dictionary_toggle"),
]

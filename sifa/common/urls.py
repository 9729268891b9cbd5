"""Pages that belong to the foundation: the dictionary admin under /settings/, and the
living style guide at /ui/ (namespace "common")."""

from django.urls import path

from . import views_dictionaries as views
from . import views_styleguide

# Mounted at the root: each path names its own first segment.
url_prefix = ""

urlpatterns = [
    path("settings/dictionaries/", views.dictionary_sets, name="dictionary_sets"),
    path("settings/dictionaries/<str:code_set>/", views.dictionary_entries, name="dictionary_entries"),
    path("settings/dictionaries/<str:code_set>/new/", views.dictionary_create, name="dictionary_create"),
    path("settings/dictionaries/<str:code_set>/<int:pk>/", views.dictionary_edit, name="dictionary_edit"),
    path("settings/dictionaries/<str:code_set>/<int:pk>/active/", views.dictionary_toggle, name="dictionary_toggle"),
    path("ui/", views_styleguide.styleguide, name="styleguide"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.org_create, name="create"),
    path("<int:pk>/", views.org_edit, name="edit"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("<slug:slug>/", views.entry_list, name="list"),
    path("<slug:slug>/new/", views.entry_create, name="create"),
    path("<slug:slug>/<int:pk>/", views.entry_detail, name="detail"),
    path("<slug:slug>/<int:pk>/edit/", views.entry_edit, name="edit"),
    path("<slug:slug>/<int:pk>/delete/", views.entry_delete, name="delete"),
    path("<slug:slug>/<int:pk>/handover/<slug:key>/", views.entry_handover, name="handover"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.fy_list, name="list"),
    path("new/", views.fy_create, name="create"),
    path("litigation/", views.suit_list, name="suit_list"),
    path("litigation/new/", views.suit_create, name="suit_create"),
]

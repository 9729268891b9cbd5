from django.urls import path

from . import views

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("<int:seq>/", views.entry_detail, name="detail"),
]

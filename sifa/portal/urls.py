"""Public pages at /portal/ (no login). The core's /q/<code> sends people who
cannot see a case to ``portal:track`` with the code filled in."""

from django.urls import path

from . import views

url_prefix = "portal/"

urlpatterns = [
    path("", views.home, name="home"),
    path("guide/", views.guide, name="guide"),
    path("apply/", views.apply, name="apply"),
    path("apply/<slug:key>/", views.apply, name="apply_form"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("qr/<str:code>.svg", views.qr, name="qr"),
]

"""Pages of 社区矫正, mounted at /correction/ (namespace "correction")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.create, name="create"),
    path("warnings/", views.warnings, name="warnings"),
    path("assessments/", views.inquiry_list, name="inquiries"),
    path("assessments/new/", views.inquiry_create, name="inquiry_create"),
]

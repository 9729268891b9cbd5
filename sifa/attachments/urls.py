from django.urls import path

from . import views

urlpatterns = [
    path("case/<int:case_pk>/upload/", views.upload, name="upload"),
    path("<int:pk>/download/", views.download, name="download"),
]

from django.urls import path

from . import views

urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("calculator/", views.calculator, name="calculator"),
    path("holidays/", views.holidays, name="holidays"),
    path("holidays/clear/", views.holiday_clear, name="holiday_clear"),
    path("holidays/confirm/", views.year_confirm, name="year_confirm"),
    path("settings/", views.deadline_settings, name="settings"),
    path("<int:pk>/done/", views.duty_done, name="duty_done"),
]

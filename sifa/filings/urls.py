from django.urls import path

from . import views

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/", views.fill, name="fill"),
    path("indicators/", views.indicators, name="indicators"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/open/", views.round_open, name="round_open"),
    path("rounds/<int:pk>/", views.round_review, name="round"),
    path("review/<int:pk>/return/", views.filing_return, name="return"),
    path("review/<int:pk>/lock/", views.filing_lock, name="lock"),
    path("review/<int:pk>/unlock/", views.filing_unlock, name="unlock"),
]

"""Pages of people's mediation, mounted at /mediation/ (namespace "mediation")."""

from django.urls import path

from .views import disputes, roster

urlpatterns = [
    path("", disputes.home, name="home"),
    path("new/", disputes.create, name="create"),
    path("quick/", disputes.quick, name="quick"),
    path("disputes/", disputes.dispute_list, name="list"),
    path("risks/", disputes.risks, name="risks"),
    path("committees/", roster.committees, name="committees"),
    path("committees/new/", roster.committee_create, name="committee_create"),
    path("committees/<int:pk>/", roster.committee, name="committee"),
    path("committees/<int:pk>/edit/", roster.committee_edit, name="committee_edit"),
    path("mediators/", roster.mediators, name="mediators"),
    path("mediators/new/", roster.mediator_create, name="mediator_create"),
    path("mediators/<int:pk>/", roster.mediator, name="mediator"),
    path("mediators/<int:pk>/edit/", roster.mediator_edit, name="mediator_edit"),
    path("mediators/<int:pk>/positions/", roster.membership_add, name="membership_add"),
    path("positions/<int:pk>/end/", roster.membership_end, name="membership_end"),
    path("mediators/<int:pk>/training/", roster.training_add, name="training_add"),
]

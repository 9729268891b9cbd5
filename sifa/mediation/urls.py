"""Pages of people's mediation, mounted at /mediation/ (namespace "mediation")."""

from django.urls import path

from .views import disputes, registry

urlpatterns = [
    path("", disputes.home, name="home"),
    path("new/", disputes.create, name="create"),
    path("quick/", disputes.quick, name="quick"),
    path("disputes/", disputes.dispute_list, name="list"),
    path("risks/", disputes.risks, name="risks"),
    path("committees/", registry.committees, name="committees"),
    path("committees/new/", registry.committee_create, name="committee_create"),
    path("committees/<int:pk>/", registry.committee, name="committee"),
    path("committees/<int:pk>/edit/", registry.committee_edit, name="committee_edit"),
    path("mediators/", registry.mediators, name="mediators"),
    path("mediators/new/", registry.mediator_create, name="mediator_create"),
    path("mediators/<int:pk>/", registry.mediator, name="mediator"),
    path("mediators/<int:pk>/edit/", registry.mediator_edit, name="mediator_edit"),
    path("mediators/<int:pk>/positions/", registry.membership_add, name="membership_add"),
    path("positions/<int:pk>/end/", registry.membership_end, name="membership_end"),
    path("mediators/<int:pk>/training/", registry.training_add, name="training_add"),
]

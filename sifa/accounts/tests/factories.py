from __future__ import annotations

from types import SimpleNamespace

import factory

from sifa.accounts.models import User
from sifa.accounts.roles import Role

PASSWORD = "Test@Pass2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    role = Role.OFFICE
    is_active = True

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()


def users_for(orgs) -> SimpleNamespace:
    """One user per role (SECURITY.md table), plus users of a second office and bureau."""
    from sifa.kit import registry

    all_lines = [ct.key for ct in registry.case_types()]
    return SimpleNamespace(
        leader=UserFactory(username="leader", role=Role.LEADER, org=orgs.bureau),
        staff=UserFactory(username="staff", role=Role.SECTION, org=orgs.bureau, lines=all_lines),
        staff_other_line=UserFactory(username="staff_x", role=Role.SECTION, org=orgs.bureau, lines=["__none__"]),
        office_a=UserFactory(username="office_a", role=Role.OFFICE, org=orgs.office_a),
        office_b=UserFactory(username="office_b", role=Role.OFFICE, org=orgs.office_b),
        mediator_a=UserFactory(username="mediator_a", role="mediator", org=orgs.committee_a),
        mediator_a2=UserFactory(username="mediator_a2", role="mediator", org=orgs.committee_a),
        lawyer=UserFactory(username="lawyer", role="lawyer", org=orgs.legal_aid),
        sysadmin=UserFactory(username="sysadmin", role=Role.SYSADMIN, org=orgs.bureau),
        secadmin=UserFactory(username="secadmin", role=Role.SECADMIN, org=orgs.bureau),
        auditor=UserFactory(username="auditor", role=Role.AUDITOR, org=orgs.bureau),
        other_office=UserFactory(username="other_office", role=Role.OFFICE, org=orgs.other_office),
        other_leader=UserFactory(username="other_leader", role=Role.LEADER, org=orgs.other_bureau),
        stat_admin=UserFactory(username="stat_admin", role=Role.STATISTICIAN, org=orgs.bureau),
    )

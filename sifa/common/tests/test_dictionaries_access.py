"""Access matrix of the dictionary admin: only the system administrator; every
other role gets 404 and changes nothing."""

import pytest
from django.urls import reverse

from sifa.common import dictionaries
from sifa.common.models import DictionaryEntry

pytestmark = pytest.mark.django_db

ROLES = ("leader", "staff", "office_a", "office_b", "mediator_a", "lawyer", "sysadmin", "secadmin", "auditor")
SET = "test_access_set"


@pytest.fixture
def entry():
    dictionaries.register_set(SET, "访问测试字典")
    return DictionaryEntry.objects.create(code_set=SET, code="a", label="甲")


def state():
    return sorted(DictionaryEntry.objects.values_list("pk", "code", "label", "parent_id", "is_active", "sort_order"))


@pytest.mark.parametrize("who", ROLES)
def test_matrix(users, client_for, entry, who):
    c = client_for(getattr(users, who))
    ok = who == "sysadmin"
    pages = [
        reverse("common:dictionary_sets"),
        reverse("common:dictionary_entries", args=[SET]),
        reverse("common:dictionary_create", args=[SET]),
        reverse("common:dictionary_edit", args=[SET, entry.pk]),
    ]
    for url in pages:
        assert c.get(url).status_code == (200 if ok else 404), url
    if ok:
        return
    before = state()
    assert c.post(reverse("common:dictionary_create", args=[SET]), {"code": "b", "label": "乙"}).status_code == 404
    assert c.post(reverse("common:dictionary_edit", args=[SET, entry.pk]), {"label": "改"}).status_code == 404
    assert c.post(reverse("common:dictionary_toggle", args=[SET, entry.pk]), {"active": "0"}).status_code == 404
    assert state() == before


def test_anonymous(client, entry):
    before = state()
    assert client.get(reverse("common:dictionary_sets"))["Location"].startswith("/accounts/login/")
    assert client.post(reverse("common:dictionary_toggle", args=[SET, entry.pk]), {"active": "0"}).status_code == 302
    assert state() == before

"""Access matrix of attachment upload and download, every role × own / other office."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sifa.attachments.models import Attachment
from sifa.cases.tests.matrix import ADMINS, MISSING_PK, PDF, ROLES, WRITERS, assert_like_missing, snapshot
from sifa.cases.tests.matrix import world as world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_download(world, client_for, role):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    assert_like_missing(
        client.get(reverse("attachments:download", args=[world.attachment(other).pk])),
        client.get(reverse("attachments:download", args=[MISSING_PK])),
    )
    resp = client.get(reverse("attachments:download", args=[world.attachment(own).pk]))
    if role in ADMINS:
        assert resp.status_code == 404
    else:
        assert resp.status_code == 200 and resp.content == PDF


@pytest.mark.parametrize("role", ROLES)
def test_upload(world, client_for, role):
    client = client_for(world.user(role))
    own, other = world.own[role], world.other[role]
    files_before = Attachment.objects.count()
    before_other = snapshot(other)
    assert_like_missing(
        client.post(reverse("attachments:upload", args=[other.pk]), {"file": SimpleUploadedFile("a.pdf", PDF)}),
        client.post(reverse("attachments:upload", args=[MISSING_PK]), {"file": SimpleUploadedFile("a.pdf", PDF)}),
    )
    assert snapshot(other) == before_other
    before = snapshot(own)
    resp = client.post(reverse("attachments:upload", args=[own.pk]), {"file": SimpleUploadedFile("笔录.pdf", PDF)}, follow=role not in ADMINS)
    if role in ADMINS:
        assert resp.status_code == 404
        assert snapshot(own) == before
    elif role in WRITERS:
        assert resp.status_code == 200 and "已上传" in resp.content.decode()
        assert Attachment.objects.count() == files_before + 1
    else:
        # Read-only roles: refused with a Chinese sentence, nothing stored.
        assert resp.status_code == 200 and "只能查看" in resp.content.decode()
        assert snapshot(own) == before
        assert Attachment.objects.count() == files_before

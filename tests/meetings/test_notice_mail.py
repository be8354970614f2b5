"""The notice reaches members by e-mail with its documents attached, when mail is configured."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from dangvu.meetings import services

from .conftest import local

pytestmark = pytest.mark.django_db


def _meeting(tree, users, staff_cell, clock):
    members = staff_cell(tree["C11"], official=2)
    for i, m in enumerate(members):
        u = users["chibo"].__class__.objects.create_user(username=f"m{i}", email=f"m{i}@example.vn")
        m.user = u
        m.save(update_fields=["user"])
    clock(local(2026, 11, 20, 9))
    meeting = services.meeting_create(
        actor=users["chibo"],
        organization=tree["C11"],
        kind="regular",
        scheduled_at=local(2026, 11, 25, 8),
    )
    services.document_post(
        actor=users["chibo"],
        meeting=meeting,
        kind="draft_resolution",
        title="Dự thảo nghị quyết tháng 11",
        file=SimpleUploadedFile("du-thao.pdf", b"%PDF-1.4 du thao", content_type="application/pdf"),
    )
    return meeting


def test_notice_mail_carries_the_documents(
    tree, users, staff_cell, clock, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EMAIL_HOST = "smtp.example.vn"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = _meeting(tree, users, staff_cell, clock)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=users["chibo"], meeting=meeting)
    assert {m.to[0] for m in mail.outbox} == {"m0@example.vn", "m1@example.vn"}
    names = [a[0] for a in mail.outbox[0].attachments]
    assert names[0].endswith(".pdf") and "du-thao.pdf" in names
    assert "Thông báo sinh hoạt" in mail.outbox[0].subject


def test_no_mail_without_configuration(
    tree, users, staff_cell, clock, settings, django_capture_on_commit_callbacks, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EMAIL_HOST = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    meeting = _meeting(tree, users, staff_cell, clock)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_send_notice(actor=users["chibo"], meeting=meeting)
    assert mail.outbox == []
    assert meeting.attendances.count() == 3  # the roster (with the dangvien member) is built anyway

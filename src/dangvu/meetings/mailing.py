"""The meeting notice by e-mail, with its documents attached (when mail is configured).

Sent after the notice transaction commits (a failed send never undoes the notice, and nothing is
sent for a notice that rolled back): the notice itself as PDF, then every document posted for
the meeting (draft resolution, materials). In-app notifications are created in any case.
"""

from django.conf import settings
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext as _

from .models import Meeting

MAX_ATTACHMENT_BYTES = 15 * 1024 * 1024


def send_notice_mail(meeting_id: int, user_ids: list[int]) -> int:
    from dangvu.accounts.models import User

    from . import documents
    from .reminders import mail_configured
    from .services import meeting_label, meeting_url

    if not mail_configured():
        return 0
    meeting = Meeting.objects.select_related("organization").get(pk=meeting_id)
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).exclude(email=""))
    if not users:
        return 0
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("[Thông báo sinh hoạt] %(m)s") % {"m": meeting_label(meeting)}
        body_lines = [
            _("Kính gửi các đồng chí,"),
            "",
            _("Thông báo sinh hoạt: %(m)s.") % {"m": meeting_label(meeting)},
        ]
        if meeting.location:
            body_lines.append(_("Địa điểm: %(p)s.") % {"p": meeting.location})
        if base:
            body_lines += ["", f"{base}{meeting_url(meeting)}"]
        body_lines += ["", _("Tài liệu kèm theo thư này.")]
        content, mime, name = documents.render(meeting, "notice", "pdf")
        attachments = [(name, content, mime)]
        size = len(content)
        for doc in meeting.documents.order_by("posted_at"):
            try:
                data = doc.file.read()
            except OSError:
                continue
            if size + len(data) > MAX_ATTACHMENT_BYTES:
                body_lines.append(
                    _("(Tài liệu “%(t)s” quá lớn để gửi kèm: xem trên hệ thống.)")
                    % {"t": doc.title}
                )
                continue
            size += len(data)
            attachments.append((doc.file.name.rsplit("/", 1)[-1], data, None))
        messages = [
            mail.EmailMessage(
                subject=subject, body="\n".join(body_lines), to=[u.email], attachments=attachments
            )
            for u in users
        ]
    with mail.get_connection() as connection:
        return connection.send_messages(messages) or 0

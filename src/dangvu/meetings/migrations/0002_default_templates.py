"""The default agenda of a cell meeting and the default checklist of an observer visit.

Agenda: HD 42-HD/BTCTW (2025) and the practice of HD 12-HD/BTCTW (2018): opening (dues, headcount,
agenda, minute-taker), body (news and directives, review of last month with Chỉ thị 05,
discussion, resolution put to a vote, admissions if any), closing (self-assessed quality, minutes).
Checklist: the procedure steps an upper-level observer checks at the meeting. Both are ordinary
rows the administrator may edit; this migration only adds them when missing.
"""

from django.db import migrations

AGENDA_NAME = "Chương trình sinh hoạt chi bộ thường kỳ (HD 42-HD/BTCTW, HD 12-HD/BTCTW)"
AGENDA_ITEMS = [
    {"section": "opening", "title": "Thu đảng phí"},
    {
        "section": "opening",
        "title": "Báo cáo số đảng viên có mặt, vắng mặt (có lý do, miễn công tác và sinh hoạt)",
    },
    {"section": "opening", "title": "Thông qua chương trình sinh hoạt"},
    {"section": "opening", "title": "Cử thư ký ghi biên bản"},
    {"section": "body", "title": "Thông tin thời sự, phổ biến văn bản của cấp trên"},
    {
        "section": "body",
        "title": "Kiểm điểm việc thực hiện nghị quyết tháng trước; việc học tập và làm theo tư "
        "tưởng, đạo đức, phong cách Hồ Chí Minh (Chỉ thị 05-CT/TW)",
    },
    {"section": "body", "title": "Thảo luận, đề ra nhiệm vụ, giải pháp tháng tới"},
    {"section": "body", "title": "Biểu quyết thông qua nghị quyết (kết luận) của chi bộ"},
    {
        "section": "body",
        "title": "Kết nạp đảng viên, công nhận đảng viên chính thức, phân công nhiệm vụ cho "
        "đảng viên (nếu có)",
    },
    {"section": "closing", "title": "Tự đánh giá chất lượng sinh hoạt chi bộ"},
    {"section": "closing", "title": "Thông qua biên bản sinh hoạt"},
]

CHECKLIST_NAME = "Tiêu chí dự sinh hoạt chi bộ (HD 42-HD/BTCTW)"
CHECKLIST_ITEMS = [
    {"code": "preparation", "title": "Chuẩn bị nội dung sinh hoạt và dự thảo nghị quyết"},
    {
        "code": "notice",
        "title": "Thông báo trước cho đảng viên và cấp ủy viên cấp trên phụ trách chi bộ",
    },
    {
        "code": "documents",
        "title": "Tài liệu được đăng (Sổ tay đảng viên điện tử) trước buổi sinh hoạt ít nhất 1 ngày",
    },
    {
        "code": "duration",
        "title": "Bảo đảm thời lượng (ít nhất 90 phút; 120 phút khi kết hợp chuyên đề)",
    },
    {
        "code": "opening",
        "title": "Đúng trình tự khai mạc: thu đảng phí, điểm danh, thông qua chương trình, "
        "cử thư ký",
    },
    {"code": "discussion", "title": "Thảo luận dân chủ; tự phê bình và phê bình"},
    {"code": "resolution", "title": "Biểu quyết thông qua nghị quyết"},
    {"code": "quality", "title": "Tự đánh giá chất lượng sinh hoạt"},
    {"code": "minutes", "title": "Thông qua biên bản"},
]


def add_templates(apps, schema_editor):
    AgendaTemplate = apps.get_model("meetings", "AgendaTemplate")
    ChecklistTemplate = apps.get_model("meetings", "ChecklistTemplate")
    db = schema_editor.connection.alias
    if not AgendaTemplate.objects.using(db).filter(name=AGENDA_NAME).exists():
        AgendaTemplate.objects.using(db).create(
            name=AGENDA_NAME,
            organization=None,
            kind="",
            items=AGENDA_ITEMS,
            is_default=not AgendaTemplate.objects.using(db)
            .filter(is_default=True, organization=None, kind="")
            .exists(),
        )
    if not ChecklistTemplate.objects.using(db).filter(name=CHECKLIST_NAME).exists():
        ChecklistTemplate.objects.using(db).create(
            name=CHECKLIST_NAME,
            items=CHECKLIST_ITEMS,
            is_default=not ChecklistTemplate.objects.using(db).filter(is_default=True).exists(),
        )


def remove_templates(apps, schema_editor):
    db = schema_editor.connection.alias
    apps.get_model("meetings", "AgendaTemplate").objects.using(db).filter(
        name=AGENDA_NAME, organization=None
    ).delete()
    apps.get_model("meetings", "ChecklistTemplate").objects.using(db).filter(
        name=CHECKLIST_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]

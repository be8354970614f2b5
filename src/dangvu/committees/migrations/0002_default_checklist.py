"""The default preparation list of a congress (the administrator edits it afterwards)."""

from django.db import migrations

DEFAULT_CHECKLIST = [
    "Kế hoạch tổ chức đại hội của cấp ủy",
    "Dự thảo báo cáo chính trị",
    "Báo cáo kiểm điểm của cấp ủy",
    "Đề án nhân sự cấp ủy khóa mới",
    "Đại biểu / danh sách đảng viên triệu tập",
    "Văn kiện gửi cấp ủy cấp trên",
    "Cấp trên đồng ý cho tổ chức đại hội",
    "Chương trình, quy chế làm việc, quy chế bầu cử",
]


def seed(apps, schema_editor):
    Item = apps.get_model("committees", "ChecklistTemplateItem")
    if Item.objects.exists():
        return
    Item.objects.bulk_create(
        [Item(order=i * 10, title=t, is_active=True) for i, t in enumerate(DEFAULT_CHECKLIST, 1)]
    )


class Migration(migrations.Migration):
    dependencies = [("committees", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""The three course types with the guide's rules; the planner edits them in admin."""

from django.db import migrations

from koulutus.reference import load_course_types


def create_types(apps, schema_editor):
    load_course_types(apps.get_model("koulutus", "CourseType"))


class Migration(migrations.Migration):
    dependencies = [("koulutus", "0001_initial")]

    operations = [migrations.RunPython(create_types, migrations.RunPython.noop)]

from django.db import migrations

from pankki import vocabulary


def load(apps, schema_editor):
    vocabulary.load(
        apps.get_model("pankki", "TaskType"),
        apps.get_model("pankki", "Audience"),
        apps.get_model("pankki", "LifeSituation"),
        apps.get_model("pankki", "Theme"),
        apps.get_model("kotove", "MemberOrganisation"),
    )


class Migration(migrations.Migration):
    dependencies = [("pankki", "0001_initial"), ("kotove", "0002_reference_data")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

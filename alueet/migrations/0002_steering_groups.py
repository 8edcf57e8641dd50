from django.db import migrations


def create_groups(apps, schema_editor):
    """One steering group per area (the 18 groups of the guide)."""
    SteeringGroup = apps.get_model("alueet", "SteeringGroup")
    for area in apps.get_model("kotove", "Area").objects.all():
        SteeringGroup.objects.get_or_create(area=area)


class Migration(migrations.Migration):
    dependencies = [("alueet", "0001_initial")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

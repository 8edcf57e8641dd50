from django.db import migrations

from kotove import reference


def load(apps, schema_editor):
    Region = apps.get_model("kotove", "Region")
    reference.load_regions_and_municipalities(Region, apps.get_model("kotove", "Municipality"))
    reference.load_areas_and_organisations(
        Region, apps.get_model("kotove", "Area"), apps.get_model("kotove", "MemberOrganisation")
    )


class Migration(migrations.Migration):
    dependencies = [("kotove", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

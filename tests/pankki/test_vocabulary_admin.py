from importlib import import_module

from django.urls import reverse

from pankki.models import Audience, LifeSituation, Theme

REFUSED = "Luettelossa on jo tämä nimi."


def add(client, model: str, **fields):
    data = {"name_sv": "", "is_active": "on", "order": 0} | fields
    return client.post(reverse(f"admin:pankki_{model}_add"), data)


def test_a_vocabulary_lists_a_name_once(client, planner, org_a, org_b):
    client.force_login(planner)
    # the same theme twice with no organisation: the second, in capitals, is refused
    assert add(client, "theme", name_fi="Hyvä arki", organisation="").status_code == 302
    response = add(client, "theme", name_fi="HYVÄ ARKI", organisation="")
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert Theme.objects.filter(name_fi__iexact="hyvä arki").count() == 1
    # an organisation's own diagnosis may also be another organisation's, once under each
    assert add(client, "theme", name_fi="Hyvä arki", organisation=org_a.pk).status_code == 302
    assert add(client, "theme", name_fi="Hyvä arki", organisation=org_b.pk).status_code == 302
    response = add(client, "theme", name_fi="Hyvä arki", organisation=org_a.pk)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert Theme.objects.filter(name_fi__iexact="hyvä arki").count() == 3

    situation = LifeSituation.objects.first()
    before = LifeSituation.objects.count()
    response = add(client, "lifesituation", name_fi=situation.name_fi)
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert LifeSituation.objects.count() == before


def test_names_listed_twice_before_the_rule_are_numbered_by_the_migration(db):
    """A database from before names had to be unique may hold the same name twice: the
    migration numbers the later ones instead of failing."""
    from django.apps import apps
    from django.db import connection

    migration = import_module("pankki.migrations.0010_vocabulary_unique_names")
    [constraint] = Audience._meta.constraints
    with connection.schema_editor() as editor:
        editor.remove_constraint(Audience, constraint)
    first = Audience.objects.create(name_fi="Opiskelijat kahdesti")
    later = [Audience.objects.create(name_fi=name) for name in ("OPISKELIJAT KAHDESTI",) * 2]
    Audience.objects.create(name_fi="Opiskelijat kahdesti (2)")  # a number already taken
    migration.number_duplicates(apps, None)
    with connection.schema_editor() as editor:
        editor.add_constraint(Audience, constraint)
    names = [Audience.objects.get(pk=entry.pk).name_fi for entry in (first, *later)]
    assert names == [
        "Opiskelijat kahdesti",
        "OPISKELIJAT KAHDESTI (3)",
        "OPISKELIJAT KAHDESTI (4)",
    ]

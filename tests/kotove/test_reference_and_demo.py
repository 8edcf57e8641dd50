from django.core.management import call_command

from kotove import demo
from kotove.models import (
    Area,
    MemberOrganisation,
    Municipality,
    OrdererOrganisation,
    Region,
    Role,
    User,
)


def test_reference_data_is_loaded(db):
    assert Region.objects.count() == 19
    assert Municipality.objects.count() == 308
    assert Area.objects.count() == 18
    assert MemberOrganisation.objects.count() == 32
    tampere = Municipality.objects.get(name_fi="Tampere")
    assert (tampere.region.name_fi, round(tampere.latitude, 1)) == ("Pirkanmaa", 61.5)
    assert set(
        Area.objects.get(name_fi="Varsinais-Suomi ja Ahvenanmaa").regions.values_list(
            "code", flat=True
        )
    ) == {"02", "21"}
    # every region lies in exactly one area
    assert sorted(Region.objects.values_list("areas__id", flat=True)).count(None) == 0


def test_demo_builds_every_role_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("load_demo")
    assert OrdererOrganisation.objects.count() >= 100
    assert {r.kind for r in Role.objects.all()} == set(Role.Kind.values)
    planner = User.objects.get(email="suunnittelija@demo.kokemus.fi")
    planner.first_name = "Muutettu"
    planner.save()
    counts = (User.objects.count(), OrdererOrganisation.objects.count(), Role.objects.count())
    call_command("load_demo")
    planner.refresh_from_db()
    assert planner.first_name == "Muutettu"
    assert (
        User.objects.count(),
        OrdererOrganisation.objects.count(),
        Role.objects.count(),
    ) == counts


def test_demo_logins_give_a_working_recovery_code_per_mfa_role(db, client, settings):
    settings.DEBUG = True
    demo.load()
    rows = {row["email"]: row for row in demo.logins()}
    assert len(rows) == len(demo.DEMO_USERS)
    row = rows["yhteys.aivoliitto@demo.kokemus.fi"]
    assert row["recovery_code"]
    assert rows["tilaaja@demo.kokemus.fi"]["recovery_code"] is None
    response = client.post(
        "/accounts/login/", {"login": row["email"], "password": demo.DEMO_PASSWORD}
    )
    assert response.url == "/accounts/2fa/authenticate/"
    response = client.post(response.url, {"code": row["recovery_code"]})
    assert client.get("/").status_code == 200
    assert (
        demo.logins()[1]["recovery_code"] != row["recovery_code"]
    )  # a used code is not printed again

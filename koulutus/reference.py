"""The three course types with the guide's rules (the planner edits them in admin). Loaded by
a migration, and again by tests whose database is flushed."""

from decimal import Decimal

TYPES = [
    {
        "kind": "basic",
        "name_fi": "Peruskoulutus",
        "name_sv": "Grundutbildning",
        "description_fi": (
            "Kokemustoimijan peruskoulutus on laajuudeltaan noin 45 tuntia: lähiopetusta "
            "vähintään kolme päivää (yhteensä 25 tuntia) ja itsenäistä työskentelyä noin 20 "
            "tuntia, sisältäen ennakko- ja välitehtävät sekä harjoitusluennon valmistelun ja "
            "esittämisen. Koulutus jakautuu riittävän pitkälle ajanjaksolle, mikä tukee oman "
            "kokemuksen jäsentymistä."
        ),
        "description_sv": (
            "Grundutbildningen för erfarenhetsaktörer omfattar cirka 45 timmar: närundervisning "
            "minst tre dagar (sammanlagt 25 timmar) och cirka 20 timmar självständigt arbete, "
            "med förhands- och mellanuppgifter samt förberedelse och framförande av en "
            "övningsföreläsning. Utbildningen sprids ut över en tillräckligt lång period, vilket "
            "hjälper att bearbeta den egna erfarenheten."
        ),
        "min_contact_days": 3,
        "min_contact_hours": Decimal(25),
        "independent_work_hours": Decimal(20),
        "requires_assignments": True,
        "requires_practice_lecture": True,
        "selection_by_organisation": True,
        "only_trained_experts_of_area": False,
    },
    {
        "kind": "continuing",
        "name_fi": "Kehittäjä-vaikuttaja-jatkokoulutus",
        "name_sv": "Fortbildning för utvecklare och påverkare",
        "description_fi": (
            "Jatkokoulutus kokemustoimijoille, jotka haluavat lisätä valmiuksiaan toimia "
            "kehittämisen ja vaikuttamisen tehtävissä, esimerkiksi työryhmissä. Koulutus sisältää "
            "itsenäisesti valmisteltavia etätehtäviä ja 1½ vuorokautta lähiopetusta."
        ),
        "description_sv": (
            "Fortbildning för erfarenhetsaktörer som vill stärka sin beredskap för utvecklings- "
            "och påverkansuppdrag, till exempel i arbetsgrupper. Utbildningen består av "
            "distansuppgifter som förbereds självständigt och 1½ dygn närundervisning."
        ),
        "min_contact_days": 2,
        "min_contact_hours": Decimal(10),
        "independent_work_hours": Decimal(0),
        "requires_assignments": True,
        "requires_practice_lecture": False,
        "selection_by_organisation": True,
        "only_trained_experts_of_area": False,
    },
    {
        "kind": "supplementary",
        "name_fi": "Täydentävä koulutus",
        "name_sv": "Kompletterande utbildning",
        "description_fi": (
            "Alueellisen ohjausryhmän järjestämä lyhyt, muutaman tunnin koulutus, joka on avoin "
            "kaikille alueen koulutetuille kokemustoimijoille. Aiheena esimerkiksi viestintä, "
            "vuorovaikutus, esiintyminen tai esityksen laatiminen."
        ),
        "description_sv": (
            "En kort utbildning på några timmar som den regionala styrgruppen ordnar, öppen för "
            "alla utbildade erfarenhetsaktörer i området. Ämnet kan till exempel vara "
            "kommunikation, växelverkan, att uppträda eller att göra en presentation."
        ),
        "min_contact_days": 1,
        "min_contact_hours": Decimal(2),
        "independent_work_hours": Decimal(0),
        "requires_assignments": False,
        "requires_practice_lecture": False,
        "selection_by_organisation": False,
        "only_trained_experts_of_area": True,
    },
]


def load_course_types(CourseType) -> None:  # noqa: N803 - a model class, historical or current
    for values in TYPES:
        CourseType.objects.update_or_create(kind=values["kind"], defaults=values)

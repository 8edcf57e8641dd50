"""Reference data of the network: regions, municipalities, areas, member organisations."""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# The 18 regional steering groups' areas. Åland has no group of its own; it belongs to
# Varsinais-Suomi's area, which keeps every region inside exactly one area.
AREAS = [
    (code, None, None)
    for code in [
        "01",
        "04",
        "05",
        "06",
        "07",
        "08",
        "09",
        "10",
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
    ]
]
AREAS.insert(1, ("02", "Varsinais-Suomi ja Ahvenanmaa", "Egentliga Finland och Åland"))
AREA_EXTRA_REGIONS = {"02": ["21"]}

# The guide's member organisations: (Finnish name, Swedish name, short name, website).
MEMBER_ORGANISATIONS = [
    ("ADHD-liitto", "ADHD-förbundet", "ADHD", "adhdliitto.fi"),
    ("Aivoliitto", "Hjärnförbundet", "Aivoliitto", "aivoliitto.fi"),
    ("Aivovammaliitto", "Hjärnskadeförbundet", "Aivovamma", "aivovammaliitto.fi"),
    ("Allergia-, Iho- ja Astmaliitto", "Allergi-, Hud- och Astmaförbundet", "AIHA", "allergia.fi"),
    ("Autismiliitto", "Autismförbundet", "Autismi", "autismiliitto.fi"),
    ("IBD ja muut suolistosairaudet", "IBD och andra tarmsjukdomar", "IBD", "ibd.fi"),
    ("Epilepsialiitto", "Epilepsiförbundet", "Epilepsia", "epilepsia.fi"),
    ("Finnilco", "Finnilco", "Finnilco", "finnilco.fi"),
    ("Hengitysliitto", "Andningsförbundet", "Hengitys", "hengitysliitto.fi"),
    ("Invalidiliitto", "Invalidförbundet", "Invalidi", "invalidiliitto.fi"),
    ("Keliakialiitto", "Celiakiförbundet", "Keliakia", "keliakialiitto.fi"),
    ("Kuuloliitto", "Hörselförbundet", "Kuulo", "kuuloliitto.fi"),
    ("Kynnys", "Kynnys", "Kynnys", "kynnys.fi"),
    ("Lihastautiliitto", "Muskelsjukdomsförbundet", "Lihastauti", "lihastautiliitto.fi"),
    ("Mielenterveyden keskusliitto", "Centralförbundet för mental hälsa", "MTKL", "mtkl.fi"),
    ("Mielenterveysomaisten keskusliitto – FinFami", "FinFami", "FinFami", "finfami.fi"),
    ("Muistiliitto", "Minnesförbundet", "Muisti", "muistiliitto.fi"),
    ("Munuais- ja maksaliitto", "Njur- och leverförbundet", "Muma", "muma.fi"),
    ("Neuroliitto", "Neuroförbundet", "Neuro", "neuroliitto.fi"),
    ("Näkövammaisten liitto", "Synskadades förbund", "NKL", "nkl.fi"),
    ("Omaishoitajaliitto", "Närståendevårdarförbundet", "Omaishoitaja", "omaishoitajat.fi"),
    ("Parkinsonliitto", "Parkinsonförbundet", "Parkinson", "parkinson.fi"),
    ("Psoriasisliitto", "Psoriasisförbundet", "Psori", "psoriasisliitto.fi"),
    ("Suomen CP-liitto", "Finlands CP-förbund", "CP", "cp-liitto.fi"),
    ("Suomen Diabetesliitto", "Diabetesförbundet i Finland", "Diabetes", "diabetes.fi"),
    (
        "Suomen Kilpirauhasliitto",
        "Sköldkörtelförbundet i Finland",
        "Kilpirauhanen",
        "kilpirauhasliitto.fi",
    ),
    ("Suomen Kipu", "Finlands Smärtförening", "Kipu", "suomenkipu.fi"),
    ("Suomen Migreeniyhdistys", "Finlands Migränförening", "Migreeni", "migreeni.org"),
    ("Suomen Nivelyhdistys", "Finlands Ledförening", "Nivel", "nivelyhdistys.fi"),
    ("Suomen Reumaliitto", "Finlands Reumaförbund", "Reuma", "reumaliitto.fi"),
    ("Suomen Sydänliitto", "Finlands Hjärtförbund", "Sydän", "sydanliitto.fi"),
    ("Suomen Syöpäyhdistys", "Cancerföreningen i Finland", "Syöpä", "syopajarjestot.fi"),
]


def read_csv(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_regions_and_municipalities(Region, Municipality) -> None:
    """Create missing regions and municipalities from the bundled CSV files (idempotent)."""
    regions = {}
    for row in read_csv("maakunnat.csv"):
        regions[row["region_code"]], _ = Region.objects.get_or_create(
            code=row["region_code"],
            defaults={
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "name_en": row["name_en"],
            },
        )
    for row in read_csv("kunnat.csv"):
        Municipality.objects.get_or_create(
            code=row["code"],
            defaults={
                "name_fi": row["name_fi"],
                "name_sv": row["name_sv"],
                "region": regions[row["region_code"]],
                "latitude": float(row["lat"]),
                "longitude": float(row["lon"]),
            },
        )


def load_areas_and_organisations(Region, Area, MemberOrganisation) -> None:
    """Create the 18 areas and the member organisations unless present; never overwrites."""
    for code, name_fi, name_sv in AREAS:
        region = Region.objects.get(code=code)
        area, created = Area.objects.get_or_create(
            name_fi=name_fi or region.name_fi, defaults={"name_sv": name_sv or region.name_sv}
        )
        if created:
            area.regions.add(
                region, *Region.objects.filter(code__in=AREA_EXTRA_REGIONS.get(code, []))
            )
    for name_fi, name_sv, short, site in MEMBER_ORGANISATIONS:
        MemberOrganisation.objects.get_or_create(
            name_fi=name_fi,
            defaults={"name_sv": name_sv, "short_name": short, "website": f"https://{site}"},
        )

"""Default vocabularies from the guide; the planner edits them in admin."""

# The guide's task types (18 in its list): (Finnish, Swedish).
TASK_TYPES = [
    ("Koulutushankkeiden suunnittelu ja toteutus", "Planering och genomförande av utbildningsprojekt"),
    ("Palvelujen arviointi ja kehittäminen", "Utvärdering och utveckling av tjänster"),
    ("Kokemusneuvoja lääkärin tukena haastavissa potilastilanteissa", "Erfarenhetsrådgivare som stöd för läkaren i svåra patientsituationer"),
    ("Ammattilaisten täydennyskoulutukset", "Fortbildning för yrkesverksamma"),
    ("Moniammatillinen tiimi", "Multiprofessionellt team"),
    ("Yhteiskehittäminen – parityöskentely ammattilaisen rinnalla", "Samutveckling – pararbete med en yrkesverksam"),
    ("Hoito- ja palveluketjujen kehittäminen", "Utveckling av vård- och servicekedjor"),
    ("Tilojen ja toiminnan suunnittelu ja arviointi", "Planering och utvärdering av lokaler och verksamhet"),
    ("Mediayhteistyö ja blogit", "Mediesamarbete och bloggar"),
    ("Opetustuokiot ja luennot oppilaitoksissa, työyhteisöissä ja järjestöissä", "Lektioner och föreläsningar i läroanstalter, arbetsgemenskaper och organisationer"),
    ("Asiakas- ja potilastilanteiden simulaatio-opetus", "Simuleringsundervisning av klient- och patientsituationer"),
    ("Elävä kirjasto ja kokemuskirjasto", "Levande bibliotek och erfarenhetsbibliotek"),
    ("Opinnäytetöiden, oppimistehtävien ja tutkimusten haastattelut", "Intervjuer för lärdomsprov, inlärningsuppgifter och forskning"),
    ("Kokemusedustaja kehittämistyöryhmissä ja organisaatioissa", "Erfarenhetsrepresentant i utvecklingsgrupper och organisationer"),
    ("Projektien ja hankkeiden työ- ja ohjausryhmät", "Arbets- och styrgrupper i projekt"),
    ("Keskustelupaneelin jäsen", "Deltagare i en diskussionspanel"),
    ("Seminaarien, messujen ja tapahtumien puheenvuorot", "Anföranden på seminarier, mässor och evenemang"),
    ("Työpajatyöskentelyn ohjaaminen", "Att leda workshoppar"),
]  # fmt: skip

AUDIENCES = [
    ("Sosiaali- ja terveysalan opiskelijat", "Studerande inom social- och hälsovård"),
    ("Lääketieteen opiskelijat", "Medicinstuderande"),
    ("Sairaanhoitajat ja hoitohenkilöstö", "Sjukskötare och vårdpersonal"),
    ("Lääkärit", "Läkare"),
    ("Sosiaalityöntekijät", "Socialarbetare"),
    ("Opettajat ja oppilaitokset", "Lärare och läroanstalter"),
    ("Työryhmät ja kehittäjät", "Arbetsgrupper och utvecklare"),
    ("Yleisö ja tapahtumat", "Allmänhet och evenemang"),
    ("Työpaikat ja esihenkilöt", "Arbetsplatser och chefer"),
]  # fmt: skip

LIFE_SITUATIONS = [
    ("Omainen tai läheinen", "Anhörig eller närstående"),
    ("Omaishoitaja", "Närståendevårdare"),
    ("Työelämässä sairauden kanssa", "I arbetslivet med en sjukdom"),
    ("Työkyvyttömyys tai kuntoutus", "Arbetsoförmåga eller rehabilitering"),
    ("Lapsiperhe", "Barnfamilj"),
    ("Nuori aikuinen", "Ung vuxen"),
    ("Ikääntyminen", "Åldrande"),
    ("Opiskelu", "Studier"),
    ("Yksinäisyys ja syrjäytyminen", "Ensamhet och utanförskap"),
    ("Maahan muuttanut", "Invandrare"),
    ("Harvinainen sairaus", "Sällsynt sjukdom"),
    ("Vammaisuus arjessa", "Funktionsnedsättning i vardagen"),
]  # fmt: skip

# Themes and diagnoses by member organisation (short names as in kotove.reference).
THEMES = {
    "ADHD": [("ADHD", "ADHD"), ("ADD", "ADD")],
    "Aivoliitto": [("Aivoverenkiertohäiriö", "Stroke"), ("Afasia", "Afasi")],
    "Aivovamma": [("Aivovamma", "Hjärnskada")],
    "AIHA": [("Astma", "Astma"), ("Allergia", "Allergi"), ("Atooppinen ihottuma", "Atopiskt eksem")],
    "Autismi": [("Autismikirjo", "Autismspektrum")],
    "IBD": [("Crohnin tauti", "Crohns sjukdom"), ("Haavainen paksusuolitulehdus", "Ulcerös kolit")],
    "Epilepsia": [("Epilepsia", "Epilepsi")],
    "Finnilco": [("Avanne", "Stomi")],
    "Hengitys": [("Keuhkoahtaumatauti", "KOL"), ("Uniapnea", "Sömnapné")],
    "Invalidi": [("Liikuntavamma", "Rörelsehinder"), ("Amputaatio", "Amputation")],
    "Keliakia": [("Keliakia", "Celiaki")],
    "Kuulo": [("Kuulovamma", "Hörselskada"), ("Tinnitus", "Tinnitus")],
    "Kynnys": [("Vammaisuus", "Funktionsnedsättning")],
    "Lihastauti": [("Lihastauti", "Muskelsjukdom")],
    "MTKL": [("Masennus", "Depression"), ("Kaksisuuntainen mielialahäiriö", "Bipolär sjukdom"), ("Skitsofrenia", "Schizofreni"), ("Ahdistuneisuushäiriö", "Ångestsyndrom")],
    "FinFami": [("Mielenterveysomaisuus", "Anhörig till person med psykisk ohälsa")],
    "Muisti": [("Muistisairaus", "Minnessjukdom"), ("Alzheimerin tauti", "Alzheimers sjukdom")],
    "Muma": [("Munuaissairaus", "Njursjukdom"), ("Elinsiirto", "Organtransplantation")],
    "Neuro": [("MS-tauti", "MS"), ("Harvinainen neurologinen sairaus", "Sällsynt neurologisk sjukdom")],
    "NKL": [("Näkövamma", "Synskada")],
    "Omaishoitaja": [("Omaishoito", "Närståendevård")],
    "Parkinson": [("Parkinsonin tauti", "Parkinsons sjukdom")],
    "Psori": [("Psoriasis", "Psoriasis")],
    "CP": [("CP-vamma", "CP-skada")],
    "Diabetes": [("Tyypin 1 diabetes", "Typ 1-diabetes"), ("Tyypin 2 diabetes", "Typ 2-diabetes")],
    "Kilpirauhanen": [("Kilpirauhasen vajaatoiminta", "Hypotyreos")],
    "Kipu": [("Krooninen kipu", "Kronisk smärta")],
    "Migreeni": [("Migreeni", "Migrän")],
    "Nivel": [("Nivelrikko", "Artros")],
    "Reuma": [("Nivelreuma", "Reumatoid artrit"), ("Fibromyalgia", "Fibromyalgi")],
    "Sydän": [("Sydäninfarkti", "Hjärtinfarkt"), ("Sydämen vajaatoiminta", "Hjärtsvikt")],
    "Syöpä": [("Rintasyöpä", "Bröstcancer"), ("Syöpä", "Cancer"), ("Eturauhassyöpä", "Prostatacancer")],
}  # fmt: skip


def load(TaskType, Audience, LifeSituation, Theme, MemberOrganisation) -> None:
    """Create the default vocabularies unless present (idempotent, never overwrites)."""
    for model, rows in (
        (TaskType, TASK_TYPES),
        (Audience, AUDIENCES),
        (LifeSituation, LIFE_SITUATIONS),
    ):
        for order, (fi, sv) in enumerate(rows):
            model.objects.get_or_create(name_fi=fi, defaults={"name_sv": sv, "order": order})
    for short_name, themes in THEMES.items():
        organisation = MemberOrganisation.objects.get(short_name=short_name)
        for fi, sv in themes:
            Theme.objects.get_or_create(
                name_fi=fi, organisation=organisation, defaults={"name_sv": sv}
            )

"""The network's feedback forms, in Finnish and Swedish, as version 1 of each kind.

The planner changes them in admin; a change to a form that has answers becomes a new version.
"""

from django.db import migrations

AGREE = {
    "low_label_fi": "Täysin eri mieltä",
    "low_label_sv": "Helt av annan åsikt",
    "high_label_fi": "Täysin samaa mieltä",
    "high_label_sv": "Helt av samma åsikt",
}


def scale(key, fi, sv, labels=AGREE, required=True):
    return {"key": key, "kind": "scale", "text_fi": fi, "text_sv": sv, "required": required, **labels}


def choice(key, fi, sv, choices_fi, choices_sv, *, multiple=False, required=False):
    return {
        "key": key,
        "kind": "multiple" if multiple else "single",
        "text_fi": fi,
        "text_sv": sv,
        "required": required,
        "choices_fi": "\n".join(choices_fi),
        "choices_sv": "\n".join(choices_sv),
    }


def text(key, fi, sv):
    return {"key": key, "kind": "text", "text_fi": fi, "text_sv": sv, "required": False}


FORMS = [
    {
        "kind": "listener",
        "title_fi": "Kuulijapalaute",
        "title_sv": "Respons från åhörare",
        "intro_fi": (
            "Kiitos, että kuuntelit kokemustoimijaa! Vastaaminen vie pari minuuttia. "
            "Palaute välittyy kokemustoimijalle itselleen ja Kokemustoimintaverkostolle "
            "toiminnan kehittämiseksi."
        ),
        "intro_sv": (
            "Tack för att du lyssnade på erfarenhetsaktören! Det tar ett par minuter att svara. "
            "Responsen går till erfarenhetsaktören själv och till Kokemustoimintaverkosto för "
            "att utveckla verksamheten."
        ),
        "questions": [
            scale(
                "overall",
                "Kuinka hyödyllinen kokemustoimijan osuus oli sinulle kokonaisuutena?",
                "Hur nyttig var erfarenhetsaktörens del för dig som helhet?",
                {
                    "low_label_fi": "Ei lainkaan hyödyllinen",
                    "low_label_sv": "Inte alls nyttig",
                    "high_label_fi": "Erittäin hyödyllinen",
                    "high_label_sv": "Mycket nyttig",
                },
            ),
            scale(
                "understanding",
                "Sain uutta ymmärrystä siitä, millaista on elää sairauden tai vamman kanssa "
                "tai läheisenä.",
                "Jag fick ny förståelse för hur det är att leva med en sjukdom eller "
                "funktionsnedsättning eller som närstående.",
            ),
            scale(
                "clarity",
                "Kokemustoimija kertoi asiansa selkeästi ja ymmärrettävästi.",
                "Erfarenhetsaktören berättade klart och begripligt.",
            ),
            scale(
                "use_in_work",
                "Voin hyödyntää kuulemaani työssäni tai opinnoissani.",
                "Jag har nytta av det jag hörde i mitt arbete eller i mina studier.",
            ),
            choice(
                "respondent",
                "Missä roolissa osallistuit?",
                "I vilken roll deltog du?",
                [
                    "Opiskelija",
                    "Sosiaali- tai terveysalan ammattilainen",
                    "Muun alan ammattilainen",
                    "Muu",
                ],
                [
                    "Studerande",
                    "Yrkesperson inom social- och hälsovården",
                    "Yrkesperson inom en annan bransch",
                    "Annan",
                ],
            ),
            text(
                "best",
                "Mikä jäi sinulle erityisesti mieleen?",
                "Vad blev särskilt kvar i minnet?",
            ),
            text(
                "improve",
                "Mitä olisit halunnut kuulla lisää tai mitä kokemustoimija voisi tehdä toisin?",
                "Vad hade du velat höra mer om, eller vad kunde erfarenhetsaktören göra "
                "annorlunda?",
            ),
        ],
    },
    {
        "kind": "orderer",
        "title_fi": "Tilaajan palaute",
        "title_sv": "Beställarens respons",
        "intro_fi": (
            "Kiitos, että tilasitte kokemustoimijan. Palautteenne auttaa kokemustoimijaa ja "
            "hänen taustajärjestöään kehittämään toimintaa, ja Kokemustoimintaverkostoa "
            "kertomaan rahoittajalle, mitä toiminta saa aikaan."
        ),
        "intro_sv": (
            "Tack för att ni beställde en erfarenhetsaktör. Er respons hjälper "
            "erfarenhetsaktören och hens bakgrundsorganisation att utveckla verksamheten, och "
            "Kokemustoimintaverkosto att berätta för finansiären vad verksamheten åstadkommer."
        ),
        "questions": [
            scale(
                "goals",
                "Kokemustoimijan osuus vastasi tilauksen tavoitteita.",
                "Erfarenhetsaktörens del motsvarade målen med beställningen.",
            ),
            scale(
                "cooperation",
                "Yhteistyö ja käytännön järjestelyt kokemustoimijan kanssa sujuivat hyvin.",
                "Samarbetet och de praktiska arrangemangen med erfarenhetsaktören fungerade bra.",
            ),
            scale(
                "audience_benefit",
                "Kuulijat tai osallistujat hyötyivät kokemustoimijan osuudesta.",
                "Åhörarna eller deltagarna hade nytta av erfarenhetsaktörens del.",
            ),
            choice(
                "order_again",
                "Tilaisitteko kokemustoimijan uudelleen?",
                "Skulle ni beställa en erfarenhetsaktör igen?",
                ["Kyllä", "Ehkä", "Ei"],
                ["Ja", "Kanske", "Nej"],
                required=True,
            ),
            choice(
                "found_through",
                "Miten löysitte kokemustoimijan?",
                "Hur hittade ni erfarenhetsaktören?",
                ["Kokemuspankista", "Järjestön kautta", "Aiemman yhteistyön kautta", "Muuta kautta"],
                ["Via Erfarenhetsbanken", "Via en organisation", "Genom tidigare samarbete", "På annat sätt"],
                multiple=True,
            ),
            text(
                "comments",
                "Mitä muuta haluatte kertoa kokemustoimijalle tai verkostolle?",
                "Vad vill ni i övrigt berätta för erfarenhetsaktören eller nätverket?",
            ),
        ],
    },
    {
        "kind": "self_evaluation",
        "title_fi": "Kokemustoimijan itsearviointi",
        "title_sv": "Erfarenhetsaktörens självutvärdering",
        "intro_fi": (
            "Itsearviointi on sinua varten: sen avulla voit pysähtyä miettimään tehtävää ja "
            "omaa jaksamistasi. Tiedot kootaan myös verkoston toiminnan seurantaan."
        ),
        "intro_sv": (
            "Självutvärderingen är till för dig: den hjälper dig att stanna upp och fundera på "
            "uppdraget och på hur du själv orkar. Uppgifterna sammanställs också för "
            "uppföljningen av nätverkets verksamhet."
        ),
        "questions": [
            choice(
                "audience_count",
                "Kuinka monta kuulijaa tai osallistujaa oli noin?",
                "Ungefär hur många åhörare eller deltagare var det?",
                ["1–10", "11–30", "31–100", "yli 100"],
                ["1–10", "11–30", "31–100", "över 100"],
                required=True,
            ),
            scale(
                "preparation",
                "Sain tehtävästä etukäteen riittävästi tietoa ja ehdin valmistautua.",
                "Jag fick tillräckligt med information om uppdraget i förväg och hann förbereda "
                "mig.",
            ),
            scale(
                "success",
                "Onnistuin välittämään kokemustietoa niin kuin halusin.",
                "Jag lyckades förmedla erfarenhetskunskap så som jag ville.",
            ),
            scale(
                "wellbeing",
                "Miten voit tehtävän jälkeen?",
                "Hur mår du efter uppdraget?",
                {
                    "low_label_fi": "Tehtävä kuormitti minua paljon",
                    "low_label_sv": "Uppdraget belastade mig mycket",
                    "high_label_fi": "Voin hyvin",
                    "high_label_sv": "Jag mår bra",
                },
            ),
            choice(
                "support",
                "Millaista tukea toivoisit jatkossa?",
                "Vilket stöd skulle du önska framöver?",
                [
                    "Työnohjausta",
                    "Vertaistukea toisilta kokemustoimijoilta",
                    "Lisäkoulutusta",
                    "Tukea omalta järjestöltäni",
                    "En tarvitse tukea nyt",
                ],
                [
                    "Arbetshandledning",
                    "Kamratstöd från andra erfarenhetsaktörer",
                    "Fortbildning",
                    "Stöd från min egen organisation",
                    "Jag behöver inget stöd nu",
                ],
                multiple=True,
            ),
            text(
                "learned",
                "Mitä opit? Mitä tekisit ensi kerralla toisin?",
                "Vad lärde du dig? Vad skulle du göra annorlunda nästa gång?",
            ),
        ],
    },
    {
        "kind": "course",
        "title_fi": "Koulutuspalaute",
        "title_sv": "Respons på utbildningen",
        "intro_fi": (
            "Kiitos osallistumisesta koulutukseen! Palautteesi auttaa kehittämään "
            "kokemustoimijoiden koulutusta. Vastaat nimettömänä."
        ),
        "intro_sv": (
            "Tack för att du deltog i utbildningen! Din respons hjälper oss att utveckla "
            "utbildningen av erfarenhetsaktörer. Du svarar anonymt."
        ),
        "questions": [
            scale(
                "overall",
                "Kokonaisarvio koulutuksesta",
                "Helhetsbedömning av utbildningen",
                {
                    "low_label_fi": "Heikko",
                    "low_label_sv": "Svag",
                    "high_label_fi": "Erinomainen",
                    "high_label_sv": "Utmärkt",
                },
            ),
            scale(
                "content",
                "Koulutuksen sisältö vastasi odotuksiani.",
                "Utbildningens innehåll motsvarade mina förväntningar.",
            ),
            scale(
                "readiness",
                "Koulutus antoi minulle valmiuksia toimia kokemustoimijana.",
                "Utbildningen gav mig färdigheter att verka som erfarenhetsaktör.",
            ),
            scale(
                "safety",
                "Ryhmässä oli turvallista jakaa omia kokemuksia.",
                "Det kändes tryggt att dela egna erfarenheter i gruppen.",
            ),
            scale(
                "arrangements",
                "Käytännön järjestelyt (tilat, aikataulu, saavutettavuus) toimivat.",
                "De praktiska arrangemangen (lokaler, tidtabell, tillgänglighet) fungerade.",
            ),
            text(
                "most_useful",
                "Mikä koulutuksessa oli sinulle hyödyllisintä?",
                "Vad i utbildningen var mest nyttigt för dig?",
            ),
            text(
                "improve",
                "Miten koulutusta voisi kehittää?",
                "Hur kunde utbildningen utvecklas?",
            ),
        ],
    },
    {
        "kind": "practice_lecture",
        "title_fi": "Harjoitusluennon arviointi",
        "title_sv": "Bedömning av övningsföreläsning",
        "intro_fi": (
            "Arvioi harjoitusluento. Arvio annetaan luennoitsijalle tueksi, kun hän "
            "valmistautuu kokemustoimijan tehtäviin."
        ),
        "intro_sv": (
            "Bedöm övningsföreläsningen. Bedömningen ges till föreläsaren som stöd när hen "
            "förbereder sig för uppdrag som erfarenhetsaktör."
        ),
        "questions": [
            scale(
                "structure",
                "Luennolla oli selkeä rakenne ja punainen lanka.",
                "Föreläsningen hade en tydlig struktur och en röd tråd.",
            ),
            scale(
                "message",
                "Luennon keskeinen viesti välittyi kuulijoille.",
                "Föreläsningens huvudbudskap nådde fram till åhörarna.",
            ),
            scale(
                "purposeful",
                "Luennoitsija käytti omaa kokemustaan tavoitteellisesti ja kuulijoiden hyödyksi.",
                "Föreläsaren använde sin egen erfarenhet målinriktat och till nytta för "
                "åhörarna.",
            ),
            scale(
                "boundaries",
                "Luennoitsija piti huolta omista rajoistaan ja yksityisyydestään.",
                "Föreläsaren värnade om sina egna gränser och sitt privatliv.",
            ),
            scale(
                "interaction",
                "Vuorovaikutus kuulijoiden kanssa toimi.",
                "Växelverkan med åhörarna fungerade.",
            ),
            choice(
                "timing",
                "Luennon pituus",
                "Föreläsningens längd",
                ["Liian lyhyt", "Sopiva", "Liian pitkä"],
                ["För kort", "Lagom", "För lång"],
                required=True,
            ),
            text("strengths", "Luennon vahvuudet", "Föreläsningens styrkor"),
            text("develop", "Kehittämisehdotukset", "Förslag till utveckling"),
        ],
    },
]


def create_forms(apps, schema_editor):
    FeedbackForm = apps.get_model("palaute", "FeedbackForm")
    Question = apps.get_model("palaute", "Question")
    for data in FORMS:
        data = dict(data)
        questions = data.pop("questions")
        form, created = FeedbackForm.objects.get_or_create(
            kind=data["kind"], version=1, defaults=data
        )
        if created:
            Question.objects.bulk_create(
                Question(form=form, order=(i + 1) * 10, **question)
                for i, question in enumerate(questions)
            )


def remove_forms(apps, schema_editor):
    FeedbackForm = apps.get_model("palaute", "FeedbackForm")
    FeedbackForm.objects.filter(version=1, kind__in=[f["kind"] for f in FORMS]).delete()


class Migration(migrations.Migration):
    dependencies = [("palaute", "0001_initial")]

    operations = [migrations.RunPython(create_forms, remove_forms)]

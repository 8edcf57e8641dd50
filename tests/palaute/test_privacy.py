"""Feedback in a person's data export, erasure and retention."""

import datetime

from django.utils import timezone
from freezegun import freeze_time

from kotove.personal_data import Person, apply_retention, erase, export_data, plan
from palaute import services
from palaute.models import Answer

from ..pankki.factories import ExpertFactory
from .factories import TaskFactory, answer


def test_export_gives_the_expert_their_feedback_and_the_orderer_only_their_own(db):
    expert = ExpertFactory(email="kaisa@example.fi")
    task = TaskFactory(expert=expert, orderer_email="olli@example.fi", orderer_name="Olli O")
    links = services.ensure_links(task=task)
    answer(links["listener"], overall=5, best="Upea kertomus")
    answer(
        links["orderer"],
        goals=5,
        cooperation=4,
        audience_benefit=5,
        order_again=0,
        comments="Kiitos",
    )
    answer(
        links["self_evaluation"],
        audience_count=1,
        preparation=4,
        success=4,
        wellbeing=3,
        learned="Opin paljon",
    )

    def texts(person):
        data = export_data(plan(person))
        rows = [
            row
            for section in data["sections"]
            if section["model"] == "palaute.answer"
            for row in section["rows"]
        ]
        return {row["answer"] for row in rows}

    assert {"Upea kertomus", "Kiitos", "Opin paljon"} <= texts(Person.of(expert))
    orderer = Person(emails=frozenset({"olli@example.fi"}))
    assert "Kiitos" in texts(orderer)
    assert not {"Upea kertomus", "Opin paljon"} & texts(orderer)


def test_erasing_the_expert_removes_free_text_and_keeps_the_numbers(db):
    expert = ExpertFactory(email="kaisa@example.fi")
    link = services.ensure_links(task=TaskFactory(expert=expert))["listener"]
    answer(link, overall=4, best="Kaisa kertoi avoimesti")
    erase(plan(Person.of(expert)))
    assert list(Answer.objects.values_list("number", "text").order_by("pk")) == [
        (4, ""),
        (None, ""),
    ]


def test_free_text_expires_after_five_years(db):
    link = services.ensure_links(task=TaskFactory())["listener"]
    answer(link, overall=4, best="Vanha kommentti")
    given = timezone.localdate()
    with freeze_time(given + datetime.timedelta(days=1825)):
        apply_retention()
    assert Answer.objects.get(question__key="best").text == "Vanha kommentti"
    with freeze_time(given + datetime.timedelta(days=1827)):
        apply_retention()
        apply_retention()
    assert Answer.objects.get(question__key="best").text == ""
    assert Answer.objects.get(question__key="overall").number == 4


def test_the_pdf_export_labels_the_feedback_answers_in_the_persons_language(client, planner):
    import io

    from django.urls import reverse
    from pypdf import PdfReader

    expert = ExpertFactory(email="kaisa@example.fi")
    link = services.ensure_links(task=TaskFactory(expert=expert))["orderer"]
    answer(link, goals=5, comments="Hyvin valmisteltu")
    client.force_login(planner)
    response = client.get(
        reverse("admin:pankki_expert_personal_data", args=[expert.pk]), {"format": "pdf"}
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Hyvin valmisteltu" in text
    for label in ("Keikka", "Lomake", "Tilaajan palaute", "Vastattu", "Kysymys", "Vastaus"):
        assert label in text
    for key in ("Task", "Form", "Answered_on", "Answer"):
        assert key not in text


def test_every_key_of_the_feedback_exports_has_a_label_in_finnish_and_swedish(db):
    from django.utils import translation

    from kotove.personal_data import readable_sections

    expert = ExpertFactory(email="kaisa@example.fi")
    link = services.ensure_links(task=TaskFactory(expert=expert))["listener"]
    answer(link, overall=5)
    expected = {
        "fi": ["Keikka", "Lomake", "Vastattu", "Kysymys", "Vastaus"],
        "sv": ["Uppdrag", "Formulär", "Besvarad", "Fråga", "Svar"],
    }
    for language, labels in expected.items():
        with translation.override(language):
            sections = readable_sections(export_data(plan(Person.of(expert)), readable=True))
            rows = [row for section in sections for row in section["rows"]]
        answer_row = next(row for row in rows if len(row) == 5 and row[-1][1] == "5")
        assert [label.capitalize() for label, _value in answer_row] == labels

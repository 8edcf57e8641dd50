"""Summaries: counts always, averages and distributions only over five answers or more."""

import pytest

from palaute import aggregates, services
from palaute.models import Answer

from .factories import TaskFactory, answer


@pytest.fixture
def listener(db):
    return services.ensure_links(task=TaskFactory())["listener"]


def summary(link, key, comments=True):
    answers = Answer.objects.filter(response__link=link)
    return next(q for q in aggregates.summarise(answers, comments=comments) if q.key == key)


def test_the_rule_itself():
    assert [aggregates.enough_answers(n) for n in (0, 4, 5, 6)] == [False, False, True, True]
    assert aggregates.shown(4, 3.5) is None
    assert aggregates.shown(5, 3.5) == 3.5


def test_four_answers_show_the_count_but_no_average_or_distribution(listener):
    for value in (5, 5, 4, 1):
        answer(listener, overall=value, respondent=0, best="Hyvä")
    overall = summary(listener, "overall")
    assert (overall.count, overall.average, overall.suppressed) == (4, None, True)
    respondent = summary(listener, "respondent")
    assert (respondent.count, respondent.distribution) == (4, [])
    assert summary(listener, "best").comments == ["Hyvä"] * 4


def test_five_answers_show_the_average_and_distribution(listener):
    for value, role in ((5, 0), (5, 0), (4, 1), (2, 1), (4, 3)):
        answer(listener, overall=value, respondent=role)
    overall = summary(listener, "overall")
    assert (overall.count, overall.average, overall.suppressed) == (5, 4.0, False)
    assert summary(listener, "respondent").distribution == [
        ("Opiskelija", 2),
        ("Sosiaali- tai terveysalan ammattilainen", 2),
        ("Muun alan ammattilainen", 0),
        ("Muu", 1),
    ]


def test_optional_question_answered_by_few_stays_hidden_while_others_show(listener):
    for index in range(6):
        answer(listener, overall=4, **({"clarity": 5} if index < 2 else {}))
    assert summary(listener, "overall").average == 4.0
    clarity = summary(listener, "clarity")
    assert (clarity.count, clarity.average) == (2, None)


def test_comments_are_left_out_when_not_allowed(listener):
    answer(listener, overall=4, best="Rohkea ja avoin esitys")
    assert summary(listener, "best", comments=False).comments == []
    assert summary(listener, "best", comments=False).count == 1


def test_summary_takes_four_queries_whatever_the_number_of_answers(
    listener, django_assert_num_queries
):
    for value in range(1, 6):
        answer(listener, overall=value, respondent=value % 4, best=f"Kommentti {value}")
    answers = Answer.objects.filter(response__link=listener)
    with django_assert_num_queries(4):
        aggregates.summarise(answers, comments=True)

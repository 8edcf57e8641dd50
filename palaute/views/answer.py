"""The answer pages behind a task's links: no login, made for phones.

An unknown or malformed token answers 404, a closed link 410 and a link whose day has not come
403, each with a page that says what to do; a token never shows another task's form. A browser
that has answered a listener link sees a thank-you page instead of the form again (the session
cookie remembers it).

The pages speak the language the questions are shown in: the forms are written in Finnish and
Swedish (kotove.models.localized), so a reader who chose either gets it, and any other reader
the language of the task (or of the orderer, the expert, the course) instead of a page in
English around Finnish questions.
"""

from __future__ import annotations

import io
import re

import segno
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from kotove.pdf import render_pdf
from kotove.personal_data import without_special_category
from pankki.models import WorkLanguage

from .. import services
from ..aggregates import MIN_ANSWERS
from ..forms import AnswerForm, LectureAnswerForm
from ..models import FeedbackForm, FeedbackLink, FormKind

TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
ANSWERED = "palaute_answered"  # session: ids of the links this browser has answered
FORM_LANGUAGES = ("fi", "sv")  # the languages every form's questions are written in


def _find(token: str) -> FeedbackLink | None:
    if not TOKEN.fullmatch(token):
        return None
    links = FeedbackLink.objects.select_related(
        "task__expert", "task__task_type", "participant__course"
    )
    # The pages show a course participant's course, never their health data: not read.
    return without_special_category(links, related=["participant"]).filter(token=token).first()


def _refused(request, link: FeedbackLink | None, *, before_open: bool = False):
    """The friendly page for an unknown link (404), a closed one (410) or, unless
    `before_open` is allowed, one whose day has not come (403); None when it may be used."""
    if link is None:
        return render(request, "palaute/link_unknown.html", status=404)
    if link.is_closed:
        return render(request, "palaute/link_closed.html", {"link": link}, status=410)
    if link.not_yet_open and not before_open:
        return render(request, "palaute/link_not_open.html", {"link": link}, status=403)
    return None


def _link_language(link: FeedbackLink) -> str:
    """The language of the people a link is for."""
    if link.kind == FormKind.ORDERER:
        return link.task.orderer_language
    if link.kind == FormKind.SELF_EVALUATION:
        return services.expert_language(link.task.expert)
    if link.task_id:
        return "sv" if link.task.language in (WorkLanguage.SV, WorkLanguage.SV_SIGN) else "fi"
    if link.kind == FormKind.COURSE:
        return link.participant.language
    return link.participant.course.language


def page_language(link: FeedbackLink | None) -> str:
    """The language of a link's pages, which is the one its questions are shown in: the
    reader's (browser or language menu) when the form is written in it, else the link's."""
    chosen = (get_language() or "fi")[:2]
    if chosen in FORM_LANGUAGES or link is None:
        return chosen
    language = _link_language(link)
    return language if language in FORM_LANGUAGES else "fi"


def _version(link: FeedbackLink, posted: str | None) -> FeedbackForm:
    """The version the page was rendered with (answers stay valid against it even if the
    planner saved a new one meanwhile), else the current one."""
    versions = FeedbackForm.objects.filter(kind=link.kind)
    if posted and posted.isdigit() and (found := versions.filter(pk=posted).first()):
        return found
    return versions.current().get()


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token):
    link = _find(token)
    language = page_language(link)
    with translation.override(language):
        response = _answer(request, link)
    response["Content-Language"] = language
    return response


def _answer(request, link: FeedbackLink | None):
    if refused := _refused(request, link):
        return refused
    answered_here = link.pk in request.session.get(ANSWERED, [])
    if answered_here or (link.single_answer and link.responses.exists()):
        return render(request, "palaute/answer_done.html", {"link": link, "thanks": answered_here})
    feedback_form = _version(link, request.POST.get("version"))
    if link.kind == FormKind.PRACTICE_LECTURE:
        form = LectureAnswerForm(
            request.POST or None,
            feedback_form=feedback_form,
            initial={"evaluator_name": link.evaluator_name},
        )
    else:
        form = AnswerForm(request.POST or None, feedback_form=feedback_form)
    if request.method == "POST" and form.is_valid():
        if services.rate_limited(link):
            form.add_error(
                None,
                _(
                    "This link has received very many answers in a short time. Please send your answer again in a few minutes."
                ),
            )
            return _form_page(request, link, form, status=429)
        try:
            services.submit_response(
                link=link,
                form=feedback_form,
                answers=form.answers(),
                evaluator_name=form.cleaned_data.get("evaluator_name", ""),
                accepted=form.cleaned_data.get("accepted"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[ANSWERED] = [*request.session.get(ANSWERED, []), link.pk][-100:]
            return redirect("palaute:answer", token=link.token)
    return _form_page(request, link, form)


def _form_page(request, link, form, status=200):
    return render(
        request,
        "palaute/answer_form.html",
        {
            "link": link,
            "form": form,
            "feedback_form": form.feedback_form,
            "min_answers": MIN_ANSWERS,
        },
        status=status,
    )


def _listener_qr(request, token):
    """(link, its QR code, None) for an open listener link, else (None, None, refusal page)."""
    link = _find(token)
    if link is not None and link.kind != FormKind.LISTENER:
        link = None
    # The expert puts the code on their slides before the task.
    if refused := _refused(request, link, before_open=True):
        return None, None, refused
    return link, segno.make(services.link_url(link), error="m"), None


def _download(content, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def qr_png(request, token):
    _link, qr, refused = _listener_qr(request, token)
    if refused:
        return refused
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=12, border=4)
    return _download(buffer.getvalue(), "image/png", "palaute-qr.png")


@require_GET
def qr_svg(request, token):
    _link, qr, refused = _listener_qr(request, token)
    if refused:
        return refused
    buffer = io.BytesIO()
    qr.save(buffer, kind="svg", scale=10, border=4, title=_("QR code of the feedback link"))
    return _download(buffer.getvalue(), "image/svg+xml", "palaute-qr.svg")


@require_GET
def handout(request, token):
    """An A4 page for the last slide or a handout: the QR code and short instructions."""
    link, qr, refused = _listener_qr(request, token)
    if refused:
        return refused
    language = request.GET.get("kieli")
    if language not in ("fi", "sv", "en"):
        language = (get_language() or "fi")[:2]
    pdf = render_pdf(
        "palaute/handout_pdf.html",
        {
            "link": link,
            "task": link.task,
            "url": services.link_url(link),
            "qr": qr.svg_data_uri(scale=8, border=2),
        },
        language=language,
    )
    return _download(pdf, "application/pdf", f"palaute-{language}.pdf")

"""The certificate of a completed course, in the participant's language."""

from __future__ import annotations

from django.http import HttpResponse

from kotove.pdf import render_pdf

from .completion import for_application
from .models import Application


def certificate_pdf(application: Application) -> bytes:
    course = application.course
    sessions = list(course.sessions.all())
    return render_pdf(
        "koulutus/certificate_pdf.html",
        {
            "application": application,
            "course": course,
            "course_type": course.course_type,
            "organisations": list(course.organisations.all()),
            "first_date": sessions[0].date if sessions else None,
            "last_date": sessions[-1].date if sessions else None,
            "progress": for_application(application),
        },
        language=application.language,
    )


def certificate_response(application: Application) -> HttpResponse:
    response = HttpResponse(certificate_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="todistus-{application.course_id}-{application.pk}.pdf"'
    )
    return response

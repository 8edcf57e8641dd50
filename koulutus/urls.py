from django.urls import path

from .views import courses, organisation, public, recognition, running

app_name = "koulutus"

urlpatterns = [
    # Anyone: published courses, applying, the applicant's own page behind a secret link.
    path("", public.course_list, name="courses"),
    path("<int:pk>/", public.course_detail, name="course"),
    path("<int:pk>/kalenteri.ics", public.course_ics, name="course_ics"),
    path("<int:pk>/hae/", public.apply, name="apply"),
    path("hakemus/<str:token>/", public.application_status, name="application_status"),
    path(
        "hakemus/<str:token>/todistus.pdf",
        public.application_certificate,
        name="application_certificate",
    ),
    # Signed in: one's own trainings; courses created and edited by those who run them.
    path("omat/", courses.my_courses, name="my_courses"),
    path("uusi/", courses.course_create, name="course_create"),
    path("<int:pk>/muokkaa/", courses.course_edit, name="course_edit"),
    # Organisation contacts decide their own organisation's applications.
    path("hakemukset/", organisation.application_list, name="applications"),
    path("hakemukset/<int:pk>/", organisation.application_detail, name="application"),
    path(
        "hakemukset/<int:pk>/alkuhaastattelu/",
        organisation.application_interview,
        name="application_interview",
    ),
    path("hakemukset/<int:pk>/paatos/", organisation.application_decide, name="application_decide"),
    # The coordinator and trainers run the course.
    path("<int:pk>/hallinta/", running.course_manage, name="course_manage"),
    path(
        "<int:pk>/hallinta/vahvista/", running.course_confirm_places, name="course_confirm_places"
    ),
    path("<int:pk>/hallinta/tarjoa/", running.course_offer_places, name="course_offer_places"),
    path("<int:pk>/hallinta/lahiopetus/<int:session_pk>/", running.attendance, name="attendance"),
    path("<int:pk>/hallinta/tehtavat/", running.assignments, name="assignments"),
    path(
        "<int:pk>/hallinta/osallistujat/<int:application_pk>/",
        running.participant_detail,
        name="participant",
    ),
    path(
        "<int:pk>/hallinta/osallistujat/<int:application_pk>/harjoitusluento/",
        running.participant_practice_lecture,
        name="participant_practice_lecture",
    ),
    path(
        "<int:pk>/hallinta/osallistujat/<int:application_pk>/suoritus/",
        running.participant_complete,
        name="participant_complete",
    ),
    path(
        "<int:pk>/hallinta/osallistujat/<int:application_pk>/peru/",
        running.participant_cancel,
        name="participant_cancel",
    ),
    path("todistukset/<int:application_pk>.pdf", running.certificate, name="certificate"),
    # Recognition on special grounds.
    path("erityisperusteet/", recognition.recognition_list, name="recognitions"),
    path("erityisperusteet/uusi/", recognition.recognition_create, name="recognition_create"),
    path("erityisperusteet/<int:pk>/", recognition.recognition_detail, name="recognition"),
    path(
        "erityisperusteet/<int:pk>/paatos/",
        recognition.recognition_decide,
        name="recognition_decide",
    ),
    path(
        "erityisperusteet/<int:pk>/liitteet/<int:attachment_pk>/",
        recognition.recognition_attachment,
        name="recognition_attachment",
    ),
]

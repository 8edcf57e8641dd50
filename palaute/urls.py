from django.urls import path

from .views import answer, courses, pages, reports

app_name = "palaute"

urlpatterns = [
    # Answer links: no login; the token is the key.
    path("vastaa/<str:token>/", answer.answer, name="answer"),
    path("vastaa/<str:token>/qr.png", answer.qr_png, name="qr_png"),
    path("vastaa/<str:token>/qr.svg", answer.qr_svg, name="qr_svg"),
    path("vastaa/<str:token>/tuloste.pdf", answer.handout, name="handout"),
    # Feedback reaches the expert, their organisation, the orderer and the planner.
    path("oma/", pages.own, name="own"),
    path("keikat/<int:pk>/", pages.task, name="task"),
    path("kokemustoimijat/", pages.experts, name="experts"),
    path("kokemustoimijat/<int:pk>/", pages.expert, name="expert"),
    path("tilaukset/", pages.ordered, name="ordered"),
    # Training: its coordinator sees the course feedback and runs practice lecture evaluation.
    path("koulutukset/<int:pk>/", courses.course, name="course"),
    path(
        "koulutukset/<int:pk>/osallistujat/<int:application_pk>/harjoitusluento/",
        courses.lecture,
        name="lecture",
    ),
    # Annual reports for the network, its areas and organisations.
    path("raportit/", reports.report_list, name="reports"),
    path("raportit/<int:pk>/", reports.report_detail, name="report"),
    path("raportit/<int:pk>/tila/", reports.report_status, name="report_status"),
    path("raportit/<int:pk>/uudelleen/", reports.report_retry, name="report_retry"),
    path("raportit/<int:pk>/lataa/<str:kind>/", reports.report_file, name="report_file"),
    path("raportit/<int:pk>/ilman-keikkoja/", reports.report_idle, name="report_idle"),
]

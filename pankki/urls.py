from django.urls import path

from .views import own, records, requests, search, tasks

app_name = "pankki"

urlpatterns = [
    # Orderers (and the network) search the bank.
    path("", search.search, name="search"),
    path("kokemustoimija/<int:pk>/", search.expert_detail, name="expert"),
    path("kokemustoimija/<int:pk>/kuva/", search.expert_photo, name="expert_photo"),
    path("haut/", search.saved_searches, name="saved_searches"),
    path("haut/<int:pk>/poista/", search.delete_saved_search, name="delete_saved_search"),
    # Organisation contacts keep their own experts' records.
    path("omat/", records.record_list, name="records"),
    path("omat/uusi/", records.record_create, name="record_create"),
    path("omat/vahvista/", records.record_confirm, name="record_confirm"),
    path("omat/tuonti/", records.record_import, name="record_import"),
    path("omat/<int:pk>/", records.record_edit, name="record_edit"),
    path("omat/<int:pk>/tila/", records.record_status, name="record_status"),
    path("omat/<int:pk>/suostumus/", records.record_consent, name="record_consent"),
    path("omat/<int:pk>/kutsu/", records.record_invite, name="record_invite"),
    # Experts keep their own presentation, availability and consent.
    path("oma-profiili/", own.profile, name="own_profile"),
    path("oma-profiili/suostumus/", own.consent, name="own_consent"),
    path("oma-profiili/tiedot.json", own.data_export, name="own_data"),
    # Orderers send requests; experts and their contacts answer; accepted ones become tasks.
    path("pyynnot/", requests.request_list, name="requests"),
    path("pyynnot/uusi/", requests.request_create, name="request_create"),
    path("pyynnot/<int:pk>/", requests.request_detail, name="request_detail"),
    path("pyynnot/<int:pk>/peru/", requests.request_withdraw, name="request_withdraw"),
    path("pyynnot/vastaus/<int:pk>/", requests.request_answer, name="request_answer"),
    path("keikat/", tasks.task_list, name="tasks"),
    path("keikat/uusi/", tasks.task_record, name="task_record"),
    path("keikat/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("keikat/<int:pk>/peru/", tasks.task_cancel, name="task_cancel"),
    path("keikat/<int:pk>/tehty/", tasks.task_done, name="task_done"),
]

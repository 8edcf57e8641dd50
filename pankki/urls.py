from django.urls import path

from .views import own, records, search

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
]

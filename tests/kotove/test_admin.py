import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from kotove import services
from kotove.models import AuditEvent


def test_every_project_model_is_registered_in_admin():
    project_models = set(apps.get_app_config("kotove").get_models())
    assert project_models <= set(admin.site._registry)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_changelist_search_works_for_planner(client, planner, model):
    client.force_login(planner)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert (
        client.get(url, {"q": "a"} if admin.site._registry[model].search_fields else {}).status_code
        == 200
    )


def test_web_addresses_typed_in_admin_get_https(rf, planner):
    request = rf.get("/")
    request.user = planner
    url_fields = [
        (model._meta.label, name, field.assume_scheme)
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_change_permission(request)
        for name, field in model_admin.get_form(request).base_fields.items()
        if isinstance(field, forms.URLField)
    ]
    assert url_fields and all(scheme == "https" for _m, _n, scheme in url_fields), url_fields


def test_audit_log_is_readable_but_not_editable(client, planner, orderer):
    event = services.audit(actor=planner, action="test.read", obj=orderer)
    client.force_login(planner)
    assert client.get(reverse("admin:kotove_auditevent_changelist")).status_code == 200
    change = client.post(
        reverse("admin:kotove_auditevent_change", args=[event.pk]), {"action": "edited"}
    )
    delete = client.post(
        reverse("admin:kotove_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert change.status_code in (403, 200) and delete.status_code == 403
    event.refresh_from_db()
    assert event.action == "test.read"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_row_records_actor_roles_and_object(planner, orderer, rf):
    request = rf.get("/somewhere/?x=1")
    event = services.audit(actor=planner, action="user.view", obj=orderer, request=request)
    assert (event.actor_email, event.action, event.object_id, event.path) == (
        planner.email, "user.view", str(orderer.pk), "/somewhere/?x=1",
    )  # fmt: skip
    assert "Planner" in event.actor_roles or "Suunnittelija" in event.actor_roles

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import personal_data, services
from .models import (
    AccessRequest,
    Area,
    AuditEvent,
    MemberOrganisation,
    Municipality,
    OrdererOrganisation,
    OutboundEmail,
    Region,
    Role,
    User,
)

# Access follows roles (kotove.Role), not Django's groups.
admin.site.unregister(Group)

# A web address typed without a scheme gets https:// (Django 6's default; 5.2 warns without it).
HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


class PersonalDataAdmin(admin.ModelAdmin):
    """A person's change page offers the planner what is held about them (downloadable as
    JSON and as a readable PDF) and erasure, whose dry run is shown before it is confirmed.
    For the models of persons with health data, a link lists who has seen them."""

    change_form_template = "admin/kotove/person_change_form.html"

    def get_urls(self):
        info = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/henkilotiedot/",
                self.admin_site.admin_view(self.personal_data_view),
                name=f"{info}_personal_data",
            ),
            path(
                "<path:object_id>/henkilotiedot/poista/",
                self.admin_site.admin_view(self.erase_view),
                name=f"{info}_erase",
            ),
            *super().get_urls(),
        ]

    def _person_object(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise Http404
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["audit_url"] = audit_url_for(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def personal_data_view(self, request, object_id):
        obj = self._person_object(request, object_id)
        fmt = request.GET.get("format")
        filename = f"henkilotiedot-{slugify(str(obj))[:40] or obj.pk}-{timezone.localdate()}"
        if fmt == "json":
            data = services.export_personal_data(obj=obj, by=request.user, request=request)
            response = JsonResponse(
                data,
                encoder=DjangoJSONEncoder,
                json_dumps_params={"ensure_ascii": False, "indent": 2},
            )
            response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
            return response
        if fmt == "pdf":
            from .pdf import render_pdf  # WeasyPrint loads only when a PDF is made

            person = personal_data.Person.of(obj)
            language = getattr(person.user, "language", None) or "fi"
            with translation.override(language):  # the person's language, not the planner's
                data = services.export_personal_data(
                    obj=obj, by=request.user, request=request, readable=True
                )
                sections = personal_data.readable_sections(data)
            pdf = render_pdf(
                "kotove/personal_data_pdf.html",
                {"data": data, "sections": sections},
                language=language,
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
            return response
        return self._render_plan(request, obj, "admin/kotove/personal_data.html")

    def _render_plan(self, request, obj, template):
        the_plan = personal_data.plan(personal_data.Person.of(obj))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": _("Personal data: %(person)s") % {"person": obj},
            "plan": the_plan,
            "sections": [(section, _examples(section)) for section in the_plan.sections],
        }
        return TemplateResponse(request, template, context)

    def erase_view(self, request, object_id):
        obj = self._person_object(request, object_id)
        if request.method == "POST":
            label = str(obj)
            counts = services.erase_personal_data(obj=obj, by=request.user, request=request)
            messages.success(
                request,
                _("The personal data of %(person)s was erased: %(count)d rows handled.")
                % {"person": label, "count": sum(counts.values())},
            )
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return self._render_plan(request, obj, "admin/kotove/personal_data_erase.html")


def _examples(section) -> list:
    """A few of the section's records, shown by name (str): neither theirs nor their parent
    records' health data is read."""
    related = [
        f.name
        for f in section.model._meta.concrete_fields
        if f.is_relation and personal_data.special_category_columns(f.related_model)
    ]
    queryset = section.queryset()
    return list(personal_data.without_special_category(queryset, related=related)[:10])


def audit_url_for(obj) -> str | None:
    """The audit log filtered to the rows that show or change `obj`, for records with health
    data (the planner's list of who has seen an expert)."""
    label = obj._meta.label
    if not any(d.startswith(f"{label}.") for d in personal_data.registry().special_category):
        return None
    key = personal_data.shown_keys([obj])[0]
    query = urlencode({ShowsFilter.parameter_name: key}, safe=":")
    return f"{reverse('admin:kotove_auditevent_changelist')}?{query}"


class RoleInline(admin.TabularInline):
    model = Role
    extra = 0
    autocomplete_fields = ["member_organisation", "orderer_organisation", "area"]


class InviteUserForm(forms.ModelForm):
    """Adding a user in admin invites them: the email lets them set their own password."""

    role = forms.ChoiceField(
        label=_("role"), choices=[("", "---------"), *Role.Kind.choices], required=False
    )
    member_organisation = forms.ModelChoiceField(
        MemberOrganisation.objects.filter(is_active=True),
        label=_("member organisation"),
        required=False,
    )
    orderer_organisation = forms.ModelChoiceField(
        OrdererOrganisation.objects.filter(is_active=True),
        label=_("orderer organisation"),
        required=False,
    )
    area = forms.ModelChoiceField(Area.objects.all(), label=_("area"), required=False)

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "language"]
        help_texts = {
            "email": _("The invitation, with a link to set the password, is emailed here."),
            "language": _("Emails and the service are in this language."),
        }

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email=email).exists():
            raise ValidationError(_("A user with this email address exists already."))
        return email

    def clean(self):
        data = super().clean()
        kind = data.get("role")
        needed = Role.SCOPES.get(kind)
        for field in ("member_organisation", "orderer_organisation", "area"):
            if field == needed and not data.get(field):
                self.add_error(field, _("This role needs this field."))
            elif field != needed and data.get(field):
                self.add_error(field, _("This role does not use this field."))
        return data


@admin.register(User)
class UserAdmin(PersonalDataAdmin):
    list_display = ["email", "first_name", "last_name", "language", "is_active", "last_login"]
    list_filter = ["is_active", "language", "roles__kind"]
    search_fields = ["email", "first_name", "last_name"]
    ordering = ["last_name", "first_name"]
    readonly_fields = ["last_login", "date_joined"]
    fields = [
        "email",
        "first_name",
        "last_name",
        "phone",
        "language",
        "is_active",
        "last_login",
        "date_joined",
    ]
    inlines = [RoleInline]
    actions = ["resend_invitation"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = InviteUserForm
            kwargs["fields"] = None
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                *InviteUserForm.Meta.fields,
                "role",
                "member_organisation",
                "orderer_organisation",
                "area",
            ]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_delete_permission(self, request, obj=None):
        """People are erased from their personal data page (everything about them, the audit
        log kept), not deleted: a deletion would leave their name in other rows."""
        return False

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        user = services.invite_user(
            email=data["email"],
            by=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            language=data["language"],
            role=data["role"] or None,
            **{
                f: data[f]
                for f in ("member_organisation", "orderer_organisation", "area")
                if data[f]
            },
        )
        obj.pk = user.pk
        obj._state.adding = False
        messages.info(request, _("An invitation was emailed to %(email)s.") % {"email": user.email})

    @admin.action(description=_("Send the invitation again"))
    def resend_invitation(self, request, queryset):
        for user in queryset:
            services.invite_user(email=user.email, by=request.user, language=user.language)
        messages.info(request, _("Invitations sent: %(count)d.") % {"count": queryset.count()})


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "kind",
        "member_organisation",
        "orderer_organisation",
        "area",
        "starts_on",
        "ends_on",
    ]
    list_filter = ["kind", "member_organisation", "area"]
    search_fields = ["user__email", "user__last_name"]
    autocomplete_fields = ["user", "member_organisation", "orderer_organisation", "area"]
    list_select_related = ["user", "member_organisation", "orderer_organisation", "area"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "name_en"]
    search_fields = ["name_fi", "name_sv", "code"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "name_sv", "region"]
    list_filter = ["region"]
    search_fields = ["name_fi", "name_sv", "code"]
    list_select_related = ["region"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name_fi", "name_sv", "region_names"]
    search_fields = ["name_fi", "name_sv"]
    filter_horizontal = ["regions"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("regions")

    @admin.display(description=_("regions"))
    def region_names(self, obj):
        return ", ".join(str(region) for region in obj.regions.all())


@admin.register(MemberOrganisation)
class MemberOrganisationAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = ["name_fi", "short_name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name_fi", "name_sv", "short_name"]


@admin.register(OrdererOrganisation)
class OrdererOrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "is_active"]
    list_filter = ["kind", "is_active", "municipality__region"]
    search_fields = ["name"]
    autocomplete_fields = ["municipality"]
    list_select_related = ["municipality"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ShowsFilter(admin.SimpleListFilter):
    """The rows about one record: its own (views, changes) and the lists that showed it."""

    title = _("record")
    parameter_name = "shows"

    def _record(self):
        """The content type and primary key named by the parameter ("pankki.expert:12")."""
        label, _sep, pk = (self.value() or "").partition(":")
        app_label, _dot, model = label.partition(".")
        if not pk.isdigit():
            return None, None
        content_type = ContentType.objects.filter(app_label=app_label, model=model).first()
        return content_type, pk

    def lookups(self, request, model_admin):
        content_type, pk = self._record()
        if content_type is None:
            return []
        obj = content_type.model_class()._default_manager.filter(pk=pk).first()
        return [(self.value(), str(obj) if obj else self.value())]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        content_type, pk = self._record()
        if content_type is None:
            return queryset.none()
        return queryset.filter(
            Q(object_type=content_type, object_id=pk) | Q(data__shown__contains=[self.value()])
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_email", "actor_roles", "action", "object_repr", "path"]
    list_filter = [ShowsFilter, "action", "object_type"]
    search_fields = ["actor_email", "object_repr", "object_id", "action"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject", "idempotency_key"]
    date_hierarchy = "created_at"


@admin.register(AccessRequest)
class AccessRequestAdmin(PersonalDataAdmin):
    list_display = ["created_at", "name", "email", "organisation_name", "organisation", "status"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation_name"]
    autocomplete_fields = ["organisation"]
    readonly_fields = [
        "name",
        "email",
        "organisation_name",
        "reason",
        "language",
        "status",
        "created_at",
        "decided_at",
        "decided_by",
    ]
    fields = [*readonly_fields[:5], "organisation", "decision_note", *readonly_fields[5:]]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def _decide(self, request, queryset, decide, done_message):
        done = 0
        for access_request in queryset:
            try:
                decide(access_request)
                done += 1
            except ValidationError as exc:
                messages.error(request, f"{access_request}: {' '.join(exc.messages)}")
        if done:
            messages.success(request, done_message % {"count": done})

    @admin.action(description=_("Approve and invite the selected requesters"))
    def approve(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda ar: services.approve_access_request(access_request=ar, by=request.user),
            _("Approved and invited: %(count)d."),
        )

    @admin.action(description=_("Decline the selected requests"))
    def decline(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda ar: services.decline_access_request(
                access_request=ar, by=request.user, note=ar.decision_note
            ),
            _("Declined: %(count)d."),
        )

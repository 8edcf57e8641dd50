from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
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
class UserAdmin(admin.ModelAdmin):
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


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor_email", "actor_roles", "action", "object_repr", "path"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_email", "object_repr", "object_id", "action"]
    date_hierarchy = "created_at"


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status", "language"]
    search_fields = ["to", "subject", "idempotency_key"]
    date_hierarchy = "created_at"


@admin.register(AccessRequest)
class AccessRequestAdmin(admin.ModelAdmin):
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

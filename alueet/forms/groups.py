"""Contact details, terms, members, working groups."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation
from pankki.validators import clean_phone

from ..models import Membership, SeatCategory, SteeringGroup, WorkingGroup, area_experts
from . import DATE_INPUT, date_field


class GroupForm(forms.ModelForm):
    website = forms.URLField(label=_("Web page"), required=False, assume_scheme="https")

    class Meta:
        model = SteeringGroup
        fields = ["email", "phone", "website", "description_fi", "description_sv"]
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "description_fi": forms.Textarea(attrs={"rows": 4, "lang": "fi"}),
            "description_sv": forms.Textarea(attrs={"rows": 4, "lang": "sv"}),
        }
        help_texts = {"email": _("Shown on the public page of the group.")}

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class TermForm(forms.Form):
    """A new term may leave its end to the usual two years; a term being changed has its end
    written out."""

    starts_on = date_field(_("Starts on"))
    ends_on = date_field(
        _("Ends on"),
        required=False,
        help_text=_("Leave empty for the usual two years."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["ends_on"].required = True
            self.fields["ends_on"].help_text = _("A term usually lasts two years.")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] <= data["starts_on"]:
            self.add_error("ends_on", _("The term must end after it starts."))
        return data


class MembershipForm(forms.ModelForm):
    invite = forms.BooleanField(
        label=_("Invite to sign in"),
        required=False,
        help_text=_(
            "The member gets an email to set a password, and the access of their role in the "
            "group for the term. Not needed if they already have an account."
        ),
    )

    class Meta:
        model = Membership
        fields = [
            "seat",
            "position",
            "member_organisation",
            "expert",
            "represents",
            "first_name",
            "last_name",
            "email",
            "phone",
            "language",
            "starts_on",
        ]
        widgets = {
            "seat": forms.RadioSelect,
            "position": forms.RadioSelect,
            "phone": forms.TextInput(attrs={"type": "tel"}),
            "starts_on": DATE_INPUT,
        }
        help_texts = {
            "position": _("The chair and the secretary are organisation representatives."),
            "member_organisation": _("For an organisation representative."),
            "expert": _("For an experience expert: name and email come from the experience bank."),
            "represents": _("For a unit or stakeholder representative."),
            "starts_on": _("Leave empty when the member starts with the term."),
        }

    def __init__(self, *args, term, **kwargs):
        super().__init__(*args, **kwargs)
        self.term = term
        self.instance.term = term
        self.fields["seat"].choices = SeatCategory.choices
        self.fields["position"].choices = Membership.Position.choices
        self.fields["member_organisation"].queryset = MemberOrganisation.objects.filter(
            is_active=True
        )
        self.fields["expert"].queryset = (
            area_experts(term.group.area)
            .exclude(status="left")
            .select_related("responsible_organisation")
            .order_by("last_name", "first_name")
        )
        self.fields["expert"].label_from_instance = lambda e: (
            f"{e.last_name}, {e.first_name} ({e.responsible_organisation.short_name})"
        )
        self.fields["starts_on"].required = False
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = False
            self.fields[name].help_text = _("Not needed for an experience expert.")

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        seat, position = data.get("seat"), data.get("position")
        if position in (Membership.Position.CHAIR, Membership.Position.SECRETARY) and (
            seat != SeatCategory.ORGANISATION
        ):
            self.add_error(
                "position",
                _(
                    "The chair and the secretary are organisation representatives: choose the "
                    "organisation representative seat for them."
                ),
            )
        required = {
            SeatCategory.ORGANISATION: ["member_organisation"],
            SeatCategory.EXPERT: ["expert"],
            SeatCategory.UNIT: ["represents"],
            SeatCategory.STAKEHOLDER: ["represents"],
        }.get(seat, [])
        if seat != SeatCategory.EXPERT:
            required += ["first_name", "last_name", "email"]
        for name in required:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required for this seat."))
        if seat == SeatCategory.EXPERT and data.get("expert"):
            expert = data["expert"]
            data.update(
                first_name=expert.first_name, last_name=expert.last_name, email=expert.email
            )
        if not data.get("starts_on"):
            data["starts_on"] = self.term.starts_on
        return data


class MembershipEndForm(forms.Form):
    ended_on = date_field(_("Left on"))
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class WorkingGroupForm(forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "purpose", "ended_on"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "ended_on": DATE_INPUT}
        help_texts = {"ended_on": _("Fill in when the working group has finished its task.")}


class WorkingGroupMemberForm(forms.Form):
    membership = forms.ModelChoiceField(
        Membership.objects.none(),
        label=_("A member of the steering group"),
        required=False,
    )
    name = forms.CharField(label=_("Or someone else: name"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    represents = forms.CharField(label=_("Represents"), max_length=200, required=False)

    def __init__(self, *args, working_group, **kwargs):
        super().__init__(*args, **kwargs)
        term = working_group.group.current_term()
        self.fields["membership"].queryset = (
            term.memberships.not_ended() if term else Membership.objects.none()
        )

    def clean(self):
        data = super().clean()
        if not data.get("membership") and not (data.get("name") or "").strip():
            self.add_error("membership", _("Choose a member or give a name."))
        return data

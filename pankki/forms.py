"""Forms of the experience bank. They validate and never have side effects: the views hand
the cleaned data to pankki.services."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality, Region, localized_name

from .filters import (
    Cached,
    FastSelect,
    FastSelectMultiple,
    organisation_choices,
    read_cached,
    region_choices,
    rendered_options,
)
from .models import Audience, Consent, Expert, LifeSituation, TaskType, Theme, WorkLanguage
from .services import CONSENT_VERSION
from .validators import PhotoField, clean_phone

MAX_IMPORT_BYTES = 2 * 1024 * 1024
IMPORT_EXTENSIONS = {".csv", ".xlsx"}

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MUNICIPALITIES_HELP = _(
    "Choose several with Ctrl (Cmd on a Mac) or Shift. Not needed if the expert travels "
    "anywhere in Finland."
)


def _in_use(model, kept: list[int]):
    """Active vocabulary, plus the entries `kept`, what the expert already has (saving must not
    drop them)."""
    condition = Q(is_active=True)
    if kept:
        condition |= Q(pk__in=kept)
    return model.objects.filter(condition)


def vocabulary_choices(model) -> Cached:
    """The active entries of a vocabulary as the record forms list them, in the page's language:
    (pk, name) pairs, themes in (group, pairs) under their organisation. Cached like the
    search's lists (filters.forget_choices forgets them when the bank's admin edits one)."""

    def build():
        entries = model.objects.filter(is_active=True)
        if model is not Theme:
            return [(entry.pk, str(entry)) for entry in entries]
        groups: dict[str, list] = {}
        themes = entries.select_related("organisation")
        for theme in themes.order_by(localized_name("organisation__"), "order", localized_name()):
            label = str(theme.organisation) if theme.organisation_id else str(_("General themes"))
            groups.setdefault(label, []).append((theme.pk, str(theme)))
        return list(groups.items())

    return Cached(f"form:{model._meta.model_name}", build)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes in one fieldset per group, so each group has a legend."""

    template_name = "pankki/widgets/grouped_checkboxes.html"


class ThemeField(forms.ModelMultipleChoiceField):
    widget = GroupedCheckboxes


def languages_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Working languages"),
        choices=WorkLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class RecordFormMixin:
    """Shared cleaning of the expert's own fields and the many-to-many values for the service."""

    M2M_FIELDS = Expert.LISTS

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def m2m_data(self) -> dict:
        """The many-to-many values for services.save_expert(m2m=...)."""
        return {name: self.cleaned_data[name] for name in self.M2M_FIELDS if name in self.fields}

    @property
    def new_photo(self) -> UploadedFile | None:
        """The newly uploaded photo, if any (services.clean_photo re-encodes it)."""
        photo = self.cleaned_data.get("photo")
        return photo if isinstance(photo, UploadedFile) else None

    def _offer_vocabulary(self, name: str, model, choices: list) -> None:
        """Validate against the active entries and those the expert already has (saving must
        not drop them); show the cached `choices`, with the expert's retired entries added (the
        form's initial value holds the expert's entries as ids)."""
        field = self.fields[name]
        kept = self.initial.get(name, [])
        field.queryset = _in_use(model, kept)
        if kept:
            listed = {
                pk for entry in choices for pk, _label in (entry[1] if model is Theme else [entry])
            }
            retired = [pk for pk in kept if pk not in listed]
            if retired:
                entries = model.objects.filter(pk__in=retired)
                choices = [
                    *choices,
                    (str(_("No longer in use")), [(e.pk, str(e)) for e in entries]),
                ]
        field.widget.choices = choices

    def _setup_travel(self, regions: list, options: dict) -> None:
        """The querysets validate what is sent; the options shown come from the search's cached
        lists, sorted by their names in the page's language: `regions` (region_choices) and the
        municipalities' <option>s in `options` (rendered_options, which FastSelect marks)."""
        self.fields["travel_regions"].queryset = Region.objects.all()
        self.fields["travel_regions"].widget.choices = regions
        self.fields["travel_municipalities"].queryset = Municipality.objects.all()
        for name in ("home_municipality", "travel_municipalities"):
            if name in self.fields:
                widget = self.fields[name].widget
                widget.options = options[widget.key]
        home = self.fields.get("home_municipality")
        if home is not None:
            home.widget.empty_label = home.empty_label


VOCABULARIES = {
    "themes": Theme,
    "life_situations": LifeSituation,
    "task_types": TaskType,
    "audiences": Audience,
}


def _link_field(name: str, **kwargs) -> forms.ModelMultipleChoiceField:
    """The form field a ModelForm would make for one of the expert's many-to-many fields."""
    return Expert._meta.get_field(name).formfield(**kwargs)


TRAVEL_MUNICIPALITIES = FastSelectMultiple(key="municipality", attrs={"size": 8})

# The fields of an expert record in the order the form shows them.
RECORD_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "contact_visibility",
    "home_municipality",
    "travels_all_finland",
    "travel_regions",
    "travel_municipalities",
    "online",
    "languages",
    "other_languages",
    "presentation_fi",
    "presentation_sv",
    "photo",
    "experience_kind",
    "themes",
    "life_situations",
    "show_health_data",
    "age_group",
    "responsible_organisation",
    "other_organisations",
    "task_types",
    "audiences",
    "basic_training_date",
    "basic_training_course",
    "recognition_decision_date",
    "continuing_training_date",
]


class ExpertForm(RecordFormMixin, forms.ModelForm):
    """An organisation contact's (or planner's) form for a whole expert record.

    The many-to-many fields are declared here rather than listed in Meta.fields: for those a
    ModelForm loads the expert's related objects, a query each, where __init__ reads all their
    ids in one."""

    languages = languages_field()
    travel_regions = _link_field("travel_regions", widget=forms.CheckboxSelectMultiple)
    travel_municipalities = _link_field(
        "travel_municipalities", widget=TRAVEL_MUNICIPALITIES, help_text=MUNICIPALITIES_HELP
    )
    themes = _link_field("themes", form_class=ThemeField)
    life_situations = _link_field("life_situations", widget=forms.CheckboxSelectMultiple)
    other_organisations = _link_field(
        "other_organisations",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other member organisations the expert also represents."),
    )
    task_types = _link_field("task_types", widget=forms.CheckboxSelectMultiple)
    audiences = _link_field("audiences", widget=forms.CheckboxSelectMultiple)

    field_order = RECORD_FIELDS

    class Meta:
        model = Expert
        fields = [name for name in RECORD_FIELDS if name not in RecordFormMixin.M2M_FIELDS]
        field_classes = {"photo": PhotoField}
        widgets = {
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "contact_visibility": forms.RadioSelect,
            "experience_kind": forms.RadioSelect,
            "home_municipality": FastSelect(key="municipality"),
            "presentation_fi": forms.Textarea(attrs={"rows": 6, "lang": "fi"}),
            "presentation_sv": forms.Textarea(attrs={"rows": 6, "lang": "sv"}),
            "photo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            "basic_training_date": DATE_INPUT,
            "recognition_decision_date": DATE_INPUT,
            "continuing_training_date": DATE_INPUT,
        }
        help_texts = {
            "phone": _("For example 040 123 4567 or +358 40 123 4567."),
            "photo": _(
                "A JPEG, PNG or WebP image of at most 5 MB. Location and camera data are removed."
            ),
        }

    TRAINING_DATES = (
        "basic_training_date",
        "recognition_decision_date",
        "continuing_training_date",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance if self.instance.pk else None
        if instance is not None:
            for name, ids in instance.link_ids(*self.M2M_FIELDS).items():
                self.initial.setdefault(name, ids)
        regions, options, active_organisations, *vocabularies = read_cached(
            region_choices,
            rendered_options,
            organisation_choices,
            *(vocabulary_choices(model) for model in VOCABULARIES.values()),
        )
        self._setup_travel(regions, options)
        self.fields["experience_kind"].choices = Expert.ExperienceKind.choices  # no blank radio
        for (name, model), choices in zip(VOCABULARIES.items(), vocabularies, strict=True):
            self._offer_vocabulary(name, model, choices)
        others = self.fields["other_organisations"]
        others.queryset = MemberOrganisation.objects.filter(is_active=True)
        others.widget.choices = active_organisations  # the search's list
        organisations = user.contact_organisations()
        if instance is not None and user.is_planner:
            organisations = MemberOrganisation.objects.filter(
                Q(is_active=True) | Q(pk=instance.responsible_organisation_id)
            )
        field = self.fields["responsible_organisation"]
        field.queryset = organisations
        # The options from this one query: the field's own choices would query again, twice.
        choices = [(organisation.pk, str(organisation)) for organisation in organisations]
        if len(choices) == 1:
            field.empty_label = None
        else:
            choices.insert(0, ("", field.empty_label))
        field.widget.choices = choices

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        for name in self.TRAINING_DATES:
            if data.get(name) and data[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
        email, organisation = data.get("email"), data.get("responsible_organisation")
        if email and organisation:
            others = Expert.objects.filter(
                responsible_organisation=organisation, email__iexact=email
            )
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "email", _("Another expert of this organisation has this email address.")
                )
        return data


class OwnProfileForm(RecordFormMixin, forms.ModelForm):
    """What experts keep themselves: presentation, contact, travel, languages, visibility."""

    languages = languages_field()

    class Meta:
        model = Expert
        fields = [
            "presentation_fi",
            "presentation_sv",
            "phone",
            "contact_visibility",
            "online",
            "travels_all_finland",
            "travel_regions",
            "travel_municipalities",
            "languages",
            "other_languages",
            "show_health_data",
        ]
        labels = {
            "presentation_fi": _("Your presentation in Finnish"),
            "presentation_sv": _("Your presentation in Swedish"),
            "travels_all_finland": _("I travel anywhere in Finland"),
            "travel_regions": _("Regions I travel to"),
            "travel_municipalities": _("Municipalities I travel to"),
            "online": _("I take online tasks"),
            "show_health_data": _("Show my themes, diagnoses and life situations to orderers"),
        }
        widgets = {
            **ExpertForm.Meta.widgets,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "travel_regions": forms.CheckboxSelectMultiple,
            "travel_municipalities": TRAVEL_MUNICIPALITIES,
        }
        help_texts = {
            "phone": ExpertForm.Meta.help_texts["phone"],
            "travel_municipalities": _(
                "Choose several with Ctrl (Cmd on a Mac) or Shift. Not needed if you travel "
                "anywhere in Finland."
            ),
            "show_health_data": _(
                "These are health data: orderers see them, and find you by them, only if you "
                "tick this."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_travel(*read_cached(region_choices, rendered_options))


class StatusForm(forms.Form):
    """Pause until a date, reactivate, or (for contacts) archive an expert."""

    status = forms.ChoiceField(
        label=_("Status"), choices=Expert.Status.choices, widget=forms.RadioSelect
    )
    paused_until = forms.DateField(
        label=_("Paused until"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed for a pause: the expert is hidden from search until this date."),
    )

    def __init__(self, *args, expert: Expert, allow_leave: bool = True, **kwargs):
        kwargs.setdefault("initial", {"status": expert.status, "paused_until": expert.paused_until})
        super().__init__(*args, **kwargs)
        self.expert = expert
        self.allow_leave = allow_leave
        if not allow_leave:
            self.fields["paused_until"].help_text = _(
                "Needed for a pause: orderers do not find you until this date."
            )
            self.fields["status"].choices = [
                (Expert.Status.ACTIVE, _("Active: I take tasks")),
                (Expert.Status.PAUSED, _("Paused: I take no tasks for now")),
            ]

    def clean(self):
        data = super().clean()
        if not self.allow_leave and self.expert.status == Expert.Status.LEFT:
            raise ValidationError(
                _("Your organisation has marked you as left. Contact them to come back.")
            )
        if data.get("status") == Expert.Status.PAUSED:
            until = data.get("paused_until")
            if not until or until <= timezone.localdate():
                self.add_error("paused_until", _("Give a date in the future."))
        else:
            data["paused_until"] = None
        return data


class ConsentForm(forms.Form):
    """Give (with how it was given) or withdraw the expert's consent to be listed."""

    GIVE, WITHDRAW = "give", "withdraw"

    action = forms.ChoiceField(
        choices=[(GIVE, GIVE), (WITHDRAW, WITHDRAW)], widget=forms.HiddenInput
    )
    method = forms.ChoiceField(
        label=_("How was the consent given?"),
        choices=[
            (Consent.Method.PAPER, Consent.Method.PAPER.label),
            (Consent.Method.EMAIL, Consent.Method.EMAIL.label),
        ],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, expert: Expert, online: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert = expert
        self.online = online
        if online:
            del self.fields["method"]

    def clean(self):
        data = super().clean()
        valid = self.expert.consents.filter(withdrawn_at__isnull=True)
        if data.get("action") == self.WITHDRAW:
            if not valid.exists():
                raise ValidationError(_("There is no valid consent to withdraw."))
        elif data.get("action") == self.GIVE:
            if valid.filter(text_version=CONSENT_VERSION).exists():
                raise ValidationError(_("A valid consent has already been recorded."))
            if self.online:
                data["method"] = Consent.Method.ONLINE
            elif not data.get("method"):
                self.add_error("method", _("Choose how the consent was given."))
        return data


class InviteForm(forms.Form):
    """Refuses an invitation when the expert already has, or cannot get, a login."""

    def __init__(self, *args, expert: Expert, **kwargs):
        super().__init__(*args, **kwargs)
        self.expert = expert

    def clean(self):
        if self.expert.user_id:
            raise ValidationError(_("This expert already has a login."))
        if (
            Expert.objects.filter(user__email__iexact=self.expert.email)
            .exclude(pk=self.expert.pk)
            .exists()
        ):
            raise ValidationError(
                _("The email address belongs to a login that another expert record already has.")
            )
        return super().clean()


class ExpertIdsField(forms.Field):
    """A list of expert ids from checkboxes."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise ValidationError(_("Choose records from the list."), code="invalid") from None


class ConfirmForm(forms.Form):
    experts = ExpertIdsField(
        label=_("Records"), error_messages={"required": _("Choose at least one record.")}
    )


class RecordFilterForm(forms.Form):
    """The filters of the record list; `filter` narrows a queryset (a read, no side effects)."""

    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *Expert.Status.choices],
    )
    stale = forms.BooleanField(label=_("Only records not confirmed for 12 months"), required=False)

    def filter(self, experts):
        if not self.is_valid():
            return experts
        for word in self.cleaned_data["q"].split():
            experts = experts.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )
        if self.cleaned_data["status"]:
            experts = experts.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["stale"]:
            experts = experts.stale()
        return experts


class ImportForm(forms.Form):
    """The file to import and, for a contact of several organisations, whose experts it holds."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("A CSV or Excel (.xlsx) file of at most 2 MB."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=MemberOrganisation.objects.none(),
        help_text=_("New experts get this responsible organisation; rows update its experts."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = list(user.contact_organisations())
        self.only_organisation = organisations[0] if len(organisations) == 1 else None
        if self.only_organisation:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = user.contact_organisations()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if Path(upload.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise ValidationError(_("Choose a .csv or .xlsx file."), code="extension")
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."), code="size")
        return upload

    def clean(self):
        data = super().clean()
        if self.only_organisation:
            data["organisation"] = self.only_organisation
        return data

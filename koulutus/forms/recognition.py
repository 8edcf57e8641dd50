"""Recognition on special grounds: the organisation's application with its attachments, and
the national steering group's decision."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotove.models import MemberOrganisation, Municipality
from pankki.models import Expert
from pankki.validators import clean_phone

from ..models import RecognitionApplication, contact_organisation_ids
from .courses import DATE_INPUT

ATTACHMENT_TYPES = {
    # extension: (content type, the file's first bytes)
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
}
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five PDF, Word, OpenDocument, JPEG or PNG files of at most 10 MB each. The type
    is judged by the name and the file's first bytes, never by what the browser claims."""

    widget = MultipleFileInput(attrs={"accept": ",".join(ATTACHMENT_TYPES)})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS}, code="count"
            )
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            name = upload.name
            extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            if extension not in ATTACHMENT_TYPES:
                raise ValidationError(
                    _("%(name)s: attach PDF, Word, OpenDocument, JPEG or PNG files.")
                    % {"name": name},
                    code="type",
                )
            if upload.size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    _("%(name)s is larger than 10 MB.") % {"name": name}, code="size"
                )
            content_type, signatures = ATTACHMENT_TYPES[extension]
            upload.seek(0)
            head = upload.read(16)
            upload.seek(0)
            if not head.startswith(signatures):
                raise ValidationError(
                    _("%(name)s is not the kind of file its name says.") % {"name": name},
                    code="content",
                )
            cleaned.append(
                {
                    "file": upload,
                    "original_name": name[-200:],
                    "content_type": content_type,
                    "size": upload.size,
                }
            )
        return cleaned


class RecognitionForm(forms.ModelForm):
    attachments = AttachmentsField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Certificates of other training, descriptions of experience work. Up to five PDF, "
            "Word, OpenDocument, JPEG or PNG files of at most 10 MB each."
        ),
    )

    class Meta:
        model = RecognitionApplication
        fields = [
            "organisation",
            "first_name",
            "last_name",
            "email",
            "phone",
            "home_municipality",
            "experience_kind",
            "grounds",
        ]
        widgets = {
            "experience_kind": forms.RadioSelect,
            "grounds": forms.Textarea(attrs={"rows": 8}),
            "phone": forms.TextInput(attrs={"type": "tel"}),
        }
        help_texts = {
            "email": _("If the person is in the experience bank, use the address of the record."),
            "grounds": _(
                "The training and experience on which the person's competence rests: other "
                "experience expert training, teaching or development work, and why your "
                "organisation recommends recognition."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = MemberOrganisation.objects.filter(pk__in=contact_organisation_ids(user))
        self.fields["organisation"].queryset = organisations
        if len(organisations) == 1:
            self.fields["organisation"].empty_label = None
        self.fields["experience_kind"].choices = Expert.ExperienceKind.choices
        self.fields["home_municipality"].queryset = Municipality.objects.order_by("name_fi")

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))


class RecognitionDecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Recognise the competence")), ("0", _("Do not recognise"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        widget=DATE_INPUT,
        help_text=_("The date of the national steering group's meeting."),
    )
    note = forms.CharField(
        label=_("Note to the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_decision_date(self):
        value = self.cleaned_data["decision_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return value

"""Meetings, answers, attachments, minutes."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Invitation, Meeting, Membership
from . import (
    MEETING_TIME_ERROR,
    PlaceMixin,
    aware,
    date_field,
    lines,
    local_parts,
    online_link_field,
    time_field,
)

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ZIP = b"PK\x03\x04"
# Extension: (content type served back, the file's first bytes; None for plain text).
ATTACHMENT_TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", ZIP),
    ".txt": ("text/plain; charset=utf-8", None),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
}


class AttachmentField(forms.FileField):
    """A document of at most 10 MB whose content matches its type (PDF, Office and
    OpenDocument files, plain text, JPEG, PNG). Sets `checked_content_type` on the upload."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s.")
                % {"size": filesizeformat(MAX_ATTACHMENT_BYTES)},
                code="size",
            )
        kind = ATTACHMENT_TYPES.get(Path(upload.name).suffix.lower())
        if kind is None:
            raise ValidationError(
                _("Use a PDF, Word, Excel, PowerPoint, OpenDocument, text, JPEG or PNG file."),
                code="type",
            )
        content_type, magic = kind
        upload.seek(0)
        head = upload.read(MAX_ATTACHMENT_BYTES if magic is None else 16)
        upload.seek(0)
        if magic is None:
            try:
                head.decode("utf-8")
                ok = b"\x00" not in head
            except UnicodeDecodeError:
                ok = False
        else:
            ok = head.startswith(magic)
        if not ok:
            raise ValidationError(_("The file's content does not match its type."), code="content")
        upload.checked_content_type = content_type
        return upload


class MeetingForm(PlaceMixin, forms.ModelForm):
    online_link = online_link_field()
    date = date_field(_("Date"))
    starts = time_field(_("Starts at"))
    ends = time_field(_("Ends at"))
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One item per line, in order."),
    )
    send = forms.BooleanField(
        label=_("Email the invitations to the members now"),
        required=False,
        initial=True,
        help_text=_(
            "Each member gets a calendar invitation and a link to answer. Once sent, changes "
            "and a cancellation are sent too."
        ),
    )

    class Meta:
        model = Meeting
        fields = ["title", "place", "online_link", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    field_order = ["title", "date", "starts", "ends", "place", "online_link", "agenda"]

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.group = group
        if self.instance.pk:
            start, end = local_parts(self.instance.starts_at), local_parts(self.instance.ends_at)
            self.initial.update(date=start["date"], starts=start["time"], ends=end["time"])
            self.initial["agenda"] = "\n".join(i.title for i in self.instance.agenda_items.all())
            if self.instance.invited_at:
                del self.fields["send"]
        else:
            self.initial.setdefault("title", _("Steering group meeting"))

    def clean(self):
        data = super().clean()
        self.clean_place_or_link(data)
        if data.get("date") and data.get("starts") and data.get("ends"):
            data["starts_at"] = aware(data["date"], data["starts"])
            data["ends_at"] = aware(data["date"], data["ends"])
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", MEETING_TIME_ERROR)
            elif data.get("send") and data["ends_at"] < timezone.now():
                self.add_error("send", _("The meeting is in the past: invitations are not sent."))
            else:
                self.instance.starts_at, self.instance.ends_at = data["starts_at"], data["ends_at"]
        return data

    @property
    def agenda_lines(self) -> list[str]:
        return lines(self.cleaned_data.get("agenda", ""))


class CancelMeetingForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the members with the cancellation."),
    )


class AttachmentForm(forms.Form):
    file = AttachmentField(
        label=_("File"),
        help_text=_(
            "PDF, Word, Excel, PowerPoint, OpenDocument, text, JPEG or PNG, at most 10 MB."
        ),
    )


class AnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=Invitation.Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    note = forms.CharField(
        label=_("Note to the secretary"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example, if you come late or join online."),
    )


class MinutesForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        Membership.objects.none(),
        label=_("Members present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_attendees = forms.CharField(
        label=_("Others present"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Guests and experts invited to an item, one per line."),
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The decisions item by item."),
    )
    file = AttachmentField(
        label=_("Attachment to the minutes"),
        required=False,
        help_text=_("For example the signed minutes as a PDF file, at most 10 MB."),
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members
        self.fields["present"].label_from_instance = lambda m: m.full_name

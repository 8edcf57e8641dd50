from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AccessRequest


class AccessRequestForm(forms.ModelForm):
    class Meta:
        model = AccessRequest
        fields = ["name", "email", "organisation_name", "reason"]
        labels = {"name": _("Your name")}
        help_texts = {
            "email": _("Use the address of your work organisation."),
            "organisation_name": _("For example a wellbeing services county, a city or a school."),
        }
        widgets = {"reason": forms.Textarea(attrs={"rows": 4})}

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

"""Action plans and development grants."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import ActionPlan, GrantApplication, PlanItem
from . import DATE_INPUT


class ActionPlanForm(forms.ModelForm):
    class Meta:
        model = ActionPlan
        fields = ["aims", "approved_on", "review"]
        widgets = {
            "aims": forms.Textarea(attrs={"rows": 5}),
            "approved_on": DATE_INPUT,
            "review": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"review": _("Written when the year is over; it feeds the annual report.")}


def money_field(label, *, required=False, minimum="0", **kwargs) -> forms.DecimalField:
    message = (
        _("The amount cannot be below zero.")
        if minimum == "0"
        else _("The amount must be more than zero.")
    )
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(minimum),
        max_digits=9,
        decimal_places=2,
        error_messages={"min_value": message},
        **kwargs,
    )


class PlanItemForm(forms.ModelForm):
    budget = money_field(_("Budget (€)"))
    actual_cost = money_field(_("Actual cost (€)"), help_text=_("When the item is done."))

    class Meta:
        model = PlanItem
        fields = [
            "kind",
            "title",
            "timing",
            "budget",
            "status",
            "outcome",
            "actual_cost",
            "participants",
        ]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "timing": _("For example: March, spring, week 38."),
            "outcome": _("Fill in when it has happened (or did not)."),
            "participants": _("When the item is done."),
        }


class GrantApplicationForm(forms.ModelForm):
    amount = money_field(
        _("Amount applied for (€)"),
        required=True,
        minimum="0.01",
        help_text=_("Usually 200–1000 €. The budget lines must add up to this amount."),
    )

    class Meta:
        model = GrantApplication
        fields = ["year", "purpose", "amount"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "purpose": _(
                "What the support is used for, e.g. a recreation day or supplementary training "
                "for the area's experts."
            ),
        }

    def clean_year(self):
        """The support is for the group's events and training of the coming months: this year's
        or next year's."""
        year = self.cleaned_data["year"]
        this_year = timezone.localdate().year
        if not this_year <= year <= this_year + 1:
            raise forms.ValidationError(
                _("Apply for this year or next year (%(first)d or %(last)d).")
                % {"first": this_year, "last": this_year + 1}
            )
        return year


class BudgetLineForm(forms.Form):
    description = forms.CharField(label=_("Cost"), max_length=200, required=False)
    amount = money_field(_("Amount (€)"), minimum="0.01")

    def clean(self):
        data = super().clean()
        if data.get("amount") and not data.get("description"):
            self.add_error("description", _("Tell what the cost is."))
        if data.get("description") and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", _("Give the amount."))
        return data


# absolute_max (above the 20 lines and the blank rows shown): a forged form count builds no
# more forms than that (Django's default allows 1000 more than max_num).
BudgetLineFormSet = forms.formset_factory(BudgetLineForm, extra=0, max_num=20, absolute_max=30)


def budget_lines(formset) -> list[tuple[str, Decimal]]:
    return [
        (form.cleaned_data["description"], form.cleaned_data["amount"])
        for form in formset.forms
        if form.cleaned_data.get("description") and form.cleaned_data.get("amount")
    ]


def budget_formset(data=None, *, application: GrantApplication | None = None, blank: int = 3):
    initial = (
        [
            {"description": line.description, "amount": line.amount}
            for line in application.lines.all()
        ]
        if application and application.pk
        else []
    )
    initial += [{}] * blank
    return BudgetLineFormSet(data, initial=initial, prefix="lines")


class GrantDecisionForm(forms.Form):
    granted_amount = money_field(
        _("Amount granted (€)"), required=True, help_text=_("0 declines the application.")
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class GrantReportForm(forms.Form):
    report = forms.CharField(
        label=_("How the funds were used"), widget=forms.Textarea(attrs={"rows": 5})
    )
    spent_amount = money_field(_("Amount used (€)"), required=True)

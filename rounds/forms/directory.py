"""Input shapes for the service map: a listing, a reason for a status change, an upload."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from microcomm.models import Locality, Organisation, Theme
from microcomm.validators import normalise_postcode
from rounds.models import Service, ServiceSchedule
from rounds.oruk.read import oruk_guess_format
from rounds.services.directory import SERVICE_FIELDS

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class ServiceForm(forms.ModelForm):
    """Add or change a listing. Days and times become the service's weekly schedule."""

    days = forms.TypedMultipleChoiceField(
        label="Which days does it run?",
        choices=ServiceSchedule.Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply.",
    )
    opens_at = forms.TimeField(
        label="Start time",
        required=False,
        help_text="Use the 24-hour clock, for example 10:00.",
        error_messages={"invalid": "Enter a start time like 10:00"},
    )
    closes_at = forms.TimeField(
        label="Finish time",
        required=False,
        help_text="Use the 24-hour clock, for example 12:30.",
        error_messages={"invalid": "Enter a finish time like 12:30"},
    )
    schedule_frequency = forms.ChoiceField(
        label="How often does it run?",
        choices=ServiceSchedule.Frequency.choices,
        initial=ServiceSchedule.Frequency.WEEKLY,
        widget=forms.RadioSelect,
    )

    url = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address like https://example.org"},
    )

    # The page asks about the relations and the schedule beside what they belong with; the
    # other fields follow in the order the service lists them.
    field_order = [
        "name",
        "provider_organisation",
        "provider_name",
        "description",
        "themes",
        "localities",
        "venue",
        "address",
        "postcode",
        "days",
        "opens_at",
        "closes_at",
        "schedule_frequency",
    ]

    class Meta:
        model = Service
        fields = [*SERVICE_FIELDS, "themes", "localities"]
        labels = {
            "name": "Name of the service",
            "provider_organisation": "Organisation that runs it",
            "provider_name": "Or the name of the group, if it has no organisation record",
            "themes": "Themes",
            "localities": "Areas it serves",
            "venue": "Venue",
            "address": "Address",
            "postcode": "Postcode",
            "frequency": "When it runs, in words (optional)",
            "capacity_per_week": "Places a week (optional)",
            "waiting_list": "People on the waiting list",
            "cost": "Cost to the person",
            "cost_amount": "Amount in pounds",
            "cost_description": "What the cost covers (optional)",
            "minimum_age": "Youngest age (optional)",
            "maximum_age": "Oldest age (optional)",
            "eligibility": "Who it is for (optional)",
            "join_self_referral": "People can refer themselves",
            "join_link_worker_referral": "A link worker can refer people",
            "join_drop_in": "People can drop in",
            "accessibility": "Accessibility (optional)",
            "contact_name": "Contact name (optional)",
            "contact_email": "Public contact email (optional)",
            "contact_phone": "Public contact phone (optional)",
            "url": "Website (optional)",
        }
        help_texts = {
            "accessibility": "For example: step-free access, hearing loop, accessible toilet.",
            "cost_amount": "For example 3.50. Leave blank if it is free.",
        }
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "localities": forms.CheckboxSelectMultiple,
            "cost": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
            "eligibility": forms.Textarea(attrs={"rows": 3}),
            "accessibility": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "Enter the name of the service"},
            "contact_email": {"invalid": "Enter an email address like name@example.com"},
            "url": {"invalid": "Enter a web address like https://example.org"},
            "cost_amount": {"invalid": "Enter the amount in pounds, like 3.50"},
            "capacity_per_week": {"invalid": "Enter the places a week as a whole number, like 12"},
            "waiting_list": {"invalid": "Enter the number of people waiting, like 0"},
            "minimum_age": {"invalid": "Enter the youngest age as a whole number, like 18"},
            "maximum_age": {"invalid": "Enter the oldest age as a whole number, like 65"},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["localities"].queryset = Locality.objects.all()
        self.fields["provider_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["provider_organisation"].empty_label = "No organisation record"
        if "waiting_list" in self.fields:
            self.fields["waiting_list"].required = False
        self.fields["cost"].choices = Service.Cost.choices
        if self.instance.pk and not self.is_bound:
            schedules = list(self.instance.schedules.all())
            self.initial["days"] = [schedule.weekday for schedule in schedules]
            if schedules:
                self.initial["opens_at"] = schedules[0].opens_at
                self.initial["closes_at"] = schedules[0].closes_at
                self.initial["schedule_frequency"] = schedules[0].frequency

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        return normalise_postcode(value) if value.strip() else ""

    def clean_waiting_list(self) -> int:
        return self.cleaned_data.get("waiting_list") or 0

    def clean_provider_name(self) -> str:
        return (self.cleaned_data.get("provider_name") or "").strip()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if (
            "provider_organisation" in self.fields
            and not cleaned.get("provider_organisation")
            and not (cleaned.get("provider_name") or "").strip()
        ):
            self.add_error(
                "provider_organisation",
                "Select the organisation that runs the service, or enter the name of the group",
            )
        cost = cleaned.get("cost")
        amount: Decimal | None = cleaned.get("cost_amount")
        if (
            cost in (Service.Cost.LOW, Service.Cost.PAID)
            and amount is None
            and not self.has_error("cost_amount")
        ):
            self.add_error("cost_amount", "Enter how much it costs, like 3.50")
        if amount is not None and amount < 0:
            self.add_error("cost_amount", "Enter an amount of 0 or more, like 3.50")
        minimum, maximum = cleaned.get("minimum_age"), cleaned.get("maximum_age")
        if minimum is not None and maximum is not None and minimum > maximum:
            self.add_error(
                "maximum_age", "The oldest age must be the same as or more than the youngest"
            )
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "The finish time must be after the start time")
        return cleaned

    def service_data(self) -> dict[str, Any]:
        """The cleaned values in the shape the directory services take."""
        return dict(self.cleaned_data)


class ServiceProposeForm(ServiceForm):
    """An applicant's proposal: the organisation is one of their own; no waiting list."""

    class Meta(ServiceForm.Meta):
        fields = [
            name
            for name in ServiceForm.Meta.fields
            if name not in ("provider_name", "waiting_list", "capacity_per_week")
        ]
        labels = {**ServiceForm.Meta.labels, "provider_organisation": "Your organisation"}

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["provider_organisation"]
        field.queryset = organisations
        field.required = True
        field.empty_label = None
        field.error_messages["required"] = "Select your organisation"


class StatusReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="This is kept in the service's history.",
        error_messages={"required": "Enter the reason"},
    )

    def __init__(self, *args: Any, label: str = "", required_message: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        if required_message:
            self.fields["reason"].error_messages["required"] = required_message


class ServiceDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Do you want to publish this listing?",
        choices=[("approve", "Yes, publish it"), ("reject", "No, turn it down")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes to publish the listing, or no to turn it down"},
    )
    reason = forms.CharField(
        label="Why are you turning it down?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only if you are turning it down. The group will see this.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", "Enter why you are turning down the listing")
        return cleaned


class DirectoryImportForm(forms.Form):
    file = forms.FileField(
        label="Upload an Open Referral UK file",
        help_text=(
            "A JSON file of services (a page from /services or one service), or a ZIP of the "
            "CSV files (services.csv, organizations.csv and the others). Up to 5MB."
        ),
        error_messages={
            "required": "Select a file to import",
            "empty": "The selected file is empty",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".json", ".zip", ".csv")):
            raise ValidationError("The selected file must be a JSON, ZIP or CSV file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The selected file must be smaller than 5MB")
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(0)
        if oruk_guess_format(name=upload.name, head=head) is None:
            raise ValidationError(
                "The selected file must be a JSON, ZIP or CSV file. Its contents do not "
                "match its name"
            )
        return upload

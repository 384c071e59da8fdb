"""Input shapes for funds, rounds, their timelines and status moves.

Money is typed as text ("£1,000", "1000.50") and cleaned to a Decimal; times are typed as
"5pm" or "17:30" and joined to a GOV.UK date to make an aware Europe/London datetime.
The rules between fields (dates in order, grants within the amount, money left in the
fund) are the services' to check; `apply_service_errors` puts them by their fields.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from microcomm.errors import DomainError
from microcomm.formatting import pounds
from microcomm.forms import (
    PoundsField,
    RowForm,
    choice_field,
    email_field,
    model_choice_field,
    reason_field,
    text_field,
)
from microcomm.govuk import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukRadioSelect,
    GovukTextarea,
)
from microcomm.models import LegalForm, Locality, Theme
from rounds.models import Fund, FundingSource, Need, Round, RoundEvent
from rounds.services.funding import ROUND_FIELDS, ROUND_RELATIONS, RoundInvalid

TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


class MoneyField(PoundsField):
    """Pounds of more than £0 for a fund or a round; each error names the amount."""

    def __init__(self, *, error_label: str, **kwargs: Any) -> None:
        example = "like £1,000 or £1,000.50"
        kwargs.setdefault("error_messages", {"required": f"Enter the {error_label}"})
        super().__init__(
            refusals={
                "invalid": f"Enter the {error_label} as an amount of money in pounds, {example}",
                "decimal_places": (
                    f"Enter the {error_label} with no more than 2 decimal places, {example}"
                ),
                "negative": f"Enter the {error_label} as an amount of more than £0",
                "too_large": f"Enter the {error_label} as a smaller amount",
            },
            more_than_zero=True,
            **kwargs,
        )


def parse_time(text: str) -> datetime.time | None:
    """A time as people write it: "5pm", "5:30pm", "10.30am", "17:00", "noon", "midnight"."""
    text = text.strip().lower().replace(" ", "")
    if text in ("noon", "midday", "12noon"):
        return datetime.time(12, 0)
    if text == "midnight":
        return datetime.time(0, 0)
    match = TIME_PATTERN.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif hour > 23:
        return None
    return datetime.time(hour, minute)


def time_text(moment: datetime.time) -> str:
    """ "5pm", "10:30am", "12pm": how a time is shown in a time box."""
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    if moment.minute:
        return f"{hour}:{moment.minute:02d}{half}"
    return f"{hour}{half}"


class TimeTextField(forms.Field):
    """A time typed as text, like 5pm or 17:30."""

    def __init__(self, *, error_label: str, **kwargs: Any) -> None:
        self.error_label = error_label
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5"}))
        kwargs.setdefault("help_text", "For example, 9am, 5pm or 5:30pm.")
        kwargs.setdefault("error_messages", {"required": f"Enter the {error_label}"})
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.time):
            return time_text(value)
        return value

    def to_python(self, value: Any) -> datetime.time | None:
        if isinstance(value, datetime.time):
            return value
        if not str(value or "").strip():
            return None
        parsed = parse_time(str(value))
        if parsed is None:
            raise forms.ValidationError(
                f"Enter the {self.error_label} as a time, like 9am, 5pm or 5:30pm",
                code="invalid",
            )
        return parsed


def london_moment(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    """An aware datetime for a date and a time as the clocks in London show them."""
    return datetime.datetime.combine(day, moment, tzinfo=timezone.get_default_timezone())


def local_parts(moment: datetime.datetime) -> tuple[datetime.date, datetime.time]:
    local = timezone.localtime(moment, timezone.get_default_timezone())
    return local.date(), local.time().replace(second=0, microsecond=0)


def _date_field(label: str, *, error_label: str, help_text: str = "") -> GovukDateField:
    return GovukDateField(
        label=label,
        error_label=error_label,
        help_text=help_text or "For example, 12 3 2027.",
        error_messages={"required": f"Enter the {_lower_first(error_label)}"},
    )


def _optional_checkboxes(
    label: str,
    *,
    invalid: str,
    field_class: type[forms.MultipleChoiceField] = forms.ModelMultipleChoiceField,
    **kwargs: Any,
) -> forms.MultipleChoiceField:
    """Small checkboxes that may all be left unticked, such as a round's priorities."""
    return field_class(
        label=label,
        required=False,
        widget=GovukCheckboxSelectMultiple(small=True),
        error_messages={"invalid_choice": invalid},
        **kwargs,
    )


class ServiceErrorsMixin:
    """Put a service's refusal by the field it is about, or at the top of the form."""

    service_field_map: dict[str, str] = {}

    def apply_service_error(self, error: DomainError) -> None:
        errors = error.errors if isinstance(error, RoundInvalid) else {error.field: error.message}
        for field, message in errors.items():
            name = self.service_field_map.get(field or "", field)
            self.add_error(name if name in self.fields else None, message)  # type: ignore[attr-defined]


# Funds ---------------------------------------------------------------------------------


class FundForm(ServiceErrorsMixin, forms.Form):
    name = text_field(
        "Name of the fund",
        max_length=200,
        subject="The name",
        required_message="Enter the name of the fund",
    )
    description = text_field(
        "Describe the fund (optional)",
        max_length=3000,
        subject="The description",
        help_text="What the money is for and who put it in.",
        rows=4,
    )
    starts_on = _date_field("Start date", error_label="Start date")
    ends_on = _date_field("End date", error_label="End date")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", "The end date must be after the start date")
        return cleaned


class FundingSourceForm(RowForm):
    name = text_field(
        "Who the money comes from",
        max_length=200,
        subject="The name",
        required_message="Enter who the money comes from",
        help_text="For example, Marshbrook Borough Council.",
    )
    kind = choice_field(
        "Kind of source",
        [("", "Choose a kind"), *FundingSource.Kind.choices],
        message="Select the kind of source",
        widget=forms.Select,
    )
    amount = MoneyField(label="Amount", error_label="amount from this source")
    restriction = text_field(
        "Restrictions on how it is spent (optional)",
        max_length=1000,
        subject="The restrictions",
        help_text="For example, “only for people over 65” or “not for capital costs”.",
        widget=GovukTextarea(rows=2),
    )


MAX_SOURCES = 20


class BaseSourceFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "The page was out of date. Check the sources and try again",
        "too_many_forms": f"Add at most {MAX_SOURCES} funding sources",
        "too_few_forms": "Add at least one funding source",
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None:
            kwargs["row"] = f"Source {index + 1}"
        return kwargs

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove this source"

    def clean(self) -> None:
        if any(self.errors):
            return
        kept = [
            form for form in self.forms if form.has_changed() and not self._should_delete_form(form)
        ]
        if not kept:
            raise forms.ValidationError("Add at least one funding source")

    def sources(self) -> list[dict[str, Any]]:
        return [
            {field: form.cleaned_data[field] for field in ("name", "kind", "amount", "restriction")}
            for form in self.forms
            if form.has_changed() and not self._should_delete_form(form) and form.cleaned_data
        ]


def source_formset(
    data: Any = None, *, initial: list[dict[str, Any]] | None = None
) -> BaseSourceFormSet:
    """The sources of a fund: every existing one and one (or two, for a new fund) blank."""
    formset_class = forms.formset_factory(
        FundingSourceForm,
        formset=BaseSourceFormSet,
        extra=1 if initial else 2,
        can_delete=bool(initial),
        # A posted form count never builds more rows than the page can show.
        max_num=MAX_SOURCES,
        absolute_max=MAX_SOURCES,
        validate_max=True,
    )
    return formset_class(data, initial=initial, prefix="sources")


# Rounds --------------------------------------------------------------------------------


class MomentsMixin(ServiceErrorsMixin):
    """Joins each `<name>_on` date and `<name>_time` time into an aware `<name>_at`.

    A service's refusal about `<name>_at` is shown by the date.
    """

    moments: tuple[str, ...] = ()

    @property
    def service_field_map(self) -> dict[str, str]:  # type: ignore[override]
        return {f"{name}_at": f"{name}_on" for name in self.moments}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        for name in self.moments:
            day, moment = cleaned.get(f"{name}_on"), cleaned.get(f"{name}_time")
            if day and moment:
                cleaned[f"{name}_at"] = london_moment(day, moment)
        return cleaned


class RoundForm(MomentsMixin, forms.Form):
    moments = ("opens", "closes")

    fund = model_choice_field(
        "Fund",
        Fund.objects.none(),
        empty_label="Choose a fund",
        required_message="Select a fund",
        invalid_message="Select a fund",
    )
    title = text_field(
        "Title",
        max_length=200,
        subject="The title",
        required_message="Enter a title for the round",
        help_text="For example, “Tackling loneliness: micro grants 2027”.",
    )
    slug = forms.SlugField(
        label="Web address (optional)",
        help_text="Lower-case letters, numbers and hyphens, like loneliness-2027. "
        "Leave it blank to make one from the title.",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "invalid": "Enter a web address using only lower-case letters, numbers and hyphens",
            "max_length": "The web address must be 100 characters or fewer",
        },
    )
    summary = text_field(
        "Summary",
        max_length=2000,
        subject="The summary",
        required_message="Enter a summary of the round",
        help_text="What the round funds, in a few plain sentences.",
        rows=4,
    )
    amount_available = MoneyField(label="Amount for the round", error_label="amount for the round")
    minimum_grant = MoneyField(label="Minimum grant", error_label="minimum grant")
    maximum_grant = MoneyField(label="Maximum grant", error_label="maximum grant")
    tier = forms.ChoiceField(
        label="Size of grants",
        choices=Round.Tier.choices,
        widget=GovukRadioSelect(
            item_hints={
                Round.Tier.MICRO: "A short form and light monitoring.",
                Round.Tier.SMALL: "Adds outcomes, safeguarding and other funding.",
                Round.Tier.STANDARD: "Adds sustainability, evaluation and risks.",
            }
        ),
        help_text="The tier sets which questions and documents are required.",
        error_messages={"required": "Select the size of grants"},
    )
    priority_themes = _optional_checkboxes(
        "Themes (optional)", invalid="Select themes from the list", queryset=Theme.objects.none()
    )
    priority_localities = _optional_checkboxes(
        "Places (optional)", invalid="Select places from the list", queryset=Locality.objects.none()
    )
    priority_needs = _optional_checkboxes(
        "Needs from the register (optional)",
        invalid="Select needs from the list",
        queryset=Need.objects.none(),
    )
    allowed_legal_forms = _optional_checkboxes(
        "Kinds of group that can apply (optional)",
        invalid="Select kinds of group from the list",
        field_class=forms.MultipleChoiceField,
        help_text="Leave them all unticked to let any kind of group apply.",
        choices=LegalForm.choices,
    )
    maximum_annual_income = MoneyField(
        label="Maximum annual income of a group that applies (optional)",
        error_label="maximum annual income",
        required=False,
    )
    eligible_localities = _optional_checkboxes(
        "Places a group must serve (optional)",
        invalid="Select places from the list",
        help_text="Leave them all unticked to let groups from anywhere apply.",
        queryset=Locality.objects.none(),
    )
    must_address_priority = forms.BooleanField(
        label="Applications must address at least one of the round's priorities",
        required=False,
    )
    opens_on = _date_field("Opening date", error_label="Opening date")
    opens_time = TimeTextField(label="Opening time", error_label="opening time")
    closes_on = _date_field("Closing date", error_label="Closing date")
    closes_time = TimeTextField(label="Closing time", error_label="closing time")
    scoring_due_on = _date_field("Scoring due", error_label="Scoring due date")
    decisions_by = _date_field("Decisions by", error_label="Decisions date")
    grants_start_on = _date_field("Grants start", error_label="Grants start date")
    first_monitoring_due_on = _date_field(
        "First monitoring report due", error_label="First monitoring date"
    )
    evaluation_due_on = _date_field("Evaluation due", error_label="Evaluation due date")
    how_decisions_are_made = text_field(
        "How decisions are made (optional)", max_length=3000, subject="This", rows=4
    )
    contact_email = email_field("Contact email (optional)")
    contact_phone = text_field(
        "Contact phone (optional)",
        max_length=30,
        subject="The phone number",
        widget=forms.TextInput(attrs={"type": "tel", "class": "govuk-input--width-20"}),
    )

    def __init__(self, *args: Any, funds: Any, needs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["fund"].queryset = funds
        self.fields["fund"].label_from_instance = lambda fund: (
            f"{fund.name} ({pounds(fund.remaining)} left)"
        )
        self.fields["priority_themes"].queryset = Theme.objects.filter(is_active=True)
        places = Locality.objects.filter(kind__in=(Locality.Kind.PCN, Locality.Kind.WARD))
        self.fields["priority_localities"].queryset = places.order_by("name")
        self.fields["eligible_localities"].queryset = Locality.objects.order_by("kind", "name")
        self.fields["priority_needs"].queryset = needs
        self.fields["priority_needs"].label_from_instance = lambda need: (
            f"{need.title} ({need.theme.name}, {need.locality.name})"
        )

    @staticmethod
    def initial_from(round: Round) -> dict[str, Any]:
        opens_on, opens_time = local_parts(round.opens_at)
        closes_on, closes_time = local_parts(round.closes_at)
        initial: dict[str, Any] = {
            name: getattr(round, name)
            for name in ("fund", *ROUND_FIELDS)
            if name in RoundForm.base_fields
        }
        initial.update({name: list(getattr(round, name).all()) for name in ROUND_RELATIONS})
        initial.update(
            opens_on=opens_on, opens_time=opens_time, closes_on=closes_on, closes_time=closes_time
        )
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = slugify(cleaned["title"])[:100]
        return cleaned

    def round_values(self) -> dict[str, Any]:
        """The cleaned data as the round services take it (without the fund)."""
        return {name: self.cleaned_data[name] for name in (*ROUND_FIELDS, *ROUND_RELATIONS)}


class RoundStatusForm(ServiceErrorsMixin, forms.Form):
    to = forms.ChoiceField(choices=Round.Status.choices, widget=forms.HiddenInput)
    reason = reason_field(
        "Reason (optional)",
        max_length=1000,
        help_text="Needed when you open a closed round again. It is kept in the history.",
        widget=GovukTextarea(rows=2),
    )


class RoundCopyForm(MomentsMixin, forms.Form):
    moments = RoundForm.moments
    title = RoundForm.base_fields["title"]
    slug = forms.SlugField(
        label="Web address",
        help_text="Lower-case letters, numbers and hyphens, like loneliness-2028.",
        max_length=100,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        error_messages={
            "required": "Enter a web address for the new round",
            "invalid": "Enter a web address using only lower-case letters, numbers and hyphens",
            "max_length": "The web address must be 100 characters or fewer",
        },
    )
    amount_available = RoundForm.base_fields["amount_available"]
    opens_on = RoundForm.base_fields["opens_on"]
    opens_time = RoundForm.base_fields["opens_time"]
    closes_on = RoundForm.base_fields["closes_on"]
    closes_time = RoundForm.base_fields["closes_time"]


class RoundEventForm(MomentsMixin, forms.Form):
    moments = ("starts",)

    kind = forms.ChoiceField(
        label="What kind of event is it?",
        choices=RoundEvent.Kind.choices,
        widget=GovukRadioSelect,
        error_messages={"required": "Select the kind of event"},
    )
    starts_on = _date_field("Date", error_label="Date of the event")
    starts_time = TimeTextField(label="Start time", error_label="start time")
    title = text_field(
        "Title (optional)",
        max_length=200,
        subject="The title",
        help_text="For example, “Drop-in: help with your application”.",
    )
    location = text_field(
        "Where (optional)",
        max_length=300,
        subject="Where",
        help_text="An address, or “Online” with how to join.",
    )

"""GOV.UK Design System widgets and fields for Django forms.

Presentation options are read from a widget's ``attrs`` so that plain Django widgets, the
GOV.UK widgets below and crispy ``Field("name", label_as_heading=True)`` all drive the same
markup. The option keys (see ``OPTION_NAMES``) are never rendered as HTML attributes.

The crispy template pack in ``templates/govuk/`` wraps these controls in the form group,
label or legend, hint and error message; the widgets also render on their own
(``{{ form.field }}``) as the bare GOV.UK control.
"""

from __future__ import annotations

import copy
import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

OPTION_NAMES = frozenset(
    {
        "label_as_heading",
        "label_size",
        "prefix",
        "suffix",
        "inline",
        "small",
        "item_hints",
        "max_words",
        "max_chars",
        "threshold",
        "javascript",
        "error_parts",
        # False: the label gets no "(optional)" although the field may be left blank, for
        # questions that are only needed when the person finishes (such as "Have you
        # completed this section?" on a page that can also be saved for later).
        "mark_optional",
    }
)

DATE_PARTS = ("day", "month", "year")

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _option_name(key: str) -> str:
    # crispy's Field() turns keyword arguments into attributes with dashes.
    return key.replace("-", "_")


def widget_options(widget: forms.Widget) -> dict[str, Any]:
    """The GOV.UK presentation options set in ``widget.attrs``, keyed with underscores."""
    return {
        _option_name(key): value
        for key, value in widget.attrs.items()
        if _option_name(key) in OPTION_NAMES
    }


def strip_options(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """HTML attributes only: ``attrs`` without the GOV.UK presentation options."""
    return {key: value for key, value in attrs.items() if _option_name(key) not in OPTION_NAMES}


def without_options(widget: forms.Widget) -> forms.Widget:
    """A shallow copy of ``widget`` whose attrs hold only HTML attributes."""
    clean = copy.copy(widget)
    clean.attrs = strip_options(widget.attrs)
    return clean


def join_classes(*groups: str | Iterable[str] | None) -> str:
    """Space-separated CSS classes, in order, without blanks or repeats."""
    classes: list[str] = []
    for group in groups:
        if not group:
            continue
        names = group.split() if isinstance(group, str) else group
        for name in names:
            if name and name not in classes:
                classes.append(name)
    return " ".join(classes)


def flat_attrs(attrs: Mapping[str, Any]) -> SafeString:
    """HTML attributes as Django's widget ``attrs.html`` writes them: True bare, False left out."""
    rendered = [
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and value is not None
    ]
    return SafeString("".join(rendered))


def choice_items(
    widget: forms.ChoiceWidget,
    name: str,
    value: Any,
    *,
    base_id: str,
    disabled: bool = False,
) -> list[dict[str, Any]]:
    """The items of a radios or checkboxes component, with GOV.UK ids.

    The first item's id is ``base_id`` itself, so the error summary can link to it; the
    others are ``<base_id>-2``, ``<base_id>-3`` and so on, as in GOV.UK Frontend.
    """
    hints = widget_options(widget).get("item_hints") or {}
    values = widget.format_value(value)
    items: list[dict[str, Any]] = []
    for _group, options, _index in widget.optgroups(name, values, {}):
        for option in options:
            # Django's blank "---------" choice has no place in GOV.UK radios or
            # checkboxes: an unanswered optional question is simply left unselected.
            if option["value"] in ("", None):
                continue
            position = len(items) + 1
            items.append(
                {
                    "id": base_id if position == 1 else f"{base_id}-{position}",
                    "value": option["value"],
                    "label": option["label"],
                    "checked": option["selected"],
                    "disabled": disabled or bool(option["attrs"].get("disabled")),
                    "hint": hints.get(str(option["value"]), ""),
                }
            )
    return items


def choices_context(
    widget: forms.ChoiceWidget,
    name: str,
    value: Any,
    *,
    base_id: str,
    disabled: bool = False,
) -> dict[str, Any]:
    """Context for ``govuk/widgets/choices.html`` from any RadioSelect or CheckboxSelectMultiple."""
    kind = "checkboxes" if widget.allow_multiple_selected else "radios"
    options = widget_options(widget)
    return {
        "kind": kind,
        "input_type": "checkbox" if kind == "checkboxes" else "radio",
        "name": name,
        "classes": join_classes(
            widget.attrs.get("class"),
            options.get("inline") and kind == "radios" and f"govuk-{kind}--inline",
            options.get("small") and f"govuk-{kind}--small",
        ),
        "items": choice_items(widget, name, value, base_id=base_id, disabled=disabled),
    }


class GovukTemplateWidgetMixin:
    """Render through the project's template engine, whatever ``FORM_RENDERER`` is.

    Django's default form renderer only searches Django's own and the apps' template
    folders, not ``templates/``, where the GOV.UK pack lives.
    """

    def _render(
        self, template_name: str, context: dict[str, Any], renderer: Any = None
    ) -> SafeString:
        return render_to_string(template_name, context)


class GovukChoicesMixin(GovukTemplateWidgetMixin):
    """GOV.UK radios or checkboxes drawn from any Django choice widget.

    ``small`` and ``item_hints`` (a hint under each choice, keyed by value) suit both;
    ``inline`` lays out radios side by side (GOV.UK has no inline checkboxes).
    """

    template_name = "govuk/widgets/choices.html"

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        choices: Any = (),
        *,
        inline: bool = False,
        small: bool = False,
        item_hints: Mapping[str, str] | None = None,
    ) -> None:
        attrs = dict(attrs or {})
        if inline:
            attrs.setdefault("inline", True)
        if small:
            attrs.setdefault("small", True)
        if item_hints:
            attrs.setdefault("item_hints", dict(item_hints))
        super().__init__(attrs, choices)  # type: ignore[call-arg]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = attrs or {}
        return choices_context(
            self,  # type: ignore[arg-type]
            name,
            value,
            base_id=attrs.get("id") or self.attrs.get("id") or name,  # type: ignore[attr-defined]
            disabled=bool(attrs.get("disabled")),
        )


class GovukRadioSelect(GovukChoicesMixin, forms.RadioSelect):
    """GOV.UK radios; ``inline=True`` for two short answers such as Yes and No."""


class GovukCheckboxSelectMultiple(GovukChoicesMixin, forms.CheckboxSelectMultiple):
    """GOV.UK checkboxes for a multiple choice question."""


class GovukTextarea(forms.Textarea):
    """A GOV.UK textarea, with a character count when ``max_words`` or ``max_chars`` is set.

    The limit only drives the character count component; validate it in the form.
    """

    def __init__(
        self,
        attrs: dict[str, Any] | None = None,
        *,
        max_words: int | None = None,
        max_chars: int | None = None,
        threshold: int | None = None,
        rows: int = 5,
    ) -> None:
        if max_words and max_chars:
            raise ValueError("A character count counts words or characters, not both.")
        attrs = {"rows": str(rows), **(attrs or {})}
        for key, option in (
            ("max_words", max_words),
            ("max_chars", max_chars),
            ("threshold", threshold),
        ):
            if option:
                attrs.setdefault(key, option)
        super().__init__(attrs)

    @property
    def counts(self) -> bool:
        options = widget_options(self)
        return bool(options.get("max_words") or options.get("max_chars"))

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = strip_options(super().build_attrs(base_attrs, extra_attrs))
        if self.counts:
            # The character count lets people type past the limit and tells them by how
            # much; a maxlength attribute would silently cut their text off instead.
            attrs.pop("maxlength", None)
        attrs["class"] = join_classes(
            "govuk-textarea", self.counts and "govuk-js-character-count", attrs.get("class")
        )
        return attrs


class GovukDateWidget(GovukTemplateWidgetMixin, forms.MultiWidget):
    """The GOV.UK date input: day, month and year boxes named ``<name>_day`` and so on.

    ``autocomplete="bday"`` gives ``bday-day``, ``bday-month`` and ``bday-year``.
    """

    template_name = "govuk/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, autocomplete: str = "") -> None:
        widths = {"day": 2, "month": 2, "year": 4}
        widgets = {}
        for part in DATE_PARTS:
            part_attrs: dict[str, Any] = {"inputmode": "numeric"}
            if autocomplete:
                part_attrs["autocomplete"] = f"{autocomplete}-{part}"
            part_attrs["class"] = f"govuk-input--width-{widths[part]}"
            widgets[part] = forms.TextInput(attrs=part_attrs)
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        attrs = dict(attrs or {})
        error_parts = set(attrs.pop("error_parts", ()) or ())
        context = super().get_context(name, value, strip_options(attrs))
        own_attrs = context["widget"]["attrs"]
        base_id = own_attrs.get("id") or name
        if not isinstance(value, (list, tuple)):
            value = self.decompress(value)
        items = []
        for index, (part, widget) in enumerate(zip(DATE_PARTS, self.widgets, strict=True)):
            part_value = value[index] if index < len(value) else None
            part_attrs = strip_options(widget.attrs)
            input_attrs = {
                "class": join_classes(
                    "govuk-input govuk-date-input__input",
                    part in error_parts and "govuk-input--error",
                    part_attrs.pop("class", ""),
                ),
                "id": f"{base_id}_{part}",
                "name": f"{name}_{part}",
                "type": "text",
                "value": part_value if part_value not in (None, "") else None,
                **part_attrs,
            }
            if own_attrs.get("disabled"):
                input_attrs["disabled"] = True
            items.append(
                {
                    "id": input_attrs["id"],
                    "label": part.capitalize(),
                    "attrs": flat_attrs(input_attrs),
                }
            )
        context["date_input"] = {
            "id": base_id,
            "classes": join_classes(own_attrs.get("class")),
            "items": items,
        }
        return context


def _whole_number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def _month_number(text: str) -> int | None:
    number = _whole_number(text)
    if number is not None:
        return number
    lowered = text.lower().rstrip(".")
    for index, month in enumerate(_MONTH_NAMES, start=1):
        if len(lowered) >= 3 and month.startswith(lowered):
            return index
    return None


class GovukDateField(forms.Field):
    """A date asked for with the GOV.UK date input; cleans to a ``datetime.date``.

    Error messages follow the GOV.UK date input pattern. ``%(label)s`` in them is
    ``error_label``, else the field's label, else "Date". Each error carries the parts of
    the date that are wrong in ``params["parts"]``, so only those boxes are highlighted.
    Months may also be typed as names ("feb", "February").
    """

    widget = GovukDateWidget
    default_error_messages = {
        "required": "Enter a date",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a real date",
        "invalid_year": "Year must include 4 numbers",
    }

    def __init__(self, *, error_label: str | None = None, **kwargs: Any) -> None:
        self.error_label = error_label
        super().__init__(**kwargs)

    def _error(self, code: str, parts: Iterable[str], **params: Any) -> ValidationError:
        label = str(self.error_label or self.label or "Date")
        return ValidationError(
            self.error_messages[code],
            code=code,
            params={"label": label[:1].upper() + label[1:], "parts": tuple(parts), **params},
        )

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError as error:
                raise self._error("invalid", DATE_PARTS) from error
        texts = [str(part).strip() if part is not None else "" for part in value]
        texts += [""] * (len(DATE_PARTS) - len(texts))
        parts = dict(zip(DATE_PARTS, texts, strict=False))
        if not any(parts.values()):
            return None
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))
        day = _whole_number(parts["day"])
        month = _month_number(parts["month"])
        year = _whole_number(parts["year"])
        wrong = []
        if day is None or not 1 <= day <= 31:
            wrong.append("day")
        if month is None or not 1 <= month <= 12:
            wrong.append("month")
        if year is None:
            wrong.append("year")
        if wrong:
            raise self._error("invalid", wrong)
        if len(parts["year"]) != 4:
            raise self._error("invalid_year", ["year"])
        try:
            return datetime.date(year, month, day)
        except ValueError as error:
            raise self._error("invalid", DATE_PARTS) from error


def date_error_parts(errors: Iterable[ValidationError]) -> tuple[str, ...]:
    """The date parts to highlight for these errors; all of them when an error does not say."""
    wrong: set[str] = set()
    for error in errors:
        params = error.params if isinstance(error.params, Mapping) else {}
        wrong.update(params.get("parts") or DATE_PARTS)
    return tuple(part for part in DATE_PARTS if part in wrong)

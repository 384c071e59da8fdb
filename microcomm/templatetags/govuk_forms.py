"""Template tags that render Django form fields as GOV.UK Design System components.

``{% govuk_field form.name %}`` renders one field (the crispy ``govuk`` pack's
``field.html`` uses it); ``{% govuk_error_summary_items form as items %}`` feeds
``govuk/error_summary.html``.
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString

from microcomm.govuk import (
    DATE_PARTS,
    GovukDateWidget,
    choices_context,
    date_error_parts,
    flat_attrs,
    join_classes,
    widget_options,
    without_options,
)

register = template.Library()

SIZES = ("s", "m", "l", "xl")
OPTIONAL_SUFFIX = " (optional)"


def field_id(field: BoundField) -> str:
    """The id GOV.UK markup is built around: the input's, or the first radio's or box's."""
    return field.field.widget.attrs.get("id") or field.auto_id or field.html_name


def field_anchor(field: BoundField) -> str:
    """The id the error summary links to: the first part of a date that is wrong."""
    base_id = field_id(field)
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        parts = date_error_parts(field.errors.as_data()) or DATE_PARTS
        return f"{base_id}_{parts[0]}"
    if isinstance(widget, forms.MultiWidget):
        return f"{base_id}_0"
    return base_id


def _heading_size(options: dict[str, Any]) -> tuple[bool, str]:
    heading = options.get("label_as_heading")
    if heading in SIZES:
        return True, heading
    size = options.get("label_size") if options.get("label_size") in SIZES else ""
    if heading and str(heading).lower() not in ("false", "0"):
        return True, size or "l"
    return False, size


def _label_text(field: BoundField, *, mark_optional: bool = True) -> str:
    label = str(field.label or "")
    if mark_optional and not field.field.required and not label.endswith(OPTIONAL_SUFFIX):
        return label + OPTIONAL_SUFFIX
    return label


def _control_attrs(field: BoundField, base_id: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """The control's id, the attributes that have a value, and ``disabled`` when it is."""
    attrs = {"id": base_id, **{key: value for key, value in attrs.items() if value}}
    if field.field.disabled:
        attrs["disabled"] = True
    return attrs


def _render_widget(
    field: BoundField, widget: forms.Widget, base_id: str, attrs: dict[str, Any]
) -> SafeString:
    attrs = _control_attrs(field, base_id, attrs)
    return widget.render(
        name=field.html_name, value=field.value(), attrs=attrs, renderer=field.form.renderer
    )


def _file_input(
    field: BoundField, widget: forms.Widget, base_id: str, attrs: dict[str, Any]
) -> SafeString:
    # Only the <input>: ClearableFileInput's "Currently"/"Clear" extras are not GOV.UK markup.
    attrs = _control_attrs(field, base_id, attrs)
    rendered = forms.FileInput.get_context(widget, field.html_name, None, attrs)["widget"]["attrs"]
    ordered = {
        "class": rendered.pop("class", ""),
        "id": rendered.pop("id"),
        "name": field.html_name,
        "type": "file",
        **rendered,
    }
    return format_html("<input{}>", flat_attrs(ordered))


def govuk_field_context(
    field: BoundField,
    *,
    show_errors: bool = True,
    show_label: bool = True,
    wrapper_class: str = "",
) -> dict[str, Any]:
    """Everything the ``govuk/fields/*.html`` templates need to render ``field``."""
    widget = field.field.widget
    options = widget_options(widget)
    html_widget = without_options(widget)
    if field.field.localize:
        html_widget.is_localized = True
    base_id = field_id(field)
    errors = list(field.errors) if show_errors else []
    as_heading, size = _heading_size(options)
    widget_class = html_widget.attrs.get("class", "")
    given_describedby = html_widget.attrs.get("aria-describedby", "")

    context: dict[str, Any] = {
        "template": "govuk/fields/labelled.html",
        "id": base_id,
        "label": _label_text(field, mark_optional=options.get("mark_optional", True) is not False),
        "label_as_heading": as_heading,
        "label_classes": join_classes(
            "govuk-label",
            size and f"govuk-label--{size}",
            not show_label and "govuk-visually-hidden",
        ),
        "legend_classes": join_classes(
            "govuk-fieldset__legend",
            size and f"govuk-fieldset__legend--{size}",
            not show_label and "govuk-visually-hidden",
        ),
        "hint": field.help_text,
        "hint_id": f"{base_id}-hint" if field.help_text else "",
        "errors": errors,
        "error_id": f"{base_id}-error" if errors else "",
        "form_group_classes": join_classes(
            "govuk-form-group", errors and "govuk-form-group--error", wrapper_class
        ),
        "form_group_attrs": SafeString(""),
        "fieldset_role": "",
        "prefix": options.get("prefix") or "",
        "suffix": options.get("suffix") or "",
        "file_upload_wrapper": False,
        "count_id": "",
        "count_message": "",
    }
    describedby = join_classes(given_describedby, context["hint_id"], context["error_id"])

    if isinstance(widget, forms.CheckboxInput):
        context["template"] = "govuk/fields/checkbox.html"
        context["label"] = _label_text(field, mark_optional=False)
        context["control"] = _render_widget(
            field,
            html_widget,
            base_id,
            {
                "class": join_classes("govuk-checkboxes__input", widget_class),
                "aria-describedby": describedby,
            },
        )
    elif isinstance(widget, forms.RadioSelect):
        context["template"] = "govuk/fields/fieldset.html"
        context["describedby"] = describedby
        context["control"] = render_to_string(
            "govuk/widgets/choices.html",
            choices_context(
                widget,
                field.html_name,
                field.value(),
                base_id=base_id,
                disabled=field.field.disabled,
            ),
        )
    elif isinstance(widget, forms.MultiWidget) or widget.use_fieldset:
        context["template"] = "govuk/fields/fieldset.html"
        # GOV.UK Frontend gives a fieldset of text boxes role="group" so that JAWS reads
        # out its hint and error message.
        context["fieldset_role"] = "group"
        context["describedby"] = describedby
        extra = {}
        if isinstance(widget, GovukDateWidget):
            extra["error_parts"] = date_error_parts(field.errors.as_data()) if errors else ()
        context["control"] = _render_widget(field, html_widget, base_id, extra)
    elif isinstance(widget, forms.FileInput):
        context["file_upload_wrapper"] = options.get("javascript", True) not in (False, "false")
        context["control"] = _file_input(
            field,
            html_widget,
            base_id,
            {
                "class": join_classes(
                    "govuk-file-upload", widget_class, errors and "govuk-file-upload--error"
                ),
                "aria-describedby": describedby,
            },
        )
    elif isinstance(widget, forms.Select):
        context["control"] = _render_widget(
            field,
            html_widget,
            base_id,
            {
                "class": join_classes(
                    "govuk-select", widget_class, errors and "govuk-select--error"
                ),
                "aria-describedby": describedby,
            },
        )
    elif isinstance(widget, forms.Textarea):
        max_words = options.get("max_words")
        max_chars = None if max_words else options.get("max_chars")
        classes = ["govuk-textarea", errors and "govuk-textarea--error", widget_class]
        if max_words or max_chars:
            context["count_id"] = f"{base_id}-info"
            unit = "words" if max_words else "characters"
            context["count_message"] = f"You can enter up to {max_words or max_chars} {unit}"
            context["form_group_classes"] = join_classes(
                context["form_group_classes"], "govuk-character-count"
            )
            context["form_group_attrs"] = flat_attrs(
                {
                    "data-module": "govuk-character-count",
                    "data-maxlength": max_chars,
                    "data-maxwords": max_words,
                    "data-threshold": options.get("threshold"),
                    "data-count-type": "words" if max_words else None,
                }
            )
            classes.append("govuk-js-character-count")
            # The count lets people type past the limit and says by how much; maxlength
            # would silently cut their text off instead.
            html_widget.attrs.pop("maxlength", None)
            describedby = join_classes(
                given_describedby, context["count_id"], context["hint_id"], context["error_id"]
            )
        context["control"] = _render_widget(
            field,
            html_widget,
            base_id,
            {"class": join_classes(*classes), "aria-describedby": describedby},
        )
    else:
        attrs = {
            "class": join_classes("govuk-input", widget_class, errors and "govuk-input--error"),
            "aria-describedby": describedby,
        }
        if isinstance(widget, forms.NumberInput):
            # GOV.UK asks for numbers in text inputs: type="number" rounds and rejects
            # input silently, and its spinner is easy to nudge by accident.
            html_widget.input_type = "text"
            for attribute in ("min", "max", "step"):
                html_widget.attrs.pop(attribute, None)
            whole = not isinstance(field.field, (forms.DecimalField, forms.FloatField))
            if whole:
                attrs["inputmode"] = html_widget.attrs.get("inputmode", "numeric")
            attrs["spellcheck"] = html_widget.attrs.get("spellcheck", "false")
        elif isinstance(widget, (forms.EmailInput, forms.URLInput)):
            attrs["spellcheck"] = html_widget.attrs.get("spellcheck", "false")
        context["control"] = _render_widget(field, html_widget, base_id, attrs)
    return context


@register.simple_tag
def govuk_field(
    field: BoundField,
    show_errors: bool = True,
    show_label: bool = True,
    wrapper_class: str = "",
) -> SafeString:
    """``{% govuk_field form.email %}``: one field as a GOV.UK form group, crispy or not."""
    if field.is_hidden:
        return SafeString(str(field))
    context = govuk_field_context(
        field, show_errors=show_errors, show_label=show_label, wrapper_class=wrapper_class or ""
    )
    return render_to_string(context["template"], {"govuk": context})


@register.simple_tag
def govuk_error_summary_items(form: forms.BaseForm | None) -> list[dict[str, str]]:
    """The error summary's lines: errors for the whole form first, then each field's.

    Each field error links to the field's input (the first wrong box of a date, the
    first radio or checkbox); errors without a visible input to go to have no link.
    """
    if form is None or not getattr(form, "errors", None):
        return []
    items = [{"message": message, "href": ""} for message in form.non_field_errors()]
    for field in form:
        href = "" if field.is_hidden else f"#{field_anchor(field)}"
        items.extend({"message": message, "href": href} for message in field.errors)
    return items


@register.filter
def govuk_button_classes(button: Any) -> str:
    """GOV.UK classes for a crispy Submit or Button; css_class="secondary" or "warning" works."""
    shorthand = {
        "secondary": "govuk-button--secondary",
        "warning": "govuk-button--warning",
        "inverse": "govuk-button--inverse",
        "start": "govuk-button--start",
    }
    given = str(getattr(button, "field_classes", "")).split()
    # crispy's Submit and Button carry Bootstrap's "btn btn-primary" by default.
    kept = [shorthand.get(name, name) for name in given if not name.startswith("btn")]
    return join_classes("govuk-button", kept)

"""The crispy "govuk" template pack, GOV.UK widgets and the date field render GOV.UK markup."""

from __future__ import annotations

import datetime
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, ButtonHolder, Div, Field, Fieldset, Layout, Submit
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.middleware.csrf import get_token
from django.template import Context, Template
from django.test import RequestFactory

from microcomm.govuk import (
    GovukCheckboxSelectMultiple,
    GovukDateField,
    GovukRadioSelect,
    GovukTextarea,
)

# FormHelper reverses its form action; these tests are about markup, not the site's URLs.
urlpatterns: list = []

VOID_TAGS = {"input", "br", "hr", "img", "meta", "link"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    content: list[Element | str] = field(default_factory=list)

    @property
    def children(self) -> list[Element]:
        return [node for node in self.content if isinstance(node, Element)]

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    @property
    def text(self) -> str:
        parts = [node if isinstance(node, str) else node.text for node in self.content]
        return " ".join(" ".join(parts).split())

    def iter(self):
        for child in self.children:
            yield child
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Element]:
        wanted = {key.rstrip("_").replace("_", "-"): value for key, value in attrs.items()}
        found = []
        for element in self.iter():
            if tag and element.tag != tag:
                continue
            if all(element.attrs.get(key) == value for key, value in wanted.items()):
                found.append(element)
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag or '*'}> with {attrs} in the page"
        return found[0]

    def with_class(self, name: str) -> list[Element]:
        return [element for element in self.iter() if name in element.classes]

    def by_id(self, element_id: str) -> Element:
        return self.find(id=element_id)

    def ids(self) -> set[str]:
        return {element.attrs["id"] for element in self.iter() if element.attrs.get("id")}


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Element("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.stack[-1].content.append(element)
        if tag not in VOID_TAGS:
            self.stack.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        self.stack[-1].content.append(data)


def parse(html: str) -> Element:
    builder = TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


class ApplicationForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        help_text="As it appears on your bank statement",
        widget=forms.TextInput(attrs={"autocomplete": "name", "class": "govuk-input--width-20"}),
    )
    email = forms.EmailField(label="Email address")
    amount = forms.IntegerField(
        label="How much do you need?", widget=forms.NumberInput(attrs={"prefix": "£"})
    )
    match_rate = forms.DecimalField(label="Match funding rate", required=False)
    website = forms.URLField(label="Website", required=False, assume_scheme="https")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    summary = forms.CharField(label="Summary", widget=GovukTextarea(max_words=300))
    notes = forms.CharField(
        label="Notes", required=False, max_length=500, widget=GovukTextarea(max_chars=500)
    )
    start = GovukDateField(label="Start date", help_text="For example, 27 3 2026")
    area = forms.ChoiceField(
        label="Area", choices=[("", "Choose an area"), ("north", "North"), ("south", "South")]
    )
    had_grant = forms.ChoiceField(
        label="Have you had a grant before?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovukRadioSelect(inline=True),
    )
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("health", "Health"), ("food", "Food")],
        widget=GovukCheckboxSelectMultiple(item_hints={"food": "Including food banks"}),
    )
    agree = forms.BooleanField(label="I agree to the terms")
    plan = forms.FileField(label="Project plan", help_text="A PDF up to 10MB")

    def clean(self):
        cleaned = super().clean()
        if self.data.get("full_name") == "Nobody":
            raise forms.ValidationError("We could not check your application")
        return cleaned


VALID_DATA = {
    "full_name": "Ada Lovelace",
    "email": "ada@example.com",
    "amount": "500",
    "password": "correct horse",
    "summary": "Lunch club",
    "start_day": "27",
    "start_month": "3",
    "start_year": "2026",
    "area": "north",
    "had_grant": "no",
    "themes": ["food"],
    "agree": "on",
}


@pytest.fixture(autouse=True)
def _markup_only_urls(settings):
    settings.ROOT_URLCONF = sys.modules[__name__]


@pytest.fixture
def request_():
    return RequestFactory().post("/apply/")


def render(source: str, request, **context) -> str:
    context["csrf_token"] = get_token(request)
    return Template("{% load crispy_forms_tags %}" + source).render(Context(context))


def with_helper(form: forms.Form) -> forms.Form:
    form.helper = FormHelper()
    form.helper.add_input(Submit("submit", "Save and continue"))
    return form


def crispy_page(form: forms.Form, request) -> Element:
    return parse(render("{% crispy form %}", request, form=with_helper(form)))


def test_crispy_tag_wraps_the_fields_in_a_novalidate_post_form_with_a_csrf_token(request_):
    page = crispy_page(ApplicationForm(), request_)

    form = page.find("form")
    assert form.attrs["method"] == "post"
    assert "novalidate" in form.attrs
    assert form.attrs["enctype"] == "multipart/form-data"
    token = form.find("input", name="csrfmiddlewaretoken")
    assert token.attrs["value"]


def test_crispy_filter_renders_the_same_fields_inside_the_page_form(request_):
    html = render("{{ form|crispy }}", request_, form=ApplicationForm())
    page = parse(html)

    assert "<form" not in html
    assert page.find("label", for_="id_full_name").text == "Full name"
    assert page.by_id("id_start_day").attrs["name"] == "start_day"
    assert page.by_id("id_had_grant").attrs["type"] == "radio"


def test_text_input_label_hint_and_attributes(request_):
    page = crispy_page(ApplicationForm(), request_)

    assert page.find("label", for_="id_full_name").text == "Full name"
    hint = page.by_id("id_full_name-hint")
    assert "govuk-hint" in hint.classes
    assert hint.text == "As it appears on your bank statement"
    field_input = page.by_id("id_full_name")
    assert field_input.attrs["type"] == "text"
    assert field_input.attrs["aria-describedby"] == "id_full_name-hint"
    assert field_input.attrs["autocomplete"] == "name"
    assert field_input.classes == ["govuk-input", "govuk-input--width-20"]
    assert "required" not in field_input.attrs


def test_email_input_turns_spellcheck_off(request_):
    email = crispy_page(ApplicationForm(), request_).by_id("id_email")

    assert email.attrs["type"] == "email"
    assert email.attrs["spellcheck"] == "false"
    assert "govuk-input" in email.classes


def test_whole_numbers_use_a_text_input_with_a_numeric_keypad_and_a_prefix(request_):
    page = crispy_page(ApplicationForm(), request_)

    amount = page.by_id("id_amount")
    assert amount.attrs["type"] == "text"
    assert amount.attrs["inputmode"] == "numeric"
    wrapper = page.with_class("govuk-input__wrapper")[0]
    assert wrapper.with_class("govuk-input__prefix")[0].text == "£"
    assert wrapper.by_id("id_amount") is not None
    decimal = page.by_id("id_match_rate")
    assert decimal.attrs["type"] == "text"
    assert "inputmode" not in decimal.attrs


def test_url_and_password_inputs_keep_their_types(request_):
    page = crispy_page(ApplicationForm(), request_)

    assert page.by_id("id_website").attrs["type"] == "url"
    assert page.by_id("id_password").attrs["type"] == "password"


def test_optional_fields_are_marked_optional_and_required_ones_are_not(request_):
    page = crispy_page(ApplicationForm(), request_)

    assert page.find("label", for_="id_website").text == "Website (optional)"
    assert page.find("label", for_="id_notes").text == "Notes (optional)"
    assert page.find("label", for_="id_email").text == "Email address"


def test_word_count_textarea_renders_the_character_count_component(request_):
    page = crispy_page(ApplicationForm(), request_)

    textarea = page.by_id("id_summary")
    group = next(element for element in page.iter() if textarea in element.children)
    assert group.classes == ["govuk-form-group", "govuk-character-count"]
    assert group.attrs["data-module"] == "govuk-character-count"
    assert group.attrs["data-maxwords"] == "300"
    assert group.attrs["data-count-type"] == "words"
    assert "data-maxlength" not in group.attrs
    assert textarea.tag == "textarea"
    assert "govuk-textarea" in textarea.classes
    assert "govuk-js-character-count" in textarea.classes
    assert textarea.attrs["aria-describedby"] == "id_summary-info"
    message = page.by_id("id_summary-info")
    assert message.classes == ["govuk-hint", "govuk-character-count__message"]
    assert message.text == "You can enter up to 300 words"


def test_character_count_textarea_has_no_hard_maxlength(request_):
    page = crispy_page(ApplicationForm(), request_)

    textarea = page.by_id("id_notes")
    group = next(element for element in page.iter() if textarea in element.children)
    assert group.attrs["data-maxlength"] == "500"
    assert "data-count-type" not in group.attrs
    assert "maxlength" not in textarea.attrs
    assert page.by_id("id_notes-info").text == "You can enter up to 500 characters"


def test_date_field_renders_day_month_and_year_in_a_group_fieldset(request_):
    page = crispy_page(ApplicationForm(), request_)

    date_input = page.by_id("id_start")
    assert "govuk-date-input" in date_input.classes
    fieldset = next(element for element in page.iter() if date_input in element.children)
    assert fieldset.tag == "fieldset"
    assert fieldset.attrs["role"] == "group"
    assert fieldset.attrs["aria-describedby"] == "id_start-hint"
    assert fieldset.find("legend").text == "Start date"
    for part, width in (("day", 2), ("month", 2), ("year", 4)):
        box = page.by_id(f"id_start_{part}")
        assert box.attrs["name"] == f"start_{part}"
        assert box.attrs["inputmode"] == "numeric"
        assert f"govuk-input--width-{width}" in box.classes
        assert "govuk-date-input__input" in box.classes
        assert page.find("label", for_=f"id_start_{part}").text == part.capitalize()


def test_date_field_cleans_to_a_date_and_accepts_month_names():
    form = ApplicationForm(
        data={**VALID_DATA, "start_day": "1", "start_month": "Feb"}, files={"plan": _pdf()}
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == datetime.date(2026, 2, 1)


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "wrong_parts"),
    [
        ("", "", "", "Enter a date", {"day", "month", "year"}),
        ("31", "2", "2026", "Start date must be a real date", {"day", "month", "year"}),
        ("12", "", "2026", "Start date must include a month", {"month"}),
        ("", "", "2026", "Start date must include a day and month", {"day", "month"}),
        ("12", "13", "2026", "Start date must be a real date", {"month"}),
        ("12", "3", "26", "Year must include 4 numbers", {"year"}),
    ],
)
def test_date_errors_say_what_is_wrong_and_highlight_only_those_boxes(
    request_, day, month, year, message, wrong_parts
):
    data = {**VALID_DATA, "start_day": day, "start_month": month, "start_year": year}
    form = ApplicationForm(data=data)

    assert not form.is_valid()
    assert form.errors["start"] == [message]
    page = crispy_page(form, request_)
    error = page.by_id("id_start-error")
    assert error.text == f"Error: {message}"
    highlighted = {
        part
        for part in ("day", "month", "year")
        if "govuk-input--error" in page.by_id(f"id_start_{part}").classes
    }
    assert highlighted == wrong_parts
    first_wrong = next(part for part in ("day", "month", "year") if part in wrong_parts)
    summary = parse(render('{% include "govuk/error_summary.html" %}', request_, form=form))
    assert summary.find("a", href=f"#id_start_{first_wrong}").text == message


def test_field_error_is_shown_in_the_form_group_and_described_by_the_input(request_):
    form = ApplicationForm(data={**VALID_DATA, "email": "not an email"})
    page = crispy_page(form, request_)

    email = page.by_id("id_email")
    group = next(element for element in page.iter() if email in element.children)
    assert "govuk-form-group--error" in group.classes
    assert "govuk-input--error" in email.classes
    assert email.attrs["aria-describedby"] == "id_email-error"
    error = page.by_id("id_email-error")
    assert error.tag == "p"
    assert "govuk-error-message" in error.classes
    assert error.find("span").classes == ["govuk-visually-hidden"]
    assert error.text == "Error: Enter a valid email address."


def test_hint_and_error_are_both_described_in_order(request_):
    form = ApplicationForm(data={**VALID_DATA, "full_name": ""})

    full_name = crispy_page(form, request_).by_id("id_full_name")

    assert full_name.attrs["aria-describedby"] == "id_full_name-hint id_full_name-error"


def test_error_summary_lists_form_errors_first_and_links_field_errors_to_inputs(request_):
    form = ApplicationForm(
        data={
            **VALID_DATA,
            "full_name": "Nobody",
            "email": "",
            "had_grant": "",
            "themes": [],
            "area": "",
            "agree": "",
        }
    )
    summary = parse(render('{% include "govuk/error_summary.html" %}', request_, form=form))
    page = crispy_page(form, request_)

    box = summary.with_class("govuk-error-summary")[0]
    assert box.attrs["data-module"] == "govuk-error-summary"
    assert box.find("div", role="alert").find("h2").text == "There is a problem"
    items = box.find("ul").find_all("li")
    assert items[0].text == "We could not check your application"
    assert items[0].find_all("a") == []
    hrefs = [link.attrs["href"] for link in box.find_all("a")]
    assert hrefs == [
        "#id_email",
        "#id_area",
        "#id_had_grant",
        "#id_themes",
        "#id_agree",
        "#id_plan",
    ]
    rendered_ids = page.ids()
    for href in hrefs:
        assert href.removeprefix("#") in rendered_ids
    assert page.by_id("id_had_grant").attrs["value"] == "yes"
    assert page.by_id("id_themes").attrs["value"] == "health"


def test_error_summary_is_empty_for_unbound_and_valid_forms(request_):
    valid = ApplicationForm(data=VALID_DATA, files={"plan": _pdf()})

    assert valid.is_valid(), valid.errors
    for form in (ApplicationForm(), valid):
        html = render('{% include "govuk/error_summary.html" %}', request_, form=form)
        assert "govuk-error-summary" not in html


def test_radios_are_a_fieldset_with_a_legend_and_inline_items(request_):
    page = crispy_page(ApplicationForm(data={**VALID_DATA, "had_grant": "no"}), request_)

    radios = page.with_class("govuk-radios")[0]
    assert radios.classes == ["govuk-radios", "govuk-radios--inline"]
    assert radios.attrs["data-module"] == "govuk-radios"
    fieldset = next(element for element in page.iter() if radios in element.children)
    assert fieldset.tag == "fieldset"
    assert fieldset.find("legend").text == "Have you had a grant before?"
    yes, no = page.by_id("id_had_grant"), page.by_id("id_had_grant-2")
    assert (yes.attrs["value"], no.attrs["value"]) == ("yes", "no")
    assert "checked" not in yes.attrs
    assert "checked" in no.attrs
    assert page.find("label", for_="id_had_grant-2").text == "No"
    assert "govuk-radios__label" in page.find("label", for_="id_had_grant-2").classes


def test_checkboxes_are_a_fieldset_with_item_hints(request_):
    page = crispy_page(ApplicationForm(data={**VALID_DATA, "themes": ["food"]}), request_)

    checkboxes = page.with_class("govuk-checkboxes")[0]
    assert checkboxes.attrs["data-module"] == "govuk-checkboxes"
    fieldset = next(element for element in page.iter() if checkboxes in element.children)
    assert fieldset.find("legend").text == "Themes"
    food = page.by_id("id_themes-2")
    assert food.attrs["type"] == "checkbox"
    assert "checked" in food.attrs
    assert food.attrs["aria-describedby"] == "id_themes-2-item-hint"
    assert page.by_id("id_themes-2-item-hint").text == "Including food banks"


def test_single_boolean_checkbox_has_no_fieldset_or_legend(request_):
    page = crispy_page(ApplicationForm(), request_)

    agree = page.by_id("id_agree")
    item = next(element for element in page.iter() if agree in element.children)
    assert item.classes == ["govuk-checkboxes__item"]
    assert agree.classes == ["govuk-checkboxes__input"]
    assert page.find("label", for_="id_agree").text == "I agree to the terms"
    group = next(element for element in page.iter() if item in element.children)
    outer = next(element for element in page.iter() if group in element.children)
    assert outer.tag == "div"
    assert "govuk-form-group" in outer.classes
    assert outer.find_all("legend") == []


def test_select_has_govuk_classes_and_error_modifier(request_):
    page = crispy_page(ApplicationForm(data={**VALID_DATA, "area": ""}), request_)

    select = page.by_id("id_area")
    assert select.tag == "select"
    assert select.classes == ["govuk-select", "govuk-select--error"]
    assert page.find("label", for_="id_area").text == "Area"


def test_file_upload_uses_the_enhanced_frontend_6_markup(request_):
    page = crispy_page(ApplicationForm(), request_)

    plan = page.by_id("id_plan")
    assert plan.attrs["type"] == "file"
    assert plan.classes == ["govuk-file-upload"]
    assert plan.attrs["aria-describedby"] == "id_plan-hint"
    wrapper = next(element for element in page.iter() if plan in element.children)
    assert wrapper.classes == ["govuk-file-upload-wrapper"]
    assert wrapper.attrs["data-module"] == "govuk-file-upload"


def test_submit_buttons_are_govuk_buttons(request_):
    form = ApplicationForm()
    form.helper = FormHelper()
    form.helper.layout = Layout(
        Fieldset("Your details", "full_name", "email"),
        Div("website", css_class="app-extra"),
        HTML('<p class="govuk-body">{{ note }}</p>'),
        ButtonHolder(
            Submit("submit", "Save and continue"),
            Submit("draft", "Save as draft", css_class="govuk-button--secondary"),
        ),
    )
    page = parse(render("{% crispy form %}", request_, form=form, note="Fish & chips"))

    group = page.with_class("govuk-button-group")[0]
    primary, secondary = group.find_all("button")
    assert primary.attrs["type"] == "submit"
    assert primary.classes == ["govuk-button"]
    assert primary.attrs["data-module"] == "govuk-button"
    assert primary.text == "Save and continue"
    assert secondary.classes == ["govuk-button", "govuk-button--secondary"]
    assert secondary.attrs["name"] == "draft"
    fieldset = page.find("fieldset", class_="govuk-fieldset")
    assert "govuk-fieldset__legend" in fieldset.find("legend").classes
    assert fieldset.find("legend").text == "Your details"
    assert fieldset.by_id("id_email").tag == "input"
    assert page.find("div", class_="app-extra").by_id("id_website").tag == "input"
    assert page.find("p", class_="govuk-body").text == "Fish & chips"
    assert page.find_all("textarea") == []


def test_label_as_heading_wraps_the_label_in_an_h1(request_):
    form = ApplicationForm()
    form.helper = FormHelper()
    form.helper.layout = Layout(Field("full_name", label_as_heading=True), "had_grant")
    form.fields["had_grant"].widget.attrs["label_as_heading"] = "xl"
    page = parse(render("{% crispy form %}", request_, form=form))

    heading = page.find("h1", class_="govuk-label-wrapper")
    label = heading.find("label", for_="id_full_name")
    assert label.classes == ["govuk-label", "govuk-label--l"]
    assert "label-as-heading" not in page.by_id("id_full_name").attrs
    legend_heading = page.find("h1", class_="govuk-fieldset__heading")
    assert legend_heading.text == "Have you had a grant before?"
    assert "govuk-fieldset__legend--xl" in page.find("legend").classes


def test_govuk_widgets_render_without_crispy():
    form = ApplicationForm(initial={"start": datetime.date(2026, 3, 27), "had_grant": "yes"})

    date_input = parse(str(form["start"]))
    radios = parse(str(form["had_grant"]))
    summary = parse(str(form["summary"]))

    assert date_input.by_id("id_start_day").attrs["value"] == "27"
    assert date_input.by_id("id_start_month").attrs["value"] == "3"
    assert date_input.by_id("id_start_year").attrs["value"] == "2026"
    assert "checked" in radios.by_id("id_had_grant").attrs
    assert "inline" not in radios.by_id("id_had_grant").attrs
    assert radios.with_class("govuk-radios--inline")
    textarea = summary.find("textarea")
    assert "govuk-js-character-count" in textarea.classes
    assert "max_words" not in textarea.attrs


def test_textarea_refuses_both_word_and_character_limits():
    with pytest.raises(ValueError, match="words or characters"):
        GovukTextarea(max_words=10, max_chars=100)


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n", content_type="application/pdf")


def test_a_field_can_opt_out_of_the_optional_label():
    from django import forms
    from django.template import Context, Template

    from microcomm.govuk import GovukRadioSelect

    class SectionForm(forms.Form):
        completed = forms.ChoiceField(
            label="Have you completed this section?",
            choices=[("yes", "Yes"), ("no", "No")],
            required=False,
            widget=GovukRadioSelect(attrs={"mark_optional": False}),
        )
        note = forms.CharField(label="Anything else", required=False)

    html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
        Context({"form": SectionForm()})
    )
    assert "Have you completed this section?" in html
    assert "Have you completed this section? (optional)" not in html
    assert "Anything else (optional)" in html
    assert "mark_optional" not in html

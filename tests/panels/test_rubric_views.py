"""The scoring system's pages, as a commissioner uses them, and where groups see it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from microcomm.models import AuditEvent
from panels.models import Rubric, Scale
from rounds.models import Round
from rounds.selectors.form_builder import form_pdf_context
from rounds.services.form_builder import form_version
from tests.microcomm.factories import ThemeFactory, commissioner
from tests.panels.factories import rubric_for
from tests.rounds.factories import RoundFactory, ScheduledRoundFactory, round_with_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(commissioner())
    return client


def edit_url(round: Round) -> str:
    return reverse("panels:rubric-edit", args=[round.slug])


def detail_url(round: Round) -> str:
    return reverse("panels:rubric-detail", args=[round.slug])


def form_data(rubric: Rubric, **changes: str) -> dict[str, object]:
    """What the edit page posts for the rubric as it is stored, with some fields changed."""
    criteria = list(rubric.criteria.all())
    data: dict[str, object] = {
        "version": rubric.version,
        "count": len(criteria),
        "gate_eligibility": "on",
        "gate_due_diligence": "on",
        "pass_mark": "50",
    }
    for index, criterion in enumerate(criteria):
        prefix = f"criteria-{index}-"
        data.update(
            {
                f"{prefix}id": criterion.pk,
                f"{prefix}shown_scale": criterion.scale,
                f"{prefix}name": criterion.name,
                f"{prefix}question": criterion.question,
                f"{prefix}weight": str(criterion.weight),
                f"{prefix}scale": criterion.scale,
                f"{prefix}minimum": "",
            }
        )
        for point in criterion.points.all():
            data[f"{prefix}anchor_{point.value}"] = point.anchor
    data.update(changes)
    return data


def stored(rubric: Rubric) -> list[tuple[str, Decimal]]:
    return [(c.name, c.weight) for c in Rubric.objects.get(pk=rubric.pk).criteria.all()]


def test_the_round_page_links_to_its_scoring_system(signed_in):
    round = round_with_form()
    page = signed_in.get(reverse("rounds:round-detail", args=[round.slug])).content.decode()
    assert detail_url(round) in page
    assert "How applications will be scored" in page


def test_a_round_without_a_scoring_system_offers_the_presets(signed_in):
    round = RoundFactory()
    page = signed_in.get(detail_url(round)).content.decode()
    assert "This round has no scoring system yet" in page
    assert reverse("panels:rubric-preset", args=[round.slug]) in page
    assert signed_in.get(edit_url(round))["Location"] == reverse(
        "panels:rubric-preset", args=[round.slug]
    )


def test_choosing_a_preset_starts_the_scoring_system_and_opens_it_for_editing(signed_in):
    round = RoundFactory(tier=Round.Tier.SMALL)
    page = signed_in.get(reverse("panels:rubric-preset", args=[round.slug])).content.decode()
    assert 'value="small" checked' in page
    response = signed_in.post(
        reverse("panels:rubric-preset", args=[round.slug]), {"preset": "micro"}
    )
    assert response["Location"] == edit_url(round)
    rubric = Rubric.objects.get(round=round)
    assert [c.name for c in rubric.criteria.all()][:2] == ["Need", "Benefit to the community"]
    page = signed_in.get(edit_url(round)).content.decode()
    assert "Clear evidence from link workers or residents that people here need this" in page


def test_saving_the_scoring_system_changes_names_weights_and_anchors(signed_in):
    rubric = rubric_for(round_with_form())
    data = form_data(
        rubric,
        **{
            "criteria-0-name": "Need in the area",
            "criteria-0-weight": "35",
            "criteria-3-weight": "15",
            "criteria-0-anchor_3": "Link workers say people here need it",
            "criteria-0-minimum": "1",
        },
    )
    response = signed_in.post(edit_url(rubric.round), data)
    assert response.status_code == 302
    assert response["Location"] == detail_url(rubric.round)
    first = Rubric.objects.get(pk=rubric.pk).criteria.first()
    assert (first.name, first.weight, first.minimum) == ("Need in the area", Decimal("35"), 1)
    assert first.points.get(value=3).anchor == "Link workers say people here need it"
    page = signed_in.get(detail_url(rubric.round)).content.decode()
    assert "Link workers say people here need it" in page


def test_weights_that_do_not_add_up_save_nothing_and_say_so_beside_the_weight(signed_in):
    rubric = rubric_for(round_with_form())
    before = stored(rubric)
    response = signed_in.post(
        edit_url(rubric.round),
        form_data(rubric, **{"criteria-0-weight": "30", "criteria-1-name": "Renamed"}),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#id_criteria-0-weight"' in page
    assert "The weights must add up to 100%. They add up to 90%" in page
    assert stored(rubric) == before
    assert Rubric.objects.get(pk=rubric.pk).version == rubric.version
    assert not AuditEvent.objects.filter(verb="rubric.save").exists()


def test_a_point_without_an_anchor_saves_nothing(signed_in):
    rubric = rubric_for(round_with_form())
    before = stored(rubric)
    response = signed_in.post(
        edit_url(rubric.round),
        form_data(rubric, **{"criteria-2-anchor_1": "", "criteria-0-name": "Renamed"}),
    )
    page = response.content.decode()
    assert 'href="#id_criteria-2-anchor_1"' in page
    assert "Enter what earns 1 for Criterion" in page
    assert stored(rubric) == before


def test_a_weight_that_is_not_a_number_saves_nothing(signed_in):
    rubric = rubric_for(round_with_form())
    before = stored(rubric)
    response = signed_in.post(
        edit_url(rubric.round), form_data(rubric, **{"criteria-1-weight": "lots"})
    )
    assert "Enter a weight as a number, like 25 or 12.5" in response.content.decode()
    assert stored(rubric) == before


def test_two_people_saving_at_once_the_second_is_told_and_keeps_what_they_typed(signed_in, client):
    rubric = rubric_for(round_with_form())
    first = form_data(rubric, **{"criteria-0-name": "First person's name"})
    second = form_data(rubric, **{"criteria-0-name": "Second person's name"})
    assert signed_in.post(edit_url(rubric.round), first).status_code == 302
    response = signed_in.post(edit_url(rubric.round), second)
    page = response.content.decode()
    assert "Someone else changed the scoring system since you opened it" in page
    assert 'value="Second person&#x27;s name"' in page
    assert Rubric.objects.get(pk=rubric.pk).criteria.first().name == "First person's name"


def test_adding_a_criterion_shows_another_without_saving(signed_in):
    rubric = rubric_for(round_with_form())
    data = form_data(rubric, **{"criteria-0-name": "Typed, not saved", "add": "1"})
    page = signed_in.post(edit_url(rubric.round), data).content.decode()
    assert "Criterion 5" in page
    assert 'name="criteria-4-name"' in page
    assert 'value="Typed, not saved"' in page
    assert "There is a problem" not in page
    assert stored(rubric)[0][0] != "Typed, not saved"


def test_removing_a_criterion_and_moving_its_weight_saves_both(signed_in):
    rubric = rubric_for(round_with_form())
    data = form_data(rubric, **{"criteria-3-remove": "on", "criteria-0-weight": "50"})
    assert signed_in.post(edit_url(rubric.round), data).status_code == 302
    assert [weight for _name, weight in stored(rubric)] == [50, 30, 20]


def test_changing_a_scale_asks_for_the_new_points_anchors_before_saving(signed_in):
    rubric = rubric_for(round_with_form())
    before = stored(rubric)
    data = form_data(rubric, **{"criteria-0-scale": Scale.ZERO_TO_FIVE})
    page = signed_in.post(edit_url(rubric.round), data).content.decode()
    assert 'name="criteria-0-anchor_5"' in page
    assert "You changed the scale of criterion 1" in page
    assert Rubric.objects.get(pk=rubric.pk).criteria.first().scale == Scale.ZERO_TO_THREE
    assert stored(rubric) == before
    # The page now shows the new scale's boxes: filling them in saves the new scale.
    assert 'name="criteria-0-shown_scale" value="0-5"' in page
    data.update({"criteria-0-shown_scale": Scale.ZERO_TO_FIVE, "criteria-0-anchor_4": "Four"})
    data["criteria-0-anchor_5"] = "Five"
    assert signed_in.post(edit_url(rubric.round), data).status_code == 302
    first = Rubric.objects.get(pk=rubric.pk).criteria.first()
    assert first.scale == Scale.ZERO_TO_FIVE
    assert first.points.get(value=5).anchor == "Five"


def test_a_scheduled_round_shows_its_scoring_system_locked(signed_in):
    round = ScheduledRoundFactory()
    rubric = rubric_for(round)
    page = signed_in.get(detail_url(round)).content.decode()
    assert "The scoring system is locked because the round is open" in page
    assert edit_url(round) not in page
    response = signed_in.post(edit_url(round), form_data(rubric))
    assert response.status_code == 403
    assert "The scoring system is locked" in response.content.decode()
    assert Rubric.objects.get(pk=rubric.pk).version == rubric.version


def test_the_public_page_and_the_form_pdf_show_how_we_will_score(client):
    theme = ThemeFactory(name="Loneliness")
    round = ScheduledRoundFactory(priority_themes=[theme])
    rubric = rubric_for(round)
    first = rubric.criteria.first()
    first.rewards_priorities = [f"theme:{theme.pk}"]
    first.save()
    page = client.get(reverse("rounds:round-public-detail", args=[round.slug])).content.decode()
    assert "How we will score" in page
    assert f"{first.name} (40% of the marks)" in page
    assert "It rewards these priorities of the round: Loneliness." in page
    assert "0: anchor" in page
    pdf_html = render_to_string("pdf/form_questions.html", form_pdf_context(round=round))
    assert "How we will score" in pdf_html
    assert f"{first.name} (40% of the marks)" in pdf_html


def test_a_changed_scoring_system_makes_a_new_form_pdf(signed_in):
    rubric = rubric_for(round_with_form())
    before = form_version(round=rubric.round)
    signed_in.post(edit_url(rubric.round), form_data(rubric, **{"criteria-0-name": "Renamed"}))
    assert form_version(round=rubric.round) != before

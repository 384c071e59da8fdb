"""The pages of conflicts and scoring: what a member and a commissioner see and can do."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from microcomm.models import OutboundEmail
from panels.models import ConflictDeclaration, Score, Scorecard
from panels.selectors.conflicts import applying_organisations
from panels.selectors.scoring import rubric_criteria
from panels.services.conflicts import conflicts_declare
from panels.services.scoring import STALE, scorecard_submit
from rounds.models import Question
from tests.applications.factories import (
    AnswerFactory,
    BudgetLineFactory,
    DocumentFactory,
    SubmittedApplicationFactory,
)
from tests.microcomm.factories import PDF_BYTES, UserFactory, WardFactory, commissioner
from tests.panels.factories import PanelFactory, PanelMemberFactory, ScorecardFactory, rubric_for
from tests.rounds.factories import FormSectionFactory, QuestionFactory

pytestmark = pytest.mark.django_db

NONE = ConflictDeclaration.Interest.NONE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def panel():
    panel = PanelFactory(scorers_per_application=2)
    rubric_for(panel.round)
    return panel


def _declared(member):
    """The member declares no interest in any group applying to the round so far."""
    conflicts_declare(
        member=member,
        answers={
            organisation.pk: (NONE, "")
            for organisation in applying_organisations(panel=member.panel)
        },
        actor=member.user,
    )


def _scorecard(panel, *, application=None, name="Lay Member"):
    member = PanelMemberFactory(panel=panel, user=UserFactory(full_name=name))
    card = ScorecardFactory(
        member=member, application=application or SubmittedApplicationFactory(round=panel.round)
    )
    _declared(member)
    return card


def _detail_url(card):
    return reverse(
        "panels:scorecard-detail", kwargs={"slug": card.member.panel.round.slug, "pk": card.pk}
    )


def _post_scores(criteria, values, *, version=1, action="save", comment="A comment"):
    data = {"version": str(version), "action": action}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"criterion-{criterion.pk}-value"] = "" if value is None else str(value)
        data[f"criterion-{criterion.pk}-comment"] = comment
    return data


# Declaring interests.


def test_a_member_who_has_not_declared_is_sent_to_declare_first(client, panel):
    member = PanelMemberFactory(panel=panel)
    SubmittedApplicationFactory(round=panel.round)
    client.force_login(member.user)

    response = client.get(reverse("panels:scorer-list", kwargs={"slug": panel.round.slug}))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "panels:conflict-declare", kwargs={"slug": panel.round.slug}
    )


def test_an_interest_without_a_description_is_explained_and_nothing_is_saved(client, panel):
    member = PanelMemberFactory(panel=panel)
    application = SubmittedApplicationFactory(round=panel.round)
    organisation = application.organisation
    client.force_login(member.user)
    url = reverse("panels:conflict-declare", kwargs={"slug": panel.round.slug})

    response = client.post(
        url,
        {f"org-{organisation.pk}-declared": "yes", f"org-{organisation.pk}-interest": "trustee"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"Describe your interest in {organisation.name}" in page
    assert not ConflictDeclaration.objects.exists()


def test_a_member_declares_an_interest_and_is_then_sent_to_their_list(client, panel):
    member = PanelMemberFactory(panel=panel)
    application = SubmittedApplicationFactory(round=panel.round)
    organisation = application.organisation
    client.force_login(member.user)

    response = client.post(
        reverse("panels:conflict-declare", kwargs={"slug": panel.round.slug}),
        {
            f"org-{organisation.pk}-declared": "yes",
            f"org-{organisation.pk}-interest": "helped_write",
            f"org-{organisation.pk}-description": "I helped them write it",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("panels:scorer-list", kwargs={"slug": panel.round.slug})
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.interest, declaration.description) == (
        "helped_write",
        "I helped them write it",
    )


def test_a_commissioner_records_an_interest_and_the_register_shows_it(client, panel):
    member = PanelMemberFactory(panel=panel, user=UserFactory(full_name="Pat Lay"))
    application = SubmittedApplicationFactory(round=panel.round)
    organisation = application.organisation
    client.force_login(commissioner(full_name="Chris Commissioner"))

    client.post(
        reverse(
            "panels:conflict-record", kwargs={"slug": panel.round.slug, "member_pk": member.pk}
        ),
        {
            f"org-{organisation.pk}-declared": "yes",
            f"org-{organisation.pk}-interest": "family",
            f"org-{organisation.pk}-description": "Her sister runs it",
        },
    )
    page = client.get(
        reverse("panels:conflict-register", kwargs={"slug": panel.round.slug})
    ).content.decode()

    assert "Pat Lay" in page
    assert "Her sister runs it" in page
    assert "recorded by Chris Commissioner" in page


# The scoring page.


def test_the_scoring_page_shows_the_application_beside_the_anchored_rubric(client, panel):
    card = _scorecard(panel)
    question = QuestionFactory(
        section=FormSectionFactory(round=panel.round), kind=Question.Kind.FILE, required=False
    )
    document = DocumentFactory(
        organisation=card.application.organisation,
        title="Our constitution",
        file=ContentFile(PDF_BYTES, name="constitution.pdf"),
    )
    AnswerFactory(application=card.application, question=question, value=None, document=document)
    BudgetLineFactory(application=card.application, item="Hall hire", amount=Decimal("120"))
    client.force_login(card.member.user)

    response = client.get(_detail_url(card))

    page = response.content.decode()
    criterion = rubric_criteria(round_id=panel.round_id)[0]
    assert criterion.name in page
    assert "3: 3: anchor" in page
    assert "Hall hire" in page
    download = reverse(
        "panels:scorecard-document",
        kwargs={"slug": panel.round.slug, "pk": card.pk, "doc_pk": document.pk},
    )
    assert download in page
    file_response = client.get(download)
    assert file_response.status_code == 200
    assert b"".join(file_response.streaming_content) == PDF_BYTES


def test_a_document_of_another_group_is_not_found(client, panel):
    card = _scorecard(panel)
    other = DocumentFactory()
    client.force_login(card.member.user)

    response = client.get(
        reverse(
            "panels:scorecard-document",
            kwargs={"slug": panel.round.slug, "pk": card.pk, "doc_pk": other.pk},
        )
    )

    assert response.status_code == 404


def test_a_conflicted_member_finds_neither_the_application_nor_its_documents(client, panel):
    card = _scorecard(panel)
    card.status = Scorecard.Status.IN_PROGRESS
    card.save()
    document = DocumentFactory(organisation=card.application.organisation)
    ConflictDeclaration.objects.filter(member=card.member).update(
        interest="trustee", description="Trustee"
    )
    client.force_login(card.member.user)

    assert client.get(_detail_url(card)).status_code == 404
    assert client.post(_detail_url(card), {}).status_code == 404
    document_url = reverse(
        "panels:scorecard-document",
        kwargs={"slug": panel.round.slug, "pk": card.pk, "doc_pk": document.pk},
    )
    assert client.get(document_url).status_code == 404
    listing = client.get(reverse("panels:scorer-list", kwargs={"slug": panel.round.slug}))
    assert card.application.reference not in listing.content.decode()


def test_a_score_outside_the_scale_is_explained_and_nothing_is_saved(client, panel):
    card = _scorecard(panel)
    criteria = rubric_criteria(round_id=panel.round_id)
    client.force_login(card.member.user)

    response = client.post(_detail_url(card), _post_scores(criteria, [7, 1, 1, 1]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f"Choose a score for {criteria[0].name} from 0 to 3" in page
    assert not Score.objects.exists()
    card.refresh_from_db()
    assert (card.status, card.version) == (Scorecard.Status.NOT_STARTED, 1)


def test_saving_from_two_tabs_keeps_the_first_and_tells_the_second(client, panel):
    card = _scorecard(panel)
    criteria = rubric_criteria(round_id=panel.round_id)
    client.force_login(card.member.user)

    first = client.post(_detail_url(card), _post_scores(criteria, [3, 3, None, None]))
    second = client.post(_detail_url(card), _post_scores(criteria, [0, 0, 0, None]))

    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert STALE.split(".")[0] in page
    assert list(Score.objects.order_by("criterion__position").values_list("value", flat=True)) == [
        3,
        3,
        None,
        None,
    ]
    # The second tab keeps what was chosen there and may save it after checking.
    assert f'name="criterion-{criteria[2].pk}-value" type="radio" value="0" checked' in page
    again = client.post(_detail_url(card), _post_scores(criteria, [0, 0, 0, None], version=2))
    assert again.status_code == 302
    assert Score.objects.filter(value=0).count() == 3


def test_two_scorers_saving_at_once_both_keep_their_scores(client, panel):
    application = SubmittedApplicationFactory(round=panel.round)
    first = _scorecard(panel, application=application, name="First Scorer")
    second = _scorecard(panel, application=application, name="Second Scorer")
    criteria = rubric_criteria(round_id=panel.round_id)

    for card, value in ((first, 1), (second, 2)):
        client.force_login(card.member.user)
        response = client.post(_detail_url(card), _post_scores(criteria, [value] * 4))
        assert response.status_code == 302

    assert set(Score.objects.filter(scorecard=first).values_list("value", flat=True)) == {1}
    assert set(Score.objects.filter(scorecard=second).values_list("value", flat=True)) == {2}


def test_submitting_scores_shows_them_as_scored_with_the_weighted_score(client, panel):
    card = _scorecard(panel)
    criteria = rubric_criteria(round_id=panel.round_id)
    client.force_login(card.member.user)

    response = client.post(
        _detail_url(card), _post_scores(criteria, [3, 3, 3, 3], action="submit"), follow=True
    )

    page = response.content.decode()
    assert f"Your scores for {card.application.reference} are submitted" in page
    assert "Scored" in page
    card.refresh_from_db()
    assert card.weighted_score == Decimal("100.00")
    detail = client.get(_detail_url(card)).content.decode()
    assert "100.00 out of 100" in detail
    assert "Submit your scores" not in detail


def test_others_scores_are_hidden_until_submitting_and_never_named(client, panel):
    panel.scores_shared_before_meeting = True
    panel.save()
    application = SubmittedApplicationFactory(round=panel.round)
    mine = _scorecard(panel, application=application, name="Me Scorer")
    theirs = _scorecard(panel, application=application, name="Secret Scorer")
    criteria = rubric_criteria(round_id=panel.round_id)
    scorecard_submit(
        scorecard=theirs,
        given={criterion.pk: (1, "") for criterion in criteria},
        version=1,
        actor=theirs.member.user,
    )
    client.force_login(mine.member.user)

    before = client.get(_detail_url(mine)).content.decode()
    client.post(_detail_url(mine), _post_scores(criteria, [3, 3, 3, 3], action="submit"))
    after = client.get(_detail_url(mine)).content.decode()

    assert "Other scorers" not in before
    assert "Scorer 1" in after
    assert "33.33" in after
    assert "Secret Scorer" not in after


def test_others_scores_stay_hidden_when_the_panel_does_not_share_them(client, panel):
    application = SubmittedApplicationFactory(round=panel.round)
    mine = _scorecard(panel, application=application)
    criteria = rubric_criteria(round_id=panel.round_id)
    client.force_login(mine.member.user)
    client.post(_detail_url(mine), _post_scores(criteria, [3, 3, 3, 3], action="submit"))

    assert "Other scorers" not in client.get(_detail_url(mine)).content.decode()


# Commissioners: assignment and looking again.


def test_a_commissioner_assigns_and_sees_each_application_with_its_scorers(client, panel):
    for number in range(3):
        PanelMemberFactory(panel=panel, user=UserFactory(full_name=f"Scorer {number}"))
    applications = [SubmittedApplicationFactory(round=panel.round) for _ in range(3)]
    client.force_login(commissioner())
    url = reverse("panels:scorecards-assign", kwargs={"slug": panel.round.slug})

    response = client.post(url, {"how": "balanced"}, follow=True)

    page = response.content.decode()
    assert "6 assignments made" in page
    for application in applications:
        assert application.reference in page
    assert "Needs 2 scorers" not in page
    assert Scorecard.objects.count() == 6


def test_asking_to_look_again_emails_the_scorer(client, panel):
    card = _scorecard(panel)
    criteria = rubric_criteria(round_id=panel.round_id)
    scorecard_submit(
        scorecard=card,
        given={criterion.pk: (3, "") for criterion in criteria},
        version=1,
        actor=card.member.user,
    )
    client.force_login(commissioner())
    url = reverse("panels:score-look-again", kwargs={"slug": panel.round.slug, "pk": card.pk})

    empty = client.post(url, {"note": ""})
    asked = client.post(url, {"criterion": criteria[1].pk, "note": "Is there evidence of need?"})

    assert "Say what you would like the scorer to look at again" in empty.content.decode()
    assert asked.status_code == 302
    card.refresh_from_db()
    assert card.status == Scorecard.Status.LOOK_AGAIN
    email = OutboundEmail.objects.get(to=card.member.user.email)
    assert "Is there evidence of need?" in email.body_text


# Query budgets.


def _many(panel, member, count):
    applications = [SubmittedApplicationFactory(round=panel.round) for _ in range(count)]
    for application in applications:
        ScorecardFactory(member=member, application=application)
    return applications


def test_the_scorer_list_costs_the_same_for_two_or_forty_applications(
    client, panel, django_assert_max_num_queries
):
    small, large = PanelMemberFactory(panel=panel), PanelMemberFactory(panel=panel)
    _many(panel, small, 2)
    _many(panel, large, 40)
    _declared(small)
    _declared(large)
    url = reverse("panels:scorer-list", kwargs={"slug": panel.round.slug})

    for member in (small, large):
        client.force_login(member.user)
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.status_code == 200


def test_the_scoring_page_costs_the_same_for_a_small_and_a_large_application(
    client, panel, django_assert_max_num_queries
):
    small = _scorecard(panel)
    large = _scorecard(panel)
    section = FormSectionFactory(round=panel.round)
    for number in range(15):
        question = QuestionFactory(section=section, label=f"Question {number}")
        AnswerFactory(application=large.application, question=question, value=f"Answer {number}")
        BudgetLineFactory(application=large.application)
        DocumentFactory(organisation=large.application.organisation)
    # The kinds of question whose answers need words from elsewhere: priorities and places.
    priorities = QuestionFactory(section=section, kind=Question.Kind.PRIORITIES, label="Aims")
    places = QuestionFactory(section=section, kind=Question.Kind.LOCALITIES, label="Where")
    ward = WardFactory()
    panel.round.priority_localities.add(ward)
    AnswerFactory(application=large.application, question=priorities, value=[f"locality:{ward.pk}"])
    AnswerFactory(application=large.application, question=places, value=[ward.pk])
    for _other in range(6):
        ScorecardFactory(member=PanelMemberFactory(panel=panel), application=large.application)
    _declared(small.member)

    for card in (small, large):
        client.force_login(card.member.user)
        with django_assert_max_num_queries(12):
            response = client.get(_detail_url(card))
        assert response.status_code == 200
    assert f"People in {ward.name}" in response.content.decode()

"""A link worker's help with a group's draft: the group is told, and can end it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from applications.models import Application
from applications.services import applying as services
from microcomm.errors import DomainError
from microcomm.models import AuditEvent, Membership, Notification, OutboundEmail
from tests.microcomm.factories import UserFactory, group_with_member, link_worker
from tests.rounds.factories import OpenRoundFactory, micro_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    """A group of two with its own draft, and a link worker from outside the group."""
    round = OpenRoundFactory()
    questions = micro_form(round)
    owner = group_with_member()
    other = UserFactory()
    Membership.objects.create(
        user=other, organisation=owner.organisation, role=Membership.Role.EDITOR
    )
    application = services.application_start(
        round=round, organisation=owner.organisation, actor=owner.user
    )
    return {
        "round": round,
        "questions": questions,
        "application": application,
        "members": [owner.user, other],
        "helper": link_worker(full_name="Lou Helper"),
    }


def _emails_to(user, containing: str) -> list[OutboundEmail]:
    return list(OutboundEmail.objects.filter(to=user.email, subject__contains=containing))


def _save(draft, actor, text: str) -> None:
    services.answers_save(
        application=draft["application"],
        values={draft["questions"]["name"].pk: text},
        versions={},
        actor=actor,
        autosave=True,
    )


def test_every_member_is_told_once_when_a_link_worker_starts_helping(draft):
    application = services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=draft["helper"],
        assisted=True,
    )
    assert application.pk == draft["application"].pk
    assert application.assisted_by == draft["helper"]
    for member in draft["members"]:
        emails = _emails_to(member, "Lou Helper is helping with your application")
        assert len(emails) == 1
        assert f"/applications/{application.pk}/" in emails[0].body_text
        assert member.notifications.filter(subject__contains="is helping").count() == 1


def test_the_first_change_by_the_link_worker_is_told_once_not_per_autosave(draft):
    services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=draft["helper"],
        assisted=True,
    )
    for text in ("Bridge Club", "Bridge Club Tuesdays", "Bridge Club Thursdays"):
        _save(draft, draft["helper"], text)
    for member in draft["members"]:
        assert len(_emails_to(member, "Lou Helper has changed your application")) == 1
        assert member.notifications.filter(subject__contains="has changed").count() == 1


def test_changes_by_the_group_itself_tell_nobody(draft):
    _save(draft, draft["members"][0], "Bridge Club")
    assert not OutboundEmail.objects.filter(subject__contains="changed").exists()


def test_a_member_ends_the_help_and_the_link_worker_is_told(draft):
    helper = draft["helper"]
    application = services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=helper,
        assisted=True,
    )
    member = draft["members"][1]
    services.application_assistance_end(application=application, actor=member)
    application.refresh_from_db()
    assert application.assisted_by is None
    assert AuditEvent.objects.filter(
        verb="application.assistance_end", actor=member, target_id=str(application.pk)
    ).exists()
    told = _emails_to(helper, "no longer needs your help")
    assert len(told) == 1
    assert member.full_name in told[0].body_text
    with pytest.raises(DomainError):
        _save(draft, helper, "Rewritten by the link worker")


def test_a_new_spell_of_help_is_told_again(draft):
    helper = draft["helper"]
    organisation = draft["application"].organisation
    services.application_start(
        round=draft["round"], organisation=organisation, actor=helper, assisted=True
    )
    _save(draft, helper, "Bridge Club")
    services.application_assistance_end(application=draft["application"], actor=draft["members"][0])
    services.application_start(
        round=draft["round"], organisation=organisation, actor=helper, assisted=True
    )
    _save(draft, helper, "Bridge Club again")
    member = draft["members"][1]
    assert len(_emails_to(member, "is helping")) == 2
    assert len(_emails_to(member, "has changed")) == 2


def test_only_members_can_end_the_help(draft):
    helper = draft["helper"]
    application = services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=helper,
        assisted=True,
    )
    with pytest.raises(DomainError, match="Only the group's members"):
        services.application_assistance_end(application=application, actor=helper)
    assert Application.objects.get(pk=application.pk).assisted_by == helper


def test_the_application_page_offers_members_to_end_the_help(client, draft):
    helper = draft["helper"]
    application = services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=helper,
        assisted=True,
    )
    member = draft["members"][0]
    client.force_login(member)
    page = client.get(reverse("applications:application-detail", args=[application.pk]))
    end_url = reverse("applications:application-assistance-end", args=[application.pk])
    assert end_url in page.content.decode()
    assert "End Lou Helper’s help" in page.content.decode()
    confirm = client.get(end_url)
    assert confirm.status_code == 200
    done = client.post(end_url, follow=True)
    assert "Lou Helper is no longer helping with this application." in done.content.decode()
    assert Application.objects.get(pk=application.pk).assisted_by is None
    client.force_login(helper)
    gone = client.get(reverse("applications:application-detail", args=[application.pk]))
    assert gone.status_code == 404


def test_the_demo_tells_its_groups_in_the_app_only(draft):
    services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=draft["helper"],
        assisted=True,
        email=False,
    )
    _save(draft, draft["helper"], "Bridge Club")
    _save(draft, draft["helper"], "Bridge Club Tuesdays")
    assert not OutboundEmail.objects.exists()
    member = draft["members"][0]
    assert Notification.objects.filter(user=member, subject__contains="is helping").count() == 1
    assert Notification.objects.filter(user=member, subject__contains="has changed").count() == 1


def _assist(client, draft, **extra):
    return client.post(
        reverse("applications:application-assist-start"),
        {"round": draft["round"].pk, "organisation": draft["application"].organisation.pk, **extra},
    )


def test_assisting_a_group_that_has_a_draft_says_so_and_offers_to_help(client, draft):
    client.force_login(draft["helper"])

    asked = _assist(client, draft)
    joined = _assist(client, draft, join="1")

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "already has an application to this round" in page
    assert "Help with this application" in page
    assert joined.status_code == 302
    assert joined["Location"] == reverse(
        "applications:application-detail", args=[draft["application"].pk]
    )
    assert Application.objects.get(pk=draft["application"].pk).assisted_by == draft["helper"]
    assert client.get(joined["Location"]).status_code == 200


def test_assisting_a_group_another_link_worker_helps_says_who_and_changes_nothing(client, draft):
    services.application_start(
        round=draft["round"],
        organisation=draft["application"].organisation,
        actor=draft["helper"],
        assisted=True,
    )
    client.force_login(link_worker(full_name="Sam Second"))

    response = _assist(client, draft, join="1")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lou Helper, a link worker, is helping the group with it" in page
    assert "Help with this application" not in page
    assert Application.objects.get(pk=draft["application"].pk).assisted_by == draft["helper"]


def test_assisting_a_group_that_has_submitted_says_so(client, draft):
    Application.objects.filter(pk=draft["application"].pk).update(
        status=Application.Status.SUBMITTED
    )
    client.force_login(draft["helper"])

    response = _assist(client, draft)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The group submitted it" in page
    assert "Open the application" not in page
    assert Application.objects.get(pk=draft["application"].pk).assisted_by is None

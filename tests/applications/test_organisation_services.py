import datetime

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.utils import timezone

from applications.models import OrganisationDocument, OrganisationInvitation, OrganisationProfile
from applications.selectors.organisations import (
    documents_current,
    documents_needing_attention,
    expiry_flag,
)
from applications.services.organisations import (
    LAST_OWNER_MESSAGE,
    document_delete,
    document_replace,
    document_upload,
    invitation_accept,
    member_change_role,
    member_invite,
    member_remove,
    organisation_create,
    organisation_profile_update,
)
from microcomm.errors import DomainError
from microcomm.models import AuditEvent, LegalForm, Membership
from tests.applications.factories import DocumentFactory, group_with_owner
from tests.microcomm.factories import ELF_BYTES, PNG_BYTES, MembershipFactory, UserFactory, upload

pytestmark = pytest.mark.django_db


def test_creating_a_group_makes_the_creator_its_owner():
    user = UserFactory()
    organisation = organisation_create(
        name="  Abbey   Fields Walkers ", legal_form=LegalForm.UNINCORPORATED, actor=user
    )
    assert organisation.name == "Abbey Fields Walkers"
    assert Membership.objects.get(organisation=organisation).role == Membership.Role.OWNER
    assert OrganisationProfile.objects.filter(organisation=organisation).exists()
    assert AuditEvent.objects.filter(verb="organisation.create", actor=user).count() == 1


def test_a_duplicate_group_name_is_refused_whatever_its_case():
    organisation_create(name="Canal Side Shed", legal_form=LegalForm.CIO, actor=UserFactory())
    with pytest.raises(DomainError) as caught:
        organisation_create(name="canal side shed", legal_form=LegalForm.CIO, actor=UserFactory())
    assert caught.value.field == "name"
    assert "already exists" in caught.value.message


def test_profile_update_saves_the_fields_and_audits_their_names_only():
    organisation, owner = group_with_owner(legal_form=LegalForm.CHARITY)
    organisation_profile_update(
        organisation=organisation,
        changes={"description": "We walk", "postcode": "S80 2AB", "main_contact_name": "Jo"},
        actor=owner,
    )
    organisation.refresh_from_db()
    assert organisation.description == "We walk"
    assert organisation.profile.postcode == "S80 2AB"
    event = AuditEvent.objects.get(verb="organisation.profile_update")
    assert event.detail == {"fields": ["description", "main_contact_name", "postcode"]}
    assert "Jo" not in str(event.detail)


def test_an_unconstituted_group_needs_an_unrelated_second_contact():
    organisation, owner = group_with_owner(legal_form=LegalForm.UNINCORPORATED)
    with pytest.raises(DomainError) as caught:
        organisation_profile_update(
            organisation=organisation, changes={"main_contact_name": "Jo"}, actor=owner
        )
    assert caught.value.field == "second_contact_name"
    organisation_profile_update(
        organisation=organisation,
        changes={
            "main_contact_name": "Jo",
            "second_contact_name": "Sam",
            "second_contact_unrelated": True,
        },
        actor=owner,
    )
    assert OrganisationProfile.objects.get(organisation=organisation).second_contact_name == "Sam"


def test_a_bank_account_number_in_the_account_name_is_refused():
    organisation, owner = group_with_owner(legal_form=LegalForm.CHARITY)
    with pytest.raises(DomainError) as caught:
        organisation_profile_update(
            organisation=organisation,
            changes={"has_bank_account": True, "bank_account_name": "Walkers 12345678"},
            actor=owner,
        )
    assert caught.value.message == "Do not enter your account number or sort code"
    assert OrganisationProfile.objects.get(organisation=organisation).bank_account_name == ""


def test_the_last_owner_cannot_be_removed_or_demoted():
    organisation, owner = group_with_owner()
    membership = Membership.objects.get(user=owner)
    with pytest.raises(DomainError, match=LAST_OWNER_MESSAGE):
        member_remove(membership=membership, actor=owner)
    with pytest.raises(DomainError, match=LAST_OWNER_MESSAGE):
        member_change_role(membership=membership, role=Membership.Role.EDITOR, actor=owner)
    assert Membership.objects.get(user=owner).role == Membership.Role.OWNER
    assert LAST_OWNER_MESSAGE == "A group must have at least one owner"


def test_with_two_owners_one_can_step_down_and_editors_can_be_removed():
    organisation, owner = group_with_owner()
    second = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER)
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    member_change_role(membership=second, role=Membership.Role.EDITOR, actor=owner)
    member_remove(membership=editor, actor=owner)
    assert dict(Membership.objects.values_list("user_id", "role")) == {
        owner.pk: Membership.Role.OWNER,
        second.user_id: Membership.Role.EDITOR,
    }


def test_editors_cannot_manage_members():
    organisation, owner = group_with_owner()
    editor = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR)
    with pytest.raises(DomainError, match="Only the group's owners"):
        member_remove(membership=Membership.objects.get(user=owner), actor=editor.user)
    with pytest.raises(DomainError):
        member_invite(
            organisation=organisation, email="a@example.org", role="owner", actor=editor.user
        )


def test_an_invitation_emails_a_link_that_the_invited_person_accepts(
    django_capture_on_commit_callbacks,
):
    organisation, owner = group_with_owner()
    with django_capture_on_commit_callbacks(execute=True):
        invitation = member_invite(
            organisation=organisation, email=" New.Person@Example.org ", role="editor", actor=owner
        )
    assert invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[0].body
    assert organisation.name in mail.outbox[0].subject

    invitee = UserFactory(email="new.person@example.org")
    membership = invitation_accept(token=invitation.token, actor=invitee)
    assert membership.role == Membership.Role.EDITOR
    assert membership.organisation == organisation
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    with pytest.raises(DomainError, match="already been used"):
        invitation_accept(token=invitation.token, actor=invitee)


def test_someone_signed_in_with_another_email_cannot_accept():
    organisation, owner = group_with_owner()
    invitation = member_invite(
        organisation=organisation, email="invited@example.org", role="owner", actor=owner
    )
    stranger = UserFactory(email="someone.else@example.org")
    with pytest.raises(DomainError) as caught:
        invitation_accept(token=invitation.token, actor=stranger)
    assert "This invitation was sent to invited@example.org" in caught.value.message
    assert not Membership.objects.filter(user=stranger).exists()


def test_a_new_invitation_cancels_the_pending_one_and_old_ones_expire():
    organisation, owner = group_with_owner()
    first = member_invite(
        organisation=organisation, email="a@example.org", role="editor", actor=owner
    )
    second = member_invite(
        organisation=organisation, email="a@example.org", role="owner", actor=owner
    )
    first.refresh_from_db()
    assert first.cancelled_at is not None
    OrganisationInvitation.objects.filter(pk=second.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    with pytest.raises(DomainError, match="expired"):
        invitation_accept(token=second.token, actor=UserFactory(email="a@example.org"))


def test_inviting_an_existing_member_is_refused():
    organisation, owner = group_with_owner()
    with pytest.raises(DomainError) as caught:
        member_invite(
            organisation=organisation, email=owner.email.upper(), role="editor", actor=owner
        )
    assert caught.value.field == "email"


def test_an_upload_is_stored_privately_under_a_random_name():
    organisation, owner = group_with_owner()
    document = document_upload(
        organisation=organisation,
        kind=OrganisationDocument.Kind.SAFEGUARDING,
        upload=upload("../../etc/Safeguarding policy.png", PNG_BYTES),
        actor=owner,
    )
    assert document.original_name == "Safeguarding policy.png"
    assert document.title == "Safeguarding policy"
    assert document.content_type == "image/png"
    assert "Safeguarding" not in document.file.name
    assert document.file.name.endswith(".png")
    assert default_storage.exists(document.file.name)


def test_an_executable_is_refused_and_nothing_is_stored():
    organisation, owner = group_with_owner()
    with pytest.raises(DomainError) as caught:
        document_upload(
            organisation=organisation, kind="other", upload=upload("a.pdf", ELF_BYTES), actor=owner
        )
    assert caught.value.field == "file"
    assert not OrganisationDocument.objects.exists()


def test_insurance_needs_an_expiry_date():
    organisation, owner = group_with_owner()
    with pytest.raises(DomainError) as caught:
        document_upload(organisation=organisation, kind="insurance", upload=upload(), actor=owner)
    assert caught.value.field == "expires_on"


def test_replacing_a_document_keeps_the_old_one_as_history():
    organisation, owner = group_with_owner()
    old = document_upload(organisation=organisation, kind="equality", upload=upload(), actor=owner)
    new = document_replace(document=old, upload=upload("new.png", PNG_BYTES), actor=owner)
    old.refresh_from_db()
    assert old.replaced_at is not None
    assert default_storage.exists(old.file.name)
    assert list(documents_current(organisation=organisation)) == [new]
    assert new.kind == "equality"
    with pytest.raises(DomainError, match="already been replaced"):
        document_replace(document=old, upload=upload(), actor=owner)


def test_deleting_an_unused_document_removes_the_file(django_capture_on_commit_callbacks):
    organisation, owner = group_with_owner()
    document = document_upload(
        organisation=organisation, kind="other", upload=upload(), actor=owner
    )
    name = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document, actor=owner)
    assert not OrganisationDocument.objects.exists()
    assert not default_storage.exists(name)


def test_expiring_insurance_is_flagged_60_days_ahead_and_when_past():
    today = datetime.date(2027, 1, 11)
    soon = DocumentFactory.build(expires_on=datetime.date(2027, 3, 12))
    later = DocumentFactory.build(expires_on=datetime.date(2027, 3, 13))
    past = DocumentFactory.build(expires_on=datetime.date(2027, 1, 10))
    assert expiry_flag(soon, today=today).text == "Expires 12 March 2027"
    assert expiry_flag(later, today=today) is None
    assert expiry_flag(past, today=today).text == "Expired"
    assert expiry_flag(past, today=today).expired


def test_documents_needing_attention_are_the_members_current_expiring_ones():
    organisation, owner = group_with_owner()
    today = timezone.localdate()
    expiring = DocumentFactory(
        organisation=organisation, kind="insurance", expires_on=today + datetime.timedelta(days=10)
    )
    DocumentFactory(
        organisation=organisation,
        kind="insurance",
        expires_on=today - datetime.timedelta(days=1),
        replaced_at=timezone.now(),
    )
    DocumentFactory(kind="insurance", expires_on=today)  # another group's
    assert documents_needing_attention(user=owner) == [expiring]

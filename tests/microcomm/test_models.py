import pytest
from django.core.exceptions import ValidationError

from microcomm.audit import audit_record
from microcomm.models import AuditEvent, Locality, locality_code_problem
from tests.microcomm.factories import LocalityFactory, UserFactory
from tests.rounds.factories import NeedFactory


@pytest.mark.parametrize(
    ("kind", "code", "ok"),
    [
        ("pcn", "U12345", True),
        ("pcn", "U1234", False),
        ("pcn", "u12345", False),
        ("pcn", "E05001234", False),
        ("ward", "E05001234", True),
        ("ward", "E0500123", False),
        ("ward", "E01001234", False),
        ("lsoa", "E01012345", True),
        ("lsoa", "E0101234X", False),
        ("neighbourhood", "", True),
        ("neighbourhood", "E01012345", True),
        ("neighbourhood", "banana", False),
    ],
)
def test_locality_code_formats(kind, code, ok):
    assert (locality_code_problem(kind, code) is None) is ok


@pytest.mark.django_db
def test_locality_clean_names_the_expected_format():
    locality = LocalityFactory.build(kind=Locality.Kind.PCN, code="12345")
    with pytest.raises(ValidationError) as error:
        locality.full_clean()
    assert "U followed by 5 digits" in str(error.value.message_dict["code"])


@pytest.mark.django_db
def test_audit_events_are_append_only():
    actor = UserFactory()
    event = audit_record(actor=actor, verb="user.sign_up", target=actor, reason="because")
    assert AuditEvent.objects.get().target == actor
    event.reason = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(reason="rewritten")
    assert AuditEvent.objects.get().reason == "because"


@pytest.mark.django_db
def test_deleting_an_account_keeps_what_the_person_did_without_their_name():
    person = UserFactory()
    event = audit_record(actor=person, verb="user.sign_up", target=person)
    need = NeedFactory(recorded_by=person)
    person.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor is None
    need.refresh_from_db()
    assert need.recorded_by is None
    assert need.title

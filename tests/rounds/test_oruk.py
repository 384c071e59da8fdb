"""Open Referral UK: import the profile's own examples, export that validates, the public API."""

import io
import json
import shutil
import zipfile
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from microcomm.models import AuditEvent, Organisation
from microcomm.uploads import TOO_MUCH_UNPACKED_MESSAGE
from rounds.models import DirectoryImport, Service, ServiceLocation, ServiceSchedule, TaxonomyTerm
from rounds.oruk.export import oruk_schema, oruk_service
from rounds.oruk.jobs import directory_import_queue, directory_import_run
from rounds.oruk.read import ImportReport, OrukImportError, oruk_guess_format, records_from_bytes
from rounds.oruk.write import oruk_import_path, oruk_import_upload
from tests.microcomm.factories import ThemeFactory, commissioner
from tests.rounds.factories import (
    ServiceFactory,
    ServiceLocationFactory,
    ServiceScheduleFactory,
    TaxonomyTermFactory,
)

pytestmark = pytest.mark.django_db

ORUK = Path(__file__).resolve().parents[1] / "data" / "openreferral-uk"
EXAMPLES = ORUK / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANISATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def validator(name="service.json"):
    schema = json.loads((ORUK / "schema" / name).read_text())
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_the_product_carries_an_unchanged_copy_of_the_schema():
    assert oruk_schema("service.json") == json.loads((ORUK / "schema" / "service.json").read_text())
    provenance = (
        Path(__file__).parents[2] / "rounds" / "oruk" / "schema" / "PROVENANCE.md"
    ).read_text()
    assert "ecdfabf" in provenance
    assert "Human Services Data Specification: an Open Referral resource" in provenance


def test_import_full_service_maps_every_part():
    report = oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)

    assert (report.services_created, report.services_updated) == (1, 0)
    assert report.organisations_created == 1
    service = Service.objects.get(oruk_id=SERVICE_ID)
    assert service.name == "Community Counselling"
    assert service.status == Service.Status.ACTIVE
    assert service.provider_organisation.oruk_id == ORGANISATION_ID
    assert service.provider == "Example Organization Inc."
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert service.cost == Service.Cost.PAID
    assert service.cost_amount == Decimal("35.00")
    assert service.contact_email == "email@example.com"
    assert service.last_verified_on.isoformat() == "2005-01-01"
    assert service.venue == "MyCity Civic Center"
    assert "induction loops" in service.accessibility
    location = ServiceLocation.objects.get(service=service)
    assert location.oruk_id == "3a19ff88-4620-4d17-9830-ac1d859eb5d5"
    assert location.postcode == "ABC 1234"
    days = list(service.schedules.values_list("weekday", "opens_at", "oruk_id"))
    assert [(day, opens.hour) for day, opens, _id in days] == [
        (ServiceSchedule.Weekday.THURSDAY, 10),
        (ServiceSchedule.Weekday.FRIDAY, 10),
    ]
    term = service.taxonomy_terms.get()
    assert term.oruk_id == "3f7b145d-84af-42d7-8fae-eaca714b02b2"
    assert AuditEvent.objects.filter(verb="service.oruk_import").count() == 1


def test_reimporting_the_same_file_updates_instead_of_duplicating():
    oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)
    Service.objects.filter(oruk_id=SERVICE_ID).update(name="Renamed locally")

    report = oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)

    assert (report.services_created, report.services_updated) == (0, 1)
    assert (report.organisations_created, report.organisations_updated) == (0, 1)
    assert Service.objects.count() == 1
    assert Service.objects.get().name == "Community Counselling"
    assert Organisation.objects.filter(oruk_id=ORGANISATION_ID).count() == 1
    assert ServiceLocation.objects.count() == 1
    assert ServiceSchedule.objects.count() == 2
    assert TaxonomyTerm.objects.count() == 1


def test_import_list_page_and_single_service_are_the_same_service():
    list_report = oruk_import_path(path=EXAMPLES / "service_list.json", actor=None)
    full_report = oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)

    assert list_report.services_created == 1
    assert full_report.services_updated == 1
    assert Service.objects.count() == 1


def test_import_csv_directory():
    report = oruk_import_path(path=EXAMPLES / "csv", actor=None)

    assert report.services_created == 1
    service = Service.objects.get(oruk_id=SERVICE_ID)
    assert service.provider_organisation.name == "Example Organization Inc."
    assert service.cost_amount == Decimal("35.00")
    assert service.locations.get().name == "MyCity Civic Center"
    assert service.schedules.count() == 2
    # The CSV and the JSON describe the same service: importing both keeps one.
    oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)
    assert Service.objects.count() == 1


def test_a_taxonomy_term_named_like_a_theme_adds_the_theme():
    theme = ThemeFactory(name="Loneliness", slug="loneliness")
    data = json.loads((EXAMPLES / "service_full.json").read_text())
    data["attributes"][0]["taxonomy_term"]["name"] = "Loneliness"

    oruk_import_upload(filename="one.json", content=json.dumps(data).encode(), actor=None)

    assert list(Service.objects.get().themes.all()) == [theme]


def test_a_bad_file_reports_every_row_and_imports_nothing():
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    bad = {**good, "id": "second", "status": "open", "minimum_age": "twelve"}
    bad["schedules"] = [{"id": "s1", "byday": "XX", "opens_at": "ten"}]
    page = {"contents": [good, bad, {"id": "third", "status": "active"}]}

    with pytest.raises(OrukImportError) as raised:
        oruk_import_upload(filename="page.json", content=json.dumps(page).encode(), actor=None)

    problems = [str(error) for error in raised.value.report.errors]
    assert any(p.startswith("Service 2 (Community Counselling): status must be") for p in problems)
    assert any("minimum_age must be a number" in p for p in problems)
    assert any("'XX' is not a day" in p for p in problems)
    assert any("opens_at must be a time" in p for p in problems)
    assert any(p.startswith("Service 3 (third): The service needs a name") for p in problems)
    assert Service.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_a_bad_csv_names_the_file_and_row():
    target = EXAMPLES / "csv"
    with io.BytesIO() as buffer:
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in target.glob("*.csv"):
                text = path.read_text()
                if path.name == "services.csv":
                    text = text.replace(",active,", ",closed-ish,")
                archive.writestr(path.name, text)
        content = buffer.getvalue()

    with pytest.raises(OrukImportError) as raised:
        oruk_import_upload(filename="directory.zip", content=content, actor=None)

    assert [e.where for e in raised.value.report.errors] == ["services.csv row 2"]
    assert Service.objects.count() == 0


def test_an_organisation_name_clash_rolls_back_the_whole_import():
    Organisation.objects.create(name="Example Organization Inc.", legal_form="other", oruk_id="x")

    with pytest.raises(OrukImportError) as raised:
        oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)

    assert "already exists with a different Open Referral id" in str(raised.value.report.errors[0])
    assert Service.objects.count() == 0


def test_a_csv_zip_that_unpacks_to_too_much_is_reported_and_not_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("services.csv", b"id,name\n" + b" " * 9_000_000)
    report = ImportReport()

    assert records_from_bytes("directory.zip", buffer.getvalue(), report) == []
    assert [error.message for error in report.errors] == [TOO_MUCH_UNPACKED_MESSAGE]


def test_not_json_is_reported():
    with pytest.raises(OrukImportError) as raised:
        oruk_import_upload(filename="x.json", content=b"{not json", actor=None)

    assert raised.value.report.errors[0].message.startswith("The file is not valid JSON")


# Importing in the background -------------------------------------------------------------


def queue(name, content, actor=None):
    return directory_import_queue(upload=SimpleUploadedFile(name, content), actor=actor)


def test_queueing_keeps_the_file_and_runs_the_task_once_committed(
    django_capture_on_commit_callbacks,
):
    user = commissioner()
    content = (EXAMPLES / "service_full.json").read_bytes()

    with django_capture_on_commit_callbacks() as callbacks:
        directory_import = queue("service_full.json", content, actor=user)
        assert directory_import.status == DirectoryImport.Status.QUEUED
        assert Service.objects.count() == 0

    assert len(callbacks) == 1
    assert directory_import.file.name.startswith("imports/")
    assert directory_import.file.read() == content
    assert (directory_import.original_name, directory_import.format) == (
        "service_full.json",
        "json",
    )
    assert directory_import.started_by == user
    assert AuditEvent.objects.filter(verb="directory_import.queue").exists()

    callbacks[0]()  # What the worker does: rounds.tasks.import_directory(import_id).

    directory_import.refresh_from_db()
    assert directory_import.status == DirectoryImport.Status.DONE
    assert Service.objects.filter(oruk_id=SERVICE_ID).exists()


def test_run_a_good_file_is_done_with_counts_per_kind():
    directory_import = queue("service_full.json", (EXAMPLES / "service_full.json").read_bytes())

    directory_import = directory_import_run(import_id=directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == DirectoryImport.Status.DONE
    assert directory_import.counts == {
        "services": {"created": 1, "updated": 0},
        "organisations": {"created": 1, "updated": 0},
        "locations": {"created": 1, "updated": 0},
        "schedules": {"created": 2, "updated": 0},
        "taxonomy_terms": {"created": 1, "updated": 0},
    }
    assert directory_import.problems == []
    assert directory_import.started_at <= directory_import.finished_at
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"directory_import.start", "directory_import.done", "service.oruk_import"} <= verbs


def test_run_a_bad_file_fails_with_problems_and_imports_nothing():
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    page = {"contents": [good, {**good, "id": "second", "status": "open"}]}
    directory_import = queue("page.json", json.dumps(page).encode())

    directory_import_run(import_id=directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == DirectoryImport.Status.FAILED
    assert directory_import.counts == {}
    assert {"where": "Service 2 (Community Counselling)"}.items() <= (
        directory_import.problems[0].items()
    )
    assert directory_import.problems[0]["message"].startswith("status must be")
    assert Service.objects.count() == 0
    assert Organisation.objects.count() == 0
    assert AuditEvent.objects.filter(verb="directory_import.failed").exists()


def test_run_a_write_time_problem_rolls_back_everything():
    Organisation.objects.create(name="Example Organization Inc.", legal_form="other", oruk_id="x")
    directory_import = queue("service_full.json", (EXAMPLES / "service_full.json").read_bytes())

    directory_import_run(import_id=directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.status == DirectoryImport.Status.FAILED
    assert "already exists" in directory_import.problems[0]["message"]
    assert Service.objects.count() == 0
    assert not AuditEvent.objects.filter(verb="service.oruk_import").exists()


def test_run_a_reimport_updates_instead_of_duplicating():
    content = (EXAMPLES / "service_full.json").read_bytes()
    directory_import_run(import_id=queue("first.json", content).pk)
    Service.objects.filter(oruk_id=SERVICE_ID).update(name="Renamed locally")

    second = directory_import_run(import_id=queue("second.json", content).pk)

    second.refresh_from_db()
    assert second.status == DirectoryImport.Status.DONE
    assert second.counts["services"] == {"created": 0, "updated": 1}
    assert second.counts["organisations"] == {"created": 0, "updated": 1}
    assert second.counts["taxonomy_terms"] == {"created": 0, "updated": 1}
    assert Service.objects.get().name == "Community Counselling"


def test_run_a_csv_zip():
    with io.BytesIO() as buffer:
        with zipfile.ZipFile(buffer, "w") as archive:
            for path in (EXAMPLES / "csv").glob("*.csv"):
                archive.writestr(path.name, path.read_text())
        content = buffer.getvalue()
    directory_import = queue("directory.zip", content)

    directory_import_run(import_id=directory_import.pk)

    directory_import.refresh_from_db()
    assert directory_import.format == "zip"
    assert directory_import.status == DirectoryImport.Status.DONE
    assert directory_import.counts["services"]["created"] == 1


def test_a_finished_import_is_not_run_again():
    content = (EXAMPLES / "service_full.json").read_bytes()
    directory_import = queue("service_full.json", content)
    directory_import_run(import_id=directory_import.pk)
    Service.objects.all().delete()

    directory_import_run(import_id=directory_import.pk)

    assert Service.objects.count() == 0


def test_the_task_calls_the_service():
    from rounds.tasks import import_directory

    directory_import = queue("service_full.json", (EXAMPLES / "service_full.json").read_bytes())

    assert import_directory.run(directory_import.pk) == DirectoryImport.Status.DONE


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.json", b'\xef\xbb\xbf  {"contents": []}', "json"),
        ("a.JSON", b"[]", "json"),
        ("a.json", b"PK\x03\x04", None),
        ("a.zip", b"PK\x03\x04rest", "zip"),
        ("a.zip", b"{}", None),
        ("services.csv", b"id,name\n1,A\n", "csv"),
        ("services.csv", b"\x00\x00", None),
        ("services.csv", b"just words", None),
        ("services.csv", "id,name\n1,Caf\u00e9".encode()[:-1], "csv"),
        ("a.txt", b"id,name", None),
    ],
)
def test_guess_format_needs_the_name_and_the_content_to_agree(name, head, expected):
    assert oruk_guess_format(name=name, head=head) == expected


def test_export_of_our_own_service_validates_against_the_schema():
    term = TaxonomyTermFactory(description="Walking")
    service = ServiceFactory(
        cost=Service.Cost.LOW, cost_amount=Decimal("2.50"), minimum_age=18, days=[1, 3]
    )
    service.taxonomy_terms.add(term)
    ServiceLocationFactory(service=service)

    data = oruk_service(service)

    validator().validate(data)
    assert data["status"] == "active"
    assert data["schedules"][0]["byday"] == "TU,TH"
    assert data["cost_options"][0]["amount"] == 2.5
    assert data["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "S80 2AB"


def test_export_of_an_imported_service_validates_and_keeps_its_ids():
    oruk_import_path(path=EXAMPLES / "service_full.json", actor=None)

    data = oruk_service(Service.objects.get())

    validator().validate(data)
    assert data["id"] == SERVICE_ID
    assert data["organization"]["id"] == ORGANISATION_ID
    assert data["schedules"][0]["id"] == "48102e86-bb50-41c4-8f1e-e269368c41d1"
    assert data["schedules"][0]["byday"] == "TH,FR"


def test_export_never_carries_a_persons_name_or_phone():
    service = ServiceFactory(contact_name="Ann Persona", contact_phone="01909 123456")

    text = json.dumps(oruk_service(service))

    assert "Ann Persona" not in text
    assert "01909" not in text


def test_export_command_writes_a_page_that_imports_back(tmp_path):
    ServiceFactory(name="Chair yoga", days=[0])
    ServiceFactory(name="Closed club", status=Service.Status.CLOSED)
    output = tmp_path / "export.json"

    call_command("oruk_export", "--output", str(output), stderr=io.StringIO())

    page = json.loads(output.read_text())
    assert page["total_items"] == 1
    assert [s["name"] for s in page["contents"]] == ["Chair yoga"]
    for item in page["contents"]:
        validator().validate(item)
    Service.objects.all().delete()
    Organisation.objects.all().delete()
    call_command("oruk_import", str(output), stdout=io.StringIO())
    assert list(Service.objects.values_list("name", flat=True)) == ["Chair yoga"]


def test_import_command_reports_problems_and_fails(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"contents": [{"id": "1", "name": "", "status": "active"}]}))
    stderr = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("oruk_import", str(bad), stderr=stderr)

    assert "Service 1 (1): The service needs a name" in stderr.getvalue()


def test_import_command_summary(tmp_path):
    directory = tmp_path / "csv"
    shutil.copytree(EXAMPLES / "csv", directory)
    stdout = io.StringIO()

    call_command("oruk_import", str(directory), stdout=stdout)

    assert "Imported: 1 services created, 0 updated, 1 organisations created" in stdout.getvalue()


# The public API --------------------------------------------------------------------------


def test_services_endpoint_pages_active_services_without_sign_in(client):
    for number in range(5):
        ServiceFactory(name=f"Service {number}")
    ServiceFactory(name="Paused", status=Service.Status.PAUSED)
    ServiceFactory(name="Proposed", status=Service.Status.PROPOSED)

    response = client.get(reverse("rounds:oruk-services"), {"page": 2, "per_page": 2})

    assert response.status_code == 200
    body = response.json()
    assert {k: v for k, v in body.items() if k != "contents"} == {
        "total_items": 5,
        "total_pages": 3,
        "page_number": 2,
        "size": 2,
        "first_page": False,
        "last_page": False,
        "empty": False,
    }
    assert [item["name"] for item in body["contents"]] == ["Service 2", "Service 3"]
    list_validator = validator("service_list.json")
    for item in body["contents"]:
        list_validator.validate(item)


def test_services_endpoint_last_and_past_the_end(client):
    ServiceFactory()

    last = client.get("/openreferral/services", {"per_page": 1}).json()
    beyond = client.get("/openreferral/services", {"page": 9}).json()

    assert last["first_page"] and last["last_page"] and last["size"] == 1
    assert beyond["empty"] is True and beyond["contents"] == []


def test_a_page_number_past_any_database_integer_is_empty(client):
    ServiceFactory()

    response = client.get("/openreferral/services", {"page": "999999999999999999"})

    assert response.status_code == 200
    assert response.json()["contents"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"page": "0"},
        {"page": "x"},
        {"page": "²"},
        {"page": "99999999999999999999999"},
        {"per_page": "-1"},
        {"per_page": "100000"},
    ],
)
def test_bad_paging_is_a_400_in_json(client, params):
    response = client.get("/openreferral/services", params)

    assert response.status_code == 400
    assert "error" in response.json()


def test_one_service_endpoint_is_fully_nested_and_valid(client):
    service = ServiceFactory(days=[2])
    ServiceScheduleFactory(service=service, weekday=4)

    response = client.get(reverse("rounds:oruk-service", args=[service.oruk_id]))

    assert response.status_code == 200
    validator().validate(response.json())
    assert response.json()["schedules"][0]["byday"] == "WE,FR"


def test_a_service_without_an_oruk_id_is_served_under_a_stable_made_up_id(client):
    service = ServiceFactory(oruk_id=None)
    listed = client.get("/openreferral/services").json()["contents"][0]["id"]

    response = client.get(f"/openreferral/services/{listed}")

    assert response.status_code == 200
    assert response.json()["name"] == service.name


@pytest.mark.parametrize("status", [Service.Status.CLOSED, Service.Status.PROPOSED])
def test_unknown_or_hidden_services_are_a_404_in_json(client, status):
    hidden = ServiceFactory(status=status)

    for oruk_id in ("no-such-id", hidden.oruk_id):
        response = client.get(f"/openreferral/services/{oruk_id}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"


def test_services_endpoint_query_count_does_not_grow(client, django_assert_max_num_queries):
    for _ in range(30):
        service = ServiceFactory(days=[1])
        service.taxonomy_terms.add(TaxonomyTermFactory())

    with django_assert_max_num_queries(6):
        response = client.get("/openreferral/services", {"per_page": 30})

    assert response.json()["size"] == 30

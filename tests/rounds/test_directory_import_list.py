"""The import page lists recent imports, newest first, each linking to its status page,
and the status page links back: an import can be found again after leaving its page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from rounds.models import DirectoryImport
from tests.microcomm.factories import commissioner

pytestmark = pytest.mark.django_db

IMPORT_PAGE = reverse("rounds:directory-import")


def _import(name: str, *, days_ago: int = 0, **kwargs) -> DirectoryImport:
    return DirectoryImport.objects.create(
        original_name=name,
        format="json",
        queued_at=timezone.now() - datetime.timedelta(days=days_ago),
        **kwargs,
    )


def test_the_import_page_lists_recent_imports_newest_first_with_links(client):
    person = commissioner(full_name="Asha Khan")
    older = _import("old.json", days_ago=3, status=DirectoryImport.Status.DONE)
    newer = _import("new.json", days_ago=1, started_by=person)
    client.force_login(person)

    page = client.get(IMPORT_PAGE).content.decode()

    assert "Recent imports" in page
    assert page.index("new.json") < page.index("old.json")
    for item in (older, newer):
        assert reverse("rounds:directory-import-status", args=[item.pk]) in page
    assert "by Asha Khan" in page
    assert "Imported" in page and "Waiting to start" in page


def test_the_list_of_imports_is_paginated(client):
    for number in range(12):
        _import(f"file-{number:02d}.json", days_ago=number)
    client.force_login(commissioner())

    first = client.get(IMPORT_PAGE).content.decode()
    second = client.get(f"{IMPORT_PAGE}?page=2").content.decode()

    assert "file-00.json" in first and "file-09.json" in first
    assert "file-10.json" not in first
    assert "file-10.json" in second and "file-11.json" in second
    assert 'rel="next"' in first


def test_with_no_imports_the_page_says_so(client):
    client.force_login(commissioner())

    page = client.get(IMPORT_PAGE).content.decode()

    assert "No files have been imported yet." in page


@pytest.mark.parametrize("status", [DirectoryImport.Status.QUEUED, DirectoryImport.Status.DONE])
def test_the_status_page_links_back_to_the_imports(client, status):
    directory_import = _import("a.json", status=status)
    client.force_login(commissioner())

    page = client.get(
        reverse("rounds:directory-import-status", args=[directory_import.pk])
    ).content.decode()

    assert f'href="{IMPORT_PAGE}"' in page
    assert "Back to imports" in page


def test_the_list_costs_the_same_queries_for_2_or_30_imports(client, django_assert_max_num_queries):
    person = commissioner()
    client.force_login(person)
    for number in range(2):
        _import(f"small-{number}.json", started_by=person)
    with django_assert_max_num_queries(12) as small:
        client.get(IMPORT_PAGE)
    for number in range(28):
        _import(f"large-{number}.json", started_by=commissioner())

    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(IMPORT_PAGE)

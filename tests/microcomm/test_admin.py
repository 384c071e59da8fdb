"""Every model in the admin opens for an administrator, with the demo scheme loaded."""

import pytest
from django.contrib import admin
from django.urls import reverse

from microcomm.audit import audit_record
from microcomm.models import User
from rounds.models import DirectoryImport
from tests.microcomm.factories import UserFactory

PROJECT_APPS = {"microcomm", "rounds", "applications", "panels", "evaluation"}
REGISTERED = sorted(
    (model._meta.app_label, model._meta.model_name)
    for model in admin.site._registry
    if model._meta.app_label in PROJECT_APPS
)


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "model_name"), REGISTERED)
def test_admin_list_search_and_first_record_open(client, demo, app_label, model_name):
    client.force_login(User.objects.get(email="admin@example.org"))
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    response = client.get(changelist, {"q": "a"})
    assert response.status_code == 200
    model = next(m for m in admin.site._registry if m._meta.model_name == model_name)
    first = model._default_manager.order_by("pk").first()
    if first is not None:
        change = reverse(f"admin:{app_label}_{model_name}_change", args=[first.pk])
        assert client.get(change).status_code == 200


def test_every_project_model_is_in_the_admin_or_an_inline():
    from django.apps import apps

    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        model.__name__
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
        and model not in admin.site._registry
        and model not in inline_models
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize("model_name", ["microcomm_auditevent", "rounds_directoryimport"])
def test_records_only_services_write_can_be_read_but_not_added_changed_or_deleted(
    client, model_name
):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    event = audit_record(actor=None, verb="user.sign_up", target=None)
    record = (
        event
        if model_name == "microcomm_auditevent"
        else DirectoryImport.objects.create(original_name="services.json", format="json")
    )
    change = client.get(reverse(f"admin:{model_name}_change", args=[record.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.get(reverse(f"admin:{model_name}_add")).status_code == 403
    assert client.get(reverse(f"admin:{model_name}_delete", args=[record.pk])).status_code == 403

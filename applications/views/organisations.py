"""Group pages: create a group, its profile, members, invitations and document vault.

urlpatterns are joined in applications/urls.py. A group or document the person may not
see is a 404, so its existence is not revealed; one they may see but not change is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import include, path, reverse
from django.views.decorators.http import require_http_methods

from applications import permissions
from applications.files import private_file_response
from applications.forms.organisations import (
    DocumentReplaceForm,
    DocumentUploadForm,
    MemberInviteForm,
    MemberRoleForm,
    OrganisationCreateForm,
    OrganisationProfileForm,
)
from applications.models import OrganisationDocument, OrganisationProfile
from applications.selectors import organisations as selectors
from applications.services import organisations as services
from microcomm.errors import DomainError
from microcomm.http import authorize, confirm_page, form_submit, paginate, posted, posted_files
from microcomm.models import Membership, Organisation

PAGE_SIZE = 50


def _organisation_url(organisation: Organisation) -> str:
    return reverse("applications:organisation-detail", kwargs={"pk": organisation.pk})


def _documents_url(organisation: Organisation) -> str:
    return reverse("applications:document-list", kwargs={"pk": organisation.pk})


def _organisation_or_404(request: HttpRequest, pk: int) -> Organisation:
    organisation = selectors.organisation_for_page(user=request.user, pk=pk)
    authorize(request, can_see=organisation is not None)
    return organisation


def _membership_or_404(organisation: Organisation, membership_pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "organisation")
        .filter(pk=membership_pk, organisation=organisation)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


def _document_or_404(
    request: HttpRequest, organisation: Organisation, doc_pk: int
) -> OrganisationDocument:
    """The group's current document, or 404 when it is not there or the person may not see it."""
    document = (
        OrganisationDocument.objects.select_related("organisation")
        .filter(pk=doc_pk, organisation=organisation, replaced_at__isnull=True)
        .first()
    )
    authorize(
        request,
        can_see=document is not None and permissions.can_view_document(request.user, document),
    )
    return document


@require_http_methods(["GET"])
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "applications/organisations/organisation_list.html",
        {
            **paginate(request, selectors.organisations_visible_to(user=request.user), PAGE_SIZE),
            "can_create": permissions.can_create_organisation(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    authorize(request, can_do=permissions.can_create_organisation(request.user))
    form = OrganisationCreateForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.organisation_create(
            name=data["name"], legal_form=data["legal_form"], actor=request.user
        ),
        message=lambda organisation: f"{organisation.name} added. You are its owner",
        next_url=_organisation_url,
    ) or render(request, "applications/organisations/organisation_create.html", {"form": form})


@require_http_methods(["GET"])
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    can_manage = permissions.can_manage_members(request.user, organisation)
    can_see_documents = permissions.can_view_documents(request.user, organisation)
    documents = (
        list(selectors.documents_current(organisation=organisation)) if can_see_documents else []
    )
    return render(
        request,
        "applications/organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "profile": getattr(organisation, "profile", None),
            "members": selectors.members_of(organisation=organisation),
            "invitations": selectors.invitations_pending(organisation=organisation)
            if can_manage
            else [],
            "documents": [(d, selectors.expiry_flag(d)) for d in documents],
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
            "can_manage": can_manage,
            "can_see_documents": can_see_documents,
        },
    )


def _profile_initial(organisation: Organisation) -> dict[str, object]:
    profile = getattr(organisation, "profile", None) or OrganisationProfile()
    initial: dict[str, object] = {
        field: getattr(organisation, field) for field in services.ORGANISATION_FIELDS
    }
    initial.update({field: getattr(profile, field) for field in services.PROFILE_FIELDS})
    initial["has_bank_account"] = {True: "yes", False: "no"}.get(profile.has_bank_account)
    initial["year_started"] = profile.year_started or ""
    initial["annual_income"] = (
        f"{profile.annual_income:,.2f}" if profile.annual_income is not None else ""
    )
    return initial


@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_edit_organisation(request.user, organisation))
    form = OrganisationProfileForm(posted(request), initial=_profile_initial(organisation))
    return form_submit(
        request,
        form,
        lambda data: services.organisation_profile_update(
            organisation=organisation, changes=data, actor=request.user
        ),
        message="Your group's details have been saved",
        next_url=_organisation_url(organisation),
    ) or render(
        request,
        "applications/organisations/organisation_edit.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_members(request.user, organisation))
    form = MemberInviteForm(posted(request))
    return form_submit(
        request,
        form,
        lambda data: services.member_invite(
            organisation=organisation, email=data["email"], role=data["role"], actor=request.user
        ),
        message=lambda invitation: f"Invitation sent to {invitation.email}",
        next_url=_organisation_url(organisation),
    ) or render(
        request,
        "applications/organisations/member_invite.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_members(request.user, organisation))
    membership = _membership_or_404(organisation, membership_pk)
    leaving = membership.user_id == request.user.pk
    return confirm_page(
        request,
        lambda: services.member_remove(membership=membership, actor=request.user),
        message=f"{membership.user} removed from {organisation.name}",
        next_url=reverse("applications:organisation-list")
        if leaving
        else _organisation_url(organisation),
        template="applications/organisations/member_remove.html",
        context={"organisation": organisation, "membership": membership},
        refused_status=400,
    )


@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_manage_members(request.user, organisation))
    membership = _membership_or_404(organisation, membership_pk)
    form = MemberRoleForm(posted(request), initial={"role": membership.role})
    return form_submit(
        request,
        form,
        lambda data: services.member_change_role(
            membership=membership, role=data["role"], actor=request.user
        ),
        message=lambda _: (
            f"{membership.user} is now an "
            f"{Membership.Role(form.cleaned_data['role']).label.lower()}"
        ),
        next_url=_organisation_url(organisation),
    ) or render(
        request,
        "applications/organisations/member_role.html",
        {"form": form, "organisation": organisation, "membership": membership},
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation email; signing in first is handled by the login redirect."""
    invitation = selectors.invitation_by_token(token=token)
    problem = ""
    if invitation is None or not services.invitation_is_pending(invitation):
        problem = (
            "This invitation has expired, been cancelled or already been used. "
            "Ask the group's owner to invite you again."
        )
    elif request.user.email.lower() != invitation.email.lower():
        problem = (
            f"This invitation was sent to {invitation.email}, but you are signed in as "
            f"{request.user.email}. Sign out, then sign in or create an account with "
            f"{invitation.email} to accept it."
        )
    if request.method == "POST" and not problem:
        try:
            membership = services.invitation_accept(token=token, actor=request.user)
        except DomainError as error:
            problem = error.message
        else:
            messages.success(request, f"You have joined {membership.organisation.name}")
            return redirect("applications:organisation-detail", pk=membership.organisation_id)
    return render(
        request,
        "applications/organisations/invitation_accept.html",
        {"invitation": invitation if not problem else None, "problem": problem},
        status=400 if problem and request.method == "POST" else 200,
    )


@require_http_methods(["GET"])
def document_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_view_documents(request.user, organisation))
    documents = selectors.documents_current(organisation=organisation)
    return render(
        request,
        "applications/organisations/document_list.html",
        {
            "organisation": organisation,
            "documents": [(d, selectors.expiry_flag(d)) for d in documents],
            "replaced": selectors.documents_replaced(organisation=organisation),
            "can_edit": permissions.can_edit_organisation(request.user, organisation),
        },
    )


@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    authorize(request, can_do=permissions.can_edit_organisation(request.user, organisation))
    # The task list's "Your documents" links here with the kind the round asks for.
    kind = request.GET.get("kind", "")
    initial = {"kind": kind} if kind in OrganisationDocument.Kind.values else {}
    form = DocumentUploadForm(posted(request), posted_files(request), initial=initial)
    return form_submit(
        request,
        form,
        lambda data: services.document_upload(
            organisation=organisation,
            kind=data["kind"],
            title=data["title"],
            upload=data["file"],
            expires_on=data.get("expires_on"),
            actor=request.user,
        ),
        message=lambda document: f"{document.title} uploaded",
        next_url=_documents_url(organisation),
    ) or render(
        request,
        "applications/organisations/document_upload.html",
        {"form": form, "organisation": organisation},
    )


@require_http_methods(["GET"])
def document_download(request: HttpRequest, pk: int, doc_pk: int) -> FileResponse:
    """Serve a vault file to people allowed to see it; anyone else gets a 404."""
    document = selectors.document_for_download(user=request.user, organisation_pk=pk, pk=doc_pk)
    authorize(request, can_see=document is not None)
    return private_file_response(
        document.file, document.original_name, content_type=document.content_type
    )


@require_http_methods(["GET", "POST"])
def document_replace(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    document = _document_or_404(request, organisation, doc_pk)
    authorize(request, can_do=permissions.can_edit_organisation(request.user, organisation))
    form = DocumentReplaceForm(posted(request), posted_files(request), document=document)
    return form_submit(
        request,
        form,
        lambda data: services.document_replace(
            document=document,
            upload=data["file"],
            title=data["title"],
            expires_on=data.get("expires_on"),
            actor=request.user,
        ),
        message=lambda new: f"{new.title} replaced. The old version is kept",
        next_url=_documents_url(organisation),
    ) or render(
        request,
        "applications/organisations/document_replace.html",
        {"form": form, "organisation": organisation, "document": document},
    )


@require_http_methods(["GET", "POST"])
def document_delete(request: HttpRequest, pk: int, doc_pk: int) -> HttpResponse:
    organisation = _organisation_or_404(request, pk)
    document = _document_or_404(request, organisation, doc_pk)
    authorize(request, can_do=permissions.can_edit_organisation(request.user, organisation))
    return confirm_page(
        request,
        lambda: services.document_delete(document=document, actor=request.user),
        message=f"{document.title} deleted",
        next_url=_documents_url(organisation),
        template="applications/organisations/document_delete.html",
        context={"organisation": organisation, "document": document},
    )


# The pages of one group: its profile, members and document vault.
organisation_urlpatterns = [
    path("", organisation_detail, name="organisation-detail"),
    path("edit/", organisation_edit, name="organisation-edit"),
    path("members/invite/", member_invite, name="member-invite"),
    path("members/<int:membership_pk>/remove/", member_remove, name="member-remove"),
    path("members/<int:membership_pk>/role/", member_role, name="member-role"),
    path("documents/", document_list, name="document-list"),
    path("documents/new/", document_upload, name="document-upload"),
    path("documents/<int:doc_pk>/download/", document_download, name="document-download"),
    path("documents/<int:doc_pk>/replace/", document_replace, name="document-replace"),
    path("documents/<int:doc_pk>/delete/", document_delete, name="document-delete"),
]

urlpatterns = [
    path("organisations/", organisation_list, name="organisation-list"),
    path("organisations/new/", organisation_create, name="organisation-create"),
    path("organisations/<int:pk>/", include(organisation_urlpatterns)),
    path("invitations/<str:token>/", invitation_accept, name="invitation-accept"),
]

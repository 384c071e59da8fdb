"""Addresses of the panels app.

A commissioner's pages for a round sit under ``rounds/<slug>/panel/`` (and the scoring
system under ``rounds/<slug>/scoring/``); a panel member's under ``panel/``, their pages
for one round under ``panel/rounds/<slug>/``, so no round's address can clash with a page
of their own such as ``panel/join/``. A group reads its decision under ``decisions/``.
"""

from django.urls import include, path

from panels.views import conflicts, feedback, meeting, member_home, members, rubric, scoring

app_name = "panels"

urlpatterns = [
    *rubric.urlpatterns,
    *members.urlpatterns,
    *member_home.urlpatterns,
    *feedback.urlpatterns,
    # Conflicts of interest, assignment, independent scoring and looking again.
    path(
        "panel/rounds/<slug:slug>/conflicts/",
        conflicts.conflicts_declare_page,
        name="conflict-declare",
    ),
    path("panel/rounds/<slug:slug>/score/", scoring.scorecard_list, name="scorer-list"),
    path(
        "panel/rounds/<slug:slug>/score/<int:pk>/",
        scoring.scorecard_detail,
        name="scorecard-detail",
    ),
    path(
        "panel/rounds/<slug:slug>/score/<int:pk>/documents/<int:doc_pk>/",
        scoring.scorecard_document,
        name="scorecard-document",
    ),
    path(
        "rounds/<slug:slug>/panel/assign/",
        scoring.scorecards_assign_page,
        name="scorecards-assign",
    ),
    path(
        "rounds/<slug:slug>/panel/conflicts/",
        conflicts.conflict_register_page,
        name="conflict-register",
    ),
    path(
        "rounds/<slug:slug>/panel/conflicts/<int:member_pk>/",
        conflicts.conflict_record_page,
        name="conflict-record",
    ),
    path(
        "rounds/<slug:slug>/panel/scorecards/<int:pk>/look-again/",
        scoring.score_look_again_page,
        name="score-look-again",
    ),
    # Moderation, the decision meeting, decisions, the ranking CSV and the minutes.
    path(
        "rounds/<slug:slug>/panel/moderation/",
        meeting.moderation_detail,
        name="moderation-detail",
    ),
    path("rounds/<slug:slug>/panel/meeting/", include(meeting.meeting_urlpatterns)),
]

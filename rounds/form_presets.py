"""The default application form for each tier of round, as data.

A micro round asks a handful of plain questions; a small round adds outcomes, safeguarding
and other funding; a standard round adds sustainability, evaluation and risks. Each
question may name an earlier question's `key` in `condition` with the answer that shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypedDict

from rounds.models import Question, Round

K = Question.Kind


class PresetQuestion(TypedDict, total=False):
    key: str
    kind: str
    label: str
    hint: str
    required: bool
    word_limit: int | None
    choices: list[str]
    condition: tuple[str, str]
    from_profile: str


class PresetSection(TypedDict):
    title: str
    description: str
    questions: list[PresetQuestion]


ABOUT_YOUR_GROUP: PresetSection = {
    "title": "About your group",
    "description": "Tell us who you are. You do not need to be a registered charity.",
    "questions": [
        {
            "key": "group_name",
            "kind": K.SHORT_TEXT,
            "label": "What is the name of your group?",
            "from_profile": Question.FromProfile.NAME,
        },
        {
            "key": "group_about",
            "kind": K.LONG_TEXT,
            "label": "What does your group do?",
            "hint": "For example, who comes along, where you meet and how long you have run.",
            "word_limit": 150,
        },
    ],
}

YOUR_IDEA_QUESTIONS: list[PresetQuestion] = [
    {
        "key": "activity",
        "kind": K.LONG_TEXT,
        "label": "What will you do with the grant?",
        "hint": "Describe the activity in plain words: what, where and how often.",
        "word_limit": 250,
    },
    {
        "key": "places",
        "kind": K.LOCALITIES,
        "label": "Where will your activity happen?",
        "hint": "Select all the places where the activity will happen.",
    },
    {
        "key": "beneficiaries",
        "kind": K.LONG_TEXT,
        "label": "Who will benefit, and how many people?",
        "hint": "Do not name anyone. For example, '20 older people living alone in Eastfield'.",
        "word_limit": 150,
    },
    {
        "key": "priorities",
        "kind": K.PRIORITIES,
        "label": "Which of this round's priorities does your idea address?",
        "hint": "Select all that apply.",
    },
    {
        "key": "budget",
        "kind": K.BUDGET,
        "label": "How much are you asking for, and what will you spend it on?",
        "hint": "List each item with its cost. The total is the amount you are asking for.",
    },
    {
        "key": "starts_on",
        "kind": K.DATE,
        "label": "When will the activity start?",
        "hint": "For example, 27 3 2027",
    },
    {
        "key": "ends_on",
        "kind": K.DATE,
        "label": "When will the activity end?",
        "hint": "Leave this blank if the activity will carry on after the grant is spent.",
        "required": False,
    },
]

SMALL_EXTRA: list[PresetSection] = [
    {
        "title": "What difference it will make",
        "description": "",
        "questions": [
            {
                "key": "outcomes",
                "kind": K.LONG_TEXT,
                "label": "What difference will your activity make to the people who take part?",
                "hint": "For example, feeling less lonely, getting out more, making new friends.",
                "word_limit": 250,
            },
        ],
    },
    {
        "title": "Keeping people safe",
        "description": "",
        "questions": [
            {
                "key": "safeguarding",
                "kind": K.YES_NO,
                "label": "Does your group have a safeguarding policy?",
                "hint": "A safeguarding policy says how you keep children and adults at risk safe.",
            },
            {
                "key": "safeguarding_policy",
                "kind": K.FILE,
                "label": "Upload your safeguarding policy",
                "hint": "A PDF, Word document or photo, up to 10MB.",
                "condition": ("safeguarding", "yes"),
            },
        ],
    },
    {
        "title": "Other funding",
        "description": "",
        "questions": [
            {
                "key": "other_funding",
                "kind": K.YES_NO,
                "label": "Have you asked anyone else to fund this activity?",
            },
            {
                "key": "other_funding_detail",
                "kind": K.LONG_TEXT,
                "label": "Who have you asked, and how much for?",
                "word_limit": 100,
                "condition": ("other_funding", "yes"),
            },
        ],
    },
]

STANDARD_EXTRA: list[PresetSection] = [
    {
        "title": "Planning ahead",
        "description": "",
        "questions": [
            {
                "key": "sustainability",
                "kind": K.LONG_TEXT,
                "label": "How will the activity carry on after the grant ends?",
                "word_limit": 250,
            },
            {
                "key": "evaluation",
                "kind": K.LONG_TEXT,
                "label": "How will you know whether the activity is working?",
                "hint": "For example, a short questionnaire, attendance records or feedback.",
                "word_limit": 250,
            },
            {
                "key": "risks",
                "kind": K.LONG_TEXT,
                "label": "What could stop the activity going ahead, and what would you do?",
                "word_limit": 200,
            },
        ],
    },
]


def preset_for_tier(tier: str) -> list[PresetSection]:
    """The sections and questions a new round of this tier starts with."""
    if tier == Round.Tier.MICRO:
        return [
            ABOUT_YOUR_GROUP,
            {
                "title": "Your idea",
                "description": "",
                "questions": YOUR_IDEA_QUESTIONS,
            },
        ]
    sections: list[PresetSection] = [
        ABOUT_YOUR_GROUP,
        {"title": "Your idea", "description": "", "questions": YOUR_IDEA_QUESTIONS},
        *SMALL_EXTRA,
    ]
    if tier == Round.Tier.STANDARD:
        sections.extend(STANDARD_EXTRA)
    return sections


# The documents every application to a round of the tier must include, whatever the group;
# applications.due_diligence adds the group's own (governing document, bank account,
# registration) and asks for safeguarding when the activity works with people at risk.
TIER_DOCUMENTS: dict[str, list[str]] = {
    Round.Tier.MICRO: [],
    Round.Tier.SMALL: [
        "Public liability insurance",
        "Latest accounts or income and expenditure sheet",
    ],
    Round.Tier.STANDARD: [
        "Safeguarding policy",
        "Public liability insurance",
        "Latest accounts or income and expenditure sheet",
        "Equality policy",
    ],
}


@dataclass(frozen=True)
class TierChange:
    """What moving a round's form to another tier adds, and which documents come and go."""

    tier: str
    questions_added: list[tuple[str, PresetQuestion]]
    documents_added: list[str]
    documents_removed: list[str]

    @property
    def label(self) -> str:
        return str(Round.Tier(self.tier).label)


def wording_key(label: str) -> str:
    """A question's wording for matching: case and spacing do not count."""
    return " ".join(label.lower().split())


def tier_change(*, round: Round, tier: str) -> TierChange:
    """What giving `round` the tier `tier` changes: the tier's preset questions the form
    does not ask yet (matched by their wording), with the section each goes in, and the
    documents the new tier asks for or no longer asks for."""
    asked = {
        wording_key(label)
        for label in Question.objects.filter(section__round=round).values_list("label", flat=True)
    }
    added = [
        (section["title"], question)
        for section in preset_for_tier(tier)
        for question in section["questions"]
        if wording_key(question["label"]) not in asked
    ]
    before, after = TIER_DOCUMENTS[round.tier], TIER_DOCUMENTS[tier]
    return TierChange(
        tier=tier,
        questions_added=added,
        documents_added=[document for document in after if document not in before],
        documents_removed=[document for document in before if document not in after],
    )


def preset_question_count(tier: str) -> int:
    return sum(len(section["questions"]) for section in preset_for_tier(tier))


def preset_defaults(question: PresetQuestion) -> dict[str, Any]:
    """The model fields of one preset question, with optional keys filled in."""
    return {
        "kind": question["kind"],
        "label": question["label"],
        "hint": question.get("hint", ""),
        "required": question.get("required", True),
        "word_limit": question.get("word_limit"),
        "choices": list(question.get("choices", [])),
        "from_profile": question.get("from_profile", ""),
    }

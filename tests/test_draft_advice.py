"""The shipped drafts follow the advice to the letter, in English, German, French, Dutch and Spanish.

Each part of the advice the default policy follows is a list of phrases per
language; every draft of the shipped policies must say each of them, for an
interview with every fact known, with none, and with Highlights and Fit
written the ways people write notes. The notes must come out as well-formed
text: no doubled period, no capitalised fragment in mid-sentence, no empty
"about the  role", and nothing of what the user wrote left out. Where the user
noted nothing, the draft leaves a marked gap, never an invented moment.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from followup.engine.model import Facts, FollowUp, Interview, Plan, Reading
from followup.engine.plan.planner import make_plan
from followup.rules.loader import load_rules
from followup.rules.model import RuleSet, Sender
from followup.rules.prose import note_items
from tests.conftest import ROOT

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 12, 1, 10, 0, tzinfo=BERLIN)  # a Tuesday
NOW = datetime(2026, 11, 30, 8, 0, tzinfo=BERLIN)

ALL_FACTS = Facts(
    company="ACME",
    role="Backend Engineer",
    recruiter_name="Dana Smith",
    recruiter_email="dana@acme.example",
    timeline="2 weeks",
    highlights="the whiteboard session on event sourcing",
    fit="I have run event-sourced systems in production for four years",
)
NO_FACTS = Facts()

# The advice, part by part, and where each language's drafts say it.
THANK_YOU_ADVICE = {
    "thank them for the opportunity": {
        "en": ["Thank you for the opportunity to interview"],
        "de": ["vielen Dank für die Gelegenheit zum Gespräch"],
        "fr": ["Je vous remercie pour l’entretien du"],
        "nl": ["Hartelijk dank voor het gesprek op"],
        "es": ["Muchas gracias por la entrevista del"],
    },
    "say you remain interested": {
        "en": ["I remain very interested in the role."],
        "de": ["ich bin weiterhin sehr an der Stelle interessiert."],
        "fr": ["le poste m’intéresse toujours vivement."],
        "nl": ["ik ben nog steeds zeer geïnteresseerd in de functie."],
        "es": ["el puesto me sigue interesando mucho."],
    },
    "mention the moments that stood out": {
        "en": ["I especially appreciated ", "What stood out for me:\n- "],
        "de": [
            "Besonders geschätzt habe ich",
            "Besonders in Erinnerung geblieben ist mir:\n- ",
        ],
        "fr": ["J’ai particulièrement apprécié ", "Ce que je retiens en particulier :\n- "],
        "nl": ["Ik waardeerde vooral ", "Wat mij vooral is bijgebleven:\n- "],
        "es": ["Aprecié especialmente ", "Lo que más me llamó la atención:\n- "],
    },
    "say why the role fits your purpose and skills": {
        "en": ["what I want to do next and "],
        "de": ["was ich als Nächstes tun möchte"],
        "fr": ["ce que je souhaite faire et à ce que je peux apporter"],
        "nl": ["wat ik hierna wil doen en bij wat ik kan bijdragen"],
        "es": ["lo que quiero hacer a continuación y con lo que puedo aportar"],
    },
    "offer more information or documents": {
        "en": ["If there is anything else I can send you, such as references or work samples"],
        "de": [
            "Wenn ich Ihnen weitere Unterlagen schicken kann, etwa Referenzen oder Arbeitsproben"
        ],
        "fr": ["d’autres éléments, comme des références ou des exemples de travaux"],
        "nl": ["Als ik u nog iets kan sturen, zoals referenties of voorbeelden van mijn werk"],
        "es": ["Si puedo enviarle algo más, como referencias o muestras de mi trabajo"],
    },
    "say you look forward to hearing from them": {
        "en": ["I look forward to hearing from you."],
        "de": ["Ich freue mich darauf, von Ihnen zu hören."],
        "fr": ["Au plaisir d’avoir de vos nouvelles."],
        "nl": ["Ik hoor graag van u."],
        "es": ["Quedo a la espera de sus noticias."],
    },
}
STATUS_CHECK_ADVICE = {
    "ask at what stage the process is": {
        "en": ["Could you tell me at what stage the process is?"],
        "de": ["Können Sie mir sagen, wie der Stand des Auswahlverfahrens ist?"],
        "fr": ["Pourriez-vous me dire où en est le processus de recrutement ?"],
        "nl": ["Kunt u mij vertellen hoe ver de selectieprocedure is?"],
        "es": ["¿Podría decirme en qué fase se encuentra el proceso?"],
    },
    "restate your interest": {
        "en": ["I remain very interested in the role"],
        "de": ["Ich bin weiterhin sehr an der Stelle interessiert"],
        "fr": ["Le poste m’intéresse toujours vivement"],
        "nl": ["Ik ben nog steeds zeer geïnteresseerd in de functie"],
        "es": ["El puesto me sigue interesando mucho"],
    },
    "professional: greet, close, look forward": {
        "en": ["I look forward to hearing from you.\n\nBest regards"],
        "de": ["Ich freue mich darauf, von Ihnen zu hören.\n\nMit freundlichen Grüßen"],
        "fr": ["Au plaisir d’avoir de vos nouvelles.\n\nCordialement"],
        "nl": ["Ik hoor graag van u.\n\nMet vriendelijke groet"],
        "es": ["Quedo a la espera de sus noticias.\n\nUn cordial saludo"],
    },
}
MOVE_ON_ADVICE = {
    "do not take it personally": {
        "en": ["It is not personal"],
        "de": ["nichts Persönliches"],
        "fr": ["Ce n’est pas personnel"],
        "nl": ["Het is niet persoonlijk"],
        "es": ["No es algo personal"],
    },
    "move on to other opportunities": {
        "en": ["Put your energy into other openings"],
        "de": ["Stecken Sie Ihre Energie jetzt in andere Stellen"],
        "fr": ["Mettez maintenant votre énergie dans d’autres offres"],
        "nl": ["Steek uw energie nu in andere vacatures"],
        "es": ["Ponga ahora su energía en otras ofertas"],
    },
    "keep the contact, and stop the chain if they write": {
        "en": ["Keep the contact", "followup mark"],
        "de": ["Halten Sie den Kontakt", "followup mark"],
        "fr": ["Gardez le contact", "followup mark"],
        "nl": ["Houd het contact", "followup mark"],
        "es": ["Mantenga el contacto", "followup mark"],
    },
}
PREPARE_ADVICE = {
    "before leaving, ask when they expect to decide": {
        "en": ["When do you expect to decide"],
        "de": ["Bis wann möchten Sie entscheiden"],
        "fr": ["Quand pensez-vous décider"],
        "nl": ["Wanneer verwacht u te beslissen"],
        "es": ["¿Cuándo esperan decidir"],
    },
}

POLICIES = {
    "en": "default.yaml",
    "de": "default.de.yaml",
    "fr": "default.fr.yaml",
    "nl": "default.nl.yaml",
    "es": "default.es.yaml",
}
LANGUAGES = list(POLICIES)
CLOSINGS = {
    "en": "Best regards",
    "de": "Mit freundlichen Grüßen",
    "fr": "Cordialement",
    "nl": "Met vriendelijke groet",
    "es": "Un cordial saludo",
}
# The lead a noun phrase follows, in each language: the phrase never starts with a capital.
PHRASE_LEADS = (
    "appreciated ",
    "geschätzt habe ich ",
    "particulièrement apprécié ",
    "waardeerde vooral ",
    "Aprecié especialmente ",
)
GAPS = {
    "en": "[what stood out for you]",
    "de": "[was Ihnen besonders gefallen hat]",
    "fr": "[ce qui vous a marqué]",
    "nl": "[wat u is bijgebleven]",
    "es": "[lo que más le llamó la atención]",
}

# Highlights as people write them: fragments, sentences, notes, lists, their own punctuation.
HIGHLIGHTS = [
    "the whiteboard session on event sourcing",
    "The whiteboard session on event sourcing",
    "the whiteboard session on event sourcing.",
    "the whiteboard session on event sourcing...",
    "Loved the team. The take-home review went really well!",
    "- the team\n- the take-home review\n- the roadmap talk",
    "* Great questions on Kafka\n* Friendly team",
    "team culture; the on-call setup; pairing",
    "meeting the team",
    "Meeting the team!",
    "I loved how open they were about the roadmap.",
    "The team was great..",
    "Kubernetes migration talk",
    "1. architecture deep dive\n2. lunch with the team",
    "talked about scaling Postgres",
    "the CTO's vision for the product, the flexible hours",
    "How they run incidents without blame",
    "their focus on testing (TDD, property tests)",
    "   the   demo   ",
    "Great culture!!!",
    "the open-source work, e.g. their CalDAV library",
    "the role's scope: backend + infra",
    "Was the interviewer impressed?",
    "!!",
    "das Gespräch über die Migration nach Kubernetes",
    "Das Team war super. Die Fragen waren fair!",
    "- Teamkultur\n- Code-Review-Prozess",
    "Die offene Art des Teams",
]
FIT = [
    "I have run event-sourced systems in production for four years",
    "I have run event-sourced systems in production for four years.",
    "my four years of event sourcing in production",
    "Python, Kafka, Postgres",
    "- 4 years Kafka\n- led a team of 5",
    "Strong match with my backend experience!",
    "I want to grow into system design; I've done 3 years of backend work.",
    "exactly what I'm looking for..",
    "their mission, my experience with payments",
    "My background in payments",
    "fits my goal to move into platform work",
    "Ich habe vier Jahre lang ereignisbasierte Systeme betrieben.",
    "meine Erfahrung mit Kafka",
    "Passt perfekt zu meinem Profil!",
]


def interview(facts: Facts, uid: str = "acme@example.com") -> Interview:
    return Interview(
        uid=uid,
        recurrence_id=None,
        summary="Interview",
        start=START,
        end=START + timedelta(hours=1),
        facts=facts,
    )


def rules_for(language: str, sender: dict[str, str] | None = None) -> RuleSet:
    ruleset = load_rules(ROOT / "rules" / POLICIES[language])
    changes: dict[str, object] = {"timezone": "Europe/Berlin"}
    if sender is not None:
        changes["sender"] = Sender(**sender)
    return ruleset.model_copy(update=changes)


def plan_for(language: str, facts: Facts, sender: dict[str, str] | None = None) -> Plan:
    return make_plan(rules_for(language, sender), Reading(interviews=(interview(facts),)), NOW)


def step(plan: Plan, rule_id: str) -> FollowUp:
    found = [f for f in plan.followups if f.rule_id == rule_id]
    assert len(found) == 1, [f.rule_id for f in plan.followups]
    return found[0]


def body(plan: Plan, rule_id: str) -> str:
    followup = step(plan, rule_id)
    assert followup.email is not None
    return followup.email.body


def says_every_part(text: str, advice: dict[str, dict[str, list[str]]], language: str) -> None:
    for part, phrases in advice.items():
        assert any(phrase in text for phrase in phrases[language]), (part, text)


def well_formed(text: str) -> None:
    """No doubled period, stray space or empty slot; every prose paragraph ends a sentence."""
    for defect in ("..", " .", " ,", "!.", "?.", ",.", ":.", ";.", "  ", "None", "the  role"):
        assert defect not in text, (defect, text)
    for lead in PHRASE_LEADS:
        at = text.find(lead)
        if at >= 0:
            following = text[at + len(lead) :]
            assert following[:1].islower() or following.startswith("["), text
    salutation, *paragraphs = text.split("\n\n")
    assert "\n" not in salutation and salutation.endswith((",", ":")), salutation
    for paragraph in paragraphs:
        lines = paragraph.split("\n")
        first = lines[0]
        if first.endswith(":") and all(line.startswith("- ") for line in lines[1:]):
            assert len(lines) > 1, paragraph  # a lead-in always has its list
            continue
        if first.startswith(tuple(CLOSINGS.values())):
            continue
        assert paragraph[-1] in ".?!", paragraph


def keeps_every_word(text: str, note: str) -> None:
    for item in note_items(note):
        for word in re.findall(r"\w{2,}", item):
            assert word.casefold() in text.casefold(), (word, text)


def words(text: str) -> int:
    return len(text.split())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("facts", [ALL_FACTS, NO_FACTS], ids=["all facts", "no facts"])
def test_the_thank_you_says_every_part_of_the_advice(language: str, facts: Facts) -> None:
    text = body(plan_for(language, facts), "thank-you")
    says_every_part(text, THANK_YOU_ADVICE, language)
    well_formed(text)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_notes_the_thank_you_leaves_marked_gaps_and_invents_nothing(
    language: str,
) -> None:
    draft = step(plan_for(language, NO_FACTS), "thank-you").email
    assert draft is not None
    assert GAPS[language] in draft.body
    assert len(draft.gaps) == 2, draft.gaps  # the moments and the fit: both left to the user
    for invented in ("learning more about the team", "the work ahead", "From what I heard"):
        assert invented not in draft.body
    written = step(plan_for(language, ALL_FACTS), "thank-you").email
    assert written is not None and written.gaps == ()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_thank_you_is_concise_without_the_users_notes(language: str) -> None:
    for facts in (NO_FACTS, replace(ALL_FACTS, highlights=None, fit=None)):
        text = body(plan_for(language, facts, sender={"name": "Alex Doe"}), "thank-you")
        assert words(text) <= 150, (words(text), text)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("note", HIGHLIGHTS)
def test_highlights_written_any_way_become_well_formed_text(language: str, note: str) -> None:
    facts = replace(ALL_FACTS, highlights=note)
    text = body(plan_for(language, facts), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    says_every_part(text, THANK_YOU_ADVICE, language)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("note", FIT)
def test_fit_written_any_way_becomes_well_formed_text(language: str, note: str) -> None:
    facts = replace(NO_FACTS, fit=note, highlights="- the demo\n- the team")
    text = body(plan_for(language, facts), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    says_every_part(text, THANK_YOU_ADVICE, language)


def test_a_note_that_reads_as_a_phrase_goes_into_the_sentence_others_into_a_list() -> None:
    def highlights(note: str) -> str:
        text = body(plan_for("en", replace(ALL_FACTS, highlights=note)), "thank-you")
        return text.split("\n\n")[2]

    assert highlights("The whiteboard session.") == (
        "I especially appreciated the whiteboard session."
    )
    assert highlights("meeting the team") == "I especially appreciated meeting the team."
    assert highlights("Loved the team. The take-home review went really well!") == (
        "What stood out for me:\n- Loved the team\n- The take-home review went really well!"
    )
    assert highlights("Kubernetes migration talk") == (
        "What stood out for me:\n- Kubernetes migration talk"
    )


def test_a_german_note_keeps_its_nouns_and_loses_the_capital_of_its_article() -> None:
    text = body(
        plan_for("de", replace(ALL_FACTS, highlights="Das Gespräch über Kafka.")), "thank-you"
    )
    assert "Besonders geschätzt habe ich das Gespräch über Kafka.\n" in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_status_check_asks_restates_and_recalls_the_interview_and_their_timeline(
    language: str,
) -> None:
    plan = plan_for(language, replace(ALL_FACTS, timeline="by 2026-12-15"))
    text = body(plan, "status-check")
    says_every_part(text, STATUS_CHECK_ADVICE, language)
    well_formed(text)
    recalls = {
        "en": [
            "our conversation on Tuesday 1 December about the Backend Engineer role at ACME.",
            "You mentioned you expected to decide by 15 December.",
        ],
        "de": [
            "unserem Gespräch am 1. Dezember über die Stelle als Backend Engineer bei ACME.",
            "Sie erwähnten, dass Sie bis zum 15. Dezember entscheiden wollten.",
        ],
        "fr": [
            "notre entretien du mardi 1er décembre pour le poste de Backend Engineer chez ACME.",
            "Vous m’aviez indiqué une décision d’ici le 15 décembre.",
        ],
        "nl": [
            "ons gesprek op dinsdag 1 december over de functie van Backend Engineer bij ACME.",
            "U gaf aan dat u uiterlijk 15 december een besluit verwachtte.",
        ],
        "es": [
            "nuestra entrevista del martes 1 de diciembre para el puesto de Backend Engineer"
            " en ACME.",
            "Me comentó que esperaban decidir antes del 15 de diciembre.",
        ],
    }
    for phrase in recalls[language]:
        assert phrase in text
    assert "the Backend Engineer at" not in text  # the role, not a person
    # Timely: the first working morning after their timeline.
    assert step(plan, "status-check").start == datetime(2026, 12, 16, 9, 0, tzinfo=BERLIN)


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_timeline_the_status_check_comes_10_to_14_days_after(language: str) -> None:
    plan = plan_for(language, NO_FACTS)
    window = step(plan, "status-check-window")
    assert window.start == datetime(2026, 12, 11, 9, 0, tzinfo=BERLIN)
    assert window.due == datetime(2026, 12, 15, 9, 0, tzinfo=BERLIN)
    text = body(plan, "status-check-window")
    says_every_part(text, STATUS_CHECK_ADVICE, language)
    well_formed(text)
    for timeline in ("decide by", "bis zum", "d’ici le", "uiterlijk", "antes del"):
        assert timeline not in text


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("facts", [ALL_FACTS, NO_FACTS], ids=["all facts", "no facts"])
def test_the_move_on_step_says_it_is_not_personal_and_what_to_do_next(
    language: str, facts: Facts
) -> None:
    move_on = step(plan_for(language, facts), "move-on")
    says_every_part(move_on.description, MOVE_ON_ADVICE, language)
    assert "None" not in move_on.description


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_timeline_question_rings_before_the_interview_never_inside_it(language: str) -> None:
    plan = plan_for(language, ALL_FACTS)
    prepare = step(plan, "prepare")
    says_every_part(prepare.description, PREPARE_ADVICE, language)
    assert prepare.start == START - timedelta(minutes=30)
    assert prepare.end <= START
    for followup in plan.followups:
        if followup.alarm_before is not None:
            rings = followup.start - followup.alarm_before
            assert not START <= rings < START + timedelta(hours=1), followup.rule_id


SALUTATIONS = [
    # name, en, de, fr, nl, es
    ("Frau Berger", "Dear Ms Berger,", "Sehr geehrte Frau Berger,", "Madame,",
     "Geachte mevrouw Berger,", "Estimada Sra. Berger:"),
    ("Ms Berger", "Dear Ms Berger,", "Sehr geehrte Frau Berger,", "Madame,",
     "Geachte mevrouw Berger,", "Estimada Sra. Berger:"),
    ("Herr Dr. Krause", "Dear Dr. Krause,", "Sehr geehrter Herr Dr. Krause,", "Monsieur,",
     "Geachte Dr. Krause,", "Estimado Dr. Krause:"),
    ("Dr. Krause", "Dear Dr. Krause,", "Guten Tag Dr. Krause,", "Bonjour Dr. Krause,",
     "Geachte Dr. Krause,", "Buenos días, Dr. Krause:"),
    ("Mr Smith", "Dear Mr Smith,", "Sehr geehrter Herr Smith,", "Monsieur,",
     "Geachte heer Smith,", "Estimado Sr. Smith:"),
    ("Mme Dupont", "Dear Ms Dupont,", "Sehr geehrte Frau Dupont,", "Madame,",
     "Geachte mevrouw Dupont,", "Estimada Sra. Dupont:"),
    ("mevrouw de Vries", "Dear Ms de Vries,", "Sehr geehrte Frau de Vries,", "Madame,",
     "Geachte mevrouw De Vries,", "Estimada Sra. de Vries:"),
    ("de heer Jansen", "Dear Mr Jansen,", "Sehr geehrter Herr Jansen,", "Monsieur,",
     "Geachte heer Jansen,", "Estimado Sr. Jansen:"),
    ("Sra. López", "Dear Ms López,", "Sehr geehrte Frau López,", "Madame,",
     "Geachte mevrouw López,", "Estimada Sra. López:"),
    ("Dana Smith", "Dear Dana,", "Guten Tag Dana Smith,", "Bonjour Dana Smith,",
     "Beste Dana,", "Buenos días, Dana Smith:"),
    ("Berger, Anna", "Dear Anna,", "Guten Tag Anna Berger,", "Bonjour Anna Berger,",
     "Beste Anna,", "Buenos días, Anna Berger:"),
    (None, "Hello,", "Guten Tag,", "Madame, Monsieur,", "Geachte heer, mevrouw,",
     "Buenos días:"),
]  # fmt: skip
FIRST_WORDS = {"en": "Thank", "de": "vielen", "fr": "Je", "nl": "Hartelijk", "es": "Muchas"}


@pytest.mark.parametrize(("name", *LANGUAGES), SALUTATIONS)
def test_the_salutation_follows_the_language_and_the_known_form_of_address(
    name: str | None, en: str, de: str, fr: str, nl: str, es: str
) -> None:
    facts = replace(ALL_FACTS, recruiter_name=name)
    for language, salutation in zip(LANGUAGES, (en, de, fr, nl, es), strict=True):
        text = body(plan_for(language, facts), "thank-you")
        assert text.startswith(f"{salutation}\n\n{FIRST_WORDS[language]} "), text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_drafts_sign_with_the_senders_name_or_signature(language: str) -> None:
    closing = CLOSINGS[language]
    named = plan_for(language, ALL_FACTS, sender={"name": "Alex Doe"})
    assert body(named, "thank-you").endswith(f"{closing}\nAlex Doe")
    signed = plan_for(
        language, ALL_FACTS, sender={"name": "Alex Doe", "signature": "Alex Doe\n+49 170 1234567"}
    )
    assert body(signed, "status-check").endswith(f"{closing}\nAlex Doe\n+49 170 1234567")


def test_dates_follow_the_language() -> None:
    assert "Tuesday 1 December" in body(plan_for("en", ALL_FACTS), "thank-you")
    assert "am 1. Dezember" in body(plan_for("de", ALL_FACTS), "thank-you")
    assert "du mardi 1er décembre" in body(plan_for("fr", ALL_FACTS), "thank-you")
    assert "op dinsdag 1 december" in body(plan_for("nl", ALL_FACTS), "thank-you")
    assert "del martes 1 de diciembre" in body(plan_for("es", ALL_FACTS), "thank-you")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_subject_names_the_role_by_its_name_or_else_the_interview(language: str) -> None:
    def subject(facts: Facts) -> str:
        draft = step(plan_for(language, facts), "thank-you").email
        assert draft is not None
        return draft.subject

    long_role = "Backend Engineer, Payments platform (hybrid, 3 days a week in Berlin)"
    assert len(long_role) > 60
    named = subject(replace(ALL_FACTS, role=long_role))
    assert "Backend Engineer" in named and "Payments" not in named and "hybrid" not in named
    unknown = subject(replace(ALL_FACTS, role=None))
    assert unknown.endswith(
        {"de": "1. Dezember", "fr": "1er décembre", "nl": "1 december", "es": "1 de diciembre"}.get(
            language, "1 December"
        )
    ), unknown
    assert " at ACME" not in unknown and "None" not in unknown


def test_the_readme_shows_the_drafts_in_full_in_every_language() -> None:
    """The commands in README.md are run again by tests/test_everyday_docs.py; here: they are there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in (
        "$ followup draft Umbrella thank-you",
        "$ followup draft Umbrella status-check",
        "$ followup draft Initech thank-you",
        "$ followup draft Initech status-check",
    ):
        assert command in readme
    for text in ("Dear Priya,", "Best regards\nAlex Doe", "Sehr geehrte Frau Berger,"):
        assert text in readme
    assert "Mit freundlichen Grüßen\nAlex Doe" in readme
    section = readme[readme.index("## Drafts you can send as they are\n") :]
    section = section[: section.index("\n## ")]
    for language in LANGUAGES:
        says_every_part(section, THANK_YOU_ADVICE, language)
        assert f"{CLOSINGS[language]}\nAlex Doe" in section, language
    for salutation in ("Madame,", "Geachte mevrouw", "Estimada Sra.", "Dear Kim,"):
        assert salutation in section


@pytest.mark.parametrize("note", HIGHLIGHTS + FIT)
def test_the_business_days_policy_makes_notes_well_formed_too(note: str) -> None:
    ruleset = load_rules(ROOT / "rules" / "business-days.yaml")
    ruleset = ruleset.model_copy(update={"timezone": "Europe/Berlin"})
    facts = replace(ALL_FACTS, highlights=note, fit=note)
    text = body(make_plan(ruleset, Reading(interviews=(interview(facts),)), NOW), "thank-you")
    well_formed(text)
    keeps_every_word(text, note)
    assert "I look forward to hearing from you." in text

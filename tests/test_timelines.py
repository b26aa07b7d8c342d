"""The recruiter's timeline in eight languages: read from the vocabulary file, placed after
the interview, never planned before a day they named, and said when it cannot be read."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup.engine.model import Plan
from followup.engine.pipeline import make_plan, read_ics
from followup.engine.plan.explain import explain, explanation_text
from followup.engine.plan.timeline import parse_timeline, unread_warning
from followup.engine.plan.timing import WorkCalendar
from followup.engine.read import timewords
from followup.engine.read.facts import extract_facts
from tests.conftest import at, default_rules

ROOT = Path(__file__).parent.parent
WEEK = WorkCalendar(frozenset(range(5)))
BERLIN = ZoneInfo("Europe/Berlin")


def last_day(said: str, zone: str = "Europe/Berlin", **kwargs: object) -> date | None:
    """The last day of the timeline ``said`` names, for an interview ending Tue 1 Dec 2026 11:00."""
    tz = ZoneInfo(zone)
    end = datetime(2026, 12, 1, 11, 0, tzinfo=tz)
    timeline = parse_timeline(said, end, tz, WEEK, **kwargs)  # type: ignore[arg-type]
    if timeline is None:
        return None
    return (timeline.deadline.astimezone(tz) - timedelta(microseconds=1)).date()


# --- the vocabulary file ------------------------------------------------------------------


def test_the_vocabulary_file_names_every_month_and_weekday_in_each_of_the_eight_languages() -> None:
    vocabulary = timewords.vocabulary()
    assert set(timewords.LANGUAGES) <= set(vocabulary.languages)
    months = {value for m in vocabulary.meanings.values() if (value := m.get("month"))}
    weekdays = {
        value for m in vocabulary.meanings.values() if (value := m.get("weekday")) is not None
    }
    assert months == set(range(1, 13)) and weekdays == set(range(7))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "december friday two weeks decide next week"),
        ("de", "dezember freitag zwei wochen rückmeldung nächste woche"),
        ("fr", "décembre vendredi deux semaines réponse la semaine prochaine"),
        ("nl", "december vrijdag twee weken terugkoppeling volgende week"),
        ("es", "diciembre viernes dos semanas respuesta la próxima semana"),
        ("it", "dicembre venerdì due settimane risposta settimana prossima"),
        ("pt", "dezembro sexta-feira duas semanas resposta próxima semana"),
        ("pl", "grudnia piątek dwóch tygodni odpowiedź w przyszłym tygodniu"),
    ],
)
def test_each_language_has_months_weekdays_numbers_units_decision_words_and_next_week(
    language: str, words: str
) -> None:
    month, weekday, number, unit, decision, *next_week = words.split()
    vocabulary = timewords.vocabulary()
    said = timewords.tokens(timewords.fold(" ".join(next_week)))
    assert vocabulary.match([t.text for t in said], 0, "relative") == (len(said), "next-week")
    for word, category in (
        (month, "month"),
        (weekday, "weekday"),
        (number, "number"),
        (unit, "unit"),
        (decision, "decision"),
    ):
        phrase = [t.text for t in timewords.tokens(timewords.fold(word))]
        assert vocabulary.match(phrase, 0, category) is not None, (language, word, category)


@pytest.mark.parametrize(
    ("original", "broken", "message"),
    [
        (
            'months = [\n    ["january"]',
            'months = [\n    ["jan1"], ["january"]',
            "expected 12 entries",
        ),
        ('"next week" = "next-week"', '"next week" = "soon"', "is none of"),
        ('"fortnight" = "2 weeks"', '"fortnight" = "2 fortnights"', "expected 'N hours"),
    ],
)
def test_a_vocabulary_file_with_a_mistake_names_it(
    original: str, broken: str, message: str
) -> None:
    text = (ROOT / "engine" / "data" / "timelines.toml").read_text(encoding="utf-8")
    assert original in text
    with pytest.raises(ValueError, match=message):
        timewords.load_vocabulary(text.replace(original, broken, 1))


# --- phrasings in the eight languages ----------------------------------------------------


@pytest.mark.parametrize(
    ("said", "zone", "day"),
    [
        ("Terugkoppeling vóór 15 april", "Europe/Amsterdam", date(2027, 4, 15)),
        ("ze laten binnen tien dagen iets weten", "Europe/Amsterdam", date(2026, 12, 11)),
        ("ik hoor over twee weken meer", "Europe/Amsterdam", date(2026, 12, 15)),
        ("uitslag uiterlijk vrijdag 11 december", "Europe/Amsterdam", date(2026, 12, 11)),
        ("réponse avant le vendredi 20 avril", "Europe/Paris", date(2027, 4, 20)),
        ("retour d'ici le 18 décembre", "Europe/Paris", date(2026, 12, 18)),
        ("ils répondent la semaine prochaine", "Europe/Paris", date(2026, 12, 11)),
        ("decision w/c 3 May", "Europe/London", date(2027, 5, 7)),
        ("hear back w/c 7 December", "Europe/London", date(2026, 12, 11)),
        ("Rückmeldung bis KW 50", "Europe/Berlin", date(2026, 12, 11)),
        ("Rückmeldung Anfang KW 51", "Europe/Berlin", date(2026, 12, 15)),
        ("respuesta la próxima semana", "Europe/Madrid", date(2026, 12, 11)),
        ("respuesta antes del 15 de dic.", "Europe/Madrid", date(2026, 12, 15)),
        ("mi faranno sapere entro fine settimana prossima", "Europe/Rome", date(2026, 12, 11)),
        ("risposta entro il 20 gennaio", "Europe/Rome", date(2027, 1, 20)),
        ("resposta até 15 de janeiro", "Europe/Lisbon", date(2027, 1, 15)),
        ("vão dar retorno na próxima semana", "America/Sao_Paulo", date(2026, 12, 11)),
        ("odpowiedź do 12 grudnia", "Europe/Warsaw", date(2026, 12, 12)),
        ("odpowiedź do 12 stycznia", "Europe/Warsaw", date(2027, 1, 12)),
        ("dadzą znać w przyszłym tygodniu", "Europe/Warsaw", date(2026, 12, 11)),
        ("decyzja w ciągu tygodnia", "Europe/Warsaw", date(2026, 12, 8)),
        ("they'll get back to me in a fortnight", "Europe/London", date(2026, 12, 15)),
        ("answer within 48 hours", "America/New_York", date(2026, 12, 3)),
        ("decision by the 3rd week of January", "America/New_York", date(2027, 1, 22)),
        ("outcome in Q1", "Europe/London", date(2027, 3, 31)),
        # a week's number as an ordinal before the word for the week
        ("decyzję przekażemy w 50. tygodniu", "Europe/Warsaw", date(2026, 12, 11)),
        ("Entscheidung in der 50. Kalenderwoche", "Europe/Berlin", date(2026, 12, 11)),
        ("réponse en 51e semaine", "Europe/Paris", date(2026, 12, 18)),
    ],
)
def test_timelines_in_eight_languages_and_their_regional_forms_are_read(
    said: str, zone: str, day: date
) -> None:
    assert last_day(said, zone) == day


def test_numbers_as_words_and_ranges_take_the_later_bound_in_every_language() -> None:
    for said in ("two to three weeks", "zwei bis drei Wochen", "deux à trois semaines",
                 "twee tot drie weken", "dos o tres semanas", "due o tre settimane",
                 "duas ou três semanas", "dwa lub trzy tygodnie"):  # fmt: skip
        assert last_day(said) == date(2026, 12, 22), said


def test_working_days_are_counted_as_working_days_whichever_side_the_word_stands() -> None:
    for said in ("5 working days", "5 Werktage", "5 jours ouvrés", "5 werkdagen",
                 "5 días hábiles", "5 giorni lavorativi", "5 dias úteis", "5 dni roboczych"):  # fmt: skip
        assert last_day(said) == date(2026, 12, 8), said


# --- never before a day the recruiter named ----------------------------------------------


def test_of_several_times_named_the_latest_is_the_deadline() -> None:
    assert last_day("by Friday, Monday the 7th at the latest") == date(2026, 12, 7)
    assert last_day("within 2 weeks, not before 18 December") == date(2026, 12, 18)


def test_a_date_in_a_clause_about_a_start_or_a_take_home_is_no_timeline() -> None:
    assert last_day("Start date 4 January; they'll let me know by Friday") == date(2026, 12, 4)
    assert last_day("Prise de poste le 4 janvier, réponse sous une semaine") == date(2026, 12, 8)
    assert last_day("Take-home due 10 December") is None


@pytest.mark.parametrize(
    "said",
    [
        "Our platform serves ~40M readers a month. We'll follow up within one week.",
        "Hybrid, 3 days a week in the office; we'll follow up within one week.",
        "On call twice a month, 40 hours per week. We'll follow up within one week.",
    ],
)
def test_a_rate_is_no_time_to_wait(said: str) -> None:
    assert last_day(said) == date(2026, 12, 8)
    assert last_day("We'll get back to you in a week.") == date(2026, 12, 8)


def test_a_day_without_a_year_shortly_before_the_interview_is_past_not_next_year() -> None:
    assert last_day("we met on 20 November, they decide within a week") == date(2026, 12, 8)
    assert last_day("decision by 30 Sept") is None


def test_a_piece_of_a_date_is_never_taken_for_the_date() -> None:
    """dateparser read "do 12" out of "do 12 stycznia" (by 12 January) as the 12th of this
    month, a month early; now what it reads must hold a word beside the number."""
    assert last_day("Timeline: do 12. ledna") is None
    assert last_day("Timeline: le 30 aoû 2027") == date(2027, 8, 30)


@settings(max_examples=150, deadline=None)
@given(
    # a day without a year up to three months before the interview is past: up to late August
    st.dates(min_value=date(2026, 12, 2), max_value=date(2027, 8, 29)),
    st.sampled_from(
        [
            ("en", "Decision by {d} {month}"),
            ("en", "hear back w/c {d} {month}"),
            ("de", "Rückmeldung bis zum {d}. {month}"),
            ("fr", "Réponse d'ici le {d} {month}"),
            ("nl", "Terugkoppeling uiterlijk {d} {month}"),
            ("es", "Respuesta antes del {d} de {month}"),
            ("it", "Risposta entro il {d} {month}"),
            ("pt", "Resposta até {d} de {month}"),
            ("pl", "Odpowiedź do {d} {month}"),
        ]
    ),
)
def test_a_status_check_is_never_planned_before_the_day_named_in_any_language(
    day: date, form: tuple[str, str]
) -> None:
    language, template = form
    month = _MONTHS[language][day.month - 1]
    said = template.format(d=day.day, month=month)
    read = last_day(said)
    assert read is not None and read >= day, said


_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "pl": "stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października "
    "listopada grudnia",
}
_MONTHS = {language: names.split() for language, names in _MONTHS.items()}  # type: ignore[misc]


# --- in a plan ---------------------------------------------------------------------------

NOW = at("Europe/Berlin", 2026, 11, 30, 8, 0)


def plan_for(notes: str, zone: str = "Europe/Berlin") -> Plan:
    """A plan for one interview, Tue 1 Dec 2026 10:00-11:00 in ``zone``, with these notes."""
    text = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//test//EN",
            "BEGIN:VEVENT",
            "UID:iv@x",
            "DTSTAMP:20261101T000000Z",
            f"DTSTART;TZID={zone}:20261201T100000",
            f"DTEND;TZID={zone}:20261201T110000",
            "SUMMARY:Interview with Acme",
            "DESCRIPTION:" + notes.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;"),
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    rules = default_rules(zone)
    return make_plan(rules, read_ics(text.encode(), rules=rules, now=NOW, name="c.ics"), NOW)


def status_check(plan: Plan) -> tuple[str, datetime]:
    (check,) = [f for f in plan.followups if f.rule_id.startswith("status-check")]
    return check.rule_id, check.start


@pytest.mark.parametrize(
    ("notes", "zone", "first_day"),
    [
        # read as the Monday, the check came before the week they named
        ("Sarah said they'd get back to me w/c 7 December", "Europe/London", date(2026, 12, 14)),
        # dateparser read "do 12": the 12th of December, a month early
        ("Odpowiedź do 12 stycznia", "Europe/Warsaw", date(2027, 1, 13)),
        # not read: the 10-day window came before their three weeks
        ("Ze laten binnen drie weken iets weten", "Europe/Amsterdam", date(2026, 12, 23)),
        ("Risposta entro il 18 dicembre", "Europe/Rome", date(2026, 12, 21)),
        ("Rückmeldung bis KW 51", "Europe/Berlin", date(2026, 12, 21)),
    ],
)
def test_the_status_check_waits_for_the_day_the_recruiter_named(
    notes: str, zone: str, first_day: date
) -> None:
    rule, start = status_check(plan_for(notes, zone))
    assert rule == "status-check"
    assert start.astimezone(ZoneInfo(zone)).date() == first_day


def test_a_timeline_that_cannot_be_read_is_said_in_plan_and_explain_with_how_to_write_it() -> None:
    plan = plan_for("Great conversation.\nRückmeldung erst nach Ostern.")
    said = (
        "Interview with Acme: the notes say when they decide, but followup could not read it:"
        " 'Rückmeldung erst nach Ostern.'; write it as 'Timeline: 2 weeks' or a date;"
        " using the policy's default window"
    )
    assert said in plan.warnings
    assert said.split(": ", 1)[1] in explanation_text(plan, explain(plan))
    assert status_check(plan)[0] == "status-check-window"


def test_a_timeline_line_that_says_there_is_none_yet_gives_no_warning() -> None:
    for notes in ("Timeline: TBD", "Timeline: not given", "Timeline: ?"):
        plan = plan_for(notes)
        assert not [w for w in plan.warnings if "could not read" in w], notes
    assert unread_warning("soonish") is not None


# --- which line is the timeline ----------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Ze laten binnen tien dagen iets weten.",
        "Réponse d'ici le vendredi 11 décembre",
        "Me darán respuesta la próxima semana",
        "Mi faranno sapere entro venerdì",
        "Vão dar retorno até sexta-feira",
        "Dadzą znać w przyszłym tygodniu",
        "Uitslag uiterlijk 18 december",
        "After this step, I'll follow up within two weeks.",
        "I will circle back by Friday.",
        "We typically move candidates to the next stage within 5–7 days.",
        "We hakken de knoop door vóór 12 februari.",
        "On te revient après les Fêtes, au plus tard le 8 janvier.",
        "Ti aggiorno dopo l'Epifania, al più tardi venerdì 8 gennaio.",
        "Wrócimy z odpowiedzią w ciągu 7–10 dni.",
        "Te escribiremos antes del 26 de febrero.",
        "Ti contatteremo entro il 20 gennaio.",
        "Yo te escribo el lunes con los siguientes pasos.",
        # notifying, completing a stage, a result by its noun, in each language
        "Successful candidates will be notified by 18/12/2026.",
        "We expect to complete this stage by Friday.",
        "Devolutiva até 20/11.",
        "Resolución antes del 13/11.",
        "Wir teilen Ihnen das Ergebnis bis 11.12. mit.",
        "Nous vous communiquerons notre choix d'ici le 15 janvier.",
        "Vi comunicheremo l'esito entro il 15 gennaio.",
        "Powiadomimy Panią do 18 grudnia.",
        "We informeren je uiterlijk 18 december.",
        # one recruiter speaking for themselves
        "Te diré algo como muy tarde el viernes.",
        "Avisarei até sexta-feira.",
        "Ti farò sapere entro il 15 gennaio.",
        "Je vous répondrai avant le 18 décembre.",
        # a compound that ends in a decision noun
        "Die Auswahlentscheidung wird voraussichtlich in der KW 50 getroffen.",
        "De selectiebeslissing volgt uiterlijk 18 december.",
    ],
)
def test_a_sentence_about_the_decision_in_another_language_is_the_timeline(line: str) -> None:
    assert extract_facts("Interview", f"Nice team.\n{line}").timeline == line


def test_a_first_name_that_is_a_month_is_no_month_but_after_a_month_word_it_is() -> None:
    """ "Março" folds to "marco": alone, it is the name; "até março" is March."""
    notes = (
        "La invitiamo al colloquio con l'Ing. Marco Bertone, dopo l'esito della prova.\n"
        "Vi faremo sapere l'esito entro il 13 novembre."
    )
    assert extract_facts("Colloquio", notes).timeline == (
        "Vi faremo sapere l'esito entro il 13 novembre."
    )
    assert extract_facts("Entrevista", "Daremos resposta até março.").timeline == (
        "Daremos resposta até março."
    )
    for name in ("Julio Ortega", "Abril Sanz", "Avril Dubois"):
        assert timewords.scan(f"Te contamos con {name}.").expressions == ()
    assert timewords.scan("Te contestamos en julio.").expressions != ()


def test_of_a_line_of_sentences_only_those_about_the_decision_are_the_timeline() -> None:
    """The latest time named is the deadline: another sentence's date must not be read."""
    decided = "All candidates will be notified of the outcome by 12/18/2026."
    line = f"{decided} The list may be used to fill similar vacancies through 06/30/2027."
    assert extract_facts("Panel interview", line).timeline == decided
    kept = "Wir geben Ihnen bis zum 18. Dezember Bescheid. Dr. Berg ist dabei."
    assert (
        extract_facts("Gespräch", kept).timeline == "Wir geben Ihnen bis zum 18. Dezember Bescheid."
    )


def test_a_sentence_that_names_a_time_wins_over_an_earlier_one_that_names_none() -> None:
    notes = "Decision makers: the CTO and the team lead.\nThey'll get back by 18 December."
    assert extract_facts("Interview", notes).timeline == "They'll get back by 18 December."


def test_a_start_date_and_a_conferencing_time_line_are_no_timeline() -> None:
    notes = (
        "Startdatum 1 februari.\nData di inizio prevista: 11 gennaio\n"
        "Time: Dec 3, 2026 10:00 AM Amsterdam\nHora: 3 dic 2026 10:00"
    )
    assert extract_facts("Interview", notes).timeline is None


def test_a_decision_sentence_without_words_of_time_is_no_timeline() -> None:
    assert extract_facts("Interview", "They will let me know.").timeline is None


# --- bounded work ------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"0123456789 ./-,:;'",
                "w/c", "KW", "week", "de", "do", "le", "mid", "end of", "next week",
                "December", "dic", "Friday", "Fr", "2", "12", "2026", "th", "bis",
                "binnen", "tien", "dagen", "d'ici", "Q", "weeks", "start", "decide",
            ]
        ),
        max_size=200,
    ).map(" ".join)
)  # fmt: skip
def test_any_text_gives_times_from_its_own_words_or_none(text: str) -> None:
    found = timewords.scan(text)
    folded = timewords.fold(text)
    for expression in found.expressions:
        assert expression.said in folded.lower() or expression.said in text.lower()
    last_day(text)  # never raises


def test_long_hostile_timelines_are_read_in_time_linear_in_their_size() -> None:
    """The timeout only catches a hang; the text is cut at 500 characters in any case."""
    script = (
        "from followup.engine.read import timewords\n"
        "for text in ['1.' * 100_000, 'w/c ' * 50_000, '2-' * 100_000, 'de ' * 60_000,"
        " 'end of ' * 30_000, '12/' * 60_000, 'Friday next ' * 20_000]:\n"
        "    timewords.scan(text)\n"
        "    timewords.speaks_of_decision(text)\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=60)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["Rückmeldung", "réponse", "we'll follow up", "in", "touch", "hear", "HEAR", "back",
             "Odpowiedź", "odpowiedz", "weten", "the", "team", "Décision", "x", ",", "\n", "2"]
        ),
        max_size=40,
    ).map(" ".join)
)  # fmt: skip
def test_a_line_is_passed_over_by_its_words_only_when_reading_it_whole_finds_no_decision(
    text: str,
) -> None:
    assert timewords.speaks_of_decision(text) == timewords.scan(text).decision


def test_a_week_commencing_a_date_that_reads_two_ways_gets_the_warning_too() -> None:
    london = ZoneInfo("Europe/London")
    end = datetime(2026, 12, 1, 11, 0, tzinfo=london)
    timeline = parse_timeline("w/c 07/12", end, london, WEEK)
    assert timeline is not None and timeline.warning is not None
    assert (timeline.deadline - timedelta(microseconds=1)).date() == date(2026, 12, 11)


@pytest.mark.parametrize(
    "notes",
    [
        "Bitte melden Sie sich am 11.12. um 9:30 am Empfang.",
        "Please report to reception on Friday 11 December.",
        "Meld je vrijdag 11 december bij de receptie.",
        "Zgłoś się do recepcji 11 grudnia.",
    ],
)
def test_a_date_in_a_clause_about_arriving_at_reception_is_no_timeline(notes: str) -> None:
    assert last_day(notes, "Europe/Berlin") is None


def test_a_decision_in_the_next_clause_after_arriving_is_still_read() -> None:
    notes = "Meld je op 11 december bij de receptie; we laten je uiterlijk 18 december weten."
    assert last_day(notes, "Europe/Amsterdam") == date(2026, 12, 18)


def test_outcomes_in_the_plural_name_the_decision_and_an_attendance_date_does_not() -> None:
    assert extract_facts("Assessment", "We aim to confirm outcomes by 27/11.").timeline
    assert extract_facts("Assessment", "Please confirm your attendance by 27/11.").timeline is None

"""Evidence beyond the word lists: the classes a calendar carries without an interview word.

Each case is read through the whole reader (the cheap scan, then the recogniser), so an
event whose evidence the scan misses fails here as "dropped": never listed, never asked.
"""

from __future__ import annotations

import pytest

from followup.engine.model import Interview
from followup.engine.read.facts import Organizer, description_lines, extract_facts
from followup.engine.read.reader import read_ics
from tests.test_recognise import one, outcome

ME = "noor.haddad@gmail.com"


@pytest.mark.parametrize(
    ("summary", "notes", "organizer"),
    [
        # a sentence that says when they will decide, with a time the timeline reader reads
        (
            "Lina Bauer and Noor Haddad",
            "We aim to tell all candidates by the end of next week.\nSee you then!",
            "lina.bauer@fernhollow.io",
        ),
        (
            "Spotkanie – Marta",
            "Dziękujemy za czas. Damy znać do 18 grudnia.",
            "marta.wrobel@lesnastudio.pl",
        ),
        (
            "Afspraak met Joris",
            "We laten uiterlijk vrijdag 20 november weten hoe we verder gaan.",
            "joris@kanaalwerk.nl",
        ),
    ],
)
def test_a_sentence_giving_the_decision_date_is_evidence_of_an_interview(
    summary: str, notes: str, organizer: str
) -> None:
    found = one(summary, description=notes, organizer=organizer, attendees=(organizer, ME))
    assert outcome(found) in ("counted", "asked")
    assert found is not None
    assert any("decide" in reason or "decision" in reason for reason in found.verdict.reasons)


@pytest.mark.parametrize(
    "notes",
    [
        "Any questions? Write to Priya Nair, Talent Partner: priya.nair@quillstone.com",
        "Contact: see below. Logistics, Recruiting Lead: dev@quillstone.com",
        "Ana Lima, RH – ana.lima@quillstone.com",
        "Piotr Zieliński, rekruter — piotr@quillstone.com",
    ],
)
def test_a_contact_line_inside_a_sentence_or_after_a_dash_is_a_contact(notes: str) -> None:
    found = one("Chat – Quillstone", description=notes, organizer="dev@quillstone.com")
    assert outcome(found) in ("counted", "asked")
    assert found is not None
    assert any("line with an address at quillstone.com" in r for r in found.verdict.reasons)


@pytest.mark.parametrize(
    "summary",
    [
        "Second stage – Copperleaf",
        "Next round: Copperleaf",
        "Zweite Runde Copperleaf",
        "Deuxième tour – Copperleaf",
        "Tweede gesprek Copperleaf",
        "Segunda entrevista – Copperleaf",
        "Secondo colloquio – Copperleaf",
        "Poznaj zespół – Copperleaf",
    ],
)
def test_a_later_stage_or_meeting_the_team_is_an_interview_in_every_language(
    summary: str,
) -> None:
    found = one(summary, organizer="ben.carver@copperleaf.eu")
    assert outcome(found) in ("counted", "asked")


@pytest.mark.parametrize(
    "notes",
    [
        "Which position did you apply for?\nProduct Analyst",
        "Thanks for your application for the Data Engineer opening.",
        "Final step in our hiring process: thirty minutes with the founder.",
        "Je hebt gesolliciteerd op de functie van planner.",
        "Dziękujemy, że aplikowałaś na to stanowisko.",
    ],
)
def test_notes_about_an_application_make_a_meeting_with_a_company_a_question_at_least(
    notes: str,
) -> None:
    found = one("Sara Quint and Noor Haddad", description=notes, organizer="sara@brindle.co")
    assert outcome(found) in ("counted", "asked")


@pytest.mark.parametrize(
    ("summary", "notes"),
    [
        ("KXRT interview – allotment project", "Live radio interview about the allotments."),
        ("Interview pour Radio Canut", "Interview radio sur le jardin partagé."),
        ("Interview Omroep Zuid", "Radio-interview over het buurthuis."),
        ("Entrevista Onda Norte", "Entrevista de radio sobre el huerto."),
    ],
)
def test_a_radio_interview_written_in_the_notes_is_press_not_an_interview(
    summary: str, notes: str
) -> None:
    found = one(summary, description=notes)
    assert outcome(found) not in ("counted",)
    assert found is None or any("press" in why for why in found.verdict.against)


def test_a_timeline_about_something_else_is_no_evidence() -> None:
    found = one(
        "Lina Bauer and Noor Haddad",
        description="The course starts on 4 January; bring a laptop.",
        organizer="lina.bauer@fernhollow.io",
    )
    assert outcome(found) in ("dropped", "ignored")


@pytest.mark.parametrize(
    ("summary", "organizer", "company"),
    [
        # a department, a role or a topic standing alone: the domain names the company
        ("Fachgespräch Buchhaltung", "anna@nordlicht-werke.de", "Nordlicht Werke"),
        ("Case – Product Owner", "sam@brindle.co", "Brindle"),
        ("Entretien – Comptabilité", "rh@valmont-sa.fr", "Valmont"),
        # the title's name wins when it stands after "at", is a business, or the domain spells it
        ("Interview at Quillstone", "jo@staffing-partners.com", "Quillstone"),
        ("Gesprek – Studio Ploeg", "p@ploeg.nl", "Studio Ploeg"),
        ("Rozmowa – Wisłoprint", "hr@wisloprint.pl", "Wisłoprint"),
        ("Étude de cas – Maison Lérot", "c@lerot-conseil.fr", "Maison Lérot"),
    ],
)
def test_the_company_is_the_title_s_name_only_where_nothing_says_otherwise(
    summary: str, organizer: str, company: str
) -> None:
    found = extract_facts(summary, None, Organizer(None, organizer))
    assert found.company == company


@pytest.mark.parametrize(
    ("organizer", "company"),
    [
        ("dana@harborlinemedia.com", "Harborline Media"),
        ("hr@kestrelacademy.org", "Kestrel Academy"),
        ("jo@biotech.de", "Biotech"),
        ("ana@globex.com", "Globex"),
    ],
)
def test_a_domain_of_one_word_is_cut_before_the_business_word_it_ends_with(
    organizer: str, company: str
) -> None:
    found = extract_facts("Interview", None, Organizer(None, organizer))
    assert found.company == company


def test_a_company_named_in_the_notes_ends_with_its_sentence() -> None:
    found = extract_facts(
        "Phone screen",
        "Thanks for applying to Pinewood Analytics! This is a short call.",
        Organizer(None, "tess@pinewoodanalytics.com"),
    )
    assert found.company == "Pinewood Analytics"


def test_a_coffee_chat_about_an_application_is_an_interview_not_networking() -> None:
    found = one(
        "Coffee chat – Bramble Foods",
        description="Thanks for applying for the Operations Lead role! Coffee is on me.",
        organizer="ivo@bramblefoods.com",
    )
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    ("summary", "notes", "organizer"),
    [
        ("Interview – Northern Makers", None, "host@northernmakers.fm"),
        ("Interview – Civic Data Weekly", "Recording for episode 12, about 40 minutes.", None),
        ("Entrevista – Onda Verde", "Episodio 31: huertos urbanos.", "ana@ondaverde.es"),
    ],
)
def test_an_interview_for_a_show_or_an_episode_is_press(
    summary: str, notes: str | None, organizer: str | None
) -> None:
    found = one(summary, description=notes, organizer=organizer)
    assert outcome(found) in ("dropped", "ignored")


def test_an_interview_with_a_name_that_may_be_a_press_outlet_is_asked_about() -> None:
    found = one("Interview – Harbour Radio", organizer="meg@harbourradio.co.uk")
    assert outcome(found) == "asked"
    assert found is not None
    assert any("press outlet" in why for why in found.verdict.against)


def test_a_radio_station_with_an_application_in_its_notes_is_an_interview() -> None:
    found = one(
        "Interview – Harbour Radio",
        description="Thank you for your application for the producer role.",
        organizer="meg@harbourradio.co.uk",
    )
    assert outcome(found) == "counted"


def test_a_recruiting_agency_s_domain_is_not_the_employer() -> None:
    found = extract_facts(
        "Phone screen – Data Engineer", None, Organizer(None, "kim@northstarstaffing.com")
    )
    assert found.company is None


def test_a_team_s_name_of_several_words_is_cut_from_a_shared_calendar_s_name() -> None:
    from followup.engine.people import company_of_calendar

    assert company_of_calendar("Brindle & Co Talent Acquisition") == "Brindle & Co"
    assert company_of_calendar("Harrow & Lyle Human Resources") == "Harrow & Lyle"


def _invite(uid: str, summary: str, notes: str, to: str) -> bytes:
    from tests.test_recognise import calendar, event

    return calendar(
        event(
            uid,
            summary,
            description=notes,
            organizer="no-reply@greenhouse.io",
            attendees=(to, "cand.idate@outlook.com"),
        )
    )


def test_an_employer_s_own_system_asking_you_for_a_scorecard_is_your_own_hiring() -> None:
    from tests.test_recognise import read

    me = frozenset({"noor.haddad@gmail.com", "noor.haddad@ridgeline.io"})
    data = _invite(
        "own@test",
        "Interview: Ola Brand for Data Engineer",
        "You are scheduled to interview Ola Brand. Submit your scorecard within 24 hours.",
        "noor.haddad@ridgeline.io",
    )
    found = read(data, owners=me).get("Interview: Ola Brand for Data Engineer")
    assert outcome(found) != "counted"


def test_an_invitation_to_your_work_address_as_the_candidate_still_counts() -> None:
    from tests.test_recognise import read

    me = frozenset({"noor.haddad@gmail.com", "noor.haddad@ridgeline.io"})
    data = _invite(
        "cand@test",
        "Interview with Quillstone",
        "Thank you for applying. The committee will meet every candidate in person.",
        "noor.haddad@ridgeline.io",
    )
    found = read(data, owners=me).get("Interview with Quillstone")
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    "summary",
    [
        "Colloqui con gli insegnanti",
        "Elternsprechtag",
        "Tienminutengesprek",
        "Parent-teacher conference",
        "Réunion parents-professeurs",
        "Wywiadówka",
    ],
)
def test_a_school_meeting_with_the_teachers_is_no_interview(summary: str) -> None:
    assert outcome(one(summary)) in ("dropped", "ignored")


def test_a_business_word_before_the_name_a_domain_spells_is_part_of_the_company() -> None:
    found = extract_facts(
        "Journée d'immersion",
        "Bienvenue à la Brasserie Carolingienne pour une journée avec l'équipe.",
        Organizer(None, "chef@carolingienne.fr"),
    )
    assert found.company == "Brasserie Carolingienne"


@pytest.mark.parametrize("address", ["giulia@outlook.it", "joao@hotmail.pt", "ewa@gazeta.pl"])
def test_a_mail_provider_in_any_country_is_nobody_s_company(address: str) -> None:
    from followup.engine.people import is_free_mail

    assert is_free_mail(address)


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Lambotte : rencontre avec le directeur", "Imprimerie Lambotte – mise en situation"),
        ("Harinera – entrevista final", "Harinera del Sur – caso práctico"),
    ],
)
def test_a_round_that_names_the_company_shortly_takes_the_fuller_name_of_another(
    short: str, full: str
) -> None:
    from tests.test_recognise import calendar, event, read

    data = calendar(
        event("a@test", full, day=5, organizer="rh@lambotte-harinera.eu"),
        event("b@test", short, day=12, organizer="rh@lambotte-harinera.eu"),
    )
    found = read(data)
    named = found[full].facts.company
    assert named is not None and named != found[full].summary
    assert found[short].facts.company == named


def test_a_name_with_an_umlaut_is_the_one_its_domain_spells_with_ue() -> None:
    found = extract_facts(
        "Kennenlerntage",
        "Willkommen bei der Praxisklinik Südstern! Wir freuen uns auf Sie.",
        Organizer(None, "personal@praxisklinik-suedstern.de"),
    )
    assert found.company == "Praxisklinik Südstern"


def test_an_agency_named_in_the_title_is_not_the_employer() -> None:
    found = extract_facts(
        "Belletje met Karim (Talentlink)", None, Organizer(None, "karim@talentlink-interim.be")
    )
    assert found.company is None


def test_a_candidate_line_naming_someone_else_at_your_work_address_is_your_own_hiring() -> None:
    from tests.test_recognise import calendar, event, read

    me = frozenset({"lucia.moreno@hafenwerk.de", "lucia.moreno@web.de"})
    notes = "Interviewer: Lucía Moreno\nKandidat: Jonas Feld\nStelle: Werkstudent Einkauf"
    own = calendar(
        event("own@test", "Bewerbungsgespräch: Jonas Feld", description=notes,
              organizer="noreply@personio.de", attendees=("lucia.moreno@hafenwerk.de",)),
    )  # fmt: skip
    assert outcome(read(own, owners=me).get("Bewerbungsgespräch: Jonas Feld")) != "counted"
    mine = notes.replace("Kandidat: Jonas Feld", "Kandidat: Lucía Moreno")
    as_candidate = calendar(
        event("cand@test", "Bewerbungsgespräch: Lucía Moreno", description=mine,
              organizer="noreply@personio.de", attendees=("lucia.moreno@hafenwerk.de",)),
    )  # fmt: skip
    found = read(as_candidate, owners=me).get("Bewerbungsgespräch: Lucía Moreno")
    assert outcome(found) == "counted"


def test_a_recruiter_named_in_a_sentence_with_an_address_is_a_contact() -> None:
    found = one(
        "Café com Rui",
        description="Rui Lopes, recrutador da Cortiça Viva, sobre a minha candidatura.\n"
        "rui.lopes@corticaviva.pt",
    )
    assert outcome(found) in ("counted", "asked")
    assert found is not None
    assert any("recrutador" in reason for reason in found.verdict.reasons)


@pytest.mark.parametrize(
    "summary",
    [
        "Atelier Nord — entrevue technique",
        "Kennenlerntage Werkhaus",
        "Revisão de portfólio – Vinhal",
        "Mise en situation – Transports Roux",
    ],
)
def test_regional_and_less_common_interview_words_count(summary: str) -> None:
    found = one(summary, organizer="ana.berg@kade-werk.eu")
    assert outcome(found) in ("counted", "asked")


def test_a_live_interview_for_the_radio_is_press() -> None:
    found = one(
        "Interview – La Matinale",
        description="Interview en direct par téléphone, environ six minutes.",
        organizer="aline@rtbx.be",
    )
    assert outcome(found) in ("dropped", "ignored")


def test_every_day_of_a_series_counts_when_a_moved_day_says_what_it_is() -> None:
    from tests.test_recognise import calendar, event

    master = event(
        "days@test",
        "Journée chez Forge Nord",
        day=16,
        description="Deux demi-journées avec l'équipe.",
        organizer="ines@forgenord.fr",
        extra=("RRULE:FREQ=DAILY;COUNT=2",),
    )
    moved = event(
        "days@test",
        "Journée chez Forge Nord (jour 2)",
        day=17,
        description="Entretiens avec la directrice. Nous vous communiquerons notre décision le 27/11.",
        organizer="ines@forgenord.fr",
        extra=("RECURRENCE-ID;TZID=Europe/Amsterdam:20261117T100000",),
    )
    found = read_all(calendar(master, moved))
    days = [iv for iv in found if iv.uid == "days@test"]
    assert len(days) == 2
    assert {iv.verdict.outcome for iv in days} == {"asked"} or {
        iv.verdict.outcome for iv in days
    } == {"counted"}
    first = next(iv for iv in days if iv.summary == "Journée chez Forge Nord")
    assert "another day of this series" in first.verdict.reasons[0]


def read_all(data: bytes) -> tuple[Interview, ...]:
    from tests.test_recognise import HOME, RULES, WINDOW

    return read_ics(data, matcher=RULES, home=HOME, window=WINDOW).events


@pytest.mark.parametrize(
    ("summary", "organizer", "company"),
    [
        ("Pomar Verde · conversa com Rafael", "rafael@pomarverde.pt", "Pomar Verde"),
        ("Case walkthrough – Cedar & Finch", "p@cedarandfinch.com", "Cedar & Finch"),
        ("Call w/ Rhys (Northgate Talent)", "rhys@northgate-talent.com", None),
    ],
)
def test_middle_dots_and_ampersands_and_agency_names_in_titles(
    summary: str, organizer: str, company: str | None
) -> None:
    assert extract_facts(summary, None, Organizer(None, organizer)).company == company


def test_an_invite_to_your_work_address_as_the_interviewer_is_your_own_hiring() -> None:
    from tests.test_recognise import read

    me = frozenset({"sanne@grachtwerk.nl", "sanne.devries@outlook.com"})
    data = _invite(
        "own2@test",
        "Sollicitatiegesprek Bram Kok",
        "Je bent ingepland als interviewer. Vul na afloop het evaluatieformulier in.",
        "sanne@grachtwerk.nl",
    )
    found = read(data, owners=me).get("Sollicitatiegesprek Bram Kok")
    assert outcome(found) != "counted"


@pytest.mark.parametrize(
    ("summary", "notes"),
    [
        # a bare name; the user's own note says what it is
        ("Ronan Healy", "Tidewell – HM chat (Analytics Engineer)\nronan.healy@tidewell.io"),
        ("Jorge Sastre", "ent. con Jorge Sastre, jefe de equipo. llevar CV impreso"),
        ("Marek", "druga rozmowa, pytać o widełki"),
    ],
)
def test_notes_that_speak_of_an_interview_under_a_bare_name_are_asked_never_ignored(
    summary: str, notes: str
) -> None:
    found = one(summary, description=notes)
    assert outcome(found) == "asked"
    assert found is not None and found.verdict.fix is not None


@pytest.mark.parametrize(
    ("summary", "notes"),
    [
        ("Dentist", "Bring the referral from your last interview with Dr. Kim."),
        ("Workshop: Bewerbung schreiben", "Mit Tipps fürs Vorstellungsgespräch."),
        ("Oefengesprek met loopbaancoach", "Oefenen voor het sollicitatiegesprek."),
    ],
)
def test_a_look_alike_whose_notes_mention_interviews_is_not_counted(
    summary: str, notes: str
) -> None:
    assert outcome(one(summary, description=notes)) != "counted"


@pytest.mark.parametrize(
    ("summary", "organizer"),
    [
        ("Rückruf wg. Bewerbung", "martina.frei@limmatwerk.ch"),
        ("Call about my application", "dana.price@fernhollow.io"),
        ("Telefonata per la mia candidatura", "g.riva@ortensia.it"),
    ],
)
def test_a_title_about_your_application_from_someone_at_a_company_counts(
    summary: str, organizer: str
) -> None:
    assert outcome(one(summary, organizer=organizer)) == "counted"


@pytest.mark.parametrize(
    "summary",
    [
        "Bergblick Interactive – Teamlunch / Kulturfit",
        "Culture-fit chat – Fernhollow",
        "Cultuurfit Kanaalwerk",
        "Bate-papo com a diretoria – Cerrado Verde",
        "Rozmowa z zarządem – Leśna Studio",
    ],
)
def test_culture_and_leadership_stages_in_each_language_count(summary: str) -> None:
    assert outcome(one(summary, organizer="people@example-employer.com")) == "counted"


def test_an_agency_recruiter_s_call_about_a_client_s_job_counts_without_naming_a_place() -> None:
    notes = (
        "vou te ligar pra conversar sobre uma vaga de UX Lead num cliente nosso "
        "(ainda confidencial). Posição híbrida em Lisboa."
    )
    found = one(
        "Ligação com a Marta (Atlântico Talent)",
        description=notes,
        organizer="marta.reis@atlanticotalent.pt",
    )
    assert outcome(found) == "counted"
    assert found is not None and found.facts.company is None


@pytest.mark.parametrize(
    "summary",
    [
        "Day one @ Vistula Health – welcome & laptop pickup",
        "Taller LABORA: cómo afrontar la entrevista de trabajo",
        "IEFP – Sessão: técnicas de procura de emprego e entrevista",
        "Colloquio con la commercialista – dichiarazione d'imposta",
    ],
)
def test_first_days_job_centre_courses_and_an_accountant_are_not_interviews(summary: str) -> None:
    assert outcome(one(summary, organizer="people@vistulahealth.com")) != "counted"


@pytest.mark.parametrize(
    ("title", "notes"),
    [
        (
            "Portfolio review with Dana W.",
            "Mentorship session booked on a mentoring platform.\nMentor: Dana Wright\n"
            "Mentee: Sam Ortiz",
        ),
        ("Revisão de portefólio com Rita", "Sessão de mentoria antes das entrevistas."),
        ("Revisión del CV con Laura", "Sesión de mentoría: preparar el portfolio."),
        ("Entrevista c/ Dr. Mota – peça freelance Expresso", "gravar a conversa para a peça"),
    ],
)
def test_a_mentoring_session_or_a_piece_for_the_press_is_not_counted(
    title: str, notes: str
) -> None:
    found = one(title, description=notes, organizer="dana.wright.design@gmail.com")
    assert outcome(found) != "counted"


@pytest.mark.parametrize(
    "notes",
    [
        "Thanks for applying to the Data Analyst role. New hires join our mentoring programme.",
        "Location: This is a Zoom web conference.\nTopic: Technical interview",
    ],
)
def test_teaching_words_in_an_invitation_that_speaks_of_the_job_leave_it_counted(
    notes: str,
) -> None:
    found = one(
        "Technical interview – Quarrydale Analytics",
        description=notes,
        organizer="maya.lind@quarrydale.io",
    )
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    "title",
    [
        "colloquio genitori-insegnanti (Giulia, 3B)",
        "colloquio classe insegnanti",  # a name in lower case shields none of its words
        "colloquio annuale con il capo",
        "colloquio col pediatra – vaccini",
        "entretien avec la maîtresse de Léo",
        "entretien pédiatre",
        "entrevista con los padres – tutoría",
        "entrevista pediatra Lucas",
        "Gespräch mit Klassenlehrerin",
        "gesprek met juf Anke",
        "rozmowa z wychowawczynią Zosi",
        "rozmowa z pediatrą",
        "interview with the paediatrician",
        "Colloqui con le maestre – Leo 2ªB",
        "Finale zaalvoetbal ⚽",
    ],
)
def test_a_school_a_doctor_or_an_annual_talk_beside_an_interview_word_is_not_counted(
    title: str,
) -> None:
    assert outcome(one(title)) != "counted"


@pytest.mark.parametrize(
    "title",
    [
        "Rozmowa kwalifikacyjna – Księgowa (Biuro Rachunkowe Lis)",
        "Vorstellungsgespräch – Klassenlehrerin Grundschule Am Hain",
        "Entrevista – Profesora de inglés (Academia Lingua)",
        "Entrevue – Enseignante de français, CSS des Rives",
        "Interview – Pediatric Nurse, Riverside Children's",
    ],
)
def test_a_job_of_schools_doctors_or_accounts_named_beside_an_interview_word_is_counted(
    title: str,
) -> None:
    assert outcome(one(title, organizer="hr@hiring-org.com")) == "counted"


@pytest.mark.parametrize(
    ("title", "notes", "expected"),
    [
        ("spotkanie z rekruterką", None, "asked"),
        (
            "spotkanie z rekruterką",
            "Ewa Nowicka – Brzoza Analytics (aplikowałam przez LinkedIn). ewa.nowicka@brzoza.io",
            "counted",
        ),
        ("Telefonat mit Recruiterin", None, "asked"),
        ("Kennenlerntermin Zirbenholz x Anna", None, "counted"),
        ("2. Gespräch Lindenhof", None, "counted"),
        ("Gesprek Lindeboom", "vac. teamleider zorg, nr 2026-201. vragen naar roosters", "counted"),
        ("Revisione portfolio con mentor", None, "dropped"),
        ("Portfolio review with my mentor", None, "dropped"),
    ],
)
def test_a_talk_with_a_recruiter_a_numbered_talk_or_a_short_vacancy_is_read_a_mentor_is_not(
    title: str, notes: str | None, expected: str
) -> None:
    assert outcome(one(title, description=notes)) == expected


def test_a_forwarded_invitation_to_interview_a_candidate_is_your_own_hiring() -> None:
    """Outlook's forward starts with a rule and a "Von:" line: the mail under it is read,
    and "Kandidat:in: ..." names the candidate (not "in: ...")."""
    from tests.test_recognise import calendar, event, read

    me = frozenset({"ines.brandl@hafenwerk.at", "ines.brandl@outlook.at"})
    notes = (
        "________________________________\nVon: Hafenwerk GmbH <no-reply@mail.personio.de>\n"
        "Betreff: Interview: Jonas Feld\n\nHallo Ines,\n\ndu wurdest als Interviewer:in "
        "eingeladen.\n\nKandidat:in: Jonas Feld\nPosition: Werkstudent Einkauf"
    )
    data = calendar(
        event("own@test", "WG: Interview: Jonas Feld – Werkstudent Einkauf", description=notes,
              organizer="no-reply@mail.personio.de", attendees=("ines.brandl@hafenwerk.at",)),
    )  # fmt: skip
    found = read(data, owners=me).get("WG: Interview: Jonas Feld – Werkstudent Einkauf")
    assert outcome(found) != "counted"
    assert found is not None and "'Jonas Feld'" in " ".join(found.verdict.reasons)


def test_the_notes_of_a_forward_are_kept_and_a_teams_block_still_dropped() -> None:
    notes = (
        "________________________________\nFrom: Ana Ruiz <ana@quillfeather.example>\n"
        "Interviewer: Sam Lee\n\n________________\nMicrosoft Teams meeting\nID: 123\n"
        "________________\nBring your portfolio."
    )
    assert description_lines(notes) == [
        "From: Ana Ruiz <ana@quillfeather.example>",
        "Interviewer: Sam Lee",
        "",
        "Bring your portfolio.",
    ]


def _after_a_round(
    title: str, notes: str, *, company: str = "Marlow Freight", sender: str = "olivia.park"
) -> dict[str, Interview]:
    """A calendar of an interview with ``company`` and, a week later, ``title`` with
    ``notes``, both sent from the company's domain; the events read, by title."""
    from tests.test_recognise import calendar, event, read

    domain = company.replace(" ", "").casefold() + ".example"
    data = calendar(
        event("round@test", f"Interview – {company}", day=3, organizer=f"sam.lee@{domain}"),
        event("talk@test", title, description=notes, organizer=f"{sender}@{domain}"),
    )
    return read(data)


@pytest.mark.parametrize(
    ("title", "notes"),
    [
        (
            "Marlow Freight <> Sam - next steps",
            "I'd love to walk you through the details of our offer (base, bonus, start date).",
        ),
        (
            "Termin Head of Controlling – Marlow Freight",
            "Wir freuen uns, Ihnen die Position anbieten zu können: den Vertragsentwurf gehen "
            "wir gemeinsam durch.",
        ),
        ("Appel avec Olivia – Marlow Freight", "Voici la lettre d'offre à signer."),
    ],
)
def test_a_talk_about_an_offer_after_the_interviews_is_asked_about_not_counted(
    title: str, notes: str
) -> None:
    found = _after_a_round(title, notes)
    assert outcome(found.get("Interview – Marlow Freight")) == "counted"
    assert outcome(found.get(title)) == "asked"


@pytest.mark.parametrize(
    "notes",
    [
        "Wir freuen uns, Ihnen ein Vorstellungsgespräch anbieten zu können.\nUnser Angebot: "
        "flexible Arbeitszeiten.",
        "Bedankt voor je sollicitatie. Ons aanbod: een goed salaris en goede arbeidsvoorwaarden.",
        "Gracias por tu candidatura a nuestra oferta de empleo.",
    ],
)
def test_what_a_job_ad_offers_leaves_an_invitation_counted(notes: str) -> None:
    found = _after_a_round("Termin – Marlow Freight", notes)
    assert outcome(found.get("Termin – Marlow Freight")) == "counted"


def test_an_offer_named_in_the_notes_of_an_interview_leaves_it_counted() -> None:
    found = one(
        "Final interview – Marlow Freight",
        description="If it goes well, we send the offer letter within a week.",
        organizer="olivia.park@marlowfreight.example",
    )
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    "title",
    [
        "Women in Data Denver - I'm on the panel!",
        "Jury oral blanc du brevet (3e)",
        "Sesión de orientación profesional entre Noelia Soriano y Clara Martí",
        "Berufsberatung bei der Agentur für Arbeit",
        "Sessão de orientação profissional",
    ],
)
def test_a_talk_on_a_panel_a_school_exam_jury_and_career_guidance_are_not_counted(
    title: str,
) -> None:
    assert outcome(one(title, organizer="hello@example.org")) != "counted"


@pytest.mark.parametrize(
    ("notes", "counted"),
    [
        ("Looking forward to chatting about the Finance Controller opening!", True),
        ("On parlera du poste de consultant e-learning.", True),
        ("Wir sprechen über die Stelle als Controllerin.", True),
        ("Our head office opening hours are 9 to 5.", False),  # no job's name
        ("Looking forward to catching up!", False),
    ],
)
def test_notes_that_name_a_job_beside_a_word_for_it_make_a_talk_an_interview(
    notes: str, counted: bool
) -> None:
    found = _after_a_round("Priya / Verena – intro", notes, company="Lumora", sender="priya.raman")
    assert (outcome(found.get("Priya / Verena – intro")) == "counted") is counted

"""The employer's name as a person would write it in a letter: the employer a recruiting
agency names, the fullest form the calendar writes, the name a sentence gives after the job.

Each class is tried in the languages followup knows, with names no other test uses.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from followup.engine.read.facts import (
    Organizer,
    client_named,
    employer_in_sentence,
    extract_facts,
    fuller_company,
    fuller_written,
    name_before_address,
    read_title,
)
from tests.conftest import ROOT
from tests.test_recognise import calendar, event, one, outcome, read


@pytest.mark.parametrize(
    ("notes", "employer"),
    [
        (
            "I'd like to brief you on the Data Lead role at my client Harrowgate Mutual.",
            "Harrowgate Mutual",
        ),
        (
            "wie besprochen die Stelle bei unserem Mandanten, der Ostwind Mühlen GmbH, vorab",
            "Ostwind Mühlen",
        ),
        (
            "Je vous appelle au sujet du poste chez mon client Les Forges de Lune (Metz).",
            "Les Forges de Lune",
        ),
        (
            "ik bel je over de functie bij mijn opdrachtgever Hout & Steen (Utrecht).",
            "Hout & Steen",
        ),
        (
            "te llamo por la vacante de nuestro cliente, Bodegas Rioverde, en Logroño.",
            "Bodegas Rioverde",
        ),
        ("la chiamo per la posizione presso il nostro cliente Cantieri Orsini.", "Cantieri Orsini"),
        ("quero apresentar-lhe a vaga no meu cliente, a Vinhas do Sado.", "Vinhas do Sado"),
        ("dzwonię w sprawie roli u naszego klienta – Huta Orzeł S.A.", "Huta Orzeł"),
        # a name whose first word is a particle
        ("In opdracht van Van Stolk Havenlogistiek nodigen wij u uit.", "Van Stolk Havenlogistiek"),
    ],
)
def test_the_employer_an_agency_names_after_my_client_is_the_company(
    notes: str, employer: str
) -> None:
    assert client_named(notes) == employer
    facts = extract_facts(
        "Call – Mira Stone (Northfold Talent)",
        notes,
        Organizer("Mira Stone", "mira.stone@northfoldtalent.com"),
    )
    assert facts.company == employer  # not the agency of the title
    assert facts.recruiter_email == "mira.stone@northfoldtalent.com"  # the agency writes


@pytest.mark.parametrize(
    "notes",
    [
        "This invitation was sent on behalf of Mira Stone.",  # a person, one of the event's
        "ik bel je over de job bij onze klant, een Antwerpse producent van sappen.",  # described
        "A call about a role for our client. Series B, fintech, remote.",  # the sentence ended
        "our client is a leading insurer in the north",  # no name follows
        "Your first interview with my client, a Series C fintech in Austin.",  # described
    ],
)
def test_what_follows_my_client_is_a_company_only_when_it_is_a_name(notes: str) -> None:
    names = frozenset({"mira stone", "mira"})
    assert client_named(notes, names) is None


def test_an_agency_named_by_its_domain_or_its_words_is_never_the_employer() -> None:
    quiet = extract_facts(
        "Telefonat (Rheinau Personalberatung)",
        "Viele Grüße\nJana Vogt\nRheinau Personalberatung GmbH",
        Organizer("Jana Vogt", "jana.vogt@rheinau-personalberatung.de"),
    )
    assert quiet.company is None  # the agency does not say whom it recruits for
    joined = extract_facts(
        "Telefonat",
        "Viele Grüße\nJana Vogt\nBrandl & Partner Personalberatung GmbH\nRing 5, 1010 Wien",
        Organizer("Jana Vogt", "jana.vogt@brandl-partner.at"),
    )
    assert joined.company is None  # "&" inside the name its domain spells
    italian = extract_facts(
        "Telefonata – Selezione Aurora", None, Organizer(None, "g.neri@auroraselezione.it")
    )
    assert italian.company is None


def test_an_agency_s_call_about_a_job_at_its_client_is_an_interview() -> None:
    notes = "Bonjour, je vous appelle au sujet du poste chez mon client Les Forges de Lune."
    found = read(
        calendar(
            event(
                "agency@test",
                "Appel Julie Roche – Cabinet Orion RH",
                description=notes,
                organizer="julie.roche@orion-rh.fr",
            )
        )
    )["Appel Julie Roche – Cabinet Orion RH"]
    assert outcome(found) == "counted"
    assert found.facts.company == "Les Forges de Lune"
    assert any("recruiting agency" in reason for reason in found.verdict.reasons)


@pytest.mark.parametrize(
    ("name", "location", "texts", "fuller"),
    [
        (
            "Brightmoor",
            "Brightmoor Freight Group, 12 Dock Road, Hull",
            [],
            "Brightmoor Freight Group",
        ),
        ("Morvan", "Les Ateliers Morvan / 4 quai Rambaud, Lyon", [], "Les Ateliers Morvan"),
        ("Witte Molen", None, ["Lunch met het team – De Witte Molen"], "De Witte Molen"),
        ("Altavia", None, ["Votre entretien chez Groupe Altavia est confirmé."], "Groupe Altavia"),
        ("Leesgraag", None, ["Anna is directeur van Stichting Leesgraag."], "Stichting Leesgraag"),
        (
            "Larchfield",
            None,
            ["Talent Partner at Larchfield Travel, is confirmed."],
            "Larchfield Travel",
        ),
        # a location's name may hold words of titles, and its legal form is left out
        ("Verzola", "Studio Tecnico Verzola, Corso Dante 12, 10134 Torino", [], "Studio Tecnico Verzola"),
        ("Fioravanti", "Ceramiche Fioravanti S.p.A.\nVia Emilia 4, Modena", [], "Ceramiche Fioravanti"),
        ("Alcantara Saúde", None, ["Entrevista – Clínica Alcantara Saúde (Faro)"], "Clínica Alcantara Saúde"),
    ],
)  # fmt: skip
def test_the_fullest_form_the_event_writes_is_the_company(
    name: str, location: str | None, texts: list[str], fuller: str
) -> None:
    assert fuller_written(name, location, texts) == fuller


@pytest.mark.parametrize(
    ("name", "location", "texts"),
    [
        ("Brightmoor", "Brightmoor HQ, 12 Dock Road", []),  # a place, not the name
        ("Brightmoor", "Kantine Brightmoor, Dock Road", []),
        ("Brightmoor", "Brightmoor Room 4.12", []),
        ("Larchfield", None, ["Larchfield Virtual Onsite - Part 2"]),  # the interview's words
        ("Larchfield", None, ["He moved to Larchfield last year; ask him"]),
        ("Larchfield", None, ["Larchfield GmbH | Kaiserstraße 2"]),  # a legal form adds nothing
    ],
)
def test_words_of_places_and_interviews_never_make_a_name_fuller(
    name: str, location: str | None, texts: list[str]
) -> None:
    assert fuller_written(name, location, texts) is None


@pytest.mark.parametrize(
    ("location", "name"),
    [
        ("Alvor Saúde – Rua do Campo Alegre 830, 4150-171 Porto", "Alvor Saúde"),
        ("RMB Digital, 5th floor, 12 King St, Manchester", "RMB Digital"),
        ("Kessler Bau GmbH\nHauptstraße 5\n10115 Berlin", "Kessler Bau"),  # Apple's two lines
        ("Brightmoor Freight, Dock Road", None),  # no number: no address follows
        ("Brightmoor", None),
        ("Berlin, Friedrichstraße 10", None),  # one word: a city as often as a company
        ("New York, 5th Ave 10", None),  # a city the time zone database names
        ("Conference Room B, 3rd floor", None),  # a room, not a name
        ("Recruiting Team Nord, Kai 4", None),  # the company's team
        ("Microsoft Teams Meeting", None),
    ],
)
def test_a_location_names_the_company_before_its_address(location: str, name: str | None) -> None:
    assert name_before_address(location) == name


def test_an_interview_held_at_a_company_s_address_names_that_company() -> None:
    facts = extract_facts(
        "final!!", None, None, location="RMB Digital, 5th floor, 12 King St, Manchester"
    )
    assert (facts.company, facts.source_of("company")) == (
        "RMB Digital",
        "LOCATION (the name before its address)",
    )


def test_the_location_makes_the_title_s_short_name_full() -> None:
    facts = extract_facts(
        "Brightmoor – case study",
        None,
        Organizer(None, "kate@brightmoor.co.uk"),
        location="Brightmoor Freight Group, 12 Dock Road, Hull",
    )
    assert facts.company == "Brightmoor Freight Group"
    assert facts.source_of("company") == "SUMMARY, written in full"


@pytest.mark.parametrize(
    ("notes", "employer"),
    [
        (
            "a panel for the Operations Analyst position at Tidewell Analytics.",
            "Tidewell Analytics",
        ),
        (
            "la llamada para el puesto de Controller en Vientos del Norte (Monterrey).",
            "Vientos del Norte",
        ),
        (
            "Ihr Gespräch für die Stelle als Referentin bei Stadtwerke Auenfeld.",
            "Stadtwerke Auenfeld",
        ),
        ("the role at our Berlin office", None),
        ("the position. At Dawn we start", None),
    ],
)
def test_a_sentence_names_the_employer_after_the_job(notes: str, employer: str | None) -> None:
    assert employer_in_sentence(notes) == employer


def test_rounds_share_the_fullest_name_any_of_them_gives() -> None:
    assert fuller_company("Morvan", ["Les Ateliers Morvan"], replaceable=False) == (
        "Les Ateliers Morvan"
    )
    assert fuller_company("Kanaalhuis", ["Kanaalhuis Training & Advies"], replaceable=False) == (
        "Kanaalhuis Training & Advies"
    )
    # read from a domain: the name most rounds give, in its fullest form
    assert (
        fuller_company(
            "Clearpoint", ["Clearpoint", "Clearpoint", "Clearpoint Regtech"], replaceable=True
        )
        == "Clearpoint Regtech"
    )
    assert fuller_company("Morvan", ["Morvan Recruiter Screen Extra"], replaceable=False) == (
        "Morvan"
    )  # three words more is another reading, not a fuller name


def test_a_name_with_an_ampersand_is_spelled_by_a_domain_in_its_language() -> None:
    facts = extract_facts("Hout & Steen – casus", None, Organizer(None, "sien@houtensteen.nl"))
    assert facts.company == "Hout & Steen"


@pytest.mark.parametrize(
    "title",
    [
        "Technical assignment review – Ventoforte",
        "Aufgabenbesprechung – Ventoforte",
        "Restitution du cas – Ventoforte",
        "Bespreking technische opdracht – Ventoforte",
        "Prueba en directo – Ventoforte",
        "Approfondimento tecnico – Ventoforte",
        "Revisão do desafio – Ventoforte",
        "Omówienie zadania technicznego – Ventoforte",
    ],
)
def test_a_stage_named_in_any_of_eight_languages_beside_a_company_is_counted(
    title: str,
) -> None:
    found = read(calendar(event("stage@test", title, organizer="ana@ventoforte.eu")))[title]
    assert outcome(found) == "counted"
    assert found.facts.company == "Ventoforte"


@pytest.mark.parametrize(
    "title",
    ["Repasar caso práctico con Pablo", "Fallstudie durchgehen mit Jonas", "Casus doornemen"],
)
def test_going_over_a_case_with_a_friend_is_preparing_not_an_interview(title: str) -> None:
    assert outcome(read(calendar(event("prep@test", title))).get(title)) != "counted"


def test_an_interview_word_the_press_shares_beside_a_radio_s_name_is_asked_not_counted() -> None:
    title = "Interview Radio Kanaal – fietspaden in de wijk"
    notes = "Live in de uitzending van 8 uur. Het interview duurt tien minuten."
    found = read(
        calendar(event("radio@test", title, description=notes, organizer="redactie@radiokanaal.nl"))
    ).get(title)
    assert outcome(found) != "counted"
    # a job's own words beside a press word in a name: the company's name, counted
    onsite = "Brightwave Media – Virtual Onsite: Coding"
    job = read(calendar(event("media@test", onsite, organizer="kim@brightwavemedia.com")))
    assert outcome(job[onsite]) == "counted"


@pytest.mark.parametrize(
    "title", ["rozmowa – Senior Data Analyst", "Call | Product Designer", "Telefonat – Controller"]
)
def test_a_talk_whose_title_names_a_job_is_an_interview_and_the_scan_keeps_it(title: str) -> None:
    found = read(calendar(event("job@test", title, organizer="anna@lindenhaus.pl"))).get(title)
    assert outcome(found) == "counted"
    assert found is not None
    assert any("names a job" in reason for reason in found.verdict.reasons)


def test_a_child_s_playoffs_final_round_is_sport_not_an_interview() -> None:
    title = "Mila – U12 playoffs, final round ⚽"
    assert outcome(read(calendar(event("sport@test", title))).get(title)) != "counted"


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("Solvane 2e tour 🤞", "Solvane"),
        ("Marenco 2ª entrevista", "Marenco"),
        ("Videointerview Hafenblick aufnehmen (HireVue)", "Hafenblick"),
        ("Kessler & Brandt – Fallstudie", "Kessler & Brandt"),
        ("Entrevista con Vientos del Este", "Vientos del Este"),
    ],
)
def test_ordinals_emoji_and_verbs_of_a_title_are_not_the_company(title: str, company: str) -> None:
    assert extract_facts(title, None).company == company


def test_an_ordinal_as_any_of_the_languages_writes_it_is_a_number() -> None:
    from followup.engine.read.lexicon import is_number, tokens

    assert all(is_number(t) for t in tokens("2 2nd 3rd 2e 1er 2ème 2de 2ª 3º 4th"))
    assert not any(is_number(t) for t in tokens("2x 3d 2b 10k"))


def test_a_name_the_notes_write_with_more_words_after_an_ampersand_is_the_fullest() -> None:
    facts = extract_facts(
        "Kennismaking Brookdale Training",
        "We spreken over de functie bij Brookdale Training & Advies in Haarlem.",
        Organizer(None, "eva@brookdale.nl"),
    )
    assert facts.company == "Brookdale Training & Advies"


def test_an_exclusion_inside_the_name_the_notes_write_does_not_keep_the_interview_out() -> None:
    title = "Kennismaking Brookdale Training"
    notes = (
        "We spreken over de functie bij Brookdale Training & Advies.\nRecruiter: eva@brookdale.nl"
    )
    found = one(title, description=notes, organizer="eva@brookdale.nl")
    assert outcome(found) == "counted"  # "training" is an exclusion of the default rules


def test_the_employer_a_recruiter_names_as_theirs_is_the_company() -> None:
    notes = "Olá, sou a Rita, responsável de recrutamento da Vasconcelos & Irmãos (Braga)."
    assert employer_in_sentence(notes) == "Vasconcelos & Irmãos"
    assert employer_in_sentence("Hi, I'm Tom, Talent Partner at Quarrybank Foods.") == (
        "Quarrybank Foods"
    )


def test_a_name_in_the_notes_with_particles_is_the_one_its_domain_spells_without_them() -> None:
    facts = extract_facts(
        "Échange poste communication",
        "Bonjour, merci pour votre intérêt pour la Cave des Coteaux d'Azur.",
        Organizer(None, "rh@cavecoteauxdazur.fr"),
    )
    assert facts.company == "Cave des Coteaux d'Azur"


_PIECES = st.sampled_from(
    [
        *"aZ09 -–|:@()[]/&',.;\n",
        *("my client", " bei unserem Mandanten", " der ", "Acme", "Brook", " & ", " position at "),
        *(" Les ", "Groupe", " HQ", " d'", " GmbH", "🤞", " de "),
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PIECES, max_size=200).map("".join), st.lists(_PIECES, max_size=60).map("".join))
@example(notes="", location=" der -Acme")  # a location's part kept "-Acme" whole
@example(notes="", location="(")  # a location of marks alone had no first part
def test_any_notes_give_names_made_of_their_own_words(notes: str, location: str) -> None:
    for found in (client_named(notes), employer_in_sentence(notes)):
        assert found is None or all(word in notes for word in found.split())
    fuller = fuller_written("Acme", location, [notes])
    assert fuller is None or "Acme" in fuller.split()
    assert fuller is None or all(word in f"{location}\n{notes}" for word in fuller.split())
    placed = name_before_address(location)
    assert placed is None or all(word in location for word in placed.split())


def test_long_hostile_notes_are_read_for_names_in_time_linear_in_their_size() -> None:
    """The timeout only catches a hang."""
    script = (
        "from followup.engine.read.facts import client_named, employer_in_sentence, fuller_written\n"
        "n = 200_000\n"
        "for notes in ['my client ' * (n // 10), 'Acme ' * (n // 5), 'position at ' * (n // 12),"
        " ('A ' * 40 + '\\n') * (n // 80), '& ' * (n // 2), 'de ' * (n // 3)]:\n"
        "    client_named(notes)\n"
        "    employer_in_sentence(notes)\n"
        "    fuller_written('Acme', notes[:20000], [notes])\n"
    )
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, timeout=120)


@pytest.mark.parametrize(
    ("address", "company"),
    [("ana@velvetmoss.studio", "Velvetmoss"), ("jo@harbourline.agency", "Harbourline")],
)
def test_a_top_level_domain_that_is_a_word_is_no_company(address: str, company: str) -> None:
    assert extract_facts("Interview", None, Organizer(None, address)).company == company
    notes = "Thanks for applying to Velvet Moss Studio! See you soon."
    named = extract_facts("Portfolio review", notes, Organizer(None, "ana@velvetmoss.studio"))
    assert named.company == "Velvet Moss Studio"


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("Gravar vídeo-entrevista Miradouro (HireVue)", "Miradouro"),
        ("Fallstudie: Präsentation vor dem Analytics-Team", None),
        ("Videocolloquio Ponteverde (registrare)", "Ponteverde"),
    ],
)
def test_a_recorded_video_interview_names_the_employer_not_its_system_or_a_team(
    title: str, company: str | None
) -> None:
    assert extract_facts(title, None).company == company
    found = read(calendar(event("video@test", title, organizer="rh@miradouro.pt"))).get(title)
    assert outcome(found) in ("counted", "asked")


def test_an_event_whose_own_notes_speak_of_a_last_round_is_listed_never_dropped() -> None:
    title = "Maren Holt"
    notes = "Quarrybank Foods - CEO. Last round per Lena. Ask about the team."
    found = read(calendar(event("bare@test", title, description=notes))).get(title)
    assert outcome(found) != "dropped"  # counted, asked, or set aside with its reason


@pytest.mark.parametrize(
    "title",
    [
        "Solicitatiegesprek Dijkstra Haven",
        "Vorstellungsgepräch Auwald Systeme",
        "Kenismakingsgesprek Hoeve",
    ],
)
def test_a_long_interview_word_written_with_one_slip_is_still_an_interview(title: str) -> None:
    found = read(calendar(event("typo@test", title, organizer="hr@haven-hoeve.nl"))).get(title)
    assert outcome(found) in ("counted", "asked")
    assert found is not None and not (found.facts.company or "").lower().startswith(
        ("solicitatie", "vorstellung", "kenismaking")
    )


def test_a_word_of_the_lists_as_written_is_not_taken_for_a_slip() -> None:
    from followup.engine.read.lexicon import near_interview_word

    assert near_interview_word("sollicitatiegesprek") is None
    assert near_interview_word("presentation") is None
    assert near_interview_word("solicitatiegesprek") == "sollicitatiegesprek"


@pytest.mark.parametrize(
    ("title", "notes"),
    [
        (
            "Coffee chat w/ Jordan (Larkspur)",
            "Informational only – not applying yet. Ask about hours.",
        ),
        (
            "Kaffee mit Jana (Auwald) – nur Austausch",
            "Keine Bewerbung – nur hören, wie es dort ist.",
        ),
    ],
)
def test_notes_that_take_the_application_back_leave_a_coffee_chat_networking(
    title: str, notes: str
) -> None:
    found = read(calendar(event("coffee@test", title, description=notes))).get(title)
    assert outcome(found) != "counted"


def test_a_reporter_s_phone_interview_for_a_piece_is_press() -> None:
    title = "Interview w/ Harbour Gazette re: bike lanes"
    notes = (
        "Reporter Sam Reed (sam@harbourgazette.com) — phone interview for a piece on bike lanes."
    )
    found = one(title, description=notes, organizer="sam@harbourgazette.com")
    assert outcome(found) != "counted"


@pytest.mark.parametrize(
    "title", ["Entretien de la fournaise", "Furnace service", "Ölwechsel Golf", "Cambio gomme"]
)
def test_servicing_a_furnace_or_a_car_is_a_service_not_an_interview(title: str) -> None:
    assert outcome(read(calendar(event("svc@test", title))).get(title)) != "counted"


def test_a_recruiter_s_notes_in_spanish_that_promise_to_write_are_evidence_the_scan_keeps() -> None:
    title = "Llamada con Ana – Finanzas del Sur"
    notes = (
        "Hola,<br><br>gracias por tu interés en la posición de <b>Analista</b>.<br>"
        "Te escribiremos antes del 26 de febrero.<br>Ana"
    )
    found = one(title, description=notes, organizer="ana@finanzasdelsur.pe")
    assert outcome(found) == "counted"


def test_an_agency_name_in_the_notes_is_not_the_employer_the_title_names() -> None:
    facts = extract_facts(
        "Wrenfield (HL Recruitment) – 1st stage",
        "Interview with Wrenfield Home Insurance.\nTom Fielding\nHarper Vale Recruitment",
        Organizer("Tom Fielding", "tom.fielding@harpervale.co.uk"),
    )
    assert facts.company == "Wrenfield Home Insurance"


def test_a_legal_form_of_any_country_ends_a_name_the_notes_write() -> None:
    facts = extract_facts(
        "Llamada con Ana",
        "Ana Quispe\nGestión del Talento – Finanzas del Norte S.A.C.",
        Organizer(None, "ana@finanzasdelnorte.pe"),
    )
    assert facts.company == "Finanzas del Norte"


@pytest.mark.parametrize(
    "title",
    [
        "Boisvert – offre d'emploi (appel avec Nadia)",
        "Wistula – omówienie oferty i umowy",
        "Banco Sul – reunião com gerente (financiamento)",
        "Colloquio consolato – cittadinanza italiana",
        "Rozmowa z kandydatem – Junior QA",
    ],
)
def test_offers_loans_consulates_and_your_own_candidates_are_not_interviews(title: str) -> None:
    assert outcome(one(title)) != "counted"


@pytest.mark.parametrize(
    "title",
    [
        "Café con Marisol (Ruta Norte) – sobre mi postulación",
        "koffie Bram (Klaverhof) n.a.v. sollicitatie",
    ],
)
def test_a_coffee_about_your_application_is_never_dropped(title: str) -> None:
    assert outcome(one(title)) != "dropped"  # listed at least, with its reason
    notes = "Recruiter: Bram de Vries <bram@klaverhof.nl>"
    assert outcome(one(title, description=notes)) in ("counted", "asked")


def test_a_press_outlet_s_interview_with_title_is_no_application() -> None:
    title = "Interview with Design Weekly (Q&A call)"
    assert outcome(one(title, organizer="ravi@designweekly.press")) != "counted"


@pytest.mark.parametrize(
    "notes",
    ["ent. con Jorge, jefe de equipo. llevar CV impreso", "Bring your resume and ID to reception."],
)
def test_notes_about_bringing_your_cv_keep_a_bare_title_listed(notes: str) -> None:
    assert outcome(one("Jorge Santos", description=notes)) != "dropped"


def test_a_recruiting_team_s_name_after_the_company_does_not_make_it_fuller() -> None:
    texts = ["Tyler Nguyen\nBrightmoor Freight Recruiting"]
    assert fuller_written("Brightmoor", None, texts) == "Brightmoor Freight"


def test_an_irish_legal_form_ends_the_name() -> None:
    facts = extract_facts(
        "Interview: Senior Data Engineer",
        "Thanks for applying to Shannonvale Insurance DAC.",
        Organizer(None, "talent@shannonvale.ie"),
    )
    assert facts.company == "Shannonvale Insurance"


@pytest.mark.parametrize(
    ("title", "address", "company"),
    [
        ("Final round - Hudson Ridge", "jess@hudsonridgehealth.org", "Hudson Ridge"),
        ("Kelly Moore Paints – phone screen", "hr@kellymoore.com", "Kelly Moore Paints"),
        ("Entretien – Manpower Conseil Retail", "rh@manpowerconseil.fr", "Manpower Conseil Retail"),
    ],
)
def test_an_agency_s_brand_inside_a_longer_name_is_not_an_agency(
    title: str, address: str, company: str
) -> None:
    assert extract_facts(title, None, Organizer(None, address)).company == company


@pytest.mark.parametrize(
    ("title", "address"),
    [
        ("Call w/ Rhys (Hays)", "rhys@hays.co.uk"),
        ("Interview prep – Robert Half", "mo@roberthalf.com"),
    ],
)
def test_an_agency_known_by_its_brand_alone_is_never_the_employer(title: str, address: str) -> None:
    assert extract_facts(title, None, Organizer(None, address)).company is None


def test_a_name_the_notes_write_with_a_word_its_domain_leaves_out_is_the_company() -> None:
    facts = extract_facts(
        "Megan O'Brien and Rafael Souza Lima",
        "Thanks for applying to the Merchandising Analyst opening at Zinnia Home Goods.",
        Organizer("Megan O'Brien", "megan.obrien@zinniagoods.com"),
    )
    assert facts.company == "Zinnia Home Goods"


def test_a_location_that_writes_the_name_a_domain_spells_names_the_company() -> None:
    facts = extract_facts(
        "Incontro con la responsabile Controllo di gestione",
        "la incontrerà per la posizione di Controller.",
        Organizer("Silvia Marchetti", "s.marchetti@lazioradiodiagnostica.it"),
        location="Lazio Radio Diagnostica S.r.l., Viale Marconi 210, Roma",
    )
    assert facts.company == "Lazio Radio Diagnostica"


@pytest.mark.parametrize(
    ("title", "organizer"),
    [
        ("Call z Michałem", "Michał Dudek"),
        ("Rozmowa z Anną", "Anna Nowak"),
        ("Rozmowa z Markiem", "Marek Zając"),
        ("Kawa z Kasią", "Kasia Wróbel"),
    ],
)
def test_the_organizer_s_first_name_declined_after_a_preposition_is_no_company(
    title: str, organizer: str
) -> None:
    facts = extract_facts(title, None, Organizer(organizer, "kontakt@talentum.com.pl"))
    assert facts.company is None


@pytest.mark.parametrize(
    ("title", "guest"),
    [
        ("Final interview – Kestrelmoor Health", "simon.achebe@kestrelmoor.nhs.uk"),
        ("Entrevista final – Clínica Atlântida Saúde", "rh@atlantida.pt"),
        ("Vorstellungsgespräch – Isartal Medical", "hr@isartal.de"),
    ],
)
def test_a_look_alike_word_that_ends_the_company_s_name_after_an_interview_word_is_the_name(
    title: str, guest: str
) -> None:
    found = one(title, organizer="no-reply@myworkday.com", attendees=(guest,))
    assert outcome(found) == "counted"


@pytest.mark.parametrize(
    "title",
    [
        "RAV-Kurs: Bewerbungsgespräche erfolgreich führen",
        "Interview – BBC Radio Leeds",
        "Health screening – Globex",
    ],
)
def test_a_course_named_before_the_interview_word_or_a_press_name_stays_a_look_alike(
    title: str,
) -> None:
    assert outcome(one(title, organizer="info@example-org.com")) != "counted"


@pytest.mark.parametrize(
    ("title", "company", "role"),
    [
        (
            "Group interview – Store Supervisor, Leeds DC | Fernhill Home",
            "Fernhill Home",
            "Store Supervisor, Leeds DC",
        ),
        ("Dinámica de grupo – Residencia Los Olivos", "Residencia Los Olivos", None),
        (
            "Entrevista final – Diretor de Operações Logísticas (Tejo Cargas)",
            "Tejo Cargas",
            "Diretor de Operações Logísticas",
        ),
        (
            "Colloquio – Direttrice della Comunicazione (Fondazione Brera Viva)",
            "Fondazione Brera Viva",
            "Direttrice della Comunicazione",
        ),
        ("Amberlane take home review", "Amberlane", None),
        ("Interview – Halden Care Group", "Halden Care Group", None),
    ],
)
def test_a_stage_led_by_a_business_word_or_a_job_of_a_field_is_no_company(
    title: str, company: str, role: str | None
) -> None:
    read_names = read_title(title)
    assert (read_names.company, read_names.role) == (company, role)


@pytest.mark.parametrize(
    "title",
    [
        "Entrevista Profissional de Seleção – Ref.ª AT-INF/07/2026",
        "Auswahlgespräch – Kennziffer 2026/FIN-044",
        "Colloquio – Rif. 118/2026",
        "Interview – Req. R-20931",
    ],
)
def test_a_reference_number_in_a_title_is_no_company(title: str) -> None:
    assert read_title(title).company is None


@pytest.mark.parametrize(
    ("title", "notes", "guest", "location", "company"),
    [
        (  # an acronym in a shared calendar's name, written out in the notes
            "Teacher Interview – Occasional List",
            "Thank you for applying to the Lakeshore Peel Catholic District School Board.",
            "LPCDSB Teacher Recruitment <careers@lpcdsb.ca>",
            None,
            "Lakeshore Peel Catholic District School Board",
        ),
        (  # a domain that abbreviates the name, its lower-case words too
            "Entrevue – conseillère pédagogique",
            "Marie Gagnon\nConseil scolaire public du Nord-Est\nmarie.gagnon@csp-nordest.ca",
            "marie.gagnon@csp-nordest.ca",
            None,
            "Conseil scolaire public du Nord-Est",
        ),
        (  # a location that writes out the title's acronym
            "Probetag MWL Bremen",
            "Sicherheitsschuhe mitbringen",
            None,
            "Mittel-Weser Logistik, Tor 2, Bremen-Hemelingen",
            "Mittel-Weser Logistik",
        ),
        (  # a domain that writes a word by its first letters
            "Entrevista – Ingeniero/a de Procesos",
            "Un saludo,\nLucía Prieto\nIngeniería Albarracín",
            "Lucía Prieto <lucia.prieto@ingalbarracin.es>",
            None,
            "Ingeniería Albarracín",
        ),
        (  # a municipality's domain
            "Entrevista de seleção – Técnico Superior",
            "Notificação de recrutamento@cm-almada.pt",
            None,
            "Câmara Municipal de Almada – Edifício Central, Sala 2",
            "Câmara Municipal de Almada",
        ),
    ],
)
def test_a_name_an_acronym_or_a_domain_abbreviates_is_written_out(
    title: str, notes: str, guest: str | None, location: str | None, company: str
) -> None:
    name, _, address = (guest or "").rpartition(" <")
    attendees = ((name or None, address.rstrip(">")),) if guest else ()
    facts = extract_facts(title, notes, attendees=attendees, location=location)
    assert facts.company == company


@pytest.mark.parametrize(
    ("name", "location", "notes", "fuller"),
    [
        (  # a signature line that is the name with words before it
            "Bellini Conti",
            None,
            "Cordiali saluti,\nAvv. Marta Neri\nStudio Legale Bellini Conti\n",
            "Studio Legale Bellini Conti",
        ),
        (
            "Graz",
            None,
            "Mit freundlichen Grüßen\nStadt Graz\nAbteilung für Personal",
            "Stadt Graz",
        ),
        (  # Apple writes the name and the street on two lines
            "Ouderkerk Vers",
            "Ouderkerk Vers\nMeerweg 12, 1191 AB Ouderkerk",
            "",
            None,
        ),
        (  # as the location writes it, with its dot
            "St Columba's",
            "Block B, St. Columba's General Hospital, Sligo",
            "",
            "St. Columba's General Hospital",
        ),
        (  # a team's name before the company is not part of it
            "Wisła Cargo",
            None,
            "Z poważaniem,\nDział Rekrutacji Wisła Cargo",
            None,
        ),
        (
            "Ostrava Paper",
            None,
            "Thanks,\nOstrava Paper Recruiting",
            None,
        ),
    ],
)
def test_the_fullest_name_a_line_of_the_event_writes(
    name: str, location: str | None, notes: str, fuller: str | None
) -> None:
    assert fuller_written(name, location, ["Interview", notes]) == fuller


def test_a_round_s_name_takes_the_fuller_name_a_business_word_leads_in_another_round() -> None:
    assert (
        fuller_company("Bellini Conti", ["Studio Legale Bellini Conti"], replaceable=False)
        == "Studio Legale Bellini Conti"
    )
    assert fuller_company("Conti", ["Marta Conti"], replaceable=False) == "Conti"


@pytest.mark.parametrize(
    ("title", "company"),
    [
        ("Assessment Center – Leitung Rechnungswesen (m/w/d)", None),
        ("Anruf Hr. Lechner wg. Stelle", None),
        ("Call w/ Mrs Okafor", None),
        ("Interview – MS Amlin", "MS Amlin"),
        ("Entrevista com o cliente – Analista de Risco (confidencial)", None),
        ("Prueba práctica Triana (simulación quirófano)", "Triana"),
        ("Colloquio con il cliente", None),
        ("Gespräch mit dem Kunden", None),
    ],
)
def test_a_stage_a_person_an_aside_or_an_agency_s_client_is_no_company(
    title: str, company: str | None
) -> None:
    assert read_title(title).company == company


@pytest.mark.parametrize(
    ("name", "notes", "fuller"),
    [
        (
            "Birch & Fern",
            "Looking forward to it!\nBirch & Fern Health | Talent",
            "Birch & Fern Health",
        ),
        ("Quarrystone", "The Quarrystone Labs team will send a link.", "Quarrystone Labs"),
        ("Halvard Robotics", "Halvard Robotics <> Tobias", None),
    ],
)
def test_the_fullest_name_keeps_its_ampersand_and_leaves_out_the_sentence_s_the(
    name: str, notes: str, fuller: str | None
) -> None:
    assert fuller_written(name, None, [notes]) == fuller


def test_a_dutch_head_of_a_department_is_the_role_not_the_company() -> None:
    facts = extract_facts("Assessment Hoofd Planning", None, None)
    assert (facts.company, facts.role) == (None, "Hoofd Planning")

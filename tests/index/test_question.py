"""What kind of input a question is: markup only, without words, keywords, a question, one about actions;
and which sentences state an action or a problem, and where a bullet's lead-in goes on."""

from __future__ import annotations

import pytest

from index.models import Hit
from index.question import (
    MarkupOnly,
    asks_about_proposals,
    asks_for_action,
    asks_for_figure,
    asks_for_money,
    asks_for_person,
    asks_for_time,
    asks_since_when,
    checked,
    has_words,
    is_keyword_query,
    is_question,
    mostly_symbols,
)
from index.quotes import (
    candidates,
    continuation,
    only_considered,
    raises_problem,
    states_action,
    states_figure,
    states_money,
    states_name,
    states_point_in_time,
    states_problem,
    states_time,
)


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<b></b><i></i>", "<img src=x onerror=alert(1)>"]
)
def test_markup_only_is_refused(text: str) -> None:
    with pytest.raises(MarkupOnly):
        checked(text)


def test_markup_around_words_is_taken_off() -> None:
    assert checked("<b>telefon</b> &amp; <i>svartid</i>") == "telefon & svartid"


@pytest.mark.parametrize(
    "text", ["🙂🙂🙂", "12345", "+45 70 12 34 56", "asdfghjkl", "xkqj vbnm ttrq", "!!!???"]
)
def test_input_without_a_danish_or_english_word(text: str) -> None:
    assert not has_words(text)


@pytest.mark.parametrize("text", ["telefon", "Hvad koster en parkeringsbøde?", "what did they promise"])
def test_input_with_words(text: str) -> None:
    assert has_words(text)


def test_a_word_of_the_corpus_counts_too() -> None:
    assert not has_words("Skolevisitationen") or has_words("Skolevisitationen", {"skolevisitationen"})
    assert has_words("xqzvbn", {"xqzvbn"})


@pytest.mark.parametrize("text", ["../../../etc/passwd", "' OR 1=1 --", "${jndi:ldap://x/a}"])
def test_code_and_paths_are_mostly_symbols(text: str) -> None:
    assert mostly_symbols(text)


def test_a_question_is_not_mostly_symbols() -> None:
    assert not mostly_symbols("Hvad gør Holbæk ved manglende tilbagemeldinger (2017)?")


@pytest.mark.parametrize(
    ("text", "keywords", "question"),
    [
        ("telefon", True, False),
        ("klart sprog", True, False),
        ("Hvad gør kommunen?", False, True),
        ("what did Klima, Miljø og Teknik promise about telephones", False, True),
        ("hvornår", False, True),
        ("klager over telefonen i weekenden", False, False),
    ],
)
def test_keyword_queries_and_questions(text: str, keywords: bool, question: bool) -> None:
    assert is_keyword_query(text) is keywords
    assert is_question(text) is question


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("what did Klima, Miljø og Teknik promise about telephones", True),
        ("Hvad gør Holbæk ved manglende tilbagemeldinger?", True),
        ("Hvad besluttede udvalget om madservice?", True),
        ("How many citizens complained about meetings?", False),
        ("Hvornår blev beretningen udgivet?", False),
        ("Hvad skal borgerne have besked om efter udskrivning?", True),
        ("What will the committee report each quarter?", True),
        ("Hvornår skal beretningen udgives?", False),
        ("How will the plan be followed up?", True),  # what is done to oversee it
        ("Hvad vil det sige, at en sag er afsluttet?", False),  # what it means, not what is promised
        ("What will it cost to renew a passport?", False),
        ("What has the council changed about parking permits?", True),
        ("Hvad blev udfaldet af forslaget om en klageportal?", True),
        ("How has the department made its letters clearer?", True),
        ("Hvordan har forvaltningen fulgt op på sagen?", True),
        ("How will the municipality make sure reviews are not late?", True),
        ("How will the new rules affect families?", False),
        ("How long does a review take?", False),
        ("How many days does it take to ensure a payment?", False),
        ("Hvordan kan jeg undgå et gebyr?", False),
        ("How has the number of complaints developed?", False),
        ("Hvad har udvalget sat i værk for ledige, der skifter sagsbehandler?", True),
        ("Hvordan vil ledelsen sørge for, at svarene kommer hurtigere?", True),
        ("What has the utility company committed to about sorting guides?", True),
        ("How is the checklist for repayment decisions checked?", True),  # what is done to oversee
        ("How does the administration now check refusals before they are sent?", True),
        ("Hvordan følges der op på handleplanen?", True),
        ("How often is the water quality checked?", False),  # how often, how long, how many: a figure
        ("How many checks were carried out in 2024?", False),
        ("Hvordan kan jeg tjekke status på min sag?", False),  # a citizen's how-to
        ("Will the citizen service centre start opening at weekends?", True),  # whether it is promised
        ("Vil kommunen udvide åbningstiden?", True),
        ("Will I get a letter about my case?", False),
        ("Vil min sag blive behandlet før sommerferien?", False),
        ("Hvordan får jeg nu et nyt sundhedskort?", False),
        ("Vil det koste noget at få et nyt sundhedskort?", False),
        ("Blev der truffet beslutning om reglerne for ledsagetimer?", True),
        ("Hvordan får borgerne nu at vide, at de har fået en ny sagsbehandler?", True),  # what is done now
        ("How do residents now hear about a new caseworker?", True),
        ("Hvordan ser skabelonen ud, som alle afdelinger nu skal bruge?", False),  # what it looks like
    ],
)
def test_questions_about_actions(text: str, action: bool) -> None:
    assert asks_for_action(text) is action


def test_action_and_problem_sentences() -> None:
    assert states_action("Udvalget besluttede at opsige aftalen med leverandøren.")
    assert states_action("Kommunen opretter en fælles pårørendelinje.")
    assert states_action("Jobcentret har udvidet telefontiden til alle hverdage.")
    assert states_action("Alle sagsbehandlere deltager i et kursus i begrundelser.")
    assert not states_action("Ventetiden var i gennemsnit syv uger.")
    assert states_action("Forslaget blev sat til afstemning og faldt med 2 stemmer for og 5 imod.")
    assert states_action("The amendment was voted down by the majority.")
    assert states_problem("Flere borgere har klaget over manglende svar.")
    # A verb phrase whose participle or adjective is a problem word states the problem, not an action.
    assert states_problem("Borgerne har svært ved at komme igennem på telefonen.")
    assert states_problem("Pårørende har oplevet at blive sendt rundt.")
    assert not states_problem("Jobcentret har udvidet telefontiden til alle hverdage.")
    # English deeds in the perfect; a state or a count received is none.
    assert states_action("The Jobcentre has changed its procedure for stopped payments.")
    assert states_action("Every care home has appointed a named contact and has rewritten its letters.")
    assert not states_action("It has been hard to reach the department.")
    assert not states_action("Citizens have often been passed from one department to another.")
    assert not states_action("The advisor has received 300 complaints.")
    assert not states_action("The citizen has not received an answer.")  # a lack, not a deed
    assert not states_action("Many residents have waited months for a reply.")
    assert not states_action("The municipality has a need for more staff.")
    assert not states_action("Borgeren har ikke fået svar.")
    assert not states_action("Udarbejdet af Borgmesterens Afdeling, november 2021.")  # a byline
    assert not states_action("Prepared by the Mayor's Office, March 2024.")
    # What the advisor or a report recommends is what is asked for, not what is done; a unit's own
    # proposal, a rejection or a postponement is what that unit does.
    asked = "Borgerrådgiveren har anbefalet, at Borgerservice udvider telefontiden."
    assert not states_action(asked) and states_problem(asked)
    assert not states_action("The advisor recommended that the department rewrites its letters.")
    assert not states_action("Det anbefales, at forvaltningen sender kvitteringer.")
    # Only as the sentence's subject: a deed done as recommended, a unit's own proposal, and a decision
    # after the recommended clause are actions.
    assert states_action("Kommunen har indført en ny procedure, som borgerrådgiveren anbefalede.")
    assert states_action(
        "Borgerservice har udvidet telefontiden og foreslår, at borgerne bruger Digital Post."
    )
    assert states_action("The report recommended more staff, and the council decided to hire one.")
    assert states_action("Sundhed og Omsorg indstiller, at der ansættes to ekstra fysioterapeuter.")
    assert states_action("Udvalget besluttede at følge borgerrådgiverens anbefaling og udvide telefontiden.")
    assert states_action("Udvalget afviste forslaget om en ekstern klageportal.")
    assert states_action("Punktet blev udsat, og udvalget genoptager sagen i juni.")
    # A decline answers a recommendation as much as a promise does.
    assert states_action("Ingen handling – centret vurderer, at henvendelserne ikke kan bære en fast ugedag.")
    assert states_action("Forvaltningen finder ikke grundlag for at ændre praksis.")
    assert states_action("We are not able to offer free interpreters for all meetings at the desk.")
    # A decision not to act, said by whoever decides, is one; its "not" is no lack.
    assert states_action("Social og Ældre følger ikke anbefalingen om en fast visitator.")
    assert states_action("We have not changed our opening hours to include Saturdays.")
    assert states_action("Forvaltningen har valgt ikke at indføre en fast visitator.")
    assert not states_action("We have not received any complaints about the new form.")
    # Criticism is no decline: a lack, a state, a recommended clause.
    assert not states_action("Forvaltningen følger ikke op på henvendelserne.")
    assert not states_action("The caseworker did not follow the guidelines for consultation.")
    assert not states_action("The situation has not changed since last year.")
    assert not states_action("I recommend that the department does not change the deadline.")
    assert not states_action("Borgerrådgiveren har i alt modtaget 158 henvendelser.")
    assert not states_action("Der er modtaget 19 klager over hjemmeplejen.")
    assert not states_action("Borgerne får ikke svar på deres henvendelser.")
    # What was received is no deed; what the writers now do, in the present, is one.
    assert not states_action(
        "Borgerrådgiveren har i 2024 modtaget 19 henvendelser om skift af sagsbehandler."
    )
    assert states_action("We now put a short English summary with the deadline at the top of all letters.")
    assert states_action("Vi sender nu et brev, når sagen skifter sagsbehandler.")
    # Named beside an action verb, a problem is still raised: "du har modtaget" is not what is done.
    mixed = "Mange af de klager, du har modtaget, handler om beholdere, der ikke blev tømt."
    assert raises_problem(mixed) and not states_action(mixed)
    assert not raises_problem("Jobcentret har udvidet telefontiden til alle hverdage.")


def _hit(text: str) -> Hit:
    return Hit("c", "d", "s.md", "t", None, None, "note", "", None, text, 0, len(text), 1.0)


def test_titles_addresses_and_signatures_are_not_quoted() -> None:
    """A line of its own without a sentence's end states nothing; a list item without a full stop does."""
    text = (
        "Teknik & Miljø\nPrinsens Allé 5 8800 Viborg\n\n"
        "Svar på borgerrådgiverens henvendelse om vintertjenesten\n\n"
        "Vi har besluttet at lægge et kort over ruterne på hjemmesiden.\n"
        "• Alle afgørelser om overkørsler skal have en klagevejledning\n\n"
        "Med venlig hilsen\nDirektør for Teknik & Miljø\n"
    )
    texts = [c.text for c in candidates([_hit(text)])]
    assert texts == [
        "Vi har besluttet at lægge et kort over ruterne på hjemmesiden.",
        "Alle afgørelser om overkørsler skal have en klagevejledning",
    ]


def test_a_bullets_lead_in_goes_on_to_the_action_after_it() -> None:
    text = (
        "Byrådet har i januar vedtaget en handleplan med følgende initiativer:\n"  # a Markdown list, stored
        "• Én indgang for pårørende. Pårørende har oplevet at blive sendt rundt mellem afdelinger. "
        "Kommunen opretter en fælles pårørendelinje, som bemandes af Borgerservice.\n"
        "• Fast kontaktperson. Borgere med sager i flere afdelinger får én fast kontaktperson.\n"
    )
    cands = candidates([_hit(text)])
    texts = [c.text for c in cands]
    lead = texts.index("Én indgang for pårørende.")
    assert cands[lead].lead_in
    assert texts[continuation(cands, lead, prefer_action=False)].startswith("Pårørende har oplevet")
    assert texts[continuation(cands, lead, prefer_action=True)].startswith("Kommunen opretter")
    announce = texts.index("Byrådet har i januar vedtaget en handleplan med følgende initiativer:")
    assert cands[announce].lead_in  # a sentence that announces a list goes on too
    last = texts.index("Borgere med sager i flere afdelinger får én fast kontaktperson.")
    assert not cands[last].lead_in


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("How many citizens complained about meetings?", True),
        ("Hvor meget koster en parkeringsbøde?", True),
        ("What is the land tax rate in the municipality?", True),
        ("Hvor stor er borgerrådgiverens løn om året?", True),
        ("Hvilket formål tjener tilsynet?", False),  # "tjener" serves here; it asks for no figure
        ("Hvad tjener en pædagog om måneden?", True),  # with a period it asks for pay
        ("Hvor ofte får udvalget status?", False),
        ("Hvor stort er budgettet for Børne- og Ungeudvalget?", True),
        ("How large is the backlog of building cases?", True),
        ("How long can it take to get a decision?", False),
        ("Hvad besluttede udvalget om madservice?", False),
        ("How does the administration check refusals of extra costs?", False),  # a benefit's name
        ("What are the costs of the new team?", True),
    ],
)
def test_questions_for_a_figure(text: str, figure: bool) -> None:
    assert asks_for_figure(text) is figure


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("Borgerrådgiveren modtog 158 henvendelser.", True),
        ("Der er afsat elleve millioner kroner.", True),
        ("Halvdelen af sagerne blev afgjort.", True),
        ("Borgerrådgiveren fungerer som støtte for borgerne.", False),
        ("En borger klagede over et brev.", False),
        ("The council decided to plant trees.", False),  # "to" and "fire" are English words too
        ("Staff were told to report a fire at once.", False),
        ("I 2023 blev ordningen evalueret.", False),  # a year alone is no count or amount
        ("I 2023 kom der 158 henvendelser.", True),
        ("Sagen blev behandlet på mødet den 25. november 2020.", False),  # a date is no count either
        ("The line reopens on 1 April 2024, kl. 9.", False),
        ("Referatet er dateret 15.3.2024 kl. 15.00.", False),
        ("Telefonen er åben fra 9 til 13 alle hverdage.", True),
        ("Up to 40 may be placed on the waiting list.", True),  # "may" the modal, not the month
        ("The line reopens on 3 May 2024.", False),
    ],
)
def test_sentences_stating_a_figure(text: str, figure: bool) -> None:
    assert states_figure(text) is figure


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("Hvem er borgerrådgiver i Herning Kommune?", True),
        ("Who was the director of the administration in 2023?", True),
        ("Hvem har ansvaret for klagesagerne?", False),  # a unit answers that
        ("Hvem er ansvarlig for affaldsindsamlingen?", False),
        ("Who is eligible for housing benefit?", False),
        ("Hvad gør borgerrådgiveren?", False),
        ("What is the name of Rudersdal's Citizens' Advisor?", True),
        ("Hvad hedder borgerrådgiveren i Holbæk?", True),
        ("What is the name of the new case system?", False),
        ("What is the name of the head office?", False),
        ("What is the name of the director's report?", False),
        ("Hvad hedder lederuddannelsen?", False),
        ("What is the name of Rudersdal’s Citizens’ Advisor?", True),  # typographic apostrophes
        # A member of staff, also with an adjective and in a compound.
        ("What is the name of the legal consultant who reads the inbox?", True),
        ("Hvad hedder den ergoterapeut, som kommunen har ansat?", True),
        ("Hvad hedder den nye sagsbehandler?", True),
        ("Who is the caseworker for families with disabled children?", True),
        ("Hvad hedder rådgivningen for unge?", False),
        ("Hvad hedder den nye ordning?", False),
    ],
)
def test_questions_for_a_person(text: str, person: bool) -> None:
    assert asks_for_person(text) is person


def test_a_question_for_when_is_answered_by_a_time() -> None:
    assert asks_for_time("Hvornår begynder Skolevisitationen at sende spørgeskemaet?")
    assert asks_for_time("When will the board hold its first meeting?")
    assert not asks_for_time("Hvad skete der, da borgeren klagede?")
    assert asks_for_time("Since when has Borgerservice been open on Thursdays?")
    assert asks_for_time("Siden hvornår har Borgerservice haft åbent om torsdagen?")
    assert asks_for_time("On what date does the trial start?")
    assert asks_for_time("Hvilken dato starter forsøget?")
    assert not asks_for_time("What did the committee decide?")
    assert asks_for_time("Which dates are set for the meetings?")
    assert not asks_for_time("What day care options are there for new residents?")
    assert not asks_for_time("Which day-care centres have places?")
    # "Since when" asks for a point in time: a year, a month, a date, a season; not a time of day.
    assert asks_since_when("Since when has Borgerservice been open until 18.00 on Thursdays?")
    assert asks_since_when("Hvornår begyndte hjemmeplejen at sende en sms?")
    assert asks_since_when("On what date did the city launch the call-back service?")
    assert not asks_since_when("Hvornår har genbrugspladsen åbent om søndagen?")
    assert not asks_since_when("When will the board meet?")
    assert not asks_since_when("Hvornår kom svaret fra kommunen?")  # "efter 14 dage" answers that
    assert asks_since_when("When did the jobcentre start holding video meetings?")
    assert states_point_in_time("Ordningen blev indført i marts 2025.")
    assert states_point_in_time("Siden foråret har centret haft åbent om torsdagen.")
    assert not states_point_in_time("Borgerservice har åbent til kl. 15 alle hverdage.")
    assert states_time("Skolevisitationen vil fra august 2024 sende et link.")
    assert states_time("Planen forventes forelagt medio 2024.")
    assert states_time("Kommunen svarer inden for fem arbejdsdage.")
    assert states_time("The committee will discuss it this autumn.")
    assert not states_time("Borgerservice bør kunne tilbyde tolk, når borgere møder personligt op.")


def test_a_sentence_names_a_person_with_two_capitalised_words() -> None:
    assert states_name("The Citizens' Advisor, Lene Bjerregaard, welcomes the changes.")
    assert states_name("Borgerrådgiver Anne B. Holm tiltrådte i 2022.")
    assert not states_name("Borgerrådgiveren orienteres om beslutningen skriftligt.")
    assert not states_name("Social- og Sundhedsforvaltningen svarer inden for fire uger.")
    assert not states_name("The City Council decided to extend the opening hours.")
    assert not states_name("Aarhus Kommune svarer inden for fire uger.")


@pytest.mark.parametrize(
    ("text", "money"),
    [
        ("Hvad koster en parkeringsbøde?", True),
        ("Hvor stor er borgerrådgiverens løn om året?", True),
        ("Hvad tjener en sagsbehandler i timen?", True),
        ("Hvilket formål tjener tilsynet?", False),
        ("How much does it cost to renew a passport?", True),
        ("How many citizens complained?", False),
        ("Has the council added staff or money to the building cases?", False),
        ("How much did the municipality pay for the extra places?", True),
        ("Hvor stor en bod har leverandøren fået?", True),
        ("Who pays for the interpreter?", False),  # a payer, not a sum
        ("How much has the waiting time fallen?", False),
        ("How much time do caseworkers spend on appeals?", False),
        ("Hvor stor en del af borgerne betaler selv?", False),  # a share
        ("Hvor meget tid bruger de på betalingssager?", False),
        ("Who handles applications for additional costs for disabled children?", False),  # a benefit's name
        ("What were the extra costs of the new IT system?", True),
    ],
)
def test_questions_for_a_sum_of_money(text: str, money: bool) -> None:
    assert asks_for_money(text) is money


def test_a_sum_of_money_has_a_currency() -> None:
    assert states_money("Der er afsat 11 millioner kroner til kompetenceudvikling.")
    assert states_money("Et pas koster 627 kr.")
    assert not states_money("Borgerrådgiveren modtog 158 henvendelser.")
    assert not states_money("Prisen fastsættes af byrådet.")


@pytest.mark.parametrize(
    ("question", "proposals"),
    [
        ("Hvad har Slagelse Kommune besluttet om en ekstra hjemmeplejegruppe?", False),
        ("What did the City Council decide about an online waiting list?", False),
        ("Since when has Borgerservice been open on Thursdays?", False),
        ("Hvilken nabokommune behandler nu kommunens sager om handicapbil?", False),  # what is so
        ("Hvad foreslog Sundhed og Omsorg for at nedbringe ventetiden?", True),  # asks for the proposal
        ("What will the committee do about late meals?", True),  # a plan
        ("Hvad har udvalget overvejet om åbningstiden?", True),
        ("Hvilke idéer har kommunen undersøgt?", True),
        ("What has the council looked into regarding parking?", True),
        ("What did the advisor recommend about letters?", True),
    ],
)
def test_questions_about_proposals_and_plans(question: str, proposals: bool) -> None:
    assert asks_about_proposals(question) is proposals


def test_a_sentence_that_only_considers_or_proposes() -> None:
    assert only_considered(
        "Dansk Folkeparti foreslog desuden, at der blev afsat midler til en ekstra gruppe."
    )
    assert only_considered(
        "Der har været overvejet at lade en nabokommune behandle sagerne, men det er lagt til side."
    )
    assert only_considered(
        "The administration is looking into whether residents can follow their case online."
    )
    assert not only_considered("Byrådet vedtog at tilføre fire ekstra psykologstillinger.")
    assert not only_considered("Henvendelserne handler i overvejende grad om manglende vejledning.")

from ingest.parsers.text import blocks_from_lines, parse_text
from tests.support import seed


def kinds(text: str) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in parse_text(text).blocks]


def test_numbered_heading_bullets_and_sub_bullets() -> None:
    text = (
        "1. Tværgående initiativer\n\n"
        "Forvaltningen vil:\n"
        "• arbejde med bedre vejledning af borgerne, og i den forbindelse\n"
        "blandt andet:\n"
        "o afklare barrierer\n"
        "o udarbejde tjeklister\n"
    )
    assert kinds(text) == [
        ("heading", 1, "1. Tværgående initiativer"),
        ("paragraph", 0, "Forvaltningen vil:"),
        ("bullet", 1, "arbejde med bedre vejledning af borgerne, og i den forbindelse\nblandt andet:"),
        ("bullet", 2, "afklare barrierer"),
        ("bullet", 2, "udarbejde tjeklister"),
    ]


def test_ocr_bullets_e_and_o() -> None:
    text = "Elementer er:\ne At borgeren medvirker.\no At der er afsat en pulje.\n"
    assert [(k, lvl) for k, lvl, _ in kinds(text)] == [("paragraph", 0), ("bullet", 1), ("bullet", 2)]


def test_short_line_before_text_is_heading_but_wrapped_tail_is_not() -> None:
    text = (
        "Kultur- og Fritidsforvaltningen\n"
        "Kultur- og Fritidsforvaltningen opstiller ikke måltal for\n"
        "klagesagsbehandling.\n"
        "Socialforvaltningen vurderer, at den løbende dialog med\n"
        "Socialudvalget giver udvalget en god indsigt.\n"
    )
    blocks = parse_text(text).blocks
    assert blocks[0].kind == "heading"
    assert [b.kind for b in blocks[1:]] == ["paragraph"]
    assert "Socialforvaltningen vurderer" in blocks[1].text


def test_blank_line_inside_unfinished_bullet_continues_it() -> None:
    text = "• Der er i\n\nFamilie og Sundhed iværksat en procedure.\n\nNy tekst her."
    blocks = parse_text(text).blocks
    assert blocks[0].kind == "bullet" and "Familie og Sundhed" in blocks[0].text
    assert blocks[1].text == "Ny tekst her."


def test_date_line_is_not_a_heading() -> None:
    assert parse_text("13. marts 2023\n\nTekst.").blocks[0].kind == "paragraph"


def test_ocr_debris_line_dropped_and_pages_kept() -> None:
    blocks = blocks_from_lines([("Tekst på side et.", 1), ("O O O O", 1), ("", 2), ("Mere tekst.", 2)])
    assert [(b.text, b.page) for b in blocks] == [("Tekst på side et.", 1), ("Mere tekst.", 2)]


def test_seed_001_sections() -> None:
    headings = [b.text for b in parse_text(seed("001").read_text()).blocks if b.kind == "heading"]
    assert headings == [
        "1. Tværgående initiativer",
        "Andet",
        "2. Børn og Skole, Unge, Kultur og Fritid",
        "3. Klima, Miljø og Teknik",
        "4. Social og Sundhed",
    ]


def test_fields_of_minutes_belong_under_their_item_and_rules_separate_items() -> None:
    """A plain-text protocol: items divided by rules of dashes, each with its fields; the decision field
    ends in a colon and names the committee and the date."""
    text = (
        "Punkt 6. Klager over madservice\n\n"
        "Sagsfremstilling\n"
        "Borgerrådgiveren har modtaget 17 klager over madservice.\n\n"
        "Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:\n"
        "Punktet blev udsat til udvalgets næste møde.\n\n"
        "----------------------------------------\n\n"
        "Punkt 7. Forslag om aftenåbent\n\n"
        "Indstilling\n"
        "Administrationen indstiller, at udvalget drøfter forslaget.\n"
    )
    headings = [(level, text) for kind, level, text in kinds(text) if kind == "heading"]
    assert headings == [
        (1, "Punkt 6. Klager over madservice"),
        (2, "Sagsfremstilling"),
        (2, "Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:"),
        (1, "Punkt 7. Forslag om aftenåbent"),
        (2, "Indstilling"),
    ]
    assert not any("---" in text for _, _, text in kinds(text))


def test_a_line_ending_in_a_colon_is_no_heading_unless_it_is_a_field() -> None:
    text = "Kommunen vil gøre følgende:\nSende svar hurtigere.\n"
    assert [kind for kind, _, _ in kinds(text)] == ["paragraph"]


def test_a_rule_ends_the_paragraph_before_it_and_fields_nest_only_in_minutes() -> None:
    minutes = (
        "1. Godkendelse\n\nBeslutning:\nTaget til efterretning uden bemærkninger\n-----\n2. Meddelelser\n"
        "Formanden orienterede om konferencen.\n"
    )
    headings = [text for kind, _, text in kinds(minutes) if kind == "heading"]
    assert "2. Meddelelser" in headings
    memo = "Notat om afslag\n\nVi skriver om afslag.\n\nBaggrund\n\nBorgerrådgiveren har set på 64 afslag.\n"
    assert [(level, text) for kind, level, text in kinds(memo) if kind == "heading"] == [
        (1, "Notat om afslag"),
        (1, "Baggrund"),
    ]


def test_an_item_whose_title_holds_the_word_decision_is_no_field() -> None:
    from ingest.fields import is_decision_field, is_item_field

    assert is_item_field("Beslutning i Social- og Sundhedsudvalget den 11. marts 2025:")
    assert is_decision_field("Udvalgets beslutning")
    assert not is_item_field("Punkt 3. Opfølgning på beslutning om madservice")
    # Who recommends, as systems head the field; not a sentence saying so, nor citizens proposing.
    assert is_item_field("Forvaltningen foreslår") and is_item_field("Direktionen indstiller:")
    assert is_item_field("Forvaltningens indstilling") and is_item_field("Præsentation")
    assert not is_item_field("Kommunen indstiller, at udvalget godkender planen")
    assert not is_item_field("Borgerne foreslår") and not is_item_field("Borgeren foreslår")
    assert not is_item_field("Borgernes forslag") and not is_item_field("Venstres forslag")
    text = "Udvalget traf følgende beslutning:\nSagen sendes i høring.\n"
    assert [kind for kind, _, _ in kinds(text)] == ["paragraph"]


def test_a_mail_s_quote_marks_are_no_text() -> None:
    """An earlier message quoted in a reply ("> ", "> > ") reads as paragraphs without the marks; a lone
    line starting ">" is text."""
    text = (
        "Kære Mette\n\nVi har besluttet at udvide telefontiden.\n\n"
        "-----Oprindelig meddelelse-----\n"
        "> Hej Hanne\n>\n> Vi kan sende en standardkvittering, når en ansøgning\n"
        "> er modtaget.\n>\n> > Borgere har ventet 11 uger\n> > uden svar.\n\n"
        "> 50 % af sagerne er afsluttet.\n"
    )
    paragraphs = [b.text for b in parse_text(text).blocks if b.kind == "paragraph"]
    assert "Vi kan sende en standardkvittering, når en ansøgning\ner modtaget." in paragraphs
    assert "Borgere har ventet 11 uger\nuden svar." in paragraphs
    assert "> 50 % af sagerne er afsluttet." in paragraphs
    assert not any(p.startswith(">") for p in paragraphs[:-1])
    # Lines starting ">" without a mail's marks (a line of marks alone, nested marks) keep them.
    table = "Aldersgrupper\n\n> 65 år: 120 borgere\n> 80 år: 45 borgere\n"
    assert "> 65 år: 120 borgere\n> 80 år: 45 borgere" in [b.text for b in parse_text(table).blocks]


def test_a_mail_s_header_lines_are_paragraphs_and_its_greetings_no_headings() -> None:
    text = (
        "Fra: Hanne Kjær Nielsen <hkn@guldborgsund.dk>\nSendt: 8. april 2025 15:41\n"
        "Til: Mette Fogh Larsen\nEmne: SV: Ventetid\n\nKære Mette\n\nVi sender en kvittering.\n\n"
        "Venlig hilsen\n\n-----Oprindelig meddelelse-----\nFra: Jesper Holm\nSendt: 31. marts 2025\n"
    )
    blocks = parse_text(text).blocks
    assert [b.text for b in blocks if b.kind == "heading"] == []
    assert [b.text for b in blocks][:4] == [
        "Fra: Hanne Kjær Nielsen <hkn@guldborgsund.dk>",
        "Sendt: 8. april 2025 15:41",
        "Til: Mette Fogh Larsen",
        "Emne: SV: Ventetid",
    ]
    assert not any("Oprindelig" in b.text for b in blocks)  # a labelled rule


def test_labelled_rules_are_mail_separators_only_and_keep_other_lines() -> None:
    for line in ("*** Vigtigt: fristen er 1. maj ***", "=== Baggrund ==="):
        assert [b.text for b in parse_text(line).blocks] == [line]
    for line in ("-----Oprindelig meddelelse-----", "-------- Forwarded message --------"):
        assert parse_text(f"Tak.\n{line}\nHej igen.").blocks[0].text == "Tak."


def test_a_plain_quoted_reply_loses_its_marks_and_a_wrapped_field_stays_in_its_field() -> None:
    reply = "Anne Hansen skrev:\n> Hej Anne\n> Vi har ventet i 11 uger på svar.\n> Kan I hjælpe?"
    assert not any(">" in b.text for b in parse_text(reply).blocks)
    record = (
        "Dato: 1. maj 2025\nDeltagere: Anne Hansen, Bo Jensen,\nCarl Madsen og Dorte Lund\n"
        "Afbud: Erik Holm\n\nTekst her."
    )
    assert [(b.kind, b.text) for b in parse_text(record).blocks][:3] == [
        ("paragraph", "Dato: 1. maj 2025"),
        ("paragraph", "Deltagere: Anne Hansen, Bo Jensen,\nCarl Madsen og Dorte Lund"),
        ("paragraph", "Afbud: Erik Holm"),
    ]


def test_numbered_items_after_a_finished_sentence_are_blocks_of_their_own() -> None:
    text = (
        "Opfølgningspunkter\n1. Udsende procedure for besked. Ansvarlig: Maria.\n"
        "2. Oprette kode. Ansvarlig: Kasper."
    )
    paragraphs = [b.text for b in parse_text(text).blocks if b.kind == "paragraph"]
    assert paragraphs == [
        "1. Udsende procedure for besked. Ansvarlig: Maria.",
        "2. Oprette kode. Ansvarlig: Kasper.",
    ]

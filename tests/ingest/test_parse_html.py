from ingest.models import Block, Cell
from ingest.parsers.html import parse_html

PAGE = """<!DOCTYPE html>
<html><head><title>Borgerrådgiverens beretning &amp; svar</title>
<style>.skjult { color: red }</style>
<script>var sporing = "analytics-id";</script></head>
<body>
<nav><a href="/">Forside</a> <a href="/kontakt">Kontakt</a></nav>
<header>Gentofte Kommune topmenu</header>
<noscript>Slå JavaScript til</noscript>
<h1>Årsberetning 2024</h1>
<p>Klagerne   handler typisk
   om procesfejl &amp; ikke om afgørelser.</p>
<!-- redaktørens note: fjernes -->
<h2>Anbefalinger</h2>
<ul>
  <li>Bedre telefonbetjening
    <ul><li>Svar inden for 48 timer</li><li>Ring tilbage</li></ul>
  </li>
  <li>Kortere sagsbehandlingstid</li>
</ul>
<div style="display:none">Skjult tekst</div>
<form><label>Søg</label><input name="q"></form>
<footer>Cookiepolitik</footer>
</body></html>
"""


def test_furniture_scripts_styles_and_comments_are_gone() -> None:
    text = " ".join(b.text for b in parse_html(PAGE).blocks)
    for absent in ("analytics-id", "color: red", "Forside", "topmenu", "JavaScript", "redaktørens", "Søg"):
        assert absent not in text
    assert "Cookiepolitik" not in text and "Skjult" not in text


def test_headings_paragraphs_and_title() -> None:
    parsed = parse_html(PAGE)
    assert parsed.format == "html"
    assert parsed.title_hint == "Borgerrådgiverens beretning & svar"
    assert parsed.blocks[:3] == (
        Block("heading", "Årsberetning 2024", 1),
        Block("paragraph", "Klagerne handler typisk om procesfejl & ikke om afgørelser."),
        Block("heading", "Anbefalinger", 2),
    )


def test_nested_lists_give_bullet_levels() -> None:
    bullets = [(b.text, b.level) for b in parse_html(PAGE).blocks if b.kind == "bullet"]
    assert bullets == [
        ("Bedre telefonbetjening", 1),
        ("Svar inden for 48 timer", 2),
        ("Ring tilbage", 2),
        ("Kortere sagsbehandlingstid", 1),
    ]


def test_title_falls_back_to_first_h1() -> None:
    assert parse_html("<h2>Under</h2><h1>Hoved</h1><p>x</p>").title_hint == "Hoved"


TABLE = """<p>Opfølgning:</p>
<table>
<thead><tr><th>Tema</th><th>Anbefaling</th><th>Opfølgning</th></tr></thead>
<tbody>
<tr><td><b>Dialog</b></td><td><ul><li>- Bedre dialog</li></ul></td>
    <td><ul><li>Kurser i 2018</li><li>Telefonpolitik</li></ul></td></tr>
<tr><td></td><td></td><td><p>Nye breve</p></td></tr>
<tr><td>Svartid</td><td>Kortere ventetid</td><td>Evaluering<br>i 2018</td></tr>
</tbody></table>
<p>Efter tabellen.</p>"""


def test_table_gives_row_blocks_keyed_by_headers() -> None:
    blocks = parse_html(TABLE).blocks
    assert [b.kind for b in blocks] == ["paragraph", "row", "row", "paragraph"]
    assert blocks[1].cells == (
        Cell("Tema", "Dialog"),
        Cell("Anbefaling", "• Bedre dialog"),
        Cell("Opfølgning", "• Kurser i 2018\n• Telefonpolitik\nNye breve"),
    )
    assert blocks[2].cells == (
        Cell("Tema", "Svartid"),
        Cell("Anbefaling", "Kortere ventetid"),
        Cell("Opfølgning", "Evaluering\ni 2018"),
    )


def test_table_without_thead_uses_first_row_and_colspan() -> None:
    html = (
        "<table><tr><td>A</td><td>B</td><td>C</td></tr>"
        "<tr><td>1</td><td colspan=2>to og tre</td></tr></table>"
    )
    (row,) = parse_html(html).blocks
    assert row.cells == (Cell("A", "1"), Cell("B", "to og tre"))


def test_layout_table_is_read_as_running_text() -> None:
    html = "<table><tr><td><h2>Nyhed</h2><p>Første afsnit.</p></td></tr></table>"
    assert parse_html(html).blocks == (Block("heading", "Nyhed", 2), Block("paragraph", "Første afsnit."))


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta name=Generator content="Microsoft Word 15"><title>Svar til borgerrådgiveren</title>
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>Forfatter</o:Author>
</o:DocumentProperties></xml><![endif]-->
</head>
<body lang=DA>
<div class=WordSection1>
<p class=MsoTitle>Administrationens svar</p>
<h1>3. Klima, Miljø og Teknik</h1>
<p class=MsoNormal>Forvaltningen har gennemgået
anbefalingerne.</p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<!--[if !supportLists]--><span style='font-family:Symbol'>·<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;
</span></span><!--[endif]-->Telefontider er udvidet</p>
<p class=MsoListParagraphCxSpMiddle style='margin-left:72.0pt;mso-list:l0 level2 lfo1'>
<![if !supportLists]><span style='font-family:"Courier New"'>o<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp;
</span></span><![endif]>Også om aftenen</p>
<p class=MsoListParagraphCxSpLast style='mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='font-family:Wingdings'>§<span>&nbsp; </span></span><![endif]>Svar inden for 48 timer</p>
<p class=MsoNormal>&nbsp;</p>
</div></body></html>"""


def test_word_exported_html() -> None:
    parsed = parse_html(WORD_HTML)
    assert parsed.title_hint == "Svar til borgerrådgiveren"
    assert parsed.blocks == (
        Block("heading", "Administrationens svar", 1),
        Block("heading", "3. Klima, Miljø og Teknik", 1),
        Block("paragraph", "Forvaltningen har gennemgået anbefalingerne."),
        Block("bullet", "Telefontider er udvidet", 1),
        Block("bullet", "Også om aftenen", 2),
        Block("bullet", "Svar inden for 48 timer", 1),
    )


def test_a_page_header_with_its_h1_stays_and_folded_parts_and_terms_are_headings() -> None:
    page = (
        "<html><head><title>Finance Committee | Rudersdal Municipality</title></head><body>"
        '<header><p class="breadcrumb">Rudersdal Municipality › Politics</p><h1>Finance Committee</h1>'
        "<p>Meeting held on 20 May 2025.</p></header>"
        "<details open><summary>Item 5: Follow-up</summary><dl><dt>Decision</dt>"
        "<dd>The committee approved the plan.</dd></dl></details></body></html>"
    )
    blocks = [(b.kind, b.level, b.text) for b in parse_html(page).blocks]
    assert blocks == [
        ("heading", 1, "Finance Committee"),
        ("paragraph", 0, "Meeting held on 20 May 2025."),
        ("heading", 2, "Item 5: Follow-up"),
        ("heading", 3, "Decision"),
        ("paragraph", 0, "The committee approved the plan."),
    ]


def test_a_breadcrumb_class_on_the_page_s_body_is_no_furniture_and_a_logo_header_goes() -> None:
    page = (
        '<html><body class="page has-breadcrumb"><header><a href="/"><h1>Rudersdal Kommune</h1></a>'
        '<ul><li>Log ind</li></ul></header><nav aria-label="Du er her">Forside › Politik</nav>'
        '<main class="with-breadcrumbs"><div class="breadcrumbs">Forside › Politik</div><h1>Referat</h1>'
        "<details><summary>Punkt 1</summary><details><summary>Punkt 1.1</summary><dl><dt>Beslutning</dt>"
        "<dd>Godkendt.</dd></dl></details></details></main></body></html>"
    )
    assert [(b.kind, b.level, b.text) for b in parse_html(page).blocks] == [
        ("heading", 1, "Referat"),
        ("heading", 2, "Punkt 1"),
        ("heading", 3, "Punkt 1.1"),
        ("heading", 4, "Beslutning"),
        ("paragraph", 0, "Godkendt."),
    ]

from ingest.parsers.markdown import parse_markdown, strip_inline
from tests.support import seed

TABLE = (
    "# Opfølgning\n\n"
    "Tema\tAnbefalinger\tOpfølgning\n"
    "<b>Dialog</b>\t<ul><li>- Bedre dialog anbefales</li></ul>\t<ul><li>- Kurser</li><li>- Møder</li></ul>\n"
    "\n"
    "\t\t<ul><li>- Nyhedsbrev</li></ul>\n"
    "<b>Svartid</b>\t<ul><li>- Det anbefales, at</li></ul>\t<ul><li>- Frister</li></ul>\n"
    "\t<p>svartiden nedbringes.</p>\t\n"
    "<b>Gruppe B</b>\t\t\n"
    "------\t---\t--\n"
)


def test_table_rows_keep_headers_and_merge_continuations() -> None:
    blocks = parse_markdown(TABLE).blocks
    rows = [b for b in blocks if b.kind == "row"]
    assert [[c.header for c in r.cells] for r in rows] == [["Tema", "Anbefalinger", "Opfølgning"]] * 2
    assert rows[0].cells[2].text == "• Kurser\n• Møder\n• Nyhedsbrev"
    assert rows[1].cells[1].text == "• Det anbefales, at\nsvartiden nedbringes."
    assert blocks[-1].kind == "heading" and blocks[-1].text == "Gruppe B"
    assert parse_markdown(TABLE).title_hint == "Opfølgning"


def test_inline_markup_stripped() -> None:
    assert strip_inline("vedrører **Læring og trivsel** og [link](http://x) `kode`") == (
        "vedrører Læring og trivsel og link kode"
    )


def test_seed_004_every_row_has_a_theme_and_two_columns() -> None:
    rows = [b for b in parse_markdown(seed("004").read_text()).blocks if b.kind == "row"]
    assert len(rows) == 17
    for row in rows:
        assert [c.header for c in row.cells][:1] == ["Tema"]
        assert len(row.cells) == 3
    split = next(r for r in rows if r.cells[0].text == "Tilretning af kontanthjælp")
    assert "samarbejder bedre" in split.cells[1].text

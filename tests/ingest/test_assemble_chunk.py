from ingest.assemble import assemble
from ingest.chunk import ChunkSizes, chunk_document, sentence_spans
from ingest.models import Block, Cell


def _doc() -> list[Block]:
    long_para = " ".join(f"Sætning nummer {i} handler om borgerne." for i in range(60))
    return [
        Block("heading", "Titel", 1),
        Block("heading", "1. Første afsnit", 1),
        Block("paragraph", "Forvaltningen vil igangsætte følgende initiativer:"),
        Block("bullet", "Fokus på telefonpolitikken.", 1),
        Block("bullet", "Bedre vejledning.", 2),
        Block("heading", "2. Andet afsnit", 1),
        Block("paragraph", long_para),
        Block("row", cells=(Cell("Tema", "Dialog"), Cell("Opfølgning", "• Kurser\n• Møder"))),
    ]


def test_assembled_text_units_and_sections() -> None:
    text, units = assemble(_doc(), title="Titel")
    assert text.startswith(
        "Titel\n\n1. Første afsnit\n\nForvaltningen vil igangsætte følgende initiativer:\n• Fokus"
    )
    assert "\n◦ Bedre vejledning." in text
    assert "Tema: Dialog\nOpfølgning:\n• Kurser\n• Møder" in text
    assert units[3].section == "1. Første afsnit"
    row = units[-1]
    assert row.section == "2. Andet afsnit"
    assert [text[c.start : c.end] for c in row.cells] == ["Dialog", "• Kurser\n• Møder"]


def test_chunks_follow_structure_and_offsets() -> None:
    text, units = assemble(_doc(), title="Titel")
    sizes = ChunkSizes(min_words=20, target_words=120, max_words=150, tiny_words=3)
    chunks = chunk_document("doc", text, units, sizes)
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert len(chunk.text.split()) <= sizes.max_words
    first = chunks[0]
    assert "Fokus på telefonpolitikken" in first.text and first.section == "1. Første afsnit"
    assert "2. Andet afsnit" not in first.text  # a heading closes the chunk
    long_parts = [c for c in chunks if "Sætning nummer" in c.text]
    assert len(long_parts) >= 2
    assert all(c.text.rstrip().endswith(".") for c in long_parts)  # cut between sentences
    assert chunks[-1].text.startswith("Tema: Dialog")  # a table row is its own chunk
    assert len({c.chunk_id for c in chunks}) == len(chunks)


def test_sentence_spans_respect_abbreviations() -> None:
    text = "Der er bl.a. kurser. Næste sætning! Sidste"
    assert [text[s:e] for s, e in sentence_spans(text, 0, len(text))] == [
        "Der er bl.a. kurser.",
        "Næste sætning!",
        "Sidste",
    ]

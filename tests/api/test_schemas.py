"""The response models mirror the domain objects field by field; a field added to one side is a choice."""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import BaseModel

from api.schemas import AnswerOut, CitationOut, DocumentOut, HitOut
from index.answer import Answer, Citation
from index.models import Hit
from ingest.models import Document

# Domain fields the API does not send, and why.
KEPT_BACK = {
    Citation: {"score"},  # a ranking detail; the answer's citations are already in order
    Answer: {"evidence"},  # the threshold margin, for evaluation
    Document: {"text", "file_hash", "abs_path", "content_hash", "ingested_at", "units"},  # internal or large
}


@pytest.mark.parametrize(
    ("model", "domain"),
    [(HitOut, Hit), (CitationOut, Citation), (AnswerOut, Answer), (DocumentOut, Document)],
)
def test_a_response_model_has_every_sent_domain_field_and_nothing_else(
    model: type[BaseModel], domain: type
) -> None:
    sent = {f.name for f in fields(domain)} - KEPT_BACK.get(domain, set())
    assert set(model.model_fields) == sent

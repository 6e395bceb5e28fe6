"""The record: documents, passages and what is derived from them, in one SQLite file per data dir."""

from index.record.documents import Record
from index.record.overrides import OverrideRow
from index.record.schema import SCHEMA_VERSION

__all__ = ["SCHEMA_VERSION", "OverrideRow", "Record"]

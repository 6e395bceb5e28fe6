"""Ingest: parse, clean, chunk and deduplicate documents."""

"""Recommendations and how they were followed up: extraction, linking to responses, status."""

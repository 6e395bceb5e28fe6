"""Errors that reject one file without stopping an ingest run."""


class RejectedFile(Exception):
    """A file that cannot be ingested; `reason` is one line a user can act on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

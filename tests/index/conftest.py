"""A real Chroma server (`chroma run`) for the server-mode store tests, started once per session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server import chroma_run


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of a Chroma server on a free local port, with its data in a temporary folder."""
    with chroma_run(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url

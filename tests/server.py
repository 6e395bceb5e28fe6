"""Running the installed `sporbar` command in tests: one-shot commands and a live `sporbar serve`."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks import launch

SPORBAR = str(launch.BIN / "sporbar")
START_LIMIT_S = 90
API_KEY = "page-test-key"  # the write key of the shared live server


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a test's `sporbar`: the fake embedder unless a test asks for another."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SPORBAR_")}
    env.update({"SPORBAR_EMBEDDER": "fake", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"})
    env.update(extra or {})
    return env


def run_cli(
    *args: str, env: Mapping[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPORBAR, *args], capture_output=True, text=True, env=cli_env(env), timeout=timeout, check=False
    )


@contextmanager
def serve(data_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A real `sporbar serve` on a free loopback port; yields its base URL and stops it afterwards."""
    data_dir.mkdir(parents=True, exist_ok=True)
    log = data_dir.parent / f"serve-{data_dir.name}-{time.monotonic_ns()}.log"
    with launch.sporbar_serve(data_dir, cli_env(env), log, START_LIMIT_S) as server:
        yield server.url


@contextmanager
def chroma_run(root: Path) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port with its data under `root`."""
    with launch.chroma_run(root / "data", root / "chroma.log", START_LIMIT_S) as chroma:
        yield chroma.url


@dataclass(frozen=True)
class LiveServer:
    url: str
    api_key: str

    def warm(self) -> None:
        """One search, so the lexical cache is built before a page sends several requests at once."""
        response = httpx.get(f"{self.url}/api/search", params={"q": "borgerrådgiver"}, timeout=60)
        response.raise_for_status()

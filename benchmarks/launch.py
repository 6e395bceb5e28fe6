"""Child processes of the service: `sporbar serve` and `chroma run` on free loopback ports.

Used where a real server is needed beside the caller: the scale benchmark and the integration tests.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Running:
    process: subprocess.Popen[bytes]
    url: str
    startup_s: float  # from launch until it answered its health check


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def sporbar_serve(data_dir: Path, env: Mapping[str, str], log: Path, limit_s: float) -> Iterator[Running]:
    """A `sporbar serve` over `data_dir`, stopped on leaving; output goes to `log`."""
    port = free_port()
    command = [str(BIN / "sporbar"), "serve", "--data-dir", str(data_dir), "--port", str(port)]
    started = time.monotonic()
    with _launched(command, dict(env), log) as process:
        yield _wait(process, f"http://127.0.0.1:{port}", "/healthz", log, (started, limit_s), "sporbar serve")


@contextmanager
def chroma_run(path: Path, log: Path, limit_s: float) -> Iterator[Running]:
    """A Chroma server keeping its data under `path`, stopped on leaving; output goes to `log`."""
    port = free_port()
    path.mkdir(parents=True, exist_ok=True)
    command = [str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    started = time.monotonic()
    with _launched(command, None, log) as process:
        yield _wait(
            process, f"http://127.0.0.1:{port}", "/api/v2/heartbeat", log, (started, limit_s), "chroma run"
        )


@contextmanager
def _launched(command: list[str], env: dict[str, str] | None, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait(
    process: subprocess.Popen[bytes], url: str, health: str, log: Path, clock: tuple[float, float], name: str
) -> Running:
    """Poll the health route until it answers; `clock` is (launched at, seconds allowed)."""
    started, limit_s = clock
    # One client for every poll: a new one per poll cost a third of a core, taken from the server
    # whose start-up is being timed.
    with httpx.Client(timeout=2) as client:
        while True:
            try:
                if client.get(f"{url}{health}").status_code == 200:
                    return Running(process, url, time.monotonic() - started)
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() - started > limit_s:
                state = (
                    f"exited with {process.returncode}"
                    if process.poll() is not None
                    else "did not answer in time"
                )
                raise RuntimeError(f"{name} {state} on {url}:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)

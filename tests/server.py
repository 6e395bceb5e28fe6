"""Running the installed `sporbar` command in tests: one-shot commands and a live `sporbar serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

SPORBAR = str(Path(sys.executable).parent / "sporbar")
START_LIMIT_S = 90


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(data_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """A real `sporbar serve` on a free loopback port; yields its base URL and stops it afterwards."""
    port = free_port()
    log = data_dir.parent / f"serve-{port}.log"
    data_dir.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [SPORBAR, "serve", "--data-dir", str(data_dir), "--port", str(port)],
            env=cli_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, log)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_until_up(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    started = time.monotonic()
    while time.monotonic() - started < START_LIMIT_S:
        if process.poll() is not None:
            raise RuntimeError(f"sporbar serve exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"sporbar serve did not answer within {START_LIMIT_S} s:\n{log.read_text()[-3000:]}")


@contextmanager
def chroma_run(root: Path) -> Iterator[str]:
    """A real Chroma server (`chroma run`) on a free loopback port with its data under `root`."""
    chroma = Path(sys.executable).parent / "chroma"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    root.mkdir(parents=True, exist_ok=True)
    log = root / "chroma.log"
    command = [str(chroma), "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        started = time.monotonic()
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() - started > START_LIMIT_S:
                raise RuntimeError(
                    f"Chroma did not start on {url}:\n{log.read_text(errors='replace')[-2000:]}"
                )
            time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

"""A client of an OpenAI-compatible chat completions endpoint (vLLM, Ollama, Azure OpenAI, …), streamed: the
reply's text arrives piece by piece, so verified sentences can be shown while the model still writes."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx


class ModelError(RuntimeError):
    """The endpoint failed, answered with something that is not a chat completion, or took too long."""


@dataclass(frozen=True)
class ChatModel:
    """Where the model is and how long a whole reply may take (seconds)."""

    url: str
    model: str
    key: str | None = None
    timeout: float = 30.0

    @property
    def endpoint(self) -> str:
        """The chat completions URL: a base URL (".../v1") gets the path appended."""
        url = self.url.rstrip("/")
        return url if url.endswith("/chat/completions") else f"{url}/chat/completions"

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The reply's text in pieces. Raises ModelError on any failure, also past the timeout."""
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        body = {"model": self.model, "messages": messages, "temperature": 0, "stream": True}
        deadline = time.monotonic() + self.timeout
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(self.timeout)) as client,
                client.stream("POST", self.endpoint, json=body, headers=headers) as response,
            ):
                if response.status_code != 200:
                    raise ModelError(f"the model endpoint answered HTTP {response.status_code}")
                if "text/event-stream" not in response.headers.get("content-type", ""):
                    # An endpoint that ignores "stream" answers with one completion.
                    yield _content(json.loads(response.read()))
                    return
                for line in response.iter_lines():
                    if time.monotonic() > deadline:
                        raise ModelError(f"the model took longer than {self.timeout:g} s")
                    piece = _event(line)
                    if piece is None:
                        return
                    yield piece
        except httpx.HTTPError as exc:
            raise ModelError(f"the model endpoint failed: {type(exc).__name__}") from exc
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise ModelError("the model endpoint's reply is not a chat completion") from exc


def _event(line: str) -> str | None:
    """The text a server-sent event line adds ("" for none); None at the end of the stream."""
    if not line.startswith("data:"):
        return ""
    data = line[5:].strip()
    if data == "[DONE]":
        return None
    choices = json.loads(data).get("choices") or [{}]
    return str((choices[0].get("delta") or {}).get("content") or "")


def _content(reply: dict[str, object]) -> str:
    choices = reply["choices"]
    assert isinstance(choices, list)
    return str(choices[0]["message"]["content"] or "")

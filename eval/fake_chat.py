"""A small OpenAI-compatible chat completions server on localhost, for the tests and the answer benchmark of
generated answers without a real model or a network. The model name picks how the "model" behaves:

- `quoting`: answers with the passage sentences that share most words with the question, each citing its
  passage with a verbatim quote (an honest model, if not a clever one);
- `inventing`: as `quoting`, plus a sentence whose quote is not in any passage;
- `misciting`: quotes real sentences but names the wrong passage for each;
- `garbage`: prose instead of JSON lines; `error`: HTTP 500; `slow`: one sentence, then silence;
- `whole`: one pretty-printed JSON document `{"sentences": [...]}`, not streamed.

    with FakeChat() as chat:  # chat.url is the base URL ("http://127.0.0.1:PORT/v1")
        ...
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

_PASSAGE = re.compile(r"^\[(P\d+)\][^\n]*\n(.*?)(?=\n\n\[P\d+\]|\Z)", re.MULTILINE | re.DOTALL)
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[^\W\d_]{4,}")
INVENTED = "Kommunen har lovet gratis parkering for alle borgere fra næste år"
SLOW_SECONDS = 5.0


def _stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in _WORD.findall(text)}


def passages(prompt: str) -> dict[str, str]:
    """The passages of a prompt by id."""
    return {m.group(1): m.group(2) for m in _PASSAGE.finditer(prompt)}


def best_sentences(prompt: str, n: int = 2) -> list[tuple[str, str]]:
    """(passage id, sentence) of the sentences sharing most word stems with the question."""
    question = prompt.split("\n", 1)[0]
    wanted = _stems(question)
    found = [
        (len(wanted & _stems(s)), pid, " ".join(s.split()))
        for pid, text in passages(prompt).items()
        for s in _SENTENCE.findall(text)
        if len(s.split()) >= 5
    ]
    found.sort(key=lambda item: -item[0])
    return [(pid, s) for _, pid, s in found[:n]]


def reply(model: str, prompt: str) -> str:
    """What the named behaviour answers to a prompt."""
    chosen = best_sentences(prompt)
    ids = sorted(passages(prompt))
    lines: list[dict[str, object]] = [
        {"sentence": sentence, "citations": [{"passage": pid, "quote": " ".join(sentence.split()[:12])}]}
        for pid, sentence in chosen
    ]
    if model == "inventing":
        lines.append({"sentence": INVENTED + ".", "citations": [{"passage": ids[0], "quote": INVENTED}]})
    if model == "misciting":
        lines = [
            {"sentence": sentence, "citations": [{"passage": _other(pid, ids), "quote": sentence}]}
            for pid, sentence in chosen
        ]
    if model == "garbage":
        return "Sure! The municipality will look into it. Let me know if you need anything else."
    if model == "whole":
        return "```json\n" + json.dumps({"sentences": lines}, ensure_ascii=False, indent=2) + "\n```"
    return "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)


def _other(pid: str, ids: list[str]) -> str:
    return next((p for p in ids if p != pid), "P99")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        self.server.requests.append(body)  # type: ignore[attr-defined]
        self.server.keys.append(self.headers.get("Authorization"))  # type: ignore[attr-defined]
        model = str(body.get("model", ""))
        if model == "error":
            self._send(500, "application/json", b'{"error": "internal"}')
            return
        content = reply(model, body["messages"][-1]["content"].removeprefix("Question: "))
        if model == "whole" or not body.get("stream"):
            message = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
            self._send(200, "application/json", json.dumps(message).encode())
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        first = content.split("\n", 1)[0] + "\n"
        pieces = [first[i : i + 17] for i in range(0, len(first), 17)]
        if model != "slow":
            rest = content[len(first) :]
            pieces += [rest[i : i + 17] for i in range(0, len(rest), 17)]
        for piece in pieces:
            self._event({"choices": [{"index": 0, "delta": {"content": piece}}]})
        if model == "slow":
            time.sleep(SLOW_SECONDS)
        self.wfile.write(b"data: [DONE]\n\n")

    def _event(self, data: dict[str, object]) -> None:
        self.wfile.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()

    def _send(self, status: int, kind: str, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FakeChat:
    """The server, on a free port in a daemon thread while the `with` block runs."""

    def __init__(self) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.requests = []  # type: ignore[attr-defined]
        self.server.keys = []  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    @property
    def requests(self) -> list[dict[str, object]]:
        return self.server.requests  # type: ignore[attr-defined]

    @property
    def keys(self) -> list[str | None]:
        """The Authorization header of each request."""
        return self.server.keys  # type: ignore[attr-defined]

    def __enter__(self) -> FakeChat:
        self.thread.start()
        return self

    def __exit__(
        self, *exc: tuple[type[BaseException] | None, BaseException | None, TracebackType | None]
    ) -> None:
        self.server.shutdown()
        self.server.server_close()

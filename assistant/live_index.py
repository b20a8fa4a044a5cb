"""The index that answers now, kept answering: from the last good version when a source is
broken, and while a new version builds in the background (then swapped in for the next
question; answers in flight keep the version they started with).

    live = LiveIndex(settings, background=True)
    live.current            # the Index to answer from
    live.status()           # IndexStatus: building? progress, problems, skipped documents
    live.rebuild()          # bring the index up to date from the sources, in the background
"""
from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from .config import Settings
from .dutch import format_date
from .embeddings import EmbedderError
from .index import Index, IndexCorrupt, IndexUnavailable, build, build_lock, read_meta, staleness
from .sources import SourceError

CORRUPT = "de index is beschadigd"
STAGES = {"read": "Documenten lezen", "embed": "Embeddings berekenen", "store": "Index vullen"}


@dataclass(frozen=True)
class BuildProgress:
    """Where a running build is: a stage, how far, and an estimate of the time left."""

    stage: str  # "read", "embed" or "store"
    label: str  # the stage in Dutch
    done: int
    total: int
    seconds_left: float | None  # None until there is a rate to estimate from

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class IndexStatus:
    """What the page's banner and every answer must say about the index."""

    built_at: str  # when the answering version was built
    documents: int
    chunks: int
    building: str | None = None  # Dutch: why a new version is being built; None when no build runs
    progress: BuildProgress | None = None
    problem: str | None = None  # Dutch: why the sources cannot be built now (the last good version answers)
    skipped: dict[str, str] = field(default_factory=dict)  # source id -> why it is not in the index

    @property
    def warning(self) -> str | None:
        """One Dutch text for answers and the banner; None when all is well."""
        parts = []
        when = built_when(self.built_at)
        if self.problem:
            parts.append(f"{self.problem} Tot dat is opgelost komen de antwoorden uit de laatste goede index ({when}).")
        if self.building:
            parts.append(f"De index wordt bijgewerkt ({self.building}); tot hij klaar is komen de antwoorden uit de vorige versie ({when}).")
        parts.extend(self.skipped.values())
        return " ".join(parts) or None

    def to_json(self) -> dict:
        return {"built_at": self.built_at, "documents": self.documents, "chunks": self.chunks, "building": self.building,
                "progress": self.progress.to_json() if self.progress else None, "problem": self.problem,
                "skipped": dict(self.skipped), "warning": self.warning}


class LiveIndex:
    """Holds the answering Index and replaces it when a build completes.

    `background`: when the index is out of date but a previous version is whole, answer from
    that one at once and build the new one in a thread (for `serve`); otherwise build first
    (for `ask`, `eval`). Either way, sources that cannot be read leave the previous version
    answering, with a `problem` that names the file."""

    def __init__(self, settings: Settings, progress: Callable[[str, int, int], None] | None = None,
                 notify: Callable[[str], None] | None = None, background: bool = False) -> None:
        self.settings = settings
        self._forward, self._notify = progress, notify
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._building: str | None = None
        self._progress: BuildProgress | None = None
        self._stage_started = (None, 0.0)
        self._problem: str | None = None
        self._current = self._open(background)
        if self._building:  # answering from the previous version; the new one builds meanwhile
            self.rebuild(background=True)

    @property
    def current(self) -> Index:
        """The Index to answer from. Read it once per answer: a rebuild swaps in a new one."""
        return self._current

    def status(self) -> IndexStatus:
        index = self._current
        return IndexStatus(built_at=index.meta.built_at, documents=len(index.documents), chunks=len(index.chunks),
                           building=self._building, progress=self._progress, problem=self._problem,
                           skipped=dict(index.meta.skipped))

    def rebuild(self, background: bool = True) -> None:
        """Bring the index up to date with the sources (a build only when they changed). In
        the background, answering goes on from the current version, and a request that comes
        during a build runs one more check after it. In the foreground, a SourceError is raised."""
        if not background:
            self._update()
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = True
                return
            self._thread = threading.Thread(target=self._run, name="index-build", daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a background build; True when none is running any more."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return thread is None or not thread.is_alive()

    def _open(self, background: bool) -> Index:
        try:
            reason = staleness(self.settings)
        except SourceError as exc:
            return self._fallback(exc)
        if reason is None:
            try:
                return Index(self.settings)
            except IndexCorrupt as exc:
                self._say(str(exc))
                reason = CORRUPT
        if background and reason != CORRUPT:
            try:
                previous = Index(self.settings)
            except IndexUnavailable:
                previous = None  # nothing to answer from meanwhile: build first
            if previous is not None:
                self._building = reason
                return previous
        self._say(f"Index wordt gebouwd ({reason}) ...")
        try:
            self._build(force=reason == CORRUPT)
        except SourceError as exc:
            return self._fallback(exc)
        return Index(self.settings)

    def _fallback(self, exc: SourceError) -> Index:
        """The sources cannot be read: answer from the last good version, or fail when there is none."""
        try:
            index = Index(self.settings)
        except IndexUnavailable:
            raise exc from None
        self._problem = str(exc)
        self._say(f"Let op: {exc} De vorige index ({built_when(index.meta.built_at)}) blijft antwoorden.")
        return index

    def _run(self) -> None:
        """The background build, repeated while requests came in during it."""
        while True:
            try:
                self._update()
            except SourceError:
                pass  # `_update` recorded it: the current version keeps answering
            except Exception as exc:  # the same, for an embedder or Chroma server that fails
                self._problem = f"De nieuwe index kon niet worden gebouwd: {exc}"
                known = isinstance(exc, (IndexUnavailable, EmbedderError))
                self._say(self._problem if known else traceback.format_exc())
            with self._lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False

    def _update(self) -> None:
        """Build when the sources changed and swap the new version in for new questions;
        answers in flight keep the Index they started with."""
        try:
            self._build(force=False)
        except SourceError as exc:
            self._problem = str(exc)
            self._say(f"Let op: {exc} De vorige index blijft antwoorden.")
            raise
        if read_meta(self.settings.index_dir).collection != self._current.meta.collection:
            self._current = Index(self.settings)  # another process may have built it: also swapped in
        self._problem = None

    def _build(self, force: bool) -> None:
        self._stage_started = (None, 0.0)
        try:
            with build_lock(self.settings):  # one builder per index, across processes
                reason = CORRUPT if force else staleness(self.settings)
                if reason:
                    self._building = reason
                    build(self.settings, self._on_progress)
        finally:
            self._building, self._progress = None, None

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if self._stage_started[0] != stage:
            self._stage_started = (stage, now)
        elapsed = now - self._stage_started[1]
        left = elapsed / done * (total - done) if done and elapsed > 0 else None
        self._progress = BuildProgress(stage, STAGES.get(stage, stage), done, total, None if left is None else round(left, 1))
        if self._forward:
            self._forward(stage, done, total)

    def _say(self, message: str) -> None:
        if self._notify:
            self._notify(message)


def built_when(built_at: str) -> str:
    """'2025-11-03T14:05:00' as 'gebouwd 3 november 2025 om 14:05'."""
    day, _, clock = built_at.partition("T")
    return f"gebouwd {format_date(day)}" + (f" om {clock[:5]}" if clock else "")


def ensure_index(settings: Settings, progress: Callable[[str, int, int], None] | None = None,
                 notify: Callable[[str], None] | None = None) -> Index:
    """Open the index, building it first when it is missing or a source changed; when the
    sources cannot be read, the last good version (a `notify` says why)."""
    return LiveIndex(settings, progress, notify).current

"""The document collection: `sources/manifest.json` and the files it names.

Plain text and Markdown are read as they are; PDF, DOCX and HTML are converted to text on
the way in (`convert.py`), so every later stage sees one kind of input.
"""
from __future__ import annotations

import bisect
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from .convert import ConversionError, docx_to_text, html_to_text, pdf_to_text
from .dutch import format_decimal
from .inputs import describe_json_error, json_type, printable
from .sections import parse_sections
from .types import Converted, Section, Source

KINDS = ("bloemlezing", "inspectierapport", "kamerbrief", "rapport", "brief", "overig")
QUOTING_KINDS = ("bloemlezing",)  # collections of what others say: a "we" there is a speaker's, not the writers'


class SourceError(Exception):
    """A problem with the document collection, with a Dutch message for the user."""


@dataclass(frozen=True)
class Document:
    source: Source
    text: str
    sha256: str
    pages: tuple[int, ...] = ()  # offsets where each page (or stretch of one) starts (PDF), for citations
    page_numbers: tuple[int, ...] = ()  # the page of each stretch; empty: stretch n is page n
    empty_pages: tuple[int, ...] = ()  # pages without text (a scan), reported, never indexed silently

    def page_at(self, offset: int) -> int | None:
        if not self.pages:
            return None
        n = max(bisect.bisect_right(self.pages, offset), 1)
        return self.page_numbers[n - 1] if self.page_numbers else n


_TEXT_FIELDS = ("id", "file", "kind", "title", "publisher")
_REQUIRED = ("id", "file", "kind", "title", "date")
_HEADINGS = ("auto", "numbered")


def load_manifest(sources_dir: Path) -> list[Source]:
    """The documents the manifest lists, each checked; a SourceError names the item that is wrong."""
    path = _manifest_path(sources_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise SourceError(f"Het manifest {path} is geen UTF-8-tekst (ongeldige byte op positie {exc.start + 1}).") from exc
    except json.JSONDecodeError as exc:
        raise SourceError(f"Het manifest {path} is geen geldige JSON ({describe_json_error(exc)}).") from exc
    except (ValueError, RecursionError) as exc:
        raise SourceError(f"Het manifest {path} is geen bruikbare JSON (te diep genest of een te lang getal).") from exc
    if not isinstance(data, dict) or "documents" not in data:
        raise SourceError(f"Het manifest {path} moet een object zijn met een lijst 'documents', maar is {json_type(data)}"
                          + (" zonder 'documents'." if isinstance(data, dict) else "."))
    entries = data["documents"]
    if not isinstance(entries, list):
        raise SourceError(f"In het manifest {path} moet 'documents' een lijst zijn, maar het is {json_type(entries)}.")
    sources, seen = [], set()
    for n, entry in enumerate(entries, 1):
        source = source_from_entry(entry, n)
        if source.id in seen:
            raise SourceError(f"Manifest-item {n}: de id '{source.id}' komt twee keer voor.")
        seen.add(source.id)
        sources.append(source)
    return sources


def source_from_entry(entry, n: int | None = None) -> Source:
    """One manifest item as a Source, or a SourceError naming the item (`n`) and the field."""
    if not isinstance(entry, dict):
        raise SourceError(f"Manifest-item {n} moet een object zijn met de velden id, file, kind, title en date, "
                          f"maar is {json_type(entry)}.")
    name = ("Manifest-item" + (f" {n}" if n is not None else "")
            + (f" ('{printable(entry['id'])}')" if isinstance(entry.get("id"), str) else ""))

    def wrong(field: str, wanted: str) -> SourceError:
        return SourceError(f"{name}: het veld '{field}' moet {wanted} zijn, maar is {json_type(entry[field])}.")

    for key in _TEXT_FIELDS:
        if key in entry and not isinstance(entry[key], str):
            raise wrong(key, "tekst")
    if "date" in entry and (not isinstance(entry["date"], (str, int)) or isinstance(entry["date"], bool)):
        raise wrong("date", "tekst (bv. \"2025-11\") of een jaartal")
    missing = [k for k in _REQUIRED if not str(entry.get(k) or "").strip()]
    if missing:
        raise SourceError(f"{name} mist verplichte velden: {', '.join(missing)}.")
    if entry.get("headings", "auto") not in _HEADINGS:
        raise SourceError(f"{name}: het veld 'headings' moet \"auto\" of \"numbered\" zijn.")
    not_headings = entry.get("not_headings", [])
    if not isinstance(not_headings, list) or not all(isinstance(x, str) for x in not_headings):
        raise SourceError(f"{name}: het veld 'not_headings' moet een lijst met regels tekst zijn.")
    file = PurePosixPath(entry["file"])
    if file.is_absolute() or ".." in file.parts:
        raise SourceError(f"{name}: het bestand '{entry['file']}' moet in de bronnenmap staan (een pad zonder '..').")
    for key in _TEXT_FIELDS + ("date",):
        if key in entry:
            check = str(entry[key])
            if printable(check) != check:
                raise SourceError(f"{name}: het veld '{key}' bevat tekens die geen geldige UTF-8-tekst zijn.")
    return Source(
        id=entry["id"],
        file=entry["file"],
        kind=entry["kind"],
        title=entry["title"],
        publisher=entry.get("publisher", ""),
        date=str(entry["date"]),
        headings=entry.get("headings", "auto"),
        not_headings=tuple(not_headings),
    )


@dataclass(frozen=True)
class Limits:
    """How big a source may be: the file on disk, and its text after conversion (bytes)."""

    file_bytes: int | None = None
    text_bytes: int | None = None


class SourceTooLarge(SourceError):
    """A document over a size limit: left out of the index, the others are still indexed."""

    def __init__(self, message: str, sha256: str) -> None:
        super().__init__(message)
        self.sha256 = sha256


def read_document(sources_dir: Path, source: Source, limits: Limits = Limits()) -> Document:
    """Read one document as text; raise SourceError with a Dutch message when it cannot be used."""
    path = _source_path(sources_dir, source)
    if limits.file_bytes is not None and path.stat().st_size > limits.file_bytes:
        raise SourceTooLarge(
            f"'{source.file}' (bron '{source.id}') is overgeslagen: het bestand is {_size(path.stat().st_size)}, "
            f"de grens is {_size(limits.file_bytes)} (ASSISTANT_MAX_FILE_MB).", file_sha256(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise _unreadable(source, exc) from exc
    doc = make_document(source, path, raw)
    size = len(doc.text.encode("utf-8"))
    if limits.text_bytes is not None and size > limits.text_bytes:
        raise SourceTooLarge(
            f"'{source.file}' (bron '{source.id}') is overgeslagen: de tekst is {_size(size)}, de grens is "
            f"{_size(limits.text_bytes)} (ASSISTANT_MAX_SOURCE_MB). Splits het document, of verhoog de grens "
            "en draai `assistant ingest`.", doc.sha256)
    return doc


def make_document(source: Source, path: Path, raw: bytes) -> Document:
    """The document `source` describes, read from `raw` (the bytes of `path`)."""
    got = convert(path, raw)
    if not got.text.strip():
        scan = " Het lijkt een scan: laat de tekst eerst herkennen (OCR)." if got.empty_pages else ""
        raise SourceError(f"Het bestand '{path.name}' (bron '{source.id}') bevat geen leesbare tekst.{scan}")
    return Document(source, got.text, hashlib.sha256(raw).hexdigest(), got.pages, got.page_numbers, got.empty_pages)


def _manifest_path(sources_dir: Path) -> Path:
    path = sources_dir / "manifest.json"
    if not path.exists():
        raise SourceError(f"Geen manifest gevonden: {path} ontbreekt. Zie README, 'Documenten toevoegen'.")
    return path


def _source_path(sources_dir: Path, source: Source) -> Path:
    path = sources_dir / source.file
    if not path.is_file():
        raise SourceError(f"Het bestand '{source.file}' voor bron '{source.id}' staat in het manifest maar ontbreekt in {sources_dir}.")
    return path


def _unreadable(source: Source, exc: OSError) -> SourceError:
    why = "geen leesrechten" if isinstance(exc, PermissionError) else exc.strerror or str(exc)
    return SourceError(f"Het bestand '{source.file}' (bron '{source.id}') kan niet worden gelezen ({why}).")


def _size(size: int) -> str:
    """A size in bytes the Dutch way: '21,3 MB', '14 kB', '240 bytes'."""
    if size >= 1_000_000:
        return f"{format_decimal(size / 1_000_000, 1)} MB"
    return f"{format_decimal(size / 1000, 0)} kB" if size >= 1000 else f"{size} bytes"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


SUFFIXES = (".txt", ".md", ".markdown", ".pdf", ".docx", ".html", ".htm")


def convert(path: Path, raw: bytes) -> Converted:
    """The text of a file; for a PDF also where its pages start."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".txt", ".md", ".markdown", ""):
            return Converted(raw.decode("utf-8-sig"))
        if suffix == ".pdf":
            return pdf_to_text(raw)
        if suffix == ".docx":
            return docx_to_text(raw)
        if suffix in (".html", ".htm"):
            return html_to_text(raw)
    except UnicodeDecodeError as exc:
        raise SourceError(f"Het bestand '{path.name}' is geen UTF-8-tekst (ongeldige byte 0x{raw[exc.start]:02x} op positie "
                          f"{exc.start + 1}). Sla het op als UTF-8.") from exc
    except ConversionError as exc:
        raise SourceError(f"Het bestand '{path.name}' kan niet worden gelezen: {exc}.") from exc
    except Exception as exc:  # a converter library tripping over a malformed file
        raise SourceError(f"Het bestand '{path.name}' kan niet worden gelezen: het is beschadigd of geen geldig "
                          f"{suffix[1:].upper()}-bestand ({type(exc).__name__}).") from exc
    raise SourceError(
        f"Het bestandstype '{suffix}' van '{path.name}' wordt niet ondersteund; gebruik .txt, .md, .pdf, .docx of .html."
    )


def load_documents(sources_dir: Path) -> list[Document]:
    return [read_document(sources_dir, s) for s in load_manifest(sources_dir)]


@dataclass(frozen=True)
class Skipped:
    """A document left out of the index, and why (Dutch)."""

    source: Source
    sha256: str
    reason: str


@dataclass(frozen=True)
class Collection:
    """Everything the manifest lists, read: the documents to index and those left out."""

    documents: list[Document]
    skipped: list[Skipped]
    manifest: str  # sha256 of manifest.json

    @property
    def files(self) -> dict[str, str]:
        """source id -> sha256 of its file, skipped ones included (so they do not look changed)."""
        return {**{d.source.id: d.sha256 for d in self.documents}, **{s.source.id: s.sha256 for s in self.skipped}}


def read_collection(sources_dir: Path, limits: Limits = Limits(), progress: Callable[[str, int, int], None] | None = None) -> Collection:
    """Read every document; one over a size limit is skipped, any other problem raises SourceError."""
    manifest = manifest_sha256(sources_dir)
    sources = load_manifest(sources_dir)
    documents, skipped = [], []
    if progress:
        progress("read", 0, len(sources))
    for n, source in enumerate(sources, 1):
        try:
            documents.append(read_document(sources_dir, source, limits))
        except SourceTooLarge as exc:
            skipped.append(Skipped(source, exc.sha256, str(exc)))
        if progress:
            progress("read", n, len(sources))
    return Collection(documents, skipped, manifest)


def manifest_sha256(sources_dir: Path) -> str:
    return file_sha256(_manifest_path(sources_dir))


def fingerprint(sources_dir: Path) -> tuple[dict[str, str], str]:
    """source id -> sha256 of the file, and the manifest's sha256: what the index was built
    from, found without converting anything. SourceError when the manifest or a file is unusable."""
    manifest = manifest_sha256(sources_dir)
    files = {}
    for source in load_manifest(sources_dir):
        try:
            files[source.id] = file_sha256(_source_path(sources_dir, source))
        except OSError as exc:
            raise _unreadable(source, exc) from exc
    return files, manifest


@lru_cache(maxsize=64)
def document_sections(doc: Document) -> list[Section]:
    return parse_sections(doc.source.id, doc.text, doc.source.headings, doc.source.not_headings)

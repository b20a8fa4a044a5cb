"""The document collection: `sources/manifest.json` and the files it names.

Plain text and Markdown are read as they are; PDF, DOCX and HTML are converted to text on
the way in (`convert.py`), so every later stage sees one kind of input.
"""
from __future__ import annotations

import bisect
import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .convert import ConversionError, docx_to_text, html_to_text, pdf_to_text
from .sections import parse_sections
from .types import Converted, Section, Source

KINDS = ("bloemlezing", "inspectierapport", "kamerbrief", "rapport", "brief", "overig")


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


def load_manifest(sources_dir: Path) -> list[Source]:
    path = sources_dir / "manifest.json"
    if not path.exists():
        raise SourceError(f"Geen manifest gevonden: {path} ontbreekt. Zie README, 'Documenten toevoegen'.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["documents"]
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"Het manifest {path} is geen geldige JSON met een lijst 'documents': {exc}") from exc
    sources, seen = [], set()
    for n, entry in enumerate(entries, 1):
        missing = [k for k in ("id", "file", "kind", "title", "date") if not entry.get(k)]
        if missing:
            raise SourceError(f"Manifest-item {n} mist verplichte velden: {', '.join(missing)}.")
        if entry["id"] in seen:
            raise SourceError(f"Manifest-item {n}: de id '{entry['id']}' komt twee keer voor.")
        seen.add(entry["id"])
        sources.append(source_from_entry(entry))
    return sources


def source_from_entry(entry: dict) -> Source:
    return Source(
        id=entry["id"],
        file=entry["file"],
        kind=entry["kind"],
        title=entry["title"],
        publisher=entry.get("publisher", ""),
        date=str(entry["date"]),
        headings=entry.get("headings", "auto"),
        not_headings=tuple(entry.get("not_headings", ())),
    )


def read_document(sources_dir: Path, source: Source) -> Document:
    """Read one document as text; raise SourceError with a Dutch message when it cannot be used."""
    path = sources_dir / source.file
    if not path.exists():
        raise SourceError(f"Het bestand '{source.file}' voor bron '{source.id}' staat in het manifest maar ontbreekt in {sources_dir}.")
    raw = path.read_bytes()
    return make_document(source, path, raw)


def make_document(source: Source, path: Path, raw: bytes) -> Document:
    """The document `source` describes, read from `raw` (the bytes of `path`)."""
    got = convert(path, raw)
    if not got.text.strip():
        scan = " Het lijkt een scan: laat de tekst eerst herkennen (OCR)." if got.empty_pages else ""
        raise SourceError(f"Het bestand '{path.name}' (bron '{source.id}') bevat geen leesbare tekst.{scan}")
    return Document(source, got.text, hashlib.sha256(raw).hexdigest(), got.pages, got.page_numbers, got.empty_pages)


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
        raise SourceError(f"Het bestand '{path.name}' is geen UTF-8-tekst ({exc.reason} op positie {exc.start}).") from exc
    except ConversionError as exc:
        raise SourceError(f"Het bestand '{path.name}' kan niet worden gelezen: {exc}.") from exc
    raise SourceError(
        f"Het bestandstype '{suffix}' van '{path.name}' wordt niet ondersteund; gebruik .txt, .md, .pdf, .docx of .html."
    )


def load_documents(sources_dir: Path) -> list[Document]:
    return [read_document(sources_dir, s) for s in load_manifest(sources_dir)]


@lru_cache(maxsize=64)
def document_sections(doc: Document) -> list[Section]:
    return parse_sections(doc.source.id, doc.text, doc.source.headings, doc.source.not_headings)

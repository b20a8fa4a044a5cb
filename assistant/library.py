"""The document library: add, replace and remove documents, with `sources/manifest.json`
as the one record of what is in it.

A new file is converted and its fields checked before anything is written; the file is
copied under a name made from its id, and the manifest is written to a temporary file and
swapped in whole, so bad input never leaves a half change. Afterwards the index is rebuilt
through `rebuild_index`, the one place that does so for a changed library.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import json
import os
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .config import LOOPBACK_HOSTS, Settings
from .dutch import first_date, manifest_date, written_dates
from .outline import outline
from .sections import FRONT_LABEL
from .sources import (KINDS, SUFFIXES, Document, SourceError, document_sections, load_documents, load_manifest,
                      make_document, source_from_entry)
from .types import LibraryChange, Outline, Source, Suggestion

if TYPE_CHECKING:
    from .index import IndexMeta

MANIFEST = "manifest.json"
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")
MAX_TITLE_CHARS = 300
MAX_PUBLISHER_CHARS = 200
TITLE_PAGE_CHARS = 2000  # where a title page ends when a document has no pages
FIELDS = ("title", "kind", "publisher", "date")
_JUNK_TITLE = re.compile(r"^(?:microsoft (?:word|powerpoint) - |untitled|naamloos|document\s*\d*$)|\.(?:docx?|pdf|indd|odt)$", re.I)
_JUNK_AUTHORS = {"python-docx", "anonymous", "user", "gebruiker", "admin", "administrator", "microsoft office user",
                 "windows-gebruiker", "auteur", "author", "unknown", "onbekend"}
_PUBLISHER_LINE = re.compile(r"^(?:ministerie van|inspectie|staatssecretaris|minister van|gemeente|raad voor|"
                             r"tweede kamer|eerste kamer|rijksoverheid|programma)\b", re.I)


class LibraryError(ValueError):
    """The change cannot be made as asked (bad file or field); nothing was changed. Dutch."""


def suggest(settings: Settings, path: Path) -> Suggestion:
    """The manifest fields for a new document as the document itself gives them."""
    raw = _read_upload(path)
    doc = _convert(path, raw)
    return _suggestion(path, raw, doc, {s.id for s in load_manifest(settings.sources_dir)})


def add_document(settings: Settings, path: Path, title: str | None = None, kind: str | None = None,
                 publisher: str | None = None, date: str | None = None, doc_id: str | None = None) -> LibraryChange:
    """Copy `path` into the sources and add its manifest entry. Fields not given are taken
    from the document (`suggest`). Raises LibraryError and changes nothing on bad input."""
    raw = _read_upload(path)
    doc = _convert(path, raw)
    given = {"title": title, "kind": kind, "publisher": publisher, "date": date, "id": doc_id}
    with _manifest_lock(settings):
        entries, style = _read_manifest(settings.sources_dir)
        sources = load_manifest(settings.sources_dir)
        _refuse_duplicate(settings.sources_dir, sources, raw)
        suggestion = _suggestion(path, raw, doc, {s.id for s in sources})
        fields, used = _resolve(given, suggestion)
        _check_fields(fields, sources, "toegevoegd")
        # a file put in the sources folder by hand is taken where it is
        in_place = path.resolve().parent == settings.sources_dir.resolve()
        name = path.name if in_place else _free_name(settings.sources_dir, fields["id"], path.suffix.lower())
        entry = {"id": fields["id"], "file": name, "kind": fields["kind"], "title": fields["title"],
                 "publisher": fields["publisher"], "date": fields["date"]}
        source = source_from_entry(entry)
        if not in_place:
            _write_file(settings.sources_dir / name, raw)
        try:
            _write_manifest(settings.sources_dir, [*entries, entry], style)
        except BaseException:
            if not in_place:
                (settings.sources_dir / name).unlink(missing_ok=True)
            raise
    return LibraryChange(source, used, outline(dataclasses.replace(doc, source=source)))


def replace_document(settings: Settings, doc_id: str, path: Path, **fields: str | None) -> LibraryChange:
    """A new file for document `doc_id`; its id stays, and so do the fields not given
    (title, kind, publisher, date)."""
    raw = _read_upload(path)
    doc = _convert(path, raw)
    with _manifest_lock(settings):
        entries, style = _read_manifest(settings.sources_dir)
        sources = load_manifest(settings.sources_dir)
        n = _position(sources, doc_id)
        old = dict(entries[n])
        others = [s for s in sources if s.id != doc_id]
        _refuse_duplicate(settings.sources_dir, others, raw)
        changed = {k: v for k, v in fields.items() if k in FIELDS and v is not None}
        new = {**old, **changed, "id": doc_id}
        if "date" in changed:
            new["date"] = manifest_date(changed["date"]) or changed["date"]
        _check_fields({k: new.get(k, "") for k in (*FIELDS, "id")}, others, "vervangen")
        suffix = path.suffix.lower()
        target = settings.sources_dir / old["file"]
        same_name = target.suffix.lower() == suffix and target.parent == settings.sources_dir
        new["file"] = old["file"] if same_name else _free_name(settings.sources_dir, doc_id, suffix)
        source = source_from_entry(new)
        if same_name:
            _write_file(target, raw)  # an atomic swap: the old file until the new one is whole
            if new != old:
                _write_manifest(settings.sources_dir, [*entries[:n], new, *entries[n + 1:]], style)
        else:
            _write_file(settings.sources_dir / new["file"], raw)
            try:
                _write_manifest(settings.sources_dir, [*entries[:n], new, *entries[n + 1:]], style)
            except BaseException:
                (settings.sources_dir / new["file"]).unlink(missing_ok=True)
                raise
            target.unlink(missing_ok=True)
    used = {k: ("opgegeven" if k in changed else "ongewijzigd") for k in FIELDS}
    return LibraryChange(source, used, outline(dataclasses.replace(doc, source=source)))


def remove_document(settings: Settings, doc_id: str) -> Source:
    """Remove the manifest entry of `doc_id`, then its file."""
    with _manifest_lock(settings):
        entries, style = _read_manifest(settings.sources_dir)
        sources = load_manifest(settings.sources_dir)
        n = _position(sources, doc_id)
        if len(sources) == 1:
            raise LibraryError(f"'{doc_id}' is het enige document; zonder documenten kan de assistent niets beantwoorden. "
                               "Voeg eerst een ander document toe.")
        _write_manifest(settings.sources_dir, [*entries[:n], *entries[n + 1:]], style)
        if not any(s.file == sources[n].file for s in sources if s.id != doc_id):
            (settings.sources_dir / sources[n].file).unlink(missing_ok=True)
    return sources[n]


def rebuild_index(settings: Settings, progress: Callable[[str, int, int], None] | None = None) -> IndexMeta:
    """Rebuild the index after the library changed: the one place that does so, so it can
    be moved to a background rebuild without touching its callers."""
    from .index import build, build_lock

    with build_lock(settings):
        return build(settings, progress)


def may_manage_documents(settings: Settings, user: str | None, host: str) -> bool:
    """Whether `user` may add, replace and remove documents. Under ASSISTANT_AUTH only the
    names in ASSISTANT_ADMINS; without a password only when the page listens on the
    loopback (`host` is the address the page listens on), so the only user is local."""
    if settings.auth and settings.auth != "off":
        return user is not None and user in settings.admins
    return host in LOOPBACK_HOSTS


def _read_upload(path: Path) -> bytes:
    if path.suffix.lower() not in SUFFIXES:
        raise LibraryError(f"Het bestandstype '{path.suffix or '(geen)'}' van '{path.name}' wordt niet ondersteund; "
                           "gebruik .pdf, .docx, .html, .txt of .md.")
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise LibraryError(f"Het bestand '{path}' bestaat niet.") from None
    except OSError as exc:
        raise LibraryError(f"Het bestand '{path}' kan niet worden gelezen ({exc.strerror}).") from exc


def _convert(path: Path, raw: bytes) -> Document:
    """The document as the index will read it; a conversion error is bad input here."""
    provisional = Source(id="nieuw", file=path.name, kind="rapport", title=path.stem, publisher="", date="")
    try:
        return make_document(provisional, path, raw)
    except SourceError as exc:
        raise LibraryError(str(exc)) from exc


def _suggestion(path: Path, raw: bytes, doc: Document, taken: set[str]) -> Suggestion:
    meta = _file_metadata(path, raw)
    front = _title_page(doc)
    found: dict[str, str] = {}
    title = meta.get("title")
    if title:
        found["title"] = "uit de metadata van het bestand"
    elif heading := _first_heading(doc):
        title, found["title"] = heading, "de eerste kop"
    else:
        title, found["title"] = _pretty_stem(path), "de bestandsnaam"
    date = _dateline(front) or first_date(front)
    if date:
        found["date"] = "datum op de titelpagina"
    elif meta.get("date"):
        date, found["date"] = meta["date"], "aanmaakdatum in de metadata (niet altijd de publicatiedatum)"
    publisher = meta.get("author")
    if publisher:
        found["publisher"] = "auteur in de metadata van het bestand"
    elif line := next((ln for ln in _lines(front) if _PUBLISHER_LINE.match(ln) and len(ln) <= 120), None):
        publisher, found["publisher"] = line, "de titelpagina"
    kind = _guess_kind(f"{title}\n{publisher or ''}\n{front}")
    found["kind"] = "geraden uit de tekst" if kind != "rapport" else "standaard"
    found["id"] = "de bestandsnaam"
    return Suggestion(_free_id(_slug(path.stem) or _slug(title) or "document", taken), title, kind, publisher or "",
                      date or "", found)


def _file_metadata(path: Path, raw: bytes) -> dict[str, str]:
    """Title, author and creation date as the file's own properties give them (PDF info,
    DOCX core properties), without the placeholders tools leave there."""
    title = author = created = None
    try:
        if path.suffix.lower() == ".pdf":
            from pypdf import PdfReader

            info = PdfReader(io.BytesIO(raw)).metadata
            if info:
                title, author, created = info.title, info.author, info.creation_date
        elif path.suffix.lower() == ".docx":
            import docx

            props = docx.Document(io.BytesIO(raw)).core_properties
            title, author, created = props.title, props.author, props.created
    except Exception:  # damaged metadata is no reason to refuse a readable document
        return {}
    out = {}
    title = " ".join((title or "").split())
    if len(title) >= 4 and not _JUNK_TITLE.search(title):
        out["title"] = title
    author = " ".join((author or "").split())
    if author and author.lower() not in _JUNK_AUTHORS:
        out["author"] = author
    if created is not None and hasattr(created, "year"):
        out["date"] = f"{created.year:04d}-{created.month:02d}-{created.day:02d}"
    return out


def _title_page(doc: Document) -> str:
    """The first page of a PDF, else the start of the text."""
    if doc.page_numbers and 2 in doc.page_numbers:
        return doc.text[: doc.pages[doc.page_numbers.index(2)]]
    return doc.text[:TITLE_PAGE_CHARS]


def _dateline(front: str) -> str | None:
    """A date on a line of its own ("Datum 25 november 2025", "Den Haag, 25 september 2025"):
    the document's date rather than a date in its text."""
    for line in _lines(front):
        found = written_dates(line)
        if found and len(line) - len(found[0].text) <= 25:
            return first_date(line)
    return None


def _first_heading(doc: Document) -> str | None:
    """The first heading that is not a numbered chapter or part of the front matter."""
    for section in document_sections(doc)[:4]:
        label = section.label
        if section.toc or label == FRONT_LABEL or label[:1].isdigit() or label.lower() in ("inhoud", "samenvatting"):
            continue
        return label
    return None


def _lines(text: str) -> list[str]:
    return [" ".join(line.lstrip("#").split()) for line in text.splitlines() if line.strip()]


def _guess_kind(text: str) -> str:
    low = text.lower()
    if "bloemlezing" in low:
        return "bloemlezing"
    if "kamerbrief" in low or ("tweede kamer" in low and "voorzitter" in low):
        return "kamerbrief"
    if "inspectie" in low:
        return "inspectierapport"
    if "geachte" in low:
        return "brief"
    return "rapport"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def _pretty_stem(path: Path) -> str:
    return " ".join(re.sub(r"[_-]+", " ", path.stem).split()).capitalize() or "Naamloos document"


def _free_id(base: str, taken: set[str]) -> str:
    n, candidate = 1, base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _free_name(directory: Path, doc_id: str, suffix: str) -> str:
    """A file name made from the id (never from the uploaded name), not yet in use."""
    n, name = 1, f"{doc_id}{suffix}"
    while (directory / name).exists():
        n += 1
        name = f"{doc_id}-{n}{suffix}"
    return name


def _resolve(given: dict[str, str | None], suggestion: Suggestion) -> tuple[dict[str, str], dict[str, str]]:
    """Given fields win; the rest come from the suggestion. Also says where each came from."""
    fields, used = {}, {}
    for key in (*FIELDS, "id"):
        value = given.get(key)
        if value is not None and value.strip():
            fields[key], used[key] = value.strip(), "opgegeven"
        else:
            fields[key] = getattr(suggestion, key)
            used[key] = suggestion.found.get(key, "niet gevonden") if fields[key] else "niet gevonden"
    if fields["date"]:
        fields["date"] = manifest_date(fields["date"]) or fields["date"]
    return fields, used


def _check_fields(fields: dict[str, str], others: list[Source], action: str) -> None:
    problems = []
    if not ID_PATTERN.match(fields["id"]):
        problems.append(f"de id '{fields['id']}' mag alleen kleine letters, cijfers en streepjes bevatten "
                        "(bijvoorbeeld igj-rapport-2025), hoogstens 80 tekens")
    elif any(s.id == fields["id"] for s in others):
        problems.append(f"de id '{fields['id']}' is al in gebruik; kies een andere met --id")
    title = fields["title"]
    if not title.strip():
        problems.append("de titel ontbreekt (--title)")
    elif len(title) > MAX_TITLE_CHARS or "\n" in title:
        problems.append(f"de titel moet één regel van hoogstens {MAX_TITLE_CHARS} tekens zijn")
    if fields["kind"] not in KINDS:
        problems.append(f"de soort '{fields['kind']}' is onbekend; kies uit {', '.join(KINDS)}")
    if len(fields["publisher"]) > MAX_PUBLISHER_CHARS or "\n" in fields["publisher"]:
        problems.append(f"de uitgever moet één regel van hoogstens {MAX_PUBLISHER_CHARS} tekens zijn")
    if not fields["date"]:
        problems.append("er staat geen datum in het document; geef die op (--date), bijvoorbeeld 2025-09-25, "
                        "2025-11 of '25 september 2025'")
    elif not manifest_date(fields["date"]):
        problems.append(f"de datum '{fields['date']}' is geen datum; gebruik bijvoorbeeld 2025-09-25, 2025-11, 2025 "
                        "of '25 september 2025'")
    if problems:
        raise LibraryError(f"Het document is niet {action}: " + "; ".join(problems) + ".")


def _position(sources: list[Source], doc_id: str) -> int:
    for n, source in enumerate(sources):
        if source.id == doc_id:
            return n
    known = ", ".join(s.id for s in sources)
    raise LibraryError(f"Er is geen document met id '{doc_id}'. Bekend zijn: {known}.")


def _refuse_duplicate(directory: Path, sources: list[Source], raw: bytes) -> None:
    digest = hashlib.sha256(raw).hexdigest()
    for source in sources:
        path = directory / source.file
        if path.exists() and hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            raise LibraryError(f"Dit bestand staat al in de bibliotheek als '{source.id}' ({source.title}).")


@contextlib.contextmanager
def _manifest_lock(settings: Settings):
    """One change to the library at a time (the page and the command line alike)."""
    import fcntl

    with open(settings.sources_dir / ".manifest.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclasses.dataclass(frozen=True)
class _Style:
    """How the manifest is written, so a change touches only the entry it changes."""

    indent: int | None
    ascii: bool
    newline: bool


def _read_manifest(directory: Path) -> tuple[list[dict], _Style]:
    load_manifest(directory)  # the usual Dutch messages for a missing or broken manifest
    text = (directory / MANIFEST).read_text(encoding="utf-8")
    indent = re.search(r"\n( +)\S", text)
    return json.loads(text)["documents"], _Style(len(indent.group(1)) if indent else None, "\\u" in text, text.endswith("\n"))


def _write_manifest(directory: Path, entries: list[dict], style: _Style) -> None:
    data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    data["documents"] = entries
    text = json.dumps(data, indent=style.indent, ensure_ascii=style.ascii) + ("\n" if style.newline else "")
    _write_file(directory / MANIFEST, text.encode("utf-8"))


def _write_file(path: Path, content: bytes) -> None:
    """Write aside, then swap in whole: a reader sees the old file or the new, never half."""
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(temp, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def library_outlines(settings: Settings) -> list[Outline]:
    """How every document in the library is read (`assistant sources`)."""
    return [outline(doc) for doc in load_documents(settings.sources_dir)]

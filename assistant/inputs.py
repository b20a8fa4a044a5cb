"""What users hand in, checked before it goes anywhere: question text, history, document
filters and `--jsonl` lines. Every problem becomes an `InputError` with a Dutch message, so
the CLI and the page refuse bad input the same way and never with a traceback.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

_SURROGATE = re.compile("[\ud800-\udfff]")
MAX_HISTORY = 50  # earlier questions a follow-up may lean on

_JSON_TYPES = {type(None): "null", bool: "waar/onwaar", int: "een getal", float: "een getal", str: "tekst",
               list: "een lijst", dict: "een object"}


class InputError(ValueError):
    """Input that cannot be used as given; the message is Dutch and says what to change."""


def json_type(value) -> str:
    """The JSON type of a value, in Dutch: 'een getal', 'een lijst', 'null'."""
    return _JSON_TYPES.get(type(value), type(value).__name__)


def describe_json_error(exc: json.JSONDecodeError) -> str:
    """Where a JSON text breaks, in Dutch (json's own message is English)."""
    if not exc.doc.strip():
        return "de tekst is leeg"
    return f"fout op regel {exc.lineno}, kolom {exc.colno}"


def printable(text: str) -> str:
    """`text` with what cannot be written as UTF-8 (lone surrogates, undecodable bytes
    from the command line) replaced by U+FFFD, one for one, to echo it back safely."""
    return _SURROGATE.sub("\ufffd", text)


def check_text(value, what: str) -> str:
    """`value` as a string that can be written as UTF-8; `what` names it ("de vraag")."""
    if not isinstance(value, str):
        raise InputError(f"{what[:1].upper() + what[1:]} moet tekst zijn, maar is {json_type(value)}.")
    bad = _SURROGATE.search(value)
    if bad:
        raise InputError(
            f"{what[:1].upper() + what[1:]} bevat tekens die geen geldige UTF-8-tekst zijn (vanaf teken {bad.start() + 1}). "
            "Typ of plak de tekst opnieuw, in UTF-8."
        )
    return value


def check_history(value, max_chars: int) -> list[str]:
    """Earlier questions of a conversation: a list of at most MAX_HISTORY texts."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError(f"Het veld 'history' moet een lijst met eerdere vragen zijn, maar is {json_type(value)}.")
    if len(value) > MAX_HISTORY:
        raise InputError(f"Het veld 'history' bevat {len(value)} vragen; maximaal {MAX_HISTORY}.")
    history = [check_text(item, f"eerdere vraag {n} in 'history'") for n, item in enumerate(value, 1)]
    for n, item in enumerate(history, 1):
        if len(item) > max_chars:
            raise InputError(f"Eerdere vraag {n} in 'history' is te lang ({len(item)} tekens; maximaal {max_chars}).")
    return history


def check_source_ids(requested: Iterable[str] | None, known: Iterable[str]) -> list[str] | None:
    """The document filter (`--source`, the page's choice) when every id is known; None for
    no filter. An unknown id is an error: answering from all documents instead would mislead."""
    if not requested:
        return None
    known = list(known)
    requested = [check_text(s, "de document-id") for s in requested]
    unknown = [s for s in dict.fromkeys(requested) if s not in known]
    if unknown:
        names = ", ".join(f"'{printable(s)}'" for s in unknown)
        raise InputError(
            f"Onbekend document: {names}. Bekende documenten: {', '.join(known) or 'geen'}."
            if len(unknown) == 1 else f"Onbekende documenten: {names}. Bekende documenten: {', '.join(known) or 'geen'}."
        )
    return requested


@dataclass
class QuestionLine:
    """One `--jsonl` line: what could be read of it, and why it cannot be asked (if so)."""

    id: str | None = None
    question: str | None = None
    history: list[str] | None = None
    problem: str | None = None  # Dutch, as a phrase after "Regel N overgeslagen: "; None when it can be asked


def read_question_line(raw: bytes, max_chars: int) -> QuestionLine:
    """Decode and check one line of `ask --jsonl` input: a JSON object with a text field
    'question', optionally 'id' (text) and 'history' (a list of earlier questions)."""
    line = QuestionLine()
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        line.problem = f"geen geldige UTF-8-tekst (ongeldige byte 0x{raw[exc.start]:02x} op positie {exc.start + 1})"
        return line
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        where = "de regel is leeg" if not text.strip() else f"fout bij teken {exc.pos + 1}"
        line.problem = f"geen geldige JSON (verwacht een object met een tekstveld 'question'; {where})"
        return line
    except RecursionError:
        line.problem = "de JSON is te diep genest; verwacht een object met een tekstveld 'question'"
        return line
    except ValueError:  # an integer with more digits than Python converts
        line.problem = "de JSON bevat een getal met te veel cijfers; verwacht een object met een tekstveld 'question'"
        return line
    if not isinstance(item, dict):
        line.problem = f"verwacht een object met een tekstveld 'question', maar de regel is {json_type(item)}"
        return line
    raw_id, raw_question = item.get("id"), item.get("question")
    line.id = printable(raw_id) if isinstance(raw_id, str) else None
    line.question = printable(raw_question) if isinstance(raw_question, str) else None
    try:
        if raw_id is not None:
            check_text(raw_id, "het veld 'id'")
        if raw_question is None:
            raise InputError("het tekstveld 'question' ontbreekt")
        check_text(raw_question, "de vraag")
        line.history = check_history(item.get("history"), max_chars)
    except InputError as exc:
        line.problem = as_phrase(str(exc))
    return line


def as_phrase(message: str) -> str:
    """A Dutch message as it reads after a colon: 'De vraag is leeg.' -> 'de vraag is leeg.'"""
    return message[:1].lower() + message[1:] if message[1:2].islower() else message

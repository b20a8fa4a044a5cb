"""Saved conversations: SQLite under the data folder (`ASSISTANT_DATA`), one owner each
(a user name under ASSISTANT_AUTH, a browser id without it).

Every query names the owner, so nobody reads another's conversations. A turn is stored
with the whole answer (`Answer.to_json()`, citations included), so a conversation reopens
with its answers and sources. A deleted conversation is gone, its text overwritten
(secure_delete), and an answer that arrives after the delete is not stored: `append` only
adds to a conversation that still exists, checked in the same transaction.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .dutch import format_date
from .export import answer_body, markdown_text
from .types import Answer, Citation, Claim, Conflict, ConflictValue, Figure

DATABASE = "conversations.sqlite3"
MAX_OWNER_CHARS = 200
MAX_TITLE_CHARS = 200
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_owner ON conversations (owner, updated);
CREATE TABLE IF NOT EXISTS turns (
    conversation TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    created REAL NOT NULL,
    PRIMARY KEY (conversation, n)
);
"""


class ConversationError(ValueError):
    """A request the store refuses (no owner, a title too long); the message is Dutch."""


@dataclass
class Turn:
    question: str
    answer: dict  # Answer.to_json()
    created: float


@dataclass
class ConversationSummary:
    id: str
    title: str
    created: float
    updated: float
    turns: int


@dataclass
class Conversation:
    id: str
    title: str
    created: float
    updated: float
    turns: list[Turn] = field(default_factory=list)


class ConversationStore:
    """Safe to share between threads: every call opens its own connection, and writes take
    SQLite's write lock before they read what they depend on."""

    def __init__(self, path: Path) -> None:
        """`path`: the database file, or the data folder to keep it in."""
        path = Path(path)
        self.path = path / DATABASE if path.is_dir() or not path.suffix else path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    @contextlib.contextmanager
    def _connect(self, write: bool = False):
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA secure_delete=ON")
            if write:
                db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                if write:
                    db.execute("ROLLBACK")
                raise
            if write:
                db.execute("COMMIT")
        finally:
            db.close()

    def create(self, owner: str, title: str) -> str:
        owner, title = _owner(owner), " ".join(title.split())[:MAX_TITLE_CHARS] or "Gesprek"
        conv_id, now = uuid.uuid4().hex, time.time()
        with self._connect(write=True) as db:
            db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?, ?)", (conv_id, owner, title, now, now))
        return conv_id

    def append(self, owner: str, conv_id: str, question: str, answer_json: dict) -> bool:
        """Add a question and its answer; False (nothing stored) when the conversation was
        deleted meanwhile or is not this owner's."""
        owner, now = _owner(owner), time.time()
        with self._connect(write=True) as db:
            if not db.execute("SELECT 1 FROM conversations WHERE id = ? AND owner = ?", (conv_id, owner)).fetchone():
                return False
            (n,) = db.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conv_id,)).fetchone()
            db.execute("INSERT INTO turns VALUES (?, ?, ?, ?, ?)",
                       (conv_id, n + 1, question, json.dumps(answer_json, ensure_ascii=False), now))
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conv_id))
        return True

    def list(self, owner: str) -> list[ConversationSummary]:
        """This owner's conversations, the most recent first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT c.id, c.title, c.created, c.updated, COUNT(t.n) FROM conversations c "
                "LEFT JOIN turns t ON t.conversation = c.id WHERE c.owner = ? GROUP BY c.id ORDER BY c.updated DESC",
                (_owner(owner),)).fetchall()
        return [ConversationSummary(*row) for row in rows]

    def get(self, owner: str, conv_id: str) -> Conversation | None:
        with self._connect() as db:
            row = db.execute("SELECT id, title, created, updated FROM conversations WHERE id = ? AND owner = ?",
                             (conv_id, _owner(owner))).fetchone()
            if row is None:
                return None
            turns = db.execute("SELECT question, answer, created FROM turns WHERE conversation = ? ORDER BY n",
                               (conv_id,)).fetchall()
        return Conversation(*row, turns=[Turn(q, json.loads(a), t) for q, a, t in turns])

    def delete(self, owner: str, conv_id: str) -> bool:
        with self._connect(write=True) as db:
            gone = db.execute("DELETE FROM conversations WHERE id = ? AND owner = ?", (conv_id, _owner(owner))).rowcount
        if gone:
            with self._connect() as db:  # the old pages out of the write-ahead log as well
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return gone > 0

    def export_markdown(self, owner: str, conv_id: str) -> str | None:
        conversation = self.get(owner, conv_id)
        return None if conversation is None else conversation_markdown(conversation.title, conversation.turns)


def _owner(owner: str) -> str:
    if not isinstance(owner, str) or not owner.strip() or len(owner) > MAX_OWNER_CHARS:
        raise ConversationError("Gesprekken bewaren kan alleen voor een bekende gebruiker of browser.")
    return owner


def answer_record(answer: Answer) -> dict:
    """What a turn stores: `Answer.to_json()` extended with where each quote stands in its
    source and the question as searched, so a reopened answer marks its quotes as before."""
    data = answer.to_json()
    for stored, citation in zip(data["citations"], answer.citations):
        stored["start"], stored["end"] = citation.start, citation.end
    data["standalone_question"] = answer.standalone_question
    return data


def stored_answer(data: dict) -> Answer:
    """An Answer again from what a turn stored (`answer_record`, or a bare `to_json()`)."""
    citations = [Citation(c["n"], c["source_id"], c.get("title", ""), c.get("kind", ""), str(c.get("date", "")),
                          c.get("section", ""), c.get("page"), c.get("quote", ""), c.get("start", 0), c.get("end", 0))
                 for c in data.get("citations", [])]
    return Answer(
        question=data.get("question", ""), answer=data.get("answer", ""), mode=data.get("mode") or "extractive",
        citations=citations, figures=[Figure(f["value"], f["verified"], f["citations"]) for f in data.get("figures", [])],
        refused=bool(data.get("refused")), model=data.get("model"), warning=data.get("warning"), id=data.get("id"),
        timing_ms=data.get("timing_ms") or {}, usage=data.get("usage"),
        claims=[Claim(c["text"], c["citations"], c["supported"], c.get("why"), c.get("kind", "claim"))
                for c in data.get("claims", [])],
        conflicts=[Conflict(c["measure"], [ConflictValue(v["value"], v.get("date"), v["citations"]) for v in c["values"]],
                            c.get("note")) for c in data.get("conflicts", [])],
        standalone_question=data.get("standalone_question"))


def conversation_markdown(title: str, turns: list[Turn]) -> str:
    """A conversation as Markdown: each question, the answer (unverified figures and unsupported
    claims marked, as in the download of one answer) and its numbered sources with their quotes.
    Escaped like that download (`export.markdown_text`), so no link or HTML forms in a viewer."""
    out = [f"# {markdown_text(title)}", ""]
    for turn in turns:
        answer = stored_answer(turn.answer)
        out += [f"## Vraag: {markdown_text(turn.question)}", "", answer_body(answer), ""]
        if answer.warning:
            out += [f"> Let op: {markdown_text(answer.warning)}", ""]
        if answer.citations:
            out += ["Bronnen:", ""]
            for c in answer.citations:
                where = c.section + (f", p. {c.page}" if c.page else "")
                out.append(f"{c.n}. {markdown_text(c.title)} ({format_date(c.date)}) — {markdown_text(where)}")
                out.append(f"   > {markdown_text(c.quote)}")
            out.append("")
    return "\n".join(out).rstrip() + "\n"

"""Saved conversations in a real SQLite file: reopened with answers and sources after a
restart, kept per owner, exported as Markdown, and never stored again once deleted, also
when an answer arrives while the delete happens. Several threads at once, as the page has."""
import re
import sqlite3
import threading

import pytest

from assistant.conversations import ConversationError, ConversationStore
from assistant.types import Answer, Citation, Figure


def answer(question: str, n: int = 1) -> dict:
    citation = Citation(n=1, source_id="kamerbrief-jeugdbescherming-2025", title="Kamerbrief jeugdbescherming",
                        kind="kamerbrief", date="2025-11", section="Wachtlijsten", page=3,
                        quote=f"Op 1 oktober 2025 stonden {n} kinderen op de wachtlijst.")
    return Answer(question, f"Er wachtten {n} kinderen [1].", "extractive", [citation],
                  [Figure(str(n), True, [1])], id=f"a{n}").to_json()


@pytest.fixture
def store(tmp_path) -> ConversationStore:
    return ConversationStore(tmp_path / "data")


def test_reopened_after_restart_with_answers_and_sources(store, tmp_path):
    conv = store.create("anna", "Wachtlijsten")
    assert store.append("anna", conv, "Hoeveel kinderen wachten?", answer("Hoeveel kinderen wachten?", 1499))
    assert store.append("anna", conv, "En in april?", answer("En in april?", 1200))
    reopened = ConversationStore(tmp_path / "data").get("anna", conv)  # a new process, the same folder
    assert reopened.title == "Wachtlijsten" and [t.question for t in reopened.turns] == ["Hoeveel kinderen wachten?", "En in april?"]
    first = reopened.turns[0].answer
    assert first == answer("Hoeveel kinderen wachten?", 1499)
    assert first["citations"][0]["quote"] == "Op 1 oktober 2025 stonden 1499 kinderen op de wachtlijst."
    assert (tmp_path / "data" / "conversations.sqlite3").exists()


def test_listed_most_recent_first(store):
    older = store.create("anna", "Eerste")
    newer = store.create("anna", "Tweede")
    store.append("anna", older, "Vraag", answer("Vraag"))
    listed = store.list("anna")
    assert [c.id for c in listed] == [older, newer] and [c.turns for c in listed] == [1, 0]


def test_owners_never_see_each_other(store):
    conv = store.create("anna", "Van Anna")
    store.append("anna", conv, "Geheime vraag", answer("Geheime vraag"))
    assert store.get("bert", conv) is None and store.list("bert") == []
    assert store.export_markdown("bert", conv) is None
    assert store.append("bert", conv, "Ingebroken", answer("Ingebroken")) is False
    assert store.delete("bert", conv) is False
    assert [t.question for t in store.get("anna", conv).turns] == ["Geheime vraag"]


def test_deleted_is_gone_and_an_answer_after_it_is_not_stored(store):
    conv = store.create("anna", "Weg ermee")
    store.append("anna", conv, "Eerste vraag over pleegzorg", answer("Eerste vraag over pleegzorg"))
    assert store.delete("anna", conv) is True
    assert store.append("anna", conv, "Late vraag", answer("Late vraag")) is False  # the answer came in after the delete
    assert store.get("anna", conv) is None and store.list("anna") == [] and store.delete("anna", conv) is False
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM turns").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM conversations").fetchone() == (0,)
    files = [store.path, store.path.with_name(store.path.name + "-wal")]
    assert not any(b"pleegzorg" in f.read_bytes() for f in files if f.exists())  # overwritten, not only unlinked


def test_delete_racing_with_appends_never_resurrects(store):
    refused = []
    for _ in range(5):
        conv = store.create("anna", "Race")
        start = threading.Barrier(9)
        results = []

        def append(k):
            start.wait()
            for n in range(10):
                results.append(store.append("anna", conv, f"Vraag {k}.{n}", answer("Vraag", n)))

        def delete():
            start.wait()
            store.delete("anna", conv)

        threads = [threading.Thread(target=append, args=(k,)) for k in range(8)] + [threading.Thread(target=delete)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert store.get("anna", conv) is None and store.list("anna") == []
        with sqlite3.connect(store.path) as db:
            assert db.execute("SELECT COUNT(*) FROM turns WHERE conversation = ?", (conv,)).fetchone() == (0,)
        refused.append(results.count(False))
    assert sum(refused) > 0  # answers did arrive after the delete, and none was stored


def test_four_visitors_at_once(store):
    owners = ["anna", "bert", "cora", "dirk"]
    ids = {owner: store.create(owner, f"Gesprek van {owner}") for owner in owners}

    def chat(owner):
        for n in range(25):
            assert store.append(owner, ids[owner], f"{owner} vraag {n}", answer(f"{owner} vraag {n}", n))

    threads = [threading.Thread(target=chat, args=(o,)) for o in owners]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for owner in owners:
        turns = store.get(owner, ids[owner]).turns
        assert [t.question for t in turns] == [f"{owner} vraag {n}" for n in range(25)]


def test_markdown_export(store):
    conv = store.create("anna", "Wachtlijsten")
    store.append("anna", conv, "Hoeveel kinderen wachten?", answer("Hoeveel kinderen wachten?", 1499))
    text = store.export_markdown("anna", conv)
    assert text.startswith("# Wachtlijsten\n")
    assert "## Vraag: Hoeveel kinderen wachten?" in text and "Er wachtten 1499 kinderen \\[1\\]." in text
    assert "1. Kamerbrief jeugdbescherming (november 2025) — Wachtlijsten, p. 3" in text
    assert "> Op 1 oktober 2025 stonden 1499 kinderen op de wachtlijst." in text


@pytest.mark.parametrize("owner", ["", "   ", "x" * 500])
def test_an_owner_is_required(store, owner):
    with pytest.raises(ConversationError, match="bekende gebruiker"):
        store.create(owner, "Titel")


def test_markdown_export_makes_no_links(store):
    conv = store.create("anna", "[klik](http://example.com)")
    data = answer("<img src=x> [klik](http://example.com/x)")
    data["answer"] = "Zie [hier](http://example.com/y) <b>nu</b> [1]."
    store.append("anna", conv, "<script>x</script>", data)
    text = store.export_markdown("anna", conv)
    assert not re.search(r"(?<!\\)\]\(", text) and "<script>" not in text and "<b>" not in text


def test_a_stored_answer_comes_back_whole():
    from assistant.conversations import answer_record, stored_answer
    from assistant.types import Claim, Conflict, ConflictValue

    original = Answer("Hoeveel?", "Er wachtten 1499 kinderen [1].", "extractive",
                      [Citation(1, "kamerbrief", "Kamerbrief", "kamerbrief", "2025-11", "Wachtlijsten", 3, "1499 kinderen",
                                start=120, end=133)],
                      [Figure("1499", True, [1])], claims=[Claim("Er wachtten 1499 kinderen.", [1], True)],
                      conflicts=[Conflict("wachtlijst", [ConflictValue("1499", "1 oktober 2025", [1])])],
                      standalone_question="Hoeveel kinderen wachtten?")
    again = stored_answer(answer_record(original))
    assert again.to_json() == original.to_json()
    assert (again.citations[0].start, again.citations[0].end) == (120, 133)
    assert again.standalone_question == "Hoeveel kinderen wachtten?"

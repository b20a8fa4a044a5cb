"""The handlers behind the Documenten and Eerdere gesprekken tabs, called as Gradio calls them
(a request with a user name, a client address and cookies), on a real index and a real SQLite
file: who may change the documents, that a refused or failed change changes nothing, that an
added document answers when its build is done, and whose conversation a turn is saved to."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from assistant.answer import Assistant
from assistant.web.conversations import DELETED, Keeper, owner
from assistant.web.documents import REFUSED, _Library, progress_html, status_line
from assistant.web.middleware import BROWSER_COOKIE, browser_id

BROWSER = "0123456789abcdef0123456789abcdef"


def request(user: str | None = None, client: str = "127.0.0.1", browser: str | None = BROWSER):
    cookie = f"andere=1; {BROWSER_COOKIE}={browser}" if browser else ""
    return SimpleNamespace(username=user, client=SimpleNamespace(host=client), headers={"cookie": cookie})


@pytest.mark.parametrize("auth, admins, listen, who, allowed", [
    ("", (), "127.0.0.1", request(), True),  # the local user on the loopback
    ("", (), "127.0.0.1", request(client="10.0.0.7"), False),  # a proxy passing others on
    ("off", (), "0.0.0.0", request(client="10.0.0.7"), False),  # open to the network without a password
    ("ambtenaar:geheim", ("beheerder",), "0.0.0.0", request("ambtenaar", "10.0.0.7"), False),
    ("beheerder:geheim", ("beheerder",), "0.0.0.0", request("beheerder", "10.0.0.7"), True),
    ("beheerder:geheim", ("beheerder",), "0.0.0.0", request(None, "127.0.0.1"), False),
])
def test_who_may_change_the_documents(tiny_settings, auth, admins, listen, who, allowed):
    library = _Library.__new__(_Library)
    library.settings, library.host = tiny_settings.with_(auth=auth, admins=admins), listen
    assert library.may(who) is allowed


@pytest.fixture
def library(tiny_settings):
    assistant = Assistant(tiny_settings)
    return _Library(assistant, "127.0.0.1"), assistant


def _last(results) -> tuple:
    out = list(results)
    return out, out[-1]


def test_a_refused_caller_changes_nothing(library, tiny_settings, tmp_path):
    lib, assistant = library
    manifest = (tiny_settings.sources_dir / "manifest.json").read_text()
    new = tmp_path / "nieuw.md"
    new.write_text("# Nieuw\n\n## 1. Deel\n\nIn 2024 waren er 55 gezinshuizen in Drenthe.\n", encoding="utf-8")
    outsider = request(client="192.168.1.20")
    for results in (lib.add(str(new), "Nieuw", "rapport", "X", "2024", outsider), lib.remove("brief-pleegzorg", outsider),
                    lib.replace("brief-pleegzorg", str(new), outsider)):
        _, last = _last(results)
        assert REFUSED in last[1]
    assert REFUSED in lib.suggest(str(new), outsider)[-1]
    assert (tiny_settings.sources_dir / "manifest.json").read_text() == manifest
    assert set(assistant.index.documents) == {"notitie-wachtlijsten", "brief-pleegzorg"}


def test_added_replaced_and_removed_and_a_bad_file_says_why(library, tiny_settings, tmp_path):
    lib, assistant = library
    new = tmp_path / "gezinshuizen-drenthe.md"
    new.write_text("# Gezinshuizen in Drenthe\n\nAssen, 3 februari 2026\n\n## 1. Aantallen\n\n"
                   "Op 1 januari 2026 woonden 55 kinderen in een gezinshuis in Drenthe.\n", encoding="utf-8")
    form = lib.suggest(str(new), request())
    assert form[1] == "Gezinshuizen in Drenthe" and form[4] == "2026-02-03"
    steps, last = _last(lib.add(str(new), form[1], "rapport", "Provincie Drenthe", form[4], request()))
    assert "<progress" in steps[0][0] and "wordt gelezen en ingebed" in steps[0][1]
    assert "is toegevoegd" in last[1] and "beantwoordt nu vragen" in last[1]
    assert "gezinshuizen-drenthe" in assistant.index.documents and "gezinshuizen-drenthe" in last[4]
    answer = assistant.ask("Hoeveel kinderen woonden op 1 januari 2026 in een gezinshuis in Drenthe?")
    assert answer.citations and answer.citations[0].source_id == "gezinshuizen-drenthe"
    line, listing, timer = lib.tick()
    assert "3 documenten" in line and "gezinshuizen-drenthe" in listing and timer.active is False

    _, again = _last(lib.add(str(new), "Nog eens", "rapport", "", "2026", request()))
    assert "staat al in de bibliotheek" in again[1]
    broken = tmp_path / "leeg.pdf"
    broken.write_bytes(b"%PDF-1.4 niets")
    assert lib.suggest(str(broken), request())[-1]  # a Dutch message, no form
    assert json.loads((tiny_settings.sources_dir / "manifest.json").read_text())["documents"][-1]["id"] == "gezinshuizen-drenthe"

    newer = tmp_path / "versie-2.md"
    newer.write_text(new.read_text(encoding="utf-8").replace("55 kinderen", "61 kinderen"), encoding="utf-8")
    _, replaced = _last(lib.replace("gezinshuizen-drenthe", str(newer), request()))
    assert "is vervangen" in replaced[1]
    answer = assistant.ask("Hoeveel kinderen woonden op 1 januari 2026 in een gezinshuis in Drenthe?")
    assert "61" in answer.answer and "55" not in answer.answer

    lib.settings = lib.settings.with_(max_file_mb=0.0001)  # 100 bytes
    _, big = _last(lib.add(str(newer), "Te groot", "rapport", "", "2026", request()))
    assert "de grens is 0.0001 MB (ASSISTANT_MAX_FILE_MB)" in big[1]

    _, gone = _last(lib.remove("gezinshuizen-drenthe", request()))
    assert "is verwijderd" in gone[1] and "gezinshuizen-drenthe" not in assistant.index.documents


def test_progress_bar_and_status_line_say_where_the_index_is():
    from assistant.live_index import BuildProgress, IndexStatus

    status = IndexStatus("2026-01-01T10:00:00", 2, 9, building="bron gewijzigd",
                         progress=BuildProgress("embed", "Embeddings berekenen", 3, 12, 4.2))
    shown = progress_html(status, "‘X’ wordt gelezen")
    assert "embeddings berekenen, 3 van 12, nog ongeveer 4 s" in shown and "max='12' value='3'" in shown
    assert "aria-labelledby='voortgang-tekst'" in shown
    line = status_line(IndexStatus("2026-01-01T10:00:00", 2, 9, building="bron gewijzigd",
                                   skipped={"groot": "‘groot’ is te groot <en overgeslagen>."}))
    assert "2 documenten, 9 passages, index gebouwd 1 januari 2026 om 10:00." in line
    assert "Bezig met bijwerken (bron gewijzigd)" in line and "&lt;en overgeslagen&gt;" in line


def test_a_turn_is_saved_for_its_owner_and_never_after_a_delete(tmp_path, tiny_settings):
    from assistant.types import Answer

    keeper = Keeper(SimpleNamespace(settings=tiny_settings.with_(data_dir=tmp_path / "data")))
    answer = Answer("Vraag?", "Antwoord.", "extractive", [], [])
    assert owner(request("anna")) == "gebruiker:anna" and owner(request()) == f"browser:{BROWSER}"
    assert owner(request(browser="niet-van-ons")) is None and browser_id("x=1") is None
    assert keeper.save("", "Vraag?", answer, request(browser=None)) == ""  # no owner: nothing stored
    conv = keeper.save("", "Vraag?", answer, request())
    assert conv and keeper.save(conv, "Nog een?", answer, request()) == conv
    assert [t.question for t in keeper.store.get(f"browser:{BROWSER}", conv).turns] == ["Vraag?", "Nog een?"]
    assert keeper.store.list("gebruiker:anna") == []
    keeper.store.delete(f"browser:{BROWSER}", conv)
    assert keeper.save(conv, "Daarna?", answer, request()) == DELETED
    assert keeper.save(DELETED, "En nu?", answer, request()) == DELETED
    assert keeper.store.list(f"browser:{BROWSER}") == []

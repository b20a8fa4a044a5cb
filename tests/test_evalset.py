"""The evaluation set is checked against the sources: a set that drifts fails the build."""
from collections import Counter

import pytest

from assistant.config import ROOT
from assistant.evalset import KINDS, check_item, load_items
from assistant.sources import load_documents

SET = ROOT / "evals" / "set.jsonl"


@pytest.fixture(scope="module")
def items():
    return load_items(SET)


def test_every_item_is_sound(items):
    docs = {d.source.id: d for d in load_documents(ROOT / "sources")}
    problems = {item.id: check_item(item, docs) for item in items}
    assert {k: v for k, v in problems.items() if v} == {}


def test_size_kinds_and_coverage(items):
    assert len(items) >= 150
    assert len({i.id for i in items}) == len(items), "ids must be unique"
    kinds = Counter(i.kind for i in items)
    assert set(kinds) <= set(KINDS) and set(KINDS) <= set(kinds)
    assert kinds["figure"] >= 50
    sources = Counter(e.source_id for i in items for e in i.expect)
    assert set(sources) == {d.source.id for d in load_documents(ROOT / "sources")}
    assert sources["bloemlezing-problemen-oorzaken-2026"] >= 50 and sources["kamerbrief-jeugdbescherming-2025"] >= 30
    assert all(i.history for i in items if i.kind == "followup")


def test_a_drifted_item_is_caught():
    from assistant.evalset import Expectation, Item

    docs = {d.source.id: d for d in load_documents(ROOT / "sources")}
    wrong_figure = Item("x", "figure", "?", expect=[Expectation("kamerbrief-jeugdbescherming-2025", ["Wachtlijsten"],
                        "toegenomen van 1.358 kinderen op 1 april 2025 naar 1.499 kinderen")], must_contain=[["1.599"]])
    wrong_section = Item("y", "figure", "?", expect=[Expectation("kamerbrief-jeugdbescherming-2025", ["Cliënten"],
                         "toegenomen van 1.358 kinderen op 1 april 2025 naar 1.499 kinderen")], must_contain=[["1.499"]])
    not_verbatim = Item("z", "fact", "?", expect=[Expectation("kamerbrief-jeugdbescherming-2025", ["Wachtlijsten"],
                        "toegenomen van 1358 kinderen")])
    assert check_item(wrong_figure, docs) and check_item(wrong_section, docs) and check_item(not_verbatim, docs)

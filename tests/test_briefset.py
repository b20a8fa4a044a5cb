"""The briefing topic set (evals/briefings.jsonl) is checked against the sources, as the question set
is: every quoted place must stand verbatim in its document under one of the given sections, and every
key figure and every side of a conflict must stand in its own quote. A set that drifts fails the build."""
import json

import pytest

from assistant.config import ROOT
from assistant.dutch import normalise
from assistant.evalset import locate
from assistant.sources import document_sections, load_documents

BRIEFINGS = ROOT / "evals" / "briefings.jsonl"
KEYS = {"id", "topic", "figures", "places", "conflicts", "commitments", "uncovered"}


@pytest.fixture(scope="module")
def docs():
    return {d.source.id: d for d in load_documents(ROOT / "sources")}


@pytest.fixture(scope="module")
def topics():
    return [json.loads(line) for line in BRIEFINGS.read_text(encoding="utf-8").splitlines() if line.strip()]


def quote_problems(quote: dict, docs: dict) -> list[str]:
    """What is wrong with one {source_id, sections, evidence} against the sources."""
    doc = docs.get(quote["source_id"])
    if doc is None:
        return [f"onbekende bron {quote['source_id']!r}"]
    spans = locate(doc, quote["evidence"])
    if not spans:
        return [f"niet letterlijk in {quote['source_id']}: {quote['evidence'][:60]!r}"]
    homes = {s.label for s in document_sections(doc) for a, b in spans if not s.toc and s.start <= a and b <= s.end}
    if not homes & set(quote["sections"]):
        return [f"staat in {sorted(homes) or 'geen sectie'}, niet in {quote['sections']}: {quote['evidence'][:40]!r}"]
    return []


def topic_problems(topic: dict, docs: dict) -> list[str]:
    problems = []
    for f in topic["figures"]:
        problems += quote_problems(f, docs)
        if normalise(f["value"]) not in normalise(f["evidence"]):
            problems.append(f"cijfer {f['value']!r} staat niet in zijn citaat")
    for q in topic["places"] + topic["commitments"]:
        problems += quote_problems(q, docs)
    for c in topic["conflicts"]:
        for q in c["evidence"]:
            problems += quote_problems(q, docs)
        if len(set(c["values"])) < 2 or not c["evidence"]:  # one quote may hold both: one sentence, two values for one date
            problems.append(f"conflict {c['measure']!r} heeft geen twee waarden met een citaat")
        for v in c["values"]:
            if not any(normalise(v) in normalise(q["evidence"]) for q in c["evidence"]):
                problems.append(f"conflictwaarde {v!r} staat in geen van de citaten")
    return problems


def test_every_topic_is_sound(topics, docs):
    problems = {t["id"]: topic_problems(t, docs) for t in topics}
    assert {k: v for k, v in problems.items() if v} == {}


def test_shape_of_the_set(topics):
    assert all(set(t) == KEYS for t in topics)
    assert len({t["id"] for t in topics}) == len(topics), "ids must be unique"
    covered = [t for t in topics if not t["uncovered"]]
    uncovered = [t for t in topics if t["uncovered"]]
    assert len(covered) >= 12 and len(uncovered) >= 2
    assert all(t["places"] and len(t["figures"]) <= 8 for t in covered)
    assert all(not (t["figures"] or t["places"] or t["conflicts"] or t["commitments"]) for t in uncovered)
    assert all("when" in c for t in topics for c in t["commitments"])
    assert sum(len(t["conflicts"]) for t in topics) >= 6


def test_a_drifted_topic_is_caught(docs):
    kb = "kamerbrief-jeugdbescherming-2025"
    evidence = "Hiervan wachten 523 kinderen bij de start van de maatregel op een vaste jeugdbeschermer."
    wrong_value = {"figures": [{"measure": "m", "value": "1.499", "date": None, "source_id": kb,
                                "sections": ["Wachtlijsten"], "evidence": evidence}],
                   "places": [], "conflicts": [], "commitments": []}
    wrong_section = {"figures": [], "places": [{"source_id": kb, "sections": ["Cliënten"], "evidence": evidence}],
                     "conflicts": [], "commitments": []}
    one_sided = {"figures": [], "places": [], "commitments": [],
                 "conflicts": [{"measure": "m", "values": ["523", "976"],
                                "evidence": [{"source_id": kb, "sections": ["Wachtlijsten"], "evidence": evidence}]}]}
    assert all(topic_problems(t, docs) for t in (wrong_value, wrong_section, one_sided))


def test_the_checked_conflicts_stand_in_the_sources_and_hold_every_expected_one(topics, docs):
    """evals/conflicts.jsonl: every conflict in the bundled documents, checked by hand, against which the
    conflicts a note shows are scored (`conflicts_unchecked` must be 0)."""
    from assistant.briefing_eval import load_checked

    checked = load_checked()
    assert {c["measure"] for c in checked} and len({tuple(sorted(c["values"])) for c in checked}) == len(checked)
    problems = [p for c in checked for p in topic_problems({"figures": [], "places": [], "commitments": [], "conflicts": [c]}, docs)]
    assert problems == []
    listed = {tuple(sorted(c["values"])) for c in checked}
    assert all(tuple(sorted(c["values"])) in listed for t in topics for c in t["conflicts"])

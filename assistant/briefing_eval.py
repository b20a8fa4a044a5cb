"""`assistant eval --briefings`: every topic of evals/briefings.jsonl briefed in one mode and
scored against what a good note must hold: the key figures with a citation to the right document
and section, the places it must cite, the known conflicts with both values, the announcements,
and for a topic the sources do not cover only the short note. Also what must never happen: a
figure that is not in the quote it cites, a quote that is not verbatim in its document.

Its own module, next to `evaluation` (questions), so evaluation, baseline and report stay acyclic.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from .config import ROOT
from .dutch import find_dates, normalise
from .evalset import locate
from .evaluation import THRESHOLDS, check_thresholds
from .figures import values

BRIEFINGS = ROOT / "evals" / "briefings.jsonl"
CHECKED_CONFLICTS = ROOT / "evals" / "conflicts.jsonl"  # every conflict in the bundled documents, checked by hand
CONFLICT_TOPICS = ROOT / "evals" / "conflict_topics.txt"  # topics briefed only for the conflicts they show
JUDGED_ROWS = ROOT / "evals" / "figure_rows.jsonl"  # every Kerncijfers row the notes on the topics show, judged by hand
LABELS = {
    "figures_found": "kerncijfers gevonden met bron en sectie",
    "places_cited": "plaatsen geciteerd",
    "conflicts_found": "bekende verschillen met beide waarden",
    "commitments_found": "toezeggingen gevonden",
    "commitment_timing": "toezeggingen met de juiste termijn",
    "figures_not_in_quote": "cijfers niet in hun citaat (moet 0 zijn)",
    "conflicts_unchecked": "getoonde verschillen die geen nagekeken verschil zijn (moet 0 zijn)",
    "rows_judged_wrong": "kerncijferregels die bij nalezen fout bleken (geen cijfer, wat telt of datum onjuist)",
    "rows_unjudged": "kerncijferregels zonder oordeel (nalezen, oordeel in evals/figure_rows.jsonl)",
    "verbatim_quotes": "citaten letterlijk in de bron",
    "uncovered_noted": "niet-behandelde onderwerpen met alleen de korte notitie",
    "covered_answered": "behandelde onderwerpen met een notitie",
}


@dataclass
class TopicResult:
    id: str
    topic: str
    note: dict
    hits: dict[str, list[bool]] = field(default_factory=dict)  # per check, one per expectation
    missed: list[str] = field(default_factory=list)  # Dutch: what the note lacks
    bad_figures: int = 0
    unchecked: list[str] = field(default_factory=list)  # conflicts shown that are none of the checked ones
    quotes: list[bool] = field(default_factory=list)
    ms: int = 0


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_checked(path: Path = CHECKED_CONFLICTS) -> list[dict]:
    return _jsonl(path)


def _checked(shown: dict, checked: list[dict]) -> bool:
    """A conflict shown is one checked by hand: each of its values is one of that conflict's. A
    conflict the notes did not show before (a new mechanism, a new document) is read and, if true,
    added to evals/conflicts.jsonl; a wrong one is what a reader must never see."""
    return any(all(any(_same_value(v, side["value"]) for v in c["values"]) for side in shown["values"]) for c in checked)


def _unchecked(note: dict, checked: list[dict]) -> list[str]:
    """The conflicts a note shows that are none of the checked ones, each as its values."""
    return [" / ".join(v["value"] for v in c["values"]) for c in note["conflicts"] if not _checked(c, checked)]


def load_judged(path: Path = JUDGED_ROWS) -> dict[tuple, str]:
    """The verdict on each row judged by hand: OK, or what is wrong with it (NOT_A_FIGURE,
    WRONG_MEASURE, WRONG_DATE, VALUE_CUT)."""
    return {_row_key(r, r["source_id"], r["quote"]): r["verdict"] for r in _jsonl(path)}


def _row_key(row: dict, source_id: str, quote: str) -> tuple:
    return row["value"], row["measure"], row["date"], source_id, quote


def _shown_rows(note: dict) -> set[tuple]:
    """Each row of the Kerncijfers as a reader sees it: value, what is counted, date and first quote."""
    by_n = {c["n"]: c for c in note["citations"]}
    return {_row_key(f, by_n[f["citations"][0]]["source_id"], by_n[f["citations"][0]]["quote"])
            for f in note["figures"] if f["citations"] and f["citations"][0] in by_n}


def load_topics(path: Path = BRIEFINGS) -> list[dict]:
    return _jsonl(path)


def _same_value(expected: str, written: str) -> bool:
    """The same figure: the same numbers (Dutch notation), or for one in words the same words."""
    want = values(expected)
    if want:
        return want <= values(written)
    return normalise(expected).lower() in normalise(written).lower()


def _shows(expected: str, row: dict) -> bool:
    """A row of the Kerncijfers shows an expected figure as its value, or, for a date, as its date: the
    row "vier jeugdbeschermingsregio's, tweede helft van 2021" shows when the inspections' visit was."""
    if _same_value(expected, row["value"]):
        return True
    dates = [d.text.lower() for d in find_dates(expected)]
    return bool(dates) and dates == [d.text.lower() for d in find_dates(row["date"] or "")]


def _cites(note: dict, numbers: list[int], place: dict) -> bool:
    by_n = {c["n"]: c for c in note["citations"]}
    return any(n in by_n and by_n[n]["source_id"] == place["source_id"] and by_n[n]["section"] in place["sections"]
               for n in numbers)


def _overlap(docs, citation: dict, place: dict) -> bool:
    """A citation quotes (part of) the expected evidence."""
    if citation["source_id"] != place["source_id"] or citation["section"] not in place["sections"]:
        return False
    doc = docs[place["source_id"]]
    want, got = locate(doc, place["evidence"]), locate(doc, citation["quote"])
    return any(a < d and c < b for a, b in want for c, d in got)


def _hits(result: TopicResult, expected: list[dict], describe, found) -> list[bool]:
    """Whether each expected item is in the note; what is missed, described, in `result.missed`."""
    hits = [bool(found(item)) for item in expected]
    result.missed += [describe(item) for item, hit in zip(expected, hits) if not hit]
    return hits


def score(topic: dict, note: dict, docs, checked: list[dict] = ()) -> TopicResult:
    result = TopicResult(topic["id"], topic["topic"], note)
    result.unchecked = _unchecked(note, checked)
    by_n = {c["n"]: c for c in note["citations"]}
    if topic["uncovered"]:
        empty = not any(note[k] for k in ("figures", "points", "conflicts", "commitments", "citations"))
        result.hits["uncovered_noted"] = [empty and bool(note["warning"])]
    else:
        result.hits["covered_answered"] = [bool(note["points"] or note["figures"])]
    result.hits["figures_found"] = _hits(result, topic["figures"], lambda f: f"cijfer {f['value']} ({f['measure']})", lambda f: any(
        _shows(f["value"], g) and _cites(note, g["citations"], f) for g in note["figures"]))
    result.hits["places_cited"] = _hits(result, topic["places"], lambda p: f"plaats {p['source_id']} — {' / '.join(p['sections'])}",
                                        lambda p: any(c["source_id"] == p["source_id"] and c["section"] in p["sections"]
                                                      for c in note["citations"]))
    result.hits["conflicts_found"] = _hits(result, topic["conflicts"], lambda c: f"verschil {c['measure']}: {' / '.join(c['values'])}",
                                           lambda c: any(all(any(_same_value(v, side["value"]) for side in got["values"])
                                                             for v in c["values"]) for got in note["conflicts"]))
    commitments, timings = [], []
    for c in topic["commitments"]:
        got = [m for m in note["commitments"] if any(n in by_n and _overlap(docs, by_n[n], c) for n in m["citations"])]
        commitments.append(bool(got))
        if not got:
            result.missed.append(f"toezegging {c['source_id']} — {c['sections'][0]}: {c['evidence'][:60]}…")
        elif c["when"]:
            timings.append(any(m["when"] and normalise(c["when"]).lower() in normalise(m["when"]).lower() for m in got))
    result.hits["commitments_found"], result.hits["commitment_timing"] = commitments, timings
    for g in note["figures"]:
        first = by_n.get(g["citations"][0]) if g["citations"] else None
        if first is None or normalise(g["value"]) not in normalise(first["quote"]):
            result.bad_figures += 1
    result.quotes = [bool(locate(docs[c["source_id"]], c["quote"])) for c in note["citations"] if c["source_id"] in docs]
    return result


def load_conflict_topics(path: Path = CONFLICT_TOPICS) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def audit(assistant, topics: list[str], checked: list[dict], mode: str = "extractive", progress=None) -> dict[str, list[str]]:
    """The conflicts that notes on `topics` show and that are none of the checked ones, per topic:
    broad topics, or ones with a year or a unit in them, are where figures of different measures are
    most easily taken for one, and no topic of the set needs to expect a conflict for that to show."""
    out = {}
    for topic in topics:
        out[topic] = _unchecked(assistant.brief(topic, mode=mode).to_json(), checked)
        if progress:
            progress(topic)
    return {topic: shown for topic, shown in out.items() if shown}


def evaluate(assistant, topics: list[dict], mode: str = "extractive", progress=None) -> dict:
    """The summary of `topics`, with the conflicts shown on the audit topics counted in `conflicts_unchecked`."""
    checked = load_checked()
    summary = summarise(run(assistant, topics, mode, progress, checked))
    audited = audit(assistant, load_conflict_topics(), checked, mode, progress)
    summary["conflicts_unchecked"] += sum(len(shown) for shown in audited.values())
    summary["unchecked"].update(audited)
    return summary


def run(assistant, topics: list[dict], mode: str = "extractive", progress=None, checked: list[dict] | None = None) -> list[TopicResult]:
    docs, checked = assistant.index.documents, load_checked() if checked is None else checked
    results = []
    for topic in topics:
        started = time.perf_counter()
        note = assistant.brief(topic["topic"], mode=mode)
        result = score(topic, note.to_json(), docs, checked)
        result.ms = int((time.perf_counter() - started) * 1000)
        results.append(result)
        if progress:
            progress(topic)
    return results


def _share(results: list[TopicResult], key: str) -> float | None:
    hits = [h for r in results for h in r.hits.get(key, [])]
    return round(sum(hits) / len(hits), 3) if hits else None


COUNTS = ("figures_not_in_quote", "conflicts_unchecked", "rows_judged_wrong", "rows_unjudged", "verbatim_quotes")


def summarise(results: list[TopicResult], judged: dict[tuple, str] | None = None) -> dict:
    quotes = [q for r in results for q in r.quotes]
    times = sorted(r.ms for r in results)
    judged = load_judged() if judged is None else judged
    rows = set().union(*(_shown_rows(r.note) for r in results))
    summary = {key: _share(results, key) for key in LABELS if key not in COUNTS}
    summary.update(
        rows_judged_wrong=sum(judged.get(row, "OK") != "OK" for row in rows),
        rows_unjudged=sum(row not in judged for row in rows),
        topics=len(results),
        figures_not_in_quote=sum(r.bad_figures for r in results),
        conflicts_unchecked=sum(len(r.unchecked) for r in results),
        verbatim_quotes=round(sum(quotes) / len(quotes), 3) if quotes else None,
        ms_per_note={"p50": times[len(times) // 2] if times else None, "max": times[-1] if times else None},
        missed={r.id: r.missed for r in results if r.missed},
        unchecked={r.id: r.unchecked for r in results if r.unchecked},
    )
    return summary


def report(summary: dict) -> str:
    """The figures in Dutch, one line each, then what each note missed."""
    lines = [f"Debatvoorbereiding: {summary['topics']} onderwerpen"]
    for key, label in LABELS.items():
        value = summary.get(key)
        shown = "—" if value is None else (str(value) if isinstance(value, int) else f"{value:.3f}".replace(".", ","))
        lines.append(f"  {label}: {shown}")
    ms = summary["ms_per_note"]
    lines.append(f"  tijd per notitie: mediaan {ms['p50']} ms, langzaamste {ms['max']} ms")
    if summary["unchecked"]:
        lines.append("Verschillen getoond die niet zijn nagekeken (lees ze na; klopt er een, zet het in evals/conflicts.jsonl):")
        for topic, shown in summary["unchecked"].items():
            lines += [f"  {topic}: {c}" for c in shown]
    if summary["missed"]:
        lines.append("Gemist:")
        for topic, missed in summary["missed"].items():
            lines += [f"  {topic}: {m}" for m in missed]
    return "\n".join(lines)


def check(summary: dict, path: Path = THRESHOLDS) -> list[str]:
    """Dutch lines for every briefing figure past its threshold (the "briefings" part of the file)."""
    return check_thresholds(summary, path, "briefings")

"""`assistant eval --json`: the summary a tester or CI reads, with the keys the issue names,
the report and chart on disk, and the failed items listed."""
import json
import os
import subprocess
import sys

from assistant.config import ROOT

KEYS = {"items", "citation_accuracy", "place_found", "figure_exactness", "refusal_recall", "false_refusal_rate", "verbatim_quotes",
        "evidence_hit_at", "latency_ms", "by_kind", "by_source", "baseline"}


def test_eval_json_summary_and_report(settings, assistant, tmp_path):
    lines = (ROOT / "evals" / "set.jsonl").read_text(encoding="utf-8").splitlines()
    small = tmp_path / "set.jsonl"
    small.write_text("\n".join(lines[::20]) + "\n", encoding="utf-8")
    env = {**os.environ, "ASSISTANT_INDEX": str(settings.index_dir), "OLLAMA_HOST": settings.ollama_host}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "eval", "--json", "--set", str(small), "--reports", str(tmp_path / "rapporten")],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert KEYS <= set(summary) and summary["items"] == len(lines[::20])
    assert set(summary["evidence_hit_at"]) == {"1", "3", "5", "10"} and set(summary["latency_ms"]) == {"p50", "p95"}
    assert set(summary["baseline"]["evidence_hit_at"]) == {"1", "3", "5", "10"}
    report = (tmp_path / "rapporten" / "latest.md").read_text(encoding="utf-8")
    assert "Bronvermelding juist" in report and (tmp_path / "rapporten" / "latest.png").stat().st_size > 1000


def test_a_key_date_counts_as_found_in_the_value_or_in_the_date_of_its_row():
    """A note shows when the inspections visited as the date of the row it counts ("vier
    jeugdbeschermingsregio's", tweede helft van 2021); another date of the same year is not that date."""
    from assistant.briefing_eval import score

    kb = "kamerbrief-jeugdbescherming-2025"
    evidence = "Het aantal kinderen dat wacht op een vaste jeugdbeschermer is helaas weer toegenomen van 1.358 kinderen op 1 april 2025"
    topic = {"id": "t", "topic": "t", "uncovered": False, "places": [], "conflicts": [], "commitments": [],
             "figures": [{"measure": "m", "value": "1 april 2025", "source_id": kb, "sections": ["Wachtlijsten"], "evidence": evidence}]}
    citation = {"n": 1, "source_id": kb, "section": "Wachtlijsten", "quote": evidence}

    def found(date: str | None) -> list[bool]:
        note = {"figures": [{"measure": "m", "value": "1.358 kinderen", "date": date, "citations": [1]}], "points": [],
                "conflicts": [], "commitments": [], "citations": [citation], "warning": None}
        return score(topic, note, {}).hits["figures_found"]

    assert found("1 april 2025") == [True]
    assert found("1 oktober 2025") == [False] and found(None) == [False]


def test_a_conflict_shown_that_is_none_of_the_checked_ones_is_counted():
    from assistant.briefing_eval import load_checked, score, summarise

    topic = {"id": "t", "topic": "t", "uncovered": False, "figures": [], "places": [], "conflicts": [], "commitments": []}

    def shown(*values: str) -> dict:
        return {"measure": "m", "values": [{"value": v, "date": None, "citations": []} for v in values], "note": None}

    note = {"figures": [], "points": [], "commitments": [], "citations": [], "warning": None,
            "conflicts": [shown("22", "21"), shown("25.137", "1.499"), shown("15,5", "16,1", "28")]}
    result = score(topic, note, {}, load_checked())
    assert result.unchecked == ["25.137 / 1.499", "15,5 / 16,1 / 28"]
    assert summarise([result])["conflicts_unchecked"] == 2


def test_a_row_judged_wrong_and_a_row_never_judged_are_counted():
    from assistant.briefing_eval import load_judged, score, summarise

    judged = [r for r in map(json.loads, (ROOT / "evals" / "figure_rows.jsonl").read_text(encoding="utf-8").splitlines())]
    wrong = next(r for r in judged if r["verdict"] == "NOT_A_FIGURE")
    right = next(r for r in judged if r["verdict"] == "OK")
    topic = {"id": "t", "topic": "t", "uncovered": False, "figures": [], "places": [], "conflicts": [], "commitments": []}

    def row(r: dict, n: int) -> tuple[dict, dict]:
        return ({"measure": r["measure"], "value": r["value"], "date": r["date"], "citations": [n]},
                {"n": n, "source_id": r["source_id"], "quote": r["quote"], "section": r["section"]})

    never = dict(right, measure="iets wat nooit is nagelezen")
    rows = [row(r, n) for n, r in enumerate([wrong, right, never], 1)]
    note = {"figures": [f for f, _ in rows], "citations": [c for _, c in rows], "points": [], "commitments": [],
            "conflicts": [], "warning": None}
    summary = summarise([score(topic, note, {}, [])], load_judged())
    assert (summary["rows_judged_wrong"], summary["rows_unjudged"]) == (1, 1)

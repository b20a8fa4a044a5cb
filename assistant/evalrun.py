"""`assistant eval`: runs the set, the baseline and the report in that order.

Kept apart from `evaluation` (the scoring), which `baseline` and `report` both build on, so
the three import one way only.
"""
from __future__ import annotations

import json
import sys

from tqdm import tqdm

from .baseline import evaluate_baseline
from .evalset import load_items
from .evaluation import DEFAULT_SET, REPORTS, check_thresholds, failures, run, summarise
from .report import write_report


def main(args, make_assistant) -> int:
    if getattr(args, "briefings", False):
        return _briefings(args, make_assistant)
    items = load_items(args.set or DEFAULT_SET)
    if args.source:
        items = [i for i in items if not i.expect or any(e.source_id in args.source for e in i.expect)]
    assistant = make_assistant()
    bar = tqdm(total=len(items), desc="Evaluatie", unit="vraag", file=sys.stderr)
    results = run(assistant, items, args.mode, args.source, lambda _: bar.update())
    bar.close()
    summary = summarise(results)
    if not args.no_baseline:
        summary["baseline"] = evaluate_baseline(assistant, items)
    report = write_report(summary, failures(results), args.reports or REPORTS)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(report)
    if args.check:
        problems = check_thresholds(summary)
        if problems:
            print("Evaluatie onder de drempels (evals/thresholds.json):\n- " + "\n- ".join(problems), file=sys.stderr)
            return 1
    return 0


def _briefings(args, make_assistant) -> int:
    """`eval --briefings`: the briefing topics (evals/briefings.jsonl, or --set), scored apart."""
    from . import briefing_eval

    topics = briefing_eval.load_topics(args.set or briefing_eval.BRIEFINGS)
    assistant = make_assistant()
    total = len(topics) + len(briefing_eval.load_conflict_topics())
    bar = tqdm(total=total, desc="Debatvoorbereiding", unit="onderwerp", file=sys.stderr)
    summary = briefing_eval.evaluate(assistant, topics, args.mode, lambda _: bar.update())
    bar.close()
    print(json.dumps(summary, ensure_ascii=False, indent=2) if args.json else briefing_eval.report(summary))
    if args.check:
        problems = briefing_eval.check(summary)
        if problems:
            print("Debatvoorbereiding onder de drempels (evals/thresholds.json):\n- " + "\n- ".join(problems), file=sys.stderr)
            return 1
    return 0

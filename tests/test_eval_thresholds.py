"""CI runs the evaluation in extractive mode and fails below the thresholds in
evals/thresholds.json (the one visible place where they are set)."""
from assistant.evaluation import DEFAULT_SET, check_thresholds, run, summarise
from assistant.evalset import load_items


def test_evaluation_meets_thresholds(assistant):
    summary = summarise(run(assistant, load_items(DEFAULT_SET), "extractive"))
    print({k: summary[k] for k in ("citation_accuracy", "first_citation_accuracy", "citation_precision", "figure_exactness",
                                   "refusal_recall", "false_refusal_rate", "evidence_hit_at")})
    assert check_thresholds(summary) == []


def test_briefings_meet_thresholds(assistant):
    """The briefing topics (evals/briefings.jsonl) and the topics that audit the conflicts shown
    (evals/conflict_topics.txt), extractive, against the "briefings" thresholds."""
    from assistant import briefing_eval

    summary = briefing_eval.evaluate(assistant, briefing_eval.load_topics())
    print(briefing_eval.report(summary))
    assert briefing_eval.check(summary) == []

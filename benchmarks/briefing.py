"""Benchmark: time per briefing note (Debatvoorbereiding, extractive) for every topic of
evals/briefings.jsonl, on the five documents, and the Word and Markdown files. Target: under
5 s a note. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/briefing.py [--rounds 3]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from assistant.answer import Assistant
from assistant.briefing_eval import load_topics
from assistant.briefing_export import briefing_docx, briefing_markdown
from assistant.config import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3, help="notes per topic; the median counts")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-briefing-"))
    settings = Settings().with_(index_dir=work / "index", mode="extractive", ollama_host="http://127.0.0.1:9")
    assistant = Assistant(settings)
    assistant.brief("wachtlijsten", mode="extractive")  # builds the index and warms the models
    per_note, per_file = [], []
    print(f"{'onderwerp':<72} {'notitie':>9} {'bestanden':>10}  cijfers  citaten")
    for topic in load_topics():
        times, note = [], None
        for _ in range(args.rounds):
            started = time.perf_counter()
            note = assistant.brief(topic["topic"], mode="extractive")
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        briefing_docx(note), briefing_markdown(note)
        files = time.perf_counter() - started
        per_note.append(statistics.median(times))
        per_file.append(files)
        print(f"{topic['topic'][:72]:<72} {per_note[-1] * 1000:>7.0f} ms {files * 1000:>7.0f} ms  {len(note.figures):>7}  "
              f"{len(note.citations):>7}")
    print(f"\nper notitie: mediaan {statistics.median(per_note) * 1000:.0f} ms, langzaamste {max(per_note) * 1000:.0f} ms "
          f"(doel: onder 5 s); Word en Markdown samen: mediaan {statistics.median(per_file) * 1000:.0f} ms")


if __name__ == "__main__":
    main()

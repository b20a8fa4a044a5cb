"""Benchmark: how long the model's prompt is, before (ten whole passages) and now (the evidence:
best sentences with their neighbours), and whether the answer's evidence is still in it.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/prompt_tokens.py [--tokenizer PYTHON GGUF]

Tokens are counted with a real model's tokenizer when one is given: the Python of an
environment with llama-cpp-python and a GGUF file (e.g. the measuring model of
../shared/real-llm: /tmp/real-llm/venv/bin/python /tmp/real-llm/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf).
Without one, tokens are estimated as characters / 3.2 (what that tokenizer gives on these
Dutch prompts), and the output says so.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

from assistant import evidence
from assistant.answer import Assistant
from assistant.chunks import readable
from assistant.config import Settings
from assistant.dutch import normalise
from assistant.evaluation import DEFAULT_SET
from assistant.evalset import load_items
from assistant.generate import condense_rule_based, load_prompts
from assistant.injection import screen
from assistant.retrieval import retrieve

CHARS_PER_TOKEN = 3.2
_COUNTER = """
import sys, json
from llama_cpp import Llama
llm = Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
for line in sys.stdin:
    text = json.loads(line)
    print(len(llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)), flush=True)
"""


def old_context(assistant, passages) -> str:
    """The prompt context before: every retrieved passage whole, under its full title."""
    blocks = []
    for n, p in enumerate(passages, 1):
        source = assistant.index.documents[p.chunk.source_id].source
        blocks.append(f"[{n}] {source.title} ({source.date}) — {p.chunk.section}\n{readable(p.chunk.text)}")
    return "\n\n".join(blocks)


def count(texts: list[str], tokenizer: list[str] | None) -> tuple[list[int], str]:
    if not tokenizer:
        return [round(len(t) / CHARS_PER_TOKEN) for t in texts], f"geschat ({CHARS_PER_TOKEN} tekens per token)"
    python, gguf = tokenizer
    done = subprocess.run([python, "-c", _COUNTER, gguf], input="\n".join(json.dumps(t) for t in texts),
                          capture_output=True, text=True, check=True)
    return [int(x) for x in done.stdout.split()], f"geteld met de tokenizer van {gguf.rsplit('/', 1)[-1]}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokenizer", nargs=2, metavar=("PYTHON", "GGUF"))
    args = parser.parse_args()
    assistant = Assistant(Settings().with_(mode="extractive"))
    prompts = load_prompts(assistant.settings.prompts_dir)
    old, new, kept_old, kept_new = [], [], [], []
    for item in load_items(DEFAULT_SET):
        if item.refuse or not item.expect:
            continue
        question = screen(item.question).question
        question = condense_rule_based(question, item.history) if item.history else question
        got = retrieve(assistant.index, question, assistant.settings.top_k)
        before = old_context(assistant, got.passages)
        after = evidence.format_blocks(assistant.index, evidence.select(assistant.index, got))
        for context, prompts_list, kept in ((before, old, kept_old), (after, new, kept_new)):
            prompts_list.append(prompts.system + "\n" + prompts.answer.format(context=context, question=question))
            flat = normalise(context)
            # the evidence is there when its required figures or words are, or its text is
            wanted = [g for g in item.must_contain] or [[normalise(e.evidence)[:80]] for e in item.expect]
            kept.append(all(any(v in flat for v in group) for group in wanted))
    counted_old, how = count(old, args.tokenizer)
    counted_new, _ = count(new, args.tokenizer)

    def p(values: list[int], q: float) -> int:
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * q))]

    print(f"{len(old)} beantwoordbare vragen; prompttokens {how}")
    for label, values, kept in (("vóór (10 hele passages)", counted_old, kept_old), ("nu (bewijszinnen)", counted_new, kept_new)):
        print(f"{label}: p50 {statistics.median(values):.0f}, p95 {p(values, 0.95)}, max {max(values)} tokens; "
              f"bewijs in de prompt bij {sum(kept) / len(kept):.1%}")


if __name__ == "__main__":
    sys.exit(main())

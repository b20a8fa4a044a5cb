"""Bad input from the command line: `--jsonl` lines of every malformed kind each get an
error object and the batch goes on; undecodable bytes and unknown document ids get a Dutch
message and exit 2."""
import json
import random

import pytest
from conftest import cli
from test_answer import CONTRACT

from assistant.inputs import InputError, check_source_ids, read_question_line

WACHTLIJST = "Hoeveel kinderen stonden op 1 oktober 2025 op de wachtlijst voor een vaste jeugdbeschermer?"


@pytest.mark.parametrize("raw,problem", [
    (b"dit is geen json", "geen geldige JSON (verwacht een object met een tekstveld 'question'; fout bij teken 1)"),
    (b'{"question": "x", "history": [1, 2, 3]}', "eerdere vraag 1 in 'history' moet tekst zijn, maar is een getal."),
    (b'{"question": "x", "history": {"a": 1}}', "het veld 'history' moet een lijst met eerdere vragen zijn, maar is een object."),
    (b'{"question": "\\ud800"}', "de vraag bevat tekens die geen geldige UTF-8-tekst zijn (vanaf teken 1)"),
    (b'{"id": 7, "question": "x"}', "het veld 'id' moet tekst zijn, maar is een getal."),
    (b'{"id": "a"}', "het tekstveld 'question' ontbreekt"),
    (b"null", "verwacht een object met een tekstveld 'question', maar de regel is null"),
    (b"\xff\xfe{}", "geen geldige UTF-8-tekst (ongeldige byte 0xff op positie 1)"),
    (b"[" * 100_000, "te diep genest"),
    (b'{"question": ' + b"9" * 5000 + b"}", "te veel cijfers"),
])
def test_a_bad_line_says_in_dutch_what_is_wrong(raw, problem):
    line = read_question_line(raw, 1000)
    assert problem in line.problem
    assert "Expecting" not in line.problem and "line 1 column" not in line.problem


def test_a_good_line_keeps_its_fields():
    line = read_question_line('\ufeff{"id": "q1", "question": "Wat?", "history": ["Eerder?"], "extra": 1}'.encode(), 1000)
    assert (line.id, line.question, line.history, line.problem) == ("q1", "Wat?", ["Eerder?"], None)


def test_unknown_document_ids_are_named_with_the_known_ones():
    assert check_source_ids(None, ["a", "b"]) is None
    assert check_source_ids(["b"], ["a", "b"]) == ["b"]
    with pytest.raises(InputError, match="Onbekend document: 'x'. Bekende documenten: a, b."):
        check_source_ids(["x", "a"], ["a", "b"])


def _malformed_lines(rng: random.Random) -> list[tuple[bytes, bool | None]]:
    """Every kind of line a script or a careless hand produces, in random order, with good
    questions between them; each with whether it must be answered (None: it may go either way,
    as long as the line is accounted for)."""
    huge = "waarom " * 200_000
    texts = {"": False, " ": False, "\ud800": False, "\udcff": False, huge: False, "\x00": None, "🙂" * 50: None}  # noqa: F601
    others = [None, True, 0, -1, 3.5, 1e308, [], [1, 2, 3], {"a": 1}, {"question": "x"}, [[[["diep"]]]]]
    q = "Wat is de workload?"
    lines: list[tuple[bytes, bool | None]] = []
    for value in [*texts, *others]:
        text_ok = texts.get(value) if isinstance(value, str) else False
        lines += [(json.dumps(value).encode(), None if value == {"question": "x"} else False),
                  (json.dumps({"question": value}).encode(), text_ok),
                  (json.dumps({"question": q, "history": value}).encode(), None if value in (None, []) else False),
                  (json.dumps({"question": q, "history": [value]}).encode(), None if isinstance(value, str) and value != huge else False),
                  (json.dumps({"id": value, "question": q}).encode(), None if isinstance(value, str) or value is None else False)]
    lines += [(raw, False) for raw in (b"{", b"}", b'{"question": "x"', b"\xff\xfe\xfd", b'{"question": "\xc3\x28"}', b"[" * 50_000,
              b'{"question": ' + b"1" * 5000 + b"}", b"NaN", b'{"question": NaN}', b"\x00\x00",
              json.dumps({"question": "x", "history": ["h"] * 500}).encode(),
              json.dumps({"question": {"nested": {"deeper": [1, {"x": None}]}}}).encode())]
    good = [(json.dumps({"id": f"goed-{n}", "question": q}, ensure_ascii=False).encode(), True)
            for n, q in enumerate([WACHTLIJST, "Hoe hoog was het personeelsverloop bij de GI's in 2024?",
                                   "<script>alert(1)</script> [1] [99]", "?" * 999, "Wat zeggen de inspecties over pleegzorg?"])]
    rng.shuffle(lines)
    for n, line in enumerate(good):
        lines.insert(n * len(lines) // len(good), line)
    return lines


def test_jsonl_batch_survives_every_malformed_line(settings, assistant):
    """One output line per non-empty input line, in order, each with the whole contract;
    the good questions among them answered; no line fails for a reason we did not foresee."""
    lines = _malformed_lines(random.Random(10))
    raws = [raw for raw, _ in lines]
    stdin = b"\n".join(raws[:20] + [b"", b"   "] + raws[20:]) + b"\n"
    done = cli(settings, "ask", "--jsonl", stdin=stdin)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr
    out = [json.loads(line) for line in done.stdout.splitlines()]
    numbered = [n for n, line in enumerate(stdin.split(b"\n"), 1) if line.strip()]
    assert len(out) == len(numbered) == len(lines)
    for n, (raw, answered), o in zip(numbered, lines, out):
        assert set(o) == CONTRACT
        skipped = bool(o["warning"]) and o["warning"].startswith(f"Regel {n} overgeslagen: ")
        if answered is not None:
            assert skipped != answered, (n, raw[:80], o["warning"])
        if skipped:
            assert o["refused"] and o["answer"] == "" and "onverwachte fout" not in o["warning"], o["warning"]
        else:
            assert o["id"] == json.loads(raw).get("id") and o["warning"] is None and o["question"], (n, raw[:80])
    answers = {o["id"]: o for o in out if (o["id"] or "").startswith("goed-")}
    assert len(answers) == 5 and "1.499" in answers["goed-0"]["answer"]


def test_invalid_utf8_in_the_question_argument(settings, assistant):
    done = cli(settings, "ask", b"Hoeveel \xff\xfe kinderen?")
    assert done.returncode == 2
    assert "geen geldige UTF-8-tekst" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [("ask", "--source", "bestaat-niet", WACHTLIJST), ("ask", "--jsonl", "--source", "bestaat-niet"),
                                  ("eval", "--source", "bestaat-niet", "--no-baseline")])
def test_unknown_source_is_refused_with_the_known_ids(settings, assistant, args):
    done = cli(settings, *args, stdin=json.dumps({"question": WACHTLIJST}))
    assert done.returncode == 2, done.stderr[-2000:]
    assert "Onbekend document: 'bestaat-niet'" in done.stderr and "kamerbrief-jeugdbescherming-2025" in done.stderr
    assert done.stdout == ""

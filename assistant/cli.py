"""`assistant ingest | ask | brief | serve | eval | add | remove | sources`: a thin shell over
`Assistant`, the index and the library."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

EXIT_INPUT, EXIT_UNAVAILABLE = 2, 3


def _progress():
    """A tqdm bar per stage (with the time left), on stderr so JSON on stdout stays clean."""
    from tqdm import tqdm

    from .live_index import STAGES

    bars: dict[str, tqdm] = {}

    def update(stage: str, done: int, total: int) -> None:
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=STAGES.get(stage, stage), unit="stuk", file=sys.stderr)
        bar.update(done - bar.n)
        if done >= total:
            bars.pop(stage).close()

    return update


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_ingest(args) -> int:
    from .config import Settings

    return _rebuild(Settings())


def _rebuild(settings) -> int:
    """Build the index after a change (ingest, add, remove); on a broken source the previous
    index stays in use, and the user is told so."""
    from .index import IndexCorrupt, read_meta
    from .library import rebuild_index
    from .live_index import built_when
    from .outline import no_text_warning
    from .sources import SourceError, load_documents

    try:
        meta = rebuild_index(settings, _progress())
    except SourceError as exc:
        _say(f"Fout: {exc}")
        try:
            previous = read_meta(settings.index_dir)
        except IndexCorrupt:
            previous = None
        if previous:
            _say(f"De vorige index ({built_when(previous.built_at)}) blijft in gebruik voor ask en serve.")
        return EXIT_UNAVAILABLE
    documents = len(meta.sources) - len(meta.skipped)
    _say(f"Index gebouwd: {meta.chunks} passages uit {documents} documenten in {meta.seconds} s "
         f"({meta.embedded} teksten nieuw ingebed; embedder {meta.embedder}).")
    for reason in meta.skipped.values():
        _say(f"Let op: {reason}")
    for warning in filter(None, map(no_text_warning, load_documents(settings.sources_dir))):
        _say(f"Let op: {warning.message}")
    return 0


FIELD_NAMES = {"id": "id", "title": "titel", "kind": "soort", "publisher": "uitgever", "date": "datum"}


def cmd_add(args) -> int:
    """Add (or with --replace, replace) a document, say which fields were used, then ingest."""
    from .config import Settings
    from .library import LibraryError, add_document, replace_document

    settings = Settings()
    fields = {"title": args.title, "kind": args.kind, "publisher": args.publisher, "date": args.date}
    try:
        if args.replace:
            change = replace_document(settings, args.replace, args.file, **fields)
            print(f"Vervangen: {change.source.id} (nu {settings.sources_dir / change.source.file})")
        else:
            change = add_document(settings, args.file, doc_id=args.id, **fields)
            print(f"Toegevoegd: {change.source.id} ({settings.sources_dir / change.source.file})")
    except LibraryError as exc:
        _say(f"Fout: {exc}")
        return EXIT_INPUT
    for key, name in FIELD_NAMES.items():
        value = getattr(change.source, key) or "(leeg)"
        origin = change.used.get(key)
        print(f"  {name + ':':10} {value}" + (f"  ({origin})" if origin else ""))
    _say_outline(change.outline)
    return _rebuild(settings)


def _say_outline(outline) -> None:
    from .outline import outline_counts

    print(f"Zo gelezen: {outline_counts(outline)}.")
    for warning in outline.warnings:
        print(f"Let op: {warning.message}")


def cmd_remove(args) -> int:
    from .config import Settings
    from .library import LibraryError, remove_document

    settings = Settings()
    try:
        source = remove_document(settings, args.id)
    except LibraryError as exc:
        _say(f"Fout: {exc}")
        return EXIT_INPUT
    print(f"Verwijderd: {source.id} ({source.title}); het bestand {source.file} is weg.")
    return _rebuild(settings)


def cmd_sources(args) -> int:
    """The documents with how each is read; --json: the outlines in full."""
    from .config import Settings
    from .dutch import format_date
    from .library import library_outlines
    from .outline import outline_counts

    outlines = library_outlines(Settings())
    if args.json:
        print(json.dumps({"documents": [o.to_json() for o in outlines]}, ensure_ascii=False, indent=2))
        return 0
    for o in outlines:
        print(f"{o.source.id}  ({o.source.kind}, {format_date(o.source.date)})")
        print(f"  {o.source.title}")
        print(f"  {outline_counts(o)}; bestand {o.source.file}")
        for warning in o.warnings:
            print(f"  Let op: {warning.message}")
        print()
    print(f"{len(outlines)} documenten, {sum(o.passages for o in outlines)} passages.")
    return 0


def _assistant(background: bool = False):
    from .answer import Assistant

    return Assistant(progress=_progress(), notify=_say, background=background)


def _source_filter(assistant, requested: list[str] | None) -> list[str] | None:
    from .inputs import check_source_ids

    return check_source_ids(requested, [s.id for s in assistant.sources])


def cmd_ask(args) -> int:
    from .answer import QuestionError
    from .generate import Waiting
    from .inputs import check_text
    from .types import Answer

    if not args.jsonl:
        if not args.question:
            _say("Geef een vraag mee, bijvoorbeeld: assistant ask \"Hoeveel kinderen wachten op een jeugdbeschermer?\"")
            return EXIT_INPUT
        check_text(args.question, "de vraag")
    assistant = _assistant()
    sources = _source_filter(assistant, args.source)
    if args.jsonl:
        return _ask_jsonl(assistant, args.mode, sources)
    try:
        if args.json:
            answer = assistant.ask(args.question, mode=args.mode, sources=sources)
            print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
            return 0
        answer, streamed = None, False
        for item in assistant.stream(args.question, mode=args.mode, sources=sources):
            if isinstance(item, str):
                print(item, end="", flush=True)
                streamed = True
            elif isinstance(item, Waiting):
                _working(item)
            elif isinstance(item, Answer):
                answer = item
    except QuestionError as exc:
        _say(str(exc))
        return EXIT_INPUT
    if streamed and answer.mode != "ollama":
        print("\n\n(Het model viel halverwege uit; hieronder het antwoord met citaten.)\n")
    print(render_text(answer, streamed=streamed and answer.mode == "ollama"))
    return 0


def _working(waiting) -> None:
    """On stderr, while a model is silent: that it works, and for how long (each 10 s off a terminal)."""
    seconds = int(waiting.seconds)
    if sys.stderr.isatty():
        print(f"\rHet taalmodel werkt… {seconds} s", end="", file=sys.stderr, flush=True)
    elif seconds % 10 == 0:
        _say(f"Het taalmodel werkt… {seconds} s")


def _ask_jsonl(assistant, mode: str | None, sources: list[str] | None) -> int:
    """One JSON object per input line, one answer per output line, same order. A line that
    cannot be answered gets an object with the same keys, `refused` and a Dutch `warning`
    naming the line; the batch goes on. Lines are decoded one by one: bad bytes cost one line."""
    from .answer import QuestionError
    from .inputs import as_phrase, read_question_line
    from .types import Answer

    for n, raw in enumerate(sys.stdin.buffer, 1):
        if not raw.strip():
            continue
        line = read_question_line(raw.rstrip(b"\r\n"), assistant.settings.max_question_chars)
        problem = line.problem
        if problem is None:
            try:
                out = assistant.ask(line.question, line.history, mode, sources, line.id).to_json()
            except QuestionError as exc:
                problem = as_phrase(str(exc))
            except Exception as exc:  # one line must not cost the lines after it
                problem = f"onverwachte fout bij het beantwoorden ({type(exc).__name__}: {exc})"
        if problem is not None:
            out = Answer(question=line.question, answer="", mode=None, citations=[], figures=[], refused=True,
                         id=line.id, warning=f"Regel {n} overgeslagen: {problem.rstrip('.')}.").to_json()
        print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def render_text(answer, streamed: bool = False) -> str:
    """The answer for a terminal: text (unless already streamed), warnings, then sources."""
    lines = [""] if streamed else [answer.answer]
    if answer.warning:
        lines += ["", f"Let op: {answer.warning}"]
    unverified = [f.value for f in answer.figures if not f.verified]
    if unverified:
        lines += ["", "Niet in de geciteerde passages teruggevonden cijfers: " + ", ".join(unverified)]
    if answer.citations:
        lines += ["", "Bronnen:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {c.title} ({c.date}) — {c.section}")
            lines.append(f"    “{c.quote}”")
    mode = f"model {answer.model}" if answer.mode == "ollama" else "citaatmodus (zonder taalmodel)"
    lines += ["", f"({mode}, {answer.timing_ms['total']} ms)"]
    return "\n".join(lines)


def cmd_brief(args) -> int:
    """A briefing note on a topic; progress on stderr, the note on stdout, files on request."""
    from .briefing_export import briefing_text, write
    from .inputs import check_text

    check_text(args.topic or "", "het onderwerp")
    assistant = _assistant()
    sources = _source_filter(assistant, args.source)
    note = assistant.brief(args.topic, mode=args.mode, sources=sources, progress=_say)
    for path in filter(None, (args.md, args.docx)):
        try:
            write(note, path)
        except OSError as exc:
            _say(f"Fout: {path} kan niet worden geschreven ({exc.strerror or exc}).")
            return EXIT_INPUT
        _say(f"Geschreven: {path}")
    if args.json:
        print(json.dumps(note.to_json(), ensure_ascii=False, indent=2))
    else:
        print(briefing_text(note))
    return 0


def cmd_serve(args) -> int:
    from .web import serve

    return serve(_assistant(background=True), host=args.host, port=args.port)


def cmd_eval(args) -> int:
    from .evalrun import main as eval_main

    def checked():
        assistant = _assistant()
        _source_filter(assistant, args.source)
        return assistant

    return eval_main(args, checked)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="assistant", description="Vragen over jeugdbescherming, beantwoord uit de bronnen met bronvermelding.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ingest", help="bouw de index uit sources/").set_defaults(func=cmd_ingest)

    ask = sub.add_parser("ask", help="stel een vraag")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--json", action="store_true", help="één JSON-object als antwoord")
    ask.add_argument("--jsonl", action="store_true", help="lees vragen als JSON-regels van stdin")
    ask.add_argument("--mode", choices=["auto", "extractive", "ollama"], default=None)
    ask.add_argument("--source", action="append", help="zoek alleen in dit document (herhaalbaar)")
    ask.set_defaults(func=cmd_ask)

    brief = sub.add_parser("brief", help="debatvoorbereiding: een notitie over een onderwerp")
    brief.add_argument("topic", help="het onderwerp, bijvoorbeeld \"wachtlijsten in de jeugdbescherming\"")
    brief.add_argument("--json", action="store_true", help="de notitie als één JSON-object")
    brief.add_argument("--md", type=Path, metavar="BESTAND", help="schrijf de notitie als Markdown naar dit bestand")
    brief.add_argument("--docx", type=Path, metavar="BESTAND", help="schrijf de notitie als Word-bestand naar dit bestand")
    brief.add_argument("--mode", choices=["auto", "extractive", "ollama"], default=None)
    brief.add_argument("--source", action="append", help="alleen uit dit document (herhaalbaar)")
    brief.set_defaults(func=cmd_brief)

    serve = sub.add_parser("serve", help="start de webpagina")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="draai de evaluatieset")
    ev.add_argument("--set", type=Path, default=None)
    ev.add_argument("--mode", choices=["extractive", "ollama"], default="extractive")
    ev.add_argument("--source", action="append")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--check", action="store_true", help="faal onder de drempels in evals/thresholds.json")
    ev.add_argument("--no-baseline", action="store_true", help="sla de vergelijking met de basislijn over")
    ev.add_argument("--reports", type=Path, default=None, help="map voor rapport en grafiek (standaard evals/reports)")
    ev.add_argument("--briefings", action="store_true", help="evalueer de debatvoorbereiding (evals/briefings.jsonl)")
    ev.set_defaults(func=cmd_eval)

    from .sources import KINDS

    add = sub.add_parser("add", help="voeg een document toe (PDF, DOCX, HTML, TXT of Markdown) en bouw de index")
    add.add_argument("file", type=Path)
    add.add_argument("--title", help="titel (standaard: uit het document)")
    add.add_argument("--kind", help="soort: " + ", ".join(KINDS))
    add.add_argument("--publisher", help="uitgever")
    add.add_argument("--date", help="datum, bv. 2025-09-25, 2025-11 of '25 september 2025'")
    add.add_argument("--id", help="id (standaard: uit de bestandsnaam)")
    add.add_argument("--replace", metavar="ID", help="vervang het bestand van dit document (id en velden blijven)")
    add.set_defaults(func=cmd_add)

    remove = sub.add_parser("remove", help="verwijder een document en bouw de index")
    remove.add_argument("id")
    remove.set_defaults(func=cmd_remove)

    sources = sub.add_parser("sources", help="de documenten en hoe ze gelezen zijn")
    sources.add_argument("--json", action="store_true", help="alles als één JSON-object")
    sources.set_defaults(func=cmd_sources)

    args = parser.parse_args(argv)
    from .config import ConfigError
    from .embeddings import EmbedderError
    from .generate import GenerationError
    from .index import IndexUnavailable
    from .inputs import InputError
    from .sources import SourceError

    try:
        return args.func(args)
    except (InputError, ConfigError) as exc:
        _say(f"Fout: {exc}")
        return EXIT_INPUT
    except (SourceError, IndexUnavailable, EmbedderError, GenerationError) as exc:
        _say(f"Fout: {exc}")
        return EXIT_UNAVAILABLE
    except KeyboardInterrupt:
        _say("Afgebroken.")
        return 130


if __name__ == "__main__":
    sys.exit(main())

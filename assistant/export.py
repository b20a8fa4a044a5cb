"""An answer as Markdown text: the downloadable file, and the body the page shows in the chat.

The CLI, saved conversations and the briefing export answers too, so this lives outside the
web page. Whatever comes from a user, a source or a model is escaped so that it reads as text
in any Markdown viewer: no HTML tag can form, and no link or image (inline, reference or
auto-linked) can be made from it, so nothing is fetched from or points to outside.
"""
from __future__ import annotations

import html
import re

from .dutch import format_date
from .types import Answer, Claim, Conflict, ConflictValue

TITLE = "Vragen over jeugdbescherming"
UNVERIFIED = "niet geverifieerd in de geciteerde passage"
UNSUPPORTED = "Niet onderbouwd door de geciteerde bron"
CONFLICTS = "Waar de bronnen verschillen"

# A backslash before each of these: `[` and `]` start every link and image, a `\` of its own
# would undo our escapes, `@` makes an e-mail address a mailto link, and the `:` of `http:` and
# the `.` of `www.` are what auto-linking looks for.
_LINK_SYNTAX = re.compile(r"[\[\]\\@]|(?<=\bhttp)(?=:)|(?<=\bhttps)(?=:)|(?<=\bftp)(?=:)|(?<=\bwww)(?=\.)",
                          re.IGNORECASE)
_CLAIM_END = re.compile(r"[.!?;:]?(?:\s*\[\d+\])*[.!?;:]?")  # a sentence's end and its markers, either order


def markdown_text(value: str) -> str:
    """Text from a user, a source or a model for Markdown: shown literally (see the module)."""
    return _LINK_SYNTAX.sub(lambda m: "\\" + m.group(0), html.escape(value, quote=False))


def kind_label(kind: str) -> str:
    """A document kind as a label: 'kamerbrief' -> 'Kamerbrief'."""
    return kind[:1].upper() + kind[1:]


def unsupported_note(claim: Claim) -> str:
    """What the reader sees behind a claim its quotes do not carry, in words, not colour."""
    why = f": {claim.why.strip().rstrip('.')}" if claim.why and claim.why.strip() else ""
    return f"⚠️ _{UNSUPPORTED}{markdown_text(why)}._"


def _flags(text: str, answer: Answer) -> list[tuple[int, int, str]]:
    """(start, end, markup after) for what the reader must see flagged inside the answer text:
    each unverified figure where it stands, and each unsupported claim after its markers.
    Claims that cannot be found in the text are left to `unplaced_claims`."""
    flags = []
    for figure in answer.figures:
        if not figure.verified:
            pattern = rf"(?<![\w\[.,]){re.escape(figure.value)}(?![\w\]]|[.,]\d)"
            flags += [(m.start(), m.end(), " ⚠️ (niet geverifieerd)") for m in re.finditer(pattern, text)]
    for claim, end in _placed_claims(text, answer):
        flags.append((end, end, " " + unsupported_note(claim)))
    return sorted(flags)


def _placed_claims(text: str, answer: Answer) -> list[tuple[Claim, int]]:
    """The unsupported claims found in the answer text, in order, each with where its sentence
    and markers end. A claim is looked for without its final punctuation, since the markers may
    stand before it ("... 2025 [1].")."""
    placed, position = [], 0
    for claim in answer.claims:
        core = claim.text.strip().rstrip(".!?;: ")
        found = text.find(core, position) if core else -1
        if found < 0:
            continue
        position = found + len(core)
        position += len(_CLAIM_END.match(text, position).group(0))
        if not claim.supported:
            placed.append((claim, position))
    return placed


def unplaced_claims(answer: Answer) -> list[Claim]:
    """Unsupported claims whose sentence is not in the answer text as written."""
    placed = {id(c) for c, _ in _placed_claims(answer.answer, answer)}
    return [c for c in answer.claims if not c.supported and id(c) not in placed]


def answer_body(answer: Answer) -> str:
    """The answer text as Markdown: escaped, unverified figures and unsupported claims marked
    where they stand (bold figure plus words, so not by formatting alone)."""
    text, parts, position = answer.answer, [], 0
    for start, end, after in _flags(text, answer):
        if start < position:
            continue
        parts.append(markdown_text(text[position:start]))
        parts.append(f"**{markdown_text(text[start:end])}**{after}" if end > start else after)
        position = end
    parts.append(markdown_text(text[position:]))
    lines = ["".join(parts)]
    missing = unplaced_claims(answer)
    if missing:
        lines += ["", f"**{UNSUPPORTED}:**"]
        lines += [f"- {markdown_text(c.text)} " + unsupported_note(c) for c in missing]
    return "\n".join(lines)


def unstated_conflicts(answer) -> list[Conflict]:
    """The conflicts the answer's own claims do not already spell out."""
    if any(c.kind == "conflict" for c in answer.claims):
        return []
    return [c for c in answer.conflicts if not all(v.value in answer.answer for v in c.values)]


def side_text(v: ConflictValue) -> str:
    """One side of a conflict: the figure as written with its date ("15,5 procent (2024)"), or the
    date alone when the date is what differs ("2018")."""
    written = v.written or v.value
    if v.date == written:
        return written
    return f"{written} ({v.date or 'geen datum'})"


def conflict_lines(conflicts: list[Conflict]) -> list[str]:
    """Where the sources differ, one Markdown list item per measure: each value with its date and
    markers, and why they differ only where a document says so."""
    lines = []
    for conflict in conflicts:
        values = "; ".join(markdown_text(side_text(v)) + "".join(f" \\[{n}\\]" for n in v.citations) for v in conflict.values)
        note = f" {markdown_text(conflict.note)}" if conflict.note else ""
        lines.append(f"- {markdown_text(conflict.measure)}: {values}.{note}")
    return lines


def unverified_figures(answer: Answer) -> list[str]:
    return [f.value for f in answer.figures if not f.verified]


def mode_label(answer: Answer) -> str:
    return f"model {answer.model}" if answer.mode == "ollama" else "citaatmodus (letterlijke citaten, zonder taalmodel)"


def answer_markdown(answer: Answer) -> str:
    """The answer with its citations as a Markdown file (escaped: a viewer may render it as HTML)."""
    lines = [f"# {TITLE}", "", f"**Vraag:** {markdown_text(answer.question)}", "", "## Antwoord", "",
             answer_body(answer), ""]
    if answer.conflicts:
        lines += [f"## {CONFLICTS}", "", *conflict_lines(answer.conflicts), ""]
    if answer.warning:
        lines += [f"> Let op: {markdown_text(answer.warning)}", ""]
    unverified = unverified_figures(answer)
    if unverified:
        lines += [f"> Cijfers {UNVERIFIED}: {markdown_text(', '.join(unverified))}", ""]
    if answer.citations:
        lines += ["## Bronnen", ""]
        for c in answer.citations:
            where = f"{kind_label(c.kind)}, {format_date(c.date)}"
            lines += [f"\\[{c.n}\\] {markdown_text(c.title)} ({markdown_text(where)}), paragraaf "
                      f"“{markdown_text(c.section)}”", "", f"> {markdown_text(c.quote)}", ""]
    lines.append(f"_Beantwoord in {markdown_text(mode_label(answer))}._")
    return "\n".join(lines) + "\n"

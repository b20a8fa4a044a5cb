"""The evaluation report: Markdown a new tester can read without explanation, the summary as
JSON (the next run compares against `latest.json`), and a PNG chart.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .evaluation import HIT_AT

# (key path, Dutch label, one-line explanation, higher is better, unit)
METRICS = [
    ("items", "Vragen", "aantal vragen uit de evaluatieset dat is gesteld.", None, "count"),
    ("citation_accuracy", "Bronvermelding juist",
     "deel van de beantwoordbare vragen waarin het antwoord elke verwachte bron met een juiste sectie citeert.", True, "share"),
    ("place_found", "Juiste plaats bij de citaten",
     "deel van de beantwoordbare vragen waarin het antwoord ten minste één verwachte bron met een juiste sectie citeert "
     "(een vraag naar twee plaatsen telt ook als er één geciteerd is; `citation_accuracy` vraagt ze allemaal).", True, "share"),
    ("first_citation_accuracy", "Eerste citaat juist",
     "deel van de beantwoorde vragen waarvan het eerste citaat in een verwachte sectie staat (of het verplichte cijfer bevat).",
     True, "share"),
    ("citation_precision", "Citaten die het antwoord steunen",
     "van alle getoonde citaten het deel dat in een verwachte sectie staat of het verplichte cijfer of woord bevat.", True, "share"),
    ("supported_claims", "Beweringen onderbouwd",
     "van alle beweringen het deel waarvan de geciteerde passage elk cijfer, elke datum en de meeste kernwoorden bevat.",
     True, "share"),
    ("answers_with_claims", "Antwoorden met beweringen", "deel van de niet-geweigerde antwoorden dat uit beweringen bestaat.",
     True, "share"),
    ("figure_exactness", "Cijfers exact",
     "deel van de vragen met verplichte cijfers of woorden waarin die allemaal in het antwoord staan.", True, "share"),
    ("figures_verified", "Cijfers geverifieerd",
     "deel van de antwoorden met cijfers waarin elk cijfer in de geciteerde bron is teruggevonden.", True, "share"),
    ("refusal_recall", "Terecht geweigerd",
     "deel van de vragen die geweigerd moeten worden (het antwoord staat niet in de bronnen, of de vraag probeert de "
     "instructies te omzeilen) waarop de assistent weigert.", True, "share"),
    ("refusal_precision", "Weigeringen terecht", "van alle weigeringen het deel dat terecht was.", True, "share"),
    ("false_refusal_rate", "Onterecht geweigerd",
     "deel van de beantwoordbare vragen waarop de assistent toch weigerde; lager is beter.", False, "share"),
    ("verbatim_quotes", "Citaten letterlijk", "deel van de antwoorden waarvan elk citaat letterlijk in de bron staat.", True, "share"),
    ("grounded_citations", "Citaten uit opgehaalde tekst",
     "deel van de antwoorden waarvan elk citaat in een opgehaalde passage (of de sectie daarvan) staat.", True, "share"),
    *[(f"evidence_hit_at.{k}", f"Bewijs in top {k}",
       "deel van de vragen met verwacht bewijs waarbij al het bewijs bij "
       + ("de eerst opgehaalde passage zit." if k == 1 else f"de eerste {k} opgehaalde passages zit."), True, "share")
      for k in HIT_AT],
    ("prompt_tokens.p50", "Prompttokens mediaan", "lengte van de prompt voor het taalmodel (alleen met een model); lager is sneller.",
     False, "count"),
    ("prompt_tokens.p95", "Prompttokens p95", "95% van de prompts was korter; lager is sneller.", False, "count"),
    ("latency_ms.p50", "Antwoordtijd mediaan", "de helft van de antwoorden was sneller klaar; lager is beter.", False, "ms"),
    ("latency_ms.p95", "Antwoordtijd p95", "95% van de antwoorden was sneller klaar; lager is beter.", False, "ms"),
]
CHART_METRICS = ["citation_accuracy", "first_citation_accuracy", "citation_precision", "supported_claims", "figure_exactness", "figures_verified", "refusal_recall", "refusal_precision",
                 "false_refusal_rate", "verbatim_quotes", "grounded_citations"]
KIND_LABELS = {
    "figure": "cijfer", "fact": "feit", "where": "vindplaats", "synthesis": "synthese",
    "unanswerable": "niet te beantwoorden", "injection": "prompt-injectie", "followup": "vervolgvraag",
}
CHECK_LABELS = {
    "citation": "bronvermelding onjuist",
    "required": "verplichte cijfers of woorden ontbreken",
    "refusal_correct": "niet geweigerd",
    "figures_verified": "cijfer niet in de bron teruggevonden",
    "verbatim": "citaat niet letterlijk",
    "grounded": "citaat niet uit opgehaalde tekst",
}
ANSWER_CHARS = 400


def _get(data: dict | None, dotted: str):
    for part in dotted.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _fmt(value, unit: str = "share") -> str:
    if value is None:
        return "n.v.t."
    if unit == "share":
        return f"{value * 100:.1f}%".replace(".", ",")
    if unit == "ms":
        return f"{value:.0f} ms"
    return str(value)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header), *("| " + " | ".join(r) + " |" for r in rows)]


def _kind(kind: str) -> str:
    return f"{KIND_LABELS.get(kind, kind)} (`{kind}`)"


def _groups(blocks: dict, label) -> list[str]:
    header = ["", "Vragen", "Bronvermelding juist", "Juiste plaats", "Eerste citaat juist", "Citaten die steunen", "Beweringen onderbouwd",
              "Cijfers exact", "Terecht geweigerd", "Prompttokens p50", *(f"Top {k}" for k in HIT_AT)]
    rows = [
        [label(name), str(b["items"]), _fmt(b.get("citation_accuracy")), _fmt(b.get("place_found")), _fmt(b.get("first_citation_accuracy")),
         _fmt(b.get("citation_precision")), _fmt(b.get("supported_claims")), _fmt(b.get("figure_exactness")),
         _fmt(b.get("refusal_recall")), _fmt(_get(b, "prompt_tokens.p50"), "count"),
         *(_fmt(_get(b, f"evidence_hit_at.{k}")) for k in HIT_AT)]
        for name, b in blocks.items()
    ]
    return _table(header, rows)


def _arrow(old, new, better_up: bool | None) -> str:
    if old is None or new is None:
        return "nieuw" if old is None and new is not None else "–"
    if new == old:
        return "="
    arrow = "↑" if new > old else "↓"
    if better_up is None:
        return arrow
    return f"{arrow} {'beter' if (new > old) == better_up else 'slechter'}"


def _comparison(previous: dict | None, summary: dict) -> list[str]:
    if previous is None:
        return ["Geen vorige meting gevonden; de volgende run vergelijkt met deze."]
    lines = [f"Vorige meting: {previous.get('generated_at', 'onbekend tijdstip')}."]
    if previous.get("items") != summary.get("items"):
        lines.append(
            f"Let op: het aantal vragen is veranderd ({previous.get('items')} → {summary.get('items')}), "
            "dus de cijfers zijn niet één op één vergelijkbaar."
        )
    rows = []
    for key, label, _, up, unit in METRICS:
        old, new = _get(previous, key), _get(summary, key)
        rows.append([label, _fmt(old, unit), _fmt(new, unit), _arrow(old, new, up)])
    return [*lines, "", *_table(["Maat", "Vorige", "Nu", "Verandering"], rows)]


def _baseline(summary: dict) -> list[str]:
    base = summary.get("baseline")
    if not base:
        return ["Niet gemeten in deze run (`--no-baseline`)."]
    lines = [
        "Dezelfde vragen en dezelfde embedder, maar opgehaald zoals een nieuwkomer het eerst bouwt: "
        f"{base['pipeline']}. Alleen het ophalen van bewijs wordt vergeleken ({base['items']} vragen met verwacht bewijs).",
        "",
    ]
    rows = []
    for k in HIT_AT:
        ours, theirs = _get(summary, f"evidence_hit_at.{k}"), _get(base, f"evidence_hit_at.{k}")
        diff = "n.v.t." if ours is None or theirs is None else f"{(ours - theirs) * 100:+.1f} procentpunt".replace(".", ",")
        rows.append([f"Bewijs in top {k}", _fmt(ours), _fmt(theirs), diff])
    lines += _table(["", "Dit project", "Baseline", "Verschil"], rows)
    kinds = list(base.get("by_kind", {}))
    if kinds:
        lines += ["", "Per soort vraag:", ""]
        rows = []
        for kind in kinds:
            pair = [(_get(summary, f"by_kind.{kind}.evidence_hit_at.{k}"), _get(base, f"by_kind.{kind}.evidence_hit_at.{k}")) for k in HIT_AT]
            rows.append([_kind(kind), *(f"{_fmt(ours)} / {_fmt(theirs)}" for ours, theirs in pair)])
        lines += _table(["Soort", *(f"Top {k}: project / baseline" for k in HIT_AT)], rows)
    return lines


def _failure(f: dict) -> list[str]:
    answer = " ".join(f["answer"].split())
    if len(answer) > ANSWER_CHARS:
        answer = answer[:ANSWER_CHARS].rstrip() + " …"
    failed = [CHECK_LABELS.get(x, x) for x in f["failed"]]
    lines = [
        f"### {f['id']} — {_kind(f['kind'])}",
        "",
        f"- **Vraag:** {f['question']}",
        f"- **Mislukt:** {', '.join(failed)}",
        f"- **Verwacht:** {f['expected']}",
    ]
    if f.get("must_contain"):
        lines.append("- **Moet bevatten:** " + "; ".join(" of ".join(f"“{v}”" for v in group) for group in f["must_contain"]))
    lines += [
        f"- **Antwoord:** {answer or '(leeg)'}",
        f"- **Geciteerd:** {'; '.join(f['cited']) or 'niets'}",
        "",
    ]
    return lines


def _chart(summary: dict, previous: dict | None, path: Path) -> None:
    """Main metrics (now and, if there is one, the previous run) and hit@k against the baseline."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = {key: label for key, label, *_ in METRICS}
    fig = Figure(figsize=(13, 5), layout="constrained")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2, width_ratios=[3, 2])

    def bars(ax, series: list[tuple[str, list]], names: list[str]) -> None:
        width = 0.8 / len(series)
        for n, (label, values) in enumerate(series):
            xs = [i + (n - (len(series) - 1) / 2) * width for i in range(len(names))]
            heights = [float("nan") if v is None else v * 100 for v in values]
            drawn = ax.bar(xs, heights, width, label=label)
            ax.bar_label(drawn, labels=["" if v is None else f"{v * 100:.0f}" for v in values], fontsize=7)
        ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=8)
        ax.set_ylim(0, 125)  # room above the bars for the legend
        ax.set_yticks(range(0, 101, 20))
        ax.set_ylabel("%")
        ax.legend(fontsize=8, loc="upper left", ncols=2)

    series = [("Nu", [summary.get(k) for k in CHART_METRICS])]
    if previous:
        series.insert(0, ("Vorige meting", [previous.get(k) for k in CHART_METRICS]))
    bars(left, series, [labels[k] + (" (lager is beter)" if k == "false_refusal_rate" else "") for k in CHART_METRICS])
    left.set_title("Hoofdmaten")

    series = [("Dit project", [_get(summary, f"evidence_hit_at.{k}") for k in HIT_AT])]
    if summary.get("baseline"):
        series.append(("Baseline (llama-index-standaard)", [_get(summary["baseline"], f"evidence_hit_at.{k}") for k in HIT_AT]))
    bars(right, series, [f"top {k}" for k in HIT_AT])
    right.set_title("Bewijs gevonden in de top k")
    fig.savefig(path, dpi=110)


def write_report(summary: dict, failures: list[dict], reports_dir: Path) -> str:
    """Write the dated and `latest` report, summary and chart; return the Markdown."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    # the previous run here, else the summary committed with the project
    latest = next((p for p in (reports_dir / "latest.json", reports_dir / "baseline-summary.json") if p.exists()), None)
    previous = json.loads(latest.read_text(encoding="utf-8")) if latest else None
    now = time.localtime()
    stamp = time.strftime("%Y%m%d-%H%M%S", now)
    saved = {**summary, "generated_at": time.strftime("%Y-%m-%d %H:%M:%S", now)}

    overall = [[label, _fmt(_get(summary, key), unit)] for key, label, _, _, unit in METRICS]
    lines = [
        f"# Evaluatierapport {saved['generated_at']}",
        "",
        "Elke vraag uit `evals/set.jsonl` is aan de assistent gesteld; het antwoord is automatisch beoordeeld. "
        "Percentages tellen alleen de vragen waarvoor een maat geldt (anders: n.v.t.).",
        "",
        "## Wat de maten betekenen",
        "",
        *(f"- **{label}** (`{key}`): {text}" for key, label, text, _, _ in METRICS),
        "",
        "## Overzicht",
        "",
        *_table(["Maat", "Waarde"], overall),
        "",
        "![grafiek](latest.png)",
        "",
        "## Vergelijking met de vorige meting",
        "",
        *_comparison(previous, summary),
        "",
        "## Vergelijking met een standaardopzet (baseline)",
        "",
        *_baseline(summary),
        "",
        "## Per soort vraag",
        "",
        *_groups(summary.get("by_kind", {}), _kind),
        "",
        "## Per bron",
        "",
        *_groups(summary.get("by_source", {}), lambda s: f"`{s}`"),
        "",
        f"## Mislukte vragen ({len(failures)})",
        "",
    ]
    for f in failures:
        lines += _failure(f)
    if not failures:
        lines += ["Geen.", ""]
    text = "\n".join(lines)

    _chart(summary, previous, reports_dir / "latest.png")
    data = json.dumps(saved, ensure_ascii=False, indent=2)
    for name, content in ((f"report-{stamp}.md", text), ("latest.md", text), (f"summary-{stamp}.json", data), ("latest.json", data)):
        (reports_dir / name).write_text(content, encoding="utf-8")
    return text

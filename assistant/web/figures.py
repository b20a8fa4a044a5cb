"""The "Cijfers" tab: each table the sources hold (the GI-monitor) as the source has it, and its
course per peildatum as a chart whose text alternative is that table."""
from __future__ import annotations

import base64
import io

import gradio as gr
from matplotlib.figure import Figure as PlotFigure
from matplotlib.ticker import FuncFormatter

from ..answer import Assistant
from ..dutch import format_date, parse_date, parse_number
from ..export import kind_label
from ..types import Section, Source
from .cards import _chat, _text

LINE = "#1d4ed8"  # blue 700: 6.7:1 on the white of the chart


def table_html(source: Source, section: Section, body: str | None, table_id: str) -> str:
    """The table with row and column headers, in a box that scrolls sideways on a phone (a data
    table may; the text around it does not), its source below it, and the document text behind
    a click. The caption (the heading above it, for a screen reader) scrolls with the table, the
    source does not."""
    table = section.table
    when = f"{kind_label(source.kind)}, {format_date(source.date)}"
    where = f"{source.title} ({when}), paragraaf “{section.label}”"
    head = "".join(f"<th scope='col'>{_text(h)}</th>" for h in table.header)
    rows = "".join(
        f"<tr><th scope='row'>{_text(label)}</th>"
        + "".join(f"<td title='Bron: {_text(where)}'>{_text(cell)}</td>" for cell in cells)
        + "</tr>"
        for label, cells in table.rows
    )
    text = (f"<details><summary>Bekijk de tekst in het document</summary><div class='paragraaf' tabindex='0' "
            f"role='region' aria-label='Tekst in het document'>{_text(body.strip())}</div></details>") if body else ""
    return (f"<div class='cijfers' data-source-id='{_text(source.id)}'>"
            f"<div class='tabel' tabindex='0' role='region' aria-label='Tabel {_text(section.label)}'>"
            f"<table id='{table_id}' aria-describedby='{table_id}-bron'>"
            f"<caption class='sr-only'>{_text(section.label)}</caption>"
            f"<thead><tr><th scope='col'>Peildatum</th>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
            f"<p class='tabel-bron' id='{table_id}-bron'>Bron van alle waarden: {_text(where)}</p>{text}</div>")


def table_plot(section: Section) -> PlotFigure:
    """One small line chart per row (the rows differ too much in scale to share an axis),
    each point labelled with the value exactly as the source writes it."""
    table = section.table
    dates = [parse_date(h) for h in table.header]
    xs = dates if all(dates) else list(range(len(table.header)))
    fig = PlotFigure(figsize=(9, 2.4 * len(table.rows)), layout="constrained")
    axes = fig.subplots(len(table.rows), 1, sharex=True, squeeze=False)[:, 0]
    dutch = FuncFormatter(lambda v, _: f"{v:,.0f}".replace(",", ".") if v >= 1000 else f"{v:g}".replace(".", ","))
    for ax, (label, cells) in zip(axes, table.rows):
        points = [(x, parse_number(c), c) for x, c in zip(xs, cells) if parse_number(c) is not None]
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", color=LINE)
        for x, y, cell in points:
            ax.annotate(cell, (x, y), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=9, color="black")
        ax.set_title(label, fontsize=10, loc="left", color="black")
        ax.yaxis.set_major_formatter(dutch)
        ax.tick_params(colors="black", labelsize=9)
        ax.margins(y=0.3)
        ax.grid(alpha=0.3)
    axes[-1].set_xticks(xs, table.header, rotation=0, fontsize=9)
    axes[-1].set_xlabel("Peildatum", color="black")
    return fig


def chart_html(section: Section, table_id: str) -> str:
    """The chart as an image whose text alternative names the table that holds every value."""
    buffer = io.BytesIO()
    table_plot(section).savefig(buffer, format="png", dpi=100)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    rows = ", ".join(label for label, _ in section.table.rows)
    alt = (f"Lijngrafieken van het verloop per peildatum ({section.table.header[0]} tot "
           f"{section.table.header[-1]}) van: {rows}. Alle waarden staan in de tabel hierboven.")
    return (f"<figure class='grafiek'><img src='data:image/png;base64,{data}' alt='{_text(alt)}' "
            f"aria-describedby='{table_id}'><figcaption>Grafiek bij de tabel “{_text(section.label)}”; "
            "de tabel geeft dezelfde waarden als tekst.</figcaption></figure>")


def build(assistant: Assistant) -> None:
    """The tab, inside the current Blocks."""
    with gr.Tab("Cijfers", id="cijfers"):
        gr.Markdown("## Cijfers uit de GI-monitor\nDe tabel zoals die in de bron staat, en het verloop per peildatum.")
        tables = assistant.tables()
        if not tables:
            gr.Markdown("Er zijn geen tabellen in de bronnen gevonden.")
        for i, (source, section) in enumerate(tables, 1):
            found = assistant.section(source.id, section.label)
            table_id = f"cijfertabel-{i}"
            gr.Markdown(f"### {_chat(section.label)}")
            gr.HTML(table_html(source, section, found[1] if found else None, table_id), js_on_load=None)
            gr.Markdown("#### Verloop per peildatum")
            gr.HTML(chart_html(section, table_id), js_on_load=None)

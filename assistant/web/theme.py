"""How the page looks: theme, CSS and Gradio's own labels in Dutch.

Colours meet WCAG 2.1 AA in the light and the dark scheme: text at least 4.5:1 against its
background, borders of controls and the focus ring at least 3:1. The layout reflows down to
320 CSS pixels (a phone, or 200% zoom) without scrolling text sideways.
"""
from __future__ import annotations

import gradio as gr

# System fonts: the default themes fetch Google Fonts, which a closed network cannot reach.
# Indigo 700/800 instead of Soft's 500, and gray 600 for subdued text: Soft's own shades give
# 3.6:1 to 4.5:1 (measured with axe-core).
THEME = gr.themes.Soft(font=["system-ui", "Segoe UI", "Helvetica", "Arial", "sans-serif"],
                       font_mono=["ui-monospace", "Consolas", "monospace"]).set(
    body_text_color_subdued="*neutral_600",
    body_text_color_subdued_dark="*neutral_300",
    block_label_text_color="*primary_700",
    block_title_text_color="*primary_700",
    color_accent="*primary_700",
    link_text_color="*primary_700",
    link_text_color_dark="*primary_300",
    link_text_color_visited="*primary_800",
    link_text_color_visited_dark="*primary_200",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_dark="*primary_700",
    button_primary_background_fill_hover_dark="*primary_800",
    checkbox_label_background_fill_selected="*primary_700",
    checkbox_label_background_fill_selected_dark="*primary_700",
    checkbox_background_color_selected="*primary_700",
    checkbox_border_color="*neutral_500",
    checkbox_border_color_dark="*neutral_400",
    input_border_width="1px",  # Soft has none: a text box is told apart by a 3:1 border
    input_border_color="*neutral_500",
    input_border_color_dark="*neutral_400",
    input_placeholder_color="*neutral_500",
    input_placeholder_color_dark="*neutral_400",
)

# Gradio's own labels in Dutch. The page script (page.js) makes Gradio choose Dutch whatever
# language the browser asks for; English is the fallback for keys Gradio's Dutch lacks.
_DUTCH = {"chatbot.copy_message": "Bericht kopiëren", "chatbot.copied_message": "Bericht gekopieerd",
          "chatbot.clear": "Gesprek wissen"}
I18N = gr.I18n(en=_DUTCH, nl=_DUTCH)

FOCUS = "#1e40af"  # blue 800: 8.7:1 on white; the dark scheme uses a light ring
CSS = f"""
/* The theme's accent has no dark variant: indigo 700 on light (set above), indigo 300 on dark. */
.dark, .dark .gradio-container, .gradio-container.dark {{ --color-accent: #a5b4fc; }}
.sr-only {{ position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
           clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }}
/* A clear focus ring on everything that takes focus, also where Gradio turns the outline off. */
.gradio-container :focus-visible, .gradio-container textarea:focus, .gradio-container input:focus-visible {{
    outline: 3px solid {FOCUS} !important; outline-offset: 2px !important; }}
.dark .gradio-container :focus-visible, .dark .gradio-container textarea:focus,
.gradio-container.dark :focus-visible, .gradio-container.dark textarea:focus {{ outline-color: #93c5fd !important; }}
/* Long words and addresses wrap instead of pushing the page wider than a phone. */
.gradio-container .message-content, .bron, .paragraaf, .modus, .vraag {{ overflow-wrap: anywhere; }}
.modus {{ padding: .6rem .9rem; border-radius: 8px; border: 1px solid var(--border-color-primary); }}
.modus-model {{ background: var(--color-accent-soft); }}
.modus-citaat {{ background: var(--block-background-fill); border-left: 4px solid #b45309; }}
.modus .uitleg {{ display: block; margin-top: .25rem; font-size: .92em; }}
.bronnen h2, .kop-klein {{ margin: 0 0 .5rem 0; font-size: 1.05rem; }}
.bronnen .vraag {{ color: var(--body-text-color-subdued); font-size: .9em; margin: 0 0 .6rem 0; }}
.bron {{ border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .8rem; margin-bottom: .7rem;
        background: var(--block-background-fill); }}
.bron .bron-kop {{ font-weight: 600; font-size: 1em; margin: 0; }}
.bron-nr {{ display: inline-block; min-width: 2.2em; color: var(--color-accent); }}
.bron-meta {{ font-size: .88em; color: var(--body-text-color-subdued); margin: .2rem 0 .4rem 0; }}
.bron-sectie {{ font-weight: 600; color: var(--body-text-color); }}
.bron blockquote {{ margin: .3rem 0; padding: .3rem .6rem; border-left: 3px solid var(--border-color-primary);
                   font-size: .93em; line-height: 1.45; }}
.bron mark, .paragraaf mark {{ background: #fde68a; color: #111; padding: 0 .1em; outline: 1px solid #92400e; }}
.gradio-container details summary {{ cursor: pointer; font-size: .9em; color: var(--color-accent); }}
.meer-cijfers summary h4 {{ display: inline; }}
.paragraaf {{ white-space: pre-line; font-size: .9em; line-height: 1.45; max-height: 24rem; overflow-y: auto;
             padding: .4rem .6rem; border: 1px dashed var(--border-color-primary); border-radius: 6px; margin-top: .3rem; }}
.melding {{ border-radius: 8px; padding: .5rem .8rem; margin-bottom: .7rem; border: 1px solid #b45309;
           background: rgba(217, 119, 6, .08); }}
.leeg {{ color: var(--body-text-color-subdued); }}
/* The download buttons, also while off or while Gradio updates them (it fades them, to 4:1): full text colour. */
.gradio-container #download-word, .gradio-container #download-md {{ opacity: 1 !important; color: var(--body-text-color) !important; }}
.tabel {{ overflow-x: auto; max-width: 100%; }}
.cijfers table {{ border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }}
.cijfers th, .cijfers td {{ border: 1px solid var(--border-color-primary); padding: .35rem .55rem; text-align: right; }}
/* in what is counted and the source a long compound ("jeugdreclasseringsmaatregelen") may break, so the table fits */
.cijfers th[scope='row'], .cijfers td:last-child {{ overflow-wrap: anywhere; }}
.cijfers th:first-child, .cijfers td:first-child {{ text-align: left; }}
.tabel-bron {{ font-size: .88em; margin: .4rem 0; color: var(--body-text-color-subdued); }}
@media (max-width: 480px) {{ h1 {{ font-size: 1.4rem !important; }} }}
.grafiek img {{ max-width: 100%; height: auto; background: white; }}
.notitie h3 {{ font-size: 1.05rem; margin: 1rem 0 .4rem 0; }}
.notitie h4 {{ font-size: .98rem; margin: .6rem 0 .3rem 0; }}
.notitie .cijfers th[scope='row'] {{ text-align: left; font-weight: normal; }}
.notitie .suggestie {{ border-left: 4px solid #b45309; padding-left: .6rem; }}
.document {{ border: 1px solid var(--border-color-primary); border-radius: 8px; padding: .6rem .8rem; margin-bottom: .7rem;
             background: var(--block-background-fill); overflow-wrap: anywhere; }}
.waarschuwingen {{ margin: .3rem 0; padding-left: 1.2rem; }}
.secties {{ border-collapse: collapse; width: 100%; font-size: .9em; }}
.secties th, .secties td {{ border: 1px solid var(--border-color-primary); padding: .25rem .5rem; text-align: left; }}
.voortgang progress {{ width: 100%; height: 1rem; accent-color: #1d4ed8; }}
.index-status {{ font-size: .9em; color: var(--body-text-color-subdued); }}
.grafiek figcaption {{ font-size: .88em; color: var(--body-text-color-subdued); }}
"""

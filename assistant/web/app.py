"""The page as a whole: header, mode banner and the tabs, and the server that shows it
(password, queue, Dutch page, login limit, clean-up of downloads)."""
from __future__ import annotations

import sys
import time

import gradio as gr
from starlette.middleware import Middleware

from ..answer import Assistant
from ..config import LOOPBACK_HOSTS
from ..export import TITLE
from . import ask, briefing, conversations, documents, figures
from .cards import mode_html
from .middleware import BrowserId, DutchPage, LoginLimit
from .theme import CSS, I18N, THEME

EXIT_INPUT, EXIT_UNAVAILABLE = 2, 3
# Visitors answered at the same time. A model works elsewhere (Ollama queues its own requests) and the
# answer without it comes first, so a slow or hanging model must not keep other visitors in the queue.
CONCURRENT_ANSWERS = 16


def build_app(assistant: Assistant, host: str | None = None) -> gr.Blocks:
    """`host`: the address the page listens on (who may change the documents depends on it)."""
    ttl = assistant.settings.download_ttl
    # Gradio keeps its own copy of every download: `delete_cache` removes those older than the
    # lifetime, checked four times per lifetime.
    with gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(max(1, ttl // 4), ttl)) as app:
        gr.Markdown(f"# {TITLE}\nStel een vraag over de jeugdbescherming in Nederland. Elk antwoord komt uit openbare "
                    "documenten van inspecties en ministeries, met letterlijke citaten die u kunt controleren.")
        mode = gr.HTML(mode_html(assistant), elem_id="modus", js_on_load=None)
        keeper = conversations.Keeper(assistant)
        page = ask.build(assistant, mode, keeper.save)
        figures.build(assistant)
        briefing.build(assistant, page.downloads)
        documents.build(assistant, page, app, host or assistant.settings.host)
        conversations.build(keeper, page, app)
        app.load(lambda: mode_html(assistant), None, mode).then(page.refresh_filter, *page.filter)
    return app


def _auth(auth: str, host: str) -> tuple[tuple[str, str] | None, str | None]:
    """(credentials, Dutch error): off the loopback a password is required unless explicitly off."""
    if auth == "off":
        return None, None
    if auth:
        user, sep, password = auth.partition(":")
        if not (sep and user and password):
            return None, "ASSISTANT_AUTH moet de vorm gebruiker:wachtwoord hebben (of 'off')."
        return (user, password), None
    if host not in LOOPBACK_HOSTS:
        return None, (f"De pagina zou luisteren op {host}, dus bereikbaar voor anderen, maar er is geen wachtwoord "
                      "ingesteld. Zet ASSISTANT_AUTH=gebruiker:wachtwoord, of ASSISTANT_AUTH=off als dat echt "
                      "zonder wachtwoord mag, of luister alleen op 127.0.0.1.")
    return None, None


def serve(assistant: Assistant, host: str | None = None, port: int | None = None) -> int:
    """Start the page; blocks until stopped. 2 for a refused setup, 3 when the port is taken."""
    settings = assistant.settings
    host, port = host or settings.host, port or settings.port
    credentials, problem = _auth(settings.auth, host)
    if problem:
        print(f"Fout: {problem}", file=sys.stderr, flush=True)
        return EXIT_INPUT
    app = build_app(assistant, host)
    app.queue(default_concurrency_limit=CONCURRENT_ANSWERS)
    try:
        app.launch(server_name=host, server_port=port, auth=credentials, auth_message="Log in om vragen te stellen.",
                   quiet=True, show_error=False, footer_links=[], run_history=False, ssr_mode=False,
                   prevent_thread_lock=True, css=CSS, theme=THEME, i18n=I18N,
                   app_kwargs={"middleware": [Middleware(DutchPage), Middleware(BrowserId), Middleware(LoginLimit)]})
    except OSError as exc:
        print(f"Fout: de pagina kan niet starten op {host}:{port} ({exc}). Kies een andere poort met --port.",
              file=sys.stderr, flush=True)
        return EXIT_UNAVAILABLE
    shown = f"[{host}]" if ":" in host else host
    print(f"De assistent draait op http://{shown}:{port}  (stoppen met Ctrl+C)", file=sys.stderr, flush=True)
    try:  # Ctrl+C reaches the CLI, which says "Afgebroken." in Dutch
        while app.is_running:
            time.sleep(0.2)
    finally:
        app.close(verbose=False)
    return 0

"""The web page: a Gradio page over `Assistant`, one module per tab (`ask`, `figures`), what
the tabs share (`cards`, `theme`) and the server around them (`app`, `middleware`).

Presentation only: every answer comes from `Assistant`. Whatever a user types or a source
contains is escaped before it is shown, so nothing from outside can run in the browser.
"""
from .app import build_app, serve

__all__ = ["build_app", "serve"]

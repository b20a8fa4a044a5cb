"""Downloads that expire: one fresh folder per file, so two visitors never get each other's file,
and every folder older than the download lifetime (ASSISTANT_DOWNLOAD_TTL) removed at the next
download, so they do not pile up. Gradio's own copies go by `delete_cache` (see app.py). Every tab
that offers a file writes it through one `Downloads`."""
from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from pathlib import Path


class Downloads:
    def __init__(self, ttl: int, prefix: str = "jeugdbescherming-"):
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self.ttl = ttl

    def write(self, name: str, data: str | bytes) -> Path:
        """A new file `name` with `data` (text as UTF-8), after the expired ones are gone."""
        self.expire()
        folder = self.root / uuid.uuid4().hex
        folder.mkdir()
        path = folder / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def expire(self, now: float | None = None) -> None:
        limit = (time.time() if now is None else now) - self.ttl
        for folder in self.root.iterdir():
            try:
                if folder.stat().st_mtime < limit:
                    shutil.rmtree(folder)
            except FileNotFoundError:  # another visitor's download removed it first
                continue

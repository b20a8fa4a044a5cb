"""Accessibility checks for the browser tests, for every tab: axe-core over the page as it
stands, failing on any violation of WCAG 2.0/2.1 level A or AA, and the checks axe cannot make
(the page's language, reflow to a phone's width, what a live region announces).

axe-core comes from the `axe-playwright-python` package (MIT; it bundles axe.min.js, MPL-2.0),
so nothing is downloaded while the tests run. Each run's findings go to tests/artifacts/axe/.

    from a11y import assert_accessible
    assert_accessible(page, "vragen-na-antwoord-citaatmodus")
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import axe_playwright_python

AXE_SCRIPT = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RESULTS = Path(__file__).resolve().parent / "artifacts" / "axe"


def axe_version(page) -> str:
    _inject(page)
    return page.evaluate("axe.version")


def _inject(page) -> None:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)


def axe_violations(page, selector: str | None = None) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page (or the part `selector` names)."""
    _inject(page)
    return page.evaluate(
        """([selector, tags]) => axe.run(selector ? document.querySelector(selector) : document,
                                           {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
                                  .then(r => r.violations)""",
        [selector, WCAG_A_AA],
    )


def report(violations: list[dict]) -> str:
    """One line per rule with its impact and help, then each failing element and why."""
    lines = []
    for v in violations:
        criteria = ", ".join(t for t in v["tags"] if t.startswith("wcag"))
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{criteria}]")
        for node in v["nodes"][:10]:
            why = "; ".join(c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", []))
            lines.append(f"    {' '.join(map(str, node['target']))}: {why}")
    return "\n".join(lines)


def assert_accessible(page, context: str, selector: str | None = None) -> None:
    """Fail on any WCAG 2.0/2.1 A or AA violation axe-core finds; `context` names the state of
    the page (tab, mode, after what) in the failure and in tests/artifacts/axe/<context>.json."""
    violations = axe_violations(page, selector)
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w-]+", "-", context).strip("-")
    (RESULTS / f"{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not violations, (f"axe-core {axe_version(page)}, {context}: {len(violations)} regels geschonden\n"
                            f"{report(violations)}")


def record_announcements(page, selector: str) -> None:
    """From now on, note each text the live region `selector` gets (see `announcements`)."""
    page.evaluate("""selector => {
        window.__spoken = [];
        const region = document.querySelector(selector);
        new MutationObserver(() => { const t = region.innerText.trim(); if (t) window.__spoken.push(t); })
            .observe(region, {subtree: true, childList: true, characterData: true});
    }""", selector)


def announcements(page) -> list[str]:
    """The distinct texts a screen reader was given since `record_announcements`, in order."""
    return list(dict.fromkeys(page.evaluate("window.__spoken")))


def assert_dutch(page) -> None:
    """The page says it is Dutch, so a screen reader speaks it with Dutch pronunciation."""
    assert page.evaluate("document.documentElement.lang") == "nl"


def assert_reflows(page, context: str) -> None:
    """No sideways scrolling of the page at the current width (WCAG 1.4.10): nothing sticks out
    past the viewport except inside a box that scrolls by itself (a data table may)."""
    wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        if (document.documentElement.scrollWidth <= width + 1) return [];
        return [...document.querySelectorAll('body *')].filter(e => {
            const r = e.getBoundingClientRect();
            if (r.width === 0 || r.right <= width + 1) return false;
            for (let p = e.parentElement; p; p = p.parentElement) {
                const s = getComputedStyle(p);
                if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && p.clientWidth <= width) return false;
            }
            return true;
        }).slice(0, 10).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className);
    }""")
    assert not wide, f"{context}: de pagina schuift zijwaarts op {page.viewport_size['width']} px: {wide}"

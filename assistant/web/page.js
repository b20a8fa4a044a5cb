// The page script: inlined at the top of <head> by middleware.DutchPage, so it runs before
// Gradio's own scripts. It fills what Gradio's markup lacks for a screen reader or keyboard.
(() => {
  // The page is Dutch whatever language the browser asks for: Gradio picks its interface
  // language, and sets <html lang> to it, from navigator.language.
  Object.defineProperty(navigator, "language", { get: () => "nl-NL" });
  Object.defineProperty(navigator, "languages", { get: () => ["nl-NL", "nl"] });

  const fix = () => {
    // Gradio's chat log is a live region: a screen reader would read every streamed piece.
    // The finished answer is read from the tab's announcement instead.
    for (const log of document.querySelectorAll("#gesprek [role=log]")) {
      log.setAttribute("aria-live", "off");
      log.setAttribute("aria-label", "Gesprek");
    }
    // Each message is a named group in Dutch (Gradio puts an English aria-label on a plain div).
    for (const [who, name] of [["user", "Vraag"], ["bot", "Antwoord"]]) {
      for (const message of document.querySelectorAll(`#gesprek [data-testid=${who}]`)) {
        if (message.getAttribute("aria-label") !== name) message.setAttribute("aria-label", name);
        message.setAttribute("role", "group");
      }
    }
    // A tab's announcement (cards.live_region) is a polite live region.
    for (const announce of document.querySelectorAll(".aankondiging")) {
      if (announce.getAttribute("aria-live") !== "polite") {
        announce.setAttribute("role", "status");
        announce.setAttribute("aria-live", "polite");
      }
    }
    // On a narrow screen Gradio folds the last tabs into a menu behind an English label.
    for (const more of document.querySelectorAll('.overflow-menu > button[aria-label="More tabs"]')) {
      more.setAttribute("aria-label", "Meer tabbladen");
    }
    // The upload box is a button with an English name.
    for (const upload of document.querySelectorAll('button[aria-label="Click to upload or drop files"]')) {
      upload.setAttribute("aria-label", "Bestand kiezen of hierheen slepen");
    }
    // An accordion's button says whether it is open; its arrow is decoration.
    for (const button of document.querySelectorAll(".gr-accordion > button.label-wrap")) {
      const content = button.nextElementSibling;
      const open = !!content && content.style.display !== "none";
      if (button.getAttribute("aria-expanded") !== String(open)) button.setAttribute("aria-expanded", String(open));
      button.querySelector(".icon")?.setAttribute("aria-hidden", "true");
    }
  };
  let queued = false;
  const later = () => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(() => { queued = false; fix(); });
    }
  };
  new MutationObserver(later).observe(document, { subtree: true, childList: true, attributes: true,
                                                  attributeFilter: ["style", "aria-label"] });

  // Too many login attempts: the server answers 429 with a Dutch message, which Gradio's login
  // form does not show. Show it, and have a screen reader say it.
  const fetch = window.fetch;
  window.fetch = async (...args) => {
    const response = await fetch(...args);
    const url = String(args[0] instanceof Request ? args[0].url : args[0]);
    if (response.status === 429 && /\/login\/?$/.test(new URL(url, location.href).pathname)) {
      const detail = (await response.clone().json().catch(() => ({}))).detail;
      let note = document.querySelector("#inlog-melding");
      if (!note) {
        note = document.createElement("p");
        note.id = "inlog-melding";
        note.setAttribute("role", "alert");
        note.style.cssText = "margin:1rem auto;max-width:30rem;padding:.6rem .9rem;border:2px solid #b91c1c;"
          + "border-radius:8px;background:#fef2f2;color:#7f1d1d;font-family:system-ui,sans-serif";
        document.body.prepend(note);
      }
      note.textContent = detail || "Te veel inlogpogingen. Probeer het over een minuut opnieuw.";
    }
    return response;
  };
})();

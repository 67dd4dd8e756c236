/* factmark: notes that keep the reader's place.

   Without this script every marker is a link to its entry in the Annotations list and the entry links
   back: each annotation's words are on the page once, there. The script fills the notes from those
   entries (so no note markup is repeated in the page, and none enters the text that W3C selectors
   count): sidenotes in the margin of wide screens, a card on medium ones that the pointer can travel
   into and that stays until the pointer leaves, Escape or focus moves (WCAG 1.4.13), and a bottom sheet
   on phones that keeps the page where it was. notes.css chooses among them (the text's --fm-notes);
   the script only checks that a margin has room for the notes. Clicking a highlighted passage opens
   its note as clicking the marker does. */
(function () {
  "use strict";
  var text = document.getElementById("fm--text");
  if (!text || !text.querySelector("a.fm-marker")) { return; }
  var STRINGS = {
    en: { sources: "Sources", more: "Full note and sources", close: "Close" },
    es: { sources: "Fuentes", more: "Nota completa y fuentes", close: "Cerrar" }
  };
  var words = STRINGS[(document.documentElement.lang || "en").slice(0, 2).toLowerCase()] || STRINGS.en;
  var CLOSE_DELAY = 300; // ms for the pointer to cross from a marker into its card before it closes
  var GAP = 6; // px between the line being read and its card
  var EDGE = 8; // px a card keeps from the window's edges
  var box = document.createElement("div"); // the one open card or sheet
  box.className = "fm-pop";
  box.id = "fm-pop";
  box.hidden = true;
  box.tabIndex = -1;
  box.setAttribute("role", "dialog");
  document.body.appendChild(box);
  var open = null; // {id, marker, pinned}: pinned notes hold focus and their links are tab stops
  var margin = null; // the sidenotes, on wide screens
  var active = null; // {id, pinned}: the sidenote being read
  var closeTimer = 0;
  var lastPointer = "mouse";
  var returning = false; // focus goes back to a marker: that is no request to open its card

  function markerOf(id) { return document.getElementById("fm-" + id + "--ref"); }

  function rem() { return parseFloat(getComputedStyle(document.documentElement).fontSize) || 16; }

  /* "margin", "card" or "sheet", as notes.css says; a margin too narrow for the notes gives cards. */
  function mode() {
    var chosen = getComputedStyle(text).getPropertyValue("--fm-notes").trim() || "card";
    if (chosen !== "margin") { return chosen; }
    var room = document.documentElement.clientWidth - text.getBoundingClientRect().right;
    return room >= 21 * rem() ? "margin" : "card";
  }

  function element(tag, cls) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    return node;
  }

  /* A copy of part of the entry, without its ids (they stay the entry's own). */
  function copy(node) {
    var clone = node.cloneNode(true);
    clone.removeAttribute("id");
    clone.querySelectorAll("[id]").forEach(function (e) { e.removeAttribute("id"); });
    return clone;
  }

  function statusClass(marker) {
    return Array.prototype.filter.call(marker.classList, function (c) {
      return c !== "fm-marker" && c.indexOf("fm-") === 0;
    }).join(" ");
  }

  /* The note of annotation `id`, read from its entry: number, verdict, summary, sources, a link to the entry
     (in a sidenote the number is that link too: the line "Full note" shows only on the one being read). */
  function content(id, side) {
    var entry = document.getElementById("fm-" + id);
    var marker = markerOf(id);
    var out = document.createDocumentFragment();
    var head = element("p", "fm-note-head");
    var number = element(side ? "a" : "span", "fm-note-n");
    if (side) { number.href = "#fm-" + id; }
    number.textContent = marker.getAttribute("data-n");
    head.appendChild(number);
    var badge = entry.querySelector(".fm-badge");
    if (badge) {
      var verdict = copy(badge);
      var last = verdict.lastChild;
      if (last && last.nodeType === 3) { last.nodeValue = last.nodeValue.replace(/:\s*$/, ""); }
      head.appendChild(verdict);
    }
    out.appendChild(head);
    var summary = entry.querySelector(".fm-summary");
    if (summary) {
      var line = element("p", "fm-note-summary");
      line.appendChild(copy(summary));
      out.appendChild(line);
    }
    var list = element("ul", "fm-note-sources");
    entry.querySelectorAll(".fm-source").forEach(function (source) {
      var link = source.querySelector("a[href]");
      if (!link) { return; }
      var item = element("li");
      item.appendChild(copy(link));
      var publisher = source.querySelector(".fm-publisher");
      if (publisher && link.textContent.indexOf(publisher.textContent.trim()) < 0) {
        item.appendChild(document.createTextNode(", "));
        item.appendChild(copy(publisher));
      }
      list.appendChild(item);
    });
    if (list.children.length) {
      var label = element("p", "fm-note-label");
      label.textContent = words.sources;
      out.appendChild(label);
      out.appendChild(list);
    }
    var more = element("p", "fm-note-more");
    var to = element("a");
    to.href = "#fm-" + id;
    to.textContent = words.more;
    more.appendChild(to);
    out.appendChild(more);
    return out;
  }

  function links(node) { return Array.prototype.slice.call(node.querySelectorAll("a[href], button")); }

  /* The line being read: the passage's line where its marker sits (or the line clicked). */
  function lineOf(marker) {
    var line = marker.getBoundingClientRect();
    var ref = marker.closest(".fm-ref");
    var before = ref && ref.previousElementSibling;
    var rects = before && before.matches("mark.fm-hl") ? before.getClientRects() : [];
    var end = rects.length ? rects[rects.length - 1] : null;
    if (end && end.top < line.bottom && end.bottom > line.top) {
      return { top: Math.min(end.top, line.top), bottom: Math.max(end.bottom, line.bottom), left: line.left };
    }
    return { top: line.top, bottom: line.bottom, left: line.left };
  }

  /* Put the card below the line, or above it near the bottom edge; always inside the window. */
  function place(line) {
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    box.style.left = "0px";
    box.style.top = "0px";
    box.style.maxHeight = "";
    box.style.maxWidth = (width - 2 * EDGE) + "px";
    var origin = box.getBoundingClientRect();
    var below = height - line.bottom - GAP - EDGE;
    var above = line.top - GAP - EDGE;
    var tall = origin.height;
    var top;
    if (tall <= below || (tall > above && below >= above)) {
      if (tall > below) { box.style.maxHeight = Math.max(below, 0) + "px"; }
      top = line.bottom + GAP;
    } else {
      if (tall > above) { box.style.maxHeight = above + "px"; tall = above; }
      top = line.top - GAP - tall;
    }
    var left = Math.max(EDGE, Math.min(line.left - 2 * rem(), width - origin.width - EDGE));
    box.style.left = (left - origin.left) + "px";
    box.style.top = (top - origin.top) + "px";
  }

  function reachable(node, yes) {
    links(node).forEach(function (a) { if (yes) { a.removeAttribute("tabindex"); } else { a.tabIndex = -1; } });
  }

  /* Open annotation `id`'s card (or sheet); `pinned` when asked for by a click or tap, not by hover or focus. */
  function show(id, pinned, line) {
    clearTimeout(closeTimer);
    var marker = markerOf(id);
    var sheet = mode() === "sheet";
    var fresh = !open || open.id !== id;
    if (fresh) {
      hide(false);
      box.replaceChildren(content(id, false));
      box.className = "fm-pop " + statusClass(marker) + (sheet ? " fm-pop-sheet" : " fm-pop-card");
      box.setAttribute("aria-label", marker.getAttribute("aria-label"));
      box.setAttribute("data-fm", id);
      if (sheet) {
        var close = element("button", "fm-pop-close");
        close.type = "button";
        close.textContent = "×";
        close.setAttribute("aria-label", words.close);
        close.addEventListener("click", function () { hide(true); });
        box.insertBefore(close, box.firstChild);
      }
      box.hidden = false;
      open = { id: id, marker: marker, pinned: false };
    }
    if (!fresh && !line) { // the pointer back on its marker: the note stays as and where it is
      pin(pinned);
      return;
    }
    if (sheet) { // as tall as its content up to 60 % of the window; stopping below the passage, or at
      // least below the line tapped, where a third of the window is left there
      var height = window.innerHeight;
      var lines = line || lineOf(marker);
      var room = height - lines.bottom - GAP;
      if (room < height / 3 && lines.tapped) { room = height - lines.tapped - GAP; }
      box.style.left = box.style.top = box.style.maxWidth = "";
      box.style.maxHeight = Math.min(0.6 * height, Math.max(room, height / 3)) + "px";
    } else {
      place(line || lineOf(marker));
    }
    pin(pinned || sheet);
  }

  /* A note asked for by a click or tap keeps focus, and its links become tab stops (once). */
  function pin(pinned) {
    if (open.pinned || !pinned) {
      reachable(box, open.pinned);
      return;
    }
    open.pinned = true;
    reachable(box, true);
    box.focus({ preventScroll: true });
  }

  /* Close the card; `back` returns focus to its marker (Escape, the sheet's close button). */
  function hide(back) {
    clearTimeout(closeTimer);
    if (!open) { return; }
    var marker = open.marker;
    open = null;
    box.hidden = true;
    box.replaceChildren();
    if (back) {
      returning = true;
      marker.focus({ preventScroll: true });
      returning = false;
    }
  }

  function later() {
    clearTimeout(closeTimer);
    closeTimer = setTimeout(function () {
      if (open && !open.pinned) { hide(false); }
      if (active && !active.pinned) { activate(null, false); }
    }, CLOSE_DELAY);
  }

  /* Sidenotes: one per marker, in the margin beside its line, pushed down below the one before it. */
  function layout() {
    if (mode() !== "margin") {
      if (margin) { margin.remove(); margin = null; active = null; }
      return;
    }
    hide(false);
    if (!margin) {
      margin = element("div", "fm-margin");
      margin.setAttribute("aria-hidden", "true"); // the marker and its entry say it all to a screen reader
      text.querySelectorAll("a.fm-marker").forEach(function (marker) {
        var id = marker.getAttribute("data-fm");
        var note = element("div", "fm-side " + statusClass(marker));
        note.setAttribute("data-fm", id);
        note.appendChild(content(id, true));
        reachable(note, false);
        margin.appendChild(note);
      });
      document.body.appendChild(margin);
    }
    var current = active;
    activate(null, false); // stacked at their resting height
    margin.classList.remove("fm-margin-dense");
    if (stack() > 4 * rem()) { // too many notes for their lines: one line of summary each
      margin.classList.add("fm-margin-dense");
      stack();
    }
    if (current) { activate(current.id, current.pinned); }
  }

  /* Place each shown sidenote beside its line or below the one before; how far the notes drifted, at most. */
  function stack() {
    var origin = margin.getBoundingClientRect();
    var left = text.getBoundingClientRect().right + 2 * rem() - origin.left;
    var bottom = -Infinity;
    var drift = 0;
    margin.querySelectorAll(".fm-side").forEach(function (note) {
      var marker = markerOf(note.getAttribute("data-fm"));
      note.hidden = !marker.getClientRects().length; // a verdict the filter hides
      if (note.hidden) { return; }
      var line = lineOf(marker).top - origin.top;
      var top = Math.max(line, bottom + GAP);
      note.setAttribute("data-line", line);
      note.setAttribute("data-top", top);
      note.style.left = left + "px";
      note.style.top = top + "px";
      bottom = top + note.offsetHeight;
      drift = Math.max(drift, top - line);
    });
    return drift;
  }

  /* Bring sidenote `id` forward, level with its line and with its sources (null: none); the notes
     pushed down by their neighbours drift from their lines, the one being read never does. `pinned`
     keeps it until Escape, a click elsewhere or focus moves. */
  function activate(id, pinned) {
    clearTimeout(closeTimer);
    if (!margin) { return; }
    margin.querySelectorAll(".fm-side.fm-active").forEach(function (note) {
      note.classList.remove("fm-active");
      note.style.top = note.getAttribute("data-top") + "px";
    });
    active = id === null ? null : { id: id, pinned: pinned || Boolean(active && active.id === id && active.pinned) };
    if (active) {
      var note = margin.querySelector('.fm-side[data-fm="' + id + '"]');
      note.classList.add("fm-active");
      note.style.top = note.getAttribute("data-line") + "px";
    }
  }

  function markerAt(target) {
    var marker = target.closest && target.closest("a.fm-marker");
    return marker && text.contains(marker) ? marker : null;
  }

  /* The lines a click on a passage asks to keep readable: from the line clicked to its marker's line,
     unless the passage runs so long that a card could not fit beside that much; then the line clicked. */
  function clickedLines(mark, event) {
    var hit = Array.prototype.find.call(mark.getClientRects(), function (r) {
      return event.clientY >= r.top && event.clientY <= r.bottom;
    });
    if (!hit) { return null; }
    var end = lineOf(markerOf(mark.getAttribute("data-fm")));
    if (end.bottom >= hit.top && end.bottom - hit.top <= window.innerHeight / 3) {
      return { top: Math.min(hit.top, end.top), bottom: end.bottom, left: event.clientX, tapped: hit.bottom };
    }
    return { top: hit.top, bottom: hit.bottom, left: event.clientX, tapped: hit.bottom };
  }

  document.addEventListener("pointerdown", function (event) { lastPointer = event.pointerType; }, true);

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") { return; }
    var marker = markerAt(event.target);
    var how = mode();
    if (marker) {
      if (how === "margin") { activate(marker.getAttribute("data-fm"), false); }
      else if (how === "card") { show(marker.getAttribute("data-fm"), false); }
      return;
    }
    if (box.contains(event.target) || (margin && active && margin.contains(event.target) &&
        event.target.closest(".fm-side").getAttribute("data-fm") === active.id)) {
      clearTimeout(closeTimer);
      return;
    }
    if ((open && !open.pinned && !open.marker.matches(":focus")) || (active && !active.pinned)) { later(); }
  });

  document.addEventListener("focusin", function (event) {
    if (returning) { return; }
    var marker = markerAt(event.target);
    var how = mode();
    if (marker && how === "margin") { activate(marker.getAttribute("data-fm"), true); return; }
    if (marker && how === "card") { show(marker.getAttribute("data-fm"), false); return; }
    if (open && !box.contains(event.target)) { hide(false); }
    if (active && active.pinned && !(margin && margin.contains(event.target))) { activate(null, false); }
  });

  document.addEventListener("click", function (event) {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    var how = mode();
    var marker = markerAt(event.target);
    if (marker) { // a link to the entry; on a phone or a touch screen it opens the note where it is
      if (how === "sheet" || (how === "card" && lastPointer === "touch")) {
        event.preventDefault();
        show(marker.getAttribute("data-fm"), true);
      } else {
        hide(false);
      }
      return;
    }
    var mark = event.target.closest("mark.fm-hl");
    var selecting = String(window.getSelection()) !== "";
    if (mark && text.contains(mark) && !event.target.closest("a[href]") && !selecting) {
      if (how === "margin") { activate(mark.getAttribute("data-fm"), true); }
      else { show(mark.getAttribute("data-fm"), true, clickedLines(mark, event)); }
      return;
    }
    if (box.contains(event.target)) {
      if (event.target.closest('a[href^="#"]')) { hide(false); } // on to the entry: the card's job is done
      return;
    }
    if (open) { hide(false); }
    var side = margin && event.target.closest(".fm-side");
    if (side && !event.target.closest("a[href]")) { activate(side.getAttribute("data-fm"), true); }
    else if (active && !side) { activate(null, false); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (open) { hide(open.pinned || box.contains(document.activeElement)); }
      if (active) { activate(null, false); }
      return;
    }
    if (event.key !== "Tab" || !open || !box.contains(document.activeElement)) { return; }
    var stops = links(box);
    var at = document.activeElement;
    if (!event.shiftKey && (at === stops[stops.length - 1] || !stops.length)) {
      hide(true); // focus is on the marker again: the Tab goes on from there, to the next marker
    } else if (event.shiftKey && (at === box || at === stops[0])) {
      event.preventDefault();
      hide(true);
    }
  });

  var queued = false;
  function relayout() {
    if (queued) { return; }
    queued = true;
    requestAnimationFrame(function () { queued = false; layout(); });
  }
  window.addEventListener("resize", function () { // a card stays only where it was put; a sheet stays a sheet
    if (open && !(box.classList.contains("fm-pop-sheet") && mode() === "sheet")) { hide(false); }
    relayout();
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "fm-filter") { relayout(); }
  });
  if (window.ResizeObserver) { new ResizeObserver(relayout).observe(text); }
  if (document.fonts) { document.fonts.ready.then(relayout); }
  layout();
})();

/* factmark: optional enhancement. Every note already opens on hover or focus with CSS alone;
   this only lets Escape close an open note card without moving focus (WCAG 1.4.13). */
(function () {
  "use strict";
  function clear() {
    document.querySelectorAll(".fm-ref.fm-dismissed").forEach(function (ref) { ref.classList.remove("fm-dismissed"); });
  }
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll(".fm-ref:hover, .fm-ref:focus-within").forEach(function (ref) {
      ref.classList.add("fm-dismissed");
    });
  });
  document.addEventListener("focusin", clear);
  document.addEventListener("mouseover", function (event) {
    if (!event.target.closest(".fm-dismissed")) { clear(); }
  });
})();

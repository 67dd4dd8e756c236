/* factmark: the verdict filter above a text keeps its choice in the page's address (?verdict=disputed), so a
   reload or a shared link shows the same verdict. Optional: without JavaScript the filter works with CSS alone
   (status-style.html) and every verdict is shown on arrival. */
(function () {
  "use strict";
  var PARAM = "verdict";
  var radios = document.querySelectorAll('.fm-filter input[name="fm-filter"]');
  if (!radios.length || !window.URLSearchParams || !window.history.replaceState) { return; }
  var wanted = new URLSearchParams(window.location.search).get(PARAM);
  radios.forEach(function (radio) {
    if (wanted && radio.value === wanted) { radio.checked = true; }
    radio.addEventListener("change", function () {
      var url = new URL(window.location.href);
      if (radio.value === "all") { url.searchParams.delete(PARAM); } else { url.searchParams.set(PARAM, radio.value); }
      window.history.replaceState(window.history.state, "", url.href);
    });
  });
})();

/* factmark: narrow MkDocs search results to annotations of one verdict.
   Each annotation is its own search section titled "<Verdict>: <summary>". */
(function () {
  "use strict";
  var select = document.getElementById("fm-search-status");
  if (!select || typeof window.displayResults !== "function") { return; }
  var params = new URLSearchParams(window.location.search);
  if (params.get("status")) { select.value = params.get("status"); }
  var show = window.displayResults;
  window.displayResults = function (results) {
    var verdict = select.value;
    show(verdict ? results.filter(function (r) { return r.title.indexOf(verdict + ":") === 0; }) : results);
  };
  select.addEventListener("change", function () { window.doSearch(); });
})();

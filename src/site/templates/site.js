// kdl site search: filters search.json (written beside the pages) by name,
// id or the start of a system's description. No network beyond that file, no library; results are built with
// textContent, so no catalog text is ever parsed as HTML. Without script
// the search page says so and the home page lists every page.
(function () {
  "use strict";
  var list = document.getElementById("search-results");
  var input = document.getElementById("q");
  if (!list || !input) { return; }
  var status = document.getElementById("search-status");
  var sv = document.documentElement.lang !== "en";
  var root = list.getAttribute("data-index").replace(/search\.json$/, "");
  var fold = function (s) { return s.toLowerCase().normalize("NFC"); };
  var show = function (index) {
    var q = fold(input.value.trim());
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!q) { status.textContent = ""; return; }
    var hits = index.entries.filter(function (e) {
      return fold(e.n).indexOf(q) !== -1 || fold(e.i).indexOf(q) !== -1 ||
        (e.d !== undefined && fold(e.d).indexOf(q) !== -1);
    });
    hits.slice(0, 200).forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      // `u` only where the page is not `kind/id.html` (an id that is not
      // a plain file name)
      a.href = root + (e.u || e.k + "/" + e.i + ".html");
      a.textContent = e.n;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" – " + (index.kinds[e.k] || e.k) + " "));
      var id = document.createElement("span");
      id.className = "id";
      id.textContent = e.i;
      li.appendChild(id);
      if (e.d) {
        var d = document.createElement("span");
        d.className = "desc";
        d.textContent = e.d;
        li.appendChild(d);
      }
      list.appendChild(li);
    });
    var n = hits.length;
    status.textContent = sv
      ? n + (n === 1 ? " träff" : " träffar") + (n > 200 ? " (de 200 första visas)" : "")
      : n + (n === 1 ? " result" : " results") + (n > 200 ? " (the first 200 shown)" : "");
  };
  var params = new URLSearchParams(window.location.search);
  input.value = params.get("q") || "";
  status.textContent = sv ? "Söker …" : "Searching …";
  fetch(list.getAttribute("data-index"))
    .then(function (r) { return r.json(); })
    .then(function (index) {
      show(index);
      input.addEventListener("input", function () { show(index); });
    })
    .catch(function () {
      status.textContent = sv
        ? "Sökindexet kunde inte läsas (sidor som öppnas som filer kan inte läsa det). Startsidan listar alla sidor."
        : "The search index could not be read (pages opened as files cannot read it). The home page lists every page.";
    });
})();

// The offline search of the ssreg site: reads this language's search-index.json and
// lists the pages whose words (in English, French and Spanish, accents folded) contain
// every word typed.  The rest of the site works without JavaScript.
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  if (!form) { return; }
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var index = null;

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function score(entry, words) {
    var title = fold(entry.t);
    return words.reduce(function (total, word) {
      return total + (title.indexOf(word) >= 0 ? 2 : 0);
    }, 0);
  }

  function show(query) {
    var words = fold(query).split(/\s+/).filter(Boolean);
    list.textContent = "";
    if (!words.length) { status.textContent = ""; return; }
    var found = index.filter(function (entry) {
      return words.every(function (word) { return entry.w.indexOf(word) >= 0; });
    });
    found.sort(function (a, b) { return score(b, words) - score(a, words); });
    if (!found.length) {
      status.textContent = form.dataset.none;
    } else if (found.length === 1) {
      status.textContent = form.dataset.one;
    } else {
      status.textContent = form.dataset.found.replace("{n}", String(found.length));
    }
    found.slice(0, 200).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.textContent = entry.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = entry.k;
      item.appendChild(link);
      item.appendChild(kind);
      list.appendChild(item);
    });
  }

  fetch("search-index.json").then(function (response) {
    if (!response.ok) { throw new Error(String(response.status)); }
    return response.json();
  }).then(function (data) {
    index = data;
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { input.value = query; show(query); }
    input.addEventListener("input", function () { show(input.value); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(input.value);
      window.history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    });
  }).catch(function () {
    status.textContent = form.dataset.unavailable;
  });
}());

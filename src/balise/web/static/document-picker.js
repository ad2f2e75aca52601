/* The summary's document picker, filtered as one types. Without JavaScript the filter form asks the
   server (GET /assistant/resume?filtre=…); with it, the whole list stays on the page and items that do
   not match are hidden. Words are folded as the server folds them (balise.text.fold): lower case, no
   accents, « œ » spelt « oe ». Ticked documents always stay listed. */
(function () {
  "use strict";
  var input = document.getElementById("document-filter");
  var picker = document.getElementById("document-picker");
  if (!input || !picker) { return; }
  var count = document.getElementById("document-count");
  var none = document.getElementById("document-none");
  var filterForm = input.form;

  function fold(text) {
    return text.toLowerCase().replace(/œ/g, "oe").replace(/æ/g, "ae")
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
  }

  function apply() {
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    picker.querySelectorAll("[data-group]").forEach(function (group) {
      var inGroup = 0;
      group.querySelectorAll("li[data-search]").forEach(function (item) {
        var box = item.querySelector("input[type=checkbox]");
        var search = item.getAttribute("data-search");
        var match = (box && box.checked) || words.every(function (word) { return search.indexOf(word) !== -1; });
        item.hidden = !match;
        if (match) { inGroup += 1; }
      });
      group.hidden = inGroup === 0;
      shown += inGroup;
    });
    if (count) {
      count.textContent = count.getAttribute("data-template")
        .replace("{shown}", String(shown)).replace("{total}", picker.getAttribute("data-total"));
    }
    if (none) { none.hidden = shown !== 0; }
  }

  input.addEventListener("input", apply);
  if (filterForm && filterForm.getAttribute("data-filtered") !== "true") {
    /* The whole list is on the page: filtering needs no round trip. */
    filterForm.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  }
})();

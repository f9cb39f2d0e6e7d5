// Filters for the discrepancy cards.  Without this script every card is visible and the
// filter bar stays hidden; with it, a card shows when its kind and severity are ticked
// and it cites the chosen source.
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  if (!bar) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.card"));
  var count = document.getElementById("filter-count");
  var none = document.getElementById("filter-none");

  function ticked(name) {
    var boxes = bar.querySelectorAll('input[name="' + name + '"]:checked');
    return Array.prototype.map.call(boxes, function (box) { return box.value; });
  }

  function citedSources(card) {
    try { return JSON.parse(card.getAttribute("data-sources") || "[]"); } catch (e) { return []; }
  }

  function apply() {
    var kinds = ticked("kind");
    var severities = ticked("severity");
    var source = (bar.querySelector('input[name="source"]:checked') || {}).value || "";
    var shown = 0;
    cards.forEach(function (card) {
      var visible = kinds.indexOf(card.getAttribute("data-kind")) >= 0 &&
        severities.indexOf(card.getAttribute("data-severity")) >= 0 &&
        (source === "" || citedSources(card).indexOf(source) >= 0);
      card.hidden = !visible;
      if (visible) { shown += 1; }
    });
    if (count) { count.textContent = shown + " of " + cards.length + " shown"; }
    if (none) { none.hidden = shown > 0 || cards.length === 0; }
  }

  bar.addEventListener("change", apply);
  var reset = document.getElementById("filter-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      Array.prototype.forEach.call(bar.querySelectorAll('input[type="checkbox"]'), function (box) { box.checked = true; });
      var all = bar.querySelector('input[name="source"][value=""]');
      if (all) { all.checked = true; }
      apply();
    });
  }
  bar.hidden = false;
  apply();
})();

// Cafes' next meetings on the visitor's clock (a sample site's pinned moment: see clock.js). The
// page lists the next three as of its build; when a listed meeting has already ended (the page
// is old), the list is made again from the coming year's meetings that the page carries in
// data-hub-dates. Without JavaScript the build-time list stays, with the date it was made.
(function () {
  "use strict";

  function item(date) {
    var li = document.createElement("li");
    var time = document.createElement("time");
    time.setAttribute("datetime", date.start);
    time.setAttribute("data-hub-end", date.end);
    time.textContent = date.label;
    li.appendChild(time);
    return li;
  }

  function stale(block, now) {
    var first = block.querySelector("time[data-hub-end]");
    return !first || Date.parse(first.getAttribute("data-hub-end")) <= now;
  }

  function refresh(block, now) {
    var dates = JSON.parse(block.getAttribute("data-hub-dates") || "[]");
    var count = Number(block.getAttribute("data-hub-count")) || 3;
    var left = dates.filter(function (date) { return Date.parse(date.end) > now; }).slice(0, count);
    var list = block.querySelector("ol");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    left.forEach(function (date) { list.appendChild(item(date)); });
    block.querySelector("[data-hub-cafe-none]").hidden = left.length > 0;
    return true;
  }

  function run() {
    var now = window.HubClock.now();
    var changed = false;
    document.querySelectorAll("[data-hub-cafe-next]").forEach(function (block) {
      if (stale(block, now)) { changed = refresh(block, now) || changed; }
    });
    if (changed) {
      document.querySelectorAll("[data-hub-cafe-asof]").forEach(function (note) {
        note.textContent = "次の開催日は、お使いの端末の今日の日付に合わせて表示しています。お出かけ前に主催者の案内もご確認ください。";
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();

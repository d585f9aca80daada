/* Keeps event listings current on the visitor's clock (a sample site's pinned moment: see clock.js).
 *
 * The page is built correct as of the build time. Once it is served, time moves on:
 * this script moves events that have ended out of the upcoming list (into the list of
 * ended events when the page has one), keeps the count of upcoming events and the
 * "none" sentences true, shows only the badges whose time window (data-hub-from/-until)
 * holds now — 受付中 turns into 締切間近 and 受付終了 without a rebuild — and puts the
 * calendar's 今日 on today. Without JavaScript the page stays as it was built.
 */
(() => {
  "use strict";

  const at = (value, fallback) => (value ? Date.parse(value) : fallback);
  const JAPAN = 9 * 60 * 60 * 1000; // UTC+9 all year: Japan has no summer time

  function showWindows(now) {
    for (const element of document.querySelectorAll("[data-hub-from], [data-hub-until]")) {
      const from = at(element.dataset.hubFrom, -Infinity);
      const until = at(element.dataset.hubUntil, Infinity);
      element.hidden = !(from <= now && now < until);
    }
  }

  // Ended events leave the list: into the ended list, most recently ended first, or off the page.
  function moveEnded(upcoming, ended, now) {
    const finished = Array.from(upcoming.querySelectorAll("[data-hub-ends]"))
      .filter((item) => at(item.dataset.hubEnds, Infinity) <= now);
    finished.sort((a, b) => at(b.dataset.hubEnds, 0) - at(a.dataset.hubEnds, 0));
    if (ended) ended.prepend(...finished);
    else finished.forEach((item) => item.remove());
    return finished.length;
  }

  // A list that shows only its first few (data-hub-show) brings the next ones in as others end.
  function showFirst(upcoming) {
    const shown = Number(upcoming.dataset.hubShow);
    if (!shown) return;
    upcoming.querySelectorAll("[data-hub-ends]").forEach((item, index) => {
      item.hidden = index >= shown;
    });
  }

  // 「2021年2月1日時点で予定している 11 件」: the count of what is left, said as of now once it changed.
  function updateCount(left, moved) {
    for (const sentence of document.querySelectorAll("[data-hub-upcoming-sentence]")) {
      sentence.hidden = left === 0;
      sentence.querySelector("[data-hub-upcoming-count]").textContent = String(left);
      const asOf = sentence.querySelector("[data-hub-asof]");
      if (asOf && moved) asOf.textContent = "いま";
    }
  }

  function refreshLists(now) {
    const upcoming = document.querySelector("[data-hub-upcoming]");
    if (!upcoming) return;
    const ended = document.querySelector("[data-hub-ended]");
    const moved = moveEnded(upcoming, ended, now);
    showFirst(upcoming);
    for (const group of upcoming.querySelectorAll("section")) {
      group.hidden = !group.querySelector("[data-hub-ends]");
    }
    const left = upcoming.querySelectorAll("[data-hub-ends]").length;
    updateCount(left, moved > 0);
    const emptyUpcoming = upcoming.querySelector("[data-hub-upcoming-empty]");
    if (emptyUpcoming) emptyUpcoming.hidden = left > 0;
    const emptyEnded = document.querySelector("[data-hub-ended-empty]");
    if (emptyEnded && ended && ended.querySelector("[data-hub-ends]")) emptyEnded.hidden = true;
  }

  // The calendar's 今日 goes to the cell of today's date in Japan; off the page when no cell is today.
  function markToday(now) {
    const mark = document.querySelector(".hub-cal__today");
    if (!mark) return;
    const today = new Date(now + JAPAN).toISOString().slice(0, 10);
    const date = document.querySelector(`.hub-cal__day time[datetime="${today}"]`);
    for (const cell of document.querySelectorAll(".hub-cal__day.is-today")) cell.classList.remove("is-today");
    mark.hidden = !date;
    if (!date) return;
    date.closest(".hub-cal__day").classList.add("is-today");
    date.after(mark);
  }

  function refresh() {
    const now = window.HubClock.now();
    refreshLists(now);
    showWindows(now);
    markToday(now);
  }

  refresh();
  // A page left open overnight is brought up to date when the visitor comes back to it.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
})();

/* Keeps event listings current on the visitor's clock.
 *
 * The page is built correct as of the build time. Once it is served, time moves on:
 * this script moves events that have ended out of the upcoming list into the list of
 * ended events, and shows only the badges whose time window (data-hub-from/-until)
 * holds now — 受付中 turns into 締切間近 and 受付終了 without a rebuild.
 * Without JavaScript the page stays as it was built.
 */
(() => {
  "use strict";

  const at = (value, fallback) => (value ? Date.parse(value) : fallback);

  function showWindows(now) {
    for (const element of document.querySelectorAll("[data-hub-from], [data-hub-until]")) {
      const from = at(element.dataset.hubFrom, -Infinity);
      const until = at(element.dataset.hubUntil, Infinity);
      element.hidden = !(from <= now && now < until);
    }
  }

  function moveEnded(now) {
    const upcoming = document.querySelector("[data-hub-upcoming]");
    const ended = document.querySelector("[data-hub-ended]");
    if (!upcoming || !ended) return;
    const finished = Array.from(upcoming.querySelectorAll("[data-hub-ends]"))
      .filter((item) => at(item.dataset.hubEnds, Infinity) <= now);
    // Most recently ended first, above what was there already.
    finished.sort((a, b) => at(b.dataset.hubEnds, 0) - at(a.dataset.hubEnds, 0));
    ended.prepend(...finished);
    for (const group of upcoming.querySelectorAll("section")) {
      group.hidden = !group.querySelector("[data-hub-ends]");
    }
    const left = upcoming.querySelectorAll("[data-hub-ends]").length;
    const emptyUpcoming = upcoming.querySelector("[data-hub-upcoming-empty]");
    if (emptyUpcoming) emptyUpcoming.hidden = left > 0;
    const emptyEnded = document.querySelector("[data-hub-ended-empty]");
    if (emptyEnded && ended.querySelector("[data-hub-ends]")) emptyEnded.hidden = true;
  }

  function refresh() {
    const now = Date.now();
    moveEnded(now);
    showWindows(now);
  }

  refresh();
  // A page left open overnight is brought up to date when the visitor comes back to it.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") refresh();
  });
})();

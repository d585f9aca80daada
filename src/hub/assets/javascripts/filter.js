/* Filters the cards of a collection index by taxonomy terms, without a page load.
 * The page works without this script: every term has its own page. */
(() => {
  "use strict";
  const form = document.querySelector("[data-hub-filter]");
  const items = document.querySelector("[data-hub-filter-items]");
  if (!form || !items) return;
  const status = form.querySelector("[data-hub-filter-status]");
  const cards = Array.from(items.querySelectorAll(".hub-card"));
  const groups = Array.from(items.querySelectorAll(".hub-year"));

  function matches(card, wanted) {
    return wanted.every(([key, value]) => (card.dataset[key] || "").split(" ").includes(value));
  }

  function apply() {
    const wanted = Array.from(new FormData(form).entries()).filter(([, value]) => value !== "");
    let shown = 0;
    for (const card of cards) {
      const visible = matches(card, wanted);
      card.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const group of groups) {
      group.hidden = !group.querySelector(".hub-card:not([hidden])");
    }
    status.textContent = wanted.length ? `${shown} 件が見つかりました` : "";
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", () => setTimeout(apply, 0));
  form.addEventListener("submit", (event) => event.preventDefault());
})();

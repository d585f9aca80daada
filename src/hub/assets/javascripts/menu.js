/*
 * The header's menu button (partials/header.html). Material opens its navigation drawer with a
 * <label> for a hidden checkbox, which the keyboard never reaches. This script shows a real
 * button in its place: Tab reaches it, Enter or Space opens the drawer and moves the focus to
 * its first link, Escape closes it and returns the focus to the button. Without JavaScript the
 * label stays, and a tap still opens the drawer.
 */
(function () {
  "use strict";

  var drawer = document.getElementById("__drawer");
  var button = document.querySelector("[data-hub-menu]");
  var label = document.querySelector("[data-hub-menu-label]");
  if (!drawer || !button || !label) return;

  function sync() {
    button.setAttribute("aria-expanded", String(drawer.checked));
  }

  /* Material listens to the checkbox's change event (it locks the page's scrolling). */
  function setOpen(open) {
    if (drawer.checked === open) return;
    drawer.checked = open;
    drawer.dispatchEvent(new Event("change"));
  }

  function firstLink() {
    return document.querySelector(".md-sidebar--primary a[href], .md-sidebar--primary [tabindex='0']");
  }

  button.addEventListener("click", function () {
    setOpen(!drawer.checked);
    var link = drawer.checked && firstLink();
    if (link) link.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) {
      setOpen(false);
      button.focus();
    }
  });

  drawer.addEventListener("change", sync);
  label.hidden = true;
  button.hidden = false;
  sync();
})();

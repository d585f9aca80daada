/*
 * Text size for the whole site (partials/hub-textsize.html): 標準, 大 or 特大, kept in this
 * browser's localStorage so every page opens at the chosen size. The size is applied as
 * <html data-hub-textsize="..."> (hub.css scales the root font size); an inline script in
 * the header applies the saved size before the page is drawn.
 */
(function () {
  "use strict";

  var KEY = "hub.textsize";
  var SIZES = ["", "large", "larger"];
  var root = document.querySelector("[data-hub-textsize-control]");
  if (!root) return;
  var toggle = root.querySelector(".hub-textsize__toggle");
  var panel = root.querySelector(".hub-textsize__panel");
  var options = Array.prototype.slice.call(root.querySelectorAll("[data-size]"));

  function saved() {
    try {
      var size = localStorage.getItem(KEY) || "";
      return SIZES.indexOf(size) >= 0 ? size : "";
    } catch (error) {
      return "";
    }
  }

  function apply(size) {
    if (size) {
      document.documentElement.setAttribute("data-hub-textsize", size);
    } else {
      document.documentElement.removeAttribute("data-hub-textsize");
    }
    options.forEach(function (option) {
      option.setAttribute("aria-pressed", String(option.getAttribute("data-size") === size));
    });
  }

  function choose(size) {
    apply(size);
    try {
      if (size) localStorage.setItem(KEY, size); else localStorage.removeItem(KEY);
    } catch (error) {
      /* Private browsing may refuse storage: the size still applies to this page. */
    }
  }

  function setExpanded(expanded) {
    panel.hidden = !expanded;
    toggle.setAttribute("aria-expanded", String(expanded));
  }

  toggle.addEventListener("click", function () {
    setExpanded(panel.hidden);
    if (!panel.hidden) {
      (options.filter(function (o) { return o.getAttribute("aria-pressed") === "true"; })[0] || options[0]).focus();
    }
  });

  options.forEach(function (option) {
    option.addEventListener("click", function () { choose(option.getAttribute("data-size")); });
  });

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      setExpanded(false);
      toggle.focus();
    }
  });

  document.addEventListener("click", function (event) {
    if (!panel.hidden && !root.contains(event.target)) setExpanded(false);
  });

  root.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) setExpanded(false);
  });

  apply(saved());
  root.hidden = false;
})();

/*
 * Site search in the header (partials/hub-search.html), over the index in search/.
 *
 * Behaves like Material's search box: "/", "s" or "f" opens it, typing searches, Enter
 * opens the best result, the arrow keys move between the field and the results, Escape
 * closes it. The result count is announced to screen readers (role="status"), results are
 * ordinary links, and Tab moves through them; leaving the panel closes it. Nothing is
 * downloaded until the search is opened; then only the shards the query needs.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var CONFIRM_AT_ONCE = 30;
  var root = document.querySelector("[data-hub-search]");
  var core = window.HubSearchCore;
  if (!root || !core) return;

  var toggle = document.getElementById("__search");
  var form = root.querySelector("form");
  var field = root.querySelector("[data-hub-search-query]");
  var status = root.querySelector("[data-hub-search-status]");
  var list = root.querySelector("[data-hub-search-results]");
  var more = root.querySelector("[data-hub-search-more]");
  var openers = document.querySelectorAll("[data-hub-search-open]");
  var indexBase = new URL(root.getAttribute("data-hub-search-index"), location.href);
  var siteBase = new URL("../", indexBase);
  var index = new core.Index(indexBase.href, function (url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": " + response.status);
      return response.json();
    });
  });

  var MESSAGES = {
    empty: "検索する言葉を入力してください",
    none: "見つかりませんでした",
    found: function (count) { return count + " 件見つかりました"; },
    atLeast: function (count) { return count + " 件以上見つかりました"; },
    more: function (count) { return "さらに表示（残り " + count + " 件）"; },
    moreUnsure: "さらに表示",
    failed: "検索の準備ができませんでした。ページを読み込み直してください"
  };

  var current = null; // {serial, query, normalized, candidates, cursor, rejected, shown}
  var serial = 0;

  root.hidden = false;
  openers.forEach(function (opener) { opener.hidden = false; });

  function setOpen(open) {
    if (!toggle || toggle.checked === open) return;
    toggle.checked = open;
    toggle.dispatchEvent(new Event("change"));
  }

  function isOpen() {
    return !!toggle && toggle.checked;
  }

  function open(select) {
    setOpen(true);
    field.focus();
    if (select) field.select();
    index.ready().catch(function () { setStatus(MESSAGES.failed); });
  }

  function close() {
    setOpen(false);
    if (root.contains(document.activeElement)) document.activeElement.blur();
  }

  function setStatus(text) {
    if (status.textContent !== text) status.textContent = text;
  }

  function setState(state, query) {
    root.setAttribute("data-hub-search-state", state);
    root.setAttribute("data-hub-search-for", query);
  }

  /* --- searching ------------------------------------------------------------------------ */

  function search() {
    var query = field.value;
    serial += 1;
    var mine = serial;
    if (!core.normalize(query).length) {
      current = null;
      list.textContent = "";
      more.hidden = true;
      setStatus(MESSAGES.empty);
      setState("done", query);
      return;
    }
    setState("busy", query);
    index.candidates(query).then(function (found) {
      if (mine !== serial) return;
      current = { serial: mine, query: query, normalized: found.query, candidates: found.pages,
                  exact: found.exact, cursor: 0, ready: [], shown: 0 };
      list.textContent = "";
      return showMore(current);
    }).catch(function () {
      if (mine === serial) {
        setStatus(MESSAGES.failed);
        setState("failed", query);
      }
    });
  }

  /*
   * Shows the next PAGE_SIZE results of `state`, confirmed on their text, then the count.
   * Candidates of queries longer than two characters may hold pages whose bigrams are not
   * side by side; with few candidates all are confirmed at once, so the count is exact,
   * otherwise it reads "N 件以上" until the reader has gone through them.
   */
  function showMore(state) {
    setState("busy", state.query);
    var wanted = !state.exact && !state.shown && state.candidates.length <= CONFIRM_AT_ONCE
      ? state.candidates.length : PAGE_SIZE;
    return confirmUntil(state, wanted).then(function () {
      if (state.serial !== serial) return;
      state.ready.splice(0, PAGE_SIZE).forEach(function (result) { list.appendChild(render(result)); });
      state.shown = list.children.length;
      var known = state.shown + state.ready.length;
      var unsure = !state.exact && state.cursor < state.candidates.length;
      var total = state.exact ? state.candidates.length : known;
      setStatus(!total && !unsure ? MESSAGES.none : unsure ? MESSAGES.atLeast(total) : MESSAGES.found(total));
      more.hidden = state.shown >= state.candidates.length || (!unsure && state.shown >= total);
      more.textContent = unsure ? MESSAGES.moreUnsure : MESSAGES.more(total - state.shown);
      setState("done", state.query);
    });
  }

  /* Confirms candidates, in parallel batches, until `wanted` results wait to be shown. */
  function confirmUntil(state, wanted) {
    var missing = wanted - state.ready.length;
    var batch = state.candidates.slice(state.cursor, state.cursor + Math.max(missing, 0));
    if (!batch.length) return Promise.resolve();
    state.cursor += batch.length;
    return Promise.all(batch.map(function (candidate) {
      return index.confirm(candidate, state.normalized);
    })).then(function (confirmed) {
      if (state.serial !== serial) return;
      state.ready.push.apply(state.ready, confirmed.filter(Boolean));
      return confirmUntil(state, wanted);
    });
  }

  function render(result) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(result.url, siteBase).href;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var title = document.createElement("h2");
    appendParts(title, result.titleParts || [{ text: result.title, mark: false }]);
    var text = document.createElement("p");
    appendParts(text, result.snippet);
    article.appendChild(title);
    article.appendChild(text);
    link.appendChild(article);
    item.appendChild(link);
    return item;
  }

  function appendParts(element, parts) {
    parts.forEach(function (part) {
      if (part.mark) {
        var mark = document.createElement("mark");
        mark.textContent = part.text;
        element.appendChild(mark);
      } else {
        element.appendChild(document.createTextNode(part.text));
      }
    });
  }

  /* --- keyboard and focus --------------------------------------------------------------- */

  function focusables() {
    var items = [field].concat(Array.prototype.slice.call(list.querySelectorAll("a[href]")));
    if (!more.hidden) items.push(more);
    return items;
  }

  function editable(element) {
    return !!element && (element.isContentEditable ||
      /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (!isOpen()) {
      if ((event.key === "/" || event.key === "s" || event.key === "f") && !editable(document.activeElement)) {
        event.preventDefault();
        open(true);
      }
      return;
    }
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var items = focusables();
      var position = items.indexOf(document.activeElement);
      var step = event.key === "ArrowDown" ? 1 : -1;
      items[(Math.max(position, 0) + step + items.length) % items.length].focus();
      event.preventDefault();
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var best = list.querySelector("a[href]");
    if (best) best.click();
  });

  form.addEventListener("reset", function () {
    setTimeout(function () { search(); field.focus(); });
  });

  field.addEventListener("input", function (event) {
    setOpen(true); /* typing again after the panel was closed with the mouse */
    if (!event.isComposing) search();
  });
  field.addEventListener("compositionend", search);
  field.addEventListener("focus", function () { open(false); });

  more.addEventListener("click", function () {
    if (!current) return;
    var firstNew = list.children.length;
    showMore(current).then(function () {
      var link = list.children[firstNew] && list.children[firstNew].querySelector("a");
      (link || field).focus(); /* the first new result, or back to the field if none came */
    });
  });

  root.addEventListener("focusout", function (event) {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close();
  });

  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) setOpen(false);
  });

  openers.forEach(function (opener) {
    opener.addEventListener("click", function () { open(true); });
  });

  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement !== field) field.focus();
    });
  }

  /* ?q=... opens the search with that query, as Material's search does. Otherwise the
     header's toggles start closed, even where the browser restores form state on Back. */
  var deepLink = new URLSearchParams(location.search).get("q");
  if (deepLink !== null) {
    field.value = deepLink;
    open(false);
    search();
  } else {
    closeToggles();
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) closeToggles();
  });

  function closeToggles() {
    ["__search", "__drawer"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input && input.checked) {
        input.checked = false;
        input.dispatchEvent(new Event("change"));
      }
    });
  }
})();

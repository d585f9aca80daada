/* The time the scripts that keep pages current go by (events.js, cafes.js; loaded before them).
 *
 * A live site follows the visitor's clock. A sample site, whose configuration pins "now" to
 * show sample content as current, stands still at that moment: every page then shows the
 * sample banner, which carries the moment in data-hub-now.
 */
window.HubClock = Object.freeze({
  now: function () {
    var pinned = document.querySelector("[data-hub-now]");
    var moment = pinned ? Date.parse(pinned.getAttribute("data-hub-now")) : NaN;
    return isNaN(moment) ? Date.now() : moment;
  }
});

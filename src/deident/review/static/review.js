// deident review: keyboard navigation and scroll-synced panes. No dependency, no network.
(function () {
  "use strict";
  function typing(event) {
    var tag = event.target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || event.altKey || event.ctrlKey || event.metaKey;
  }
  // Document list: j / k move the selection, Enter opens it.
  var rows = Array.prototype.slice.call(document.querySelectorAll("#documents tbody tr"));
  var selected = rows.length ? 0 : -1;
  function select(i) {
    if (!rows.length) return;
    selected = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle("selected", j === selected); });
    rows[selected].querySelector("a").focus();
  }
  // Document view: n / p go through the suspects, a approves, arrows change document.
  var marks = Array.prototype.slice.call(document.querySelectorAll("mark.suspect"));
  var current = -1;
  function mark(i) {
    if (!marks.length) return;
    if (current >= 0) marks[current].classList.remove("current");
    current = (i + marks.length) % marks.length;
    marks[current].classList.add("current");
    marks[current].focus();
  }
  document.addEventListener("keydown", function (event) {
    if (typing(event)) return;
    if (rows.length) {
      if (event.key === "j") { select(selected + 1); event.preventDefault(); }
      if (event.key === "k") { select(selected - 1); event.preventDefault(); }
      if (event.key === "Enter" && document.activeElement === document.body) {
        rows[selected].querySelector("a").click();
      }
    }
    if (event.key === "n") { mark(current + 1); }
    if (event.key === "p") { mark(current - 1); }
    if (event.key === "a") { var b = document.getElementById("approve"); if (b) b.click(); }
    var link = event.key === "ArrowRight" ? document.querySelector("a[rel=next]")
      : event.key === "ArrowLeft" ? document.querySelector("a[rel=prev]") : null;
    if (link) link.click();
  });
  if (rows.length) select(0);
  // The two panes scroll together (by proportion: texts differ in length).
  var panes = [document.getElementById("original"), document.getElementById("output")];
  if (panes[0] && panes[1]) {
    var lock = false;
    panes.forEach(function (pane, i) {
      pane.addEventListener("scroll", function () {
        if (lock) { lock = false; return; }
        var other = panes[1 - i];
        var ratio = pane.scrollTop / Math.max(1, pane.scrollHeight - pane.clientHeight);
        lock = true;
        other.scrollTop = ratio * (other.scrollHeight - other.clientHeight);
      });
    });
  }
})();

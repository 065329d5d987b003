// Live reload for `bulletin serve`, injected into served HTML only (never into built files).
// Long-polls /__bulletin/poll: reloads the page after a good rebuild, shows the build error
// as an overlay after a bad one. The error is set as text, never parsed as HTML.
(function () {
  "use strict";
  var seen = null;
  function overlay(text) {
    var el = document.getElementById("__bulletin_error");
    if (text === null) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.id = "__bulletin_error";
      el.setAttribute("role", "alert");
      el.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2em;" +
        "background:rgba(30,0,0,.92);color:#fff;font:14px/1.5 monospace;white-space:pre-wrap";
      var title = document.createElement("strong");
      title.textContent = "bulletin: the last change did not build; showing the last good site\n\n";
      el.appendChild(title);
      el.appendChild(document.createElement("span"));
      document.body.appendChild(el);
    }
    el.lastChild.textContent = text;
  }
  function poll() {
    var since = seen === null ? "" : String(seen);
    fetch("/__bulletin/poll?since=" + since, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (seen !== null && s.generation !== seen && s.error === null) {
          location.reload();
          return;
        }
        seen = s.generation;
        overlay(s.error);
        poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();

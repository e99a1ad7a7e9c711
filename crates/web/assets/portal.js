// The accessibility toolbar: a larger cursor, page zoom and reading the main text aloud with
// the browser's own speech synthesis (no network). Settings are kept in this browser only.
(function () {
  "use strict";
  var root = document.documentElement;
  function set(name, value) { try { localStorage.setItem("fucai-" + name, value); } catch (e) {} }
  function get(name) { try { return localStorage.getItem("fucai-" + name); } catch (e) { return null; } }
  var zoom = parseInt(get("zoom") || "0", 10);
  function applyZoom() {
    root.classList.remove("zoom-1", "zoom-2", "zoom-3");
    if (zoom > 0) { root.classList.add("zoom-" + zoom); }
  }
  if (get("cursor") === "1") { root.classList.add("big-cursor"); }
  applyZoom();
  function press(button, on) { button.setAttribute("aria-pressed", on ? "true" : "false"); }
  document.addEventListener("DOMContentLoaded", function () {
    // A ticket check's outcome is read first: focus moves to its headline.
    var outcome = document.getElementById("outcome");
    if (outcome) { outcome.focus(); }
    document.querySelectorAll("[data-tool]").forEach(function (button) {
      var tool = button.getAttribute("data-tool");
      if (tool === "cursor") { press(button, root.classList.contains("big-cursor")); }
      button.addEventListener("click", function () {
        if (tool === "cursor") {
          var on = root.classList.toggle("big-cursor");
          set("cursor", on ? "1" : "0");
          press(button, on);
        } else if (tool === "zoom-in" || tool === "zoom-out") {
          zoom = Math.max(0, Math.min(3, zoom + (tool === "zoom-in" ? 1 : -1)));
          set("zoom", String(zoom));
          applyZoom();
        } else if (tool === "read") {
          if (!("speechSynthesis" in window)) { return; }
          if (speechSynthesis.speaking) { speechSynthesis.cancel(); press(button, false); return; }
          var text = document.getElementById("main").innerText;
          var u = new SpeechSynthesisUtterance(text);
          u.lang = "zh-CN";
          u.onend = function () { press(button, false); };
          press(button, true);
          speechSynthesis.speak(u);
        }
      });
    });
  });
})();

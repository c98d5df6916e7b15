/* 适老化 reading aids: text size and high contrast, remembered per browser.
   Loaded as a file (the Content-Security-Policy forbids inline script). */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongkai-a11y";
  var MIN = 100, MAX = 200, STEP = 15;
  var state = { size: 100, contrast: false };
  try { state = Object.assign(state, JSON.parse(localStorage.getItem(KEY) || "{}")); } catch (e) { /* private mode */ }

  function apply() {
    root.style.fontSize = state.size === 100 ? "" : state.size + "%";
    root.classList.toggle("high-contrast", !!state.contrast);
    var btn = document.querySelector('[data-a11y="contrast"]');
    if (btn) { btn.setAttribute("aria-pressed", state.contrast ? "true" : "false"); }
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* ignore */ }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-a11y]") : null;
    if (!target) { return; }
    var action = target.getAttribute("data-a11y");
    if (action === "bigger") { state.size = Math.min(MAX, state.size + STEP); }
    if (action === "smaller") { state.size = Math.max(MIN, state.size - STEP); }
    if (action === "contrast") { state.contrast = !state.contrast; }
    if (action === "reset") { state = { size: 100, contrast: false }; }
    apply();
  });
  apply();
})();

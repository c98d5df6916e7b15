/* 适老化 reading aids: 长者模式, text size and high contrast, remembered per browser.
   Loaded as a file (the Content-Security-Policy forbids inline script); nothing comes from another host. */
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "gongkai-a11y";
  var MIN = 100, MAX = 200, STEP = 15;
  // 长者模式 reads at least this large (GB/T 37668 and the MIIT 适老化 rules ask for large type and targets).
  var ELDER_SIZE = 130;
  var state = { size: 100, contrast: false, elder: false };
  try { state = Object.assign(state, JSON.parse(localStorage.getItem(KEY) || "{}")); } catch (e) { /* private mode */ }

  function pressed(name, on) {
    var btn = document.querySelector('[data-a11y="' + name + '"]');
    if (btn) { btn.setAttribute("aria-pressed", on ? "true" : "false"); }
  }

  function apply() {
    var size = state.elder ? Math.max(state.size, ELDER_SIZE) : state.size;
    root.style.fontSize = size === 100 ? "" : size + "%";
    root.classList.toggle("high-contrast", !!state.contrast);
    root.classList.toggle("elder-mode", !!state.elder);
    pressed("contrast", state.contrast);
    pressed("elder", state.elder);
    try { localStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* ignore */ }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-a11y]") : null;
    if (!target) { return; }
    var action = target.getAttribute("data-a11y");
    var shown = state.elder ? Math.max(state.size, ELDER_SIZE) : state.size;
    if (action === "bigger") { state.size = Math.min(MAX, shown + STEP); }
    if (action === "smaller") { state.size = Math.max(MIN, shown - STEP); }
    if (action === "contrast") { state.contrast = !state.contrast; }
    if (action === "elder") { state.elder = !state.elder; }
    if (action === "reset") { state = { size: 100, contrast: false, elder: false }; }
    if (state.elder && state.size < ELDER_SIZE && action === "smaller") { state.elder = false; }
    apply();
  });
  apply();
})();

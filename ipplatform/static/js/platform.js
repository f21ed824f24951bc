// Charts: <div class="chart" data-echarts="ID"></div> with {{ option|json_script:"ID" }}.
// Maps: add data-map="shandong" (2015 divisions, 17 cities) — the GeoJSON is served locally; data-map-src names
// another local GeoJSON (e.g. /static/maps/shandong_2020.json, the 16 cities of today).
(function () {
  const loadedMaps = {};
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      if (window.echarts) return resolve();
      const s = document.createElement("script");
      s.src = src; s.onload = resolve; s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  async function ensureMap(name, src) {
    if (!name || loadedMaps[name]) return;
    const res = await fetch(src || `/static/vendor/maps/${name}.json`);
    echarts.registerMap(name, await res.json());
    loadedMaps[name] = true;
  }
  async function renderCharts(root) {
    const nodes = (root || document).querySelectorAll("[data-echarts]");
    if (!nodes.length) return;
    await loadScript("/static/vendor/echarts/echarts.min.js");
    for (const el of nodes) {
      if (el.dataset.rendered) continue;
      const src = document.getElementById(el.dataset.echarts);
      if (!src) continue;
      await ensureMap(el.dataset.map, el.dataset.mapSrc);
      const chart = echarts.init(el);
      chart.setOption(JSON.parse(src.textContent));
      el.dataset.rendered = "1";
      window.addEventListener("resize", () => chart.resize());
    }
  }
  window.ipRenderCharts = renderCharts;
  document.addEventListener("DOMContentLoaded", () => renderCharts(document));
  document.addEventListener("htmx:afterSwap", (e) => renderCharts(e.target));
})();

// Behaviours declared in markup (no inline scripts or handlers: the Content-Security-Policy allows none).
// - <form data-confirm="…"> or <button data-confirm="…">: ask before submitting.
// - <select data-toggle-kind="db" data-toggle-on="#a" data-toggle-off="#b">: show #a (and enable it) when the value
//   equals data-toggle-kind, else #b.
// - <button data-figure="…" data-target="#id">: append the text as a new line to the target textarea.
// - <input type="checkbox" data-check-all="input[name=org]">: checks or clears every box the selector matches.
(function () {
  document.addEventListener("submit", (e) => {
    const form = e.target;
    const msg = form.dataset && form.dataset.confirm;
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);
  document.addEventListener("click", (e) => {
    const btn = e.target.closest && e.target.closest("button[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) e.preventDefault();
    const fig = e.target.closest && e.target.closest("[data-figure]");
    if (fig) {
      const t = document.querySelector(fig.dataset.target || "#id_figures");
      if (t) t.value = (t.value ? t.value.replace(/\s*$/, "") + "\n" : "") + fig.dataset.figure;
    }
  });
  function applyToggle(sel) {
    const on = document.querySelector(sel.dataset.toggleOn), off = document.querySelector(sel.dataset.toggleOff);
    const match = sel.value === sel.dataset.toggleKind;
    if (on) { on.disabled = on.hidden = !match; }
    if (off) { off.disabled = off.hidden = match; }
  }
  document.addEventListener("change", (e) => {
    if (e.target.dataset && e.target.dataset.toggleKind !== undefined) applyToggle(e.target);
    if (e.target.dataset && e.target.dataset.checkAll) {
      document.querySelectorAll(e.target.dataset.checkAll).forEach((c) => { c.checked = e.target.checked; });
    }
  });
})();

// The menu on phones: the 菜单 button opens and closes it (the sidebar is hidden under 760 px wide).
(function () {
  document.addEventListener("click", (e) => {
    const button = e.target.closest && e.target.closest("[data-nav-toggle]");
    if (!button) return;
    const open = document.body.classList.toggle("nav-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();

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

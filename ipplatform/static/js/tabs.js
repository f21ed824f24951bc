// Detail pages in tabs (core/_detail_tabs.html): the links work without JavaScript (?tab=KEY reloads the page with that
// tab open); this script switches panels in place, keeps ?tab= in the address, and opens the tab that holds #fragment.
(function () {
  function show(nav, key, push) {
    const panels = document.querySelectorAll("[data-tab-panel]");
    let found = false;
    for (const p of panels) {
      const on = p.dataset.tabPanel === key;
      p.hidden = !on;
      found = found || on;
    }
    if (!found) return false;
    for (const a of nav.querySelectorAll("a[data-tab]")) {
      const on = a.dataset.tab === key;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    }
    if (push) {
      const url = new URL(window.location.href);
      url.searchParams.set("tab", key);
      url.hash = "";
      history.replaceState(null, "", url);
    }
    return true;
  }
  function init() {
    const nav = document.querySelector("nav[data-tabs]");
    if (!nav) return;
    nav.addEventListener("click", (ev) => {
      const a = ev.target.closest("a[data-tab]");
      if (!a || ev.ctrlKey || ev.metaKey || ev.shiftKey) return;
      if (show(nav, a.dataset.tab, true)) {
        ev.preventDefault();
        a.focus();
      }
    });
    if (window.location.hash) {
      const target = document.getElementById(window.location.hash.slice(1));
      const panel = target && target.closest("[data-tab-panel]");
      if (panel && panel.hidden) {
        show(nav, panel.dataset.tabPanel, false);
        target.scrollIntoView();
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

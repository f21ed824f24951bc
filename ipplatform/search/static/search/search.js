// Advanced search form: composes a query in the main box from field rows, dates, IPC and region pickers.
(function () {
  function quote(v) {
    v = v.trim();
    if (!v) return "";
    return /[\s()（）=<>:]/.test(v) || /^(and|or|not|与|或|非)$/i.test(v) ? '"' + v.replace(/"/g, "") + '"' : v;
  }
  function compose(form) {
    const parts = [];
    form.querySelectorAll(".adv-row[data-row]").forEach(function (row) {
      const field = row.querySelector("[name=field]").value;
      const value = row.querySelector("[name=value]").value.trim();
      const op = row.querySelector("[name=op]").value;
      if (!value) return;
      const words = value.split(/\s+/).map(quote).filter(Boolean);
      const clause = field ? field + "=(" + words.join(" AND ") + ")" : "(" + words.join(" AND ") + ")";
      parts.push({ op: op, clause: clause });
    });
    const from = form.querySelector("[name=date_from]").value, to = form.querySelector("[name=date_to]").value;
    const dfield = form.querySelector("[name=date_field]").value;
    if (from && to) parts.push({ op: "AND", clause: dfield + "=[" + from.replace(/-/g, "") + " TO " + to.replace(/-/g, "") + "]" });
    else if (from) parts.push({ op: "AND", clause: dfield + ">=" + from });
    else if (to) parts.push({ op: "AND", clause: dfield + "<=" + to });
    const ipc = form.querySelector("[name=ipc]").value.trim();
    if (ipc) parts.push({ op: "AND", clause: "分类号=" + ipc.toUpperCase() });
    const region = form.querySelector("[name=region]").value.trim();
    if (region) parts.push({ op: "AND", clause: "地区=" + region });
    const type = form.querySelector("[name=ptype]").value;
    if (type) parts.push({ op: "AND", clause: "类型=" + type });
    let q = "";
    parts.forEach(function (p, i) { q = i === 0 ? (p.op === "NOT" ? "NOT " + p.clause : p.clause) : q + " " + p.op + " " + p.clause; });
    return q;
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("adv-form");
    if (!form) return;
    const box = document.getElementById("q");
    const preview = document.getElementById("adv-preview");
    form.addEventListener("input", function () { preview.textContent = compose(form) || "（尚未填写条件）"; });
    form.addEventListener("change", function () { preview.textContent = compose(form) || "（尚未填写条件）"; });
    document.getElementById("adv-add").addEventListener("click", function () {
      const rows = form.querySelectorAll(".adv-row[data-row]");
      const clone = rows[rows.length - 1].cloneNode(true);
      clone.querySelector("[name=value]").value = "";
      rows[rows.length - 1].after(clone);
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      const q = compose(form);
      if (!q) { preview.textContent = "请至少填写一个条件"; return; }
      box.value = q;
      box.form.submit();
    });
    document.addEventListener("click", function (e) {
      const pick = e.target.closest("[data-ipc-pick]");
      if (pick) { e.preventDefault(); form.querySelector("[name=ipc]").value = pick.dataset.ipcPick; form.dispatchEvent(new Event("change")); }
    });
  });
})();

// The policy finder on policies/: filters (level, region, issuer, year, combinable; several
// values of one filter are alternatives), a keyword, and sorting by date, applied in the
// browser to the search index through search.js (window.BulletinSearch). The page as served
// is complete without this script: the newest policies as a table, the filters as links.
// State lives in the address: ?q=…&issuer=…&issuer=…&level=…&sort=old. Content goes into
// the page only as text.
"use strict";
(function () {
  const box = document.getElementById("finder");
  const api = window.BulletinSearch;
  if (!box || !api) return;
  const root = box.dataset.root || "";
  const facetsBox = document.getElementById("finder-facets");
  const form = document.getElementById("finder-form");
  const input = document.getElementById("finder-q");
  const status = document.getElementById("finder-status");
  const more = document.getElementById("finder-more");
  const pager = document.getElementById("finder-pager");
  const PER_PAGE = 30;
  const TOP = 12;
  // Filters in the order shown; each is a facet of the index (its values come from there, so
  // new issuers, regions or years need nothing here).
  const FACETS = [
    ["level", "层级"],
    ["region", "地区"],
    ["issuer", "发文机关"],
    ["type", "类型"],
    ["year", "年份"],
  ];
  let tbody = document.getElementById("finder-rows");
  let dateHead = document.getElementById("finder-date-col");
  const expanded = new Set();

  function state() {
    const p = new URLSearchParams(location.search);
    const s = { q: p.get("q") || "", sort: p.get("sort") === "old" ? "old" : "new" };
    for (const [f] of FACETS) s[f] = p.getAll(f).filter(Boolean);
    return s;
  }

  function address(s) {
    const p = new URLSearchParams();
    if (s.q.trim()) p.set("q", s.q.trim());
    for (const [f] of FACETS) for (const v of s[f]) p.append(f, v);
    if (s.sort === "old") p.set("sort", "old");
    return location.pathname + (p.toString() ? "?" + p : "");
  }

  function go(s, push) {
    history[push ? "pushState" : "replaceState"](null, "", address(s));
    render();
  }

  // The policies matching the keyword and every filter, sorted; and per filter, each value's
  // count among the policies matching the keyword and the other filters.
  async function find(m, s) {
    const policy = m.kinds.findIndex((k) => k[0] === "policies");
    const { docs } = await api.matching(m, api.queryTerms(s.q));
    const wanted = {};
    const active = [];
    for (const [f] of FACETS) {
      const names = m.facets[f].names;
      const set = new Set(s[f].map((v) => names.indexOf(v)).filter((i) => i >= 0));
      wanted[f] = set;
      if (s[f].length) active.push(f);
    }
    const fails = (d, f) => !m.facets[f].of(d).some((v) => wanted[f].has(v));
    const counts = {};
    for (const [f] of FACETS) counts[f] = new Map();
    const rows = [];
    for (const d of docs) {
      if (m.cols.kind[d] !== policy) continue;
      const failed = active.filter((f) => fails(d, f));
      if (!failed.length) rows.push(d);
      for (const [f] of FACETS) {
        if (failed.length > 1 || (failed.length === 1 && failed[0] !== f)) continue;
        for (const v of m.facets[f].of(d)) counts[f].set(v, (counts[f].get(v) || 0) + 1);
      }
    }
    const date = m.cols.date;
    const dir = s.sort === "old" ? 1 : -1;
    // Same day: by number, i.e. by address, as the served page lists them.
    rows.sort((a, b) => dir * (date[a] - date[b]) || a - b);
    return { rows, counts };
  }

  function controls(m, s, counts) {
    const boxes = [];
    for (const [f, label] of FACETS) {
      const fc = m.facets[f];
      const c = counts[f];
      const chosen = s[f].map((v) => fc.names.indexOf(v)).filter((i) => i >= 0);
      const values = [...c.keys()];
      for (const v of chosen) if (!values.includes(v)) values.push(v);
      if (!values.length) continue;
      // Issuers most used first (the top ones are shown, the rest behind 更多…); regions in
      // the vocabulary's order, as the index lists them.
      if (f === "issuer") {
        values.sort((a, b) => (c.get(b) || 0) - (c.get(a) || 0) || a - b);
      } else {
        values.sort((a, b) => a - b);
      }
      const set = document.createElement("fieldset");
      set.className = "facet finder-facet";
      const legend = document.createElement("legend");
      legend.textContent = label;
      set.appendChild(legend);
      const list = document.createElement("ul");
      list.className = "finder-terms";
      const open = expanded.has(f);
      values.forEach((v, i) => {
        const li = document.createElement("li");
        const id = "finder-" + f + "-" + v;
        const cb = document.createElement("input");
        cb.type = "checkbox";
        cb.id = id;
        cb.name = f;
        cb.value = fc.names[v];
        cb.checked = chosen.includes(v);
        cb.addEventListener("change", () => {
          const next = state();
          next[f] = cb.checked ? [...next[f], cb.value] : next[f].filter((x) => x !== cb.value);
          go(next, true);
        });
        const lab = document.createElement("label");
        lab.htmlFor = id;
        lab.textContent = fc.labels[v] + "（" + (c.get(v) || 0) + "）";
        li.append(cb, " ", lab);
        if (i >= TOP && !open && !cb.checked) li.hidden = true;
        list.appendChild(li);
      });
      set.appendChild(list);
      if (values.length > TOP) {
        const btn = document.createElement("button");
        btn.type = "button";
        btn.className = "finder-toggle";
        btn.setAttribute("aria-expanded", String(open));
        btn.textContent = open ? "收起" : "更多…";
        btn.addEventListener("click", () => {
          if (expanded.has(f)) expanded.delete(f);
          else expanded.add(f);
          controls(m, state(), counts);
          document.querySelector('#finder-facets .finder-toggle[data-facet="' + f + '"]').focus();
        });
        btn.dataset.facet = f;
        set.appendChild(btn);
      }
      boxes.push(set);
    }
    facetsBox.replaceChildren(...boxes);
  }

  function cell(cls, label, ...content) {
    const td = document.createElement("td");
    td.className = cls;
    if (label) td.dataset.label = label;
    td.append(...content);
    return td;
  }

  function row(m, d, head) {
    const tr = document.createElement("tr");
    tr.className = "finder-row";
    const a = document.createElement("a");
    a.className = "finder-hit";
    a.href = root + head.u;
    a.textContent = head.t;
    const issuers = Array.from(m.facets.issuer.of(d), (i) => m.issuers[i]).join("、");
    const number = document.createElement("span");
    number.className = "nowrap";
    number.textContent = head.n || "";
    const level = m.cols.level[d] ? m.levels[m.cols.level[d] - 1][1] : "";
    const region = Array.from(m.facets.region.of(d), (i) => m.regions[i]).join("、");
    const time = document.createElement("time");
    time.dateTime = head.d;
    time.textContent = api.dateZh(head.d);
    tr.append(
      cell("finder-title", "", a),
      cell("finder-issuers", "发文机关", issuers),
      cell("finder-number", "文号", number),
      cell("finder-level", "层级/地区", level + (region ? " · " + region : "")),
      cell("finder-date", "日期", time)
    );
    return tr;
  }

  let run = 0;
  let shown = null;
  async function show(m, rows, token) {
    const from = tbody.children.length;
    const page = rows.slice(from, from + PER_PAGE);
    const heads = await Promise.all(page.map((d) => api.item(d)));
    if (token !== run) return;
    page.forEach((d, i) => tbody.appendChild(row(m, d, heads[i])));
    more.hidden = tbody.children.length >= rows.length;
  }

  function sortButton(s) {
    dateHead.setAttribute("aria-sort", s.sort === "old" ? "ascending" : "descending");
    const btn = document.createElement("button");
    btn.type = "button";
    btn.id = "finder-sort";
    btn.className = "finder-sort";
    btn.textContent = s.sort === "old" ? "日期 ↑" : "日期 ↓";
    btn.setAttribute("aria-label", s.sort === "old" ? "日期，从早到晚；改为从新到旧" : "日期，从新到旧；改为从早到晚");
    btn.addEventListener("click", () => {
      const next = state();
      next.sort = next.sort === "old" ? "new" : "old";
      go(next, true);
    });
    dateHead.replaceChildren(btn);
  }

  // The served page may have no table (no policies yet): one is made for the results.
  function ensureTable() {
    if (tbody) return;
    const table = document.createElement("table");
    table.className = "finder-table";
    const head = table.createTHead().insertRow();
    for (const t of ["标题", "发文机关", "文号", "层级/地区", "日期"]) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t;
      head.appendChild(th);
    }
    dateHead = head.lastChild;
    tbody = table.createTBody();
    status.after(table);
    for (const p of box.querySelectorAll(":scope > p:not(#finder-status)")) if (!p.contains(more)) p.remove();
  }

  async function render() {
    const token = ++run;
    const s = state();
    box.dataset.state = "loading";
    box.setAttribute("aria-busy", "true");
    try {
      const m = await api.load();
      if (token !== run) return;
      ensureTable();
      if (document.activeElement !== input) input.value = s.q;
      const { rows, counts } = await find(m, s);
      if (token !== run) return;
      controls(m, s, counts);
      sortButton(s);
      tbody.replaceChildren();
      shown = { m, rows };
      await show(m, rows, token);
      if (token !== run) return;
      status.textContent = rows.length ? "共 " + rows.length + " 条" : "没有符合条件的政策";
      box.dataset.total = String(rows.length);
      box.dataset.state = "done";
    } catch (e) {
      if (token !== run) return;
      status.textContent = "索引无法读取（" + e.message + "）";
      box.dataset.state = "error";
    }
    box.removeAttribute("aria-busy");
  }

  if (!api.supported) {
    // The index cannot be inflated here: the page stays as served (the table, the pager, the
    // filters as links to their pages), and says why it does not filter.
    status.textContent +=
      "。此浏览器不能解压筛选所需的索引（缺少 DecompressionStream），请用右侧链接筛选，或换用 Chrome 80、Firefox 113、Safari 16.4 或更新的浏览器。";
    box.dataset.state = "unsupported";
    return;
  }
  // From here the script drives the page: the keyword box shows, the served pager goes (the
  // results grow with 显示更多 instead).
  input.parentElement.hidden = false;
  if (pager) pager.hidden = true;
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => go({ ...state(), q: input.value }, false), 150);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    go({ ...state(), q: input.value }, true);
  });
  more.addEventListener("click", () => {
    if (shown) show(shown.m, shown.rows, run);
  });
  window.addEventListener("popstate", render);
  render();
})();

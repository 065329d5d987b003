// Exact search over the static index in search/ (format: docs/search.md). No dependencies,
// no build step. An item matches when its text contains every term of the query after NFKC,
// lower case and whitespace removal, the same normal form the index was built with
// (src/search/text.rs). Content is only ever put in the page as text (textContent,
// createTextNode), never as HTML. The index files but index.json are zlib streams, inflated
// with DecompressionStream("deflate"); a browser without it is told so, never left waiting.
"use strict";
(function () {
  // The policy finder (finder.js) reads the same index through window.BulletinSearch; the
  // search page itself is set up only where its results element is.
  const results = document.getElementById("search-results");
  const anchor = results || document.getElementById("finder");
  if (!anchor) return;
  const root = anchor.dataset.root || "";
  const dir = root + "search/";
  const form = document.getElementById("search-form");
  const input = document.getElementById("search-q");
  const filtersBox = document.getElementById("search-filters");
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-list");
  const more = document.getElementById("search-more");
  const PER_PAGE = 20;
  const SPACE = /[\s\u0085]/u;
  const FACETS = [
    ["kind", "类型"],
    ["level", "层级"],
    ["region", "地区"],
    ["issuer", "发文机关"],
    ["type", "政策类型"],
    ["year", "年份"],
    ["issue", "期刊"],
  ];

  // The normal form, as an array of code points (strings of one character each).
  function norm(s) {
    return Array.from(s.normalize("NFKC").toLowerCase()).filter((c) => !SPACE.test(c));
  }
  // One character's normal form, cached (the highlighter asks for every character shown).
  const normOne = new Map();
  function normChar(ch) {
    let n = normOne.get(ch);
    if (!n) normOne.set(ch, (n = norm(ch)));
    return n;
  }
  function queryTerms(q) {
    const seen = new Set();
    return q
      .normalize("NFKC")
      .toLowerCase()
      .split(/[\s\u0085]+/u)
      .filter((t) => t && !seen.has(t) && seen.add(t))
      .map((t) => Array.from(t));
  }

  const supported = typeof DecompressionStream === "function";
  const cache = new Map();
  // index.json as JSON; every other file inflated, as bytes.
  function get(path, kind) {
    if (!cache.has(path)) {
      cache.set(
        path,
        fetch(dir + path).then((r) => {
          if (!r.ok) throw new Error(path + ": " + r.status);
          if (kind === "json") return r.json();
          const plain = r.body.pipeThrough(new DecompressionStream("deflate"));
          return new Response(plain).arrayBuffer().then((b) => new Uint8Array(b));
        })
      );
    }
    return cache.get(path);
  }

  // Item n's file: its head (one line of JSON), then one line per further chunk, parsed only
  // when an excerpt needs that chunk. head.chunk(k) gives chunk k's parts (0: the head's own).
  const text = new TextDecoder();
  const items = new Map();
  function item(n) {
    if (!items.has(n)) {
      items.set(
        n,
        get("d/" + n + ".bin").then((bytes) => {
          const all = text.decode(bytes);
          const nl = all.indexOf("\n");
          const head = JSON.parse(nl < 0 ? all : all.slice(0, nl));
          let rest = null;
          head.chunk = (k) => {
            if (k === 0) return head.x;
            if (!rest) rest = nl < 0 ? [] : all.slice(nl + 1).split("\n");
            return JSON.parse(rest[k - 1]);
          };
          return head;
        })
      );
    }
    return items.get(n);
  }

  function reader(bytes, pos) {
    return {
      pos: pos,
      v() {
        // Most varints are one byte.
        const b0 = bytes[this.pos++];
        if (b0 < 0x80) return b0;
        let x = b0 & 0x7f;
        let shift = 7;
        for (;;) {
          const b = bytes[this.pos++];
          x += (b & 0x7f) * 2 ** shift;
          if (b < 0x80) return x;
          shift += 7;
        }
      },
    };
  }

  // A text length stored in one byte (src/search/mod.rs, length_byte): below 16 exact, else
  // (16 + b % 16) << (b / 16 - 1).
  function lengthOf(b) {
    return b < 16 ? b : (16 + (b & 15)) * 2 ** ((b >> 4) - 1);
  }

  // The manifest and the per-item columns: facets, title and text lengths, decoded once into
  // flat typed arrays. Each facet: its values' names and labels, and item d's value indexes
  // vals[at[d]] .. vals[at[d + 1]] (fc.of(d) gives them as a view).
  let ready = null;
  function load() {
    if (!ready) {
      ready = Promise.all([get("index.json", "json"), get("cols.bin")]).then(([m, bytes]) => {
        const n = m.docs;
        const c = {
          kind: new Uint8Array(n),
          level: new Uint8Array(n),
          year: new Uint16Array(n),
          date: new Uint32Array(n),
          issue: new Uint16Array(n),
          type: new Uint8Array(n),
          title: new Uint32Array(n),
          text: new Uint32Array(n),
        };
        const r = reader(bytes, 0);
        const yearIndex = new Map(m.years.map((y, i) => [y, i]));
        const policy = m.kinds.findIndex((k) => k[0] === "policies");
        const multi = () => ({ at: new Uint32Array(n + 1), vals: [] });
        const region = multi();
        const issuer = multi();
        const many = (present, into, i) => {
          if (present) {
            const k = r.v();
            for (let j = 0; j < k; j++) into.vals.push(r.v());
          }
          into.at[i + 1] = into.vals.length;
        };
        let date = 0;
        for (let i = 0; i < n; i++) {
          const head = bytes[r.pos++];
          c.kind[i] = head & 7;
          c.level[i] = (head >> 3) & 7;
          date += r.v();
          c.date[i] = date;
          c.year[i] = yearIndex.get(date >> 9) || 0;
          c.issue[i] = r.v();
          if (c.kind[i] === policy) c.type[i] = r.v();
          many(head & 64, region, i);
          many(head & 128, issuer, i);
          c.title[i] = r.v();
          c.text[i] = lengthOf(bytes[r.pos++]);
        }
        const of = function (d) {
          return this.vals.subarray(this.at[d], this.at[d + 1]);
        };
        const many_ = (names, labels, x) => ({
          names,
          labels,
          at: x.at,
          vals: Uint16Array.from(x.vals),
          of,
        });
        // A facet of at most one value per item: `plus1[d]` is the value + 1, 0 for none.
        const one = (names, labels, plus1) => {
          const at = new Uint32Array(n + 1);
          const vals = new Uint16Array(n);
          let k = 0;
          for (let i = 0; i < n; i++) {
            if (plus1[i]) vals[k++] = plus1[i] - 1;
            at[i + 1] = k;
          }
          return { names, labels, at, vals: vals.subarray(0, k), of };
        };
        const kind1 = c.kind.map((k) => k + 1);
        const year1 = c.year.map((y) => y + 1);
        m.facets = {
          kind: one(m.kinds.map((k) => k[0]), m.kinds.map((k) => k[1]), kind1),
          level: one(m.levels.map((l) => l[0]), m.levels.map((l) => l[1]), c.level),
          region: many_(m.regions, m.regions, region),
          issuer: many_(m.issuers, m.issuers, issuer),
          type: one(m.types.map((t) => t[0]), m.types.map((t) => t[1]), c.type),
          year: one(m.years.map(String), m.years.map((y) => y + "年"), year1),
          issue: one(m.series.map((s) => s[0]), m.series.map((s) => s[1]), c.issue),
        };
        m.cols = c;
        return m;
      });
    }
    return ready;
  }

  // FNV-1a of the key's UTF-8, as src/search/postings.rs.
  const utf8 = new TextEncoder();
  function shardOf(key, count) {
    let h = 0x811c9dc5;
    for (const b of utf8.encode(key)) {
      h ^= b;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h & (count - 1);
  }

  const shards = new Map();
  function shard(n) {
    if (!shards.has(n)) {
      shards.set(
        n,
        get("s/" + n + ".bin").then((bytes) => {
          const r = reader(bytes, 0);
          const count = r.v();
          const heads = [];
          for (let i = 0; i < count; i++) heads.push([r.v(), r.v(), r.v()]);
          const entries = new Map();
          let at = r.pos;
          for (const [a, b, len] of heads) {
            entries.set(a + "," + b, { bytes, at, list: null });
            at += len;
          }
          return entries;
        })
      );
    }
    return shards.get(n);
  }

  // A key's postings: doc -> sorted positions (bigram) or {count, title} (character).
  // The index's key of a character (b = 0) or a bigram.
  function keyOf(a, b) {
    return String.fromCodePoint(a) + (b ? String.fromCodePoint(b) : "");
  }

  async function postings(m, a, b) {
    const e = (await shard(shardOf(keyOf(a, b), m.shards))).get(a + "," + b);
    if (!e) return new Map();
    if (!e.list) {
      const r = reader(e.bytes, e.at);
      const docs = r.v();
      const list = new Map();
      let doc = 0;
      for (let i = 0; i < docs; i++) {
        doc = i === 0 ? r.v() : doc + r.v();
        if (b) {
          // First position × 2 + (1 if alone); else count − 2 and the other deltas.
          const x = r.v();
          let p = Math.floor(x / 2);
          const n = x % 2 ? 1 : r.v() + 2;
          const pos = new Uint32Array(n);
          pos[0] = p;
          for (let j = 1; j < n; j++) pos[j] = p = p + r.v();
          list.set(doc, pos);
        } else {
          const x = r.v();
          list.set(doc, { count: Math.floor(x / 2), title: x % 2 === 1 });
        }
      }
      e.list = list;
    }
    return e.list;
  }

  function has(sorted, x) {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo] === x;
  }

  // The items holding a term: doc -> {count, title}. A phrase is verified from positions:
  // covering bigrams (offsets 0, 2, 4… and the last) all at their offset from one start.
  // The bigrams read for a term of n ≥ 2 characters: their offsets 0, 2, 4… and the last.
  function cover(n) {
    const offsets = [];
    for (let o = 0; o <= n - 2; o += 2) offsets.push(o);
    if (offsets[offsets.length - 1] !== n - 2) offsets.push(n - 2);
    return offsets;
  }
  // The postings a term reads: [a, b] pairs of code points (b = 0 for one character).
  function pairs(cps) {
    return cps.length === 1 ? [[cps[0], 0]] : cover(cps.length).map((o) => [cps[o], cps[o + 1]]);
  }

  const matches = new Map();
  function match(m, term) {
    const key = term.join("");
    if (!matches.has(key)) matches.set(key, matchNew(m, term));
    return matches.get(key);
  }
  async function matchNew(m, term) {
    const cps = term.map((c) => c.codePointAt(0));
    if (cps.length === 1) return postings(m, cps[0], 0);
    const offsets = cover(cps.length);
    const lists = await Promise.all(pairs(cps).map(([a, b]) => postings(m, a, b)));
    let anchor = 0;
    lists.forEach((l, i) => {
      if (l.size < lists[anchor].size) anchor = i;
    });
    const out = new Map();
    for (const [doc, pos] of lists[anchor]) {
      const others = lists.map((l) => l.get(doc));
      if (others.some((p) => !p)) continue;
      let count = 0;
      let title = false;
      // The first match after the title: where the hit's excerpt is.
      let first = -1;
      for (const p of pos) {
        const start = p - offsets[anchor];
        if (start < 0) continue;
        if (others.every((q, i) => i === anchor || has(q, start + offsets[i]))) {
          count++;
          if (start < m.cols.title[doc]) title = true;
          else if (first < 0) first = start;
        }
      }
      if (count) out.set(doc, { count, title, first });
    }
    return out;
  }

  function state() {
    const p = new URLSearchParams(location.search);
    const s = { q: p.get("q") || "" };
    for (const [f] of FACETS) s[f] = p.get(f) || "";
    return s;
  }

  // The items holding every term (all items for no term), in number order, and each term's
  // matches (found[i] is terms[i]'s).
  async function matching(m, terms) {
    const found = await Promise.all(terms.map((t) => match(m, t)));
    let docs;
    if (terms.length) {
      const bySize = [...found].sort((a, b) => a.size - b.size);
      docs = [...bySize[0].keys()].filter((d) => bySize.every((f) => f.has(d)));
      docs.sort((a, b) => a - b);
    } else {
      docs = Array.from({ length: m.docs }, (_, i) => i);
    }
    return { found, docs };
  }

  // Everything matching the query and the filters, ranked, with the facet counts.
  // The shards a query's terms read, fetched as soon as the manifest gives the shard count
  // (alongside cols.bin, not after it).
  function prefetch(count, terms) {
    for (const t of terms) {
      const cps = t.map((c) => c.codePointAt(0));
      for (const [a, b] of pairs(cps)) shard(shardOf(keyOf(a, b), count));
    }
  }

  async function search(s) {
    const terms = queryTerms(s.q);
    const ready = load();
    prefetch((await get("index.json", "json")).shards, terms);
    const m = await ready;
    const { found, docs } = await matching(m, terms);
    const wanted = {};
    for (const [f] of FACETS) {
      const i = m.facets[f].names.indexOf(s[f]);
      wanted[f] = s[f] === "" ? null : i;
    }
    const active = FACETS.map(([f]) => f).filter((f) => wanted[f] !== null);
    // How many active filters each item fails: 0 is a hit; 1 counts for that filter's facet.
    const fails = new Uint8Array(m.docs);
    const failed = new Array(m.docs);
    for (const f of active) {
      const { at, vals } = m.facets[f];
      const w = wanted[f];
      for (const d of docs) {
        let ok = false;
        for (let k = at[d]; k < at[d + 1]; k++) if (vals[k] === w) ok = true;
        if (!ok) {
          fails[d]++;
          failed[d] = f;
        }
      }
    }
    const counts = {};
    for (const [f] of FACETS) {
      const { at, vals, names } = m.facets[f];
      const tally = new Uint32Array(names.length);
      for (const d of docs) {
        if (fails[d] > 1 || (fails[d] === 1 && failed[d] !== f)) continue;
        for (let k = at[d]; k < at[d + 1]; k++) tally[vals[k]]++;
      }
      const c = new Map();
      for (let v = 0; v < tally.length; v++) if (tally[v]) c.set(v, tally[v]);
      counts[f] = c;
    }
    const hits = docs.filter((d) => fails[d] === 0);
    if (terms.length) {
      const inTitle = new Uint8Array(m.docs);
      const cover = new Float64Array(m.docs);
      for (const d of hits) {
        let covered = 0;
        terms.forEach((t, i) => {
          const f = found[i].get(d);
          if (f.title) inTitle[d]++;
          covered += f.count * t.length;
        });
        cover[d] = covered / Math.max(1, m.cols.text[d]);
      }
      hits.sort((a, b) => inTitle[b] - inTitle[a] || cover[b] - cover[a] || b - a);
    } else {
      hits.reverse();
    }
    return { m, terms, hits, counts, found };
  }

  // `text` into `el`, the terms' occurrences in <mark>. Positions map through each character's
  // own normal form, so a match is marked even where the text's width or case differs.
  function marked(el, text, terms) {
    const chars = Array.from(text);
    const flat = [];
    const from = [];
    chars.forEach((ch, i) => {
      for (const n of normChar(ch)) {
        flat.push(n);
        from.push(i);
      }
    });
    const on = new Uint8Array(chars.length);
    const s = flat.join("");
    const units = flat.map((c) => c.length);
    for (const t of terms) {
      const needle = t.join("");
      let at = s.indexOf(needle);
      while (at >= 0) {
        // From a UTF-16 offset back to a code point index.
        let cp = 0;
        for (let u = 0; u < at; u += units[cp]) cp++;
        for (let k = cp; k < cp + t.length; k++) on[from[k]] = 1;
        at = s.indexOf(needle, at + 1);
      }
    }
    let i = 0;
    while (i < chars.length) {
      let j = i;
      while (j < chars.length && on[j] === on[i]) j++;
      const part = chars.slice(i, j).join("");
      if (on[i]) {
        const mk = document.createElement("mark");
        mk.textContent = part;
        el.appendChild(mk);
      } else {
        el.appendChild(document.createTextNode(part));
      }
      i = j;
    }
  }

  // Where item `doc` first matches after its title (a normal-form position), or -1 when the
  // postings do not say (one-character terms carry no positions).
  function firstMatch(found, doc) {
    let best = -1;
    for (const f of found) {
      const e = f.get(doc);
      if (e && e.first >= 0 && (best < 0 || e.first < best)) best = e.first;
    }
    return best;
  }

  // The first occurrence of a term in a chunk's parts: [part, character index], or null.
  function findIn(parts, needles) {
    for (let p = 0; p < parts.length; p++) {
      const chars = Array.from(parts[p][1]);
      const flat = [];
      const from = [];
      chars.forEach((ch, i) => {
        for (const n of normChar(ch)) {
          flat.push(n);
          from.push(i);
        }
      });
      const s = flat.join("");
      let best = -1;
      for (const n of needles) {
        const at = s.indexOf(n);
        if (at >= 0 && (best < 0 || at < best)) best = at;
      }
      if (best >= 0) return [p, from[Array.from(s.slice(0, best)).length]];
    }
    return null;
  }

  // About 100 characters of one part around character `at`.
  function cut(part, at, lead) {
    const chars = Array.from(part[1]);
    const start = Math.max(0, at - 30);
    const text = chars.slice(start, start + 100).join("");
    return (start > 0 || lead ? "…" : "") + text + (start + 100 < chars.length ? "…" : "");
  }

  // A hit's excerpt: around its first match after the title, read from the one chunk that
  // holds it (the head carries the first; the others are fetched), else the text's start.
  async function excerptOf(n, head, terms, found) {
    const lead = () => (head.x.length ? cut(head.x[0], 0, false) : "");
    const needles = terms.map((t) => t.join(""));
    const first = firstMatch(found, n);
    // A one-character term has no positions, only a count: it occurs after the title when
    // it occurs more often than in the title.
    const title = norm(head.t).join("");
    const beyond = terms.some((t, i) => {
      const e = found[i].get(n);
      return t.length === 1 && e && e.count > title.split(t[0]).length - 1;
    });
    if (first < 0 && !beyond) return lead();
    let k = 0;
    if (first >= 0) {
      while (k + 1 < head.c.length && head.c[k + 1] <= first) k++;
    }
    // Without a position, the chunks in order until one holds a term.
    const last = first >= 0 ? k : head.c.length - 1;
    for (; k <= last; k++) {
      const parts = head.chunk(k);
      const hit = findIn(parts, needles);
      if (hit) return cut(parts[hit[0]], hit[1], k > 0 && hit[0] === 0);
    }
    return lead();
  }

  function dateZh(d) {
    const [y, mo, da] = d.split("-");
    // A date the source gives only to the month (`2024-05`) is shown as 2024年5月.
    return y + "年" + Number(mo) + "月" + (da ? Number(da) + "日" : "");
  }

  function hitItem(m, doc, terms) {
    const li = document.createElement("li");
    li.className = "search-item";
    const h = document.createElement("h2");
    h.className = "card-title";
    const a = document.createElement("a");
    a.className = "search-hit";
    a.href = root + doc.u;
    marked(a, doc.t, terms);
    h.appendChild(a);
    const meta = document.createElement("p");
    meta.className = "search-meta";
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = m.kinds.find((k) => k[0] === doc.k)[1];
    const by = document.createElement("span");
    by.className = "byline";
    by.textContent = doc.b;
    const time = document.createElement("time");
    time.dateTime = doc.d;
    time.textContent = dateZh(doc.d);
    meta.append(kind, by, " · ", time);
    const ex = document.createElement("p");
    ex.className = "card-excerpt";
    marked(ex, doc.excerpt, terms);
    li.append(h, meta, ex);
    return li;
  }

  let controlsKey = null;
  function filterControls(m, s, counts) {
    // Rebuilt only when the options or their counts change.
    const key = JSON.stringify(FACETS.map(([f]) => [s[f], ...counts[f]]));
    if (key === controlsKey) return;
    controlsKey = key;
    filtersBox.replaceChildren();
    for (const [f, label] of FACETS) {
      const fc = m.facets[f];
      const c = counts[f];
      const values = [...c.keys()].filter((v) => c.get(v) > 0);
      const chosen = fc.names.indexOf(s[f]);
      if (chosen >= 0 && !values.includes(chosen)) values.push(chosen);
      if (!values.length) continue;
      // Regions in the vocabulary's order (the index lists them so); issuers most used first,
      // ties in the vocabulary's order (kind of body, then the file's order).
      values.sort((a, b) =>
        f === "issuer" ? (c.get(b) || 0) - (c.get(a) || 0) || a - b : a - b
      );
      const wrap = document.createElement("p");
      wrap.className = "search-filter";
      const id = "search-f-" + f;
      const lab = document.createElement("label");
      lab.htmlFor = id;
      lab.textContent = label;
      const sel = document.createElement("select");
      sel.id = id;
      sel.name = f;
      const all = document.createElement("option");
      all.value = "";
      all.textContent = "全部";
      sel.appendChild(all);
      for (const v of values) {
        const o = document.createElement("option");
        o.value = fc.names[v];
        o.textContent = fc.labels[v] + "（" + (c.get(v) || 0) + "）";
        o.selected = v === chosen;
        sel.appendChild(o);
      }
      sel.addEventListener("change", () => go(true));
      wrap.append(lab, " ", sel);
      filtersBox.appendChild(wrap);
    }
  }

  let run = 0;
  let shown = null;
  async function show(hits, m, terms, found, token) {
    const page = hits.slice(list.children.length, list.children.length + PER_PAGE);
    const docs = await Promise.all(
      page.map(async (d) => {
        const head = await item(d);
        const excerpt = await excerptOf(d, head, terms, found);
        return { ...head, excerpt };
      })
    );
    if (token !== run) return;
    for (const doc of docs) list.appendChild(hitItem(m, doc, terms));
    more.hidden = list.children.length >= hits.length;
  }

  async function render() {
    const token = ++run;
    const s = state();
    if (input && document.activeElement !== input) input.value = s.q;
    results.dataset.state = "loading";
    results.setAttribute("aria-busy", "true");
    try {
      const { m, terms, hits, counts, found } = await search(s);
      if (token !== run) return;
      filterControls(m, s, counts);
      list.replaceChildren();
      shown = { hits, m, terms, found };
      await show(hits, m, terms, found, token);
      if (token !== run) return;
      status.textContent = hits.length
        ? (terms.length ? "找到 " : "共 ") + hits.length + " 条"
        : "没有找到符合条件的条目";
      results.dataset.total = String(hits.length);
      results.dataset.state = "done";
    } catch (e) {
      if (token !== run) return;
      status.textContent = "搜索索引无法读取（" + e.message + "）";
      results.dataset.state = "error";
    }
    results.removeAttribute("aria-busy");
  }

  // The form's state into the URL, then search.
  function go(push) {
    const p = new URLSearchParams();
    const q = input.value.trim();
    if (q) p.set("q", q);
    for (const [f] of FACETS) {
      const sel = document.getElementById("search-f-" + f);
      const v = sel ? sel.value : state()[f];
      if (v) p.set(f, v);
    }
    const url = location.pathname + (p.toString() ? "?" + p : "");
    history[push ? "pushState" : "replaceState"](null, "", url);
    render();
  }

  // What the policy finder (finder.js) uses: the same index, the same matching.
  window.BulletinSearch = { supported, load, matching, queryTerms, item, marked, dateZh };
  if (!results) return;
  if (!supported) {
    // What the page says without JavaScript, with the reason: the index cannot be read here.
    document.getElementById("search-unsupported").hidden = false;
    status.textContent = "此浏览器无法读取搜索索引。";
    results.dataset.state = "unsupported";
    return;
  }

  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => go(false), 150);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    go(true);
  });
  more.addEventListener("click", () => {
    if (shown) show(shown.hits, shown.m, shown.terms, shown.found, run);
  });
  window.addEventListener("popstate", render);
  render();
})();

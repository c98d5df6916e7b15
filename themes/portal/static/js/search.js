/* 站内搜索: the Pagefind JavaScript API with our own accessible form.
   A module file (the Content-Security-Policy forbids inline script); the
   query, filters and sort live in the address so results can be shared.
   The index comes in parts (/pagefind/partitions.json), each its own
   Pagefind bundle with the site's word statistics. They are searched as one
   index: the first part's pagefind.js, worker and WebAssembly are loaded once
   and every other part is merged into it (Pagefind's mergeIndex), so a part
   costs the page only its own entry, metadata, filters and index chunks.
   By relevance, Pagefind merges the parts by score (ties keep the parts'
   order). Sorted by date it would merge them by score too, so each part is
   searched on its own, through a filter that holds only its pages (PART),
   and the heads of the parts' lists are compared by publication time. By
   relevance, results holding the query as typed come before those holding
   only some of its words (Pagefind cuts 住房公积金 into 住房 and 公积金 and
   would otherwise rank 公共租赁住房 among them); Pagefind's order holds within
   each group. The filters are in the page from the start (search.html) so
   that nothing moves when Pagefind's values for them arrive. */
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sortSelect = document.getElementById("sort");
const filterSelects = document.getElementById("filter-selects");
const toggle = document.getElementById("filter-toggle");
const filterCount = document.getElementById("filter-count");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const PAGE_SIZE = 20;

let index = null; // every part of the index merged into one Pagefind instance
let partIds = []; // the parts, in the order of partitions.json
// No page's own filters have this name: the parts tell it their id, for the date order.
const PART = "part-of-index";
let results = null; // the merged results of the current query (a Merged)
let shownCount = 0;
let query = 0;
const selects = {};
const more = document.getElementById("search-more");
let loadingMore = false;

function params() {
  return new URLSearchParams(window.location.search);
}

function chosenFilters() {
  const out = {};
  for (const [name, select] of Object.entries(selects)) {
    if (select.value) { out[name] = [select.value]; }
  }
  return out;
}

function remember() {
  const p = new URLSearchParams();
  if (input.value.trim()) { p.set("q", input.value.trim()); }
  if (sortSelect.value) { p.set("sort", sortSelect.value); }
  for (const [name, values] of Object.entries(chosenFilters())) { p.set("f-" + name, values[0]); }
  const query = p.toString();
  window.history.replaceState(null, "", query ? "?" + query : window.location.pathname);
}

function buildFilters(available) {
  const initial = params();
  for (const select of filterSelects.querySelectorAll("select[data-filter]")) {
    const name = select.dataset.filter;
    if (!available[name]) {
      // No page has a value for it (a site without policies has no 有效性): a select offering only 全部 would be noise.
      select.parentElement.remove();
      continue;
    }
    for (const value of Object.keys(available[name]).sort()) {
      select.add(new Option(value + "(" + available[name][value] + ")", value));
    }
    select.value = initial.get("f-" + name) || "";
    select.disabled = false;
    select.addEventListener("change", run);
    selects[name] = select;
  }
  countFilters();
}

// The folded panel (on a phone) says on its toggle how many filters narrow the results.
function countFilters() {
  const n = Object.keys(chosenFilters()).length;
  filterCount.textContent = n ? "(已选 " + n + " 项)" : "";
}

function resultItem(data) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = (data.meta && data.meta.title) || data.url;
  const heading = document.createElement("h2");
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "result-meta";
  const m = data.meta || {};
  const parts = [m.type, m.unit].filter(Boolean).map((text) => document.createTextNode(text));
  if (m.doc_number) parts.push(docNumber(m.doc_number));
  if (m.date) {
    const time = document.createElement("time");
    time.textContent = m.date;
    parts.push(time);
  }
  parts.forEach((part, i) => meta.append(...(i ? [" · ", part] : [part])));
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  keepDatesWhole(excerpt);
  li.append(heading, meta, excerpt);
  return li;
}

// As the templates' doc_no macro: a 文号 turns a line only between its issuer and 〔year〕number.
function docNumber(text) {
  const outer = document.createElement("span");
  outer.className = "doc-no";
  const cut = text.search(/[〔\[［【(（第]/);
  for (const piece of cut > 0 ? [text.slice(0, cut), text.slice(cut)] : [text]) {
    const span = document.createElement("span");
    span.className = "nowrap";
    span.textContent = piece;
    outer.append(span);
  }
  return outer;
}

// A date in an excerpt (2026-05-28) is read as one word: never split across lines on a phone.
const DATE = /\d{4}-\d{2}-\d{2}/g;
function keepDatesWhole(element) {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent.search(DATE) >= 0) nodes.push(node);
  for (const node of nodes) {
    const pieces = [];
    let last = 0;
    for (const match of node.textContent.matchAll(DATE)) {
      pieces.push(node.textContent.slice(last, match.index));
      const span = document.createElement("span");
      span.className = "nowrap";
      span.textContent = match[0];
      pieces.push(span);
      last = match.index + match[0].length;
    }
    pieces.push(node.textContent.slice(last));
    node.replaceWith(...pieces);
  }
}

// 文号 such as 云政规〔2026〕3号, typed with any brackets (〔〕, [], 【】, ()).
const DOC_NUMBER = /^[\u4e00-\u9fff]{2,}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$/;
const DOC_NUMBER_WINDOW = 50;
// Where Pagefind cut the page's text otherwise than the query (住房公积金管理中心 as 公积 + 金管), its
// phrase search misses the page: the text itself is read, for the first results only (each is a download).
const PHRASE_WINDOW = 50;

function bareNumber(text) {
  return text.replace(/[〔〕\[\]［］【】()（）\s]/g, "");
}

/* Result lists (one per part when sorted by date, one for the merged index by relevance) as one
   list, whose entries' data are loaded only when taken. `exact` holds, for each list, the ids of its
   results that Pagefind's phrase search found. */
class Merged {
  constructor(lists, byDate, exact) {
    this.total = lists.reduce((n, l) => n + l.length, 0);
    this.ready = []; // data already taken out of the lists, in order
    this.place = new WeakMap(); // data -> place in Pagefind's order by score
    this.phrased = new WeakSet(); // data of the phrase matches
    this.exactCount = null; // how many phrase matches lead the list; null: not ranked so
    if (byDate) {
      this.lists = lists.map((l) => ({ items: l, at: 0, head: null }));
    } else {
      // Scores compare across parts; ties keep each part's own order.
      const byScore = lists.flatMap((l, i) => l.map((r, j) => ({ r, i, j })))
        .sort((a, b) => b.r.score - a.r.score || a.i - b.i || a.j - b.j)
        .map((x, place) => ({ r: x.r, place, exact: Boolean(exact && exact[x.i].has(x.r.id)) }));
      const phrase = byScore.filter((x) => x.exact);
      this.flat = phrase.concat(byScore.filter((x) => !x.exact)); // in that order within each group
      if (exact) { this.exactCount = phrase.length; }
      this.at = 0;
    }
  }

  /* Moves the results among the first `window` that pass `test` to the front, in the order they
     had, or in Pagefind's order by score when `scoreOrder`. */
  async promote(window, test, scoreOrder = false) {
    const head = await this.take(window);
    const first = head.filter(test);
    if (scoreOrder) { first.sort((a, b) => this.place.get(a) - this.place.get(b)); }
    this.ready = first.concat(head.filter((d) => !first.includes(d)));
  }

  async pull(n) {
    if (this.flat) {
      const batch = this.flat.slice(this.at, this.at + n);
      this.at += batch.length;
      return Promise.all(batch.map(async (x) => {
        const data = await x.r.data();
        this.place.set(data, x.place);
        if (x.exact) { this.phrased.add(data); }
        return data;
      }));
    }
    const out = [];
    while (out.length < n) {
      await Promise.all(this.lists.map(async (l) => {
        if (!l.head && l.at < l.items.length) { l.head = await l.items[l.at++].data(); }
      }));
      let best = null;
      for (const l of this.lists) {
        if (l.head && (!best || l.head.meta.published > best.head.meta.published)) { best = l; }
      }
      if (!best) { break; }
      out.push(best.head);
      best.head = null;
    }
    return out;
  }

  async take(n) {
    const out = this.ready.splice(0, n);
    return out.concat(await this.pull(n - out.length));
  }
}

/* Pagefind's own phrase search (the query in double quotes) finds the pages holding the words
   in that order without loading any page's text, so every result is ranked, not only a first few.
   Not for the date order, and not when the citizen typed quotes: Pagefind searches a phrase already. */
function wantsPhrase(term, options) {
  return Boolean(term) && !options.sort && term.length > 1 && !term.includes('"');
}

async function searchAll(term, options) {
  if (options.sort) {
    const lists = await Promise.all(partIds.map(async (id) => {
      const own = await index.search(term, { ...options, filters: { ...options.filters, [PART]: [id] } });
      return own.results;
    }));
    return new Merged(lists, true, null);
  }
  const phrase = wantsPhrase(term, options);
  const [plain, exact] = await Promise.all([
    index.search(term, options),
    phrase ? index.search('"' + term + '"', options) : null,
  ]);
  return new Merged([plain.results], false, phrase ? [new Set(exact.results.map((r) => r.id))] : null);
}

async function showMore() {
  if (loadingMore) { return; } // a second click while the next ones load would take them twice
  loadingMore = true;
  const mine = query;
  more.textContent = "正在加载……";
  try {
    const next = await results.take(PAGE_SIZE);
    if (mine !== query) { return; } // a new search has replaced the list meanwhile
    list.append(...next.map(resultItem));
    const first = list.children[shownCount];
    shownCount += next.length;
    updateStatus();
    if (first) { first.querySelector("a").focus(); } // keyboard and screen-reader users continue where the new ones start
  } finally {
    loadingMore = false;
  }
}

// Short enough for one line on a 360 px phone: a longer status would push the results down as it wraps.
function updateStatus() {
  const total = results.total;
  const rest = total - shownCount;
  more.hidden = rest <= 0;
  more.textContent = "加载更多结果(还有 " + rest + " 条)";
  status.textContent = total === 0
    ? "没有找到相关信息,请换一个关键词,或减少筛选条件。"
    : "找到 " + total + " 条结果" + (rest > 0 ? ",已显示 " + shownCount + " 条" : "") + "。";
}

async function run(event) {
  if (event) { event.preventDefault(); }
  remember();
  countFilters();
  const mine = ++query;
  const term = input.value.trim();
  const filters = chosenFilters();
  list.replaceChildren();
  more.hidden = true;
  if (!term && Object.keys(filters).length === 0) {
    status.textContent = "请输入关键词。";
    return;
  }
  status.textContent = "正在搜索……";
  const options = { filters };
  if (sortSelect.value === "date") { options.sort = { date: "desc" }; }
  const found = await searchAll(term || null, options);
  if (mine !== query) { return; } // superseded by a newer query
  const phraseFound = found.exactCount;
  if (phraseFound !== null && phraseFound < PHRASE_WINDOW && phraseFound < found.total) {
    const typed = (d) => found.phrased.has(d) || (d.meta.title || "").includes(term) || (d.content || "").includes(term);
    await found.promote(PHRASE_WINDOW, typed, true);
  }
  if (DOC_NUMBER.test(term)) {
    // A document number names one document: put it first, however often other pages cite it.
    const wanted = bareNumber(term);
    await found.promote(DOC_NUMBER_WINDOW, (d) => d.meta.doc_number && bareNumber(d.meta.doc_number) === wanted);
  }
  if (mine !== query) { return; }
  results = found;
  shownCount = 0;
  const first = await results.take(PAGE_SIZE);
  if (mine !== query) { return; }
  list.replaceChildren(...first.map(resultItem));
  shownCount = first.length;
  updateStatus();
}

// Works before Pagefind has loaded (and if it never does): it only folds the panel.
toggle.addEventListener("click", () => {
  toggle.setAttribute("aria-expanded", String(toggle.getAttribute("aria-expanded") !== "true"));
});

async function start() {
  const manifest = await (await fetch("/pagefind/partitions.json")).json();
  partIds = manifest.partitions.map((part) => part.id);
  const base = (id) => "/pagefind/" + id + "/";
  const pagefind = await import(base(partIds[0]) + "pagefind.js");
  index = pagefind.createInstance({ basePath: base(partIds[0]), mergeFilter: { [PART]: partIds[0] } });
  await index.options({ excerptLength: 40 });
  await index.init();
  // In the order of the list: Pagefind keeps it, and so ties in score fall as they did part by part.
  await Promise.all(partIds.slice(1).map((id) => index.mergeIndex(base(id), { mergeFilter: { [PART]: id }, excerptLength: 40 })));
  buildFilters(await index.filters());
  const initial = params();
  input.value = initial.get("q") || "";
  sortSelect.value = initial.get("sort") || "";
  form.addEventListener("submit", run);
  sortSelect.addEventListener("change", run);
  more.addEventListener("click", showMore);
  if (input.value || Object.keys(chosenFilters()).length) { await run(); }
  form.dataset.ready = "true";
}

start().catch(() => {
  status.textContent = "搜索暂时无法使用,请稍后再试,或通过网站地图查找信息。";
});

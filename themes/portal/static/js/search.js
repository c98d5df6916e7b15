/* 站内搜索: the Pagefind JavaScript API with our own accessible form.
   A module file (the Content-Security-Policy forbids inline script); the
   query, filters and sort live in the address so results can be shared.
   The index comes in parts (/pagefind/partitions.json), each its own
   Pagefind bundle with the site's word statistics: every part is searched
   and the results merged here, by score, or by publication time when sorted
   by date (each part sorts its own; the heads are compared). */
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sortSelect = document.getElementById("sort");
const filterBox = document.getElementById("search-filters");
const filterSelects = document.getElementById("filter-selects");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const PAGE_SIZE = 20;
const FILTER_ORDER = ["类型", "单位", "公开类别", "有效性", "年份"];

let parts = []; // one Pagefind instance per part of the index, newest year first
let results = null; // the merged results of the current query (a Merged)
let shownCount = 0;
let query = 0;
const selects = {};
const more = document.getElementById("search-more");

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
  const names = Object.keys(available).sort((a, b) => FILTER_ORDER.indexOf(a) - FILTER_ORDER.indexOf(b));
  for (const name of names) {
    const id = "filter-" + FILTER_ORDER.indexOf(name);
    const wrap = document.createElement("div");
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = name;
    const select = document.createElement("select");
    select.id = id;
    select.name = "f-" + name;
    const all = new Option("全部", "");
    select.add(all);
    for (const value of Object.keys(available[name]).sort()) {
      select.add(new Option(value + "(" + available[name][value] + ")", value));
    }
    select.value = initial.get("f-" + name) || "";
    select.addEventListener("change", run);
    wrap.append(label, select);
    filterSelects.append(wrap);
    selects[name] = select;
  }
  filterBox.hidden = names.length === 0;
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
  meta.textContent = [m.type, m.unit, m.doc_number, m.date].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "excerpt";
  excerpt.innerHTML = data.excerpt; // Pagefind escapes the page text and adds only <mark>
  li.append(heading, meta, excerpt);
  return li;
}

// 文号 such as 云政规〔2026〕3号, typed with any brackets (〔〕, [], 【】, ()).
const DOC_NUMBER = /^[\u4e00-\u9fff]{2,}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号$/;
const DOC_NUMBER_WINDOW = 50;

function bareNumber(text) {
  return text.replace(/[〔〕\[\]［］【】()（）\s]/g, "");
}

function mergeFilters(all) {
  const out = {};
  for (const filters of all) {
    for (const [name, values] of Object.entries(filters)) {
      out[name] = out[name] || {};
      for (const [value, count] of Object.entries(values)) { out[name][value] = (out[name][value] || 0) + count; }
    }
  }
  return out;
}

/* The results of all parts as one list, whose entries' data are loaded only when taken. */
class Merged {
  constructor(lists, byDate) {
    this.total = lists.reduce((n, l) => n + l.length, 0);
    this.ready = []; // data already taken out of the lists, in order
    if (byDate) {
      this.lists = lists.map((l) => ({ items: l, at: 0, head: null }));
    } else {
      // Scores compare across parts; ties keep each part's own order.
      this.flat = lists.flatMap((l, i) => l.map((r, j) => ({ r, i, j })))
        .sort((a, b) => b.r.score - a.r.score || a.i - b.i || a.j - b.j).map((x) => x.r);
      this.at = 0;
    }
  }

  async pull(n) {
    if (this.flat) {
      const batch = this.flat.slice(this.at, this.at + n);
      this.at += batch.length;
      return Promise.all(batch.map((r) => r.data()));
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

async function searchAll(term, options) {
  const found = await Promise.all(parts.map((p) => p.search(term, options)));
  return new Merged(found.map((f) => f.results), Boolean(options.sort));
}

async function showMore() {
  const next = await results.take(PAGE_SIZE);
  list.append(...next.map(resultItem));
  const first = list.children[shownCount];
  shownCount += next.length;
  updateStatus();
  if (first) { first.querySelector("a").focus(); } // keyboard and screen-reader users continue where the new ones start
}

function updateStatus() {
  const total = results.total;
  more.hidden = shownCount >= total;
  status.textContent = total === 0
    ? "没有找到相关信息,请换一个关键词,或减少筛选条件。"
    : "找到 " + total + " 条结果" + (total > shownCount ? ",显示前 " + shownCount + " 条" : "") + "。";
}

async function run(event) {
  if (event) { event.preventDefault(); }
  remember();
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
  if (DOC_NUMBER.test(term)) {
    // A document number names one document: put it first, however often other pages cite it.
    const head = await found.take(DOC_NUMBER_WINDOW);
    const wanted = bareNumber(term);
    const exact = head.filter((d) => d.meta.doc_number && bareNumber(d.meta.doc_number) === wanted);
    found.ready = exact.concat(head.filter((d) => !exact.includes(d)));
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

async function start() {
  const manifest = await (await fetch("/pagefind/partitions.json")).json();
  parts = await Promise.all(manifest.partitions.map(async (part) => {
    const instance = await import("/pagefind/" + part.id + "/pagefind.js");
    await instance.options({ excerptLength: 40 });
    await instance.init();
    return instance;
  }));
  buildFilters(mergeFilters(await Promise.all(parts.map((p) => p.filters()))));
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

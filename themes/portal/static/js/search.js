/* 站内搜索: the Pagefind JavaScript API with our own accessible form.
   A module file (the Content-Security-Policy forbids inline script); the
   query, filters and sort live in the address so results can be shared. */
const form = document.getElementById("search-form");
const input = document.getElementById("q");
const sortSelect = document.getElementById("sort");
const filterBox = document.getElementById("search-filters");
const filterSelects = document.getElementById("filter-selects");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const PAGE_SIZE = 20;
const FILTER_ORDER = ["类型", "单位", "公开类别", "有效性", "年份"];

let pagefind;
const selects = {};

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

async function run(event) {
  if (event) { event.preventDefault(); }
  remember();
  const term = input.value.trim();
  const filters = chosenFilters();
  list.replaceChildren();
  if (!term && Object.keys(filters).length === 0) {
    status.textContent = "请输入关键词。";
    return;
  }
  status.textContent = "正在搜索……";
  const options = { filters };
  if (sortSelect.value === "date") { options.sort = { date: "desc" }; }
  const search = await pagefind.search(term || null, options);
  if (!search) { return; } // superseded by a newer query
  const isNumber = DOC_NUMBER.test(term);
  let shown = await Promise.all(search.results.slice(0, isNumber ? DOC_NUMBER_WINDOW : PAGE_SIZE).map((r) => r.data()));
  if (isNumber) {
    // A document number names one document: put it first, however often other pages cite it.
    const wanted = bareNumber(term);
    const exact = shown.filter((d) => d.meta.doc_number && bareNumber(d.meta.doc_number) === wanted);
    shown = exact.concat(shown.filter((d) => !exact.includes(d)));
  }
  shown = shown.slice(0, PAGE_SIZE);
  list.replaceChildren(...shown.map(resultItem));
  const total = search.results.length;
  status.textContent = total === 0
    ? "没有找到相关信息,请换一个关键词,或减少筛选条件。"
    : "找到 " + total + " 条结果" + (total > PAGE_SIZE ? ",显示前 " + PAGE_SIZE + " 条" : "") + "。";
}

async function start() {
  pagefind = await import("/pagefind/pagefind.js");
  await pagefind.options({ excerptLength: 40 });
  await pagefind.init();
  buildFilters(await pagefind.filters());
  const initial = params();
  input.value = initial.get("q") || "";
  sortSelect.value = initial.get("sort") || "";
  form.addEventListener("submit", run);
  sortSelect.addEventListener("change", run);
  if (input.value || Object.keys(chosenFilters()).length) { await run(); }
  form.dataset.ready = "true";
}

start().catch(() => {
  status.textContent = "搜索暂时无法使用,请稍后再试,或通过网站地图查找信息。";
});

/* factmark: the search page's results, drawn over Pagefind's own API (search/pagefind.js, written by the build:
   factmark/sitesearch.py) with no build step and no request outside the site. Each result names its document,
   then the passages that match: an annotation's with its verdict badge and summary, a section of the text with
   its heading, each with the words found <mark>ed in a snippet of whole words. The verdict and language menus
   narrow the results (Pagefind's filters); query, verdict and language stay in the URL, so a result list can be
   linked and survives a reload. */
const form = document.getElementById("fm-search-form");
const input = document.getElementById("fm-search-q");
const verdictMenu = document.getElementById("fm-search-status");
const languageMenu = document.getElementById("fm-search-language");
const summary = document.getElementById("fm-search-summary");
const list = document.getElementById("fm-search-results");
const more = document.getElementById("fm-search-more");
const PAGES = 5;  // documents drawn at once: each loads its own fragment of the index
const PASSAGES = 4;  // matching passages shown per document: its annotations' first, then the text's
const bundle = new URL(form.dataset.bundle, window.location.href);
const root = new URL(form.dataset.root, window.location.href).pathname;
const OPTIONS = { baseUrl: root, excerptLength: 24, noWorker: true };  // no worker: one script less to fetch
const statuses = [...verdictMenu.options].filter((o) => o.value)
  .map((o) => ({ key: o.value, label: o.dataset.label, symbol: o.dataset.symbol }));

function element(name, className, text) {
  const node = document.createElement(name);
  if (className) { node.className = className; }
  if (text) { node.textContent = text; }
  return node;
}

/* An entry's heading reads "<symbol> <Verdict>: <summary>": the verdict it shows, or null for a text's heading. */
function verdictOf(title) {
  const text = title.trim();
  for (const s of statuses) {
    for (const prefix of [`${s.symbol} ${s.label}:`, `${s.label}:`]) {
      if (text.startsWith(prefix)) { return { status: s, summary: text.slice(prefix.length).trim() }; }
    }
  }
  return null;
}

function badge(status) {
  const span = element("span", `fm-badge fm-${status.key}`);
  span.append(element("span", "fm-sym", status.symbol), ` ${status.label}`);
  span.firstChild.setAttribute("aria-hidden", "true");
  return span;
}

/* Pagefind's excerpt is text with < and > escaped and the words found between <mark> tags: built as nodes,
   never parsed as HTML. */
function snippet(excerpt) {
  const p = element("p", "fm-snippet");
  let marked = false;
  // Pagefind puts a space where an element it left out stood: "March , the" after a marker
  const text = excerpt.replace(/\s+(<\/mark>)?([,.;:!?)\]])/g, "$1$2");
  for (const part of text.split(/(<\/?mark>)/)) {
    if (part === "<mark>" || part === "</mark>") { marked = part === "<mark>"; continue; }
    const text = part.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    if (text) { p.append(marked ? element("mark", "", text) : text); }
  }
  return p;
}

function inSite(url) {
  return typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : root;
}

/* A section's snippet starts with its heading when the words found are near it: the link shows those words
   already. Pagefind's excerpt and plain excerpt hold the same words, <mark>s aside. */
function withoutHeading(sub) {
  const bare = (w) => w.replace(/\.+$/, "");
  const heading = (sub.title || "").trim().split(/\s+/).filter(Boolean).map(bare);
  const plain = (sub.plain_excerpt || "").trim().split(/\s+/);
  const words = (sub.excerpt || "").trim().split(/\s+/);
  const starts = heading.length && plain.length > heading.length && words.length === plain.length
    && heading.every((w, i) => bare(plain[i]) === w);
  return starts ? words.slice(heading.length).join(" ") : sub.excerpt || "";
}

/* An entry's heading (id fm-<id>--title) shows its verdict; a claims page's list of one verdict has the id
   claims-<verdict>. Any other heading is the text's own. */
function entryOf(sub) {
  const id = sub.anchor?.id || "";
  if (/--title$/.test(id)) { return verdictOf(sub.title || ""); }
  const list = /^claims-(.+)$/.exec(id);
  const status = list && statuses.find((s) => s.key === list[1]);
  return status ? { status, summary: `${status.label} claims` } : null;
}

function passage(sub, page) {
  const item = element("li", "fm-passage");
  const link = element("a");
  link.href = inSite(sub.url);
  const entry = entryOf(sub);
  if (entry) {
    item.classList.add(`fm-${entry.status.key}`);
    link.append(badge(entry.status), " ", element("span", "fm-summary", entry.summary));
  } else {
    link.textContent = sub.title && sub.title !== page ? sub.title : "In the text";
  }
  item.append(link, snippet(withoutHeading(sub)));
  return { item, verdict: entry && entry.status.key };
}

function result(data, verdict) {
  const name = data.meta?.title || data.url;
  const found = (data.sub_results || []).map((sub) => passage(sub, name));
  const subs = [...found.filter((p) => p.verdict), ...found.filter((p) => !p.verdict)];
  const kept = verdict ? subs.filter((p) => p.verdict === verdict) : subs;
  const shown = kept.length || subs.some((p) => p.verdict) ? kept : [];
  const li = element("li", "fm-result");
  const heading = element("h2", "fm-result-title");
  const link = element("a", "", name);
  link.href = inSite(data.url);
  heading.append(link);
  li.append(heading);
  const about = [data.meta?.kind, languageName(data.filters?.language?.[0])].filter(Boolean).join(" · ");
  if (about) { li.append(element("p", "fm-result-about", about)); }
  if (shown.length) {
    const passages = element("ul", "fm-passages");
    passages.append(...shown.slice(0, PASSAGES).map((p) => p.item));
    li.append(passages);
  } else {
    li.append(snippet(data.excerpt || ""));
  }
  return li;
}

const names = typeof Intl.DisplayNames === "function"
  ? new Intl.DisplayNames([document.documentElement.lang || "en"], { type: "language" }) : null;
function languageName(code) {
  if (!code) { return ""; }
  try { return (names && names.of(code)) || code; } catch { return code; }
}

let pagefind = null;
let latest = 0;
let pending = [];

async function start() {
  pagefind = await import(new URL("pagefind.js", bundle).href);
  await pagefind.options(OPTIONS);
  const languages = Object.keys((await pagefind.filters()).language || {}).sort();
  if (languages.length > 1) {
    for (const code of languages) { languageMenu.append(new Option(languageName(code), code)); }
    languageMenu.closest(".fm-search-language").hidden = false;
  }
}

function state() {
  return { q: input.value.trim(), status: verdictMenu.value, language: languageMenu.value };
}

async function run(push) {
  const { q, status, language } = state();
  const id = ++latest;
  const params = new URLSearchParams(Object.entries({ q, status, language }).filter(([, v]) => v));
  const address = `${window.location.pathname}${params.toString() ? "?" + params : ""}`;
  if (push) { window.history.replaceState(null, "", address); }
  list.replaceChildren();
  more.hidden = true;
  summary.textContent = "";
  if (!q && !status) { return; }
  const filters = {};
  if (status) { filters.verdict = status; }
  if (language) { filters.language = language; }
  const found = await pagefind.search(q || null, { filters });
  if (id !== latest) { return; }
  pending = found.results;
  const what = [q && `“${q}”`, status && statuses.find((s) => s.key === status)?.label.toLowerCase()]
    .filter(Boolean).join(", ");
  const told = pending.length
    ? `${pending.length} ${pending.length === 1 ? "page" : "pages"} for ${what}.` : `No page matches ${what}.`;
  await draw(id);
  if (id === latest) { summary.textContent = told; }  // once the results are there to read
}

async function draw(id) {
  const next = pending.splice(0, PAGES);
  const datas = await Promise.all(next.map((r) => r.data()));
  if (id !== latest) { return; }
  list.append(...datas.map((d) => result(d, verdictMenu.value)));
  more.hidden = pending.length === 0;
}

form.addEventListener("submit", (event) => { event.preventDefault(); run(true); });
verdictMenu.addEventListener("change", () => run(true));
languageMenu.addEventListener("change", () => run(true));
let typing = 0;
input.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => run(true), 250); });
more.addEventListener("click", () => draw(latest));

const params = new URLSearchParams(window.location.search);
input.value = params.get("q") || "";
verdictMenu.value = statuses.some((s) => s.key === params.get("status")) ? params.get("status") : "";
try {
  await start();
  const language = params.get("language");
  if ([...languageMenu.options].some((o) => o.value === language)) { languageMenu.value = language; }
  form.dataset.ready = "true";
  await run(false);
} catch (err) {
  summary.textContent = "Search could not load its index.";
  throw err;
}

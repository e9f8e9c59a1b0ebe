// Redline dashboard: plain JavaScript, no libraries, nothing loaded from the internet.
// Every number shown comes from the API (/overview, /findings, /findings/{id}, /entities/{id}),
// which reads it from the read model (redline.services.read) — the same queries as the briefing.
"use strict";

const I18N = {
  es: {
    "nav.overview": "Resumen", "nav.findings": "Hallazgos", "nav.api": "API", lang: "Idioma",
    overview: "Resumen", breach: "incumplimiento", high: "alto", watch: "seguimiento",
    bySector: "Hallazgos por sector y gravedad", trends: "Tendencias por año de adjudicación", trendTable: "Tabla de tendencias",
    byBuyer: "Hallazgos y monto adjudicado por dependencia compradora y año", byBuyerTable: "Tabla por dependencia compradora",
    coverage: "Cobertura de los datos", sector: "Sector", severity: "Gravedad", year: "Año",
    findings: "Hallazgos", awards: "Adjudicaciones", value: "Monto adjudicado",
    search: "Buscar", all: "Todos", supplier: "Proveedor", buyer: "Dependencia compradora",
    listed: "Entidad en lista", score: "Puntaje", evidence: "Evidencia", kind: "Tipo",
    record: "Registro", source: "Fuente", ownership: "Cadena de propiedad",
    alternatives: "Alternativas", guardRails: "Salvaguardas", listings: "Registros en lista",
    since: "desde", until: "hasta", owners: "Propietarios", subsidiaries: "Subsidiarias conocidas",
    publishers: "Publicadores", lists: "Listas", none: "Ninguno", apply: "Aplicar",
    total: "total", notFound: "No encontrado", back: "← Hallazgos", risk: "Riesgo",
    listedAtAward: "En lista a la fecha de adjudicación", listedNow: "En lista hoy",
    alsoMeets: "También cumple", basis: "fundamento",
    review: "Revisión", reviewNone: "Sin revisar", note: "Nota", confirm: "Confirmar", dismiss: "Descartar",
    reopen: "Reabrir", dismissed: "descartado", confirmed: "confirmado", reopened: "reabierto",
    keyPrompt: "Clave de la API (X-API-Key) para registrar revisiones; se guarda solo en esta sesión del navegador:",
    yes: "Sí", no: "No", list: "Lista", dateFrom: "Adjudicado desde", dateTo: "Adjudicado hasta",
    export: "Exportar CSV", exportXlsx: "Exportar XLSX", strength: "Solidez de la evidencia", pending: "pendiente",
    "ev.release": "Registro de contratación", "ev.match": "Coincidencia de nombre",
    "ev.listing": "Registro en lista", "ev.signal": "Señal de sector", "ev.ownership": "Vínculo de propiedad",
    entityFindings: "Hallazgos que involucran a esta entidad", buyerUnnamed: "dependencia no identificada en la fuente",
    sortHint: "Haga clic en un encabezado para ordenar", rule: "Regla", line: "línea",
    "field.tender.description": "descripción del procedimiento", "field.tender.title": "título del procedimiento",
    "field.buyer": "nombre de la dependencia", "field.items": "descripción de partidas", "field.award.title": "título de la adjudicación",
    "rel.ownership": "propiedad", "rel.control": "control", "rel.subsidiary": "subsidiaria",
    entities: "Entidades", contracts: "Contratos", buyers: "Compradores", processes: "Procedimientos",
    searchPlaceholder: "Empresa, contrato o comprador (también 华为)", results: "Resultados para",
    "reason.exact": "nombre exacto", "reason.alias": "alias", "reason.matcher": "coincidencia del cotejador",
    "reason.prefix": "empieza por", "reason.contains": "contiene", why: "Por qué", countries: "Países",
    "schema.Company": "Empresa", "schema.Organization": "Organización", "schema.LegalEntity": "Entidad", "schema.Person": "Persona",
  },
  en: {
    "nav.overview": "Overview", "nav.findings": "Findings", "nav.api": "API", lang: "Language",
    overview: "Overview", breach: "breach", high: "high", watch: "watch",
    bySector: "Findings by sector and severity", trends: "Trends by award year", trendTable: "Trends as a table",
    byBuyer: "Findings and awarded value by buyer and year", byBuyerTable: "By buyer as a table",
    coverage: "Data coverage", sector: "Sector", severity: "Severity", year: "Year",
    findings: "Findings", awards: "Awards", value: "Awarded value",
    search: "Search", all: "All", supplier: "Supplier", buyer: "Buyer",
    listed: "Listed entity", score: "Score", evidence: "Evidence", kind: "Kind",
    record: "Record", source: "Source", ownership: "Ownership path",
    alternatives: "Alternatives", guardRails: "Guard rails", listings: "Listings",
    since: "since", until: "until", owners: "Owners", subsidiaries: "Known subsidiaries",
    publishers: "Publishers", lists: "Lists", none: "None", apply: "Apply",
    total: "total", notFound: "Not found", back: "← Findings", risk: "Risk",
    listedAtAward: "Listed at award date", listedNow: "Listed now",
    alsoMeets: "Also meets", basis: "basis",
    review: "Review", reviewNone: "Not reviewed", note: "Note", confirm: "Confirm", dismiss: "Dismiss",
    reopen: "Reopen", dismissed: "dismissed", confirmed: "confirmed", reopened: "reopened",
    keyPrompt: "API key (X-API-Key) to record reviews; kept for this browser session only:",
    yes: "Yes", no: "No", list: "List", dateFrom: "Awarded from", dateTo: "Awarded to",
    export: "Export CSV", exportXlsx: "Export XLSX", strength: "Evidence strength", pending: "pending",
    "ev.release": "Procurement record", "ev.match": "Name match",
    "ev.listing": "Listing", "ev.signal": "Sector signal", "ev.ownership": "Ownership link",
    entityFindings: "Findings involving this entity", buyerUnnamed: "buyer not named in the source",
    sortHint: "Click a heading to sort", rule: "Rule", line: "line",
    "field.tender.description": "tender description", "field.tender.title": "tender title",
    "field.buyer": "buyer's name", "field.items": "item description", "field.award.title": "award title",
    "rel.ownership": "ownership", "rel.control": "control", "rel.subsidiary": "subsidiary",
    entities: "Entities", contracts: "Contracts", buyers: "Buyers", processes: "Processes",
    searchPlaceholder: "Company, contract or buyer (also 华为)", results: "Results for",
    "reason.exact": "exact name", "reason.alias": "alias", "reason.matcher": "matcher",
    "reason.prefix": "starts with", "reason.contains": "contains", why: "Why", countries: "Countries",
    "schema.Company": "Company", "schema.Organization": "Organization", "schema.LegalEntity": "Legal entity", "schema.Person": "Person",
  },
};
const SEVERITIES = ["breach", "high", "watch", "review"];
// ?lang=es|en in the address wins (a link can be shared in one language), then the last choice
const urlLang = new URLSearchParams(location.search).get("lang");
let lang = ["es", "en"].includes(urlLang) ? urlLang : localStorage.getItem("redline.lang") || "es";
const t = (key) => (I18N[lang] && I18N[lang][key]) || key;
const viewNode = document.getElementById("view");
// Each navigation is numbered; a view shows what it rendered only while its navigation is the
// latest. Without this a slow answer (the overview, while a first search builds the matcher's
// index) came back after the user had moved on and replaced the page they were reading.
let navigation = 0;
function currentView() {
  const seq = navigation;
  return { replaceChildren: (...nodes) => { if (seq === navigation) viewNode.replaceChildren(...nodes); } };
}

// build elements without innerHTML so data from the store can never inject markup
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "onclick" || k === "onchange") node[k] = v;
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}
const svgEl = (tag, attrs = {}, ...kids) => {
  const n = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  for (const c of kids) n.append(c instanceof Node ? c : document.createTextNode(c));
  return n;
};
const fmt = (v) => (v === null || v === undefined ? "—" : Number(v).toLocaleString(lang === "es" ? "es-MX" : "en-US"));
const yesno = (v) => (v === null || v === undefined ? "—" : v ? t("yes") : t("no"));

// every table sorts on a click on its heading (numbers as numbers, text in the reader's collation)
function sortBy(tableNode, col, th) {
  const rows = [...tableNode.querySelectorAll("tr")].slice(1);
  const dir = th.dataset.sort === "asc" ? -1 : 1;
  tableNode.querySelectorAll("th").forEach((h) => delete h.dataset.sort);
  th.dataset.sort = dir === 1 ? "asc" : "desc";
  const key = (r) => r.children[col]?.textContent.trim() ?? "";
  const num = (x) => Number(x.replace(/[^0-9.-]/g, ""));
  rows.sort((a, b) => {
    const x = key(a), y = key(b);
    const both = x !== "" && y !== "" && !isNaN(num(x)) && !isNaN(num(y)) && /\d/.test(x) && /\d/.test(y);
    return dir * (both ? num(x) - num(y) : x.localeCompare(y, lang));
  });
  rows.forEach((r) => tableNode.append(r));
}
const table = (head, rows, attrs = {}) => {
  const node = el("table", attrs);
  node.append(el("tr", {}, head.map((h, i) => el("th", { class: "sortable", onclick: (ev) => sortBy(node, i, ev.currentTarget) }, h))));
  node.append(...rows);
  return node;
};

// the view as CSV, exactly the rows and columns on screen (after filters and sorting)
function exportCsv(tableNode, name) {
  const cell = (c) => `"${c.textContent.trim().replace(/"/g, '""')}"`;
  const lines = [...tableNode.querySelectorAll("tr")].map((r) => [...r.children].map(cell).join(","));
  const blob = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/csv;charset=utf-8" });
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.append(a); a.click(); a.remove();
}

// the view as XLSX: the server builds it (openpyxl) from the same filters, in the reader's
// language, sorted on the column the reader sorted by
const XLSX_COLUMNS = ["severity", "supplier", "listed", "sector", "buyer", "date", "lists", "strength", "score", "review"];
function exportXlsx(tableNode, params) {
  const p = new URLSearchParams(params);
  p.set("lang", lang);
  const sorted = [...tableNode.querySelectorAll("th")].findIndex((h) => h.dataset.sort);
  if (sorted >= 0) {
    p.set("sort", XLSX_COLUMNS[sorted]);
    if (tableNode.querySelectorAll("th")[sorted].dataset.sort === "desc") p.set("desc", "true");
  }
  const a = el("a", { href: `findings.xlsx?${p}`, download: "" });
  document.body.append(a); a.click(); a.remove();
}

async function api(path) {
  path += (path.includes("?") ? "&" : "?") + `lang=${lang}`;
  const resp = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await resp.json();
  if (!resp.ok) throw new Error(body.error ? body.error.message : resp.statusText);
  return body;
}

function bars(rows, label, value, cls) {
  // horizontal bar chart as inline SVG: one bar per row
  const max = Math.max(1, ...rows.map(value));
  const h = 22 * rows.length + 10;
  const svg = svgEl("svg", { width: 560, height: h, viewBox: `0 0 560 ${h}`, class: "chart", role: "img" });
  rows.forEach((r, i) => {
    const w = (360 * value(r)) / max;
    svg.append(svgEl("text", { x: 0, y: 22 * i + 16 }, label(r)));
    svg.append(svgEl("rect", { x: 150, y: 22 * i + 4, width: w, height: 16, class: `bar ${cls(r)}` }));
    svg.append(svgEl("text", { x: 155 + w, y: 22 * i + 16 }, String(value(r))));
  });
  return svg;
}

const PALETTE = ["#b2182b", "#2166ac", "#1b7837", "#762a83", "#e08214", "#35978f", "#8c510a", "#c51b7d"];

function trendChart(trends, names) {
  // findings by award year as stacked bars, one colour per sector; every bar carries its
  // numbers (data-* and <title>) so the chart can be read back like the table it replaces
  const years = [...new Set(trends.map((r) => r.year))].sort((a, b) => a - b);
  const sectors = [...new Set(trends.map((r) => r.class_id))].sort();
  const colour = (s) => PALETTE[sectors.indexOf(s) % PALETTE.length];
  const count = new Map();
  for (const r of trends) count.set(`${r.year}|${r.class_id}`, r.findings);
  const totals = years.map((y) => sectors.reduce((a, s) => a + (count.get(`${y}|${s}`) || 0), 0));
  const max = Math.max(1, ...totals);
  const left = 34, top = 18, plotH = 180, step = 44, barW = 28;
  const legendY = top + plotH + 34;
  const width = Math.max(left + step * years.length + 10, 420);
  const height = legendY + 18 * sectors.length;
  const svg = svgEl("svg", { id: "trend-chart", class: "chart", width, height, viewBox: `0 0 ${width} ${height}`, role: "img" },
    svgEl("title", {}, t("trends")));
  const y = (v) => top + plotH - (plotH * v) / max;
  for (let v = 0; v <= max; v += Math.max(1, Math.ceil(max / 5))) {
    svg.append(svgEl("line", { x1: left, x2: width, y1: y(v), y2: y(v), class: "grid" }));
    svg.append(svgEl("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
  }
  years.forEach((year, i) => {
    const x = left + 8 + step * i;
    let base = 0;
    for (const s of sectors) {
      const n = count.get(`${year}|${s}`) || 0;
      if (!n) continue;
      svg.append(svgEl("rect", { x, y: y(base + n), width: barW, height: y(base) - y(base + n), fill: colour(s),
        class: "trend-bar", "data-year": year, "data-sector": s, "data-findings": n },
        svgEl("title", {}, `${year} · ${names[s] || s}: ${n} ${t("findings")}`)));
      base += n;
    }
    svg.append(svgEl("text", { x: x + barW / 2, y: y(base) - 3, "text-anchor": "middle" }, String(base)));
    svg.append(svgEl("text", { x: x + barW / 2, y: top + plotH + 14, "text-anchor": "middle" }, String(year)));
  });
  sectors.forEach((s, i) => {
    svg.append(svgEl("rect", { x: left, y: legendY + 18 * i - 10, width: 12, height: 12, fill: colour(s) }));
    svg.append(svgEl("text", { x: left + 18, y: legendY + 18 * i }, names[s] || s));
  });
  return svg;
}

async function overview() {
  const view = currentView();  // taken before the first await
  const o = await api("overview");
  const cards = SEVERITIES.map((s) =>
    el("div", { class: "card", "data-severity": s },
      el("div", { class: `n sev-${s}` }, String(o.severity[s] ?? 0)), t(s)));
  const sectorRows = o.by_sector_severity.map((r) =>
    el("tr", { class: "row", onclick: () => go(`#/findings?sector=${r.class_id}&severity=${r.severity}`) },
      el("td", {}, o.sector_names[r.class_id] || r.class_id), el("td", { class: `sev-${r.severity}` }, t(r.severity)),
      el("td", { class: "n" }, String(r.findings))));
  const trendRows = o.trends.map((r) => el("tr", {}, el("td", {}, String(r.year)), el("td", {}, o.sector_names[r.class_id] || r.class_id),
    el("td", { class: "n" }, String(r.findings)), el("td", { class: "n" }, r.currency ? `${r.currency} ${fmt(r.value)}` : "—")));
  const c = o.coverage;
  view.replaceChildren(
    el("h1", {}, t("overview")), el("div", { class: "cards" }, cards),
    el("h2", {}, t("bySector")),
    bars(o.by_sector_severity, (r) => o.sector_names[r.class_id] || r.class_id, (r) => r.findings, (r) => r.severity),
    table([t("sector"), t("severity"), t("findings")], sectorRows, { id: "sector-table" }),
    el("h2", {}, t("trends")),
    o.trends.length ? trendChart(o.trends, o.sector_names) : el("p", { class: "muted" }, t("none")),
    el("details", {}, el("summary", {}, t("trendTable")),
      table([t("year"), t("sector"), t("findings"), t("value")], trendRows, { id: "trend-table" })),
    el("h2", {}, t("byBuyer")),
    el("img", { id: "buyer-chart", class: "chart", src: `charts/buyers.svg?lang=${lang}`, alt: t("byBuyer") }),
    el("details", {}, el("summary", {}, t("byBuyerTable")),
      el("div", { class: "scroll" }, table([t("buyer"), t("year"), t("findings"), t("value")], o.by_buyer_year.map((r) => el("tr", {},
        el("td", {}, r.buyer || t("buyerUnnamed")), el("td", {}, String(r.year)), el("td", { class: "n" }, String(r.findings)),
        el("td", { class: "n" }, r.currency && r.value ? `${r.currency} ${fmt(r.value)}` : "—"))), { id: "buyer-table" }))),
    el("h2", {}, t("coverage")),
    table([t("publishers"), t("total"), t("year")], c.publishers.map((p) => el("tr", {},
      el("td", {}, p.publisher), el("td", { class: "n" }, String(p.processes)),
      el("td", {}, `${p.first_year ?? "?"}–${p.last_year ?? "?"}`)))),
    table([t("lists"), t("listings"), t("since"), t("until")], c.lists.map((l) => el("tr", {},
      el("td", {}, l.list_name), el("td", { class: "n" }, String(l.listings)),
      el("td", {}, l.first_listed ?? "—"), el("td", {}, l.last_listed ?? "—")))),
  );
}

async function findings(params) {
  const view = currentView();  // taken before the first await
  const [o, page] = await Promise.all([api("overview"), api(`findings?${params}`)]);
  const sectors = [...new Set(o.by_sector_severity.map((r) => r.class_id))].sort();
  const select = (name, values, labeller) => el("select", { name, id: `f-${name}` },
    el("option", { value: "" }, t("all")),
    values.map((v) => { const opt = el("option", { value: v }, labeller(v)); if (params.get(name) === v) opt.selected = true; return opt; }));
  const q = el("input", { name: "q", id: "f-q", type: "search", value: params.get("q") || "" });
  const year = el("input", { name: "year", id: "f-year", type: "number", value: params.get("year") || "" });
  const form = el("form", { class: "filters", id: "filters" },
    el("label", {}, t("sector"), select("sector", sectors, (v) => o.sector_names[v] || v)),
    el("label", {}, t("severity"), select("severity", SEVERITIES, t)),
    el("label", {}, t("list"), select("list", Object.keys(o.list_names).sort(), (v) => o.list_names[v])),
    el("label", {}, t("strength"), select("strength", Object.keys(o.strength_names), (v) => o.strength_names[v])),
    el("label", {}, t("buyer"), el("input", { name: "buyer", id: "f-buyer", type: "search", value: params.get("buyer") || "" })),
    el("label", {}, t("dateFrom"), el("input", { name: "date_from", id: "f-date_from", type: "date", value: params.get("date_from") || "" })),
    el("label", {}, t("dateTo"), el("input", { name: "date_to", id: "f-date_to", type: "date", value: params.get("date_to") || "" })),
    el("label", {}, t("year"), year), el("label", {}, t("search"), q),
    el("button", { type: "submit" }, t("apply")));
  form.onsubmit = (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v) p.set(k, v);
    go(`#/findings?${p}`);
  };
  form.querySelectorAll("select").forEach((s) => (s.onchange = () => form.requestSubmit()));
  const rows = page.items.map((f) => el("tr", { class: "row", "data-finding": f.finding_id, onclick: () => go(`#/finding/${encodeURIComponent(f.finding_id)}`) },
    el("td", { class: `sev-${f.severity}` }, t(f.severity)), el("td", {}, f.supplier_name),
    el("td", {}, f.listed_caption || f.listed_entity_id), el("td", {}, f.sector_name || f.class_id),
    el("td", {}, f.buyer_name || t("buyerUnnamed")), el("td", {}, f.award_when || f.award_date || ""),
    el("td", {}, (f.list_names || f.list_codes || []).join("; ")),
    el("td", { class: "strength" }, f.strength_name || f.evidence_strength || t("pending")), el("td", { class: "n" }, String(f.score)),
    el("td", { class: "review" }, f.review ? t(REVIEWED[f.review.action] || f.review.action) : "")));
  const tbl = table([t("severity"), t("supplier"), t("listed"), t("sector"), t("buyer"), t("year"), t("lists"), t("strength"), t("score"), t("review")], rows, { id: "findings-table" });
  view.replaceChildren(el("h1", {}, t("findings")), form,
    el("p", { class: "muted", id: "total" }, `${page.total} ${t("total")} · ${t("sortHint")} `,
      el("button", { id: "export", type: "button", onclick: () => exportCsv(tbl, "redline-findings.csv") }, t("export")), " ",
      el("button", { id: "export-xlsx", type: "button", onclick: () => exportXlsx(tbl, params) }, t("exportXlsx"))),
    el("div", { class: "scroll" }, tbl));
}

function graph(g) {
  // the ownership path, left to right: supplier → matched entity → … → listed entity
  const w = 190, gap = 90, h = 70;
  const svg = svgEl("svg", { class: "graph", width: g.nodes.length * (w + gap), height: h + 30 });
  svg.append(svgEl("defs", {}, svgEl("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 8, markerHeight: 8, orient: "auto" },
    svgEl("path", { d: "M0,0 L10,5 L0,10 z" }))));
  const x = (i) => i * (w + gap);
  g.edges.forEach((e, i) => {
    svg.append(svgEl("line", { class: "edge", x1: x(i) + w, y1: h / 2, x2: x(i + 1), y2: h / 2 }));
    svg.append(svgEl("text", { x: x(i) + w + 4, y: h / 2 - 6 }, e.label));
  });
  g.nodes.forEach((n, i) => {
    const node = svgEl("g", { class: `node ${n.kind}`, "data-node": n.id });
    node.append(svgEl("rect", { x: x(i), y: 10, width: w, height: h - 20, rx: 6 }));
    node.append(svgEl("text", { x: x(i) + 8, y: h / 2 + 4 }, String(n.label).slice(0, 30)));
    if (n.kind !== "supplier") { node.style.cursor = "pointer"; node.onclick = () => go(`#/entity/${encodeURIComponent(n.id)}`); }
    svg.append(node);
  });
  return svg;
}

async function finding(id) {
  const view = currentView();  // taken before the first await
  const f = await api(`findings/${encodeURIComponent(id)}`);
  const ledger = f.ledger.map((e) => el("tr", { "data-kind": e.kind }, el("td", {}, t(`ev.${e.kind}`)), el("td", {}, e.kind === "signal" ? f.sector_name || e.ref : e.ref,
    e.kind === "release" && /^line:\d+/.test(e.detail.pointer ?? "") ? ` — ${t("line")} ${e.detail.pointer.match(/^line:(\d+)/)[1]}` : "",
    ...(e.kind === "release" ? (e.detail.documents ?? []).map((u) => el("div", { class: "doc" }, el("a", { href: u }, u))) : []),
    e.kind === "listing" ? ` — ${(f.list_names || [])[f.list_codes.indexOf(e.detail.list_code)] || e.detail.list_code} ${t("since")} ${e.detail.start_date ?? "?"}` : "",
    e.kind === "signal" ? ` — “${e.detail.value}”` : "",
    e.kind === "match" ? ` — “${e.detail.supplier_name}” ${e.detail.score}` : ""), el("td", {},
    /^https?:\/\//.test(e.source ?? "") ? el("a", { href: e.source }, new URL(e.source).host)
      : e.kind === "release" ? (e.detail.publisher ?? "").split(/ \(|:/)[0] : e.kind === "signal" ? t(`field.${e.source}`) : e.source ?? "")));
  const points = f.risk.components.reduce((a, c) => a + c.points, 0);
  view.replaceChildren(
    el("p", {}, el("a", { href: "#/findings" }, t("back"))),
    el("h1", { class: `sev-${f.severity}` }, `${t(f.severity)}: ${f.supplier_name}`),
    el("p", { id: "sentence" }, f.sentence),
    el("p", {}, `${f.sector_name || ""} · ${t("rule")}: ${f.rule_title || f.rule_id}`),
    el("p", {}, `${f.ocid} · ${f.buyer_name || t("buyerUnnamed")} · ${f.award_when ?? f.award_date ?? ""} · ${f.currency ?? ""} ${fmt(f.amount)} · ${t("risk")} ${points.toFixed(1)} · ${t("strength")}: ${f.strength_name || f.evidence_strength || t("pending")}`),
    el("p", { id: "listed-flags" }, `${t("listedAtAward")}: ${yesno(f.listed_at_award)} · ${t("listedNow")}: ${yesno(f.listed_now)}`),
    el("h2", {}, t("evidence")), table([t("kind"), t("record"), t("source")], ledger, { id: "evidence" }),
    el("h2", {}, t("alsoMeets")), el("ul", { id: "also-meets" }, (f.also_meets || []).length
      ? f.also_meets.map((m) => el("li", { "data-rule": m.rule_id }, el("span", { class: `sev-${m.severity}` }, t(m.severity)),
        ` ${m.sentence} `, el("a", { href: m.basis_url }, t("basis"))))
      : el("li", {}, t("none"))),
    el("h2", {}, t("ownership")), el("div", { class: "scroll" }, graph(f.graph)),
    el("h2", {}, t("alternatives")), el("ul", { id: "alternatives" }, f.alternatives.length ? f.alternatives.map((a) => el("li", {}, el("a", { href: a.url }, a.name), ` (${regionName(a.country)})`)) : el("li", {}, t("none"))),
    el("h2", {}, t("guardRails")), el("ul", { id: "guard-rails" }, f.guard_rails.map((g) => el("li", {}, g))),
    reviewPanel(f),
  );
}

// the review of a finding: its state, its audit trail, and buttons calling POST /findings/{id}/review
const REVIEWED = { dismiss: "dismissed", confirm: "confirmed", reopen: "reopened" };
function reviewPanel(f) {
  const state = f.review ? `${t(REVIEWED[f.review.action] || f.review.action)} — ${f.review.reviewer}, ${f.review.reviewed_at}${f.review.note ? `: ${f.review.note}` : ""}` : t("reviewNone");
  const note = el("input", { id: "review-note", type: "text", placeholder: t("note"), maxlength: "2000" });
  const status = el("p", { id: "review-status", class: "muted" });
  const act = (action) => el("button", { type: "button", "data-action": action, onclick: () => sendReview(f.finding_id, action, note.value, status) }, t(action));
  return el("section", { id: "review" }, el("h2", {}, t("review")), el("p", { id: "review-state" }, state),
    el("div", { class: "filters" }, note, act("confirm"), act("dismiss"), act("reopen")), status,
    el("ul", { id: "review-trail" }, (f.review_trail || []).map((r) => el("li", {}, `${r.reviewed_at} ${r.reviewer}: ${t(REVIEWED[r.action] || r.action)}${r.note ? ` — ${r.note}` : ""}`))));
}

async function sendReview(id, action, note, status) {
  // asked once per browser session; never kept beyond it
  let key = sessionStorage.getItem("redline.key");
  if (!key) { key = prompt(t("keyPrompt")) || ""; if (key) sessionStorage.setItem("redline.key", key); }
  const resp = await fetch(`findings/${encodeURIComponent(id)}/review`, {
    method: "POST", headers: { "Content-Type": "application/json", Accept: "application/json", "X-API-Key": key },
    body: JSON.stringify({ action, note }),
  });
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    if (resp.status === 401 || resp.status === 403) sessionStorage.removeItem("redline.key");
    status.textContent = body.error ? body.error.message : resp.statusText;
    return;
  }
  await finding(id);
}

const regionName = (code) => {
  try { return code && code.length === 2 ? new Intl.DisplayNames([lang], { type: "region" }).of(code) : code; }
  catch { return code; }
};

async function entity(id) {
  const view = currentView();  // taken before the first await
  const [e, involved] = await Promise.all([api(`entities/${encodeURIComponent(id)}`),
    api(`findings?listed=${encodeURIComponent(id)}&limit=200`)]);
  const findingRows = involved.items.map((f) => el("tr", { class: "row", "data-finding": f.finding_id, onclick: () => go(`#/finding/${encodeURIComponent(f.finding_id)}`) },
    el("td", { class: `sev-${f.severity}` }, t(f.severity)), el("td", {}, f.supplier_name), el("td", {}, f.sector_name || f.class_id),
    el("td", {}, f.buyer_name || t("buyerUnnamed")), el("td", {}, f.ocid), el("td", {}, f.award_when || f.award_date || "")));
  const link = (r) => el("a", { href: `#/entity/${encodeURIComponent(r.entity_id)}` }, r.caption || r.entity_id);
  const edgeRows = (rows) => rows.map((r) => el("tr", {}, el("td", {}, link(r)), el("td", {}, t(`rel.${r.relation}`).startsWith("rel.") ? r.relation : t(`rel.${r.relation}`)), el("td", { class: "n" }, r.percentage ?? "—"), el("td", {}, r.source ?? "")));
  view.replaceChildren(
    el("h1", {}, e.caption), el("p", { class: "muted" }, `${t(`schema.${e.schema}`)} · ${(e.countries || []).map(regionName).join(", ")} · ${e.names.join(" / ")}`),
    el("h2", {}, t("entityFindings")),
    table([t("severity"), t("supplier"), t("sector"), t("buyer"), t("record"), t("year")], findingRows, { id: "entity-findings" }),
    el("h2", {}, t("listings")),
    table([t("lists"), t("since"), t("until"), t("source")], e.listings.map((l) => el("tr", {},
      el("td", {}, l.list_name), el("td", {}, l.start_text || l.start_date || "—"),
      el("td", {}, l.end_date || "—"), el("td", {}, l.source_url ? el("a", { href: l.source_url }, l.source_url) : l.source_file || ""))), { id: "listings" }),
    el("h2", {}, t("owners")), table([t("listed"), t("kind"), "%", t("source")], edgeRows(e.owners)),
    el("h2", {}, t("subsidiaries")), table([t("listed"), t("kind"), "%", t("source")], edgeRows(e.subsidiaries), { id: "subsidiaries" }),
  );
}

// one box for entities (ranked: exact, alias, matcher, prefix, contains), contracts and buyers
async function searchView(q) {
  const view = currentView();  // taken before the first await
  // the heading first: the matcher's first search on a cold server builds its index
  view.replaceChildren(el("h1", {}, `${t("results")} “${q}”`), el("p", { class: "muted" }, "…"));
  const r = await api(`search?q=${encodeURIComponent(q)}&limit=50`);
  const entityRows = r.results.map((e) => el("tr", { class: "row", "data-entity": e.id, onclick: () => go(`#/entity/${encodeURIComponent(e.id)}`) },
    el("td", {}, e.caption), el("td", {}, t(`reason.${e.reason}`)), el("td", {}, t(`schema.${e.schema}`)),
    el("td", {}, (e.countries || []).map(regionName).join(", "))));
  const contractRows = r.contracts.items.map((c) => el("tr", { class: c.findings ? "row" : "", "data-ocid": c.ocid,
    onclick: c.findings ? () => go(`#/findings?q=${encodeURIComponent(c.ocid)}`) : null },
    el("td", {}, c.ocid), el("td", {}, c.title || "—"), el("td", {}, c.buyer_name || t("buyerUnnamed")),
    el("td", {}, (c.suppliers || []).join("; ")), el("td", {}, c.date || "—"),
    el("td", { class: "n" }, c.awarded === null ? "—" : `${c.currency ?? ""} ${fmt(c.awarded)}`), el("td", { class: "n" }, String(c.findings))));
  const buyerRows = r.buyers.items.map((b) => el("tr", { class: "row", "data-buyer": b.buyer_name, onclick: () => go(`#/findings?buyer=${encodeURIComponent(b.buyer_name)}`) },
    el("td", {}, b.buyer_name), el("td", { class: "n" }, String(b.processes)), el("td", { class: "n" }, String(b.findings))));
  view.replaceChildren(el("h1", {}, `${t("results")} “${q}”`),
    el("h2", {}, `${t("entities")} (${r.total.value})`),
    el("div", { class: "scroll" }, table([t("listed"), t("why"), t("kind"), t("countries")], entityRows, { id: "search-entities" })),
    el("h2", {}, `${t("contracts")} (${r.contracts.total})`),
    el("div", { class: "scroll" }, table([t("record"), t("processes"), t("buyer"), t("supplier"), t("year"), t("value"), t("findings")], contractRows, { id: "search-contracts" })),
    el("h2", {}, `${t("buyers")} (${r.buyers.total})`),
    el("div", { class: "scroll" }, table([t("buyer"), t("processes"), t("findings")], buyerRows, { id: "search-buyers" })));
}

function go(hash) { if (location.hash === hash) route(); else location.hash = hash; }

async function route() {
  navigation += 1;
  const view = currentView();
  document.documentElement.lang = lang;
  document.querySelectorAll("[data-i18n]").forEach((n) => (n.textContent = t(n.dataset.i18n)));
  document.querySelectorAll("[data-i18n-placeholder]").forEach((n) => (n.placeholder = t(n.dataset.i18nPlaceholder)));
  const [path, query] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(query || "");
  try {
    if (path.startsWith("/finding/")) await finding(decodeURIComponent(path.slice(9)));
    else if (path.startsWith("/findings")) await findings(params);
    else if (path.startsWith("/search")) await searchView(params.get("q") || "");
    else if (path.startsWith("/entity/")) await entity(decodeURIComponent(path.slice(8)));
    else await overview();
  } catch (err) {
    view.replaceChildren(el("p", { class: "error" }, `${t("notFound")}: ${err.message}`));
  }
}

const langSelect = document.getElementById("lang");
langSelect.value = lang;
langSelect.onchange = () => {
  lang = langSelect.value; localStorage.setItem("redline.lang", lang);
  const url = new URL(location.href); url.searchParams.set("lang", lang); history.replaceState(null, "", url);
  route();
};
const searchBox = document.getElementById("search");
searchBox.onsubmit = (ev) => {
  ev.preventDefault();
  const q = searchBox.q.value.trim();
  if (q) go(`#/search?q=${encodeURIComponent(q)}`);
};
window.addEventListener("hashchange", route);
route();

// The details panel of both network views (the canvas view and the WebGL view): one piece of
// code, inlined into each page. Data only ever reaches the page as text (textContent), never
// as markup, and only http(s) addresses become links.
function relaxgraphDetailsPanel(details, options) {
  "use strict";
  options = options || {};
  // How an evidence item is stored: inline, or (WebGL view) a number into a shared table.
  var evidenceOf = options.evidenceOf || function (ev) { return ev; };
  // The verdicts of the guide's claims (the assessments layer): key, name, colour.
  var VERDICTS = [["Contradicted", "contradicted", "#d73027"], ["Inconsistent", "inconsistent with the guide", "#8e44ad"],
    ["Unsupported", "unsupported, no source", "#e67e22"], ["Imprecise", "imprecise or oversimplified", "#c9a227"],
    ["NotCheckable", "not checkable", "#9aa0a6"], ["Supported", "supported", "#2e9d57"]];
  var VCOL = {}, VNAME = {};
  VERDICTS.forEach(function (v) { VCOL[v[0]] = v[2]; VNAME[v[0]] = v[1]; });
  var SCHEME_NAMES = { chebi: "ChEBI", drugbank: "DrugBank", atc: "ATC", pubchemCompound: "PubChem", mesh: "MeSH",
    rxnorm: "RxNorm", uniprot: "UniProt", hgnc: "HGNC", mondo: "MONDO", doid: "DOID", hpo: "HPO", umls: "UMLS" };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(href, text) {
    if (typeof href !== "string" || !/^https?:\/\//i.test(href)) return el("span", text);
    var a = el("a", text);
    a.href = href; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function clear(e) { while (e.firstChild) e.removeChild(e.firstChild); }
  function humanise(name) { return String(name).replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(); }
  function addRow(dl, name, value) {
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) dd.appendChild(value); else dd.textContent = String(value);
    dl.appendChild(dd);
  }
  function sourceLine(label, href, text) {
    var s = el("div", label, "rg-meta");
    s.appendChild(link(href, text));
    return s;
  }
  function showFlags(flags) {
    (flags || []).forEach(function (f) {
      var box = el("div", null, "rg-flag");
      box.appendChild(el("strong", "\u26A0 Flagged" + (f.kind ? ": " + humanise(f.kind) : "")));
      if (f.reason) box.appendChild(el("div", f.reason));
      if (f.source) box.appendChild(sourceLine("Source: ", f.source, f.source));
      details.appendChild(box);
    });
  }
  function showAssessments(items) {
    (items || []).forEach(function (a) {
      var box = el("div", null, "rg-assessment");
      if (VCOL[a.verdict]) box.style.borderLeftColor = VCOL[a.verdict];
      box.appendChild(el("strong", "Verdict: " + (VNAME[a.verdict] || humanise(a.verdict)) + (a.kind ? " (" + humanise(a.kind) + ")" : "")));
      if (a.reason) box.appendChild(el("div", a.reason));
      (a.evidence || []).forEach(function (ev) {
        var line = el("div", ev.text || "", "rg-meta");
        if (ev.link && /^https?:\/\//.test(ev.link)) { line.appendChild(document.createTextNode(" ")); line.appendChild(link(ev.link, "record")); }
        box.appendChild(line);
      });
      if (a.method) box.appendChild(el("div", humanise(a.method), "rg-meta"));
      details.appendChild(box);
    });
  }
  function showEvidence(items) {
    if (!items || !items.length) return;
    details.appendChild(el("h2", items.length === 1 ? "Evidence" : "Evidence (" + items.length + ")"));
    items.forEach(function (item) {
      var ev = evidenceOf(item) || {};
      var box = el("div", null, "rg-evidence");
      if (ev.section || ev.section_number !== undefined) {
        var where = (ev.section_number !== undefined && ev.section_number !== null ? "\u00A7" + ev.section_number + " " : "") + (ev.section || "");
        box.appendChild(el("div", where, "rg-meta"));
      }
      if (ev.quote) box.appendChild(el("blockquote", "\u201C" + ev.quote + "\u201D"));
      var meta = [];
      if (ev.start !== undefined && ev.start !== null) meta.push("characters " + ev.start + "\u2013" + ev.end);
      if (ev.evidence_kind) meta.push(humanise(ev.evidence_kind));
      if (ev.origin === "curated") meta.push("curated, beyond the guide");
      if (ev.value !== undefined) meta.push("value: " + ev.value);
      if (meta.length) box.appendChild(el("div", meta.join(" \u00B7 "), "rg-meta"));
      if (ev.comment) box.appendChild(el("div", ev.comment));
      if (ev.source) box.appendChild(sourceLine("Source: ", ev.source, ev.source));
      details.appendChild(box);
    });
  }
  // What public sources say (reference layer): apart from the guide's claims, each fact with
  // its source and a link to the record it was read in (the record's address is in the data).
  function showReference(items) {
    if (!items || !items.length) return;
    details.appendChild(el("h2", "What public sources say (" + items.length + ")"));
    items.forEach(function (f) {
      var box = el("div", null, "rg-ref");
      box.appendChild(el("div", f.property + ": " + f.value + (f.action ? " (" + f.action + ")" : "")));
      var meta = [f.product, f.qualifier].filter(function (x) { return x; });
      if (meta.length) box.appendChild(el("div", meta.join(" \u00B7 "), "rg-meta"));
      if (f.quote) box.appendChild(el("blockquote", "\u201C" + f.quote + "\u201D"));
      var s = el("div", "Source: " + (f.source || "") + (f.record ? " \u00B7 " : ""), "rg-meta");
      if (f.record) s.appendChild(link(f.record, "record"));
      box.appendChild(s);
      details.appendChild(box);
    });
  }
  // A node's heading, kind badges, flags, description and properties (names, identifiers
  // linked to the record pages the data cites, other values), then its evidence and what
  // public sources say. `label` is the whole label, `kindLabel` its kind, `links` its degree.
  function showNodeBody(d, label, kindLabel, links) {
    details.appendChild(el("h3", label));  // the whole label, not the drawn cut
    var badges = el("div");
    badges.appendChild(el("span", kindLabel, "rg-badge"));
    if (d.evidence_kind) badges.appendChild(el("span", humanise(d.evidence_kind), "rg-badge"));
    details.appendChild(badges);
    showFlags(d.flags);
    if (d.description) details.appendChild(el("p", d.description));
    var dl = el("dl", null, "rg-props");
    if (d.synonyms && d.synonyms.length) addRow(dl, "Also called", d.synonyms.join("; "));
    var ids = d.identifiers || {}, pages = d.identifier_links || {};
    Object.keys(ids).sort().forEach(function (scheme) {
      var value = String(ids[scheme]);
      addRow(dl, SCHEME_NAMES[scheme] || scheme, pages[scheme] ? link(pages[scheme], value) : value);
    });
    var pr = d.properties || {};
    Object.keys(pr).sort().forEach(function (name) { addRow(dl, name, [].concat(pr[name]).join("; ")); });
    addRow(dl, "Links", links);
    details.appendChild(dl);
    showEvidence(d.evidence);
    showReference(d.reference);
  }
  // A link's heading (subject -> property -> object), flags, verdicts and evidence.
  function showEdgeBody(d, parts, key) {
    var title = el("h3");
    parts.forEach(function (part, k) {
      title.appendChild(k % 2 ? document.createTextNode(part) : el("bdi", part));
    });
    details.appendChild(title);
    details.appendChild(el("span", key, "rg-badge"));
    showFlags(d.flags);
    showAssessments(d.assessments);
    if (!d.evidence || !d.evidence.length) details.appendChild(el("p", "No statement records where this link comes from.", "rg-meta"));
    showEvidence(d.evidence);
  }
  return { el: el, link: link, clear: clear, humanise: humanise, showNodeBody: showNodeBody, showEdgeBody: showEdgeBody,
    VERDICTS: VERDICTS, VCOL: VCOL };
}

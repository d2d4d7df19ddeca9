/* relaxgraph's site: the networks, the query page and its result views.
   Every text from the data is shown with textContent (or canvas text), never as HTML. */
(function () {
  "use strict";
  var body = document.body;
  var ROOT = body.dataset.root || "";
  var EXT = body.dataset.ext || "";
  var MODE = body.dataset.mode;
  var dataEl = document.getElementById("rg-data");
  var DATA = dataEl ? JSON.parse(dataEl.textContent) : null;
  window.relaxgraph = { ready: false, drawn: false };

  function entityHref(slug) { return ROOT + "id/" + encodeURIComponent(slug) + EXT; }
  function el(tag, text, attrs) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    return e;
  }

  /* --- a network drawn with vis-network ------------------------------------------------ */
  function draw(container, net, onDrawn) {
    if (typeof vis === "undefined") return null;
    var nodes = net.nodes.map(function (row, i) {
      var kind = net.kinds[row[1]] || {};
      return { id: i, label: row[0], x: row[3], y: row[4], shape: kind.shape || "dot",
               color: { background: kind.color || "#9e9e9e", border: row[5] ? "#b3261e" : "#333" },
               borderWidth: row[5] ? 3 : 1, title: undefined };
    });
    var edges = net.edges.map(function (row, i) {
      var prop = net.props[row[2]] || {};
      return { id: i, from: row[0], to: row[1], label: prop.label, arrows: "to",
               dashes: !!row[3], color: row[3] ? "#b3261e" : "#8a96a3" };
    });
    var options = net.options || {};
    options.interaction = Object.assign({}, options.interaction || {}, { keyboard: false, hover: true });
    var network = new vis.Network(container,
      { nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }, options);
    network.once("afterDrawing", function () { if (onDrawn) onDrawn(); });
    network.on("click", function (params) {
      if (!params.nodes.length) return;
      var slug = net.slugs ? net.slugs[params.nodes[0]] : null;
      if (slug) window.location.href = entityHref(slug);
    });
    return network;
  }

  function drawPageNetwork() {
    var container = document.getElementById("network");
    if (!container || !DATA || !DATA.network) { window.relaxgraph.drawn = true; return; }
    draw(container, DATA.network, function () { window.relaxgraph.drawn = true; });
    container.setAttribute("data-nodes", String(DATA.network.nodes.length));
  }

  /* --- the query page -------------------------------------------------------------------- */
  function queryPage() {
    var examples = {};
    DATA.examples.forEach(function (ex) { examples[ex.name] = ex; });
    var labels = {};
    (DATA.labels || []).forEach(function (pair) { labels[pair[0]] = pair[1]; });
    var textarea = document.getElementById("query-text");
    var status = document.getElementById("status");
    var errorBox = document.getElementById("error");
    var tableBox = document.getElementById("result-table");
    var netBox = document.getElementById("result-network");
    var tools = document.getElementById("result-tools");
    var downloads = document.getElementById("downloads");
    var paramForm = document.getElementById("params");
    var paramFields = document.getElementById("param-fields");
    var current = null;   // the catalogue query chosen, or null for free SPARQL
    var result = null;    // {kind, vars, rows} | {kind: "graph", triples} | {kind: "ask", value}
    var shownText = "";   // the text whose result is shown
    var mark = null;
    var editor = makeEditor(textarea);

    function getText() { return editor ? editor.getValue() : textarea.value; }
    function setText(t) { if (editor) editor.setValue(t); else textarea.value = t; }

    function makeEditor(area) {
      if (typeof Yasqe === "undefined") return null;
      var prefixList = Object.keys(DATA.prefixes).sort().map(function (p) {
        return p + ": <" + DATA.prefixes[p] + ">";
      });
      // Completion from this graph only: YASQE's own completers ask hosts on the web.
      Yasqe.forkAutocompleter("prefixes", { name: "rgPrefixes", persistenceId: null,
        get: function () { return prefixList; } }, false);
      Yasqe.forkAutocompleter("property", { name: "rgProperties", bulk: true, persistenceId: null,
        get: function () { return DATA.terms.properties; } }, false);
      Yasqe.forkAutocompleter("class", { name: "rgClasses", bulk: true, persistenceId: null,
        get: function () { return DATA.terms.classes; } }, false);
      var wrap = area.parentNode;
      var holder = el("div", null, { id: "yasqe" });
      wrap.appendChild(holder);
      area.hidden = true;
      var y = new Yasqe(holder, {
        value: area.value, persistenceId: null, showQueryButton: false, resizeable: false,
        autocompleters: ["rgPrefixes", "variables", "rgProperties", "rgClasses"],
        createShareableLink: null, consumeShareLink: null, prefixCcApi: "",
        editorHeight: "auto", extraKeys: { "Ctrl-Enter": function () { run(); },
                                           "Tab": false, "Shift-Tab": false }
      });
      var input = y.getInputField();
      input.setAttribute("aria-label", "SPARQL query (Ctrl-Enter runs it; Escape then Tab leaves)");
      y.on("change", function () { if (mark) { mark.clear(); mark = null; } });
      return y;
    }

    function choose(name) {
      current = examples[name] || null;
      document.querySelectorAll("#catalogue li").forEach(function (li) {
        li.setAttribute("aria-current", li.dataset.name === name ? "true" : "false");
      });
      paramFields.textContent = "";
      if (!current) return;
      setText(current.text);
      paramForm.hidden = current.params.length === 0;
      current.params.forEach(function (p) {
        var id = "param-" + p.name;
        var label = el("label", p.name, { "for": id });
        var input = el("input", null, { id: id, name: p.name, type: "text", autocomplete: "off" });
        input.value = p["default"] || "";
        if (p.kind) input.setAttribute("list", "names-" + p.kind);
        else if (p.type.indexOf("entity") === 0) input.setAttribute("list", "names-all");
        if (MODE !== "live") input.disabled = true;
        var hintId = id + "-hint";
        input.setAttribute("aria-describedby", hintId);
        var hint = el("span", (p.description || "") + " (" + p.type + ")", { id: hintId, "class": "hint" });
        paramFields.appendChild(label); paramFields.appendChild(input); paramFields.appendChild(hint);
      });
      if (MODE !== "live" && current.params.length) {
        paramFields.appendChild(el("p", "Other values need relaxgraph serve.", { "class": "note" }));
      }
    }

    document.querySelectorAll("button.example").forEach(function (b) {
      b.addEventListener("click", function () { choose(b.dataset.name); run(); });
    });
    document.getElementById("cat-filter").addEventListener("input", function (ev) {
      var q = ev.target.value.toLowerCase();
      document.querySelectorAll("#catalogue li").forEach(function (li) {
        li.hidden = q !== "" && li.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
    document.getElementById("run").addEventListener("click", function () { run(); });
    paramForm.addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
    document.getElementById("view-table").addEventListener("click", function () { show("table"); });
    document.getElementById("view-network").addEventListener("click", function () { show("network"); });

    function fail(message) {
      status.textContent = "";
      errorBox.textContent = message;
      var m = /line (\d+), column (\d+)/.exec(message);
      if (m && editor) {
        var line = parseInt(m[1], 10) - 1, ch = parseInt(m[2], 10) - 1;
        if (mark) mark.clear();
        mark = editor.markText({ line: line, ch: Math.max(0, ch - 1) }, { line: line, ch: ch + 1 },
                               { className: "error-mark", attributes: { title: "here" } });
        editor.setCursor({ line: line, ch: ch });
      }
      window.relaxgraph.ready = true;
    }

    function run() {
      errorBox.textContent = "";
      window.relaxgraph.ready = false;
      if (MODE !== "live") return runStatic();
      var text = getText();
      var edited = !current || text !== current.text;
      if (current && !edited && current.params.length) {
        var qs = new URLSearchParams({ name: current.name });
        current.params.forEach(function (p) {
          var v = document.getElementById("param-" + p.name).value;
          if (v !== "") qs.append(p.name, v);
        });
        status.textContent = "Binding the parameters…";
        fetch("api/prepare?" + qs.toString()).then(function (r) {
          return r.json().then(function (j) { return [r, j]; });
        }).then(function (rj) {
          if (!rj[0].ok) return fail(rj[1].error);
          execute(rj[1].text);
        }).catch(function (e) { fail(String(e)); });
        return;
      }
      execute(text);
    }

    function execute(text) {
      status.textContent = "Running…";
      var started = performance.now();
      fetch("sparql", { method: "POST", body: new URLSearchParams({ query: text }),
                        headers: { "Accept": "application/sparql-results+json, application/n-triples" } })
      .then(function (r) { return r.text().then(function (t) { return [r, t]; }); })
      .then(function (rt) {
        var r = rt[0], t = rt[1];
        if (!r.ok) return fail(r.status + " " + r.statusText + ": " + t);
        var type = r.headers.get("Content-Type") || "";
        var cap = r.headers.get("X-SPARQL-MaxRows");
        shownText = text;
        if (type.indexOf("n-triples") >= 0) result = { kind: "graph", triples: parseNT(t) };
        else result = fromJson(JSON.parse(t));
        var took = Math.round(performance.now() - started);
        render(cap ? " (cut at the endpoint's cap of " + cap + ")" : "", took);
      }).catch(function (e) { fail(String(e)); });
    }

    function runStatic() {
      if (!current || getText() !== current.text) {
        return fail("This static copy runs only the named queries, as written, with the results " +
                    "they had when the site was written. Your own SPARQL needs relaxgraph serve.");
      }
      if (!current.result) {
        return fail("This query needs a parameter value; run it with relaxgraph serve.");
      }
      shownText = current.text;
      result = current.result.graph !== undefined
        ? { kind: "graph", triples: parseNT(current.result.graph) } : fromJson(current.result);
      render(" (computed when the site was written)", null);
    }

    function fromJson(doc) {
      if ("boolean" in doc) return { kind: "ask", value: doc["boolean"] };
      return { kind: "select", vars: doc.head.vars, rows: doc.results.bindings };
    }

    function render(note, took) {
      var n = result.kind === "select" ? result.rows.length
            : result.kind === "graph" ? result.triples.length : 1;
      var what = result.kind === "graph" ? " triples" : result.kind === "ask" ? " answer" : " rows";
      status.textContent = n + what + note + (took !== null ? ", " + took + " ms" : "") + ".";
      tools.hidden = false;
      document.getElementById("view-network").disabled = result.kind === "ask";
      renderTable();
      renderDownloads();
      show("table");
      window.relaxgraph.ready = true;
    }

    /* the table, with sortable columns */
    var sortState = { column: -1, ascending: true };
    function cells() {
      if (result.kind === "select") {
        return { head: result.vars, rows: result.rows.map(function (b) {
          return result.vars.map(function (v) { return b[v] || null; });
        }) };
      }
      if (result.kind === "graph") {
        return { head: ["subject", "predicate", "object"], rows: result.triples.map(function (t) {
          return [t.s, t.p, t.o];
        }) };
      }
      return { head: ["answer"], rows: [[{ type: "literal", value: String(result.value) }]] };
    }
    function renderTable() {
      var data = cells();
      if (sortState.column >= 0) {
        var c = sortState.column, dir = sortState.ascending ? 1 : -1;
        data.rows.sort(function (a, b) { return dir * compare(a[c], b[c]); });
      }
      var table = el("table");
      table.appendChild(el("caption", "The result" + (sortState.column >= 0
        ? ", sorted by " + data.head[sortState.column] + (sortState.ascending ? " (ascending)" : " (descending)")
        : "")));
      var thead = table.createTHead(), hr = thead.insertRow();
      data.head.forEach(function (name, i) {
        var th = el("th", null, { scope: "col" });
        if (sortState.column === i) th.setAttribute("aria-sort", sortState.ascending ? "ascending" : "descending");
        var b = el("button", name, { type: "button", "class": "sort" });
        b.addEventListener("click", function () {
          sortState = { column: i, ascending: sortState.column === i ? !sortState.ascending : true };
          renderTable();
          var again = tableBox.querySelectorAll("th button")[i];
          if (again) again.focus();
        });
        th.appendChild(b); hr.appendChild(th);
      });
      var tbody = table.createTBody();
      data.rows.forEach(function (row) {
        var tr = tbody.insertRow();
        row.forEach(function (term) { tr.appendChild(cell(term)); });
      });
      tableBox.textContent = "";
      tableBox.appendChild(table);
    }
    function compare(a, b) {
      var x = a ? a.value : "", y = b ? b.value : "";
      var number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
      if (number.test(x) && number.test(y)) return parseFloat(x) - parseFloat(y);
      return x.localeCompare(y);
    }
    function cell(term) {
      var td = document.createElement("td");
      if (!term) return td;
      if (term.type === "uri") {
        var slug = slugOf(term.value);
        if (slug !== null) {
          td.appendChild(el("a", labels[slug] || term.value, { href: entityHref(slug), title: term.value }));
        } else td.appendChild(el("span", shorten(term.value)));
      } else td.textContent = term.value;
      return td;
    }
    function slugOf(iri) {
      if (iri.indexOf(DATA.entityBase) !== 0) return null;
      var slug = iri.slice(DATA.entityBase.length);
      return Object.prototype.hasOwnProperty.call(labels, slug) ? slug : null;
    }
    function shorten(iri) {
      var best = null;
      Object.keys(DATA.prefixes).forEach(function (p) {
        var ns = DATA.prefixes[p];
        if (iri.indexOf(ns) === 0 && (!best || ns.length > DATA.prefixes[best].length)) best = p;
      });
      return best ? best + ":" + iri.slice(DATA.prefixes[best].length) : iri;
    }

    /* downloads: the endpoint's formats (live), or files made here (static) */
    function renderDownloads() {
      downloads.textContent = "";
      downloads.appendChild(document.createTextNode("Download: "));
      var formats = result.kind === "graph" ? [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"]]
                  : [["csv", "CSV"], ["tsv", "TSV"], ["json", "JSON"], ["xml", "XML"]];
      formats.forEach(function (f, i) {
        var a;
        if (MODE === "live") {
          a = el("a", f[1], { href: "sparql?" + new URLSearchParams({ query: shownText, format: f[0] }).toString(),
                              download: "result." + f[0] });
        } else {
          var made = local(f[0]);
          if (!made) return;
          a = el("a", f[1], { href: URL.createObjectURL(new Blob([made[1]], { type: made[0] })),
                              download: "result." + f[0] });
        }
        if (downloads.childNodes.length > 1) downloads.appendChild(document.createTextNode(" · "));
        downloads.appendChild(a);
      });
    }
    function local(fmt) {
      if (result.kind === "graph") {
        if (fmt !== "nt") return null;  // N-Triples is also valid Turtle; JSON-LD needs the server
        return ["application/n-triples", result.triples.map(function (t) { return t.line; }).join("\n") + "\n"];
      }
      if (result.kind === "ask") {
        return fmt === "json" ? ["application/sparql-results+json", JSON.stringify({ head: {}, "boolean": result.value })] : null;
      }
      var vars = result.vars, rows = result.rows;
      if (fmt === "json") {
        return ["application/sparql-results+json", JSON.stringify({ head: { vars: vars }, results: { bindings: rows } })];
      }
      if (fmt === "csv") {
        var q = function (s) { return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s; };
        return ["text/csv", [vars.join(",")].concat(rows.map(function (b) {
          return vars.map(function (v) { return b[v] ? q(b[v].value) : ""; }).join(",");
        })).join("\r\n") + "\r\n"];
      }
      if (fmt === "tsv") {
        var term = function (t) {
          if (!t) return "";
          if (t.type === "uri") return "<" + t.value + ">";
          if (t.type === "bnode") return "_:" + t.value;
          var s = '"' + t.value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
                  .replace(/\r/g, "\\r").replace(/\t/g, "\\t") + '"';
          if (t["xml:lang"]) return s + "@" + t["xml:lang"];
          if (t.datatype) return s + "^^<" + t.datatype + ">";
          return s;
        };
        return ["text/tab-separated-values", ["?" + vars.join("\t?")].concat(rows.map(function (b) {
          return vars.map(function (v) { return term(b[v]); }).join("\t");
        })).join("\n") + "\n"];
      }
      if (fmt === "xml") {
        var x = function (s) { return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); };
        var out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"];
        vars.forEach(function (v) { out.push('<variable name="' + x(v) + '"/>'); });
        out.push("</head>", "<results>");
        rows.forEach(function (b) {
          out.push("<result>");
          vars.forEach(function (v) {
            var t = b[v]; if (!t) return;
            var inner = t.type === "uri" ? "<uri>" + x(t.value) + "</uri>"
              : t.type === "bnode" ? "<bnode>" + x(t.value) + "</bnode>"
              : "<literal" + (t["xml:lang"] ? ' xml:lang="' + x(t["xml:lang"]) + '"' : "")
                + (t.datatype ? ' datatype="' + x(t.datatype) + '"' : "") + ">" + x(t.value) + "</literal>";
            out.push('<binding name="' + x(v) + '">' + inner + "</binding>");
          });
          out.push("</result>");
        });
        out.push("</results>", "</sparql>");
        return ["application/sparql-results+xml", out.join("\n") + "\n"];
      }
      return null;
    }

    /* the network: entity-valued rows or a graph's triples */
    var network = null;
    function show(view) {
      var table = view === "table";
      document.getElementById("view-table").setAttribute("aria-pressed", String(table));
      document.getElementById("view-network").setAttribute("aria-pressed", String(!table));
      tableBox.hidden = !table;
      netBox.hidden = table;
      if (!table) drawResult();
    }
    function drawResult() {
      var net = resultNetwork();
      netBox.setAttribute("data-nodes", String(net.nodes.length));
      netBox.setAttribute("data-edges", String(net.edges.length));
      if (network) { network.destroy(); network = null; }
      window.relaxgraph.drawn = false;
      if (!net.nodes.length) {
        netBox.textContent = "";
        netBox.appendChild(el("p", "No entity in this result to draw."));
        window.relaxgraph.drawn = true;
        return;
      }
      netBox.textContent = "";
      network = draw(netBox, net, function () { window.relaxgraph.drawn = true; });
    }
    function resultNetwork() {
      var ids = {}, nodes = [], edges = [], props = [], propIds = {}, named = {};
      function node(iri) {
        if (!(iri in ids)) { ids[iri] = nodes.length; nodes.push(iri); }
        return ids[iri];
      }
      function prop(name) {
        if (!(name in propIds)) { propIds[name] = props.length; props.push({ label: name }); }
        return propIds[name];
      }
      if (result.kind === "graph") {
        result.triples.forEach(function (t) {
          if (t.p.value === "http://www.w3.org/2000/01/rdf-schema#label" && t.o.type === "literal") {
            named[t.s.value] = t.o.value;
          }
          if (t.s.type === "uri" && t.o.type === "uri" && t.p.value.indexOf("#type") < 0) {
            edges.push([node(t.s.value), node(t.o.value), prop(shorten(t.p.value)), 0]);
          }
        });
      } else if (result.kind === "select") {
        result.rows.forEach(function (b) {
          var first = null;
          result.vars.forEach(function (v) {
            var t = b[v];
            if (!t || t.type !== "uri") return;
            var label = b[v + "Label"];
            if (label) named[t.value] = label.value;
            var i = node(t.value);
            if (first === null) first = i;
            else if (first !== i) edges.push([first, i, prop(v), 0]);
          });
        });
      }
      var seen = {};
      edges = edges.filter(function (e) { var k = e.join(" "); if (seen[k]) return false; seen[k] = 1; return true; });
      return {
        kinds: [{ color: "#2f6fdf", shape: "dot" }, { color: "#9e9e9e", shape: "dot" }],
        props: props,
        nodes: nodes.map(function (iri, i) {
          var slug = slugOf(iri);
          // a sunflower spiral to start from: physics then has little to untangle
          var r = 40 * Math.sqrt(i), a = i * 2.39996;
          return [named[iri] || (slug !== null ? labels[slug] : null) || shorten(iri),
                  slug !== null ? 0 : 1, 0, Math.round(r * Math.cos(a)), Math.round(r * Math.sin(a)), 0];
        }),
        edges: edges,
        slugs: nodes.map(slugOf),
        options: {
          layout: { improvedLayout: false },
          physics: nodes.length > 300 ? false
            : { solver: "forceAtlas2Based", stabilization: { iterations: 100 } },
          edges: { font: { size: 10 }, smooth: nodes.length <= 300 }
        }
      };
    }

    /* N-Triples, as the endpoint writes them (one triple a line) */
    function parseNT(text) {
      var re = /^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)\s*\.\s*$/;
      var out = [];
      text.split("\n").forEach(function (line) {
        var m = re.exec(line);
        if (!m) return;
        out.push({ s: ntTerm(m[1]), p: { type: "uri", value: m[2] }, o: ntTerm(m[3]), line: line });
      });
      return out;
    }
    function ntTerm(s) {
      if (s[0] === "<") return { type: "uri", value: s.slice(1, -1) };
      if (s[0] === "_") return { type: "bnode", value: s.slice(2) };
      var end = s.lastIndexOf('"'), raw = s.slice(0, end + 1), value;
      try { value = JSON.parse(raw); } catch (e) { value = raw.slice(1, -1); }
      var t = { type: "literal", value: value }, rest = s.slice(end + 1);
      if (rest[0] === "@") t["xml:lang"] = rest.slice(1);
      else if (rest.indexOf("^^") === 0) t.datatype = rest.slice(3, -1);
      return t;
    }

    var wanted = new URLSearchParams(window.location.search).get("example");
    if (wanted && examples[wanted]) choose(wanted);
    window.relaxgraph.run = run;
    window.relaxgraph.drawn = true;
    window.relaxgraph.ready = true;
  }

  function findForm() {
    var form = document.getElementById("find");
    if (!form || !DATA || !DATA.names) return;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var name = document.getElementById("find-name").value.trim().toLowerCase();
      var slug = Object.prototype.hasOwnProperty.call(DATA.names, name) ? DATA.names[name] : null;
      var error = document.getElementById("find-error");
      error.textContent = "";
      if (slug) window.location.href = entityHref(slug);
      else error.textContent = " No entity is called that; pick a name from the list.";
    });
  }

  findForm();
  if (body.dataset.page === "query" && DATA) queryPage();
  else drawPageNetwork();
  if (body.dataset.page !== "query") window.relaxgraph.ready = true;
})();

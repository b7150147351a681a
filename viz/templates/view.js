/* chainkg view: draws the embedded network with vis-network and wires the details panel, search and legend.
 * Everything from data is written with textContent or DOM properties, never as markup. No network requests. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("view-data").textContent);
  var LINKABLE = { cluster: true, segment: true, firm: true };
  var state = { ready: false, settledMs: null, startedAt: performance.now() };

  function el(tag, props, text) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        node[key] = props[key];
      });
    }
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function safeHref(href) {
    if (!href) return null;
    var value = String(href);
    return /^(javascript|data|vbscript):/i.test(value.trim()) ? null : value;
  }

  function fill(pattern, id) {
    if (!pattern) return null;
    return pattern.replace("{id}", encodeURIComponent(id || ""));
  }

  function viewHref(kind, id) {
    if (!LINKABLE[kind]) return null;
    if (kind === data.page.kind && id === data.page.id) return null;
    return safeHref(fill(data.links.view[kind], id));
  }

  function apiHref(kind, id) {
    return LINKABLE[kind] ? safeHref(fill(data.links.api[kind], id)) : null;
  }

  function kindLabel(kind) {
    return data.labels.kinds[kind] || kind;
  }

  /* ---- the network ---- */
  var container = document.getElementById("network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function settle() {
    if (state.ready) return;
    network.setOptions({ physics: { enabled: false } });
    state.ready = true;
    state.settledMs = performance.now() - state.startedAt;
    document.body.setAttribute("data-ready", "true");
    if (data.page.focus && nodes.get(data.page.focus)) {
      network.selectNodes([data.page.focus]);
    }
  }

  var physicsOn = data.options.physics && data.options.physics.enabled !== false;
  if (physicsOn) {
    network.once("stabilizationIterationsDone", settle);
    /* a stabilisation that runs long is cut off: the layout so far is kept */
    setTimeout(function () {
      if (!state.ready) {
        network.stopSimulation();
        settle();
      }
    }, 2000);
  } else {
    network.once("afterDrawing", settle);
  }

  /* ---- details panel ---- */
  var panel = document.getElementById("details");
  var body = document.getElementById("details-body");

  function linkOrText(text, ref) {
    var href = ref ? viewHref(ref[0], ref[1]) : null;
    return href ? el("a", { href: href }, text) : el("span", null, text);
  }

  function sourceItem(src) {
    var li = el("li");
    li.appendChild(el("span", null, src.title || src.id));
    var meta = [src.publisher, src.date || "date unknown 日期不详", src.doc_no].filter(Boolean).join(", ");
    li.appendChild(el("span", { className: "meta" }, " — " + meta));
    if (src.url && /^https?:\/\//i.test(src.url)) {
      li.appendChild(el("br"));
      li.appendChild(el("a", { href: src.url, rel: "noopener noreferrer", target: "_blank", className: "meta" }, src.url));
    }
    return li;
  }

  function showDetails(nodeId) {
    var node = nodes.get(nodeId);
    if (!node) return false;
    var info = node.info || {};
    body.textContent = "";
    body.appendChild(el("h2", { id: "details-title" }, info.name_zh || node.label));
    if (info.name_en) body.appendChild(el("p", { className: "name-en" }, info.name_en));
    var badges = el("div", { className: "badges" });
    badges.appendChild(el("span", { className: "badge kind-" + info.kind }, kindLabel(info.kind)));
    (info.statuses || (info.status ? [info.status] : [])).forEach(function (status) {
      badges.appendChild(el("span", { className: "badge status-" + status }, data.labels.gaps[status] || status));
    });
    if (info.confidence && info.confidence !== "sourced") {
      badges.appendChild(el("span", { className: "badge" }, "可信度 " + info.confidence));
    }
    body.appendChild(badges);
    if (info.fields && info.fields.length) {
      var dl = el("dl");
      info.fields.forEach(function (pair) {
        dl.appendChild(el("dt", null, pair[0]));
        dl.appendChild(el("dd", null, pair[1]));
      });
      body.appendChild(dl);
    }
    (info.explanations || []).forEach(function (text) {
      body.appendChild(el("p", { className: "explanation" }, text));
    });
    (info.sections || []).forEach(function (section) {
      if (!section.items || !section.items.length) return;
      body.appendChild(el("h3", null, section.title));
      var list = el(section.ordered ? "ol" : "ul");
      section.items.forEach(function (item) {
        var li = el("li");
        li.appendChild(linkOrText(item.text, item.ref));
        if (item.detail) li.appendChild(el("div", { className: "meta" }, item.detail));
        list.appendChild(li);
      });
      body.appendChild(list);
    });
    if (info.note) body.appendChild(el("p", { className: "meta" }, info.note));
    var sources = info.sources || [];
    body.appendChild(el("h3", null, "来源 Sources (" + sources.length + ")"));
    if (sources.length) {
      var ul = el("ul", { className: "sources" });
      sources.forEach(function (src) {
        ul.appendChild(sourceItem(src));
      });
      body.appendChild(ul);
    } else {
      body.appendChild(el("p", { className: "meta" }, "none recorded 无"));
    }
    var links = el("div", { className: "detail-links" });
    var ref = info.ref || [info.kind, info.id];
    var view = viewHref(ref[0], ref[1]);
    if (view) links.appendChild(el("a", { href: view, className: "open-view" }, "打开视图 Open view →"));
    var api = apiHref(ref[0], ref[1]);
    if (api) links.appendChild(el("a", { href: api, rel: "nofollow", className: "open-json" }, "JSON"));
    if (LINKABLE[ref[0]]) links.appendChild(el("span", { className: "meta" }, "id: " + ref[1]));
    body.appendChild(links);
    panel.hidden = false;
    panel.setAttribute("data-node", String(nodeId));
    return true;
  }

  function showEdge(edgeId) {
    var edge = edges.get(edgeId);
    if (!edge) return;
    body.textContent = "";
    body.appendChild(el("h2", { id: "details-title" }, "关系 Relation"));
    body.appendChild(el("p", { className: "edge-text" }, edge.title || ""));
    panel.hidden = false;
    panel.setAttribute("data-node", "");
  }

  function hideDetails() {
    panel.hidden = true;
    panel.removeAttribute("data-node");
  }

  document.getElementById("details-close").addEventListener("click", hideDetails);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideDetails();
  });

  /* ---- firms kept out of the layout until shown (the pool) ---- */
  var pool = data.pool || { nodes: [], edges: [] };
  var poolNodes = {};
  pool.nodes.forEach(function (n) {
    poolNodes[n.id] = n;
  });

  function addFromPool(ids) {
    var fresh = ids.filter(function (id) {
      return poolNodes[id] && !nodes.get(id);
    });
    if (!fresh.length) return;
    nodes.add(
      fresh.map(function (id) {
        return poolNodes[id];
      })
    );
    edges.add(
      pool.edges.filter(function (e) {
        return !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to);
      })
    );
  }

  function removePooled() {
    var ids = Object.keys(poolNodes).filter(function (id) {
      return nodes.get(id);
    });
    edges.remove(
      pool.edges
        .filter(function (e) {
          return edges.get(e.id);
        })
        .map(function (e) {
          return e.id;
        })
    );
    nodes.remove(ids);
    if (poolNodes[panel.getAttribute("data-node")]) hideDetails();
  }

  function reveal(nodeId) {
    var node = nodes.get(nodeId);
    var children = node && node.info && node.info.children;
    if (children && children.length) addFromPool(children);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails(params.nodes[0]);
      reveal(params.nodes[0]);
    } else if (params.edges.length) {
      showEdge(params.edges[0]);
    } else {
      hideDetails();
    }
  });
  network.on("doubleClick", function (params) {
    if (!params.nodes.length) return;
    var info = nodes.get(params.nodes[0]).info || {};
    var ref = info.ref || [info.kind, info.id];
    var href = viewHref(ref[0], ref[1]);
    if (href) window.location.href = href;
  });

  /* ---- firm toggle ---- */
  var toggle = document.getElementById("firm-toggle");
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) addFromPool(Object.keys(poolNodes));
      else removePooled();
    });
  }

  /* ---- legend: folded at first on a narrow screen, where it would cover the chain ---- */
  var legend = document.getElementById("legend");
  if (legend && window.matchMedia && window.matchMedia("(max-width: 700px)").matches) legend.open = false;

  /* ---- legend swatches ---- */
  Array.prototype.forEach.call(document.querySelectorAll("#legend .swatch"), function (swatch) {
    var colour = swatch.getAttribute("data-colour");
    if (swatch.classList.contains("shape-ring")) swatch.style.borderColor = colour;
    else swatch.style.backgroundColor = colour;
  });

  /* ---- search over the embedded index ---- */
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var KIND_ORDER = { segment: 0, firm: 1, cluster: 2 };

  function normalise(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/\s+/g, "");
  }

  var prepared = (data.index || []).map(function (entry) {
    var names = [entry.id, entry.zh, entry.en].concat(entry.aka || []).filter(Boolean).map(normalise);
    return { entry: entry, names: names };
  });

  function search(query) {
    var q = normalise(query);
    if (!q) return [];
    var hits = [];
    prepared.forEach(function (item) {
      var best = 3;
      item.names.forEach(function (name) {
        if (name === q) best = Math.min(best, 0);
        else if (name.indexOf(q) === 0) best = Math.min(best, 1);
        else if (name.indexOf(q) > 0) best = Math.min(best, 2);
      });
      if (best < 3) hits.push({ rank: best, entry: item.entry });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || KIND_ORDER[a.entry.k] - KIND_ORDER[b.entry.k] || (a.entry.id < b.entry.id ? -1 : 1);
    });
    return hits.slice(0, 12).map(function (hit) {
      return hit.entry;
    });
  }

  function openEntry(entry) {
    if (poolNodes[entry.id]) addFromPool([entry.id]);
    if (nodes.get(entry.id)) {
      network.selectNodes([entry.id]);
      network.focus(entry.id, { scale: 1.2, animation: false });
      showDetails(entry.id);
      results.hidden = true;
      return;
    }
    var href = viewHref(entry.k, entry.id);
    if (href) window.location.href = href;
  }

  function renderResults(list) {
    results.textContent = "";
    if (!input.value.trim()) {
      results.hidden = true;
      return;
    }
    if (!list.length) {
      results.appendChild(el("li", { className: "result-empty" }, "无结果 No match"));
    }
    list.forEach(function (entry, i) {
      var li = el("li", { className: i === 0 ? "active" : "" });
      li.setAttribute("data-id", entry.id);
      var href = viewHref(entry.k, entry.id);
      var name = entry.zh + (entry.en ? " (" + entry.en + ")" : "");
      li.appendChild(href ? el("a", { href: href }, name) : el("span", null, name));
      li.appendChild(el("span", { className: "result-kind" }, kindLabel(entry.k)));
      li.appendChild(el("span", { className: "result-id" }, entry.id));
      li.addEventListener("click", function (event) {
        if (nodes.get(entry.id) || poolNodes[entry.id]) event.preventDefault();
        openEntry(entry);
      });
      results.appendChild(li);
    });
    results.hidden = false;
  }

  var lastResults = [];
  input.addEventListener("input", function () {
    lastResults = search(input.value);
    renderResults(lastResults);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && lastResults.length) {
      event.preventDefault();
      openEntry(lastResults[0]);
    } else if (event.key === "Escape") {
      results.hidden = true;
    }
  });

  window.chainkgView = {
    network: network,
    nodes: nodes,
    edges: edges,
    state: state,
    showDetails: showDetails,
    search: search,
    viewHref: viewHref,
    pool: pool,
  };
})();

/* chainkg view: draws the embedded network with vis-network and wires the details panel, search and legend.
 * Everything from data is written with textContent or DOM properties, never as markup. No network requests but
 * one, on a served page: the search index script (data.indexScript), which the browser keeps across pages. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("view-data").textContent);
  var LINKABLE = { cluster: true, segment: true, firm: true };
  var state = { ready: false, settledMs: null, startedAt: performance.now(), lang: "zh", partial: false };

  /* ---- language: the page's own, its <html lang> (Chinese, or English when written with `chainkg render
     --lang en`); ?lang=en or ?lang=zh (or #lang=…) in the address opens the view in that language instead ---- */
  var PAGE_LANG = /^en(-|$)/i.test(document.documentElement.lang) ? "en" : "zh";
  function askedLang() {
    var found = /[?&#]lang=(en|zh)\b/.exec(window.location.search + window.location.hash);
    return found ? found[1] : PAGE_LANG;
  }
  state.lang = askedLang();

  function english() {
    return state.lang === "en";
  }

  function tr(obj, key) {
    /* obj[key] in Chinese, obj[key + "_en"] in English when there is one */
    if (!obj) return "";
    var en = obj[key + "_en"];
    return english() && en ? en : obj[key];
  }

  function T(zh, en) {
    /* a fixed text of the page in the current language */
    return english() ? en : zh;
  }

  /* every canvas label keeps its Chinese as label_zh */
  [data.nodes, data.edges, (data.pool || {}).nodes || [], (data.pool || {}).edges || []].forEach(function (list) {
    list.forEach(function (item) {
      item.label_zh = item.label;
      if (english() && item.label_en) item.label = item.label_en;
      if (item.title_en) {
        item.title_zh = item.title;
        if (english()) item.title = item.title_en;
      }
    });
  });

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
    return withLang(safeHref(fill(data.links.view[kind], id)));
  }

  function withLang(href) {
    /* links keep the language shown: English always, Chinese when the page opens in another by default */
    var keep = english() || PAGE_LANG !== "zh";
    return href && keep ? href + (href.indexOf("?") < 0 ? "?" : "&") + "lang=" + state.lang : href;
  }

  /* the page's own links to other views (the header's 总览 Overview), each with its address as written */
  var pageViewLinks = Array.prototype.map.call(document.querySelectorAll("#link-overview"), function (link) {
    return { link: link, href: link.getAttribute("href") };
  });

  function applyLinkLang() {
    pageViewLinks.forEach(function (entry) {
      var href = withLang(safeHref(entry.href));
      if (href) entry.link.setAttribute("href", href);
    });
  }

  function apiHref(kind, id) {
    return LINKABLE[kind] ? safeHref(fill(data.links.api[kind], id)) : null;
  }

  function kindLabel(kind) {
    return (english() ? data.labels.kinds_en : data.labels.kinds)[kind] || kind;
  }

  function gapLabel(kind) {
    return (english() ? data.labels.gaps_en : data.labels.gaps)[kind] || kind;
  }

  /* ---- the page's own words (heading, legend, buttons, tab title) in the language asked ---- */
  function applyPageText() {
    document.documentElement.lang = english() ? "en" : "zh-Hans";
    applyLinkLang();
    Array.prototype.forEach.call(document.querySelectorAll("[data-en]"), function (node) {
      node.textContent = english() ? node.getAttribute("data-en") : node.getAttribute("data-zh");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".lang button"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === state.lang));
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-placeholder-en]"), function (field) {
      if (!field.hasAttribute("data-placeholder-zh")) field.setAttribute("data-placeholder-zh", field.placeholder);
      field.placeholder = field.getAttribute(english() ? "data-placeholder-en" : "data-placeholder-zh");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-title-en]"), function (item) {
      if (!item.hasAttribute("data-title-zh")) item.setAttribute("data-title-zh", item.title);
      item.title = item.getAttribute(english() ? "data-title-en" : "data-title-zh");
    });
    /* names read out by a screen reader (the language group, the graph's region, the close button…) */
    Array.prototype.forEach.call(document.querySelectorAll("[data-aria-label-en]"), function (item) {
      if (!item.hasAttribute("data-aria-label-zh")) item.setAttribute("data-aria-label-zh", item.getAttribute("aria-label"));
      item.setAttribute("aria-label", item.getAttribute(english() ? "data-aria-label-en" : "data-aria-label-zh"));
    });
    document.title = english()
      ? [data.page.title_en || data.page.title, data.page.kind_label_en, "chainkg"].join(" · ")
      : [data.page.title, data.page.kind_label, "chainkg"].join(" · ");
  }
  /* before the graph is drawn: an English heading is shorter, and the graph is fitted to the room it leaves
     (and a page that opens in English by default but was asked for Chinese gets its Chinese words and lang) */
  if (english() || PAGE_LANG !== "zh") applyPageText();

  /* ---- a narrow screen's folded header: "更多 More" shows the kind, full title, description, links and notes ---- */
  var headerBar = document.querySelector("header.bar");
  var headerMore = document.getElementById("header-more");

  function unfoldHeader(open) {
    headerBar.classList.toggle("open", open);
    headerMore.setAttribute("aria-expanded", String(open));
  }
  if (headerBar && headerMore) {
    headerMore.addEventListener("click", function () {
      unfoldHeader(!headerBar.classList.contains("open"));
    });
  }

  /* ---- the network ---- */
  var container = document.getElementById("network");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);
  /* the graph takes the keyboard focus (Tab): arrow keys move it, + and - zoom (vis-network's keyboard option) */
  var frameEl = container.querySelector(".vis-network");
  if (frameEl) {
    frameEl.setAttribute("role", "application");
    frameEl.setAttribute("aria-roledescription", "graph");
  }

  function labelFrame() {
    if (!frameEl) return;
    var title = english() ? data.page.title_en || data.page.title : data.page.title;
    frameEl.setAttribute("aria-label", title + T("：方向键平移，+/- 缩放", ": arrow keys move, + / - zoom"));
  }
  labelFrame();

  /* a view laid out twice in Python (the overview) takes its tall layout on a screen higher than wide */
  (function () {
    var frame = container.getBoundingClientRect();
    if (frame.height <= frame.width) return;
    var moves = data.nodes
      .filter(function (n) {
        return n.xy_tall;
      })
      .map(function (n) {
        return { id: n.id, x: n.xy_tall[0], y: n.xy_tall[1] };
      });
    if (moves.length) nodes.update(moves);
  })();

  /* ---- fit: the whole graph inside the part of the network the legend leaves free ---- */
  var legend = document.getElementById("legend");

  function graphBox() {
    var box = null;
    nodes.getIds().forEach(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return;
      if (!box) box = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      else {
        box.left = Math.min(box.left, b.left);
        box.top = Math.min(box.top, b.top);
        box.right = Math.max(box.right, b.right);
        box.bottom = Math.max(box.bottom, b.bottom);
      }
    });
    return box;
  }

  function panelRoom(frame) {
    /* the width the details panel takes at the right when it opens beside the graph (not a phone's sheet), on a
       page that keeps its graph clear of it (the overview: a cluster under the open panel could not be clicked) */
    if (!data.page.clear_of_panel) return 0;
    if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) return 0;
    var details = document.getElementById("details");
    if (!details) return 0;
    var style = window.getComputedStyle(details);
    var room = (parseFloat(style.width) || 0) + 2 * (parseFloat(style.right) || 0);
    return room < frame.width / 2 ? room : 0;
  }

  function freeAreas(clearOfPanel) {
    /* below the controls: all of it, the strip above the legend, the strip right of it (DOM pixels from the corner);
       with clearOfPanel, each left of where the details panel opens (panelRoom) */
    var frame = container.getBoundingClientRect();
    var controls = document.getElementById("controls");
    var top = controls && !controls.hidden ? Math.max(controls.getBoundingClientRect().bottom - frame.top + 4, 0) : 0;
    var width = frame.width - (clearOfPanel ? panelRoom(frame) : 0);
    var areas = [{ left: 0, top: top, width: width, height: frame.height - top }];
    if (!legend) return areas;
    var lb = legend.getBoundingClientRect();
    areas.push({ left: 0, top: top, width: width, height: lb.top - frame.top - 6 - top });
    areas.push({ left: lb.right - frame.left + 6, top: top, width: width - (lb.right - frame.left) - 6, height: frame.height - top });
    return areas;
  }

  function placement(box, area, frame) {
    /* the view that fits the graph's box into an area, at most at scale 1 */
    var scale = Math.min(
      (area.width - 24) / Math.max(box.right - box.left, 1),
      (area.height - 24) / Math.max(box.bottom - box.top, 1),
      1
    );
    return {
      position: { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 },
      scale: scale,
      offset: { x: area.left + area.width / 2 - frame.width / 2, y: area.top + area.height / 2 - frame.height / 2 },
    };
  }

  function coversLegend(view, frame) {
    /* whether a node would lie under the legend in that view */
    if (!legend) return false;
    var lb = legend.getBoundingClientRect();
    var toDom = function (x, y) {
      return {
        x: frame.left + frame.width / 2 + view.offset.x + (x - view.position.x) * view.scale,
        y: frame.top + frame.height / 2 + view.offset.y + (y - view.position.y) * view.scale,
      };
    };
    return nodes.getIds().some(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return false;
      var a = toDom(b.left, b.top);
      var z = toDom(b.right, b.bottom);
      return a.x < lb.right && z.x > lb.left && a.y < lb.bottom && z.y > lb.top;
    });
  }

  function fittedView(box, frame, clearOfPanel) {
    /* the view that fits the whole graph; if the legend would then cover a node, beside or above the legend */
    var areas = freeAreas(clearOfPanel).filter(function (area) {
      return area.width > 40 && area.height > 40;
    });
    if (!areas.length) return null;
    var views = areas.map(function (area) {
      return placement(box, area, frame);
    });
    var best = views[0];
    if (coversLegend(best, frame)) {
      best = views.slice(1).reduce(function (a, b) {
        return !a || b.scale > a.scale ? b : a;
      }, null) || best;
    }
    return best;
  }

  function fitView(clearOfPanel) {
    /* fit the whole graph; a page kept clear of the details panel (panelRoom) is fitted left of where it opens
       while its labels can still be read so (else over the whole width, and openPanel makes room) */
    var box = graphBox();
    if (!box) return;
    var frame = container.getBoundingClientRect();
    var best = null;
    if (panelRoom(frame)) {
      best = fittedView(box, frame, true);
      if (best && !clearOfPanel && best.scale * smallestFont() < READABLE_PX - 0.01) best = null;
    }
    best = best || fittedView(box, frame, false);
    if (best) network.moveTo({ position: best.position, scale: best.scale, offset: best.offset, animation: false });
  }

  /* ---- "show all firms" on a big chain: readable labels first, the whole chain a click away ---- */
  var READABLE_PX = 11; /* the smallest label size on screen that "show all firms" opens at */

  function smallestFont() {
    var fallback = (data.options.nodes && data.options.nodes.font && data.options.nodes.font.size) || 14;
    var least = Infinity;
    nodes.forEach(function (n) {
      if (n.hidden || !n.label) return;
      least = Math.min(least, (n.font && n.font.size) || fallback);
    });
    return least === Infinity ? fallback : least;
  }

  function nearestToCentre(ids) {
    /* the node among ids nearest the middle of the view: what the user was looking at */
    var centre = network.getViewPosition();
    var at = network.getPositions(ids);
    var best = null;
    var dist = Infinity;
    Object.keys(at).forEach(function (id) {
      var d = Math.pow(at[id].x - centre.x, 2) + Math.pow(at[id].y - centre.y, 2);
      if (d < dist) {
        dist = d;
        best = id;
      }
    });
    return best;
  }

  var hint = document.getElementById("view-hint");

  function markPartial(partial) {
    /* whether the view shows only part of the graph (zoomed in to read); the hint in the controls says so */
    state.partial = partial;
    if (hint) hint.hidden = !partial;
  }

  function readableView(anchor) {
    /* the whole graph if its labels can still be read so; otherwise readable labels around anchor (a node id,
       or a point {x, y} of the graph), the view kept over the graph (the user zooms out, or clicks "whole
       chain", for the rest) */
    fitView();
    markPartial(false);
    var least = smallestFont();
    if (network.getScale() * least >= READABLE_PX - 0.01) return;
    var box = graphBox();
    var areas = freeAreas();
    if (!box || !areas.length) return;
    var area = areas[0];
    var frame = container.getBoundingClientRect();
    var scale = READABLE_PX / least;
    var at = typeof anchor === "string" ? network.getPositions([anchor])[anchor] : anchor || null;
    var clamp = function (c, lo, hi, span) {
      return hi - lo <= span ? (lo + hi) / 2 : Math.min(Math.max(c, lo + span / 2), hi - span / 2);
    };
    var x = clamp(at ? at.x : (box.left + box.right) / 2, box.left - 12, box.right + 12, area.width / scale);
    var y = clamp(at ? at.y : (box.top + box.bottom) / 2, box.top - 12, box.bottom + 12, area.height / scale);
    network.moveTo({
      position: { x: x, y: y },
      scale: scale,
      offset: { x: area.left + area.width / 2 - frame.width / 2, y: area.top + area.height / 2 - frame.height / 2 },
      animation: false,
    });
    markPartial(someNodeOutside());
  }

  function someNodeOutside() {
    /* whether part of a node lies outside the view (or under the controls): the view shows part of the graph */
    var frame = container.getBoundingClientRect();
    var top = freeAreas()[0].top;
    return nodes.getIds().some(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return false;
      var a = network.canvasToDOM({ x: b.left, y: b.top });
      var z = network.canvasToDOM({ x: b.right, y: b.bottom });
      return a.x < -1 || a.y < top - 1 || z.x > frame.width + 1 || z.y > frame.height + 1;
    });
  }

  function upstreamEnd() {
    /* the point a wide chain opens on: the stretch of the chain, from its upstream (left) end, that shows the
       most nodes whole on the first screen (the first one of those), level with them (their middle, or their
       top when they are taller than the screen) */
    var box = graphBox();
    var area = freeAreas()[0];
    if (!box || !area) return null;
    var scale = READABLE_PX / smallestFont();
    var wide = area.width / scale - 24 / scale;
    var high = area.height / scale;
    var boxes = nodes.getIds().map(function (id) {
      return network.getBoundingBox(id);
    });
    var best = { left: box.left, count: -1 };
    boxes
      .map(function (b) {
        return b.left;
      })
      .sort(function (a, b) {
        return a - b;
      })
      .forEach(function (left) {
        var count = boxes.filter(function (b) {
          return b.left >= left && b.right <= left + wide;
        }).length;
        if (count > best.count) best = { left: left, count: count };
      });
    var top = Infinity;
    var bottom = -Infinity;
    boxes.forEach(function (b) {
      if (b.right < best.left || b.left > best.left + wide) return;
      top = Math.min(top, b.top);
      bottom = Math.max(bottom, b.bottom);
    });
    var x = best.left - 12 / scale + area.width / scale / 2;
    if (top === Infinity) return { x: x, y: (box.top + box.bottom) / 2 };
    return { x: x, y: bottom - top <= high - 24 / scale ? (top + bottom) / 2 : top - 12 / scale + high / 2 };
  }

  function legendCoversANode() {
    /* whether the open legend lies over a node drawn in the current view */
    if (!legend || !legend.open) return false;
    var lb = legend.getBoundingClientRect();
    var frame = container.getBoundingClientRect();
    return nodes.getIds().some(function (id) {
      var b = network.getBoundingBox(id);
      if (!b) return false;
      var a = network.canvasToDOM({ x: b.left, y: b.top });
      var z = network.canvasToDOM({ x: b.right, y: b.bottom });
      return frame.left + a.x < lb.right && frame.left + z.x > lb.left && frame.top + a.y < lb.bottom && frame.top + z.y > lb.top;
    });
  }

  /* views laid out in columns in Python (cluster, segment) can be too wide to read when fitted whole: they open
     at a readable size, a segment view on its segment, a cluster view towards the chain's upstream end */
  var COLUMN_VIEWS = { cluster: true, segment: true };
  var controlsBox = document.getElementById("controls");

  function fittedScale(box, area) {
    return Math.min((area.width - 24) / Math.max(box.right - box.left, 1), (area.height - 24) / Math.max(box.bottom - box.top, 1));
  }

  function labelClashes() {
    /* how many pairs of drawn nodes (with their labels) overlap */
    var boxes = nodes.getIds().map(function (id) {
      return network.getBoundingBox(id);
    });
    var found = 0;
    boxes.forEach(function (a, i) {
      boxes.slice(i + 1).forEach(function (b) {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) found += 1;
      });
    });
    return found;
  }

  function turnToFit() {
    /* a force layout wider than high on a screen higher than wide (a phone), or the other way round, is turned
       a quarter: it then fills the screen at a larger scale. Labels stay level; kept only when the turn draws
       the graph at least 15 % larger and puts no more labels on one another */
    var box = graphBox();
    var area = freeAreas()[0];
    if (!box || !area) return;
    var before = fittedScale(box, area);
    if (before >= 1) return;
    var turned = { left: -box.bottom, right: -box.top, top: box.left, bottom: box.right };
    if (Math.min(fittedScale(turned, area), 1) < before * 1.15) return;
    var at = network.getPositions();
    var clashes = labelClashes();
    var turn = function (sign) {
      nodes.update(
        Object.keys(at).map(function (id) {
          return sign > 0 ? { id: id, x: -at[id].y, y: at[id].x } : { id: id, x: at[id].x, y: at[id].y };
        })
      );
      network.redraw();
    };
    turn(1);
    var after = graphBox();
    if (labelClashes() > clashes || !after || fittedScale(after, area) < before * 1.15) turn(-1);
  }
  var legendFoldedToRead = false;

  function readableWhole() {
    /* whether the whole graph, fitted, is drawn with labels that can be read */
    fitView();
    return network.getScale() * smallestFont() >= READABLE_PX - 0.01;
  }

  function hub() {
    /* the node with the most links (the overview opens on it when it cannot be read whole) */
    var count = {};
    edges.forEach(function (e) {
      count[e.from] = (count[e.from] || 0) + 1;
      count[e.to] = (count[e.to] || 0) + 1;
    });
    return nodes.getIds().reduce(function (best, id) {
      return best === null || (count[id] || 0) > (count[best] || 0) ? id : best;
    }, null);
  }

  function firstView() {
    var focus = data.page.focus && nodes.get(data.page.focus) ? data.page.focus : null;
    if (!COLUMN_VIEWS[data.page.kind]) {
      /* overview and firm views: whole when readable so (every desk screen); else, on a phone, readable
         around the firm (or the overview's most linked cluster), the controls saying so */
      if (physicsOn) turnToFit();
      if (readableWhole()) return;
      if (controlsBox) controlsBox.hidden = false;
      readableView(focus || hub());
      if (state.partial) clearOfLegend();
      return;
    }
    readableView(focus || upstreamEnd());
    if (legendCoversANode()) {
      /* zoomed in, or whole at a readable size, the chain fills the view: the legend would hide part of it; one
         click opens it */
      legend.open = false;
      legendFoldedToRead = true;
    }
    if (state.partial) clearOfLegend();
    if (state.partial) headingsIntoView();
  }

  function wholeView() {
    /* "全图 whole chain": all of it at once, with the legend back if it was folded only to read */
    if (legendFoldedToRead && legend && !legend.open) legend.open = true;
    legendFoldedToRead = false;
    fitView();
    markPartial(false);
  }

  function withItsFirms(id) {
    /* the middle of a segment and the firms drawn beside it: what "show all firms" opens on */
    var node = nodes.get(id);
    var ids = [id].concat(
      ((node && node.info && node.info.children) || []).filter(function (child) {
        return nodes.get(child);
      })
    );
    var box = null;
    ids.forEach(function (one) {
      var b = network.getBoundingBox(one);
      if (!b) return;
      if (!box) box = { left: b.left, top: b.top, right: b.right, bottom: b.bottom };
      box.left = Math.min(box.left, b.left);
      box.top = Math.min(box.top, b.top);
      box.right = Math.max(box.right, b.right);
      box.bottom = Math.max(box.bottom, b.bottom);
    });
    return box ? { x: (box.left + box.right) / 2, y: (box.top + box.bottom) / 2 } : id;
  }

  function nodeBoxes(filter) {
    /* the page boxes (DOM pixels) of the nodes ``filter`` keeps (every node without one) */
    var frame = container.getBoundingClientRect();
    return nodes.getIds({ filter: filter }).map(function (id) {
      var b = network.getBoundingBox(id);
      var a = network.canvasToDOM({ x: b.left, y: b.top });
      var z = network.canvasToDOM({ x: b.right, y: b.bottom });
      return { left: frame.left + a.x, top: frame.top + a.y, right: frame.left + z.x, bottom: frame.top + z.y };
    });
  }

  function legendHits(boxes, dy) {
    /* whether the open legend would lie on one of ``boxes`` moved down by ``dy`` pixels */
    if (!legend) return false;
    var lb = legend.getBoundingClientRect();
    return boxes.some(function (b) {
      return b.left < lb.right && b.right > lb.left && b.top + dy < lb.bottom + 2 && b.bottom + dy > lb.top - 2;
    });
  }

  function shiftDown(dy) {
    var at = network.getViewPosition();
    var scale = network.getScale();
    network.moveTo({ position: { x: at.x, y: at.y - dy / scale }, scale: scale, animation: false });
  }

  function clearOfLegend() {
    /* shift a zoomed-in view up or down by the least (at most 160 px) that keeps the legend off every node */
    if (!legend) return;
    var boxes = nodeBoxes();
    if (!legendHits(boxes, 0)) return;
    for (var step = 4; step <= 160; step += 4) {
      var dy = !legendHits(boxes, -step) ? -step : !legendHits(boxes, step) ? step : 0;
      if (dy) {
        shiftDown(dy);
        return;
      }
    }
  }

  function headingsIntoView() {
    /* a zoomed-in chain view opens with its stage headings (上游, 中游, ...) below the controls, where they say
       which columns are which: a little lower (at most 60 px) when that takes a node at the bottom edge clear
       below the folded legend, not at all if a node would still lie under the legend (NEV at 1280x720, whose
       left column is too dense): then pinHeadings draws them under the controls */
    var headings = nodeBoxes(function (n) {
      return (n.info || {}).kind === "stage";
    });
    if (!headings.length) return;
    var ceiling = container.getBoundingClientRect().top + headingsCeiling();
    var top = Math.min.apply(null, headings.map(function (b) { return b.top; }));
    var dy = ceiling - top;
    if (dy <= 0) return;
    var boxes = nodeBoxes();
    for (var extra = 0; extra <= 60; extra += 2) {
      if (!legendHits(boxes, dy + extra)) {
        shiftDown(dy + extra);
        return;
      }
    }
  }

  function settle() {
    if (state.ready) return;
    network.setOptions({ physics: { enabled: false } });
    /* a force layout ends before its first drawing: draw once so that node sizes include their labels */
    if (physicsOn) network.redraw();
    firstView();
    state.ready = true;
    state.settledMs = performance.now() - state.startedAt;
    document.body.setAttribute("data-ready", "true");
    if (data.page.focus && nodes.get(data.page.focus)) {
      network.selectNodes([data.page.focus]);
    }
  }

  /* ---- stage headings pinned under the controls ---- */
  function headingsCeiling() {
    /* the highest place (container pixels) a stage heading can be read: under the controls when they show */
    var controls = document.getElementById("controls");
    var frame = container.getBoundingClientRect();
    return (controls && !controls.hidden ? controls.getBoundingClientRect().bottom - frame.top : 0) + 4;
  }

  function pinHeadings(ctx) {
    /* a stage heading panned or opened above the top of a chain view is drawn again just under the controls,
       over its own columns, on a white ground: 上游 / 中游 / 下游 stay named while one reads down a tall chain
       (NEV at 1280x720 opens too low to show them). What is drawn goes to state.pinnedHeadings. */
    var pinned = [];
    if (COLUMN_VIEWS[data.page.kind] && state.ready) {
      var ceiling = headingsCeiling();
      var top = network.DOMtoCanvas({ x: 0, y: ceiling }).y;
      nodes.get({ filter: function (n) { return (n.info || {}).kind === "stage"; } }).forEach(function (n) {
        var box = network.getBoundingBox(n.id);
        if (!box || network.canvasToDOM({ x: box.left, y: box.top }).y >= ceiling) return;
        var font = (network.body.nodes[n.id].options.font || {});
        var size = font.size || 18;
        ctx.save();
        ctx.font = size + "px " + (font.face || "sans-serif");
        var width = ctx.measureText(n.label).width;
        var pad = size / 4;
        var x = (box.left + box.right) / 2;
        ctx.fillStyle = "rgba(255, 255, 255, 0.92)";
        ctx.fillRect(x - width / 2 - pad, top, width + 2 * pad, size + 2 * pad);
        ctx.fillStyle = font.color || "#444444";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(n.label, x, top + pad + size / 2);
        ctx.restore();
        var a = network.canvasToDOM({ x: x - width / 2 - pad, y: top });
        var z = network.canvasToDOM({ x: x + width / 2 + pad, y: top + size + 2 * pad });
        pinned.push({ id: n.id, label: n.label, left: a.x, top: a.y, right: z.x, bottom: z.y });
      });
    }
    state.pinnedHeadings = pinned;
  }
  network.on("afterDrawing", pinHeadings);

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
  var closeButton = document.getElementById("details-close");
  var returnFocus = null; /* where the keyboard focus was when the panel opened: it goes back there on closing */
  var relabelling = false; /* the language switch draws the open panel again: the focus stays on the switch */

  var refittedForPanel = false; /* the graph was fitted left of the panel when it opened: fitted again on closing */

  function underPanel() {
    /* whether part of a node lies where the open panel is, on a page kept clear of it */
    var frame = container.getBoundingClientRect();
    if (panel.hidden || !panelRoom(frame)) return false;
    var left = panel.getBoundingClientRect().left - frame.left;
    return nodes.getIds().some(function (id) {
      var b = network.getBoundingBox(id);
      return b && network.canvasToDOM({ x: b.right, y: b.top }).x > left;
    });
  }

  function openPanel() {
    /* show the panel and move the focus to its close button (Escape or Enter closes it again); on a page kept
       clear of it, a graph under the panel is fitted left of it, so that every node can still be clicked */
    panel.hidden = false;
    if (underPanel()) {
      fitView(true);
      markPartial(false);
      refittedForPanel = true;
    }
    if (relabelling) return;
    var active = document.activeElement;
    if (!panel.contains(active)) returnFocus = active && active !== document.body ? active : null;
    closeButton.focus({ preventScroll: true });
  }

  function linkOrText(text, ref) {
    var href = ref ? viewHref(ref[0], ref[1]) : null;
    return href ? el("a", { href: href }, text) : el("span", null, text);
  }

  function sourceItem(src) {
    var li = el("li");
    li.appendChild(el("span", null, src.title || src.id));
    var meta = [src.publisher, src.date || T("date unknown 日期不详", "date unknown"), src.doc_no].filter(Boolean).join(", ");
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
    renderInfo(node.info || {}, node.label_zh || node.label);
    panel.setAttribute("data-node", String(nodeId));
    panel.removeAttribute("data-summary");
    panel.removeAttribute("data-edge");
    return true;
  }

  function showSummary() {
    if (!data.summary) return;
    renderInfo(data.summary, data.page.title);
    panel.setAttribute("data-node", "");
    panel.setAttribute("data-summary", "true");
  }

  function renderInfo(info, fallback) {
    body.textContent = "";
    var name = english() ? info.name_en || info.name_zh || fallback : info.name_zh || fallback;
    var other = english() ? info.name_zh : info.name_en;
    body.appendChild(el("h2", { id: "details-title" }, name));
    if (other && other !== name) body.appendChild(el("p", { className: "name-en" }, other));
    var badges = el("div", { className: "badges" });
    badges.appendChild(el("span", { className: "badge kind-" + info.kind }, kindLabel(info.kind)));
    var unverified = info.statuses_unverified || [];
    (info.statuses || (info.status ? [info.status] : [])).forEach(function (status) {
      // a kind resting only on unverified supply links says so, as the explanation below does
      var text = gapLabel(status) + (unverified.indexOf(status) >= 0 ? T("（待核实）", " (unverified)") : "");
      badges.appendChild(el("span", { className: "badge status-" + status }, text));
    });
    if (info.confidence && info.confidence !== "sourced") {
      /* a cross-cluster link counts its unverified links ("5 条中 4 条待核实"); any other item is unverified */
      var note = info.confidence_note && info.confidence_note.length ? info.confidence_note : null;
      var said = note ? T(note[0], note[1]) : T("可信度：待核实", "confidence: unverified");
      badges.appendChild(el("span", { className: "badge confidence" }, said));
    }
    body.appendChild(badges);
    if (info.fields && info.fields.length) {
      var dl = el("dl");
      info.fields.forEach(function (pair) {
        dl.appendChild(el("dt", null, english() && pair[2] ? pair[2] : pair[0]));
        dl.appendChild(el("dd", null, english() && pair[3] ? pair[3] : pair[1]));
      });
      body.appendChild(dl);
    }
    ((english() && info.explanations_en) || info.explanations || []).forEach(function (text) {
      body.appendChild(el("p", { className: "explanation" }, text));
    });
    (info.sections || []).forEach(function (section) {
      if (!section.items || !section.items.length) return;
      body.appendChild(el("h3", null, tr(section, "title")));
      var list = el(section.ordered ? "ol" : "ul");
      section.items.forEach(function (item) {
        var li = el("li", item.muted ? { className: "muted" } : null);
        li.appendChild(linkOrText(tr(item, "text"), item.ref));
        var detail = tr(item, "detail");
        if (detail) li.appendChild(el("div", { className: "meta" }, detail));
        list.appendChild(li);
      });
      body.appendChild(list);
    });
    if (info.note) body.appendChild(el("p", { className: "meta" }, info.note));
    var sources = info.sources || [];
    body.appendChild(el("h3", null, T("来源 Sources (", "Sources (") + sources.length + ")"));
    if (sources.length) {
      var ul = el("ul", { className: "sources" });
      sources.forEach(function (src) {
        ul.appendChild(sourceItem(src));
      });
      body.appendChild(ul);
    } else {
      body.appendChild(el("p", { className: "meta" }, T("none recorded 无", "none recorded")));
    }
    var links = el("div", { className: "detail-links" });
    var ref = info.ref || [info.kind, info.id];
    var view = viewHref(ref[0], ref[1]);
    if (view) links.appendChild(el("a", { href: view, className: "open-view" }, T("打开视图 Open view →", "Open view →")));
    var api = apiHref(ref[0], ref[1]);
    if (api) links.appendChild(el("a", { href: api, rel: "nofollow", className: "open-json" }, "JSON"));
    if (LINKABLE[ref[0]]) links.appendChild(el("span", { className: "meta" }, "id: " + ref[1]));
    body.appendChild(links);
    openPanel();
  }

  function showEdge(edgeId) {
    var edge = edges.get(edgeId);
    if (!edge) return;
    if (edge.info) {
      /* an arrow with a panel of its own (the overview's): names, and each segment a link to its view */
      renderInfo(edge.info, T("关系 Relation", "Relation"));
      panel.setAttribute("data-node", "");
      panel.setAttribute("data-edge", String(edgeId));
      panel.removeAttribute("data-summary");
      return;
    }
    body.textContent = "";
    body.appendChild(el("h2", { id: "details-title" }, T("关系 Relation", "Relation")));
    body.appendChild(el("p", { className: "edge-text" }, tr(edge, "title") || ""));
    panel.setAttribute("data-node", "");
    openPanel();
  }

  function keepAboveSheet(nodeId) {
    /* on a phone the panel is a sheet over the lower part of the graph: a node it would cover moves up into
       the middle of the part still shown (the view moves, not the node) */
    if (panel.hidden || !window.matchMedia || !window.matchMedia("(max-width: 700px)").matches) return;
    var at = network.getPositions([nodeId])[nodeId];
    if (!at) return;
    var frame = container.getBoundingClientRect();
    var sheetTop = panel.getBoundingClientRect().top - frame.top;
    var dom = network.canvasToDOM(at);
    var dy = dom.y > 24 && dom.y < sheetTop - 24 ? 0 : dom.y - sheetTop / 2;
    var dx = dom.x > 16 && dom.x < frame.width - 16 ? 0 : dom.x - frame.width / 2;
    if (!dx && !dy) return;
    var view = network.getViewPosition();
    var scale = network.getScale();
    network.moveTo({ position: { x: view.x + dx / scale, y: view.y + dy / scale }, scale: scale, animation: false });
  }

  function hideDetails() {
    /* close the panel; a focus inside it goes back to where it was before (else to the graph) */
    var active = document.activeElement;
    var focusInside = !panel.hidden && (panel.contains(active) || !active || active === document.body);
    panel.hidden = true;
    panel.removeAttribute("data-node");
    panel.removeAttribute("data-summary");
    panel.removeAttribute("data-edge");
    if (refittedForPanel) {
      refittedForPanel = false;
      readableView();
    }
    if (!focusInside) return;
    var back = returnFocus && document.contains(returnFocus) && returnFocus.getClientRects().length ? returnFocus : frameEl;
    returnFocus = null;
    if (back) back.focus({ preventScroll: true });
  }

  closeButton.addEventListener("click", hideDetails);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hideDetails();
  });

  /* ---- firms kept out of the layout until shown (the pool) ---- */
  var pool = data.pool || { nodes: [], edges: [] };
  var poolNodes = {};
  pool.nodes.forEach(function (n) {
    poolNodes[n.id] = n;
  });

  function laneSpot(id, near) {
    /* where a revealed firm stands: in the lane of the segment clicked (or of its own), beside it */
    var seg = nodes.get(near || (poolNodes[id] && poolNodes[id].owner));
    if (!seg || !seg.lane || !seg.info || !seg.info.children) return null;
    var k = seg.info.children.indexOf(id);
    if (k < 0 || !seg.lane[k]) return null;
    var at = network.getPositions([seg.id])[seg.id];
    return { x: at.x + seg.lane[k][0], y: at.y + seg.lane[k][1] };
  }

  function addFromPool(ids, near, all) {
    /* add pooled firms without moving anything already shown: beside the segment, or where "all firms" puts them */
    var fresh = ids.filter(function (id) {
      return poolNodes[id] && !nodes.get(id);
    });
    if (!fresh.length) return;
    nodes.add(
      fresh.map(function (id) {
        var item = Object.assign({}, poolNodes[id]);
        var spot = all ? null : laneSpot(id, near);
        if (spot) {
          item.x = spot.x;
          item.y = spot.y;
        } else if (item.xy_all) {
          item.x = item.xy_all[0];
          item.y = item.xy_all[1];
        }
        return item;
      })
    );
    edges.add(
      pool.edges.filter(function (e) {
        return !edges.get(e.id) && nodes.get(e.from) && nodes.get(e.to);
      })
    );
  }

  function moveAll(key) {
    /* move every shown node to its place in one of the two layouts: "xy_all" (all firms) or "x"/"y" */
    var moves = [];
    data.nodes.forEach(function (n) {
      var spot = key === "xy_all" ? n.xy_all : n.x !== undefined ? [n.x, n.y] : null;
      if (spot && nodes.get(n.id)) moves.push({ id: n.id, x: spot[0], y: spot[1] });
    });
    if (moves.length) nodes.update(moves);
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
    if (children && children.length) addFromPool(children, nodeId);
  }

  network.on("click", function (params) {
    if (params.nodes.length) {
      showDetails(params.nodes[0]);
      reveal(params.nodes[0]);
      keepAboveSheet(params.nodes[0]);
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
      /* every firm at once needs room: the chain spreads out to reserve it, and closes up again after */
      if (toggle.checked) {
        var selected = network.getSelectedNodes().filter(function (id) {
          return !poolNodes[id];
        });
        /* the segment selected, else the one with firms nearest the middle (not a grey box of another cluster) */
        var withFirms = nodes.getIds({
          filter: function (n) {
            return !n.owner && n.info && n.info.children && n.info.children.length > 0;
          },
        });
        var anchor = selected[0] || nearestToCentre(withFirms.length ? withFirms : nodes.getIds());
        moveAll("xy_all");
        addFromPool(Object.keys(poolNodes), null, true);
        readableView(anchor ? withItsFirms(anchor) : null);
      } else {
        var shown = network.getSelectedNodes().filter(function (id) {
          return !poolNodes[id];
        });
        var back = shown[0] || nearestToCentre(nodes.getIds({ filter: function (n) { return !n.owner; } }));
        removePooled();
        moveAll("xy");
        readableView(back);
      }
    });
  }
  var fitAll = document.getElementById("fit-all");
  if (fitAll) fitAll.addEventListener("click", wholeView);

  /* ---- legend: folded at first on a small screen (a phone, or a laptop under 800 px high) ---- */
  if (legend && window.matchMedia && window.matchMedia("(max-width: 700px), (max-height: 800px)").matches) {
    legend.open = false;
  }

  /* ---- legend swatches ---- */
  Array.prototype.forEach.call(document.querySelectorAll("#legend .swatch"), function (swatch) {
    var colour = swatch.getAttribute("data-colour");
    var dashedLine = swatch.classList.contains("shape-line") && (swatch.classList.contains("dashed") || swatch.classList.contains("dotted"));
    if (swatch.classList.contains("shape-ring") || dashedLine) swatch.style.borderColor = colour;
    else swatch.style.backgroundColor = colour;
  });

  /* ---- the cluster's gaps, most severe first ---- */
  var summaryButton = document.getElementById("show-summary");
  if (summaryButton) summaryButton.addEventListener("click", showSummary);

  /* ---- language switch: canvas labels, heading, legend and the open panel ---- */
  function setLang(lang) {
    state.lang = lang === "en" ? "en" : "zh";
    var relabel = function (item) {
      return english() && item.label_en ? item.label_en : item.label_zh;
    };
    var retitle = function (item) {
      return english() ? item.title_en : item.title_zh;
    };
    /* each node's label, and its tooltip where it has an English one (plain text: vis-network shows it as text) */
    nodes.update(
      nodes.get().map(function (n) {
        return n.title_en ? { id: n.id, label: relabel(n), title: retitle(n) } : { id: n.id, label: relabel(n) };
      })
    );
    edges.update(
      edges
        .get({ filter: function (e) { return e.label_zh !== undefined && e.label_zh !== null; } })
        .map(function (e) {
          return { id: e.id, label: relabel(e) };
        })
    );
    edges.update(
      edges
        .get({ filter: function (e) { return Boolean(e.title_en); } })
        .map(function (e) {
          return { id: e.id, title: retitle(e) };
        })
    );
    pool.nodes.concat(pool.edges).forEach(function (item) {
      if (item.label_zh !== undefined) item.label = relabel(item);
      if (item.title_en) item.title = retitle(item);
    });
    applyPageText();
    labelFrame();
    if (!panel.hidden) {
      var open = panel.getAttribute("data-node");
      relabelling = true;
      if (panel.getAttribute("data-summary")) showSummary();
      else if (open) showDetails(open);
      else if (panel.getAttribute("data-edge")) showEdge(panel.getAttribute("data-edge"));
      relabelling = false;
    }
    if (results && !results.hidden) renderResults(lastResults); /* declared below: undefined on the first call */
    try {
      var url = new URL(window.location.href);
      if (state.lang !== PAGE_LANG) url.searchParams.set("lang", state.lang);
      else url.searchParams.delete("lang");
      if (url.href !== window.location.href) window.history.replaceState(null, "", url.href);
    } catch (err) {
      /* a page opened where the address cannot change keeps it: the switch still works */
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll(".lang button"), function (button) {
    button.addEventListener("click", function () {
      setLang(button.getAttribute("data-lang"));
    });
  });
  if (english()) setLang("en");

  /* ---- search over the index: embedded in a file view (data.index); a served view loads it once from the
     server (data.indexScript: a script whose URL names its content, so the browser keeps it across pages, and
     which the page's policy allows by its hash, given again as its integrity) ---- */
  var input = document.getElementById("search");
  var results = document.getElementById("search-results");
  var KIND_ORDER = { segment: 0, firm: 1, cluster: 2 };
  var INDEX_GLOBAL = "chainkgSearchIndex"; /* what the index script sets (viz/search_index.py) */
  var indexState = data.index ? "ready" : data.indexScript ? "waiting" : "none"; /* → loading → ready | failed */

  function normalise(text) {
    return String(text || "")
      .normalize("NFKC")
      .toLowerCase()
      .replace(/\s+/g, "");
  }

  /* each entry's keys with a penalty: its names 0, their pinyin and initials 0.25; its parent's names 0.5, their pinyin 0.75 */
  var byId = {};
  var prepared = [];

  function ownKeys(entry, penalty, parent) {
    /* [key, penalty, the parent it comes from (or null)] */
    var keys = [];
    [entry.id, entry.zh, entry.en]
      .concat(entry.aka || [])
      .filter(Boolean)
      .forEach(function (name) {
        keys.push([normalise(name), penalty, parent]);
      });
    (entry.py ? entry.py.split(" ") : []).forEach(function (key) {
      keys.push([key, penalty + 0.25, parent]);
    });
    return keys;
  }

  function useIndex(list) {
    byId = {};
    list.forEach(function (entry) {
      byId[entry.id] = entry;
    });
    prepared = list.map(function (entry) {
      var keys = ownKeys(entry, 0, null);
      var parent = entry.up && byId[entry.up];
      if (parent) {
        keys = keys.concat(
          ownKeys(parent, 0.5, parent).filter(function (key) {
            return key[0] !== normalise(parent.id);
          })
        );
      }
      return { entry: entry, keys: keys };
    });
  }
  if (data.index) useIndex(data.index);

  function indexLoaded(ok) {
    var list = ok ? window[INDEX_GLOBAL] : null;
    try {
      delete window[INDEX_GLOBAL]; /* kept here only */
    } catch (err) {
      window[INDEX_GLOBAL] = undefined;
    }
    if (Array.isArray(list)) {
      useIndex(list);
      indexState = "ready";
    } else {
      indexState = "failed";
    }
    document.body.setAttribute("data-search-index", indexState);
    if (input.value.trim()) {
      lastResults = search(input.value); /* what was typed while it loaded */
      renderResults(lastResults);
    }
  }

  function loadIndex() {
    /* the served page's index, once: a script element (its onload and onerror are properties, not inline
       handlers, so the policy needs no more than the script's hash) */
    if (indexState !== "waiting") return;
    indexState = "loading";
    document.body.setAttribute("data-search-index", indexState);
    var script = document.createElement("script");
    script.async = true;
    script.integrity = data.indexScript.integrity;
    script.onload = function () {
      indexLoaded(true);
    };
    script.onerror = function () {
      indexLoaded(false); /* a 404 (data changed since), a network error, an integrity or policy refusal */
    };
    script.src = data.indexScript.src;
    document.head.appendChild(script);
  }

  var via = {}; /* id -> the parent an entry was found by, in the last search */

  function search(query) {
    var q = normalise(query);
    if (!q) return [];
    var hits = [];
    prepared.forEach(function (item) {
      var best = 9;
      var by = null;
      item.keys.forEach(function (key) {
        var at = key[0].indexOf(q);
        if (at < 0) return;
        var rank = (key[0] === q ? 0 : at === 0 ? 1 : 2) + key[1];
        if (rank < best) {
          best = rank;
          by = key[2];
        }
      });
      if (best < 9) hits.push({ rank: best, entry: item.entry });
      via[item.entry.id] = by;
    });
    hits.sort(function (a, b) {
      return (
        a.rank - b.rank ||
        (a.entry.o || 0) - (b.entry.o || 0) ||
        KIND_ORDER[a.entry.k] - KIND_ORDER[b.entry.k] ||
        (a.entry.id < b.entry.id ? -1 : 1)
      );
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
      keepAboveSheet(entry.id);
      showResults(false);
      return;
    }
    var href = viewHref(entry.k, entry.id);
    if (href) window.location.href = href;
  }

  function parentText(parent) {
    /* the parent a hit was found by: its Chinese name, or in English its English name where it has one */
    return T("母公司 parent: ", "parent: ") + (english() && parent.en ? parent.en : parent.zh);
  }

  function showResults(open) {
    /* the list of results open or closed, as the search box's combobox state says */
    results.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) input.removeAttribute("aria-activedescendant");
  }

  var activeResult = 0; /* the result Enter opens: the first, or the one the arrow keys moved to */

  function markResult(index) {
    /* mark one result as the active option (a highlight, aria-selected and the box's active descendant) */
    var items = results.querySelectorAll("li[role='option'][data-id]");
    if (!items.length) return;
    activeResult = Math.max(0, Math.min(index, items.length - 1));
    Array.prototype.forEach.call(items, function (li, i) {
      li.classList.toggle("active", i === activeResult);
      li.setAttribute("aria-selected", String(i === activeResult));
    });
    input.setAttribute("aria-activedescendant", items[activeResult].id);
    if (items[activeResult].scrollIntoView) items[activeResult].scrollIntoView({ block: "nearest" });
  }

  function emptyText() {
    /* what an empty list says: still loading, could not load, or no match */
    if (indexState === "waiting" || indexState === "loading") {
      return T("正在加载搜索索引… Loading the search index…", "Loading the search index…");
    }
    if (indexState === "failed") {
      return T(
        "搜索索引未能加载（请刷新页面），可改用服务器搜索 /api/v1/search：",
        "The search index did not load (reload the page); the server's search, /api/v1/search, still works:"
      );
    }
    return T("无结果 No match", "No match");
  }

  function serverSearchHref() {
    /* the server's search for what is typed (JSON), from a served page */
    var api = data.indexScript && safeHref(data.indexScript.searchApi);
    return api ? api + "?q=" + encodeURIComponent(input.value.trim()) : null;
  }

  function renderResults(list) {
    results.textContent = "";
    input.removeAttribute("aria-activedescendant");
    if (!input.value.trim()) {
      showResults(false);
      return;
    }
    if (!list.length) {
      var none = el("li", { className: "result-empty", id: "search-none" }, emptyText());
      none.setAttribute("role", "option");
      none.setAttribute("aria-disabled", "true");
      if (indexState === "failed" && serverSearchHref()) {
        none.appendChild(document.createTextNode(" "));
        var label = T("在服务器上搜索 Search on the server", "Search on the server");
        none.appendChild(el("a", { id: "search-server", href: serverSearchHref() }, label));
      }
      results.appendChild(none);
    }
    list.forEach(function (entry, i) {
      var li = el("li", { id: "search-hit-" + i });
      li.setAttribute("role", "option");
      li.setAttribute("data-id", entry.id);
      var href = viewHref(entry.k, entry.id);
      var name = english() && entry.en ? entry.en + " (" + entry.zh + ")" : entry.zh + (entry.en ? " (" + entry.en + ")" : "");
      /* the link is for the mouse (and "open in a new tab"); the keyboard moves through the list from the box */
      li.appendChild(href ? el("a", { href: href, tabIndex: -1 }, name) : el("span", null, name));
      li.appendChild(el("span", { className: "result-kind" }, kindLabel(entry.k)));
      if (via[entry.id]) li.appendChild(el("span", { className: "result-kind result-parent" }, parentText(via[entry.id])));
      li.appendChild(el("span", { className: "result-id" }, entry.id));
      li.addEventListener("click", function (event) {
        if (nodes.get(entry.id) || poolNodes[entry.id]) event.preventDefault();
        openEntry(entry);
      });
      results.appendChild(li);
    });
    showResults(true);
    markResult(Math.min(activeResult, list.length - 1));
  }

  var lastResults = [];
  input.addEventListener("input", function () {
    loadIndex();
    lastResults = search(input.value);
    activeResult = 0;
    renderResults(lastResults);
  });
  /* a served page loads its index once the page has loaded when it is small (a script added before would hold
     the page's load event until it came), else on the first sign of a search */
  if (data.indexScript) {
    input.addEventListener("focus", loadIndex);
    input.parentNode.addEventListener("pointerenter", loadIndex);
    document.body.setAttribute("data-search-index", indexState);
    if (data.indexScript.eager) {
      if (document.readyState === "complete") loadIndex();
      else window.addEventListener("load", loadIndex);
    }
  }
  input.addEventListener("keydown", function (event) {
    var moves = { ArrowDown: 1, ArrowUp: -1 };
    if (moves[event.key] && lastResults.length) {
      event.preventDefault();
      if (results.hidden) renderResults(lastResults); /* the list closed by Escape opens again */
      else markResult(activeResult + moves[event.key]);
    } else if (event.key === "Enter" && lastResults.length) {
      event.preventDefault();
      openEntry(lastResults[results.hidden ? 0 : activeResult] || lastResults[0]);
    } else if (event.key === "Enter" && indexState === "failed" && serverSearchHref()) {
      event.preventDefault();
      window.location.href = serverSearchHref();
    } else if (event.key === "Escape") {
      showResults(false);
    }
  });

  window.chainkgView = {
    network: network,
    nodes: nodes,
    edges: edges,
    state: state,
    showDetails: showDetails,
    showSummary: showSummary,
    showEdge: showEdge,
    keepAboveSheet: keepAboveSheet,
    unfoldHeader: unfoldHeader,
    setLang: setLang,
    search: search,
    searchIndexState: function () {
      return indexState;
    },
    viewHref: viewHref,
    pool: pool,
    fitView: fitView,
    readableView: readableView,
    wholeView: wholeView,
    firstView: firstView,
  };
})();

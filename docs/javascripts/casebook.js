/* Casebook browser features, all progressive enhancements of pages that work without them:
 * sortable tables (the model x measure matrix), the "compare" control on model pages, and the
 * compare page, which reads the per-model JSON files generated beside the model pages.
 * Data from JSON is only ever put into the page as text (textContent), never as HTML. */
(function () {
  "use strict";

  var STORE = "casebook.compare";
  var MAX = 4;
  var ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function cleanIds(list) {
    var seen = [];
    list.forEach(function (id) {
      id = String(id).trim();
      if (ID.test(id) && seen.indexOf(id) < 0) seen.push(id);
    });
    return seen.slice(0, MAX);
  }

  function stored() {
    try { return cleanIds(JSON.parse(localStorage.getItem(STORE) || "[]")); } catch (e) { return []; }
  }

  function store(ids) {
    try { localStorage.setItem(STORE, JSON.stringify(ids)); } catch (e) { /* private mode: the URL still works */ }
  }

  /* Material's search dialog has no accessible name; give it one. */
  function nameSearchDialog() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) dialog.setAttribute("aria-label", "搜索 / Search");
  }

  /* ---- sortable tables ---- */
  function sortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    var body = table.tBodies[0];
    if (!head || !body) return;
    Array.prototype.forEach.call(body.rows, function (row, i) { row.setAttribute("data-i", i); });
    Array.prototype.forEach.call(head.cells, function (th, col) {
      var button = el("button", { type: "button", "class": "cb-sort", text: "⇅",
        "aria-label": "排序 / Sort: " + th.textContent.trim() });
      button.addEventListener("click", function () { sortBy(table, col, th); });
      th.appendChild(button);
    });
  }

  function sortBy(table, col, th) {
    var numeric = th.getAttribute("data-sort") === "num";
    var now = th.getAttribute("aria-sort");
    var dir = now ? (now === "descending" ? "ascending" : "descending") : (numeric ? "descending" : "ascending");
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
    var sign = dir === "ascending" ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var key = function (row) {
      var text = row.cells[col].textContent.trim();
      return numeric ? (Number(text) || 0) : text;
    };
    rows.sort(function (a, b) {
      var ka = key(a), kb = key(b);
      var order = numeric ? ka - kb : ka.localeCompare(kb, "zh-Hans-CN");
      return order * sign || Number(a.getAttribute("data-i")) - Number(b.getAttribute("data-i"));
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  /* ---- the compare control on model pages ---- */
  function compareButton(link) {
    var url = new URL(link.getAttribute("href"), location.href);
    var id = (url.searchParams.get("ids") || "").split(",")[0];
    if (!ID.test(id)) return;
    var view = el("a", { "class": "cb-compare-view", hidden: "hidden" });
    link.parentNode.insertBefore(view, link.nextSibling);
    link.parentNode.insertBefore(document.createTextNode(" "), view);
    link.setAttribute("role", "button");
    function update() {
      var ids = stored();
      var on = ids.indexOf(id) >= 0;
      link.setAttribute("aria-pressed", on ? "true" : "false");
      link.textContent = on ? "已加入对比 / Added" : "加入对比 / Compare";
      url.searchParams.set("ids", ids.join(","));
      view.setAttribute("href", url.pathname + "?ids=" + ids.join(","));
      view.textContent = "查看对比（" + ids.length + "）/ View comparison";
      if (ids.length) view.removeAttribute("hidden"); else view.setAttribute("hidden", "hidden");
    }
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var ids = stored();
      var at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
      else { ids.push(id); if (ids.length > MAX) ids.shift(); }
      store(ids);
      update();
    });
    window.addEventListener("storage", update);
    update();
  }

  /* ---- the compare page ---- */
  function labels() {
    var out = { qualifier: {}, level: {} };
    document.querySelectorAll("#cb-labels li").forEach(function (li) {
      out[li.getAttribute("data-kind")][li.getAttribute("data-key")] = li.textContent.trim();
    });
    return out;
  }

  function amount(a, names) {
    var q = a.qualifier ? names.qualifier[a.qualifier] + " " : "";
    return q + String(a.value) + " " + a.unit;
  }

  function compareApp(root) {
    var names = labels();
    var base = {
      models: root.getAttribute("data-models"), index: root.getAttribute("data-index"),
      measures: root.getAttribute("data-measures"), metrics: root.getAttribute("data-metrics"),
      regions: root.getAttribute("data-regions")
    };
    var fromUrl = new URLSearchParams(location.search).get("ids");
    var ids = fromUrl !== null ? cleanIds(fromUrl.split(",")) : stored();
    var records = {};
    var catalogue = null;

    var status = el("p", { "class": "cb-status", role: "status", "aria-live": "polite" });
    var picked = el("ul", { "class": "cb-picked", "aria-label": "已选模式 / Selected models" });
    var input = el("input", { id: "cb-add-input", list: "cb-case-list", autocomplete: "off",
      placeholder: "输入模式名称或地区 / Type a name or place" });
    var options = el("datalist", { id: "cb-case-list" });
    var form = el("form", { "class": "cb-add" }, [
      el("label", { "for": "cb-add-input", text: "添加模式 / Add a model " }), input, options, " ",
      el("button", { type: "submit", "class": "cb-btn", text: "添加 / Add" }), " ",
      el("button", { type: "button", "class": "cb-btn cb-copy", text: "复制链接 / Copy link" })
    ]);
    var output = el("div");
    root.appendChild(picked);
    root.appendChild(form);
    root.appendChild(status);
    root.appendChild(output);

    function loadCatalogue() {
      if (catalogue) return catalogue;
      catalogue = fetch(base.index).then(function (r) { return r.json(); }).then(function (data) {
        data.cases.forEach(function (c) {
          options.appendChild(el("option", { value: c.title, label: c.province_zh + " · " + c.name }));
        });
        return data.cases;
      });
      return catalogue;
    }
    input.addEventListener("focus", loadCatalogue);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      loadCatalogue().then(function (cases) {
        var hit = cases.filter(function (c) { return c.title === text || c.id === text; })[0] ||
          cases.filter(function (c) { return (c.title + c.name + c.province_zh + c.place).indexOf(text) >= 0; })[0];
        if (!hit) { status.textContent = "没有找到“" + text + "” / Not found"; return; }
        input.value = "";
        if (ids.indexOf(hit.id) < 0) {
          if (ids.length >= MAX) { status.textContent = "最多比较 " + MAX + " 个模式 / At most " + MAX + " models"; return; }
          ids.push(hit.id);
        }
        changed();
      });
    });
    form.querySelector(".cb-copy").addEventListener("click", function () {
      var done = function () { status.textContent = "链接已复制 / Link copied"; };
      if (navigator.clipboard) navigator.clipboard.writeText(location.href).then(done, function () {
        status.textContent = location.href;
      });
      else status.textContent = location.href;
    });

    function changed() {
      store(ids);
      history.replaceState(null, "", location.pathname + (ids.length ? "?ids=" + ids.join(",") : ""));
      load();
    }

    function load() {
      status.textContent = ids.length ? "正在载入… / Loading…" : "";
      Promise.all(ids.map(function (id) {
        if (records[id]) return records[id];
        return fetch(base.models + id + ".json").then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (data) { records[id] = data; return data; }, function () { return null; });
      })).then(function (list) {
        var missing = ids.filter(function (id, i) { return !list[i]; });
        ids = ids.filter(function (id, i) { return list[i]; });
        draw(list.filter(Boolean));
        status.textContent = missing.length ? "找不到这些模式 / Not found: " + missing.join(", ") :
          ids.length < 2 ? "请至少选择 2 个模式 / Choose at least two models" : "";
      });
    }

    function draw(models) {
      picked.textContent = "";
      models.forEach(function (c) {
        var remove = el("button", { type: "button", "aria-label": "移除 / Remove: " + c.title, text: "×" });
        remove.addEventListener("click", function () {
          ids = ids.filter(function (id) { return id !== c.id; });
          changed();
        });
        picked.appendChild(el("li", {}, [el("span", { text: c.model.name }), remove]));
      });
      output.textContent = "";
      if (!models.length) return;
      output.appendChild(el("div", { "class": "cb-scroll", tabindex: "0", role: "region", "aria-label": "对比表 / Comparison" },
        [table(models)]));
    }

    function union(models, list, key) {
      var order = [], rows = {};
      models.forEach(function (c, col) {
        list(c).forEach(function (item) {
          var k = key(item);
          if (!rows[k]) { rows[k] = { key: k, first: item, cells: models.map(function () { return []; }) }; order.push(k); }
          rows[k].cells[col].push(item);
        });
      });
      var result = order.map(function (k, i) {
        var r = rows[k];
        r.index = i;
        r.shared = r.cells.filter(function (items) { return items.length; }).length;
        return r;
      });
      result.sort(function (a, b) { return b.shared - a.shared || a.index - b.index; });
      return result;
    }

    function table(models) {
      var n = models.length;
      var head = el("tr", {}, [el("th", { scope: "col", text: "项目 / Item" })].concat(models.map(function (c) {
        return el("th", { scope: "col" }, [el("a", { href: base.models + c.id + "/", text: c.model.name }),
          el("br"), el("small", { text: c.province_zh })]);
      })));
      var body = el("tbody");
      function section(title) {
        body.appendChild(el("tr", { "class": "cb-section" }, [el("th", { scope: "colgroup", colspan: String(n + 1), text: title })]));
      }
      function row(header, cells, shared) {
        var th = el("th", { scope: "row" }, [header]);
        if (shared > 1 && n > 2) th.appendChild(el("small", { text: " " + shared + "/" + n }));
        var tr = el("tr", shared === n && n > 1 ? { "class": "cb-shared" } : {}, [th]);
        cells.forEach(function (cell) {
          var empty = !cell || (cell.nodeType === 1 && cell.tagName === "UL" && !cell.childNodes.length);
          tr.appendChild(empty ? el("td", { "class": "cb-none", text: "—" }) : el("td", {}, [cell]));
        });
        body.appendChild(tr);
      }
      function list(items) { return el("ul", {}, items); }

      section("基本情况 / Overview");
      row("地区 / Place", models.map(function (c) {
        var loc = c.locality;
        return el("span", {}, [el("a", { href: base.regions + c.province + "/", text: c.province_zh }),
          " " + ["city", "county", "township", "community"].map(function (k) { return loc[k] || ""; }).join("")]);
      }));
      row("层级 / Level", models.map(function (c) { return names.level[c.level] || c.level; }));
      row("牵头单位 / Lead", models.map(function (c) { return c.lead_organisation; }));
      row("时间 / Period", models.map(function (c) {
        return c.period.start ? c.period.start + " – " + (c.period.end || "至今 / ongoing") : "原文未注明 / not stated in the source";
      }));
      row("概述 / Summary", models.map(function (c) { return c.summary; }));

      section("措施 / Measures（" + "● 所选模式共有 / shared by all）");
      union(models, function (c) { return c.measures; }, function (m) { return m.type; }).forEach(function (r) {
        row(el("a", { href: base.measures + r.key + "/", text: r.first.type_zh }), r.cells.map(function (items) {
          return list(items.map(function (m) { return el("li", { text: m.name }); }));
        }), r.shared);
      });

      section("数据 / Figures");
      union(models, function (c) { return c.metrics; }, function (v) { return v.metric; }).forEach(function (r) {
        row(el("a", { href: base.metrics + r.key + "/", text: r.first.metric_zh }), r.cells.map(function (items) {
          return list(items.map(function (v) {
            var text = (v.baseline ? amount(v.baseline, names) + " → " : "") + amount(v, names);
            return el("li", {}, [el("strong", { text: text }), " ", el("small", { text: v.scope })]);
          }));
        }), r.shared);
      });

      section("来源 / Sources");
      row("来源 / Sources", models.map(function (c) {
        return list(c.sources.map(function (s) {
          var title = /^https?:\/\//.test(s.url || "") ? el("a", { href: s.url, rel: "noopener", text: s.title }) : el("span", { text: s.title });
          return el("li", {}, [title, " ", el("small", { text: s.publisher + "，" + (s.date || "未注明日期 / undated") })]);
        }));
      }));
      var t = el("table", { "class": "cb-compare" }, [el("thead", {}, [head]), body]);
      t.style.minWidth = (6 + 10 * n) + "em";  /* each model keeps a readable column; the table scrolls on a phone */
      return t;
    }

    load();
  }

  function init() {
    nameSearchDialog();
    document.querySelectorAll("table[data-sortable]").forEach(sortable);
    document.querySelectorAll("a[data-compare]").forEach(compareButton);
    var app = document.getElementById("cb-compare");
    if (app) compareApp(app);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

/* Casebook browser features, all progressive enhancements of pages that work without them:
 * the language view switch (中文 / English / 双语), sortable tables (the model x measure matrix), the
 * "compare" control on model pages, and the compare page, which reads the per-model JSON files
 * generated beside the model pages. Text made here is written as lang-marked pairs (bi), like the
 * generated pages, so the language view (casebook.css) applies to it without more script.
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

  /* ---- the language view ----
   * The inline script in <head> (overrides/main.html) applies the view before the first paint; this
   * runs the switch, and writes the view's text where CSS cannot choose: attributes (aria-label) and
   * SVG <title>/<desc>, which carry both texts in data-cb-zh / data-cb-en. Other scripts listen for
   * the "casebook:view" event on document. */
  var VIEW_KEY = "casebook.lang";
  var VIEWS = ["zh", "en", "bi"];

  function currentView() {
    var view = document.documentElement.getAttribute("data-cb-view");
    return VIEWS.indexOf(view) >= 0 ? view : "bi";
  }

  function viewText(zh, en, view) {
    if (!en) return zh;
    return view === "zh" ? zh : view === "en" ? en : zh + " / " + en;
  }

  function applyAttributes(view) {
    document.querySelectorAll("[data-cb-en]").forEach(function (node) {
      var tag = node.tagName.toLowerCase();
      var svgText = tag === "title" || tag === "desc";
      if (!node.hasAttribute("data-cb-bi")) node.setAttribute("data-cb-bi", svgText ? node.textContent : node.getAttribute("aria-label") || "");
      var zh = node.hasAttribute("data-cb-zh") ? node.getAttribute("data-cb-zh") : node.getAttribute("data-cb-bi");  // no data-cb-zh: the text is the Chinese
      var text = view === "bi" ? node.getAttribute("data-cb-bi") : view === "zh" ? zh : node.getAttribute("data-cb-en");
      if (svgText) node.textContent = text;
      else node.setAttribute("aria-label", text);
    });
  }

  function showView(view) {
    var html = document.documentElement;
    html.setAttribute("data-cb-view", view);
    html.setAttribute("lang", view === "en" ? "en" : "zh");
    var titles = document.getElementById("cb-view");
    // no data-zh: the Chinese title is the one <title> had (data-bi, kept by view.js)
    var title = titles && (titles.getAttribute("data-" + view) || titles.getAttribute("data-bi"));
    if (title) document.title = title;
    applyAttributes(view);
    document.querySelectorAll(".cb-lang__btn").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-view") === view ? "true" : "false");
    });
    document.dispatchEvent(new CustomEvent("casebook:view", { detail: { view: view } }));
  }

  function chooseView(view) {
    try { localStorage.setItem(VIEW_KEY, view); } catch (e) { /* private mode: this page still switches */ }
    var url = new URL(location.href);
    if (url.searchParams.has("lang")) {  // a shared ?lang= link now says what the reader sees
      url.searchParams.set("lang", view);
      history.replaceState(history.state, "", url.href);
    }
    showView(view);
  }

  function languageSwitch() {
    document.querySelectorAll(".cb-lang__btn").forEach(function (button) {
      button.addEventListener("click", function () { chooseView(button.getAttribute("data-view")); });
    });
    window.addEventListener("storage", function (event) {  // chosen in another tab
      if (event.key === VIEW_KEY && VIEWS.indexOf(event.newValue) >= 0) showView(event.newValue);
    });
    showView(currentView());
  }

  /* A pair of texts, each half marked with its language; en missing: the Chinese alone. */
  function bi(zh, en, cls) {
    var pair = document.createDocumentFragment();
    pair.appendChild(el("span", { lang: "zh", text: zh }));
    if (en) {
      pair.appendChild(document.createTextNode(" "));
      // Chinese inside the English (a name quoted) is marked as Chinese and shown in every view
      var parts = String(en).split(/([\u2e80-\u9fff\uf900-\ufaff][\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]*)/);
      pair.appendChild(el("span", cls ? { lang: "en", "class": cls } : { lang: "en" }, parts.map(function (part, i) {
        return i % 2 ? el("span", { "class": "cb-one", lang: "zh", text: part }) : part;
      })));
    }
    return pair;
  }

  // for other scripts: cite.js names its buttons after this script has run (refresh)
  window.casebookView = { current: currentView, text: viewText, bi: bi, refresh: function () { applyAttributes(currentView()); } };

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
      var zh = th.querySelector('[lang="zh"]'), en = th.querySelector('[lang="en"]');
      var button = el("button", { type: "button", "class": "cb-sort", text: "⇅",
        "aria-label": "排序 / Sort: " + th.textContent.trim(),
        "data-cb-zh": "排序：" + (zh || th).textContent.trim(), "data-cb-en": "Sort: " + (en || th).textContent.trim() });
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
      var text = (row.cells[col].innerText || row.cells[col].textContent).trim();  // as shown: the view's language
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
      link.replaceChildren(on ? bi("已加入对比", "Added") : bi("加入对比", "Compare"));
      url.searchParams.set("ids", ids.join(","));
      view.setAttribute("href", url.pathname + "?ids=" + ids.join(","));
      view.replaceChildren(bi("查看对比（" + ids.length + "）", "View comparison (" + ids.length + ")"));
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
    var out = { qualifier: {}, level: {}, unit: {}, metric: {}, measure: {}, province: {} };
    document.querySelectorAll("#cb-labels li").forEach(function (li) {
      out[li.getAttribute("data-kind")][li.getAttribute("data-key")] = { zh: li.textContent.trim(), en: li.getAttribute("data-en") || "" };
    });
    return out;
  }

  function amount(a, names) {
    var q = a.qualifier ? names.qualifier[a.qualifier].zh + " " : "";
    return q + String(a.value) + " " + a.unit;
  }

  /* In English: the qualifier's English and the value in the metric's English unit (v: its metric record); the
   * record gives the value in that unit (base_value) only where it is not the value as written. */
  function amountEn(a, names, v) {
    var q = a.qualifier ? names.qualifier[a.qualifier].en + " " : "";
    var unit = names.unit[v.metric] ? names.unit[v.metric].en : a.unit;
    return q + String(a.base_value !== undefined ? a.base_value : a.value) + " " + unit;
  }

  function compareApp(root) {
    var names = labels();
    /* A compact record's rows are arrays, their column names on this page once (data-columns); a row ends at
     * its last value, so a missing column is absent, as a missing key was. */
    var columns = JSON.parse(root.getAttribute("data-columns"));
    function unpack(kind, row) {
      var out = {};
      columns[kind].forEach(function (key, i) { if (i < row.length && row[i] !== null) out[key] = row[i]; });
      return out;
    }
    /* A compact record names its measure types, metrics and province by key; the page has the names once. */
    function named(c) {
      function name(kind, key) { return names[kind][key] || { zh: key, en: key }; }
      c.locality = unpack("locality", c.locality);
      c.measures = c.measures.map(function (row) { return unpack("measures", row); });
      c.metrics = c.metrics.map(function (row) {
        var v = unpack("metrics", row);
        if (v.baseline) v.baseline = unpack("baseline", v.baseline);
        return v;
      });
      c.sources = c.sources.map(function (row) { return unpack("sources", row); });
      c.province_zh = name("province", c.province).zh; c.province_en = name("province", c.province).en;
      c.measures.forEach(function (u) { u.type_zh = name("measure", u.type).zh; u.type_en = name("measure", u.type).en; });
      c.metrics.forEach(function (v) { v.metric_zh = name("metric", v.metric).zh; v.metric_en = name("metric", v.metric).en; });
      return c;
    }
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
    var picked = el("ul", { "class": "cb-picked", "aria-label": "已选模式 / Selected models",
      "data-cb-zh": "已选模式", "data-cb-en": "Selected models" });
    var input = el("input", { id: "cb-add-input", list: "cb-case-list", autocomplete: "off" });
    function placeholder(view) {
      input.setAttribute("placeholder", viewText("输入模式名称或地区", "Type a name or place", view));
    }
    placeholder(currentView());
    document.addEventListener("casebook:view", function (event) { placeholder(event.detail.view); });
    var options = el("datalist", { id: "cb-case-list" });
    var form = el("form", { "class": "cb-add" }, [
      el("label", { "for": "cb-add-input" }, [bi("添加模式", "Add a model"), " "]), input, options, " ",
      el("button", { type: "submit", "class": "cb-btn" }, [bi("添加", "Add")]), " ",
      el("button", { type: "button", "class": "cb-btn cb-copy" }, [bi("复制链接", "Copy link")])
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
        if (!hit) { status.replaceChildren(bi("没有找到“" + text + "”", "Not found: " + text)); return; }
        input.value = "";
        if (ids.indexOf(hit.id) < 0) {
          if (ids.length >= MAX) { status.replaceChildren(bi("最多比较 " + MAX + " 个模式", "At most " + MAX + " models")); return; }
          ids.push(hit.id);
        }
        changed();
      });
    });
    form.querySelector(".cb-copy").addEventListener("click", function () {
      var done = function () { status.replaceChildren(bi("链接已复制", "Link copied")); };
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
      status.replaceChildren(ids.length ? bi("正在载入…", "Loading…") : "");
      Promise.all(ids.map(function (id) {
        if (records[id]) return records[id];
        return fetch(base.models + id + ".json").then(function (r) {
          if (!r.ok) throw new Error(r.status);
          return r.json();
        }).then(function (data) { records[id] = named(data); return data; }, function () { return null; });
      })).then(function (list) {
        var missing = ids.filter(function (id, i) { return !list[i]; });
        ids = ids.filter(function (id, i) { return list[i]; });
        draw(list.filter(Boolean));
        status.replaceChildren(missing.length ? bi("找不到这些模式：" + missing.join(", "), "Not found: " + missing.join(", ")) :
          ids.length < 2 ? bi("请至少选择 2 个模式", "Choose at least two models") : "");
      });
    }

    function draw(models) {
      picked.textContent = "";
      models.forEach(function (c) {
        // named as the text beside it: the model's name (the compact record has no title)
        var remove = el("button", { type: "button", "aria-label": "移除 / Remove: " + c.model.name, text: "×",
          "data-cb-zh": "移除：" + c.model.name, "data-cb-en": "Remove: " + (c.model.name_en || c.model.name) });
        remove.addEventListener("click", function () {
          ids = ids.filter(function (id) { return id !== c.id; });
          changed();
        });
        picked.appendChild(el("li", {}, [el("span", {}, [bi(c.model.name, c.model.name_en)]), remove]));
      });
      output.textContent = "";
      if (!models.length) return;
      output.appendChild(el("div", { "class": "cb-scroll", tabindex: "0", role: "region", "aria-label": "对比表 / Comparison",
        "data-cb-zh": "对比表", "data-cb-en": "Comparison" }, [table(models)]));
      applyAttributes(currentView());
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
      var head = el("tr", {}, [el("th", { scope: "col" }, [bi("项目", "Item")])].concat(models.map(function (c) {
        return el("th", { scope: "col" }, [el("a", { href: base.models + c.id + "/" }, [bi(c.model.name, c.model.name_en, "cb-nl")]),
          el("br"), el("small", {}, [bi(c.province_zh, c.province_en)])]);
      })));
      var body = el("tbody");
      function section(title) {
        body.appendChild(el("tr", { "class": "cb-section" }, [el("th", { scope: "colgroup", colspan: String(n + 1) }, [title])]));
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

      function span(children) { return el("span", {}, children); }

      section(bi("基本情况", "Overview"));
      row(bi("地区", "Place"), models.map(function (c) {
        var loc = c.locality;
        var place = ["city", "county", "township", "community"].map(function (k) { return loc[k] || ""; }).join("");
        return span([el("a", { href: base.regions + c.province + "/" }, [bi(c.province_zh, c.province_en)]), " ",
          bi(place, loc.name_en, "cb-nl")]);
      }));
      row(bi("层级", "Level"), models.map(function (c) {
        var level = names.level[c.level];
        return level ? span([bi(level.zh, level.en)]) : c.level;
      }));
      row(bi("牵头单位", "Lead"), models.map(function (c) { return span([bi(c.lead_organisation, c.lead_organisation_en, "cb-nl")]); }));
      row(bi("时间", "Period"), models.map(function (c) {
        if (!c.period.start) return span([bi("原文未注明", "not stated in the source")]);
        return span([c.period.start + " – ", c.period.end ? c.period.end : bi("至今", "ongoing")]);
      }));
      row(bi("概述", "Summary"), models.map(function (c) {
        var en = bi("", c.summary_en).lastChild;  // the English, its Chinese names marked
        return el("div", {}, [el("p", { lang: "zh", text: c.summary }), el("p", { lang: "en" }, Array.prototype.slice.call(en.childNodes))]);
      }));

      section(span([bi("措施（● 所选模式共有）", "Measures (● shared by all)")]));
      union(models, function (c) { return c.measures; }, function (m) { return m.type; }).forEach(function (r) {
        row(el("a", { href: base.measures + r.key + "/" }, [bi(r.first.type_zh, r.first.type_en)]), r.cells.map(function (items) {
          return list(items.map(function (m) { return el("li", {}, [bi(m.name, m.name_en, "cb-nl")]); }));
        }), r.shared);
      });

      section(bi("数据", "Figures"));
      union(models, function (c) { return c.metrics; }, function (v) { return v.metric; }).forEach(function (r) {
        row(el("a", { href: base.metrics + r.key + "/" }, [bi(r.first.metric_zh, r.first.metric_en)]), r.cells.map(function (items) {
          return list(items.map(function (v) {
            var zh = (v.baseline ? amount(v.baseline, names) + " → " : "") + amount(v, names);
            var en = (v.baseline ? amountEn(v.baseline, names, v) + " → " : "") + amountEn(v, names, v);
            return el("li", {}, [el("strong", { lang: "zh", text: zh }), " ", el("strong", { lang: "en", text: en }), " ",
              el("small", { lang: "zh", text: v.scope }), " ", el("small", { lang: "en", "class": "cb-nl", text: v.scope_en })]);
          }));
        }), r.shared);
      });

      section(bi("来源", "Sources"));
      row(bi("来源", "Sources"), models.map(function (c) {
        return list(c.sources.map(function (s) {
          var lang = /[\u2e80-\u9fff]/.test(s.title) ? "zh" : "en";  // a source's title is in its own language only
          var title = /^https?:\/\//.test(s.url || "") ? el("a", { href: s.url, rel: "noopener", text: s.title }) : el("span", { text: s.title });
          var date = s.date ? el("small", { text: s.publisher + "，" + s.date }) :
            el("small", {}, [s.publisher + "，", el("span", { "class": "cb-undated" }, [bi("未注明日期", "undated")])]);
          return el("li", { "class": "cb-one", lang: lang }, [title, " ", date]);
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
    languageSwitch();  // last: it also writes the view's text into the attributes made above
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

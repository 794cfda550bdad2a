/* Casebook search, with Pagefind. One small script on every page:
 *  - the header box (form[data-cb-search-box]) searches as you type and links to the search page;
 *  - the search page (#search-results) reads its state from the URL,
 *    search/?q=网格&province=北京市&measure=…&tag=…&level=…&year=…, and shows ranked results with
 *    highlighted excerpts and facets with counts.
 * Pagefind (pagefind/pagefind.js) and OpenCC's traditional-to-simplified table (search/t2s.json)
 * are fetched on first use only.
 *
 * How a query meets the index (casebook/search/index.py builds it): Chinese is indexed one character per
 * word, so the query is folded like the pages (NFKC width, OpenCC t2s, lower case) and each Chinese
 * character becomes a term. Pagefind ranks the pages holding every term; pages where each run of
 * the query occurs as typed (Pagefind's exact search over adjacent words) come first, then pages
 * holding each word of it (see prepare). Text from the index is shown as text, never as HTML.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const BASE = new URL("..", script.src); // this file is <site>/javascripts/search.js
  const SEARCH_PAGE = new URL("search/", BASE);
  const FACETS = [
    ["province", "省份 / Province"],
    ["level", "层级 / Level"],
    ["measure", "措施类型 / Measure type"],
    ["tag", "标签 / Tag"],
    ["year", "起始年份 / Year started"],
  ];
  const HAN = /\p{Script=Han}/u;
  const ZWSP = /\u200b/g;
  const PAGE_SIZE = 10;
  const BOX_SIZE = 6;

  /* ---- loading --------------------------------------------------------------------------- */

  /* Each shard of the index (casebook/search/index.py says why there are shards) is merged into one
   * Pagefind with a filter of its own, SHARD = its number, added by Pagefind to all its pages
   * (mergeFilter). A search with a filter no page has (NOWHERE) then costs a few milliseconds and still
   * says, in its totalFilters, how many pages of each shard hold the words: holding() uses this to
   * keep a search to the shards where every word of it is. */
  const SHARD = "casebook-shard";
  const NOWHERE = { "casebook-none": "none" };

  let pagefindLoad = null;
  function pagefind() {
    pagefindLoad ??= Promise.all([import(new URL("pagefind/pagefind.js", BASE).href), queryAsset()]).then(async ([pf, asset]) => {
      // On the search page Pagefind runs on the page's own thread, not in its web worker: the page
      // preloads the index's first files (casebook/search/index.py writes the links into it), and only
      // requests made by the page can use them; a worker would also first fetch and start its own
      // script. Elsewhere the header box searches as the reader types, and a search of a large site
      // keeps Pagefind busy for some hundred milliseconds: there it runs in the worker, so that
      // typing never waits for it.
      // The tag names this build of the index, so those files have fixed addresses (metaCacheTag).
      const common = { excerptLength: 40, metaCacheTag: asset.tag };
      const noWorker = location.pathname === SEARCH_PAGE.pathname;
      await pf.options({ ...common, noWorker, mergeFilter: { [SHARD]: "0" } });
      // Pagefind takes its language from <html lang> when it starts, and for zh it cuts the query
      // into words with the browser's dictionary, which would break the bigrams made here. The
      // index has no language (casebook/search/index.py), so Pagefind is started under "und", read once,
      // synchronously, inside init(); the page's own lang is back before anything else runs.
      const html = document.documentElement;
      const lang = html.getAttribute("lang");
      html.setAttribute("lang", "und");
      try {
        await pf.init();
      } finally {
        html.setAttribute("lang", lang);
      }
      await Promise.all(
        asset.shards.map((dir, i) =>
          // a path, as Pagefind keeps the primary's: result URLs are then the same from every shard
          pf.mergeIndex(new URL(`pagefind/${dir}`, BASE).pathname, { ...common, language: "und", mergeFilter: { [SHARD]: String(i + 1) } }),
        ),
      );
      return pf;
    });
    return pagefindLoad;
  }

  // The index's shards, OpenCC's t2s table and the heavy index words (casebook/search/index.py writes them).
  let assetLoad = null;
  function queryAsset() {
    assetLoad ??= fetch(new URL("search/query.json", BASE))
      .then((response) => response.json())
      .then((data) => ({
        shards: data.shards || [],
        tag: data.tag,
        heavy: new Map(Object.entries(data.heavy)),
        t2s: data.t2s.dicts.map((d) => {
          // Made while the search page waits for its first results, so with little work: the keys
          // of a string of character pairs are all one character long, and it is read as it is.
          const map = new Map();
          if (d.pairs) {
            let key = null;
            for (const c of d.pairs) {
              if (key === null) {
                key = c;
              } else {
                map.set(key, c);
                key = null;
              }
            }
            return { map, max: 1, min: 1 };
          }
          const lengths = Object.keys(d.map).map((k) => Array.from(k).length);
          for (const [k, v] of Object.entries(d.map)) map.set(k, v);
          return { map, max: Math.max(1, ...lengths), min: Math.min(...lengths) };
        }),
      }));
    return assetLoad;
  }

  /* ---- folding: OpenCC t2s as opencc-python applies it ---------------------------------- */

  // A group of dictionaries: the longest key found anywhere (leftmost among equals) is replaced,
  // the text on either side is converted the same way, and text no key of a dictionary matches
  // goes to the next dictionary of the group.
  function convert(chars, dicts, d) {
    if (!chars.length) return "";
    if (d >= dicts.length) return chars.join("");
    const { map, max, min } = dicts[d];
    for (let len = Math.min(chars.length, max); len >= min; len--) {
      for (let i = 0; i + len <= chars.length; i++) {
        const value = map.get(chars.slice(i, i + len).join(""));
        if (value !== undefined) {
          return convert(chars.slice(0, i), dicts, d) + value + convert(chars.slice(i + len), dicts, d);
        }
      }
    }
    return convert(chars, dicts, d + 1);
  }

  async function toSimplified(text) {
    return HAN.test(text) ? convert(Array.from(text), (await queryAsset()).t2s, 0) : text;
  }

  /* ---- from a query to Pagefind searches ------------------------------------------------- */

  /* A query is folded like the pages and cut into pieces: runs of Chinese characters, and words of
   * letters, digits and "+" (“12345”工作法 gives 12345 and 工作法; “1+6” gives 1+6).
   * A Chinese run of two or more characters is searched as its bigrams, the index words of
   * casebook/search/index.py (工作法: 工作 作法), and must occur as typed: its bigrams adjacent (Pagefind's
   * exact search). A single character is a prefix of the index words it starts (网: 网格, 网_). Heavy bigrams
   * (in every page) are left out of a run that has others, and a run of heavy bigrams only is left
   * out of a query that has other pieces: they would cost much to fetch and tell little.
   * When few pages hold the runs as typed, the runs are cut into words (the browser's dictionary,
   * Intl.Segmenter) and pages holding each word come next (老党员网格长: 老党员 … 网格长). */
  // A run of Chinese goes on across the marks printed inside phrases (casebook/search/index.py:
  // SOFT_MARKS), as in the index: “四老”争创“四新” and 网格长、楼长 are one piece each, without them.
  const PIECE = /\p{Script=Han}+(?:[“”‘’「」『』〈〉《》"'、·・‧•]+\p{Script=Han}+)*|(?:(?!\p{Script=Han})[\p{L}\p{N}_+])+/gu;
  const MARKS = /[“”‘’「」『』〈〉《》"'、·・‧•]/gu;
  let wordCutter = null; // made on first use: making it takes 15-25 ms of the page's thread

  // The words of a piece, by the browser's dictionary (see above). A piece of one or two characters
  // is left whole: cut, it could only give single characters, which find any page holding them.
  function words(piece) {
    if (!HAN.test(piece) || Array.from(piece).length <= 2 || typeof Intl.Segmenter !== "function") return [piece];
    wordCutter ??= new Intl.Segmenter("zh", { granularity: "word" });
    return Array.from(wordCutter.segment(piece), (w) => w.segment);
  }
  const bigrams = (chars) => chars.slice(0, -1).map((c, i) => c + chars[i + 1]);

  /* Terms for pieces of a query (see above); heavy: index word -> occurrences. Returns
   * {terms: "w1 w2 …", present: the terms one by one, which every result must hold (Pagefind
   * leaves out a term no page holds, so holding() checks each), groups: the terms in groups that
   * are searched together: a run of neighbouring bigrams, or one other term, phrases: exact searches
   * for the groups of two or more bigrams, which must be neighbours in the page too}. One term
   * needs no check. */
  function plan(pieces, heavy) {
    const weight = (w) => heavy.get(w) || 0;
    const parts = pieces.map((piece) => {
      const chars = Array.from(piece);
      if (!HAN.test(piece) || chars.length === 1) return { terms: [piece], groups: [[piece]], weight: weight(piece) };
      const grams = bigrams(chars).map((g, i) => ({ g, i }));
      const light = grams.filter(({ g }) => !heavy.has(g));
      const keep = light.length ? light : [grams.reduce((a, b) => (weight(b.g) < weight(a.g) ? b : a))];
      const runs = []; // kept bigrams that are neighbours in the query must be neighbours in the page
      for (const x of keep) {
        const last = runs.at(-1);
        if (last && last.at(-1).i === x.i - 1) last.push(x);
        else runs.push([x]);
      }
      return {
        terms: keep.map((x) => x.g),
        groups: runs.map((run) => run.map((x) => x.g)),
        weight: light.length ? 0 : weight(keep[0].g),
      };
    });
    const light = parts.filter((part) => part.weight === 0);
    const used = light.length || !parts.length ? light : [parts.reduce((a, b) => (b.weight < a.weight ? b : a))];
    const terms = [...new Set(used.flatMap((part) => part.terms))];
    return {
      terms: terms.join(" "),
      present: terms.length > 1 ? terms : [],
      groups: used.flatMap((part) => part.groups),
      phrases: [...new Set(used.flatMap((part) => part.groups.filter((g) => g.length > 1).map((g) => `"${g.join(" ")}"`)))],
    };
  }

  async function prepare(raw) {
    // "+" joins what is around it, as in the index: 1 + 6 is the model name 1+6
    const text = raw.normalize("NFKC").toLowerCase().replace(ZWSP, "").replace(/\s*\+\s*/g, "+");
    const folded = HAN.test(text) ? await toSimplified(text) : text;
    const heavy = HAN.test(folded) ? (await queryAsset()).heavy : new Map();
    const pieces = (folded.match(PIECE) || []).map((piece) => piece.replace(MARKS, ""));
    const whole = plan(pieces, heavy);
    let cut; // planned when search() needs it, as cutting into words costs (words)
    return { whole, cut: () => (cut === undefined ? (cut = planCut(pieces, heavy, whole)) : cut) };
  }

  // The plan of the pieces cut into words, or null when it would find nothing more: cutting changes
  // nothing, or leaves Chinese only as single characters (pages that merely hold 量, 子, 计 …
  // somewhere are not results for 量子计算机).
  function planCut(pieces, heavy, whole) {
    const cutWords = pieces.flatMap(words);
    const cut = plan(cutWords, heavy);
    const same = cut.terms === whole.terms && cut.phrases.join() === whole.phrases.join();
    const loose = cutWords.some((w) => HAN.test(w)) && !cutWords.some((w) => HAN.test(w) && Array.from(w).length > 1);
    return same || loose ? null : cut;
  }

  /* ---- searching ------------------------------------------------------------------------- */

  function pagefindFilters(selected) {
    const filters = {};
    for (const [name, values] of Object.entries(selected)) if (values.length) filters[name] = { any: values };
    return filters;
  }

  /* Where the `terms` are: {scope, pages}. scope: the shards in which every one of them is found,
   * as values of the SHARD filter, or null when that is all of them (or there is only one term,
   * which Pagefind never leaves out); pages: term -> the pages holding it. One search per term, each
   * with a filter no page has: Pagefind then counts the pages holding the term in each shard
   * (totalFilters) but ranks none, which is what costs (see casebook/search/index.py). */
  async function whereTerms(pf, terms) {
    if (!terms.length) return { scope: null, pages: new Map() };
    const counts = await Promise.all(terms.map((term) => pf.search(term, { filters: NOWHERE })));
    const all = Object.keys(counts[0].totalFilters?.[SHARD] || {});
    const scope = all.filter((shard) => counts.every((c) => c.totalFilters[SHARD][shard] > 0));
    const pages = new Map(terms.map((term, i) => [term, counts[i].unfilteredResultCount]));
    return { scope: scope.length === all.length ? null : scope, pages };
  }

  const within = (filters, scope) => (scope ? { ...filters, [SHARD]: { any: scope } } : filters);

  /* Pagefind's ranking of the pages holding every term of a plan (its search kept to the shards
   * holding them all), and of those the pages holding each of its phrases. The time Pagefind takes
   * to rank grows with the square of the pages holding its words (casebook/search/index.py), so a group
   * of bigrams that a phrase search already requires together is ranked by its rarest bigram
   * alone. The excerpt of a page found by a phrase is centred on the phrase. Returns {results, scope}. */
  async function holding(pf, query, filters) {
    const { scope, pages } = await whereTerms(pf, query.present);
    if (scope && !scope.length) return { results: [], scope };
    const where = within(filters, scope);
    const rarest = (group) => group.reduce((a, b) => ((pages.get(b) ?? 0) < (pages.get(a) ?? 0) ? b : a));
    const ranked = [...new Set(query.groups.map(rarest))].join(" ");
    const ordering = pf.search(ranked, { filters: where });
    const phrasing = Promise.all(query.phrases.map((phrase) => pf.search(phrase, { filters: where })));
    const order = await ordering;
    // While the phrases are searched, the pages ranked first are fetched: most of them hold the
    // phrase, and Pagefind keeps what it fetched for the phrase's results of the same pages.
    if (query.phrases.length) for (const r of order.results.slice(0, PAGE_SIZE)) r.data().catch(() => {});
    const phrased = await phrasing;
    const found = phrased.map((run) => new Map(run.results.map((r) => [r.id, r])));
    const results = order.results
      .filter((r) => found.every((ids) => ids.has(r.id)))
      .map((r) => ({ id: r.id, data: found.length ? found[0].get(r.id).data : r.data }));
    return { results, scope };
  }

  /* Results for a query and facet selection, best first: {results: [{id, data()}], total, exact, plan}:
   * the pages holding the query as typed, then (if those are fewer than a page of results) the
   * pages holding each of its words; `exact` counts the first, `plan` is the plan all of them hold
   * (prepare), for facetCounts. */
  async function search(raw, selected) {
    const [pf, query] = await Promise.all([pagefind(), prepare(raw)]);
    const filters = pagefindFilters(selected);
    const terms = query.whole.terms;
    if (!terms && !Object.keys(filters).length) return null;
    if (!terms) {
      const all = await pf.search(null, { filters });
      return { results: all.results, total: all.results.length, exact: all.results.length, plan: query.whole };
    }
    const first = (await holding(pf, query.whole, filters)).results;
    let results = first;
    const cut = first.length < PAGE_SIZE ? query.cut() : null;
    if (cut) {
      const ids = new Set(first.map((r) => r.id));
      results = [...first, ...(await holding(pf, cut, filters)).results.filter((r) => !ids.has(r.id))];
    }
    // every page holding the query as typed holds each of its words too
    const plan = results.length > first.length ? cut : query.whole;
    return { results, total: results.length, exact: first.length, plan };
  }

  /* Facet counts for a query and selection: {facet: {value: n}}, over the pages its results hold:
   * the query as typed, or its words when search() added pages holding them (its `plan`). They are
   * disjunctive: the counts of one facet are taken with the other facets' selections only, so with
   * 北京市 chosen the province facet still shows how many results 湖北省 would add. They need Pagefind's filter index, and with it loaded every search also counts
   * (at 10,000 pages that doubles a search's time), so they are asked for after the results. */
  let filtersLoad = null;
  async function facetCounts(raw, selected, plan = null) {
    const [pf, query] = await Promise.all([pagefind(), plan ? { whole: plan } : prepare(raw)]);
    filtersLoad ??= pf.filters();
    const all = await filtersLoad;
    const filters = pagefindFilters(selected);
    // Counted over the shards holding every word, and for a plan of one run of Chinese by its
    // phrase, like its results. Other queries are counted by their index words: with several pieces
    // (网格 先锋队) a count can include pages where a run's characters are apart.
    const { whole } = query;
    const terms = (whole.phrases.length === 1 && whole.present.length === whole.phrases[0].split(" ").length ? whole.phrases[0] : whole.terms) || null;
    if (!terms && !Object.keys(filters).length) return all;
    const { scope } = terms ? await whereTerms(pf, whole.present) : { scope: null };
    if (scope && !scope.length) return {};
    const ranked = await pf.search(terms, { filters: within(filters, scope) });
    const counts = {};
    for (const [name] of FACETS) counts[name] = ranked.filters?.[name] || {};
    for (const name of Object.keys(filters)) {
      const others = { ...filters };
      delete others[name];
      const without = Object.keys(others).length || scope ? (await pf.search(terms, { filters: within(others, scope) })).filters : ranked.totalFilters;
      counts[name] = without?.[name] || {};
    }
    return counts;
  }

  /* One search at a time: `latestOnly(task)` gives a function that runs task(arg, stale) at once when
   * no run is under way, and otherwise after it, for the last arg given meanwhile only. Typed faster
   * than a large index answers, a query then costs one search at a time instead of one per keystroke
   * waiting in a queue (each would keep Pagefind busy for a few hundred milliseconds at 10,000 cases).
   * stale() says a newer call is waiting, so work that only serves this one can be skipped. */
  function latestOnly(task) {
    let running = false;
    let waiting = null; // [arg] of the newest call made during a run
    const stale = () => waiting !== null;
    return async function call(arg) {
      if (running) {
        waiting = [arg];
        return;
      }
      running = true;
      try {
        await task(arg, stale);
      } finally {
        running = false;
        if (waiting) {
          const [next] = waiting;
          waiting = null;
          call(next);
        }
      }
    };
  }

  /* ---- rendering ------------------------------------------------------------------------- */

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "class") node.className = v;
      else node.setAttribute(k, v);
    }
    for (const child of children) if (child != null) node.append(child);
    return node;
  }

  const clean = (text) => (text || "").replace(ZWSP, "");

  /* Pagefind's excerpt is the indexed text with <mark> around matched words; here it is turned back
   * into the page's text and shown as text, never as HTML. In the indexed text a run of Chinese is
   * written as its bigrams and last character between spaces (流动 动党 党员 员_): each bigram gives
   * its first character, marked with the character after it when the bigram matched. Other words
   * end with "_" in the index (12345_), which is taken off. */
  // An index word of Chinese: a character, then the next one or "_", then the marks printed between
  // the two (casebook/search/index.py: SOFT_MARKS; a space is kept as U+2060).
  const HAN_WORD = /^(\p{Script=Han})(\p{Script=Han}|_)([\u2060“”‘’「」『』〈〉《》"'、·・‧•]*)$/u;
  const SPACE_MARK = /\u2060/g;
  const WORD_END = /(?<=[\p{L}\p{N}+_])_(?![\p{L}\p{N}_])/gu; // the mark ending every other word
  const CLOSING = /[,.;:!?)\]]/;
  const TIGHT = /[\p{Script=Han}\u00b7\u2018-\u201f\u2022\u2027\u3000-\u303f\u30fb\uff00-\uffef]/u; // no space is needed next to these
  function readable(html) {
    const words = []; // {text, marked} for words and for runs of spaces
    let marked = false;
    for (const part of clean(html).split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>" || part === "</mark>") marked = part === "<mark>";
      else for (const text of part.split(/(\s+)/)) if (text) words.push({ text, marked, space: !text.trim() });
    }
    const out = [];
    let carry = false; // the previous bigram matched: its second character, which starts this word, too
    words.forEach((word, i) => {
      if (word.space) {
        const before = out.at(-1)?.text.slice(-1) || "";
        const after = words[i + 1]?.text[0] || "";
        // Chinese punctuation is ASCII after NFKC (，→ ,): no space between a character and it either
        if (!/\s/.test(before) && !(TIGHT.test(before) && (TIGHT.test(after) || CLOSING.test(after)))) out.push({ text: " ", marked: false });
        return;
      }
      const han = HAN_WORD.exec(word.text);
      if (!han) {
        out.push({ text: word.text.replace(WORD_END, ""), marked: word.marked }); // 12345_ was 12345
        carry = false;
        return;
      }
      const [, first, second, marks] = han;
      const between = marks.replace(SPACE_MARK, " ");
      const bigram = second !== "_";
      const last = !words.slice(i + 1).some((w) => !w.space); // the excerpt may end inside a run
      out.push({ text: last && bigram ? first + between + second : first + between, marked: word.marked || carry });
      carry = word.marked && bigram;
    });
    return out;
  }

  function excerpt(html) {
    const p = el("p", { class: "cb-result__excerpt" });
    for (const { text, marked } of readable(html)) {
      const last = p.lastChild;
      if (marked && last?.nodeName === "MARK") last.textContent += text;
      else p.append(marked ? el("mark", {}, text) : document.createTextNode(text));
    }
    p.normalize();
    return p;
  }

  const KINDS = { models: "实践模式 / Model", measures: "措施类型 / Measure type", metrics: "指标 / Metric", tags: "标签 / Tag" };

  function resultItem(data) {
    const meta = data.meta || {};
    const section = new URL(data.url, location.href).pathname.split("/").filter(Boolean).at(-2);
    const details = [KINDS[section], meta.place, data.filters?.level?.[0]].filter(Boolean).map(clean).join(" · ");
    const item = el("li", { class: "cb-result" }, el("a", { class: "cb-result__title", href: data.url }, clean(meta.title || data.url)));
    if (details) item.append(el("div", { class: "cb-result__meta" }, details));
    item.append(excerpt(data.excerpt));
    return item;
  }

  function indexLinks() {
    return el(
      "p",
      { class: "cb-search__empty-links" },
      "可以换个说法，或按",
      el("a", { href: new URL("tags/", BASE).href }, "标签索引"),
      "、",
      el("a", { href: new URL("measures/", BASE).href }, "措施类型索引"),
      "浏览。 ",
      el(
        "span",
        { lang: "en" },
        "Try other words, or browse the ",
        el("a", { href: new URL("tags/", BASE).href }, "tag index"),
        " or the ",
        el("a", { href: new URL("measures/", BASE).href }, "measure type index"),
        ".",
      ),
    );
  }

  /* ---- the search page ------------------------------------------------------------------- */

  function searchPage(form) {
    const input = form.elements.q;
    const status = document.getElementById("search-status");
    const output = document.getElementById("search-results");
    const facetBox = document.getElementById("search-facets");
    let shown = null;

    function readUrl() {
      const params = new URLSearchParams(location.search);
      const selected = {};
      for (const [name] of FACETS) selected[name] = params.getAll(name).filter(Boolean);
      return { q: params.get("q") || "", selected };
    }

    function readForm() {
      const selected = {};
      for (const [name] of FACETS) {
        selected[name] = Array.from(form.querySelectorAll(`input[name="${name}"]:checked`), (box) => box.value);
      }
      return { q: input.value, selected };
    }

    function writeUrl(state) {
      const params = new URLSearchParams();
      if (state.q.trim()) params.set("q", state.q.trim());
      for (const [name] of FACETS) for (const value of state.selected[name]) params.append(name, value);
      const query = params.toString();
      history.replaceState(null, "", query ? `?${query}` : location.pathname);
    }

    function renderFacets(counts, selected) {
      const focused = facetBox.contains(document.activeElement) ? document.activeElement : null;
      facetBox.replaceChildren();
      for (const [name, label] of FACETS) {
        const values = new Map(Object.entries(counts[name] || {}));
        for (const value of selected[name]) if (!values.has(value)) values.set(value, 0);
        const shownValues = [...values].filter(([value, n]) => n > 0 || selected[name].includes(value));
        if (!shownValues.length) continue;
        shownValues.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh"));
        const list = el("ul", { class: "cb-facet__list" });
        for (const [value, n] of shownValues) {
          const box = el("input", { type: "checkbox", name, value });
          box.checked = selected[name].includes(value);
          list.append(el("li", {}, el("label", {}, box, ` ${value} `, el("span", { class: "cb-facet__count" }, `(${n})`))));
        }
        const group = el("fieldset", { class: "cb-facet", "data-facet": name }, el("legend", {}, label), list);
        facetBox.append(group);
      }
      if (focused) {
        // keep the keyboard where it was: the same checkbox, re-rendered with its new count
        const same = Array.from(facetBox.querySelectorAll("input")).find((b) => b.name === focused.name && b.value === focused.value);
        same?.focus();
      }
    }

    async function renderMore(list, results, from) {
      const slice = results.slice(from, from + PAGE_SIZE);
      const data = await Promise.all(slice.map((r) => r.data()));
      data.forEach((d, i) => {
        const item = resultItem(d);
        if (from + i === shown.exact && shown.exact > 0) {
          list.append(el("li", { class: "cb-result__divider" }, "以下结果包含全部词语，但不相连 · Below: all the words, not together"));
        }
        list.append(item);
      });
      return from + slice.length;
    }

    // Facets are drawn after the results (see facetCounts).
    async function showFacets(state, found, stale) {
      const counts = await facetCounts(state.q, state.selected, found?.plan);
      if (!stale()) renderFacets(counts, state.selected);
    }

    // One run at a time (latestOnly): a run whose query has been changed meanwhile shows nothing.
    async function run(state, stale) {
      output.setAttribute("aria-busy", "true");
      status.textContent = "正在搜索… / Searching…";
      let found;
      try {
        found = await search(state.q, state.selected);
      } catch (error) {
        if (stale()) return;
        status.textContent = "搜索暂时不可用。 Search is unavailable.";
        output.replaceChildren();
        output.setAttribute("aria-busy", "false");
        throw error;
      }
      if (stale()) return;
      if (found === null) {
        status.textContent = "输入关键词开始搜索，或按左侧条件筛选。 Type to search, or choose filters.";
        output.replaceChildren();
      } else if (!found.total) {
        const what = state.q.trim() ? `“${state.q.trim()}”` : "所选条件 / the chosen filters";
        status.textContent = `没有找到与${what}相关的结果。 No results.`;
        output.replaceChildren(indexLinks());
      } else {
        shown = found;
        const list = el("ol", { class: "cb-results" });
        let next = await renderMore(list, found.results, 0);
        if (stale()) return;
        status.textContent = `找到 ${found.total} 个结果 · ${found.total} result${found.total === 1 ? "" : "s"}`;
        output.replaceChildren(list);
        if (next < found.total) {
          const more = el("button", { type: "button", class: "md-button cb-search__more" }, "更多结果 / More results");
          more.addEventListener("click", async () => {
            more.disabled = true;
            next = await renderMore(list, found.results, next);
            if (next >= found.total) more.remove();
            else more.disabled = false;
          });
          output.append(more);
        }
      }
      output.setAttribute("aria-busy", "false");
      if (!stale()) await showFacets(state, found, stale);
    }

    const runLatest = latestOnly(run);
    let timer = null;
    function update(delay) {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const state = readForm();
        writeUrl(state);
        runLatest(state);
      }, delay);
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      update(0);
    });
    input.addEventListener("input", () => update(200));
    facetBox.addEventListener("change", () => update(0));
    window.addEventListener("popstate", () => {
      const state = readUrl();
      input.value = state.q;
      runLatest(state);
    });

    const state = readUrl();
    input.value = state.q;
    status.textContent = "";
    runLatest(state);
  }

  /* ---- the header box -------------------------------------------------------------------- */

  function headerBox(form) {
    const input = form.elements.q;
    const panel = el("div", { class: "cb-hsearch__panel md-typeset", id: "cb-hsearch-panel", hidden: "" });
    const status = el("p", { class: "cb-hsearch__status", role: "status", "aria-live": "polite" });
    const list = el("ol", { class: "cb-results cb-hsearch__list" });
    const all = el("a", { class: "cb-hsearch__all", href: SEARCH_PAGE.href }, "全部结果与筛选 / All results and filters");
    panel.append(status, list, all);
    form.append(panel);
    let timer = null;

    // The panel follows the box in the page; its status line (role=status) says how many results it lists.
    const open = (yes) => {
      panel.hidden = !yes;
    };

    // One run at a time (latestOnly), for the box's text when it starts; changed meanwhile, it shows nothing.
    async function run(_, stale) {
      const q = input.value;
      if (!q.trim()) {
        open(false);
        return;
      }
      const url = new URL(SEARCH_PAGE);
      url.searchParams.set("q", q.trim());
      all.href = url.href;
      list.setAttribute("aria-busy", "true");
      const found = await search(q, {});
      if (stale()) return;
      const data = found ? await Promise.all(found.results.slice(0, BOX_SIZE).map((r) => r.data())) : [];
      if (stale()) return;
      list.replaceChildren(...data.map((d) => resultItem(d)));
      list.setAttribute("aria-busy", "false");
      const total = found ? found.total : 0;
      status.textContent = total ? `${total} 个结果 · ${total} result${total === 1 ? "" : "s"}` : "没有找到结果 · No results";
      all.textContent = total > BOX_SIZE ? `查看全部 ${total} 个结果 / All ${total} results` : "搜索页与筛选 / Search page and filters";
      open(true);
    }

    const runLatest = latestOnly(run);
    input.addEventListener("focus", () => pagefind(), { once: true });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(runLatest, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" && !panel.hidden) {
        event.preventDefault();
        panel.querySelector("a")?.focus();
      } else if (event.key === "Escape") {
        open(false);
      }
    });
    panel.addEventListener("keydown", (event) => {
      const links = Array.from(panel.querySelectorAll("a"));
      const at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const to = at + (event.key === "ArrowDown" ? 1 : -1);
        if (to < 0) input.focus();
        else links[Math.min(to, links.length - 1)].focus();
      } else if (event.key === "Escape") {
        open(false);
        input.focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (!form.contains(event.target)) open(false);
    });
    form.addEventListener("submit", (event) => {
      if (!input.value.trim()) event.preventDefault();
    });
  }

  /* ---- start ----------------------------------------------------------------------------- */

  function start() {
    const page = document.querySelector("form[data-cb-search-page]");
    const box = document.querySelector("form[data-cb-search-box]");
    if (page && document.getElementById("search-results")) {
      if (box) box.hidden = true; // the page has its own, larger box
      searchPage(page);
    } else if (box) {
      headerBox(box);
    }
  }

  // On the search page, start fetching Pagefind (and with it the query asset) before the page is ready.
  if (location.pathname === SEARCH_PAGE.pathname) pagefind();

  window.casebookSearch = { prepare, search, facetCounts, toSimplified, latestOnly };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* Casebook search, with Pagefind. One small script on every page:
 *  - the header box (form[data-cb-search-box]) searches as you type and links to the search page;
 *  - the search page (#search-results) reads its state from the URL,
 *    search/?q=网格&province=北京市&measure=…&tag=…&level=…&year=…, and shows ranked results with
 *    highlighted excerpts and facets with counts, the synonyms it also searched ("也搜索了"), "did
 *    you mean" for a query that finds little, and a download of the results (CSV, JSON).
 * Pagefind (pagefind/pagefind.js) and OpenCC's traditional-to-simplified table (search/t2s.json)
 * are fetched on first use only.
 *
 * How a query meets the index (casebook/search/index.py builds it): Chinese is indexed one character per
 * word, so the query is folded like the pages (NFKC width, OpenCC t2s, lower case) and each Chinese
 * character becomes a term. Pagefind ranks the pages holding every term; pages where each run of
 * the query occurs as typed (Pagefind's exact search over adjacent words) come first, then pages
 * holding each word of it (see prepare), then pages found through synonyms (data/synonyms.yml).
 * Text from the index is shown as text, never as HTML. The words the page shows that are new with
 * synonyms, suggestions and the download are in LABELS, one set per language.
 */
(() => {
  "use strict";

  const script = document.currentScript;
  const BASE = new URL("..", script.src); // this file is <site>/javascripts/search.js
  const SEARCH_PAGE = new URL("search/", BASE);
  const FACETS = [
    ["province", "省份", "Province"],
    ["level", "层级", "Level"],
    ["measure", "措施类型", "Measure type"],
    ["tag", "标签", "Tag"],
    ["year", "起始年份", "Year started"],
  ];
  // Facets with dozens of values, many a page (a case has some 13 measure types): at 10,000 cases their
  // filter files are three quarters of Pagefind's filter index, fetched only to count them. Where
  // counting is not free (showFacets) they are counted when the reader opens them.
  const LONG_FACETS = new Set(["measure", "tag"]);
  const HAN = /\p{Script=Han}/u;
  const ZWSP = /\u200b/g;
  const PAGE_SIZE = 10;
  const BOX_SIZE = 6;

  /* Words of the synonym note, the suggestion and the download, in one place for each language
   * (the language switch picks them; until then both are shown, Chinese first). Each is a string or
   * a function of the values it names. */
  const LABELS = {
    zh: {
      alsoSearched: (words) => `也搜索了：${words.join("、")}`,
      viaSynonym: (word) => `同义词：${word}`,
      synonymDivider: "以下结果通过同义词找到",
      didYouMean: "您是不是要找：",
      download: "下载结果",
      downloadNote: "每个实践模式一行，含当前筛选条件",
      downloadLimited: (n, max) => `（共 ${n} 个，文件只含前 ${max} 个）`,
      facetClosed: (name, n) => (name === "tag" ? `共 ${n} 个标签，点开统计` : `共 ${n} 类，点开统计`),
      counting: "正在统计…",
    },
    en: {
      alsoSearched: (words) => `Also searched: ${words.join(", ")}`,
      viaSynonym: (word) => `synonym: ${word}`,
      synonymDivider: "Below: found through a synonym",
      didYouMean: "Did you mean: ",
      download: "Download results",
      downloadNote: "one row per case, with the current filters",
      downloadLimited: (n, max) => ` (of ${n}; the file holds the first ${max})`,
      facetClosed: (name, n) => `${n} ${name === "tag" ? "tags" : "types"}; open to count`,
      counting: "Counting…",
    },
  };
  const said = (lang, key, ...args) => (typeof LABELS[lang][key] === "function" ? LABELS[lang][key](...args) : LABELS[lang][key]);
  // A label as a lang-marked pair (see bi); withWords: one that names Chinese words, marked Chinese in the English half too.
  const both = (key, ...args) => bi(said("zh", key, ...args), said("en", key, ...args));
  const withWords = (key, words) => [el("span", { lang: "zh" }, said("zh", key, [].concat(words))), " ",
    el("span", { lang: "en" }, said("en", key, []).replace(/[:：]?\s*$/, ": "), el("span", { lang: "zh", class: "cb-one" }, [].concat(words).join(", ")))];

  /* ---- loading --------------------------------------------------------------------------- */

  /* Each shard of the index (casebook/search/index.py says why there are shards) is merged into one
   * Pagefind with a filter of its own, SHARD = its number, added by Pagefind to all its pages
   * (mergeFilter). A search with a filter no page has (NOWHERE) then costs a few milliseconds and still
   * says, in its totalFilters, how many pages of each shard hold the words: holding() uses this to
   * keep a search to the shards where every word of it is. */
  const SHARD = "casebook-shard";
  const NOWHERE = { "casebook-none": "none" };

  /* Pagefind's own files (its WebAssembly, index chunks, fragments, filters) are gzip inside, whatever the
   * host's Content-Encoding, and Pagefind inflates them in JavaScript. The browser's DecompressionStream
   * does it natively: on a cold search of 10,000 cases some 40 ms sooner (bench/RESULTS.md). Pagefind
   * leaves a file alone that already starts with its signature (pagefind_dcd), so its fetches of those
   * files, and only those (by address and by the gzip magic bytes), are handed it inflated. Pagefind takes
   * the global fetch; its worker (off the search page) fetches in its own scope and inflates as before. */
  const GZIP = [0x1f, 0x8b];
  function inflatePagefindFiles() {
    if (typeof DecompressionStream !== "function" || window.fetch.casebookInflates) return;
    const fetchAsIs = window.fetch;
    const dir = new URL("pagefind/", BASE).href;
    const inflate = async (response) => {
      if (!response.ok) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      const body = bytes[0] === GZIP[0] && bytes[1] === GZIP[1] ? new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip")) : bytes;
      return new Response(body, { status: response.status, statusText: response.statusText });
    };
    const inflating = function (input, init) {
      const address = new URL(input instanceof Request ? input.url : String(input), location.href);
      const fetched = fetchAsIs.call(window, input, init);
      const own = address.href.startsWith(dir) && /\.pf_\w+$|\.pagefind$/.test(address.pathname);
      return own ? fetched.then(inflate) : fetched;
    };
    inflating.casebookInflates = true;
    window.fetch = inflating;
  }

  let pagefindLoad = null;
  function pagefind() {
    inflatePagefindFiles();
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

  // The index's shards, the heavy index words and the word every indexed page holds (casebook/search/index.py
  // writes them). Facets chosen with no word typed search for that word: Pagefind's own search for no word
  // (null) fetches every index chunk of the site, 76 MB at 10,000 cases.
  let assetLoad = null;
  function queryAsset() {
    assetLoad ??= fetch(new URL("search/query.json", BASE))
      .then((response) => response.json())
      .then((data) => ({ shards: data.shards || [], tag: data.tag, heavy: new Map(Object.entries(data.heavy)), every: data.every ?? null }));
    return assetLoad;
  }

  // OpenCC's t2s table (casebook/search/index.py writes it), a file of its own: some 21 KB that a query
  // without Chinese never needs (at 10,000 cases 2% of a broad English query's cold search).
  let t2sLoad = null;
  function t2sTable() {
    t2sLoad ??= fetch(new URL("search/t2s.json", BASE))
      .then((response) => response.json())
      .then((data) =>
        data.dicts.map((d) => {
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
      );
    return t2sLoad;
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
    return HAN.test(text) ? convert(Array.from(text), await t2sTable(), 0) : text;
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
    // With no light piece the lightest is searched alone, or the two lightest when both are English
    // words (grid volunteer): one common English word says little on its own, and each costs at most
    // some 200 KB at 10,000 cases (its positions are capped: casebook/search/merge.py).
    const byWeight = [...parts].sort((a, b) => a.weight - b.weight);
    const english = (part) => part && !HAN.test(part.terms[0]);
    const used = light.length || !parts.length ? light : byWeight.slice(0, english(byWeight[0]) && english(byWeight[1]) ? 2 : 1);
    const terms = [...new Set(used.flatMap((part) => part.terms))];
    return {
      terms: terms.join(" "),
      present: terms.length > 1 ? terms : [],
      groups: used.flatMap((part) => part.groups),
      phrases: [...new Set(used.flatMap((part) => part.groups.filter((g) => g.length > 1).map((g) => `"${g.join(" ")}"`)))],
      runs: pieces.filter((piece) => HAN.test(piece) && Array.from(piece).length > 1), // to mark whole in excerpts
    };
  }

  async function prepare(raw) {
    // "+" joins what is around it, as in the index: 1 + 6 is the model name 1+6
    const text = raw.normalize("NFKC").toLowerCase().replace(ZWSP, "").replace(/\s*\+\s*/g, "+");
    const folded = HAN.test(text) ? await toSimplified(text) : text;
    const heavy = (await queryAsset()).heavy; // Chinese bigrams and English words
    const pieces = (folded.match(PIECE) || []).map((piece) => piece.replace(MARKS, ""));
    const whole = plan(pieces, heavy);
    let cut; // planned when search() needs it, as cutting into words costs (words)
    return { whole, pieces, cut: () => (cut === undefined ? (cut = planCut(pieces, heavy, whole)) : cut) };
  }

  // The plan of the pieces cut into words, or null when it would find nothing more: cutting changes
  // nothing, or leaves Chinese only as single characters (pages that merely hold 量, 子, 计 …
  // somewhere are not results for 量子计算机).
  function planCut(pieces, heavy, whole) {
    const all = pieces.flatMap(words);
    // A single character the cutter left over (银发先峰: 银发 先 峰) is dropped beside longer words:
    // it would find any page holding it, and at 10,000 cases it costs an index chunk from every
    // shard for each word it starts (bench/RESULTS.md).
    const longer = all.filter((w) => !HAN.test(w) || Array.from(w).length > 1);
    const cutWords = longer.some((w) => HAN.test(w)) ? longer : all;
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
   * (prepare), for facetCounts; `runs` the runs of Chinese to mark whole in the excerpts (markWholeRuns). */
  async function search(raw, selected) {
    const [pf, query] = await Promise.all([pagefind(), prepare(raw)]);
    const filters = pagefindFilters(selected);
    const terms = query.whole.terms;
    if (!terms && !Object.keys(filters).length) return null;
    if (!terms) {
      const all = await pf.search((await queryAsset()).every, { filters });
      const n = all.results.length;
      return { results: all.results, total: n, exact: n, typed: n, synonyms: [], plan: query.whole, more: [], runs: [] };
    }
    // The synonyms' searches (see below). An index of one bundle (a small site) searches them at
    // once, beside the query: they cost little there, and waiting for the query's count would add
    // their time to the results'. A sharded index waits: most queries there find enough pages
    // without them, and each synonym would fetch index chunks of its own.
    const [table, asset] = await Promise.all([synonymTable(), queryAsset()]);
    const sharded = asset.shards.length > 0;
    const alternates = alternatives(query.pieces, table).slice(0, sharded ? SHARDED_ALTERNATIVES : MAX_ALTERNATIVES);
    const searchAlternates = () =>
      Promise.all(
        alternates.map(async (alt) => {
          // as the query itself: as typed, then (if that finds few) its words apart (银龄志愿服务: 银发 … 志愿服务)
          const prepared = await prepare(alt.query);
          const typedAlike = (await holding(pf, prepared.whole, filters)).results;
          // (not on a sharded index: each word of the cut fetches a chunk from every shard)
          const cutAlt = !sharded && typedAlike.length < PAGE_SIZE ? prepared.cut() : null;
          if (!cutAlt) return { whole: prepared.whole, results: typedAlike };
          const ids = new Set(typedAlike.map((r) => r.id));
          const apart = (await holding(pf, cutAlt, filters)).results.filter((r) => !ids.has(r.id));
          return { whole: apart.length ? cutAlt : prepared.whole, results: [...typedAlike, ...apart] };
        }),
      );
    const early = alternates.length && !sharded ? searchAlternates() : null;
    const first = (await holding(pf, query.whole, filters)).results;
    let results = first;
    const cut = first.length < PAGE_SIZE ? query.cut() : null;
    if (cut) {
      const ids = new Set(first.map((r) => r.id));
      results = [...first, ...(await holding(pf, cut, filters)).results.filter((r) => !ids.has(r.id))];
    }
    // every page holding the query as typed holds each of its words too
    const plan = results.length > first.length ? cut : query.whole;
    const typed = results.length;
    const synonyms = [];
    const more = [];
    if (typed < (sharded ? PAGE_SIZE : SYNONYMS_BELOW) && alternates.length) {
      // the query with a synonym in place of one of its words: its pages come after the others
      const found = await (early || searchAlternates());
      const ids = new Set(results.map((r) => r.id));
      found.forEach(({ whole, results: extra }, i) => {
        const fresh = extra.filter((r) => !ids.has(r.id));
        if (!fresh.length) return;
        for (const r of fresh) ids.add(r.id);
        results = [...results, ...fresh.map((r) => ({ ...r, synonym: alternates[i].word }))];
        if (!synonyms.includes(alternates[i].word)) synonyms.push(alternates[i].word);
        more.push(whole);
      });
    }
    // more: the plans of the synonyms that found pages, for facetCounts
    const runs = [...new Set([...query.whole.runs, ...(cut ? cut.runs : [])])];
    return { results, total: results.length, exact: first.length, typed, synonyms, plan, more, runs };
  }

  /* ---- the query vocabulary: synonyms and "did you mean" (casebook/search/vocabulary.py) ---- */

  // Synonyms are searched for a query whose own words find fewer pages than this: below it they
  // add what a reader would miss; above it the pages they add come after many others, and at
  // 10,000 cases each synonym costs its own index chunks (bench/RESULTS.md).
  // On a sharded index (a large site) each synonym fetches an index chunk from every shard, so
  // there they are searched for a query that finds less than a page of results, two at most.
  const SYNONYMS_BELOW = 50;
  const MAX_ALTERNATIVES = 8;
  const SHARDED_ALTERNATIVES = 2;

  let synonymsLoad = null;
  // word -> the words a query holding it is also searched with (a one-way group: its first word only)
  function synonymTable() {
    synonymsLoad ??= fetch(new URL("search/synonyms.json", BASE))
      .then((response) => (response.ok ? response.json() : { groups: [] }))
      .then((data) => {
        const table = new Map();
        for (const { zh, one_way: oneWay } of data.groups) {
          zh.forEach((word, i) => {
            if (oneWay && i > 0) return;
            const others = table.get(word) || [];
            for (const other of zh) if (other !== word && !others.includes(other)) others.push(other);
            table.set(word, others);
          });
        }
        return table;
      })
      .catch(() => new Map()); // no table (or none readable): the query as typed only
    return synonymsLoad;
  }

  /* The query (its folded pieces) with a synonym in place of one of its words: [{query, word}],
   * word being the synonym put in. Words of the table are found longest first, from the left; a
   * replacement that holds the query as typed (网格 → 网格化) would find no page it does not. */
  function alternatives(pieces, table) {
    const out = [];
    const longest = Math.max(0, ...Array.from(table.keys(), (w) => w.length));
    pieces.forEach((piece, p) => {
      let i = 0;
      while (i < piece.length) {
        let found = null;
        for (let len = Math.min(longest, piece.length - i); len >= 2 && !found; len--) {
          if (table.has(piece.slice(i, i + len))) found = piece.slice(i, i + len);
        }
        if (!found) {
          i += 1;
          continue;
        }
        for (const other of table.get(found)) {
          const replaced = piece.slice(0, i) + other + piece.slice(i + found.length);
          if (!replaced.includes(piece)) out.push({ query: pieces.map((x, j) => (j === p ? replaced : x)).join(" "), word: other });
        }
        i += found.length;
      }
    });
    return out.slice(0, MAX_ALTERNATIVES);
  }

  /* Did you mean: the names of the site (models and their parts, measure types, tags, places)
   * nearest to a query, for a query that finds little. Officials type Chinese with a pinyin input
   * method, so a typo is mostly a homophone (银发先峰 for 银发先锋): first come names whose
   * characters read like the query's (tones ignored; pypinyin's readings, written at build time),
   * the query being the whole name, then its start, then a part of it; then names within a small
   * edit distance, where a character of the same reading costs a quarter and one that sounds alike
   * (zh/z, ch/c, sh/s, n/l, -ng/-n) half (网格化管里: 网格化治理, 林山县: 灵山县). */
  const FEW = 3; // a query found as typed in fewer pages than this gets suggestions
  const KIND_ORDER = ["model", "measure", "tag", "place"];
  let suggestLoad = null;
  const partLoads = new Map();

  function suggestFile(path) {
    return fetch(new URL(path, BASE)).then((response) => response.json());
  }

  function vocabulary() {
    suggestLoad ??= suggestFile("search/suggest.json").then((data) => {
      // character -> its readings: its first reading, then the others in alphabetical order
      const readings = new Map();
      for (const [reading, chars] of Object.entries(data.readings.first)) for (const c of chars) readings.set(c, [reading]);
      for (const [reading, chars] of Object.entries(data.readings.also)) for (const c of chars) readings.get(c)?.push(reading);
      return { readings, names: namesOf(data.names), parts: data.parts || [] };
    });
    return suggestLoad;
  }

  const namesOf = (byKind) => KIND_ORDER.flatMap((kind) => (byKind[kind] || []).map((text) => ({ text, kind, chars: Array.from(text) })));

  // The names a query starting with `chars` can be near: the first file's and those of the further
  // files keyed by the readings of its first one or two characters.
  async function namesFor(chars, vocab) {
    const first = readingsOf(chars[0], vocab).slice(0, 2); // as casebook/search/vocabulary.py keys them (QUERY_READINGS)
    const keys = new Set(first);
    if (chars.length > 1) for (const a of first) for (const b of readingsOf(chars[1], vocab)) keys.add(`${a} ${b}`);
    const wanted = vocab.parts.map((keysOfPart, i) => (keysOfPart.some((k) => keys.has(k)) ? i : -1)).filter((i) => i >= 0);
    const more = await Promise.all(
      wanted.map((i) => {
        if (!partLoads.has(i)) partLoads.set(i, suggestFile(`search/suggest-${i}.json`).then((d) => namesOf(d.names)));
        return partLoads.get(i);
      }),
    );
    return [...vocab.names, ...more.flat()];
  }

  const readingsOf = (c, vocab) => vocab.readings.get(c) || [c.toLowerCase()];
  const fuzzy = (r) => r.replace(/^([zcs])h/, "$1").replace(/^n/, "l").replace(/([aei])ng$/, "$1n");
  const overlap = (a, b) => a.some((x) => b.includes(x));

  // How far name is from query (arrays of characters): [tier, ...] to sort by, or null when not near.
  // `loose`: also a homophone inside the name, and names within the edit distance; for a query of
  // three characters or more that no page holds as typed (two characters are too few to tell).
  function distance(query, name, vocab, loose) {
    const q = query.map((c) => readingsOf(c, vocab));
    const n = name.map((c) => readingsOf(c, vocab));
    for (let k = 0; k + q.length <= (loose ? n.length : q.length); k++) {
      if (q.every((r, i) => overlap(r, n[k + i]))) {
        const same = query.filter((c, i) => c === name[k + i]).length;
        return [0, n.length - q.length, k === 0 ? 0 : 1, -same];
      }
    }
    if (!loose) return null;
    // edit distance of the query to the nearest stretch of the name (free to start and end anywhere in it)
    const cost = (i, j) => (query[i] === name[j] ? 0 : overlap(q[i], n[j]) ? 0.25 : overlap(q[i].map(fuzzy), n[j].map(fuzzy)) ? 0.5 : 1);
    let previous = new Array(name.length + 1).fill(0);
    for (let i = 0; i < query.length; i++) {
      const row = [i + 1];
      for (let j = 0; j < name.length; j++) row.push(Math.min(previous[j] + cost(i, j), previous[j + 1] + 1, row[j] + 1));
      previous = row;
    }
    const best = Math.min(...previous);
    return best <= Math.max(1, query.length / 4) ? [1, best, Math.abs(name.length - query.length), 0] : null;
  }

  /* Suggestions for a query: up to `max` names, best first ([] for a query without Chinese or of
   * one character). A name holding the query as typed is no suggestion: the query finds it. `found`:
   * the query is printed on some page, so only a name it is the homophone of, or of its start, is
   * offered (银龄 is a word of its own, not a typo of 党建引领). */
  async function suggest(raw, max = 3, found = false) {
    const folded = await toSimplified(raw.normalize("NFKC").toLowerCase().replace(ZWSP, ""));
    const pieces = (folded.match(PIECE) || []).map((piece) => piece.replace(MARKS, ""));
    const text = pieces.join("");
    if (Array.from(text).length < 2 || !HAN.test(text)) return [];
    const vocab = await vocabulary();
    const whole = await nearest(text, vocab, max, found);
    if (whole.length || pieces.length < 2) return whole;
    // several pieces (华金模式 武汉): the piece with the nearest name, replaced by it in the query
    const best = [];
    for (const [i, piece] of pieces.entries()) {
      if (Array.from(piece).length < 2 || !HAN.test(piece)) continue;
      const [name] = await nearest(piece, vocab, 1, found);
      if (name) best.push({ ...name, text: pieces.map((p, j) => (j === i ? name.text : p)).join(" ") });
    }
    return best.sort(byDistance).slice(0, max).map(({ text, kind }) => ({ text, kind }));
  }

  const byDistance = (a, b) => {
    for (let i = 0; i < a.d.length; i++) if (a.d[i] !== b.d[i]) return a.d[i] - b.d[i];
    return a.text.localeCompare(b.text, "zh");
  };

  // The names nearest to `text` (one piece of a query), best first: [{text, kind, d}].
  async function nearest(text, vocab, max, found) {
    const chars = Array.from(text);
    const scored = [];
    const seen = new Set();
    for (const name of await namesFor(chars, vocab)) {
      if (seen.has(name.text) || name.text.includes(text)) continue;
      seen.add(name.text);
      const d = distance(chars, name.chars, vocab, !found && chars.length >= 3);
      if (d) scored.push({ text: name.text, kind: name.kind, d: [...d, KIND_ORDER.indexOf(name.kind)] });
    }
    return scored.sort(byDistance).slice(0, max);
  }

  /* Facet counts for a query and selection: {facet: {value: n}}, over the pages its results hold:
   * the query as typed, or its words when search() added pages holding them (its `plan`). They are
   * disjunctive: the counts of one facet are taken with the other facets' selections only, so with
   * 北京市 chosen the province facet still shows how many results 湖北省 would add. They need Pagefind's filter index, and with it loaded every search also counts
   * (at 10,000 pages that doubles a search's time), so they are asked for after the results.
   * `names`: the facets to count (all by default). Pagefind keeps one filter file per facet and shard,
   * and counts the facets whose files it holds: only those of `names` and of the selection are
   * fetched, and the counts returned are of the facets it holds (facetsLoaded), exact for each. */
  async function facetCounts(raw, selected, plan = null, more = [], names = FACETS.map(([name]) => name)) {
    const [pf, query] = await Promise.all([pagefind(), plan ? { whole: plan } : prepare(raw)]);
    const filters = pagefindFilters(selected);
    await loadFacets(pf, [...names, ...Object.keys(filters)], query.whole.terms || (await queryAsset()).every);
    const counted = FACETS.map(([name]) => name).filter((name) => facetsLoaded.has(name));
    const counts = await countsOf(pf, query.whole, filters, counted);
    // and the pages found through synonyms (search's `more` plans), added: a page holding both the
    // query and a synonym is counted twice here (showFacets counts from the results where it can)
    for (const extra of await Promise.all(more.map((p) => countsOf(pf, p, filters, counted)))) {
      for (const [name, values] of Object.entries(extra)) {
        counts[name] ??= {};
        for (const [value, n] of Object.entries(values)) counts[name][value] = (counts[name][value] || 0) + n;
      }
    }
    return counts;
  }

  /* The facets whose filter files Pagefind holds, in every shard. Pagefind's preload fetches what a
   * search needs: the index chunks of its words (here the words just searched, so none is new) and one
   * filter file per filter named (its request_filter_indexes); unlike its filters(), which fetches every
   * facet's file. At 10,000 cases the files of the measure types and tags are three quarters of the
   * filter index (bench/RESULTS.md). Nothing typed: the word every page holds is preloaded (facetCounts
   * passes it), as preload without words would fetch every index chunk (some 75 MB at 10,000 cases);
   * no word at all: filters(), every facet's file. */
  const facetsLoaded = new Set();
  async function loadFacets(pf, names, terms) {
    const missing = [...new Set(names)].filter((name) => !facetsLoaded.has(name));
    if (!missing.length) return;
    if (terms) await pf.preload(terms, { filters: Object.fromEntries(missing.map((name) => [name, { any: [] }])) });
    else await pf.filters();
    for (const [name] of FACETS) if (!terms || missing.includes(name)) facetsLoaded.add(name);
  }

  // The counts of the facets `counted` (see facetCounts).
  const pick = (all, names) => Object.fromEntries(names.map((name) => [name, { ...(all[name] || {}) }]));
  async function countsOf(pf, whole, filters, counted) {
    // Counted over the shards holding every word, and for a plan of one run of Chinese by its
    // phrase, like its results. Other queries are counted by their index words: with several pieces
    // (网格 先锋队) a count can include pages where a run's characters are apart.
    const terms = (whole.phrases.length === 1 && whole.present.length === whole.phrases[0].split(" ").length ? whole.phrases[0] : whole.terms) || null;
    const { scope } = terms ? await whereTerms(pf, whole.present) : { scope: null };
    if (scope && !scope.length) return {};
    if (!terms && !Object.keys(filters).length) return pick(await pf.filters(), counted);
    const words = terms || (await queryAsset()).every; // facets chosen, no word: the word every page holds
    const ranked = await pf.search(words, { filters: within(filters, scope) });
    const counts = pick(ranked.filters || {}, counted);
    for (const name of Object.keys(filters)) {
      const others = { ...filters };
      delete others[name];
      const without = Object.keys(others).length || scope ? (await pf.search(words, { filters: within(others, scope) })).filters : ranked.totalFilters;
      counts[name] = { ...(without?.[name] || {}) };
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

  /* Language views (issue 18): text made here is written as pairs, each half marked with its lang,
   * like the generated pages; casebook.css shows the reader's view (中文 / English / 双语) of them, so
   * nothing is drawn again when the view changes. en missing: the Chinese alone. */
  function bi(zh, en, cls) {
    const pair = [el("span", { lang: "zh" }, zh)];
    if (en) pair.push(" ", el("span", cls ? { lang: "en", class: cls } : { lang: "en" }, en));
    return pair;
  }
  const say = (node, zh, en) => node.replaceChildren(...bi(zh, en));
  const langOf = (text) => (HAN.test(text) ? "zh" : "en");
  // The English names of the facet values, which the index holds in Chinese (search/labels.json, generated).
  let labelsLoad = null;
  const facetLabels = () =>
    (labelsLoad ??= fetch(new URL("search/labels.json", BASE))
      .then((response) => response.json())
      .then((data) => data.labels)
      .catch(() => ({})));

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
  function readable(html, runs = []) {
    const words = []; // {text, marked} for words and for runs of spaces
    let marked = false;
    for (const part of clean(html).split(/(<mark>|<\/mark>)/)) {
      if (part === "<mark>" || part === "</mark>") marked = part === "<mark>";
      else for (const text of part.split(/(\s+)/)) if (text) words.push({ text, marked, space: !text.trim() });
    }
    markWholeRuns(words, runs);
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
      if (carry && !word.marked && between) {
        // the last character of a match: the marks printed after it are not part of it
        out.push({ text: first, marked: true }, { text: last && bigram ? between + second : between, marked: false });
      } else out.push({ text: last && bigram ? first + between + second : first + between, marked: word.marked || carry });
      carry = word.marked && bigram;
    });
    return out;
  }

  /* Pagefind marks the index words it searched, and a query leaves its heavy bigrams out (plan): at
   * 10,000 cases 四位一体 is searched as 四位 alone, and only 四位 was marked. Where a marked bigram
   * starts one of `runs` (the query's runs of Chinese, as the index folds them), every bigram of the
   * run is marked, so the whole run is. */
  function markWholeRuns(words, runs) {
    const han = []; // the Chinese index words: [place in words, first character, second or "_"]
    words.forEach((word, i) => {
      const m = word.space ? null : HAN_WORD.exec(word.text);
      if (m) han.push([i, m[1], m[2]]);
      else if (!word.space) han.push(null); // another word ends a run
    });
    han.forEach((start, k) => {
      if (!start || !words[start[0]].marked) return;
      for (const run of runs) {
        const chars = Array.from(run);
        const grams = han.slice(k, k + chars.length - 1);
        if (grams.length === chars.length - 1 && grams.every((g, j) => g && g[1] === chars[j] && g[2] === chars[j + 1])) {
          for (const g of grams) words[g[0]].marked = true;
        }
      }
    });
  }

  // The excerpt quotes the page, in whichever language its words are: the same in every view (cb-one),
  // each run of Chinese or of other text marked with its language.
  function excerpt(html, runs) {
    const p = el("p", { class: "cb-result__excerpt cb-one" });
    for (const { text, marked } of readable(html, runs)) {
      const last = p.lastChild;
      const lang = /[\p{L}]/u.test(text) ? langOf(text) : last?.getAttribute?.("lang") || "zh";
      if (last?.nodeType === 1 && last.getAttribute("lang") === lang && (last.nodeName === "MARK") === marked) last.textContent += text;
      else p.append(el(marked ? "mark" : "span", { lang }, text));
    }
    return p;
  }

  const KINDS = { models: ["实践模式", "Model"], measures: ["措施类型", "Measure type"], metrics: ["指标", "Metric"], tags: ["标签", "Tag"] };

  function resultItem(data, synonym = null, runs = []) {
    const meta = data.meta || {};
    const section = new URL(data.url, location.href).pathname.split("/").filter(Boolean).at(-2);
    const title = clean(meta.title || data.url);
    const item = el("li", { class: "cb-result" }, el("a", { class: "cb-result__title", href: data.url }, ...bi(title, clean(meta.title_en))));
    const details = [];
    const add = (...parts) => details.push(...(details.length ? [" · "] : []), ...parts);
    if (KINDS[section]) add(...bi(...KINDS[section]));
    if (meta.place) add(...bi(clean(meta.place), clean(meta.place_en)));
    const level = data.filters?.level?.[0];
    if (level) add(...bi(clean(level), clean(meta.level_en)));
    if (details.length) item.append(el("div", { class: "cb-result__meta" }, ...details));
    if (synonym) item.append(el("div", { class: "cb-result__synonym" }, ...withWords("viaSynonym", synonym)));
    item.append(excerpt(data.excerpt, synonym ? [] : runs));
    return item;
  }

  /* ---- download of the results ----------------------------------------------------------- */

  /* The results of a search as rows, one per case (model page), from what the results carry:
   * Pagefind's metadata and facets of each page (casebook/templates/_partials/search_meta.md.j2),
   * fetched as the result list fetches them, never the whole database. Pages that are not cases
   * (measure types, tags, metrics) are left out. At most DOWNLOAD_MAX results are read. */
  const DOWNLOAD_MAX = 1000;
  const TALLY_MAX = 200; // facets counted from the results' own data up to this many (showFacets)
  const COLUMNS = ["id", "title", "model", "locality", "level", "measure_types", "url"];

  async function downloadRows(results) {
    const rows = [];
    const wanted = results.slice(0, DOWNLOAD_MAX);
    for (let i = 0; i < wanted.length; i += 50) {
      const data = await Promise.all(wanted.slice(i, i + 50).map((r) => r.data()));
      for (const d of data) {
        const meta = d.meta || {};
        if (!meta.id) continue;
        rows.push({
          id: clean(meta.id),
          title: clean(meta.title),
          model: clean(meta.model),
          locality: clean(meta.place),
          level: clean(d.filters?.level?.[0]),
          measure_types: (d.filters?.measure || []).map(clean),
          url: new URL(d.url, location.href).href,
        });
      }
    }
    return rows;
  }

  // A cell as text a spreadsheet shows as text: quoted when it must be, and never read as a formula.
  const csvCell = (value) => {
    let text = Array.isArray(value) ? value.join("; ") : String(value ?? "");
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  // with a byte order mark, so that a spreadsheet opens the UTF-8 as UTF-8
  const toCsv = (rows) => "\ufeff" + [COLUMNS, ...rows.map((row) => COLUMNS.map((c) => row[c]))].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";

  function toJson(state, rows, results) {
    const filters = Object.fromEntries(Object.entries(state.selected).filter(([, values]) => values.length));
    return JSON.stringify({ query: state.q.trim(), filters, url: location.href, results, cases: rows }, null, 1) + "\n";
  }

  // casebook-search-网格-province-山东省: the query and the filters, as a file name may hold them
  function downloadName(state) {
    const parts = [state.q.trim() || "all"];
    for (const [name, values] of Object.entries(state.selected)) for (const value of values) parts.push(name, value);
    return `casebook-search-${parts.join("-")}`.replace(/[\\/:*?"<>|\s\u0000-\u001f]+/g, "_").slice(0, 120);
  }

  function indexLinks() {
    return el(
      "p",
      { class: "cb-search__empty-links" },
      el(
        "span",
        { lang: "zh" },
        "可以换个说法，或按",
        el("a", { href: new URL("tags/", BASE).href }, "标签索引"),
        "、",
        el("a", { href: new URL("measures/", BASE).href }, "措施类型索引"),
        "浏览。",
      ),
      " ",
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

    /* The facets, in FACETS' order: a group of checkboxes for each facet counted, with its values
     * that have results (and those chosen). A long facet (LONG_FACETS) is a <details> the reader can
     * open and close; not counted yet, it is closed and says how many values it has and that opening
     * it counts them (countOpened). */
    function renderFacets(counts, selected, names = {}) {
      const active = document.activeElement;
      const focused = facetBox.contains(active) ? (active.nodeName === "SUMMARY" ? `summary ${active.parentNode.dataset.facetMore}` : `${active.name}=${active.value}`) : null;
      facetBox.replaceChildren();
      for (const [name, zh, en] of FACETS) {
        const long = LONG_FACETS.has(name);
        if (!(name in counts)) {
          if (long && Object.keys(names[name] || {}).length) facetBox.append(closedFacet(name, zh, en, names[name]));
          continue;
        }
        const values = new Map(Object.entries(counts[name]));
        for (const value of selected[name]) if (!values.has(value)) values.set(value, 0);
        const shownValues = [...values].filter(([value, n]) => n > 0 || selected[name].includes(value));
        if (!shownValues.length) continue;
        shownValues.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "zh"));
        const list = el("ul", { class: "cb-facet__list" });
        for (const [value, n] of shownValues) {
          const box = el("input", { type: "checkbox", name, value });
          box.checked = selected[name].includes(value);
          // a value is the index's, in Chinese, with its English name where there is one (a year is neither)
          const valueEn = names[name]?.[value];
          const shown = !HAN.test(value) ? [value] : valueEn ? bi(value, valueEn) : [el("span", { class: "cb-one", lang: "zh" }, value)];
          list.append(el("li", {}, el("label", {}, box, " ", ...shown, " ", el("span", { class: "cb-facet__count" }, `(${n})`))));
        }
        if (!long) {
          facetBox.append(el("fieldset", { class: "cb-facet", "data-facet": name }, el("legend", {}, ...bi(zh, en)), list));
          continue;
        }
        // the summary names the group; the legend, for a screen reader inside it, is not shown twice
        const group = el("fieldset", { class: "cb-facet", "data-facet": name }, el("legend", { class: "cb-vh" }, ...bi(zh, en)), list);
        const more = el("details", { class: "cb-facet-more", "data-facet-more": name }, el("summary", {}, ...bi(zh, en)), group);
        more.open = !facetsClosed.has(name);
        more.addEventListener("toggle", () => (more.open ? facetsClosed.delete(name) : facetsClosed.add(name)));
        facetBox.append(more);
      }
      if (focused) {
        // keep the keyboard where it was: the same checkbox (or facet name), re-rendered with its new count
        const same = Array.from(facetBox.querySelectorAll("input, summary")).find((e) =>
          e.nodeName === "SUMMARY" ? `summary ${e.parentNode.dataset.facetMore}` === focused : `${e.name}=${e.value}` === focused);
        same?.focus();
      }
    }

    // A long facet not counted yet: closed, with how many values it has on the site; opened, it is counted.
    function closedFacet(name, zh, en, values) {
      const n = Object.keys(values).length;
      const hint = el("span", { class: "cb-facet__hint" }, ...bi(said("zh", "facetClosed", name, n), said("en", "facetClosed", name, n)));
      const more = el("details", { class: "cb-facet-more", "data-facet-more": name }, el("summary", {}, ...bi(zh, en), " ", hint));
      more.addEventListener("toggle", () => {
        if (!more.open || facetsOpened.has(name)) return;
        facetsOpened.add(name);
        facetsClosed.delete(name);
        more.append(el("p", { class: "cb-facet__counting", role: "status" }, ...both("counting")));
        countOpened();
      });
      return more;
    }

    async function renderMore(list, results, from) {
      const slice = results.slice(from, from + PAGE_SIZE);
      const data = await Promise.all(slice.map((r) => r.data()));
      data.forEach((d, i) => {
        const at = from + i;
        const item = resultItem(d, slice[i].synonym, shown.runs);
        if (at === shown.exact && shown.exact > 0 && at < shown.typed) {
          list.append(el("li", { class: "cb-result__divider" }, ...bi("以下结果包含全部词语，但不相连", "Below: all the words, not together")));
        }
        if (at === shown.typed && shown.typed > 0) list.append(el("li", { class: "cb-result__divider" }, ...both("synonymDivider")));
        list.append(item);
      });
      return from + slice.length;
    }

    // "Did you mean" for a query found as typed in few pages (or none): each suggestion a link that
    // searches it, with the same filters.
    async function suggestionLine(state, found = null) {
      if (!state.q.trim() || (found && found.exact >= FEW)) return null;
      const offered = await suggest(state.q, 3, Boolean(found?.exact)).catch(() => []);
      if (!offered.length) return null;
      const line = el("p", { class: "cb-search__suggest", id: "search-suggest" }, ...bi(said("zh", "didYouMean"), said("en", "didYouMean").trim()), " ");
      offered.forEach(({ text }, i) => {
        const url = new URL(location.href);
        url.searchParams.set("q", text);
        const link = el("a", { href: url.href, lang: "zh", class: "cb-one", "data-cb-suggestion": text }, text);
        link.addEventListener("click", (event) => {
          event.preventDefault();
          input.value = text;
          update(0);
        });
        if (i) line.append(el("span", { lang: "zh", class: "cb-one" }, "、"));
        line.append(link);
      });
      return line;
    }

    // Download of the results as shown: links to CSV and JSON files, made when clicked (downloadRows).
    function downloadLine(state, found) {
      const name = downloadName(state);
      const line = el("p", { class: "cb-search__download" }, ...both("download"), ": ");
      for (const format of ["csv", "json"]) {
        const link = el("a", { href: "#", lang: "en", class: "cb-one", download: `${name}.${format}`, "data-cb-download": format }, format.toUpperCase());
        link.addEventListener("click", async (event) => {
          event.preventDefault();
          const rows = await downloadRows(found.results);
          const text = format === "csv" ? toCsv(rows) : toJson(state, rows, found.results.length);
          const blob = new Blob([text], { type: format === "csv" ? "text/csv;charset=utf-8" : "application/json" });
          const url = URL.createObjectURL(blob);
          const save = el("a", { href: url, download: `${name}.${format}`, hidden: "" });
          document.body.append(save);
          save.click();
          save.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10000);
        });
        if (format === "json") line.append(" · ");
        line.append(link);
      }
      const limited = found.results.length > DOWNLOAD_MAX ? both("downloadLimited", found.results.length, DOWNLOAD_MAX) : [];
      line.append(" (", ...both("downloadNote"), ")", ...limited);
      return line;
    }

    // Facets are drawn after the results (see facetCounts).
    // Facet counts of the results themselves, from their own data (Pagefind keeps what it fetched).
    async function tally(results, counts, selected) {
      const data = await Promise.all(results.map((r) => r.data()));
      for (const [name] of FACETS) {
        if (selected[name].length) continue;
        const values = {};
        for (const d of data) for (const value of d.filters?.[name] || []) values[value] = (values[value] || 0) + 1;
        counts[name] = values;
      }
      return counts;
    }

    /* The facets of a run: all of them counted when every result is on screen (from the results'
     * data, free), else the short ones at once and a long one when the reader opens it or has opened
     * it before (facetsOpened) or chose one of its values: each of those costs its filter files, one
     * per shard (facetCounts). */
    const facetsOpened = new Set(); // long facets the reader opened: counted from then on
    const facetsClosed = new Set(); // counted facets the reader closed again: drawn closed
    let runs = 0; // runs started
    let facetsOf = null; // {state, found, run} of the last run that came to its facets, for countOpened

    async function showFacets(state, found, stale) {
      if (found && state.q.trim() && found.total <= PAGE_SIZE && !FACETS.some(([name]) => state.selected[name].length)) {
        // Every result is on screen, its data fetched to show it: the facets are counted from it,
        // and the filter index (at 10,000 cases some 35 KB a shard, bench/RESULTS.md) is not fetched
        // until a value is chosen.
        const [counts, names] = await Promise.all([tally(found.results, {}, state.selected), facetLabels()]);
        if (!stale()) renderFacets(counts, state.selected, names);
        return;
      }
      const wanted = FACETS.map(([name]) => name).filter((name) => !LONG_FACETS.has(name) || facetsOpened.has(name));
      const [counts, names] = await Promise.all([facetCounts(state.q, state.selected, found?.plan, found?.more || [], wanted), facetLabels()]);
      if (found?.synonyms.length && found.total <= TALLY_MAX && !stale()) {
        // Pages found through synonyms often hold the query too, so the sums of facetCounts count
        // them twice: the facets without a selection are counted from the results themselves.
        await tally(found.results, counts, state.selected);
      }
      if (found && !found.total) for (const name of LONG_FACETS) if (!(name in counts)) counts[name] = {}; // nothing to count
      if (!stale()) renderFacets(counts, state.selected, names);
    }

    // A long facet was opened: the facets of the last run counted again, now with it (one at a time).
    const countOpened = latestOnly(async (_, newer) => {
      const { state, found, run: by } = facetsOf;
      await showFacets(state, found, () => newer() || runs !== by);
    });

    // One run at a time (latestOnly): a run whose query has been changed meanwhile shows nothing.
    async function run(state, stale) {
      const me = ++runs;
      output.setAttribute("aria-busy", "true");
      say(status, "正在搜索…", "Searching…");
      let found;
      try {
        found = await search(state.q, state.selected);
      } catch (error) {
        if (stale()) return;
        say(status, "搜索暂时不可用。", "Search is unavailable.");
        output.replaceChildren();
        output.setAttribute("aria-busy", "false");
        throw error;
      }
      if (stale()) return;
      if (found === null) {
        say(status, "输入关键词开始搜索，或按左侧条件筛选。", "Type to search, or choose filters.");
        output.replaceChildren();
      } else if (!found.total) {
        const q = state.q.trim();
        const offered = await suggestionLine(state);
        if (stale()) return;
        say(status, `没有找到与${q ? `“${q}”` : "所选条件"}相关的结果。`, q ? `No results for “${q}”.` : "No results for the chosen filters.");
        output.replaceChildren(...[offered, indexLinks()].filter(Boolean));
      } else {
        shown = found;
        const list = el("ol", { class: "cb-results" });
        // A query no page holds as typed waits for its suggestions; one found on a page or two gets
        // them after its results (they are rarely needed then, and cost a fetch).
        const early = found.exact === 0;
        const [offered, first] = await Promise.all([early ? suggestionLine(state, found) : null, renderMore(list, found.results, 0)]);
        let next = first;
        if (stale()) return;
        say(status, `找到 ${found.total} 个结果`, `${found.total} result${found.total === 1 ? "" : "s"}`);
        const note = found.synonyms.length ? el("p", { class: "cb-search__synonyms" }, ...withWords("alsoSearched", found.synonyms)) : null;
        output.replaceChildren(...[offered, note, downloadLine(state, found), list].filter(Boolean));
        if (next < found.total) {
          const more = el("button", { type: "button", class: "md-button cb-search__more" }, ...bi("更多结果", "More results"));
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
      if (found?.total && found.exact > 0 && found.exact < FEW && !stale()) {
        const offered = await suggestionLine(state, found);
        if (offered && !stale()) output.prepend(offered);
      }
      if (stale()) return;
      facetsOf = { state, found, run: me };
      await showFacets(state, found, () => stale() || runs !== me);
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
    const all = el("a", { class: "cb-hsearch__all", href: SEARCH_PAGE.href }, ...bi("全部结果与筛选", "All results and filters"));
    const suggestion = el("p", { class: "cb-hsearch__suggest", hidden: "" });
    panel.append(status, suggestion, list, all);
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
      list.replaceChildren(...data.map((d) => resultItem(d, null, found.runs)));
      list.setAttribute("aria-busy", "false");
      const total = found ? found.total : 0;
      // found as typed in few pages or none: the nearest name, as a link to its search (see suggest)
      const offered = !found || found.exact < FEW ? await suggest(q, 1, Boolean(found?.exact)).catch(() => []) : [];
      if (stale()) return;
      suggestion.hidden = !offered.length;
      suggestion.replaceChildren();
      for (const { text } of offered) {
        const url = new URL(SEARCH_PAGE);
        url.searchParams.set("q", text);
        suggestion.append(...bi(said("zh", "didYouMean"), said("en", "didYouMean").trim()), " ",
                          el("a", { href: url.href, lang: "zh", class: "cb-one", "data-cb-suggestion": text }, text));
      }
      if (total) say(status, `${total} 个结果`, `${total} result${total === 1 ? "" : "s"}`);
      else say(status, "没有找到结果", "No results");
      if (total > BOX_SIZE) say(all, `查看全部 ${total} 个结果`, `All ${total} results`);
      else say(all, "搜索页与筛选", "Search page and filters");
      open(true);
    }

    const runLatest = latestOnly(run);
    input.addEventListener("focus", () => Promise.all([pagefind(), t2sTable()]), { once: true });
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

  // On the search page, start fetching Pagefind (and with it the query asset) and the synonyms before the page is ready.
  if (location.pathname === SEARCH_PAGE.pathname) {
    pagefind();
    synonymTable();
    if (HAN.test(new URLSearchParams(location.search).get("q") || "")) t2sTable();
  }

  window.casebookSearch = { prepare, plan, search, suggest, facetCounts, toSimplified, latestOnly, excerpt };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

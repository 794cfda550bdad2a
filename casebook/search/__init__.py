"""Search, its own wing: what the site's Pagefind search needs, built with the site.

- :mod:`.index`: folds the built pages (Chinese as character pairs, traditional to simplified,
  phrases joined across the punctuation printed inside them) and indexes them with Pagefind, in
  batches and shards; writes the query asset and the search page's preloads.
- :mod:`.bundle` and :mod:`.merge`: Pagefind's files rewritten in a fixed order (same site, same
  bytes), and batch bundles joined into one.
- :mod:`.reindex`: under ``make serve``, the index rebuilt in a low-priority child process.
- :mod:`.vocabulary`: the query vocabulary: the reviewed synonym table (``data/synonyms.yml``) and
  the suggestion vocabulary ("did you mean", by pinyin and edit distance), written for the browser.

``docs/javascripts/search.js`` is the browser's side of all of these.
"""

/*
 * Site search, the part without a page: normalisation, the index format and ranking.
 *
 * It reads the files src/hub/search.py writes under search/ and applies exactly the same
 * normalisation (tests run both on the same strings). Loaded as a plain script it defines
 * window.HubSearchCore; under Node it is a CommonJS module, so it can be tested there.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.HubSearchCore = factory();
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  /* The same character sets and rules as search.py, written out so both agree. */
  var IGNORED = "\u0000-\u0020\u007f-\u00a0\u00ad\u00b7\u1680\u180e\u2000-\u200f\u2027-\u202f" +
    "\u205f-\u2064\u2066-\u206f\u3000\u30fb\ufeff";
  var KATAKANA = "\u30a1-\u30fa";
  var LONG_VOWEL = "ー";
  var IGNORED_RE = new RegExp("[" + IGNORED + "]+", "g");
  var DASHES_RE = new RegExp("(?<=[" + KATAKANA + LONG_VOWEL + "])[\\-\u2010-\u2015\u2212]+", "g");
  var TRAILING_RE = new RegExp("(?<=[" + KATAKANA + "])" + LONG_VOWEL + "+(?![" + KATAKANA + LONG_VOWEL + "])", "g");
  var MARK = /^(?:\p{M}|\uFF9E|\uFF9F)$/u;

  /* Katakana to hiragana as jaconv.kata2hira: ァ..ヶ and ヽヾ move down by 0x60. */
  function foldKana(text) {
    return text.replace(/[\u30a1-\u30f6\u30fd\u30fe]/g, function (char) {
      return String.fromCharCode(char.charCodeAt(0) - 0x60);
    });
  }

  function lowerCase(text) {
    return text.toLowerCase().replace(/ς/g, "σ");
  }

  /*
   * The form both the index and the query are compared in, as search.py's normalize:
   * NFKC, lower case, a dash right after katakana read as ー, spaces and middle dots
   * removed, the ー that ends a katakana word removed, optionally katakana to hiragana.
   */
  function normalize(text, fold) {
    text = lowerCase(text.normalize("NFKC"));
    text = text.replace(DASHES_RE, function (dashes) { return LONG_VOWEL.repeat(dashes.length); });
    text = text.replace(IGNORED_RE, "").replace(TRAILING_RE, "");
    return fold === false ? text : foldKana(text);
  }

  /* A base character with the marks that follow it, with its UTF-16 offsets. */
  function chunks(text) {
    var result = [];
    var offset = 0;
    for (var char of text) {
      if (result.length && MARK.test(char)) {
        result[result.length - 1].text += char;
      } else {
        result.push({ text: char, start: offset });
      }
      offset += char.length;
      result[result.length - 1].end = offset;
    }
    return result;
  }

  /*
   * normalize() character by character, remembering for each character of the result
   * where it came from in `text` (UTF-16 offsets), so that a match can be highlighted in
   * the original. Gives the same text as normalize() except where NFKC joins separate
   * characters (Hangul jamo); a snippet then simply goes without highlighting.
   */
  function normalizeWithMap(text, fold) {
    var units = [];
    chunks(text).forEach(function (chunk) {
      for (var char of lowerCase(chunk.text.normalize("NFKC"))) {
        units.push({ char: char, start: chunk.start, end: chunk.end });
      }
    });
    units = replaceMatches(units, DASHES_RE, function (unit) { return { char: LONG_VOWEL, start: unit.start, end: unit.end }; });
    units = replaceMatches(units, IGNORED_RE, null);
    units = replaceMatches(units, TRAILING_RE, null);
    return {
      text: units.map(function (u) { return fold === false ? u.char : foldKana(u.char); }).join(""),
      starts: units.map(function (u) { return u.start; }),
      ends: units.map(function (u) { return u.end; })
    };
  }

  /* Apply a global regular expression to the units' text: each matched unit is replaced
     by `replace(unit)`, or dropped when `replace` is null. */
  function replaceMatches(units, pattern, replace) {
    var text = "";
    var unitAt = [];
    units.forEach(function (unit, index) {
      for (var i = 0; i < unit.char.length; i += 1) unitAt.push(index);
      text += unit.char;
    });
    var matched = new Set();
    pattern.lastIndex = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      for (var i = match.index; i < match.index + match[0].length; i += 1) matched.add(unitAt[i]);
      if (!match[0].length) pattern.lastIndex += 1;
    }
    var result = [];
    units.forEach(function (unit, index) {
      if (!matched.has(index)) result.push(unit);
      else if (replace) result.push(replace(unit));
    });
    return result;
  }

  function bigrams(normalized) {
    var chars = Array.from(normalized);
    var result = [];
    for (var i = 0; i + 1 < chars.length; i += 1) result.push(chars[i] + chars[i + 1]);
    return result;
  }

  /* FNV-1a over code points, as search.py's shard_of. */
  function shardOf(key, shards) {
    var value = 0x811c9dc5;
    for (var char of key) {
      value = Math.imul(value ^ char.codePointAt(0), 0x01000193) >>> 0;
    }
    return value % shards;
  }

  /* [block delta, frequency * 2 + title bit, ...] → Map(block → {freq, title}). */
  function decode(list) {
    var result = new Map();
    var block = 0;
    for (var i = 0; i + 1 < list.length; i += 2) {
      block += list[i];
      result.set(block, { freq: list[i + 1] >> 1, title: (list[i + 1] & 1) === 1 });
    }
    return result;
  }

  /*
   * An index at `base` (the URL of search/), read through `fetchJson(url) → Promise`.
   * Shards and text blocks are fetched once and kept for later queries.
   */
  function Index(base, fetchJson) {
    this.base = base;
    this.fetchJson = fetchJson;
    this.cache = new Map();
    this.manifest = null;
  }

  Index.prototype.load = function (path) {
    var url = this.base + path + (this.manifest ? "?v=" + this.manifest.build : "");
    if (!this.cache.has(url)) {
      var cache = this.cache;
      cache.set(url, this.fetchJson(url).catch(function (error) {
        cache.delete(url);
        throw error;
      }));
    }
    return this.cache.get(url);
  };

  Index.prototype.ready = function () {
    var index = this;
    if (!this.opening) {
      this.opening = this.load("manifest.json").then(function (manifest) {
        index.manifest = manifest;
        index.pageOfBlock = [];
        manifest.blocks.forEach(function (count, page) {
          for (var i = 0; i < count; i += 1) index.pageOfBlock.push(page);
        });
        return manifest;
      });
    }
    return this.opening;
  };

  Index.prototype.postings = function (key, single) {
    var m = this.manifest;
    var folder = single ? "u/" : "b/";
    var shard = shardOf(key, single ? m.char_shards : m.bigram_shards);
    return this.load(folder + shard + ".json").then(function (data) {
      return decode(data[key] || []);
    });
  };

  Index.prototype.block = function (number) {
    return this.load("t/" + number + ".json");
  };

  /*
   * Candidate pages for a query, best first: pages whose title has the query's bigrams,
   * then by how often its rarest bigram occurs. `exact` is true when the candidates are
   * certain (queries of one or two characters); otherwise each must be confirmed on its
   * text with `confirm` before it is shown.
   */
  Index.prototype.candidates = function (query) {
    var index = this;
    return this.ready().then(function (manifest) {
      var normalized = normalize(query, manifest.fold_kana);
      var chars = Array.from(normalized);
      if (!chars.length) return { query: normalized, pages: [], exact: true };
      var keys = chars.length === 1 ? chars : Array.from(new Set(bigrams(normalized)));
      return Promise.all(keys.map(function (key) {
        return index.postings(key, chars.length === 1);
      })).then(function (lists) {
        return { query: normalized, pages: index.rank(intersect(lists)), exact: chars.length <= 2 };
      });
    });
  };

  function intersect(lists) {
    lists.sort(function (a, b) { return a.size - b.size; });
    var result = new Map();
    lists[0].forEach(function (entry, block) {
      var freq = entry.freq;
      var title = entry.title;
      for (var i = 1; i < lists.length; i += 1) {
        var other = lists[i].get(block);
        if (!other) return;
        freq = Math.min(freq, other.freq);
        title = title && other.title;
      }
      result.set(block, { freq: freq, title: title });
    });
    return result;
  }

  Index.prototype.rank = function (blocks) {
    var pages = new Map();
    var pageOfBlock = this.pageOfBlock;
    blocks.forEach(function (entry, block) {
      var page = pageOfBlock[block];
      var found = pages.get(page);
      if (!found) {
        found = { page: page, blocks: [], title: false, freq: 0 };
        pages.set(page, found);
      }
      found.blocks.push(block);
      found.title = found.title || entry.title;
      found.freq += entry.freq;
    });
    return Array.from(pages.values()).sort(function (a, b) {
      return (b.title - a.title) || (b.freq - a.freq) || (a.page - b.page);
    });
  };

  /*
   * The page's first block that really contains the query, with a snippet around the
   * first match; null when none does (its bigrams occur, but not side by side).
   */
  Index.prototype.confirm = function (candidate, normalizedQuery) {
    var index = this;
    var fold = this.manifest.fold_kana;
    var blocks = candidate.blocks.slice().sort(function (a, b) { return a - b; });
    function next(position) {
      if (position >= blocks.length) return Promise.resolve(null);
      return index.block(blocks[position]).then(function (block) {
        if (normalize(block.text, fold).indexOf(normalizedQuery) < 0) return next(position + 1);
        return {
          url: block.url,
          title: block.title,
          titleParts: highlight(block.title, normalizedQuery, fold) || [{ text: block.title, mark: false }],
          snippet: snippet(block.text, normalizedQuery, fold)
        };
      });
    }
    return next(0);
  };

  /* Where the query occurs in `text`: [start, end) UTF-16 ranges of the original text. */
  function matches(text, normalizedQuery, fold) {
    var map = normalizeWithMap(text, fold);
    var haystack = Array.from(map.text);
    var needle = Array.from(normalizedQuery);
    var spans = [];
    if (!needle.length) return spans;
    for (var i = 0; i + needle.length <= haystack.length; i += 1) {
      var j = 0;
      while (j < needle.length && haystack[i + j] === needle[j]) j += 1;
      if (j === needle.length) {
        spans.push([map.starts[i], map.ends[i + needle.length - 1]]);
        i += needle.length - 1;
      }
    }
    return spans;
  }

  /* text[from, to) cut into [{text, mark}] parts, with the given spans marked. */
  function parts(text, spans, from, to) {
    var result = [];
    var cursor = from;
    spans.forEach(function (span) {
      var start = Math.max(span[0], cursor);
      var end = Math.min(span[1], to);
      if (end <= start) return;
      if (start > cursor) result.push({ text: text.slice(cursor, start), mark: false });
      result.push({ text: text.slice(start, end), mark: true });
      cursor = end;
    });
    if (cursor < to) result.push({ text: text.slice(cursor, to), mark: false });
    return result;
  }

  /* The whole text with every match marked; null when it does not contain the query. */
  function highlight(text, normalizedQuery, fold) {
    var spans = matches(text, normalizedQuery, fold);
    return spans.length ? parts(text, spans, 0, text.length) : null;
  }

  var BEFORE = 30;
  var AFTER = 90;

  /* About BEFORE characters before the first match and AFTER after it, matches marked;
     the start of the text, unmarked, if the match cannot be placed. */
  function snippet(text, normalizedQuery, fold) {
    var spans = matches(text, normalizedQuery, fold);
    var first = spans.length ? spans[0] : [0, 0];
    var from = safeCut(text, Math.max(0, first[0] - BEFORE));
    var to = safeCut(text, Math.min(text.length, first[1] + AFTER));
    spans.forEach(function (span) {
      if (span[0] < to && span[1] > to) to = span[1]; /* never cut a match in half */
    });
    var result = parts(text, spans, from, to);
    if (from > 0) result.unshift({ text: "…", mark: false });
    if (to < text.length) result.push({ text: "…", mark: false });
    return result;
  }

  /* Never split a surrogate pair. */
  function safeCut(text, position) {
    var code = text.charCodeAt(position);
    return code >= 0xdc00 && code <= 0xdfff ? position - 1 : position;
  }

  return {
    normalize: normalize,
    normalizeWithMap: normalizeWithMap,
    bigrams: bigrams,
    shardOf: shardOf,
    decode: decode,
    highlight: highlight,
    snippet: snippet,
    Index: Index
  };
});

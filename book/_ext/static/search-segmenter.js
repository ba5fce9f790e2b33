/* Chinese queries for Sphinx's search (loaded on search.html only, by book/_ext/search_segmenter.py).
 *
 * The index side is segmented by jieba (Sphinx's Chinese search), so the index holds words such as 对口, 支援,
 * 转移, 支付 but not the compounds a reader types (对口支援, 横向转移支付). Sphinx's own query splitter leaves a
 * run of Chinese characters whole, so such a query finds nothing. Here a Chinese run is cut into the fewest
 * words that the index itself holds (the same jieba vocabulary, no second dictionary to ship); Sphinx then
 * requires every word on a page, as it does for a query of several Latin words.
 *
 * Sphinx scores a page by the best of its words alone, so most pages tie; the scorer below adds the words up
 * (a word in a heading counts more than one in the text) and puts pages whose title holds the whole query
 * first.
 */
"use strict";

var PAIRING_SEARCH = { words: [], query: "" };

// Sphinx's searchtools.js keeps a splitQuery that is already defined (it loads after this file).
var splitQuery = function (query) {
  var index = typeof Search !== "undefined" && Search._index;  // a const of searchtools.js, not on window
  var longest = PAIRING_SEARCH.longest || 1;
  if (index && !PAIRING_SEARCH.longest) {
    longest = 1;
    for (var word in index.terms) if (word.length > longest && /^[\u3400-\u9fff]+$/.test(word)) longest = word.length;
    PAIRING_SEARCH.longest = longest = Math.min(longest, 12);
  }
  var known = function (word) {
    return !!index && (Object.prototype.hasOwnProperty.call(index.terms, word) ||
                       Object.prototype.hasOwnProperty.call(index.titleterms, word));
  };
  // fewest index words covering the run; a character no word covers is skipped (the index drops them too)
  var segment = function (run) {
    var cost = [0], back = [0];
    for (var end = 1; end <= run.length; end++) {
      cost[end] = cost[end - 1] + 1.5;  // skip one character: worse than any word
      back[end] = -1;
      for (var start = Math.max(0, end - longest); start < end - 1; start++) {
        if (cost[start] + 1 < cost[end] && known(run.slice(start, end))) {
          cost[end] = cost[start] + 1;
          back[end] = start;
        }
      }
    }
    var words = [];
    for (var at = run.length; at > 0;) {
      if (back[at] < 0) { at -= 1; continue; }
      words.unshift(run.slice(back[at], at));
      at = back[at];
    }
    return words;
  };
  var words = [];
  (query.match(/[\u3400-\u9fff]+|[^\u3400-\u9fff]+/g) || []).forEach(function (part) {
    if (/^[\u3400-\u9fff]/.test(part)) words.push.apply(words, segment(part));
    else words.push.apply(words, part.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter(Boolean));
  });
  PAIRING_SEARCH.words = words;
  PAIRING_SEARCH.query = query.trim();
  return words;
};

document.addEventListener("DOMContentLoaded", function () {
  if (typeof Scorer === "undefined") return;
  Scorer.score = function (result) {
    var index = Search._index, file = index.docnames.indexOf(result[0]);
    var title = (result[1] || "").toLowerCase(), query = PAIRING_SEARCH.query.toLowerCase();
    var has = function (list, value) { return list !== undefined && (list === value || (list.indexOf && list.indexOf(value) >= 0)); };
    var score = result[2] ? result[4] : 0;  // a section heading found by Sphinx's title search keeps its score
    PAIRING_SEARCH.words.forEach(function (word) {
      word = word.toLowerCase();
      if (has(index.titleterms[word], file)) score += Scorer.title;
      else if (has(index.terms[word], file)) score += Scorer.term;
      if (title.indexOf(word) >= 0) score += Scorer.title;
    });
    if (query && title.indexOf(query) >= 0) score += 2 * Scorer.title;
    return score;
  };
});

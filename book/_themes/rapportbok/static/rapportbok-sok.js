/* rapportbok's search page. The index (_static/sokindex.js, written by `rapportbok build`) holds
   every section's text; words are reduced to their stem with Sphinx's Swedish Snowball stemmer
   (language_data.js) on both sides, and a query word also finds the words it begins (compounds:
   "budget" finds "budgetavvikelse") and words one or two letters shorter than it (endings Snowball
   keeps: "sjukfrånvaron" finds "sjukfrånvaro"). Loaded as scripts, so it works from a web server
   and from the file system. */
(function () {
  "use strict";

  var WORD = /[\p{L}\p{N}]+/gu;
  var MIN_PREFIX = 3;
  var MIN_SHORTER = 5;
  var MAX_ENDING = 2;
  var SNIPPET = 90;

  function words(text) {
    return text.toLowerCase().match(WORD) || [];
  }

  function makeStemmer() {
    var cache = new Map();
    var stemmer = typeof Stemmer === "function" ? new Stemmer() : null;
    return function (word) {
      var found = cache.get(word);
      if (found === undefined) {
        found = stemmer ? stemmer.stemWord(word) : word;
        cache.set(word, found);
      }
      return found;
    };
  }

  function buildIndex(sections, stem) {
    var byStem = new Map();
    sections.forEach(function (section, position) {
      words(section.heading + " " + section.text).forEach(function (word) {
        var key = stem(word);
        var where = byStem.get(key);
        if (!where) {
          where = new Set();
          byStem.set(key, where);
        }
        where.add(position);
      });
    });
    return byStem;
  }

  /* The stems in the index that a query word finds, with a weight: its own stem counts most. */
  function matchingStems(queryStem, byStem) {
    var found = new Map();
    byStem.forEach(function (_, candidate) {
      if (candidate === queryStem) {
        found.set(candidate, 3);
      } else if (queryStem.length >= MIN_PREFIX && candidate.indexOf(queryStem) === 0) {
        found.set(candidate, 1);
      } else if (
        candidate.length >= MIN_SHORTER &&
        queryStem.indexOf(candidate) === 0 &&
        queryStem.length - candidate.length <= MAX_ENDING
      ) {
        found.set(candidate, 2);
      }
    });
    return found;
  }

  function search(query, sections, byStem, stem) {
    var terms = words(query);
    var ignored = typeof stopwords !== "undefined" ? new Set(stopwords) : new Set();
    var meaningful = terms.filter(function (term) {
      return !ignored.has(term);
    });
    if (meaningful.length) {
      terms = meaningful;
    }
    if (!terms.length) {
      return { hits: [], stems: new Set() };
    }
    var scores = null;
    var allStems = new Set();
    terms.forEach(function (term) {
      var stems = matchingStems(stem(term), byStem);
      var termScores = new Map();
      stems.forEach(function (weight, key) {
        allStems.add(key);
        byStem.get(key).forEach(function (position) {
          termScores.set(position, (termScores.get(position) || 0) + weight);
        });
      });
      if (scores === null) {
        scores = termScores;
      } else {
        var both = new Map();
        scores.forEach(function (score, position) {
          if (termScores.has(position)) {
            both.set(position, score + termScores.get(position));
          }
        });
        scores = both;
      }
    });
    var hits = [];
    scores.forEach(function (score, position) {
      var heading = sections[position].heading;
      var inHeading = words(heading).some(function (word) {
        return allStems.has(stem(word));
      });
      hits.push({ position: position, score: score + (inHeading ? 5 : 0) });
    });
    hits.sort(function (a, b) {
      /* equal scores: this book's sections first, then in index order */
      var own = sections[b.position].own - sections[a.position].own;
      return b.score - a.score || own || a.position - b.position;
    });
    return { hits: hits, stems: allStems };
  }

  /* A piece of text with the found words marked, built as DOM nodes (the text is never HTML). */
  function appendMarked(parent, text, stems, stem) {
    var last = 0;
    text.replace(WORD, function (word, offset) {
      if (stems.has(stem(word.toLowerCase()))) {
        parent.appendChild(document.createTextNode(text.slice(last, offset)));
        var mark = document.createElement("mark");
        mark.textContent = word;
        parent.appendChild(mark);
        last = offset + word.length;
      }
      return word;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function snippet(text, stems, stem) {
    var first = -1;
    text.replace(WORD, function (word, offset) {
      if (first < 0 && stems.has(stem(word.toLowerCase()))) {
        first = offset;
      }
      return word;
    });
    if (first < 0) {
      return text.length > 2 * SNIPPET ? text.slice(0, 2 * SNIPPET) + " …" : text;
    }
    var start = Math.max(0, first - SNIPPET);
    var end = Math.min(text.length, first + SNIPPET);
    while (start > 0 && /\S/.test(text.charAt(start - 1))) {
      start -= 1;
    }
    while (end < text.length && /\S/.test(text.charAt(end))) {
      end += 1;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function hitCount(count) {
    return count === 1 ? "1 träff" : count + " träffar";
  }

  function show(query, result, sections, stem, status, list, books) {
    list.textContent = "";
    if (!result.hits.length) {
      status.textContent = "Inga träffar för ”" + query + "”. Kontrollera stavningen eller pröva ett annat ord.";
      return;
    }
    var found = hitCount(result.hits.length);
    if (books > 1) {
      var inBooks = new Set(
        result.hits.map(function (hit) {
          return sections[hit.position].book;
        })
      ).size;
      found += inBooks === 1 ? " i 1 rapport" : " i " + inBooks + " rapporter";
    }
    status.textContent = found + " för ”" + query + "”.";
    var ol = document.createElement("ol");
    result.hits.forEach(function (hit) {
      var section = sections[hit.position];
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.className = "rb-hit-title";
      link.href = section.href;
      link.textContent = section.heading || section.page;
      item.appendChild(link);
      var page = document.createElement("span");
      page.className = "rb-hit-page";
      page.textContent = section.book ? section.book + " – " + section.page : section.page;
      item.appendChild(page);
      if (section.text) {
        var text = document.createElement("p");
        appendMarked(text, snippet(section.text, result.stems, stem), result.stems, stem);
        item.appendChild(text);
      }
      ol.appendChild(item);
    });
    list.appendChild(ol);
  }

  /* The sections to search: every book's in the multi-book site (sokindex-alla.js, loaded only
     there; each result names its organisation and year), else this book's own. Links are relative
     to this page, so they work from a web server and from the file system. */
  function searchedSections() {
    var root = document.documentElement.getAttribute("data-content_root") || "";
    var all = window.rapportbokSokindexAlla;
    if (all) {
      var here = new URL(root || "./", window.location.href).href;
      var inThisBook = all.bocker.map(function (book) {
        return new URL(root + all.fran_bok + book[0] + "/", window.location.href).href === here ? 1 : 0;
      });
      return {
        books: all.bocker.length,
        sections: all.avsnitt.map(function (row) {
          var book = all.bocker[row[0]];
          return {
            own: inThisBook[row[0]],
            href: root + all.fran_bok + book[0] + "/" + row[1],
            page: row[2],
            heading: row[3],
            text: row[4],
            book: book[1] + " " + book[2],
          };
        }),
      };
    }
    var single = window.rapportbokSokindex;
    if (!single) {
      return null;
    }
    return {
      books: 1,
      sections: single.avsnitt.map(function (row) {
        return { own: 1, href: root + row[0], page: row[1], heading: row[2], text: row[3], book: "" };
      }),
    };
  }

  function start() {
    var list = document.getElementById("rb-sokresultat");
    var status = document.getElementById("rb-sokstatus");
    if (!list || !status) {
      return;
    }
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    var field = document.getElementById("rb-sokfalt");
    if (field) {
      field.value = query;
    }
    var heading = document.getElementById("sok-rubrik");
    if (heading && window.rapportbokSokindexAlla) {
      heading.textContent = "Sök i alla rapporter";
    }
    if (!query) {
      return;
    }
    var index = searchedSections();
    if (!index) {
      status.textContent = "Sökningen kan inte visas just nu. Försök igen senare.";
      return;
    }
    var stem = makeStemmer();
    var sections = index.sections;
    var result = search(query, sections, buildIndex(sections, stem), stem);
    show(query, result, sections, stem, status, list, index.books);
    document.title = "Sök: " + query + " – " + document.title.replace(/^[^–]*– /, "");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

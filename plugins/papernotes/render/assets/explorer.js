/* papernotes explorer: filters every paper in the browser, the URL is the state.
   Plain JavaScript, no framework, no network: the data comes from explorer-data.js
   (window.papernotesExplorer), loaded before this file. Rows are the same markup as
   templates/macros.html's `row` (Cite, organisation chips, resource buttons; the venue
   qualifier is for venue pages only). papernotes-cite.js listens on the document, so the
   Cite control works on rows written here too. Query: ?q=&tag=&venue=&author=&priority=&year=&added=&sort= */
(function () {
  "use strict";
  var D = window.papernotesExplorer;
  var root = document.querySelector(".pn-explorer");
  var form = root && root.querySelector(".pn-explorer__controls");
  if (!D || !form) return;

  var P = D.papers, A = D.authors, T = D.tags, N = D.notes;
  var SYMBOLS = ["", "★", "★★", "★★★"], LABELS = ["", "notable", "important", "must-read"];
  var SORTS = ["priority", "year", "title"].concat(D.order.added.length ? ["added"] : []);
  var MAX_TAGS = 20, MAX_TEXT = 200;
  var FIRST = 50;  // rows shown per change: a screenful or two; "Show more" adds pageSize more
  var ROW_PX = 48;  // rows are taller: a keystroke writes innerHeight / ROW_PX rows before the next frame
  var NON_ASCII = /[^\x00-\x7f]/;
  var $ = function (sel) { return root.querySelector(sel); };
  var list = $(".pn-explorer__list ul.pn-rows"), count = $("[data-papernotes-count]");
  var more = $(".pn-explorer__more"), note = $(".pn-explorer__note"), active = $(".pn-explorer__active");
  var toggle = $(".pn-explorer__toggle"), panel = $("#pn-filters"), reset = $(".pn-explorer__reset");
  var filterCount = $(".pn-explorer__filter-count"), filterN = $(".pn-explorer__filter-n");
  var empty = $(".pn-explorer__empty"), emptyText = $(".pn-explorer__empty-text");
  var clearQ = $(".pn-explorer__clear-q"), undo = $(".pn-explorer__undo");
  var q = $("#pn-q"), author = $("#pn-author"), priority = $("#pn-priority"), sort = $("#pn-sort");
  var yearFrom = $("#pn-year-from"), yearTo = $("#pn-year-to");
  var tagBySlug = new Map(), authorBySlug = new Map(), authorByName = new Map();
  T.forEach(function (t, i) { tagBySlug.set(t[2], i); });
  var foldedNames = A.map(function (a) { return fold(a[0]); });  // the text search reads them too
  A.forEach(function (a, i) { authorBySlug.set(a[1], i); authorByName.set(foldedNames[i], i); });

  var state = blank(), shown = FIRST, lastAction = "", haystacks = null;
  // A row's <li> is made once and kept: a change removes the rows that no longer match and inserts
  // the new ones; rows that stay are not rebuilt, restyled or laid out again.
  var nodes = new Array(P.length), current = [], currentSort = "priority", wanted = new Int32Array(P.length), pass = 0;
  var maker = document.createElement("template"), pending = 0;
  var counts = new Int32Array(T.length), counted = null, options = [];
  var VENUES = {none: 0, other: 2}, venueClass = null;  // venue=: none, or none of the stats page's top venues
  var touched = {}, touches = 0;  // when each filter was set here: the address's filters come first, in its order

  function blank() {
    return {q: "", tags: [], venue: "", author: -1, priority: 0, from: 0, to: 0, noYear: false, added: "", sort: "priority"};
  }
  function fold(text) {  // case- and accent-insensitive form; most text is ASCII, where lower case is enough
    return NON_ASCII.test(text) ? text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase() : text.toLowerCase();
  }
  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}[c];
    });
  }
  function short(text) { return text.length > 40 ? text.slice(0, 40) + "…" : text; }

  // -- the URL
  function readUrl(address) {
    var s = blank(), ignored = [], seen = {};
    new URLSearchParams(address ? new URL(address).search : location.search).forEach(function (raw, key) {
      var value = raw.trim().slice(0, MAX_TEXT);
      if (key === "tag") {
        var t = tagBySlug.get(value);
        if (t === undefined) ignored.push("tag “" + short(value) + "” (no such tag)");
        else if (s.tags.length >= MAX_TAGS) { if (!seen.manyTags) ignored.push("tags after the first " + MAX_TAGS); seen.manyTags = true; }
        else if (s.tags.indexOf(t) < 0) s.tags.push(t);
        return;
      }
      if (["q", "venue", "author", "priority", "year", "added", "sort"].indexOf(key) < 0) return;  // not ours
      if (seen[key]) { ignored.push("a repeated “" + key + "”"); return; }
      seen[key] = true;
      var m;
      if (key === "q") s.q = value;
      else if (key === "venue") {
        if (VENUES.hasOwnProperty(value)) s.venue = value;
        else ignored.push("venue “" + short(value) + "” (none or other)");
      }
      else if (key === "author") {
        if (authorBySlug.has(value)) s.author = authorBySlug.get(value);
        else ignored.push("author “" + short(value) + "” (no such author)");
      } else if (key === "priority") {
        if (/^[0-3]$/.test(value)) s.priority = +value;
        else ignored.push("priority “" + short(value) + "” (1 to 3)");
      } else if (key === "year") {
        if (value === "none") s.noYear = true;
        else if ((m = /^(\d{4})(?:-(\d{4}))?$/.exec(value))) {
          var a = +m[1], b = m[2] ? +m[2] : a;
          s.from = Math.min(a, b); s.to = Math.max(a, b);
        } else ignored.push("year “" + short(value) + "” (YYYY or YYYY-YYYY)");
      } else if (key === "added") {
        if (/^\d{4}-\d{2}$/.test(value) && D.order.added.length) s.added = value;
        else ignored.push("added “" + short(value) + "”" + (D.order.added.length ? " (YYYY-MM)" : " (no dates known)"));
      } else if (SORTS.indexOf(value) >= 0) s.sort = value;
      else ignored.push("sort “" + short(value) + "”");
    });
    note.hidden = !ignored.length;
    note.textContent = ignored.length ? "Ignored in the address: " + ignored.join("; ") + "." : "";
    return s;
  }
  function query(s) {
    var p = new URLSearchParams();
    if (s.q) p.set("q", s.q);
    s.tags.forEach(function (t) { p.append("tag", T[t][2]); });
    if (s.venue) p.set("venue", s.venue);
    if (s.author >= 0) p.set("author", A[s.author][1]);
    if (s.priority) p.set("priority", s.priority);
    if (s.noYear) p.set("year", "none");
    else if (s.from || s.to) p.set("year", s.from === s.to ? s.from : (s.from || 1000) + "-" + (s.to || 9999));
    if (s.added) p.set("added", s.added);
    if (s.sort !== "priority") p.set("sort", s.sort);
    var text = p.toString();
    return text ? "?" + text : "";
  }
  var urlTimer = 0, typed = null, typedPush = false;
  function go(push, url) {
    try { history[push ? "pushState" : "replaceState"](null, "", url); } catch (e) { /* some file:// setups refuse */ }
  }
  function flushTyped() {  // the address of the typing so far, before any later step's
    clearTimeout(urlTimer);
    urlTimer = 0;
    if (typed !== null) go(typedPush, typed);
    typed = null;
    typedPush = false;
  }
  function commit(action) {
    // Every change is a step back/forward can undo; typing is one step. Writing the address
    // costs a few ms on a big library, so a typing run's first key pushes it when the browser is
    // idle after the frame, and the later keys' address is written when the typing pauses.
    var url = location.pathname + query(state) + location.hash;
    if (action !== "q") { flushTyped(); go(true, url); }
    else {
      if (lastAction !== "q") {
        flushTyped();
        typedPush = true;
        (window.requestIdleCallback || setTimeout)(flushTyped, {timeout: 250});
      } else if (!urlTimer && !typedPush) urlTimer = setTimeout(flushTyped, 250);
      typed = url;
    }
    lastAction = action;
    note.hidden = true;
    shown = FIRST;
    render(action === "q");
  }

  // -- filtering and rows
  function matches(p, i, terms) {
    if (p[3] < state.priority) return false;
    if (state.noYear ? p[4] !== 0 : (state.from && p[4] < state.from) || (state.to && (p[4] > state.to || !p[4]))) return false;
    if (state.added && p[8].slice(0, 7) !== state.added) return false;
    if (state.venue && venueClass[i] !== VENUES[state.venue]) return false;
    if (state.author >= 0 && p[6].indexOf(state.author) < 0) return false;
    for (var t = 0; t < state.tags.length; t++) if (p[7].indexOf(state.tags[t]) < 0) return false;
    if (terms.length) {
      var hay = haystacks[i];
      for (var k = 0; k < terms.length; k++) if (hay.indexOf(terms[k]) < 0) return false;
    }
    return true;
  }
  function row(i) {
    var p = P[i], n = N[p[1]], url = esc(n[1] + "#" + p[2]), ids = p[6];
    var limit = D.authorLimit, cut = ids.length > limit ? ids.slice(0, limit - 2) : ids;
    var h = '<li class="pn-row pn-row--p' + p[3] + '" data-priority="' + p[3] + '">';
    if (p[3]) h += '<span class="pn-badge pn-badge--p' + p[3] + '" title="' + LABELS[p[3]] + '">' + SYMBOLS[p[3]] + "</span> ";
    h += '<a class="pn-row__title" href="' + url + '">' + esc(p[0]) + "</a>";
    if (p[5]) h += ' <span class="pn-row__venue">' + esc(p[5]) + "</span>";
    var record = bib(p), orgs = p[10] || [], links = p[11] || [];
    h += " ";
    if (record) {
      h += '<details class="pn-cite"><summary>Cite</summary><pre class="pn-cite__bib"><code>' + esc(record) +
        '</code></pre><span class="pn-cite__status" role="status"></span></details>';
    }
    if (orgs.length || links.length) {
      h += ' <span class="pn-row__tags">' + orgs.map(function (o) {
        return '<a class="pn-chip pn-chip--org" href="' + esc(T[o[0]][3] + (o[2] ? "#" + o[2] : "")) + '">' + esc(o[1] || T[o[0]][0]) + "</a> ";
      }).join("") + links.map(function (l) {
        return l[2] ? '<a class="md-button pn-link" href="' + esc(l[1]) + '">' + esc(l[0]) + "</a>"
          : '<span class="md-button pn-link pn-link--broken" title="link not shown: ' + esc(l[1] || "no URL") + '">' + esc(l[0]) + "</span>";
      }).join(" ") + "</span>";
    }
    h += ' <span class="pn-row__meta">';
    if (ids.length) {
      h += '<span class="pn-row__authors">' + cut.map(function (a) {
        var link = A[a][2] === 1 ? D.authorUrl[0] + A[a][1] + D.authorUrl[1] : A[a][2];
        return link ? '<a href="' + esc(link) + '">' + esc(A[a][0]) + "</a>" : esc(A[a][0]);
      }).join(", ");
      if (cut.length < ids.length) h += ', … <a href="' + url + '">+' + (ids.length - cut.length) + " more</a>";
      h += "</span> · ";
    }
    h += '<span class="pn-row__note">in <a href="' + esc(n[1]) + '">' + esc(n[0]) + "</a></span></span></li>";
    return h;
  }
  // The Cite control's BibTeX, rebuilt from the compact record (explorer.py `_bib_records`).
  function bib(p) {
    var b = p[9];
    if (!b || typeof b === "string") return b || "";
    var fields = [];
    for (var k = 2; k < b.length; k += 2) fields.push("  " + word(b[k], p) + " = {" + word(b[k + 1], p) + "}");
    return "@" + word(b[0], p) + "{" + b[1] + ",\n" + fields.join(",\n") + "\n}";
  }
  function word(w, p) {
    if (typeof w === "string") return w;
    if (w >= 0) return D.bibWords[w];
    if (w === -1) return p[0].split(" ").map(function (x) { return /[A-Z]/.test(x) ? "{" + x + "}" : x; }).join(" ");
    if (w === -2) return p[6].map(function (a) { return A[a][0]; }).join(" and ");
    for (var k = 0, links = p[11] || []; k < links.length; k++) if (links[k][2]) return links[k][1];
    return "";
  }
  var matched = [];
  function prepareSearch() {  // once, when the page is set up
    if (!haystacks) haystacks = P.map(function (p) {
      var hay = fold(p[0]), authors = p[6];
      for (var k = 0; k < authors.length; k++) hay += "\n" + foldedNames[authors[k]];
      return hay;
    });
  }
  // The list is to show `target` (paper indexes, sorted): its first `upto` rows now, the rows after
  // them (out of view) may stay stale until a second call. Rows are in the sort's order, so the rows
  // kept are in place already and new ones are inserted between them.
  var ranks = {};
  function rank(i) {  // a paper's place in the sort
    if (state.sort === "priority") return i;
    if (!ranks[state.sort]) {
      ranks[state.sort] = new Int32Array(P.length);
      D.order[state.sort].forEach(function (j, k) { ranks[state.sort][j] = k; });
    }
    return ranks[state.sort][i];
  }
  function place(target, upto) {
    var k, i, kept = [], later = [];
    if (currentSort !== state.sort) { list.textContent = ""; current = []; currentSort = state.sort; }
    var last = upto < target.length ? rank(target[upto - 1]) : Infinity;
    pass++;
    for (k = 0; k < target.length; k++) wanted[target[k]] = pass;
    for (k = 0; k < current.length; k++) {
      i = current[k];
      if (rank(i) > last) { later = current.slice(k); break; }
      if (wanted[i] === pass) kept.push(i);
      else list.removeChild(nodes[i]);
    }
    var make = [];
    for (k = 0; k < upto; k++) if (!nodes[target[k]]) make.push(target[k]);
    if (make.length) {
      maker.innerHTML = make.map(row).join("");
      for (k = 0, i = maker.content.children; k < make.length; k++) nodes[make[k]] = i[k];
    }
    var at = 0, next = kept.length ? nodes[kept[0]] : later.length ? nodes[later[0]] : null;
    for (k = 0; k < upto; k++) {
      if (kept[at] === target[k]) next = ++at < kept.length ? nodes[kept[at]] : later.length ? nodes[later[0]] : null;
      else list.insertBefore(nodes[target[k]], next);
    }
    current = target.slice(0, upto).concat(later);
    var done = upto === target.length;
    if (done) list.removeAttribute("aria-busy");
    else list.setAttribute("aria-busy", "true");  // more rows to come
    return done;
  }
  function filter(terms) {  // the matching papers, in the sort's order
    if (state.venue && !venueClass) venueClass = P.map(function (p) {  // once: 0 no venue, 1 a top one, 2 others only
      return p[7].reduce(function (c, t) { return T[t][1] !== "venue" ? c : D.topVenues.indexOf(t) >= 0 ? 1 : c || 2; }, 0);
    });
    var order = state.sort === "priority" ? null : D.order[state.sort];
    matched = [];
    for (var k = 0; k < P.length; k++) {
      var i = order ? order[k] : k;
      if (matches(P[i], i, terms)) matched.push(i);
    }
  }
  function render(soon) {
    var terms = fold(state.q).split(/\s+/).filter(Boolean);
    if (terms.length) prepareSearch();
    filter(terms);
    var total = matched.length;
    var said = total + (total === 1 ? " paper" : " papers") + (total < P.length ? " of " + P.length : "");
    if (count.textContent !== said) count.textContent = said;  // aria-live: said again only when it changes
    var target = matched.slice(0, shown), ticket = ++pending;
    if (!place(target, soon ? Math.min(Math.max(8, Math.ceil(innerHeight / ROW_PX)), target.length) : target.length)) {
      (window.requestIdleCallback || setTimeout)(function () { if (ticket === pending) place(target, target.length); }, {timeout: 100});
    }
    showMoreButton();
    scheduleTags();
    if (!soon) updateActive();  // typing changes no filter
    showEmpty(total);
  }
  var tagsPending = false;
  function scheduleTags() {  // option labels are seen only in an open list: after the rows, when idle
    if (tagsPending) return;
    tagsPending = true;
    (window.requestIdleCallback || setTimeout)(updateTags, {timeout: 500});
  }
  function showMoreButton() {
    var rest = matched.length - Math.min(shown, matched.length);
    var label = "Show " + Math.min(rest, D.pageSize) + " more (" + rest + " not shown)";
    more.hidden = rest <= 0;
    if (more.textContent !== label) more.textContent = label;  // a write each key would lay the page out again
  }
  function showMore() {
    var from = shown;
    shown += D.pageSize;
    pending++;
    place(matched.slice(0, shown), Math.min(shown, matched.length));
    showMoreButton();
    var next = list.children[from];
    if (next) next.querySelector("a").focus();
  }

  // -- controls
  function buildTagSelects() {
    root.querySelectorAll("select[data-kind]").forEach(function (select) {
      var kind = select.getAttribute("data-kind"), ids = [];
      T.forEach(function (t, i) { if (t[1] === kind) ids.push(i); });
      var totals = new Int32Array(T.length);
      P.forEach(function (p) { p[7].forEach(function (t) { totals[t]++; }); });
      ids.sort(function (a, b) { return totals[b] - totals[a] || (T[a][0] < T[b][0] ? -1 : T[a][0] > T[b][0] ? 1 : 0); });
      ids.forEach(function (i) {
        var option = document.createElement("option");
        option.value = T[i][2];
        select.appendChild(option);
        options.push([i, option, -1]);
      });
      select.addEventListener("focus", updateTags);
      select.addEventListener("change", function () {
        var t = tagBySlug.get(select.value);
        select.value = "";
        if (t !== undefined && state.tags.indexOf(t) < 0 && state.tags.length < MAX_TAGS) { state.tags.push(t); touch("tag" + t); commit("tag"); }
      });
    });
  }
  function updateTags() {  // the tag counts among the matching papers: when a list is opened or idle, not per key
    tagsPending = false;
    if (counted !== matched) {
      counted = matched;
      counts.fill(0);
      for (var m = 0; m < matched.length; m++) for (var t = 0, tags = P[matched[m]][7]; t < tags.length; t++) counts[tags[t]]++;
    }
    for (var k = 0; k < options.length; k++) {
      var o = options[k], n = counts[o[0]];
      if (o[2] === n) continue;
      o[2] = n;
      o[1].textContent = T[o[0]][0] + " (" + n + ")";
      o[1].disabled = n === 0;
    }
  }
  function touch(key) { touched[key] = ++touches; }
  function chip(filter) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "pn-chip pn-explorer__chip";
    button.textContent = filter.label + " ✕";
    button.setAttribute("aria-label", "Remove filter: " + filter.label);
    button.addEventListener("click", function () {
      var at = filters.indexOf(filter);
      filter.remove(); syncControls(); commit("remove");
      // The next chip, else the toggle: the search box would open a phone's keyboard over the list.
      (active.children[Math.min(at, active.children.length - 1)] || toggle).focus();
    });
    active.appendChild(button);
  }
  var activeKey = "", filters = [];  // the active filters as {label, remove, at}, the last one set last
  function updateActive() {  // chips, the toggle's count and the reset button: rebuilt only when the filters change
    var key = [state.tags, state.venue, state.author, state.priority, state.from, state.to, state.noYear, state.added, touches].join("|");
    if (key === activeKey) return;
    activeKey = key;
    filters = [];
    var add = function (id, label, remove) { filters.push({label: label, remove: remove, at: touched[id] || 0}); };
    state.tags.forEach(function (t) {
      add("tag" + t, D.kinds[T[t][1]].replace(/s$/, "").replace(/^Organisations and other tag$/, "Tag") + ": " + T[t][0],
          function () { state.tags.splice(state.tags.indexOf(t), 1); });
    });
    if (state.venue) add("venue", "Venue: " + state.venue, function () { state.venue = ""; });
    if (state.author >= 0) add("author", "Author: " + A[state.author][0], function () { state.author = -1; });
    if (state.priority) {
      add("priority", "Priority: " + SYMBOLS[state.priority] + " " + LABELS[state.priority] + (state.priority < 3 ? " or more" : ""),
          function () { state.priority = 0; });
    }
    if (state.noYear) add("year", "No year", function () { state.noYear = false; });
    else if (state.from || state.to) {
      add("year", state.from === state.to ? "Year: " + state.from : "Years: " + (state.from || "…") + "–" + (state.to || "…"),
          function () { state.from = state.to = 0; });
    }
    if (state.added) add("added", "Added: " + state.added, function () { state.added = ""; });
    filters.forEach(function (f, i) { f.order = i; });
    filters.sort(function (a, b) { return a.at - b.at || a.order - b.order; });
    active.textContent = "";
    filters.forEach(chip);
    filterCount.hidden = reset.hidden = !filters.length;
    filterN.textContent = filters.length;
  }
  // Nothing matches: say so and offer the way back; with rows to show, a keystroke costs one comparison.
  var emptyKey = "";
  function showEmpty(total) {
    var key = total || !P.length ? "" : state.q + "\n" + activeKey;
    if (key === emptyKey) return;
    emptyKey = key;
    empty.hidden = !key;
    if (!key) return;
    var n = filters.length, last = filters[n - 1];
    emptyText.textContent = (state.q ? "No paper has “" + short(state.q) + "” in its title or authors" : "No paper matches") +
      (n ? (state.q ? " with " : " ") + (n === 1 ? "this filter" : "these " + n + " filters") : "") + ".";
    clearQ.hidden = !state.q;
    undo.hidden = !last;
    if (last) undo.textContent = "Remove “" + last.label + "”";  // the filter set last
  }
  function syncControls() {
    q.value = state.q;
    author.value = state.author >= 0 ? A[state.author][0] : "";
    priority.value = String(state.priority || "");
    yearFrom.value = state.from || "";
    yearTo.value = state.to || "";
    sort.value = state.sort;
  }
  function readYears() {
    var a = parseInt(yearFrom.value, 10) || 0, b = parseInt(yearTo.value, 10) || 0;
    state.noYear = false;
    state.from = a && b ? Math.min(a, b) : a;
    state.to = a && b ? Math.max(a, b) : b;
  }

  q.addEventListener("input", function () { state.q = q.value.slice(0, MAX_TEXT); commit("q"); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  priority.addEventListener("change", function () { state.priority = +priority.value || 0; touch("priority"); commit("priority"); });
  sort.addEventListener("change", function () { state.sort = sort.value; commit("sort"); });
  yearFrom.addEventListener("change", function () { readYears(); touch("year"); commit("year"); });
  yearTo.addEventListener("change", function () { readYears(); touch("year"); commit("year"); });
  author.addEventListener("focus", function () {
    var list = document.getElementById("pn-author-names");
    if (list.childElementCount) return;
    var fragment = document.createDocumentFragment();
    A.forEach(function (a) { var o = document.createElement("option"); o.value = a[0]; fragment.appendChild(o); });
    list.appendChild(fragment);
  });
  author.addEventListener("change", function () {
    var name = fold(author.value.trim());
    var found = name ? authorByName.get(name) : -1;
    if (found === undefined) {
      note.hidden = false;
      note.textContent = "No author named “" + short(author.value.trim()) + "”.";
      return;
    }
    state.author = found;
    touch("author");
    commit("author");
  });
  more.addEventListener("click", showMore);
  reset.addEventListener("click", function () {
    state = blank(); touched = {}; syncControls(); commit("reset");
    toggle.focus();  // the button hides itself: nothing is left to clear
  });
  clearQ.addEventListener("click", function () { state.q = ""; syncControls(); commit("clear"); q.focus(); });
  undo.addEventListener("click", function () {
    filters[filters.length - 1].remove(); syncControls(); commit("remove");
    ((empty.hidden ? list.querySelector("a") : undo.hidden ? clearQ : undo) || toggle).focus();
  });
  // Folded on phones, where the filters would fill the first screen; the toggle counts the active ones.
  var narrow = window.matchMedia("(max-width: 44.9375em)");
  function unfold(open) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); panel.hidden = !open; }
  toggle.addEventListener("click", function () { unfold(panel.hidden); });
  narrow.addEventListener("change", function () { unfold(!narrow.matches); });
  window.addEventListener("popstate", function () {
    clearTimeout(urlTimer);
    urlTimer = 0;
    typed = null;
    typedPush = false;
    touched = {};
    state = readUrl(); lastAction = ""; shown = FIRST; syncControls(); render();
  });

  buildTagSelects();
  state = readUrl(window.papernotesExplorerAddress);
  if (window.papernotesExplorerAddress) {  // see explorer-address.js
    try { history.replaceState(history.state, "", window.papernotesExplorerAddress); } catch (e) { /* kept hidden */ }
    delete window.papernotesExplorerAddress;
  }
  syncControls();
  unfold(!narrow.matches);
  form.hidden = false;
  var pager = $(".pn-pager"), range = $(".pn-explorer__range");
  if (pager) pager.hidden = true;
  if (range) range.remove();
  // What the first keystroke would otherwise wait for (~10 ms at 6,400 papers): the folded text
  // and a pass of the text filter (compiled by then).
  prepareSearch();
  filter(["e"]);
  // The page's rows are the first papers in priority order, in the same markup: they are those
  // papers' rows (unfiltered, all of them stay).
  if (state.sort === "priority") {
    for (var i = 0; i < list.children.length; i++) { nodes[i] = list.children[i]; current.push(i); }
    if (query(state) === "") shown = current.length;
  }
  render();
  root.setAttribute("data-ready", "");
})();

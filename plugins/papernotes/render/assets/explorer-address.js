/* papernotes explorer, run before the theme starts: Material opens its own search box for `?q=`
   and drops `q` from the address when that box closes. This hides `q` from it; explorer.js reads
   the address kept here and puts it back once the theme has started. */
(function () {
  "use strict";
  var params = new URLSearchParams(location.search);
  if (!params.has("q")) return;
  window.papernotesExplorerAddress = location.href;
  params.delete("q");
  var text = params.toString();
  try {
    history.replaceState(history.state, "", location.pathname + (text ? "?" + text : "") + location.hash);
  } catch (e) { /* the theme's search box opens too; the explorer still shows the right view */ }
})();

// papernotes: the Cite control. Opening an entry's "Cite" shows its BibTeX (that part needs no
// script) and copies it to the clipboard; where the clipboard is refused (plain http, file://,
// an old browser) the record is selected instead, ready for Ctrl+C. No network, no dependencies.
// One listener on the document, so it keeps working across Material's instant navigation.
(function () {
  "use strict";

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function legacyCopy(node) {
    selectText(node);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function report(details, copied) {
    var status = details.querySelector(".pn-cite__status");
    if (status) {
      status.textContent = copied ? "BibTeX copied to the clipboard" : "Selected: press Ctrl+C (\u2318C) to copy";
    }
  }

  document.addEventListener("click", function (event) {
    var summary = event.target && event.target.closest ? event.target.closest(".pn-cite > summary") : null;
    if (!summary) return;
    var details = summary.parentElement;
    if (details.open) return; // this click closes it
    var code = details.querySelector("code");
    if (!code) return;
    var text = code.textContent;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { report(details, true); },
        function () { report(details, legacyCopy(code)); }
      );
    } else {
      report(details, legacyCopy(code));
    }
  });
})();

// USWDS draws the file input's words ("Drag file here or choose from folder", "Change file", ...) in
// English from its own script. This puts the page's language in their place: the words come from the
// JSON that base.html writes (translated by Django), and every change USWDS makes is translated again.
(function () {
  "use strict";
  var source = document.getElementById("peercert-file-input-strings");
  if (!source) { return; }
  var words = JSON.parse(source.textContent);
  var english = Object.keys(words).sort(function (a, b) { return b.length - a.length; });
  if (!english.length) { return; }

  function translate(text) {
    var out = text;
    english.forEach(function (phrase) { out = out.split(phrase).join(words[phrase]); });
    return out;
  }

  function fix(root) {
    root.querySelectorAll(".usa-file-input, .usa-file-input *").forEach(function (el) {
      ["aria-label"].forEach(function (name) {
        var value = el.getAttribute(name);
        if (value) {
          var done = translate(value);
          if (done !== value) { el.setAttribute(name, done); }
        }
      });
      el.childNodes.forEach(function (node) {
        if (node.nodeType === Node.TEXT_NODE && node.nodeValue.trim()) {
          var done = translate(node.nodeValue);
          if (done !== node.nodeValue) { node.nodeValue = done; }
        }
      });
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () { fix(document); }).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label"],
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();

// qaportal: small behaviour on top of GOV.UK Frontend, MOJ Frontend and htmx.
// Loaded with "defer" after frontend.js (a module script) in base.html, which sets
// window.QAPortal.initFrontend.
(function () {
  "use strict";

  // Content that htmx swaps in needs its GOV.UK and MOJ components started too.
  // htmx fires htmx:load on each new element, and once on <body> at start-up,
  // which frontend.js has already initialised.
  document.addEventListener("htmx:load", function (event) {
    var element = event.target;
    if (element === document.body || !(element instanceof Element)) {
      return;
    }
    if (window.QAPortal && typeof window.QAPortal.initFrontend === "function") {
      window.QAPortal.initFrontend(element);
    }
  });
})();

/* "Print" links: window.print() needs a click; without JavaScript, browsers' own print works. */
document.addEventListener("click", function (event) {
  var link = event.target.closest ? event.target.closest("[data-print]") : null;
  if (!link) return;
  event.preventDefault();
  window.print();
});

// Starts GOV.UK Frontend and MOJ Frontend on the page, and gives qaportal.js
// window.QAPortal.initFrontend to start them on content htmx swaps in.
// Loaded by base.html with <script type="module" src>: the Content-Security-Policy
// allows no inline script. The imports are relative to this file (/static/js/).
import { initAll as initGovuk } from "../vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/moj-frontend/moj-frontend.min.js";

initGovuk();
initMoj();
window.QAPortal = Object.assign(window.QAPortal || {}, {
  initFrontend(scope) {
    initGovuk({ scope: scope });
    initMoj({ scope: scope });
  },
});

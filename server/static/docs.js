// The API page: Swagger UI (vendored from npm, server/vendor.py) on our OpenAPI description,
// inside the site's page (header, language switch, footer), started from this file rather than
// an inline script, so the page keeps the site's Content-Security-Policy.
// Swagger UI's widgets are then made to meet WCAG 2.1 AA (tests/e2e/test_accessibility.py):
// an operation's summary is a button that holds a link to the operation (nested controls), so
// the link becomes plain text: the button opens the operation and puts its name in the URL.
"use strict";
(function () {
  const config = JSON.parse(document.getElementById("docs-config").textContent);
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: config.url,
    domNode: root,
    validatorUrl: config.validatorUrl,
    deepLinking: true,
    layout: "BaseLayout",
    presets: [SwaggerUIBundle.presets.apis],
  });
  const mend = () => {
    for (const link of root.querySelectorAll(".opblock-summary-control a[href]")) {
      link.removeAttribute("href"); // the button opens the operation, and deep linking names it
    }
  };
  new MutationObserver(mend).observe(root, { childList: true, subtree: true });
})();

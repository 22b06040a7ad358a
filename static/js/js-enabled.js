// Runs first thing in <body>, before it paints: GOV.UK Frontend's CSS styles components
// for JavaScript only when <body> has these classes. A file, not inline: the
// Content-Security-Policy allows no inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");

/* Autosave with a copy on this device.
 *
 * htmx posts the form on change and a few seconds after typing stops (see the form's
 * hx-trigger). Everything typed is also kept in localStorage, with the revision it was
 * typed against, until the server has it: so a closed tab, a lost connection or an
 * ended session loses nothing. When the page opens again, text the server does not
 * have is put back and saved; if someone else changed the same answer meanwhile, the
 * server answers with a conflict instead of overwriting either version.
 *
 * The status line follows the field being filled in: on a long page the line at the
 * top would be out of sight, so it moves to just below the question in focus.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var key = form.getAttribute("data-autosave");
  var status = document.getElementById("autosave-status");

  function answerFields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && !el.disabled;
    });
  }

  function values() {
    var data = {};
    answerFields().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (!(el.name in data)) data[el.name] = "";
        if (el.checked) data[el.name] = el.value;
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function revisions() {
    var data = {};
    form.querySelectorAll("input[data-revision]").forEach(function (el) {
      data[el.getAttribute("data-revision")] = el.value;
    });
    return data;
  }

  function setValue(name, value) {
    answerFields().forEach(function (el) {
      if (el.name !== name) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === value;
      else el.value = value;
    });
  }

  function read() {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  function keep() {
    var saved = read();
    // Keep the revision the text was first typed against, not the latest one seen.
    var base = saved && saved.revisions ? saved.revisions : revisions();
    try {
      window.localStorage.setItem(key, JSON.stringify({ values: values(), revisions: base, at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server autosave still runs */ }
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function restore() {
    var saved = read();
    if (!saved || !saved.values) return;
    var current = values();
    var differs = Object.keys(saved.values).some(function (name) {
      return name in current && current[name] !== saved.values[name];
    });
    if (!differs) { window.localStorage.removeItem(key); return; }
    Object.keys(saved.values).forEach(function (name) { setValue(name, saved.values[name]); });
    Object.keys(saved.revisions || {}).forEach(function (field) {
      var input = form.querySelector('input[data-revision="' + field + '"]');
      if (input) input.value = saved.revisions[field];
    });
    if (status) status.textContent = "We put back text you typed that had not been saved. Saving it now.";
    if (window.htmx) window.htmx.trigger(form, "change");
  }

  form.addEventListener("input", keep);
  form.addEventListener("change", keep);

  function besideField(event) {
    if (!status || !event.target.name || event.target.type === "hidden") return;
    var group = event.target.closest(".govuk-form-group");
    if (!group || group.contains(status)) return;
    group.appendChild(status);
    status.classList.add("app-autosave--beside");
    keepInView();
  }

  // The status sits just below the field being typed in: scroll the least needed to keep
  // it on screen (a tall answer can push it below the window).
  function keepInView() {
    if (!status || !status.classList.contains("app-autosave--beside")) return;
    var box = status.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) status.scrollIntoView({ block: "nearest" });
  }
  form.addEventListener("focusin", besideField);

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== status) return;
    keepInView();
    status.querySelectorAll("[data-revision-update]").forEach(function (el) {
      var input = form.querySelector('input[data-revision="' + el.getAttribute("data-revision-update") + '"]');
      if (input) input.value = el.getAttribute("data-value");
    });
  });

  document.body.addEventListener("autosave-saved", function () {
    var saved = read();
    if (saved && same(saved.values, values())) window.localStorage.removeItem(key);
    else if (saved) { saved.revisions = revisions(); window.localStorage.setItem(key, JSON.stringify(saved)); }
  });

  // htmx starts listening to the form when the document has loaded; restoring earlier
  // would fire its "change" into nothing and leave the text unsaved.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { window.setTimeout(restore, 0); });
  } else {
    window.setTimeout(restore, 0);
  }
})();

// The admin's autocomplete boxes (select2) by the name of their field. Select2 hides the
// <select> that the label names and shows a box of its own, named after what is chosen (which
// is nothing at first): a screen reader would hear an unnamed field (axe aria-input-field-name).
// Boxes appear when the page is ready and when a row is added to a form (an inline), so every
// new box is named as it appears. A field sent with a mistake has its error on the hidden
// <select> (aria-invalid, aria-describedby): the box gets them too, so the error is read with
// the control a user operates. And where Django put the focus on the hidden <select> (the first
// field of an add page), it goes to the box, which shows where it is.
"use strict";
{
  const nameBox = (box) => {
    const container = box.querySelector(".select2-selection__rendered");
    const select = box.closest(".select2-container")?.previousElementSibling;
    if (!container || !select || !select.id) return;
    const label = document.querySelector(`label[for="${CSS.escape(select.id)}"]`);
    if (!label) return;
    if (!label.id) label.id = `${select.id}_label`;
    box.setAttribute("aria-labelledby", `${label.id} ${container.id}`);
    container.setAttribute("aria-labelledby", label.id);
    for (const name of ["aria-invalid", "aria-describedby"]) {
      const value = select.getAttribute(name);
      if (value) box.setAttribute(name, value);
    }
    box.dataset.named = "true";
    if (document.activeElement === select) box.focus();
  };
  const nameAll = () => {
    for (const box of document.querySelectorAll(".select2-selection[role=combobox]:not([data-named])")) {
      nameBox(box);
    }
  };
  new MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
}

// A form sent with mistakes starts with a summary (admin/includes/error_summary.html): it gets
// the focus, as on the product's pages, so a screen reader reads what went wrong first and a
// keyboard user starts from there (Django would focus the first field, here a hidden <select>).
// A line of the summary that links to an autocomplete field goes to its box.
{
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".error-summary a[href^='#']");
    if (!link) return;
    const field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field || !field.classList.contains("select2-hidden-accessible")) return;
    const box = field.nextElementSibling?.querySelector(".select2-selection");
    if (!box) return;
    event.preventDefault();
    box.scrollIntoView({ block: "center" });
    box.focus();
  });
}

// Django's note beside a date field that the browser's clock is in another time zone than
// Schoolzorg's ("Let op: vul tijden in zoals in de tijdzone Europe/Amsterdam"): a date has no
// time to fill in, so only a time field keeps it.
{
  const shortcuts = window.DateTimeShortcuts;
  if (shortcuts) {
    const addWarning = shortcuts.addTimezoneWarning;
    shortcuts.addTimezoneWarning = function (input) {
      if (input.classList.contains("vDateField")) return;
      addWarning.call(this, input);
    };
  }
}

// A field sent with a mistake is described by its own error list (`id_<field>_error`). Django's
// date widget points aria-describedby at its time-zone note only (which a date field no longer
// shows, above) and gives the error list to the hidden "initial-" copy of the field: the error
// would not be read with the field.
{
  for (const input of document.querySelectorAll("[aria-invalid=true][id]")) {
    const ids = (input.getAttribute("aria-describedby") || "")
      .split(/\s+/)
      .filter((id) => id && document.getElementById(id));
    const error = document.getElementById(`${input.id}_error`);
    if (error && !ids.includes(error.id)) ids.push(error.id);
    if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
    else input.removeAttribute("aria-describedby");
  }
}

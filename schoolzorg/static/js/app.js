// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("submit", (event) => {
  // Guard against a double click sending a form twice; the server guards as well.
  const form = event.target;
  if (form.dataset.submitted === "true" && !form.hasAttribute("data-allow-resubmit")) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "true";
  setTimeout(() => { form.dataset.submitted = "false"; }, 4000);
});

// After a passkey is added, show the account page again with the new passkey listed.
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());

// A form sent with mistakes comes back with an error summary at the top: give it focus, so a
// screen reader reads what went wrong first and a keyboard user starts from there.
function focusErrorSummary(scope) {
  const summary = scope.querySelector(".error-summary");
  if (summary) summary.focus();
}
focusErrorSummary(document);
// The same after htmx put a form's answer in place, but only after the form was sent: an
// autosave while typing must not move the focus away from the field.
document.addEventListener("htmx:afterSettle", (event) => {
  const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
  if (trigger && trigger.type === "submit") {
    focusErrorSummary(event.target.isConnected ? event.target : document);
    announceSaved();
  }
});

// A save that replaced a part of the page (an item of the care meeting) took the pressed button
// away, and the focus with it. The new part says what was saved (`data-saved`): read that out in
// the page's status line and put the focus on the part's heading, so a keyboard user goes on
// from there.
function announceSaved() {
  const saved = document.querySelector("[data-saved]");
  if (!saved) return;
  const text = saved.dataset.saved;
  saved.removeAttribute("data-saved");  // a later save elsewhere must not find this one
  const status = document.getElementById("opslag-melding");
  if (status) {
    // Emptied first: the same words twice in a row are read out again.
    status.textContent = "";
    setTimeout(() => { status.textContent = text; }, 100);
  }
  const part = saved.closest("article, section");
  const heading = part && part.querySelector("h2[tabindex], h3[tabindex]");
  if (heading) heading.focus();
}

// The buttons that move a care meeting along (held, close the minutes, cancel) load a new page.
// They send along what each item's minutes field shows: while some of it is not saved, the
// server moves nothing and shows the page again with that text, instead of losing it.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.hasAttribute("data-sends-minutes")) return;
  for (const copy of form.querySelectorAll("[data-copy]")) copy.remove();
  for (const field of document.querySelectorAll("form[data-minutes] [name]")) {
    if (!/^m\d+-(minutes|version)$/.test(field.name)) continue;
    const copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = field.name;
    copy.value = field.value;
    copy.dataset.copy = "";
    form.append(copy);
  }
});

// A part of a page asked for after the session ended gets a short text (401) instead of the
// login page: a status line (aria-live) shows it; elsewhere it shows above the page. Nothing
// on the page is replaced, so what was typed stays to be copied.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status !== 401) return;
  const target = event.detail.target;
  if (target && target.hasAttribute("aria-live")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
    return;
  }
  event.detail.shouldSwap = false;
  const main = document.querySelector("main");
  if (main && !main.querySelector(".session-ended")) {
    const note = document.createElement("div");
    note.className = "message message--warning session-ended";
    note.setAttribute("role", "alert");
    note.innerHTML = xhr.responseText; // our own server's fixed text (SIGN_IN_AGAIN_PART)
    main.prepend(note);
  }
});

// Leaving a page (a link, back, reload, closing the tab) while a form holds typed text that is
// not saved asks first, with the browser's own question. Typed text: a text, number or e-mail
// field or a text area (a date is often filled in by the page, and quick to choose again)
// whose text differs from what the page showed, until the form is sent, or until its htmx save
// came back without an error and nothing was typed meanwhile. A form the server shows again with
// text it did not keep (marked `data-unsaved`, a field marked invalid, a colleague's newer text
// beside it) counts while any of its text fields holds text. Sign-in forms never ask.
const TEXT_FIELDS = "textarea, input:not([type]), input[type=text], input[type=email], " +
  "input[type=tel], input[type=url], input[type=number]";
const SIGN_IN = "input[type=password], input[autocomplete=one-time-code]";
const SHOWN_UNSAVED = "form[data-unsaved], form:has([aria-invalid=true], .error-summary), " +
  "form:has(.current-text .message--warning)";
const savedByHtmx = new WeakSet();  // the form's text as it stands was saved
let sending = false;

function textForm(element) {
  const form = element && element.closest ? element.closest("form") : null;
  if (!form || form.method !== "post" || form.querySelector(SIGN_IN)) return null;
  return form.querySelector(TEXT_FIELDS) ? form : null;
}
function holdsUnsavedText(form) {
  if (savedByHtmx.has(form)) return false;
  const fields = [...form.querySelectorAll(TEXT_FIELDS)];
  if (form.matches(SHOWN_UNSAVED)) return fields.some((f) => f.value.trim() !== "");
  return fields.some((f) => f.value !== f.defaultValue);
}
document.addEventListener("input", (event) => {
  const form = textForm(event.target);
  if (!form) return;
  savedByHtmx.delete(form);
  form.dataset.changes = String(Number(form.dataset.changes || 0) + 1);
});
// A form sent the ordinary way loads a new page (htmx sends its forms after preventing that).
document.addEventListener("submit", (event) => {
  if (!event.defaultPrevented) sending = true;
});
// A save by htmx: remember how many changes it carried; afterwards the form's text counts as
// saved only if the answer had no error and nothing was typed meanwhile.
document.addEventListener("htmx:beforeRequest", (event) => {
  const form = textForm(event.detail.elt);
  if (form) form.dataset.sentChanges = form.dataset.changes || "0";
});
document.addEventListener("htmx:afterSettle", (event) => {
  const form = textForm(event.detail.elt);
  if (!form || !form.isConnected) return;
  const target = event.detail.target;
  const status = event.detail.xhr ? event.detail.xhr.status : 0;
  const failed = status < 200 || status > 299 ||
    (target && target.isConnected && target.querySelector(".error, [data-unsaved]"));
  if (!failed && form.dataset.sentChanges === (form.dataset.changes || "0")) savedByHtmx.add(form);
});
window.addEventListener("beforeunload", (event) => {
  if (sending) return;
  for (const form of document.querySelectorAll("form")) {
    if (textForm(form) && holdsUnsavedText(form)) {
      event.preventDefault();
      event.returnValue = "";
      return;
    }
  }
});
// Back from a page that was left (the browser may keep this one in memory): start afresh.
window.addEventListener("pageshow", () => { sending = false; });

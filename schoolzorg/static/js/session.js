// The warning before the idle limit (WCAG 2.2.1). Two minutes before the session ends, a dialog
// says so, with "Blijf ingelogd", which asks the server to start the limit afresh. When the time
// is up, the dialog says that the session ended and that what was typed on the page is not
// saved: it stays on the page to be copied, as after an htmx request that found the session
// ended (app.js). Every tab of the site shares one end time (localStorage): a click in one tab
// keeps the others signed in too, and their warnings close. Signing out in one tab ends the
// session of all of them: it leaves the time of signing out in localStorage too, and every page
// shown before then says at once that the user was signed out, so that its typed text is copied
// rather than sent to the login page.
"use strict";
{
  const dialog = document.getElementById("sessie-melding");
  const KEY = "schoolzorg-sessie-einde";
  const SIGNED_OUT_KEY = "schoolzorg-afgemeld";
  // The menu's "Uitloggen" and the admin's own sign-out form.
  const SIGN_OUT_FORMS = `form[action="${dialog.dataset.logoutUrl}"], form#logout-form`;
  const shownAt = Date.now();
  let signingOut = false; // this tab is leaving through its own sign-out form
  const seconds = (name) => Number(dialog.dataset[name]) * 1000;
  const hardEnd = Date.now() + seconds("hard"); // 12 hours after signing in: no button helps
  const warnBefore = seconds("warn");
  let ownEnd = 0;

  const storedEnd = () => {
    try { return Number(localStorage.getItem(KEY)) || 0; } catch { return 0; }
  };
  const end = () => Math.min(Math.max(ownEnd, storedEnd()), hardEnd);
  const setEnd = (at) => {
    ownEnd = at;
    try { localStorage.setItem(KEY, String(at)); } catch { /* private mode: this tab only */ }
  };
  setEnd(Date.now() + seconds("left")); // this page was just served: the freshest news
  // Compared with when this page was shown, not with the end time: signing in again in the
  // other tab starts a new end time, but this page's forms still carry the old session's token.
  const signedOutHere = () => {
    try { return Number(localStorage.getItem(SIGNED_OUT_KEY)) >= shownAt; } catch { return false; }
  };

  const parts = (state) => dialog.querySelectorAll(`[data-state="${state}"]`);
  const show = (state) => {
    for (const name of ["warning", "ended"]) for (const el of parts(name)) el.hidden = name !== state;
    const heading = dialog.querySelector(`[data-state="${state}"] h2`);
    const text = dialog.querySelector(`[data-state="${state}"] h2 + *`);
    heading.id = heading.id || `sessie-melding-${state}-titel`;
    text.id = text.id || `sessie-melding-${state}-tekst`;
    dialog.setAttribute("aria-labelledby", heading.id);
    dialog.setAttribute("aria-describedby", text.id);
    dialog.dataset.shown = state;
    if (!dialog.open) dialog.showModal();
    const first = dialog.querySelector(`[data-state="${state}"] .button`);
    if (first) first.focus();
  };
  const close = () => {
    if (dialog.open) dialog.close();
  };

  const ended = (signedOut) => {
    for (const el of parts("ended-idle")) el.hidden = signedOut;
    for (const el of parts("ended-signed-out")) el.hidden = !signedOut;
    show("ended");
  };

  const check = () => {
    const left = end() - Date.now();
    // Once ended it stays so: signing in again (in another tab) gives this page's forms a
    // stale CSRF token, so the page must be opened afresh.
    if (dialog.dataset.shown === "ended" || signingOut) return;
    if (signedOutHere()) {
      ended(true);
      return;
    }
    if (left <= 0) {
      ended(false);
      return;
    }
    if (left > warnBefore) {
      if (dialog.dataset.shown === "warning") close(); // another tab kept the session going
      dialog.dataset.shown = "";
      return;
    }
    if (dialog.dataset.shown) return; // shown already, or closed by the user: once per warning
    const hard = end() >= hardEnd;
    for (const el of parts("warning-idle")) el.hidden = hard;
    for (const el of parts("warning-hard")) el.hidden = !hard;
    dialog.querySelector('[data-action="keep"]').hidden = hard;
    const minutes = Math.max(1, Math.ceil(left / 60000));
    dialog.querySelector("[data-minutes]").textContent = minutes === 1 ? "1 minuut" : `${minutes} minuten`;
    show("warning");
  };

  const keep = async () => {
    const token = dialog.dataset.csrf || "";
    let answer = null;
    try {
      const response = await fetch(dialog.dataset.keepUrl, {
        method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": token },
      });
      if (response.ok) answer = await response.json();
    } catch { /* no connection: the dialog stays, the user may try again */ return; }
    if (!answer || !answer.ingelogd) {
      setEnd(Date.now() - 1);
      ended(signedOutHere());
      return;
    }
    setEnd(Date.now() + answer.seconden * 1000);
    close();
    dialog.dataset.shown = "";
  };

  dialog.addEventListener("click", (event) => {
    const action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "keep") keep();
    else close();
  });
  // Escape closes the dialog as "Sluiten" does; the time keeps running.
  dialog.addEventListener("close", () => { if (dialog.dataset.shown === "warning") dialog.dataset.shown = "closed"; });
  // An htmx save is a request too: the session runs at least this long from now.
  document.addEventListener("htmx:afterRequest", (event) => {
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status >= 200 && status < 400) setEnd(Math.max(end(), Date.now() + seconds("renewed")));
  });
  document.addEventListener("submit", (event) => {
    if (event.defaultPrevented || !event.target.matches(SIGN_OUT_FORMS)) return;
    signingOut = true;
    try { localStorage.setItem(SIGNED_OUT_KEY, String(Date.now())); } catch { /* this tab only */ }
  });
  // Back to this page after signing out in it (the browser may have kept it in memory).
  window.addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    signingOut = false;
    check();
  });
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === SIGNED_OUT_KEY) check();
  });
  document.addEventListener("visibilitychange", check);
  // Timers of a tab in the background run late: look often, and again when it comes back.
  setInterval(check, 5000);
  check();
}

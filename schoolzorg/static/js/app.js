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

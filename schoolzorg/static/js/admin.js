// The admin's autocomplete boxes (select2) by the name of their field. Select2 hides the
// <select> that the label names and shows a box of its own, named after what is chosen (which
// is nothing at first): a screen reader would hear an unnamed field (axe aria-input-field-name).
// Boxes appear when the page is ready and when a row is added to a form (an inline), so every
// new box is named as it appears.
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
    box.dataset.named = "true";
  };
  const nameAll = () => {
    for (const box of document.querySelectorAll(".select2-selection[role=combobox]:not([data-named])")) {
      nameBox(box);
    }
  };
  new MutationObserver(nameAll).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", nameAll);
}

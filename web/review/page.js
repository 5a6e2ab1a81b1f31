// Behaviour every review page shares. Loaded as a module from /review/assets (the CSP allows no inline script).

// Forms that redo work (re-run extraction) ask first; the question is in the form's data-confirm, already translated.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});

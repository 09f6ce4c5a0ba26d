// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  // Keep the active tab of the assessment page in the URL hash so a reload returns to it.
  var hash = window.location.hash;
  if (hash && document.querySelector('[data-bs-target="' + hash + '"]')) {
    var trigger = document.querySelector('[data-bs-target="' + hash + '"]');
    if (window.bootstrap) { window.bootstrap.Tab.getOrCreateInstance(trigger).show(); }
  }
  document.querySelectorAll('[data-bs-toggle="tab"]').forEach(function (el) {
    el.addEventListener("shown.bs.tab", function (event) {
      history.replaceState(null, "", event.target.getAttribute("data-bs-target"));
    });
  });
});

// Lifting tasks: when the units change, relabel the measurements (cm <-> in, kg <-> lb).
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.name || !/-units$/.test(select.name)) { return; }
  var form = select.closest("form");
  if (!form) { return; }
  var us = select.value === "us";
  form.querySelectorAll("label").forEach(function (label) {
    label.childNodes.forEach(function (node) {
      if (node.nodeType !== Node.TEXT_NODE) { return; }
      node.textContent = us
        ? node.textContent.replace("(cm)", "(in)").replace("(kg)", "(lb)")
        : node.textContent.replace("(in)", "(cm)").replace("(lb)", "(kg)");
    });
  });
});

// Forms marked data-busy (completing an assessment) take a moment: once submitted, the
// button says what is happening, shows a spinner and cannot be pressed again, and the
// form's status line appears. A second submit of the same form is ignored.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-busy")) { return; }
  if (form.getAttribute("aria-busy") === "true") { event.preventDefault(); return; }
  form.setAttribute("aria-busy", "true");
  form.querySelectorAll("button[type=submit][data-busy-label]").forEach(function (button) {
    var spinner = document.createElement("span");
    spinner.className = "spinner-border spinner-border-sm me-2";
    spinner.setAttribute("aria-hidden", "true");
    button.setAttribute("data-idle-label", button.textContent);
    button.replaceChildren(spinner, document.createTextNode(button.getAttribute("data-busy-label")));
    button.disabled = true;
  });
  form.querySelectorAll("[data-busy-status]").forEach(function (status) { status.hidden = false; });
});

// Coming back to such a page through the browser's history shows it as it was left
// (the back-forward cache): make its form usable again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) { return; }
  document.querySelectorAll("form[data-busy][aria-busy=true]").forEach(function (form) {
    form.removeAttribute("aria-busy");
    form.querySelectorAll("button[data-idle-label]").forEach(function (button) {
      button.textContent = button.getAttribute("data-idle-label");
      button.disabled = false;
    });
    form.querySelectorAll("[data-busy-status]").forEach(function (status) { status.hidden = true; });
  });
});

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

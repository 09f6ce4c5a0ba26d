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

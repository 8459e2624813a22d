// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // A second click on a submit button while the first is in flight does nothing. The server
  // also refuses to post twice (idempotency token), so this only saves a round trip.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitting === "1") { event.preventDefault(); return; }
    form.dataset.submitting = "1";
    window.setTimeout(function () { form.dataset.submitting = ""; }, 8000);
  });
})();

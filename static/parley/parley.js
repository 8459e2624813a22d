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

  // Compose page: say "already discussed" as soon as a link is typed or pasted. The server
  // says the same on submit, so this is only earlier.
  var notices = document.getElementById("compose-notices");
  var editor = document.querySelector("#start-thread-form textarea[name=source]");
  if (notices && editor) {
    var checked = {};
    var timer = null;
    var urlPattern = /https?:\/\/[^\s\[\]<>"']+/g;
    var check = function () {
      var urls = editor.value.match(urlPattern) || [];
      urls.forEach(function (url) {
        url = url.replace(/[.,;:!?)]+$/, "");
        if (checked[url]) { return; }
        checked[url] = true;
        fetch(notices.dataset.checkUrl + "?url=" + encodeURIComponent(url), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { notices: [] }; })
          .then(function (data) {
            (data.notices || []).forEach(function (html) {
              var box = document.createElement("div");
              box.innerHTML = html; // built and escaped by the server (format_html)
              var link = box.querySelector("a");
              // The server may have shown this notice already (after a first submit).
              if (link && notices.querySelector('a[href="' + link.getAttribute("href") + '"]')) { return; }
              box.className = "notice already-discussed";
              box.setAttribute("role", "status");
              notices.appendChild(box);
            });
          })
          .catch(function () {});
      });
    };
    editor.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, 400);
    });
    check();
  }

  // Thread page: posts whose link previews are still being fetched are polled, and their
  // body is replaced by the re-cooked (server-sanitized) HTML when the card is ready.
  var posts = document.querySelector(".posts[data-pending-previews]");
  if (posts && posts.dataset.pendingPreviews.trim()) {
    var stateUrl = posts.dataset.stateUrl;
    posts.dataset.pendingPreviews.trim().split(/\s+/).forEach(function (id) {
      var tries = 0;
      var poll = function () {
        tries += 1;
        fetch(stateUrl.replace(/0\.json$/, id + ".json"), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            var body = document.querySelector("#post-" + id + " .post-body");
            if (!data.pending) {
              if (body) { body.innerHTML = data.html; body.classList.add("previews-ready"); }
            } else if (tries < 40) {
              window.setTimeout(poll, Math.min(500 * tries, 3000));
            }
          })
          .catch(function () {});
      };
      window.setTimeout(poll, 700);
    });
  }
})();

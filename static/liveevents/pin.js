// Live-event threads (docs/liveevents.md): for the starter and moderators, a "Pin" link on
// each post of the page, to the pin form filled in with that post. Without this file the
// panel's "Pin a post" form takes the post's link or id.
(function () {
  "use strict";
  var link = document.querySelector("[data-pin-url]");
  if (!link) { return; }
  var base = link.getAttribute("data-pin-url");
  document.querySelectorAll("article.post[data-post-id]").forEach(function (post) {
    var actions = post.querySelector(".post-actions .actions");
    if (!actions || post.classList.contains("post-deleted") || post.classList.contains("post-pending")) { return; }
    var pin = document.createElement("a");
    pin.className = "pin-link";
    pin.href = base + "?post=" + encodeURIComponent(post.getAttribute("data-post-id"));
    pin.textContent = "Pin to timeline";
    actions.appendChild(pin);
  });
})();

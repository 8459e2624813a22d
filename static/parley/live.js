// Live updates (docs/live.md): one server-sent-event stream per page, to the live server.
// Messages carry ids only (poll results aside, sent only to readers who may see them); what
// a reader may see is fetched from the forum itself, so the usual permission checks apply. Every page works without this file (reload shows the same).
(function () {
  "use strict";

  var body = document.body;
  var posts = document.querySelector(".posts[data-live-thread]");
  var forumBox = document.querySelector("[data-live-forum]");
  var member = body.dataset.liveMember;
  var hasAlertCount = document.querySelector("[data-alert-count]") !== null;
  if (!window.EventSource || !(posts || forumBox || (member && hasAlertCount))) { return; }
  // No live server configured (PARLEY_LIVE_PORT=0 and no PARLEY_LIVE_URL): nothing to do.
  if (!body.dataset.liveUrl && !(Number(body.dataset.livePort) > 0)) { return; }

  var root = document.documentElement;
  var lastId = 0;
  var delay = 1000;
  var newReplies = [];
  var fetching = {};

  function streamUrl() {
    var base = body.dataset.liveUrl ||
      location.protocol + "//" + location.hostname + ":" + body.dataset.livePort + "/live/";
    if (base.charAt(base.length - 1) !== "/") { base += "/"; }
    var params = [];
    if (posts) { params.push("thread=" + encodeURIComponent(posts.dataset.liveThread)); }
    if (forumBox) { params.push("forum=" + encodeURIComponent(forumBox.dataset.liveForum)); }
    if (member && hasAlertCount) { params.push("member=" + encodeURIComponent(member)); }
    if (lastId) { params.push("last=" + lastId); }
    return base + "stream?" + params.join("&");
  }

  // A notice above (forum) or below (thread) the content, made once and updated after.
  function notice(key, html) {
    var box = document.querySelector('.live-notice[data-key="' + key + '"]');
    if (!box) {
      box = document.createElement("p");
      box.className = "notice live-notice";
      box.setAttribute("role", "status");
      box.dataset.key = key;
      if (posts) { posts.parentNode.insertBefore(box, posts.nextSibling); }
      else if (forumBox) { forumBox.appendChild(box); }
      else { return; }
    }
    box.innerHTML = html; // only our own fixed text and numeric ids
  }

  function postUrl(id) {
    return posts.dataset.fragmentUrl.replace(/\/0\/fragment\/$/, "/" + id + "/");
  }

  // Fetch one post as this reader sees it and put it in place (or add it at the end).
  function showPost(id, add) {
    if (fetching[id]) { fetching[id] = "again"; return; }
    fetching[id] = true;
    var url = posts.dataset.fragmentUrl.replace(/\/0\/fragment\/$/, "/" + id + "/fragment/");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : (r.status === 404 ? "" : null); })
      .then(function (html) {
        var current = document.getElementById("post-" + id);
        if (html === "") { if (current) { current.remove(); } return; }
        if (html === null) { return; }
        var holder = document.createElement("template");
        holder.innerHTML = html; // rendered and sanitized by the server
        var article = holder.content.querySelector("article.post");
        if (!article) { return; }
        if (current) { current.replaceWith(article); }
        else if (add) { article.classList.add("live-arrived"); posts.appendChild(article); }
      })
      .catch(function () {})
      .then(function () {
        var again = fetching[id] === "again";
        delete fetching[id];
        if (again) { showPost(id, add); }
      });
  }

  // A vote's new counts, as the server computed them (percentages included, so they match
  // a reload). Only the readers who may see results receive them (docs/live.md); a message
  // older than what the page shows (its revision) is ignored.
  function showPollResults(data) {
    var box = document.getElementById("poll");
    if (!box || Number(box.dataset.pollId) !== Number(data.poll_id)) { return; }
    var revision = Number(data.revision) || 0;
    if (revision <= (Number(box.dataset.pollRevision) || 0)) { return; }
    box.dataset.pollRevision = String(revision);
    var voters = Number(data.voters) || 0;
    var meta = box.querySelector(".poll-voters");
    if (meta) { meta.textContent = voters + " voter" + (voters === 1 ? "" : "s"); }
    (data.options || []).forEach(function (option) {
      var row = box.querySelector('.poll-result[data-option="' + Number(option.id) + '"]');
      if (!row) { return; }
      var percent = Number(option.percent) || 0;
      var bar = row.querySelector("progress.poll-bar");
      if (bar) { bar.value = percent; }
      var count = row.querySelector(".poll-count");
      if (count) { count.textContent = (Number(option.votes) || 0) + " (" + percent + "%)"; }
    });
  }

  function onThread(name, data) {
    var id = data.post_id;
    var here = id && document.getElementById("post-" + id);
    if (name === "post.created") {
      if (here || posts.hasAttribute("data-last-page")) { showPost(id, true); return; }
      if (newReplies.indexOf(id) === -1) { newReplies.push(id); }
      var n = newReplies.length;
      notice("replies", '<a href="' + postUrl(newReplies[0]) + '">' + n + " new repl" +
        (n === 1 ? "y" : "ies") + "</a>");
    } else if (name === "post.moved") {
      if (data.from_thread_id) {
        (data.post_ids || []).forEach(function (pid) {
          var gone = document.getElementById("post-" + pid);
          if (gone) { gone.remove(); }
        });
        notice("moved", 'Posts were moved to <a href="/threads/' + Number(data.thread_id) +
          '/">another thread</a>.');
      } else {
        notice("moved", 'Posts were moved into this thread. <a href="">Reload</a> to see them.');
      }
    } else if ((name === "post.deleted" || name === "post.restored") && data.whole_thread) {
      notice("thread", 'This thread was changed by a moderator. <a href="">Reload</a>.');
    } else if (name === "timeline.changed") {
      notice("timeline", data.next_thread_id ? 'This live thread continues in <a href="/threads/' +
        Number(data.next_thread_id) + '/">its next part</a>.' :
        'The timeline of key developments changed. <a href="">Reload</a> to see it.');
    } else if (name === "poll.results") {
      showPollResults(data);
    } else if (here) {
      showPost(id, false); // edited, deleted, restored, reactions, link cards
    }
  }

  function handle(event) {
    var data;
    try { data = JSON.parse(event.data); } catch (e) { return; }
    var id = parseInt(event.lastEventId, 10);
    if (id > lastId) { lastId = id; }
    var channel = String(data.channel || "");
    if (event.type === "alerts.count") {
      document.querySelectorAll("[data-alert-count]").forEach(function (el) {
        var n = Number(data.count) || 0;
        el.textContent = String(n);
        el.hidden = n === 0;
      });
    } else if (posts && (channel === "thread:" + posts.dataset.liveThread ||
        channel === "results:" + posts.dataset.liveThread)) {
      onThread(event.type, data);
    } else if (forumBox && channel.indexOf("forum:") === 0) {
      notice("forum", 'New activity in this forum. <a href="">Reload</a> to see it.');
    }
  }

  var EVENTS = ["post.created", "post.edited", "post.deleted", "post.restored", "post.moved",
    "post.previews", "reaction.set", "reaction.removed", "thread.activity", "alerts.count",
    "timeline.changed", "poll.results"];

  function connect() {
    var source = new EventSource(streamUrl(), { withCredentials: true });
    EVENTS.forEach(function (name) { source.addEventListener(name, handle); });
    source.addEventListener("live.gap", function () {
      notice("gap", 'Some updates were missed. <a href="">Reload</a> to catch up.');
    });
    source.onopen = function () { delay = 1000; root.dataset.live = "open"; };
    source.onerror = function () {
      // Our own back-off (the browser's retries every 3 s for ever): 1 s, 2 s, 4 s … 60 s,
      // resuming from the last message seen.
      source.close();
      root.dataset.live = "waiting";
      window.setTimeout(connect, delay + Math.random() * delay / 2);
      delay = Math.min(delay * 2, 60000);
    };
  }
  connect();
})();

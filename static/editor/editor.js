// The editor (docs/editor.md): toolbar, live preview, drafts saved while typing and on
// leaving, Ctrl/Cmd+Enter to post, and multi-quote. Every part has a no-JavaScript path
// (Preview and Save draft buttons, the Quote link); this file only makes them quicker.
//
// The toolbar's Attach button fires `parley:attach` on document, for the attachments
// feature to open its picker:
//   document.addEventListener("parley:attach", function (e) {
//     e.detail.textarea;      // the message box
//     e.detail.format;        // "bbcode" or "markdown"
//     e.detail.insert(text);  // puts text at the caret (as the toolbar does)
//     e.preventDefault();     // "handled": the toolbar then says nothing
//   });
(function () {
  "use strict";

  var QUOTES_KEY = "parley:multiquote";
  var SAVE_EVERY_MS = 5000;
  var PREVIEW_AFTER_MS = 600;

  // --- syntax of each toolbar action, per format -------------------------------------------

  function lines(text, fallback) {
    return (text || fallback).split("\n").filter(function (l) { return l.trim() !== ""; });
  }

  // Each returns [before, middle, after]: `middle` is selected afterwards, so a placeholder
  // ("https://", "bold text") can be typed over at once.
  var SYNTAX = {
    bbcode: {
      bold: function (s) { return ["[b]", s || "bold text", "[/b]"]; },
      italic: function (s) { return ["[i]", s || "italic text", "[/i]"]; },
      link: function (s) { return ["[url=", "https://", "]" + (s || "link text") + "[/url]"]; },
      quote: function (s) { return ["[quote]\n", s || "quoted text", "\n[/quote]\n"]; },
      list: function (s) {
        return ["[list]\n", lines(s, "item").map(function (l) { return "[*]" + l; }).join("\n"), "\n[/list]\n"];
      },
      image: function (s) { return ["[img]", /^https?:\/\//.test(s) ? s : "https://", "[/img]"]; },
      spoiler: function (s) { return ["[spoiler]", s || "hidden text", "[/spoiler]"]; },
      code: function (s) { return ["[code]", s || "code", "[/code]"]; }
    },
    markdown: {
      bold: function (s) { return ["**", s || "bold text", "**"]; },
      italic: function (s) { return ["_", s || "italic text", "_"]; },
      link: function (s) { return ["[" + (s || "link text") + "](", "https://", ")"]; },
      quote: function (s) {
        return ["", lines(s, "quoted text").map(function (l) { return "> " + l; }).join("\n"), "\n\n"];
      },
      list: function (s) {
        return ["", lines(s, "item").map(function (l) { return "- " + l; }).join("\n"), "\n\n"];
      },
      image: function (s) { return ["![" + (s || "description") + "](", "https://", ")"]; },
      // Markdown posts understand the BBCode spoiler block (as they do quotes).
      spoiler: function (s) { return ["[spoiler]", s || "hidden text", "[/spoiler]"]; },
      code: function (s) {
        return s.indexOf("\n") >= 0 ? ["```\n", s, "\n```\n"] : ["`", s || "code", "`"];
      }
    }
  };

  function csrf(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(url, form, fields) {
    var body = new FormData();
    body.append("csrfmiddlewaretoken", csrf(form));
    Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
    return fetch(url, { method: "POST", body: body, credentials: "same-origin" });
  }

  // Put text in place of the selection, keeping the browser's undo where it can.
  function insertAt(textarea, start, end, text) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done || textarea.value.substring(start, start + text.length) !== text) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  // --- multi-quote: the collected list lives in localStorage, across pages and tabs ---------

  function loadQuotes() {
    try {
      var list = JSON.parse(window.localStorage.getItem(QUOTES_KEY) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) { return []; }
  }

  function storeQuotes(list) {
    try { window.localStorage.setItem(QUOTES_KEY, JSON.stringify(list)); } catch (e) { /* private mode */ }
    refreshQuoteControls();
  }

  function refreshQuoteControls() {
    var list = loadQuotes();
    document.querySelectorAll("[data-multi-quote]").forEach(function (button) {
      var id = Number(button.dataset.multiQuote);
      var chosen = list.some(function (q) { return q.post === id; });
      button.hidden = false;
      button.setAttribute("aria-pressed", chosen ? "true" : "false");
      button.textContent = chosen ? "− Quote" : "+ Quote";
      button.title = chosen ? "Remove from the quotes to insert" : "Collect this post (or the part you selected) to quote it";
    });
    document.querySelectorAll("[data-insert-quotes]").forEach(function (button) {
      button.hidden = list.length === 0;
      button.querySelector("[data-quote-count]").textContent = String(list.length);
    });
  }

  function selectionIn(element) {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed || !sel.rangeCount) { return ""; }
    var range = sel.getRangeAt(0);
    if (!element.contains(range.commonAncestorContainer)) { return ""; }
    return sel.toString().trim();
  }

  function setUpMultiQuote() {
    var pending = {};  // the selection as it was when the pointer went down on a button
    document.querySelectorAll("[data-multi-quote]").forEach(function (button) {
      var article = button.closest("article");
      var body = article && article.querySelector(".post-body");
      var grab = function () { pending[button.dataset.multiQuote] = body ? selectionIn(body) : ""; };
      button.addEventListener("pointerdown", grab);
      button.addEventListener("click", function () {
        var id = Number(button.dataset.multiQuote);
        var part = pending[button.dataset.multiQuote];
        if (part === undefined && body) { part = selectionIn(body); }
        delete pending[button.dataset.multiQuote];
        var list = loadQuotes();
        var at = list.findIndex(function (q) { return q.post === id; });
        if (at >= 0 && !part) { list.splice(at, 1); }  // a second click takes it back
        else if (at >= 0) { list[at].text = part; }
        else { list.push({ post: id, text: part || "" }); }
        storeQuotes(list);
      });
    });
    window.addEventListener("storage", function (e) { if (e.key === QUOTES_KEY) { refreshQuoteControls(); } });
    refreshQuoteControls();
  }

  // --- one editor ---------------------------------------------------------------------------

  function setUpEditor(box) {
    var form = box.closest("form");
    var textarea = box.querySelector("textarea");
    if (!form || !textarea) { return; }
    var formatField = form.querySelector("[name=format]");
    var titleField = form.querySelector("input[name=title]");
    var tokenField = form.querySelector("input[name=token]");
    var status = box.querySelector("[data-editor-status]");
    var pane = box.querySelector("[data-preview]");
    var paneBody = box.querySelector("[data-preview-body]");
    var toolbar = box.querySelector(".editor-toolbar");
    var format = function () { return formatField && formatField.value === "markdown" ? "markdown" : "bbcode"; };
    var say = function (text) { if (status) { status.textContent = text; } };

    // Toolbar.
    toolbar.hidden = false;
    var apply = function (action) {
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      var parts = SYNTAX[format()][action](textarea.value.substring(start, end));
      insertAt(textarea, start, end, parts.join(""));
      var from = start + parts[0].length;
      textarea.setSelectionRange(from, from + parts[1].length);
    };
    var insertHere = function (text) {
      insertAt(textarea, textarea.selectionStart, textarea.selectionEnd, text);
    };
    toolbar.addEventListener("click", function (e) {
      var button = e.target.closest("button");
      if (!button) { return; }
      if (button.dataset.wrap) { apply(button.dataset.wrap); }
      else if (button.hasAttribute("data-attach")) {
        var event = new CustomEvent("parley:attach", {
          cancelable: true,
          detail: { textarea: textarea, format: format(), insert: insertHere }
        });
        if (document.dispatchEvent(event)) { say("Attachments are not available here yet."); }
      } else if (button.hasAttribute("data-insert-quotes")) { insertQuotes(); }
    });

    // Keys: Ctrl/Cmd+Enter posts; Ctrl/Cmd+B, I, K format.
    var submitButton = form.querySelector("button.primary[type=submit]");
    textarea.addEventListener("keydown", function (e) {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) { return; }
      if (e.key === "Enter") {
        e.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(submitButton || undefined); } else { form.submit(); }
        return;
      }
      var action = { b: "bold", i: "italic", k: "link" }[e.key.toLowerCase()];
      if (action && !e.shiftKey) { e.preventDefault(); apply(action); }
    });

    // Live preview, cooked by the server.
    var previewTimer = null, previewSeq = 0;
    var previewNow = function () {
      window.clearTimeout(previewTimer);
      if (!textarea.value.trim()) { pane.hidden = true; paneBody.innerHTML = ""; return Promise.resolve(); }
      var seq = ++previewSeq;
      return post(box.dataset.previewUrl, form, {
        source: textarea.value, format: format(), token: tokenField ? tokenField.value : ""
      })
        .then(function (r) { return r.json().then(function (data) { return [r.ok, data]; }); })
        .then(function (answer) {
          if (seq !== previewSeq) { return; }  // a newer preview is on its way
          pane.hidden = false;
          paneBody.className = "post-body format-" + format();
          if (answer[0]) { paneBody.innerHTML = answer[1].html; }  // sanitized by the cooker
          else { paneBody.textContent = answer[1].error || "The preview is not available."; }
        })
        .catch(function () {});
    };
    var schedulePreview = function () {
      window.clearTimeout(previewTimer);
      previewTimer = window.setTimeout(previewNow, PREVIEW_AFTER_MS);
    };
    var previewButton = form.querySelector("[data-preview-button]");
    if (previewButton) {
      previewButton.addEventListener("click", function (e) {
        e.preventDefault();
        previewNow().then(function () { if (!pane.hidden) { pane.scrollIntoView({ block: "nearest" }); } });
      });
    }

    // Drafts: saved a few seconds after typing and when the page is left.
    var draftUrl = box.dataset.draftUrl;
    var dirty = false, posting = false, saving = false;
    var draftFields = function () {
      return {
        js: "1", source: textarea.value, format: format(),
        title: titleField ? titleField.value : "", token: tokenField ? tokenField.value : ""
      };
    };
    var saveDraft = function () {
      if (!draftUrl || !dirty || saving || posting) { return Promise.resolve(); }
      dirty = false; saving = true;
      return post(draftUrl, form, draftFields())
        .then(function (r) {
          if (r.ok) {
            say("Draft saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
          } else if (r.status === 429 || r.status >= 500) {
            dirty = true;  // try again at the next tick
          } else {
            // Refused (too long, not allowed here): say so; the next change tries again.
            return r.json().then(function (data) { say("Draft not saved: " + (data.error || "refused") + " Your text is still here."); },
              function () { say("Draft not saved. Your text is still here."); });
          }
        })
        .catch(function () { dirty = true; })
        .then(function () { saving = false; });
    };
    var beacon = function () {
      if (!draftUrl || !dirty || posting || !navigator.sendBeacon) { return; }
      var body = new FormData();
      body.append("csrfmiddlewaretoken", csrf(form));
      var fields = draftFields();
      Object.keys(fields).forEach(function (k) { body.append(k, fields[k]); });
      if (navigator.sendBeacon(draftUrl, body)) { dirty = false; }
    };
    if (draftUrl) {
      window.setInterval(saveDraft, SAVE_EVERY_MS);
      document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") { beacon(); } });
      window.addEventListener("pagehide", beacon);
      var saveButton = form.querySelector("[data-save-draft]");
      if (saveButton) {
        saveButton.addEventListener("click", function (e) {
          e.preventDefault();
          dirty = true;
          saveDraft();
        });
      }
    }
    form.addEventListener("submit", function (e) {
      // Posting: the server clears the draft with the post, so nothing may save it again.
      var via = e.submitter;
      if (!via || !(via.hasAttribute("data-preview-button") || via.hasAttribute("data-save-draft"))) { posting = true; }
    });

    var changed = function () { dirty = true; schedulePreview(); };
    textarea.addEventListener("input", changed);
    if (titleField) { titleField.addEventListener("input", function () { dirty = true; }); }
    if (formatField) { formatField.addEventListener("change", changed); }
    if (textarea.value.trim() && pane.hidden) { schedulePreview(); }

    // Insert the collected quotes, built by the server (only posts this member may read).
    var insertQuotes = function () {
      var list = loadQuotes();
      if (!list.length || !box.dataset.quotesUrl) { return; }
      post(box.dataset.quotesUrl, form, { quotes: JSON.stringify(list), format: format() })
        .then(function (r) { return r.json().then(function (data) { return [r.ok, data]; }); })
        .then(function (answer) {
          var data = answer[1];
          if (!answer[0]) { say(data.error || "The quotes could not be inserted."); return; }
          var before = textarea.value.substring(0, textarea.selectionStart);
          var gap = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
          if (data.text) { insertHere(gap + data.text); }
          var n = data.quoted.length;
          say("Inserted " + n + " quote" + (n === 1 ? "" : "s") +
            (data.skipped.length ? "; " + data.skipped.length + " could not be quoted." : "."));
          storeQuotes([]);
        })
        .catch(function () { say("The quotes could not be inserted; try again."); });
    };
  }

  document.querySelectorAll("[data-editor]").forEach(setUpEditor);
  setUpMultiQuote();
})();

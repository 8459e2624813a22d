// Attach files to a post from its editor: the "Attach files" button, files dropped on the
// message box, or a picture pasted into it. Each file is uploaded at once (to
// /attachments/upload/, with the form's token so the post written with this form takes it);
// a picture's [attach=ID] goes where the cursor is. The box is hidden without JavaScript.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart, end = textarea.selectionEnd;
    var before = textarea.value.slice(0, start), after = textarea.value.slice(end);
    var pad = before && !/\s$/.test(before) ? "\n" : "";
    textarea.value = before + pad + text + "\n" + after;
    var caret = (before + pad + text + "\n").length;
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function setUp(box) {
    var textarea = document.getElementById(box.dataset.attachFor);
    var form = box.closest("form");
    if (!textarea || !form || box.dataset.attachReady) return;
    box.dataset.attachReady = "1";
    box.hidden = false;
    var plain = form.querySelector("[data-attach-nojs]");
    if (plain) { plain.hidden = true; }  // the button, drop and paste take over
    var input = box.querySelector(".attach-input");
    var list = box.querySelector(".attach-list");

    function row(text, cls) {
      var li = document.createElement("li");
      li.className = cls || "";
      li.textContent = text;
      list.appendChild(li);
      return li;
    }

    function upload(file) {
      var tokenInput = form.querySelector("input[name=token]");
      var li = row("Uploading " + (file.name || "picture") + "…", "uploading");
      var data = new FormData();
      data.append("file", file, file.name || "pasted.png");
      data.append("form_key", tokenInput ? tokenInput.value : "");
      fetch(box.dataset.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form), Accept: "application/json" },
      })
        .then(function (response) {
          return response
            .json()
            .catch(function () {
              return { error: response.status === 413 ? "This file is too large." : "The upload failed." };
            })
            .then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (result) {
          if (!result.ok) {
            li.className = "attach-error";
            li.setAttribute("role", "alert");
            li.textContent = (file.name || "picture") + ": " + (result.body.error || "the upload failed.");
            return;
          }
          var a = result.body;
          li.className = "attached";
          li.textContent = "";
          if (a.thumb_url) {
            var img = document.createElement("img");
            img.src = a.thumb_url;
            img.alt = "";
            img.className = "attach-thumb";
            li.appendChild(img);
          }
          li.appendChild(document.createTextNode(" " + a.name + " "));
          var code = document.createElement("code");
          code.textContent = a.insert;
          li.appendChild(code);
          if (a.is_image) insertAtCursor(textarea, a.insert);
        })
        .catch(function () {
          li.className = "attach-error";
          li.textContent = (file.name || "picture") + ": the upload failed; try again.";
        });
    }

    function uploadAll(files) {
      for (var i = 0; i < files.length; i++) upload(files[i]);
    }

    box.querySelector(".attach-button").addEventListener("click", function () { input.click(); });
    input.addEventListener("change", function () {
      uploadAll(input.files);
      input.value = "";
    });
    textarea.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
        textarea.classList.add("drop-target");
      }
    });
    textarea.addEventListener("dragleave", function () { textarea.classList.remove("drop-target"); });
    textarea.addEventListener("drop", function (event) {
      textarea.classList.remove("drop-target");
      if (event.dataTransfer && event.dataTransfer.files.length) {
        event.preventDefault();
        uploadAll(event.dataTransfer.files);
      }
    });
    textarea.addEventListener("paste", function (event) {
      var items = (event.clipboardData && event.clipboardData.items) || [];
      var files = [];
      for (var i = 0; i < items.length; i++) {
        if (items[i].kind === "file") {
          var file = items[i].getAsFile();
          if (file) files.push(file);
        }
      }
      if (files.length) {
        event.preventDefault(); // the picture, not its file name as text
        uploadAll(files);
      }
    });
  }

  function setUpAll() {
    document.querySelectorAll("[data-attach-for]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUpAll);
  else setUpAll();
})();

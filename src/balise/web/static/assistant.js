// Progressive enhancement of the assistant forms: the answer appears as it is written.
// Without this script the form posts normally and the page shows the full result.
// Streamed text is inserted with textContent only; the final result is HTML rendered and escaped
// by the server's templates, so no text from a model or a document is ever interpreted as markup.
(function () {
  "use strict";

  function parseEvents(buffer, onEvent) {
    var parts = buffer.split("\n\n");
    var rest = parts.pop();
    parts.forEach(function (block) {
      var name = "message";
      var data = "";
      block.split("\n").forEach(function (line) {
        if (line.indexOf("event: ") === 0) { name = line.slice(7); }
        else if (line.indexOf("data: ") === 0) { data += line.slice(6); }
      });
      if (data) { onEvent(name, JSON.parse(data)); }
    });
    return rest;
  }

  function showError(form, message) {
    var box = document.createElement("div");
    box.className = "error-box";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = message;
    box.appendChild(p);
    replaceOutcome(form, box);
  }

  function replaceOutcome(form, node) {
    var old = document.getElementById("assistant-outcome");
    if (old) { old.replaceWith(node); } else { form.parentNode.appendChild(node); }
  }

  function stream(form, submitter) {
    var live = document.getElementById("assistant-stream");
    var body = new FormData(form);
    body.set("action", "send");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    live.hidden = false;
    live.textContent = "";
    live.setAttribute("aria-busy", "true");
    var finished = false;

    function onEvent(name, data) {
      if (name === "delta") {
        live.textContent += data.text;
      } else if (name === "done") {
        finished = true;
        live.hidden = true;
        live.textContent = "";
        if (data.result.status === "warning") {
          // The confirmation box is part of the server-rendered form: let the page show it.
          form.dataset.noStream = "1";
          form.requestSubmit(submitter);
          return;
        }
        var holder = document.createElement("div");
        holder.innerHTML = data.html;  // server-rendered, escaped template output
        var outcome = holder.firstElementChild;
        replaceOutcome(form, outcome);
        var conversation = data.result.conversation_id;
        if (conversation && !form.querySelector("input[name=conversation_id]")) {
          var hidden = document.createElement("input");
          hidden.type = "hidden";
          hidden.name = "conversation_id";
          hidden.value = conversation;
          form.appendChild(hidden);
        }
        var heading = outcome.querySelector("h2[tabindex]");
        (heading || outcome).focus();
      } else if (name === "error") {
        finished = true;
        live.hidden = true;
        showError(form, data.message);
      }
    }

    fetch(form.dataset.stream, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok || !response.body) { throw new Error(String(response.status)); }
        var reader = response.body.getReader();
        var decoder = new TextDecoder();
        var buffer = "";
        function pump() {
          return reader.read().then(function (step) {
            if (step.done) { return; }
            buffer = parseEvents(buffer + decoder.decode(step.value, { stream: true }), onEvent);
            return pump();
          });
        }
        return pump();
      })
      .catch(function () {
        if (!finished) {
          // Streaming failed (old browser, proxy): fall back to the ordinary form post.
          form.dataset.noStream = "1";
          form.requestSubmit(submitter);
        }
      })
      .finally(function () {
        live.removeAttribute("aria-busy");
        buttons.forEach(function (b) { b.disabled = false; });
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    if (!form.dataset || !form.dataset.stream || form.dataset.noStream) { return; }
    if (!submitter || submitter.value !== "send" || !window.fetch || !window.TextDecoder) { return; }
    if (!form.reportValidity()) { return; }
    event.preventDefault();
    stream(form, submitter);
  });
})();

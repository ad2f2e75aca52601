/* Balise citizen-assistant widget: one <script> tag on an allowed site.
 *
 *   <script src="https://balise.example/static/citizen/widget.js" data-balise-tenant="demo" defer></script>
 *
 * Strict-CSP friendly: no inline script or style, no eval, every request goes to the Balise origin
 * that served this file (its stylesheet and the citizen API), nothing to a third party. Consent is
 * collected before the first question; declining shows only the human channels. Text from the
 * server is inserted with textContent only.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.src) { return; }
  var origin = new URL(script.src).origin;
  var slug = script.getAttribute("data-balise-tenant") || "";
  if (!/^[a-z0-9-]+$/.test(slug)) { return; }
  var api = origin + "/api/public/" + slug;
  var store = window.sessionStorage;
  var consentKey = "balise-consent-" + slug;
  var sessionKey = "balise-session-" + slug;
  var lang = (document.documentElement.lang || navigator.language || "fr").slice(0, 2);
  var config = null;
  var root, panel, body, log, form, textarea, status;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function sessionId() {
    var id = store.getItem(sessionKey);
    if (!id) {
      var bytes = new Uint8Array(18);
      window.crypto.getRandomValues(bytes);
      id = Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
      store.setItem(sessionKey, id);
    }
    return id;
  }

  function call(path, payload) {
    var options = { headers: { "Accept-Language": lang }, credentials: "omit" };
    if (payload) {
      options.method = "POST";
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(payload);
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.message || config.texts.error); }
        return data;
      });
    });
  }

  function contactBlock() {
    var t = config.texts, c = config.contact;
    var section = el("section", { "class": "balise-person", "aria-label": t.person });
    section.appendChild(el("h3", {}, t.person));
    var list = el("dl");
    function row(label, value, href) {
      if (!value) { return; }
      list.appendChild(el("dt", {}, label));
      var dd = el("dd");
      dd.appendChild(href ? el("a", { href: href }, value) : document.createTextNode(value));
      list.appendChild(dd);
    }
    row(t.phone, c.phone, c.phone ? "tel:" + c.phone.replace(/\s+/g, "") : "");
    row(t.email, c.email, c.email ? "mailto:" + c.email : "");
    row(t.address, c.address);
    row(t.hours, c.opening_hours);
    row(t.emergency, config.emergency_phone, "tel:" + config.emergency_phone);
    section.appendChild(list);
    var links = el("p");
    links.appendChild(el("a", { href: config.links.person, target: "_blank", rel: "noopener" }, t.write));
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(el("a", { href: config.links.complaint, target: "_blank", rel: "noopener" }, t.complaint));
    section.appendChild(links);
    return section;
  }

  function firstContact() {
    var t = config.texts;
    body.textContent = "";
    var intro = el("div", { "class": "balise-first-contact" });
    intro.appendChild(el("p", { "class": "balise-ai" }, t.ai_statement));
    var list = el("ul");
    [t.can, t.cannot, t.privacy].forEach(function (line) { list.appendChild(el("li", {}, line)); });
    intro.appendChild(list);
    var yes = el("button", { type: "button", "class": "balise-primary" }, t.consent);
    var no = el("button", { type: "button", "class": "balise-secondary" }, t.decline);
    yes.addEventListener("click", function () { store.setItem(consentKey, "yes"); conversation(); });
    no.addEventListener("click", function () { store.setItem(consentKey, "no"); declined(); });
    var choice = el("div", { "class": "balise-choice" });
    choice.appendChild(yes);
    choice.appendChild(no);
    intro.appendChild(choice);
    body.appendChild(intro);
    body.appendChild(contactBlock());
    yes.focus();
  }

  function declined() {
    body.textContent = "";
    body.appendChild(contactBlock());
    var heading = body.querySelector("h3");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function feedback(item, exchangeId) {
    var t = config.texts;
    var bar = el("div", { "class": "balise-feedback", role: "group", "aria-label": t.useful + " / " + t.not_useful });
    [["useful", t.useful], ["not_useful", t.not_useful], ["problem", t.problem]].forEach(function (pair) {
      var button = el("button", { type: "button", "class": "balise-small" }, pair[1]);
      button.addEventListener("click", function () {
        call("/feedback", { session_id: sessionId(), exchange_id: exchangeId, value: pair[0] }).then(function (data) {
          bar.textContent = "";
          bar.appendChild(el("p", {}, data.message || t.thanks));
          if (data.follow_up_url) {
            bar.appendChild(el("a", { href: data.follow_up_url, target: "_blank", rel: "noopener" }, data.reference));
          }
        }).catch(function (error) { bar.appendChild(el("p", { "class": "balise-error" }, error.message)); });
      });
      bar.appendChild(button);
    });
    item.appendChild(bar);
  }

  function showAnswer(question, data) {
    var t = config.texts;
    var item = el("li", { "class": "balise-exchange" });
    item.appendChild(el("p", { "class": "balise-question" }, question));
    var answer = el("div", { "class": data.redirected_to_human ? "balise-answer balise-redirected" : "balise-answer" });
    if (data.caution) { answer.appendChild(el("p", { "class": "balise-caution" }, t.caution)); }
    String(data.answer || "").split(/\n\s*\n/).forEach(function (paragraph) {
      if (paragraph.trim()) { answer.appendChild(el("p", {}, paragraph.trim())); }
    });
    if (data.citations && data.citations.length) {
      answer.appendChild(el("p", { "class": "balise-sources-title" }, t.sources));
      var sources = el("ul", { "class": "balise-sources" });
      data.citations.forEach(function (c) {
        var li = el("li");
        li.appendChild(el("a", { href: origin + c.url, target: "_blank", rel: "noopener" }, c.title));
        if (c.date) { li.appendChild(document.createTextNode(" · " + t.published + " " + c.date)); }
        sources.appendChild(li);
      });
      answer.appendChild(sources);
    }
    answer.appendChild(el("p", { "class": "balise-disclosure" }, data.disclosure));
    item.appendChild(answer);
    if (data.exchange_id) { feedback(item, data.exchange_id); }
    log.appendChild(item);
  }

  function conversation() {
    var t = config.texts;
    body.textContent = "";
    log = el("ol", { "class": "balise-log", "aria-live": "polite", "aria-label": t.title });
    body.appendChild(log);
    form = el("form", { "class": "balise-form" });
    var id = "balise-question-" + slug;
    form.appendChild(el("label", { "for": id }, t.question));
    textarea = el("textarea", { id: id, rows: "3", maxlength: String(config.max_chars), required: "required" });
    form.appendChild(textarea);
    status = el("p", { "class": "balise-status", role: "status" });
    form.appendChild(status);
    form.appendChild(el("button", { type: "submit", "class": "balise-primary" }, t.send));
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var question = textarea.value.trim();
      if (!question) { textarea.focus(); return; }
      status.textContent = t.waiting;
      call("/ask", { question: question, session_id: sessionId() }).then(function (data) {
        status.textContent = "";
        textarea.value = "";
        showAnswer(question, data);
      }).catch(function (error) { status.textContent = error.message; });
    });
    body.appendChild(form);
    body.appendChild(contactBlock());
    textarea.focus();
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    var consent = store.getItem(consentKey);
    if (consent === "yes") { conversation(); } else if (consent === "no") { declined(); } else { firstContact(); }
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  var stylesheet = el("link", { rel: "stylesheet", href: origin + "/static/citizen/widget.css" });
  document.head.appendChild(stylesheet);
  root = el("div", { "class": "balise-widget", lang: lang });
  var launcher = el("button", { type: "button", "class": "balise-launcher", "aria-expanded": "false" }, "…");
  root.appendChild(launcher);
  document.body.appendChild(root);

  call("/config").then(function (data) {
    config = data;
    var t = config.texts;
    launcher.textContent = t.open;
    var panelId = "balise-panel-" + slug;
    launcher.setAttribute("aria-controls", panelId);
    panel = el("section", { id: panelId, "class": "balise-panel", "aria-labelledby": panelId + "-title" });
    panel.hidden = true;
    var header = el("div", { "class": "balise-header" });
    header.appendChild(el("h2", { id: panelId + "-title" }, t.title));
    var closer = el("button", { type: "button", "class": "balise-close" }, t.close);
    closer.addEventListener("click", close);
    header.appendChild(closer);
    panel.appendChild(header);
    body = el("div", { "class": "balise-body" });
    panel.appendChild(body);
    root.appendChild(panel);
    launcher.addEventListener("click", function () { if (panel.hidden) { open(); } else { close(); } });
    panel.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
  }).catch(function () { root.remove(); });
})();

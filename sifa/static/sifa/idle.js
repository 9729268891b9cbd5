// The idle warning and the restore of a form kept across a re-login (issue 18 item 2).
// The server owns the clock (accounts/idle.py); this page only knows how many
// seconds were left when it was served, and learns of newer figures from
// answers (X-Sifa-Idle-Remaining), from other tabs (localStorage holds only the
// deadline, never form content) and by asking (/accounts/session/).
(function () {
  "use strict";
  var box = document.getElementById("sf-idle");
  if (!box) return;
  var KEY = "sifa.idle.deadline";
  var warnMs = (+box.getAttribute("data-warn") || 120) * 1000;
  var url = box.getAttribute("data-url");
  var loginUrl = box.getAttribute("data-login");
  var csrf = box.getAttribute("data-csrf");
  var modalEl = document.getElementById("sf-idle-modal");
  var modal = null;
  var deadline = 0; // local epoch ms
  var state = "ok"; // ok | checking | warning | expired
  var dirty = false;

  function q(sel) { return modalEl.querySelector(sel); }
  function show(sel, on) { var el = q(sel); if (el) el.hidden = !on; }
  function getModal() {
    if (!modal && window.bootstrap) modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
    return modal;
  }
  function stored() {
    try { return +window.localStorage.getItem(KEY) || 0; } catch (e) { return 0; }
  }
  function setRemaining(seconds, share) {
    var d = Date.now() + seconds * 1000;
    deadline = d;
    if (share) { try { window.localStorage.setItem(KEY, String(d)); } catch (e) { /* private mode */ } }
  }
  function adopt(d) {
    // Another tab (or a newer answer) saw a later deadline: the server clock moved.
    if (d > deadline) deadline = d;
    if (state === "warning" && deadline - Date.now() > warnMs) hide();
  }
  function hide() {
    state = "ok";
    var m = getModal(); if (m) m.hide();
  }
  function fmt(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ":" + ("0" + (s % 60)).slice(-2);
  }
  function openWarning() {
    state = "warning";
    show("[data-idle-warning]", true); show("[data-idle-expired]", false);
    show("[data-idle-stay]", true); show("[data-idle-relogin]", false); show("[data-idle-close]", false);
    q("[data-idle-countdown]").textContent = "剩余 " + fmt(deadline - Date.now());
    var m = getModal(); if (m) m.show();
  }
  function openExpired(message) {
    state = "expired";
    var exp = q("[data-idle-expired]");
    if (message && exp && exp.firstChild && exp.firstChild.nodeType === 3) exp.firstChild.nodeValue = message + "。";
    show("[data-idle-warning]", false); show("[data-idle-expired]", true); show("[data-idle-dirty]", dirty);
    show("[data-idle-stay]", false); show("[data-idle-relogin]", true); show("[data-idle-close]", dirty);
    q("[data-idle-countdown]").textContent = "";
    var relogin = q("[data-idle-relogin]");
    relogin.href = loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
    if (!dirty) { window.location.assign(relogin.href); return; }
    var m = getModal(); if (m) m.show();
  }
  function ask(method) {
    var headers = { "X-Sifa-Background": method === "GET" ? "1" : "0", "Accept": "application/json" };
    if (method === "POST") headers["X-CSRFToken"] = csrf;
    return fetch(url, { method: method, headers: headers, credentials: "same-origin" }).then(function (r) {
      return r.json().catch(function () { return { signed_in: r.ok }; }).then(function (body) {
        if (r.status === 401 || body.signed_in === false) return { out: true, message: body.message };
        return { out: false, remaining: body.remaining };
      });
    });
  }
  function check() {
    // Before warning or signing out, ask the server: another tab's action may have moved the clock.
    state = "checking";
    ask("GET").then(function (a) {
      if (a.out) { openExpired(a.message); return; }
      setRemaining(a.remaining, true);
      var left = deadline - Date.now();
      if (left <= 0) openExpired();
      else if (left <= warnMs) openWarning();
      else state = "ok";
    }, function () { state = "ok"; });
  }
  function tick() {
    adopt(stored());
    var left = deadline - Date.now();
    if (state === "ok" && left <= warnMs) check();
    else if (state === "warning") {
      q("[data-idle-countdown]").textContent = "剩余 " + fmt(left);
      if (left <= 0) check();
    }
  }

  setRemaining(+box.getAttribute("data-remaining") || 0, false);
  adopt(stored());
  try { if (stored() < deadline) window.localStorage.setItem(KEY, String(deadline)); } catch (e) { /* private mode */ }
  window.addEventListener("storage", function (ev) { if (ev.key === KEY) adopt(+ev.newValue || 0); });
  document.body.addEventListener("htmx:afterRequest", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    if (!xhr) return;
    var out = xhr.getResponseHeader("X-Sifa-Signed-Out");
    if (out) { check(); return; }
    var rem = xhr.getResponseHeader("X-Sifa-Idle-Remaining");
    if (rem !== null && rem !== "") { setRemaining(+rem, true); adopt(deadline); }
  });
  q("[data-idle-stay]").addEventListener("click", function () {
    ask("POST").then(function (a) {
      if (a.out) { openExpired(a.message); return; }
      setRemaining(a.remaining, true);
      hide();
    }, function () { /* network: leave the dialog up, the user can try again */ });
  });
  // Typed but not submitted: at the timeout the page stays (the content is kept
  // on the server when it is submitted) instead of going to the login page.
  document.addEventListener("input", function (ev) { if (ev.target.form) dirty = true; }, true);
  document.addEventListener("change", function (ev) { if (ev.target.form) dirty = true; }, true);
  document.addEventListener("submit", function () { dirty = false; }, true);
  window.setInterval(tick, 1000);

  // --- the content of a form posted after the session ended, restored once ---
  var dataEl = document.getElementById("sf-restored");
  if (!dataEl) return;
  var kept;
  try { kept = JSON.parse(dataEl.textContent); } catch (e) { return; }
  dataEl.parentNode.removeChild(dataEl);
  // The address's key is used up: a reload must not ask for it again.
  if (window.history && window.history.replaceState) {
    var u = new URL(window.location.href);
    u.searchParams.delete("sifa_restore");
    window.history.replaceState(null, "", u.pathname + u.search + u.hash);
  }
  var fields = kept.fields || {};
  function postForms() {
    return Array.prototype.filter.call(document.forms, function (f) { return (f.method || "").toLowerCase() === "post"; });
  }
  function pickForm() {
    var forms = postForms();
    var byAction = forms.filter(function (f) { return new URL(f.action, location.href).pathname === kept.action; });
    if (byAction.length) return byAction[0];
    var byField = forms.filter(function (f) {
      return Object.keys(fields).some(function (n) { return f.elements.namedItem(n); });
    });
    return byField[0] || null;
  }
  var form = pickForm();
  if (!form) return;
  // Formset rows added before the logout are added again (app.js clones them).
  Object.keys(fields).forEach(function (name) {
    var m = /^(.*)-TOTAL_FORMS$/.exec(name);
    if (!m) return;
    var total = form.elements.namedItem(name);
    var add = form.querySelector("[data-formset-prefix='" + m[1] + "'] [data-formset-add]");
    var want = +fields[name][0] || 0;
    for (var i = 0; total && add && +total.value < want && i < 200; i++) add.click();
  });
  function fill(events) {
    var used = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      var name = el.name;
      if (!name || !Object.prototype.hasOwnProperty.call(fields, name)) return;
      var values = fields[name].map(String);
      var type = (el.type || "").toLowerCase();
      if (type === "hidden" || type === "file" || type === "password" || type === "submit" || type === "button") return;
      if (type === "checkbox" || type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values.indexOf(o.value) !== -1; });
      } else {
        var n = used[name] || 0;
        if (n >= values.length) return;
        el.value = values[n];
        used[name] = n + 1;
      }
      if (!events) return;
      el.dispatchEvent(new Event("input", { bubbles: true }));
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }
  // Twice: the first lets dependent widgets react (a choice that fills other
  // fields), the second puts back what the user had typed over them.
  fill(true);
  fill(false);
  // Whatever was just filled in counts as typed: the idle timeout will not leave the page.
  dirty = true;
  var tpl = document.getElementById("sf-restored-notice");
  if (tpl) {
    form.parentNode.insertBefore(tpl.content.cloneNode(true), form);
    form.scrollIntoView({ block: "start" });
  }
})();

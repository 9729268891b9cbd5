// sifa front-end glue. No inline scripts anywhere (CSP script-src 'self').
(function () {
  "use strict";
  var bs = window.bootstrap;
  // Ask before destructive or irreversible actions: <button data-confirm="...">. The
  // question opens in the modal #sf-confirm (base.html); 取消 or Esc leaves everything as
  // it was, 确定 carries out the original action. A page without it (the portal, which
  // loads no Bootstrap script) asks with the browser's own dialog.
  var passing = null; // the element whose confirmed click is being replayed
  function proceed(el) {
    var form = el.form;
    var submits = form && (el.tagName === "BUTTON" ? (el.type || "submit") === "submit" : el.type === "submit" || el.type === "image");
    if (submits) {
      if (form.requestSubmit) { form.requestSubmit(el); return; }
      // Browsers before requestSubmit (old 360/QQ builds): the button's name and value go along by hand.
      if (el.name) { var h = document.createElement("input"); h.type = "hidden"; h.name = el.name; h.value = el.value; form.appendChild(h); }
      form.submit();
      return;
    }
    if (el.tagName === "A" && el.href && !el.hasAttribute("hx-get") && !el.hasAttribute("hx-post")) {
      if (el.target === "_blank") window.open(el.href, "_blank", "noopener"); else window.location.assign(el.href);
      return;
    }
    passing = el; // anything else (an htmx trigger): replay the click past this guard
    try { el.click(); } finally { passing = null; }
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-confirm]");
    if (!el || el === passing) return;
    // A form that is not yet valid shows the browser's own hints first; nothing to confirm yet.
    if (el.form && !el.form.noValidate && !el.formNoValidate && el.form.checkValidity && !el.form.checkValidity()) return;
    ev.preventDefault();
    ev.stopPropagation();
    var text = el.getAttribute("data-confirm");
    var box = document.getElementById("sf-confirm"), ok = false;
    if (!box || !bs || !bs.Modal) { if (window.confirm(text)) proceed(el); return; }
    box.querySelector("[data-confirm-text]").textContent = text;
    var modal = bs.Modal.getOrCreateInstance(box);
    var okBtn = box.querySelector("[data-testid=confirm-ok]");
    var shown = false, leave = false;
    // Bootstrap ignores hide() while the dialog fades in: a choice made then waits for "shown".
    function close() { if (shown) modal.hide(); else leave = true; }
    function onOk() { ok = true; close(); }
    // Esc cancels even while the dialog is still fading in (focus not yet inside it).
    function onKey(e) { if (e.key === "Escape" || e.key === "Esc") close(); }
    function onHidden() {
      okBtn.removeEventListener("click", onOk);
      cancelBtn.removeEventListener("click", close);
      document.removeEventListener("keydown", onKey);
      box.removeEventListener("hidden.bs.modal", onHidden);
      if (ok) proceed(el); else if (el.focus) el.focus();
    }
    var cancelBtn = box.querySelector("[data-testid=confirm-cancel]");
    okBtn.addEventListener("click", onOk);
    cancelBtn.addEventListener("click", close);
    document.addEventListener("keydown", onKey);
    box.addEventListener("hidden.bs.modal", onHidden);
    box.addEventListener("shown.bs.modal", function () { shown = true; if (leave) modal.hide(); else okBtn.focus(); }, { once: true });
    modal.show();
  }, true);
  // Messages (includes/messages.html) are toasts: success and info leave after 5 s,
  // a warning or an error stays until closed.
  if (bs && bs.Toast) {
    Array.prototype.forEach.call(document.querySelectorAll(".sf-toast"), function (el) {
      bs.Toast.getOrCreateInstance(el).show();
    });
  }
  // Copy a text into a form field: <button data-fill-from="id-of-text" data-fill-into="id-of-field">
  // (the hotline's knowledge panel puts an answer into the call form's 即时解答).
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-fill-from]");
    if (!el) return;
    var from = document.getElementById(el.getAttribute("data-fill-from"));
    var into = document.getElementById(el.getAttribute("data-fill-into"));
    if (from && into) { into.value = from.textContent.trim(); into.dispatchEvent(new Event("input", { bubbles: true })); into.focus(); }
  });
  // A choice that brings its details: <select data-fills="prefix"> whose options carry
  // data-fill-<field>="value" sets those fields of its form (a scheduled mediation
  // session fills its date, time, place and participants into the session record).
  document.addEventListener("change", function (ev) {
    var sel = ev.target;
    if (sel.tagName !== "SELECT" || !sel.hasAttribute("data-fills") || !sel.form) return;
    var opt = sel.options[sel.selectedIndex], prefix = sel.getAttribute("data-fills");
    if (!opt) return;
    Array.prototype.forEach.call(opt.attributes, function (a) {
      if (a.name.indexOf("data-fill-") !== 0) return;
      var field = sel.form.elements[prefix + a.name.slice(10)];
      if (field && "value" in field) { field.value = a.value; field.dispatchEvent(new Event("input", { bubbles: true })); }
    });
  });
  // Submit a filter form when a select changes: <form data-autosubmit>
  document.addEventListener("change", function (ev) {
    var form = ev.target.closest("form[data-autosubmit]");
    if (form && ev.target.tagName === "SELECT") form.submit();
  });
  // Check ID numbers and phones as they are typed (the server checks again).
  var W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], C = "10X98765432";
  function idOk(v) {
    v = v.trim().toUpperCase();
    if (/^[1-9]\d{14}$/.test(v)) return true;
    if (!/^[1-9]\d{16}[\dX]$/.test(v)) return false;
    var s = 0; for (var i = 0; i < 17; i++) s += (+v[i]) * W[i];
    return C[s % 11] === v[17];
  }
  function phoneOk(v) {
    v = v.trim().replace(/\s/g, "");
    return /^(\+86)?1[3-9]\d{9}$/.test(v) || /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/.test(v);
  }
  document.addEventListener("input", function (ev) {
    var el = ev.target, kind = el.getAttribute && el.getAttribute("data-check");
    if (!kind) return;
    var v = el.value;
    var ok = !v || (kind === "id" ? idOk(v) : kind === "phone" ? phoneOk(v) : true);
    el.classList.toggle("is-invalid", !ok);
    var msg = el.parentNode.querySelector(".sf-live-msg");
    if (!msg) { msg = document.createElement("div"); msg.className = "invalid-feedback sf-live-msg"; el.parentNode.appendChild(msg); }
    msg.textContent = ok ? "" : (kind === "id" ? "身份证号码格式或校验位不正确" : "电话号码格式不正确");
  });
  // Pages that refresh themselves (wall display): <body data-refresh="60">
  var r = document.body.getAttribute("data-refresh");
  if (r) setTimeout(function () { window.location.reload(); }, Math.max(+r, 15) * 1000);
})();
// Party rows (and any formset): clone the <template> row, renumbering __prefix__.
document.addEventListener("click", function (ev) {
  var btn = ev.target.closest("[data-formset-add]");
  if (!btn) return;
  var box = btn.closest("[data-formset-prefix]");
  var prefix = box.getAttribute("data-formset-prefix");
  var total = box.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
  var tpl = box.querySelector("template.sf-formset-empty");
  var html = tpl.innerHTML.replace(/__prefix__/g, total.value);
  box.querySelector(".sf-formset-rows").insertAdjacentHTML("beforeend", html);
  total.value = +total.value + 1;
});

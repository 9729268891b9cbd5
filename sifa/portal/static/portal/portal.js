// Public portal glue (CSP: no inline scripts). <button data-print> prints the page.
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    if (ev.target.closest("[data-print]")) { ev.preventDefault(); window.print(); }
  });
})();

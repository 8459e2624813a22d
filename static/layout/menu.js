// The header menu is a <details> that works without this file. Where the browser cannot
// show a closed <details>' content with CSS (no ::details-content), keep it open on wide
// screens, where it is a row of links rather than a menu.
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu || (window.CSS && CSS.supports && CSS.supports("selector(::details-content)"))) { return; }
  var wide = window.matchMedia("(min-width: 761px)");
  var sync = function () { if (wide.matches) { menu.open = true; } };
  sync();
  if (wide.addEventListener) { wide.addEventListener("change", sync); }
})();

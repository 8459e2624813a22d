// The header menu is a <details> that works without this file; this only adds comforts.
(function () {
  "use strict";
  var menu = document.querySelector(".site-menu");
  if (!menu) { return; }
  var wide = window.matchMedia("(min-width: 761px)");

  // Where the browser cannot show a closed <details>' content with CSS (no
  // ::details-content), keep the menu open on wide screens, where it is a row of links.
  var styled = window.CSS && CSS.supports && CSS.supports("selector(::details-content)");
  if (!styled) {
    var sync = function () { if (wide.matches) { menu.open = true; } };
    sync();
    if (wide.addEventListener) { wide.addEventListener("change", sync); }
  }

  // On a phone, Escape closes the open menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open && !wide.matches) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });
})();

// 政务公开专区 terminal (gongkai): after `data-idle` seconds with nobody touching the screen,
// every form is emptied and the terminal goes to `data-reset`, which forgets the receipt and
// returns to the home page. A page brought back by the browser (Back) is reset the same way.
(function () {
  'use strict';
  var body = document.body;
  var idle = parseInt(body.getAttribute('data-idle'), 10);
  var reset = body.getAttribute('data-reset');
  if (!(idle > 0) || !reset) { return; }
  var timer = 0;
  function clearAndLeave() {
    Array.prototype.forEach.call(document.forms, function (form) { form.reset(); });
    window.location.replace(reset);
  }
  function restart() {
    window.clearTimeout(timer);
    timer = window.setTimeout(clearAndLeave, idle * 1000);
  }
  ['pointerdown', 'keydown', 'input', 'touchstart', 'scroll', 'wheel'].forEach(function (name) {
    window.addEventListener(name, restart, { passive: true, capture: true });
  });
  window.addEventListener('pageshow', function (event) {
    if (event.persisted) { clearAndLeave(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll('[data-print]'), function (button) {
    button.addEventListener('click', function () { window.print(); });
  });
  restart();
}());

/* troth.js: progressive only; every page works without it.
 * Quick exit: the "Leave now" link, or Shift pressed on its own three times
 * within two seconds, blanks the page at once and replaces the location with
 * the exit site, so Back does not come back here. Shift held for capitals
 * while typing does not count: any other key starts the count again. */
(function () {
	'use strict';

	var presses = [];

	function leave(e) {
		var url = document.body.getAttribute('data-exit-url');
		var link = document.getElementById('quick-exit');
		if (!url && link) url = link.href;
		if (!url) return;
		if (e) e.preventDefault();
		document.title = '';
		document.body.hidden = true;
		document.documentElement.innerHTML = '';
		window.location.replace(url);
	}

	function onKey(e) {
		if (e.repeat) return;
		if (e.key !== 'Shift') {
			presses = []; /* Shift while typing capitals does not count */
			return;
		}
		var now = Date.now();
		presses.push(now);
		presses = presses.filter(function (t) { return now - t <= 2000; });
		if (presses.length >= 3) {
			presses = [];
			leave(null);
		}
	}

	function init() {
		var link = document.getElementById('quick-exit');
		if (link) link.addEventListener('click', leave);
		document.addEventListener('keydown', onKey, true);
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();

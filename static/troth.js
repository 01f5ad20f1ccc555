/* troth.js: progressive only; every page works without it.
 * Quick exit: the "Leave now" link, or Shift pressed on its own three times
 * within two seconds, blanks the page at once and replaces the location with
 * /leave (which logs out and sends the browser on to the exit site), so Back
 * does not come back here. Shift held for capitals
 * while typing does not count: any other key starts the count again.
 * The language coach comments on text marked data-coach as it is written.
 * The time zone chooser starts on the browser's own zone. */
(function () {
	'use strict';

	var presses = [];

	function leave(e) {
		/* the link goes to /leave, which logs out, then on to the exit site */
		var link = document.getElementById('quick-exit');
		var url = link && link.href;
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

	/* The language coach: on a textarea marked data-coach, once typing
	 * pauses, the text goes to /api/v1/coach (this server only, never a
	 * service) and its notes appear under the field. It never blocks
	 * sending, and says nothing when the person switched it off. */
	function coach(area) {
		var csrf = area.form && area.form.querySelector('input[name=csrf]');
		if (!csrf || !window.fetch) return;
		var box = document.createElement('div');
		box.className = 'coach';
		box.setAttribute('aria-live', 'polite');
		area.parentNode.insertBefore(box, area.nextSibling);
		var timer = null, asked = '';
		function show(text, j) {
			box.textContent = '';
			if (!j || !j.enabled || !j.notes || !j.notes.length) return;
			var chars = Array.from(text);
			var p = document.createElement('p');
			p.textContent = 'Something to consider before you send:';
			box.appendChild(p);
			var ul = document.createElement('ul');
			j.notes.forEach(function (n) {
				var li = document.createElement('li');
				var q = document.createElement('q');
				q.textContent = chars.slice(n.start, n.end).join('');
				li.appendChild(q);
				li.appendChild(document.createTextNode(' ' + n.suggestion));
				ul.appendChild(li);
			});
			box.appendChild(ul);
		}
		area.addEventListener('input', function () {
			clearTimeout(timer);
			timer = setTimeout(function () {
				var text = area.value;
				if (text === asked) return;
				asked = text;
				if (!text.trim()) { box.textContent = ''; return; }
				fetch('/api/v1/coach', {
					method: 'POST', credentials: 'same-origin',
					headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.value },
					body: JSON.stringify({ text: text })
				}).then(function (r) { return r.ok ? r.json() : null; })
				  .then(function (j) { if (area.value === text) show(text, j); })
				  .catch(function () { /* the coach is a help, never a gate */ });
			}, 600);
		});
	}

	/* The time zone chooser: when nothing is chosen yet, choose the
	 * browser's own zone if the list has it. */
	function guessZone(select) {
		if (select.value) return;
		var tz;
		try { tz = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
		for (var i = 0; i < select.options.length; i++)
			if (select.options[i].value === tz) { select.value = tz; return; }
	}

	function init() {
		var link = document.getElementById('quick-exit');
		if (link) link.addEventListener('click', leave);
		document.addEventListener('keydown', onKey, true);
		Array.prototype.forEach.call(document.querySelectorAll('textarea[data-coach]'), coach);
		Array.prototype.forEach.call(document.querySelectorAll('select[data-zone-guess]'), guessZone);
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();

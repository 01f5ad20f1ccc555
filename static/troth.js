/* troth.js: progressive only; every page works without it.
 * Quick exit: the "Leave now" link, or Shift pressed on its own three times
 * within two seconds, blanks the page at once and replaces the location with
 * /leave (which logs out and sends the browser on to the exit site), so Back
 * does not come back here. Shift held for capitals
 * while typing does not count: any other key starts the count again.
 * The language coach comments on text marked data-coach as it is written.
 * The time zone chooser starts on the browser's own zone.
 * Reminders: on Settings, Reminders, a tap turns this phone's notifications
 * on (the browser asks for permission only then); logging out and the
 * quick exit remove the service worker, and with it the reminders. */
(function () {
	'use strict';

	var presses = [];

	function leave(e) {
		/* the link goes to /leave, which logs out, then on to the exit site */
		var link = document.getElementById('quick-exit');
		var url = link && link.href;
		if (!url) return;
		if (e) e.preventDefault();
		forgetWorker();
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

	/* The service worker goes away with the session (the server's
	 * Clear-Site-Data says the same). */
	function forgetWorker() {
		if (!('serviceWorker' in navigator)) return;
		try {
			navigator.serviceWorker.getRegistrations().then(function (rs) {
				rs.forEach(function (reg) { reg.unregister(); });
			}).catch(function () {});
		} catch (e) { /* nothing to forget */ }
	}

	function keyBytes(b64) {
		var s = atob((b64 + '==='.slice((b64.length + 3) % 4)).replace(/-/g, '+').replace(/_/g, '/'));
		var out = new Uint8Array(s.length);
		for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
		return out;
	}

	/* Reminders on this phone: shown only where the browser can take
	 * them; permission is asked after the tap, never before. */
	function pushSetup(box) {
		if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return;
		var csrf = document.querySelector('input[name=csrf]');
		var button = box.querySelector('[data-push-on]');
		var status = box.querySelector('.push-status');
		if (!csrf || !button) return;
		box.hidden = false;
		Array.prototype.forEach.call(document.querySelectorAll('.push-needs-js'), function (p) { p.hidden = true; });
		function say(text) { if (status) status.textContent = text; }
		/* this phone's own row, when it is on already */
		navigator.serviceWorker.getRegistration('/').then(function (reg) {
			return reg && reg.pushManager.getSubscription();
		}).then(function (sub) {
			if (!sub) return;
			Array.prototype.forEach.call(document.querySelectorAll('.push-devices li[data-endpoint]'), function (li) {
				if (li.getAttribute('data-endpoint') === sub.endpoint) {
					li.insertBefore(document.createTextNode('(this phone) '), li.firstChild.nextSibling);
					var form = li.querySelector('form');
					if (form) form.addEventListener('submit', function () { sub.unsubscribe(); });
				}
			});
		}).catch(function () {});
		button.addEventListener('click', function () {
			button.disabled = true;
			say('One moment.');
			Notification.requestPermission().then(function (answer) {
				if (answer !== 'granted') throw new Error('refused');
				return navigator.serviceWorker.register('/sw.js', { scope: '/' });
			}).then(function () {
				return navigator.serviceWorker.ready;
			}).then(function (reg) {
				return reg.pushManager.getSubscription().then(function (sub) {
					return sub || reg.pushManager.subscribe({
						userVisibleOnly: true,
						applicationServerKey: keyBytes(box.getAttribute('data-push-key'))
					});
				});
			}).then(function (sub) {
				return fetch('/api/v1/push/subscriptions', {
					method: 'POST',
					credentials: 'same-origin',
					headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf.value },
					body: JSON.stringify(sub)
				});
			}).then(function (r) {
				if (!r.ok) throw new Error('not saved');
				window.location.reload();
			}).catch(function (e) {
				button.disabled = false;
				say(e && e.message === 'refused'
					? 'This phone said no to notifications. You can allow them in the browser\'s settings, then try again.'
					: 'That did not work this time. Please try again in a moment.');
			});
		});
	}

	function init() {
		var link = document.getElementById('quick-exit');
		if (link) link.addEventListener('click', leave);
		document.addEventListener('keydown', onKey, true);
		Array.prototype.forEach.call(document.querySelectorAll('textarea[data-coach]'), coach);
		Array.prototype.forEach.call(document.querySelectorAll('select[data-zone-guess]'), guessZone);
		Array.prototype.forEach.call(document.querySelectorAll('[data-push-key]'), pushSetup);
		Array.prototype.forEach.call(document.querySelectorAll('form[action="/logout"]'), function (f) {
			f.addEventListener('submit', forgetWorker);
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();

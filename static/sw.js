/* sw.js: troth's service worker. It only receives reminders and shows
 * them: it has no fetch handler and opens no cache, so no page with a
 * person's words is ever kept on the phone. A reminder's words are the
 * neutral ones the person chose in Settings; tapping it opens troth, which
 * asks for the login when the session has ended. */
'use strict';

var FALLBACK = { title: 'A reminder', body: 'Something is waiting for you.' };

self.addEventListener('install', function () {
	self.skipWaiting();
});

self.addEventListener('activate', function (event) {
	event.waitUntil(self.clients.claim());
});

self.addEventListener('push', function (event) {
	var d = FALLBACK;
	try {
		var j = event.data ? event.data.json() : null;
		if (j && typeof j.title === 'string' && typeof j.body === 'string')
			d = { title: j.title.slice(0, 60), body: j.body.slice(0, 120) };
	} catch (e) {
		d = FALLBACK;
	}
	event.waitUntil(self.registration.showNotification(d.title, {
		body: d.body,
		tag: 'reminder',
		renotify: false,
		silent: false
	}));
});

self.addEventListener('notificationclick', function (event) {
	event.notification.close();
	event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (list) {
		for (var i = 0; i < list.length; i++)
			if ('focus' in list[i])
				return list[i].navigate('/').then(function (c) { return c && c.focus(); });
		return self.clients.openWindow('/');
	}));
});

// The desk's one script (the CSP allows no inline script). Everything works without it:
// it adds drag-and-drop reordering (SortableJS, served by the desk itself) on top of the
// up/down buttons, and follows a running send through server-sent events.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  function enableDrag() {
    if (typeof window.Sortable !== 'function') return;
    document.querySelectorAll('ol.section[data-category]').forEach(function (list) {
      var form = document.querySelector('form.reorder[data-category="' + list.dataset.category + '"]');
      if (!form) return;
      window.Sortable.create(list, {
        animation: 120,
        forceFallback: true, // mouse and touch events rather than native drag: the same on every browser
        draggable: '.card',
        filter: 'button, input, select, textarea, summary, a',
        preventOnFilter: false,
        onEnd: function (event) {
          if (event.oldIndex === event.newIndex) return;
          var ids = Array.prototype.map.call(list.querySelectorAll('.card'), function (card) { return card.dataset.id; });
          form.querySelector('input[name="order"]').value = ids.join(',');
          form.submit();
        },
      });
    });
  }

  function followProgress() {
    document.querySelectorAll('[data-progress]').forEach(function (element) {
      if (typeof window.EventSource !== 'function') return;
      var source = new window.EventSource(element.dataset.progress);
      source.onmessage = function (message) {
        var p = JSON.parse(message.data);
        var left = p.secondsLeft == null ? '' : ', about ' + p.secondsLeft + ' s left';
        var inFlight = (p.inFlightAtWorkers || []).reduce(function (sum, w) { return sum + w.rows; }, 0);
        element.textContent = p.accepted + ' accepted, ' + p.failed + ' failed, ' + p.ambiguous + ' ambiguous, ' + p.skipped + ' skipped, ' + p.pending + ' pending' +
          (p.notYetQueued ? ', ' + p.notYetQueued + ' not yet queued' : '') +
          (inFlight ? ', ' + inFlight + ' in flight at workers' : '') +
          ' of ' + (p.audience == null ? p.total : p.audience) +
          ' · ' + p.rate + ' msg/s' + left + (p.status === 'sending' ? '' : ' · ' + p.status);
        if (p.status !== 'sending') source.close();
      };
      source.onerror = function () { source.close(); };
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    enableDrag();
    followProgress();
  });
})();

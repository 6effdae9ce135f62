// bantin edit: the article form's live preview and Markdown toolbar. An external file: the
// editor's Content-Security-Policy allows no inline script. Without it the form still works
// (the "Xem trước" button posts the form into the preview frame; the toolbar stays hidden).
(function () {
  'use strict';
  var body = document.getElementById('noi_dung');
  var frame = document.getElementById('xem-truoc');
  var button = document.getElementById('nut-xem-truoc');
  var form = body && body.form;
  if (!form) return;

  // --- Markdown toolbar: inserts at the selection (undo kept where the browser allows). ---
  function replace(start, end, text, selStart, selEnd) {
    body.focus();
    body.setSelectionRange(start, end);
    var done = false;
    try { done = document.execCommand('insertText', false, text); } catch (e) { done = false; }
    if (!done) {
      body.setRangeText(text, start, end, 'end');
      body.dispatchEvent(new Event('input', { bubbles: true }));
    }
    body.setSelectionRange(start + selStart, start + selEnd);
  }

  function wrap(mark, placeholder) {
    var s = body.selectionStart, e = body.selectionEnd;
    var inner = body.value.slice(s, e) || placeholder;
    replace(s, e, mark + inner + mark, mark.length, mark.length + inner.length);
  }

  // Every line touched by the selection gets a prefix (numbered: 1., 2., …).
  function prefix(make) {
    var v = body.value;
    var s = v.lastIndexOf('\n', body.selectionStart - 1) + 1;
    var e = v.indexOf('\n', body.selectionEnd);
    if (e < 0) e = v.length;
    var lines = v.slice(s, e).split('\n');
    var text = lines.map(function (l, i) { return make(i) + l; }).join('\n');
    replace(s, e, text, 0, text.length);
  }

  function block(text, selStart, selEnd) {
    var s = body.selectionStart, e = body.selectionEnd;
    var before = s > 0 && body.value[s - 1] !== '\n' ? '\n\n' : '';
    replace(s, e, before + text, before.length + selStart, before.length + selEnd);
  }

  var actions = {
    'dam': function () { wrap('**', 'chữ đậm'); },
    'nghieng': function () { wrap('*', 'chữ nghiêng'); },
    'tieu-de': function () { prefix(function () { return '## '; }); },
    'danh-sach': function () { prefix(function () { return '- '; }); },
    'danh-so': function () { prefix(function (i) { return (i + 1) + '. '; }); },
    'trich-dan': function () { prefix(function () { return '> '; }); },
    'lien-ket': function () {
      var s = body.selectionStart, e = body.selectionEnd;
      var label = body.value.slice(s, e) || 'chữ hiện ra';
      var text = '[' + label + '](https://)';
      replace(s, e, text, label.length + 3, text.length - 1);
    },
    'bang': function () {
      var t = '| Cột 1 | Cột 2 |\n| --- | --- |\n| Ô 1 | Ô 2 |\n';
      block(t, 2, 7);
    }
  };

  var bar = document.getElementById('thanh-cong-cu');
  if (bar) {
    bar.hidden = false;
    bar.addEventListener('click', function (ev) {
      var b = ev.target.closest('button[data-md]');
      var act = b && actions[b.getAttribute('data-md')];
      if (act) { ev.preventDefault(); act(); }
    });
  }

  // --- Live preview: on a pause in typing, the form (unsaved) is posted and the answer shown
  // in the frame, at the same scroll position. Late answers of older requests are dropped. ---
  if (!frame || !button || !window.fetch || !window.URLSearchParams) return;
  var timer = null, asked = 0, shown = 0;

  function scrollOf() {
    try {
      var w = frame.contentWindow;
      return [w.scrollX, w.scrollY];
    } catch (e) { return null; }
  }

  function refresh() {
    var n = ++asked;
    var data = new URLSearchParams();
    new FormData(form).forEach(function (v, k) { if (typeof v === 'string') data.append(k, v); });
    fetch(button.getAttribute('formaction'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: data.toString()
    }).then(function (r) { return r.text(); }).then(function (html) {
      if (n < shown) return;
      shown = n;
      var at = scrollOf();
      frame.addEventListener('load', function back() {
        frame.removeEventListener('load', back);
        if (at) { try { frame.contentWindow.scrollTo(at[0], at[1]); } catch (e) { /* ignore */ } }
      });
      frame.srcdoc = html;
    }).catch(function () { /* the button still works */ });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  }

  form.addEventListener('input', later);
  form.addEventListener('change', later);
  button.addEventListener('click', function (ev) { ev.preventDefault(); clearTimeout(timer); refresh(); });
  // A new article shows nothing until it has a title (the preview would only say so).
  var title = form.elements.namedItem('tieu_de');
  if (!title || title.value) refresh();
}());

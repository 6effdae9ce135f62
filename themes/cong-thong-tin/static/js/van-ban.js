// Lọc bảng văn bản ngay trên trang (chuyên mục có van_ban = true). Không có JavaScript, các liên kết
// lọc dẫn tới trang dựng sẵn (/van-ban/loai/quyet-dinh/…); có JavaScript, ba ô chọn (loại, năm,
// cơ quan ban hành) ẩn/hiện các dòng của bảng đầy đủ, đánh lại số thứ tự và ghi số văn bản còn lại.
// Lựa chọn được ghi vào địa chỉ (?loai=…&nam=…) để gửi cho người khác hay quay lại vẫn giữ.
(function () {
  'use strict';
  var nav = document.querySelector('.loc-van-ban');
  var table = document.querySelector('.bang-van-ban');
  if (!nav || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.querySelector('[data-dem-van-ban]');
  var params = new URLSearchParams(window.location.search);
  var form = document.createElement('form');
  form.className = 'loc-van-ban__o-chon';
  form.setAttribute('role', 'search');
  form.setAttribute('aria-label', 'Lọc văn bản ngay trên bảng');
  var selects = [];
  Array.prototype.forEach.call(nav.querySelectorAll('.loc-van-ban__nhom'), function (group) {
    var list = group.querySelector('ul');
    var key = list.getAttribute('aria-labelledby').replace(/^loc-/, '');
    var label = document.createElement('label');
    var title = group.querySelector('.loc-van-ban__tieu-de').textContent;
    label.textContent = title + ' ';
    var select = document.createElement('select');
    select.name = key;
    var all = document.createElement('option');
    all.value = '';
    all.textContent = 'Tất cả';
    select.appendChild(all);
    Array.prototype.forEach.call(list.querySelectorAll('a'), function (a) {
      var o = document.createElement('option');
      // the slug is the last segment of the filter page's address
      o.value = a.getAttribute('href').replace(/\/$/, '').split('/').pop();
      o.textContent = a.textContent;
      select.appendChild(o);
    });
    select.value = params.get(key) || '';
    if (select.selectedIndex < 0) select.value = '';
    select.addEventListener('change', apply);
    label.appendChild(select);
    form.appendChild(label);
    selects.push(select);
  });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  nav.hidden = true;
  nav.parentNode.insertBefore(form, nav);

  function apply() {
    var shown = 0;
    rows.forEach(function (row) {
      var ok = selects.every(function (s) {
        return !s.value || row.getAttribute('data-' + s.name) === s.value;
      });
      row.hidden = !ok;
      if (ok) {
        shown += 1;
        var stt = row.querySelector('[data-stt]');
        if (stt) stt.textContent = String(shown);
      }
    });
    if (count) count.textContent = shown + ' văn bản';
    var q = new URLSearchParams();
    selects.forEach(function (s) { if (s.value) q.set(s.name, s.value); });
    var query = q.toString();
    window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
  }
  apply();
})();

/* Bản in của một bài viết (page.html, khối .ban-in, chỉ hiện trên giấy): thêm ngày in theo đồng
   hồ máy người đọc vào dòng "Bản in của trang web cập nhật ngày …". Không có JavaScript, bản in
   vẫn ghi ngày cập nhật (ngày dựng trang), đúng nhãn của nó. Tệp riêng, không viết thẳng trong
   trang: trang web không có đoạn script nội tuyến nào. */
(function () {
  'use strict';
  var p = document.querySelector('[data-ngay-in]');
  // Câu "In ngày …" viết bằng tiếng Việt: trang tiếng Anh (lang="en") giữ dòng ngày cập nhật của nó.
  if (!p || document.documentElement.lang !== 'vi') return;
  var capNhat = p.textContent.trim().replace(/^Bản in của trang/, 'từ trang');
  function hai(n) { return (n < 10 ? '0' : '') + n; }
  function ghi() {
    var d = new Date();
    p.textContent = 'In ngày ' + hai(d.getDate()) + '/' + hai(d.getMonth() + 1) + '/' + d.getFullYear() +
      ', ' + capNhat;
  }
  ghi();
  window.addEventListener('beforeprint', ghi);
})();

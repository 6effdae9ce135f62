// The article form's tools (served as /tai-nguyen/cong-cu.js; the CSP forbids inline script).
// Everything here only improves what works without it: the pickers' text can be copied, the
// photo form posts on its own.
(function () {
  "use strict";
  var body = document.getElementById("noi_dung");
  var status = document.getElementById("cong-cu-trang-thai");
  if (!body) return;
  var form = body.form;
  // Where the writer put the cursor; until they do, a textarea's cursor is at its start, and
  // a photo or shortcode belongs at the end of the text instead.
  var placed = false;
  ["focus", "click", "keyup", "select"].forEach(function (k) {
    body.addEventListener(k, function () { placed = true; });
  });
  function selection() {
    if (!placed) return [body.value.length, body.value.length];
    return [body.selectionStart, body.selectionEnd];
  }

  function say(text) {
    if (status) status.textContent = text;
  }

  function csrf() {
    var f = form && form.querySelector("input[name=csrf]");
    return f ? f.value : "";
  }

  // Replaces the selection of the body with `text`, the cursor after it; an input event lets
  // other scripts (the preview) see the change.
  function insert(text) {
    var at = selection();
    body.setRangeText(text, at[0], at[1], "end");
    body.dispatchEvent(new Event("input", { bubbles: true }));
    body.focus();
  }

  // Paste: HTML from Word, Google Docs or a web page becomes Markdown on the server (the same
  // converter the tests check); plain text is left to the browser.
  body.addEventListener("paste", function (e) {
    var data = e.clipboardData;
    var html = data && data.getData("text/html");
    if (!html) return;
    e.preventDefault();
    var start = body.selectionStart, end = body.selectionEnd;
    say("Đang chuyển nội dung dán…");
    fetch("/dan", {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "text/html; charset=utf-8", "X-CSRF-Token": csrf() },
      body: html
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status === 413 ? "nội dung dán quá lớn (quá 1 MB)" :
        r.status === 401 || r.status === 403 ? "phiên làm việc đã hết, hãy đăng nhập lại" :
        "máy chủ trả lời lỗi " + r.status);
      var dropped = Number(r.headers.get("X-Anh-Bo-Qua") || "0");
      return r.text().then(function (md) { return [md, dropped]; });
    }).then(function (got) {
      body.setSelectionRange(start, end);
      placed = true;
      insert(got[0]);
      say(got[1] > 0
        ? "Đã dán. " + got[1] + " ảnh trong nội dung dán bị bỏ qua: hãy thêm ảnh bằng mục Thêm ảnh."
        : "Đã dán.");
    }).catch(function (err) {
      say("Không dán được: " + err.message + ".");
    });
  });

  // Pickers: the "Chèn" buttons appear only when this script runs.
  var buttons = document.querySelectorAll("button.chen[data-chen]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener("click", function (e) {
      insert(e.currentTarget.getAttribute("data-chen"));
      say("Đã chèn.");
    });
  }

  // Photo form: carries the article form as typed (nothing unsaved is lost; its fields
  // prefixed "bai_") and the cursor,
  // so the server inserts the photo's line there.
  var photo = document.getElementById("tai-anh");
  if (photo && form) {
    photo.addEventListener("submit", function () {
      var old = photo.querySelectorAll("input[data-chep]");
      for (var j = 0; j < old.length; j++) old[j].remove();
      var fields = new FormData(form);
      fields.forEach(function (value, name) {
        if (name === "csrf" || name === "base" || typeof value !== "string") return;
        add("bai_" + name, value); // prefixed: the description is "mo_ta" too

      });
      // without a cursor placed, the server adds the line at the end
      if (placed) add("vi_tri", String(body.selectionStart));
    });
  }

  // A photo dragged from the desktop onto the body (or the photo form) is put in the photo
  // form's file field; the writer is sent to the alt text, which the form requires before it
  // uploads. Other drops (text) are left to the browser.
  function isPhoto(dt) {
    return dt && Array.prototype.some.call(dt.types || [], function (t) { return t === "Files"; });
  }
  var file = document.getElementById("anh");
  var alt = document.getElementById("mo_ta_anh");
  [body, photo].forEach(function (zone) {
    if (!zone) return;
    zone.addEventListener("dragover", function (e) {
      if (isPhoto(e.dataTransfer)) e.preventDefault();
    });
    zone.addEventListener("drop", function (e) {
      if (!isPhoto(e.dataTransfer)) return;
      e.preventDefault();
      if (!file || !alt) {
        say("Lưu bài trước khi thêm ảnh.");
        return;
      }
      var one = new DataTransfer();
      one.items.add(e.dataTransfer.files[0]);
      file.files = one.files;
      alt.focus();
      say("Đã chọn ảnh " + file.files[0].name + ": viết mô tả ảnh rồi bấm Tải ảnh lên.");
    });
  });

  function add(name, value) {
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    input.setAttribute("data-chep", "");
    photo.appendChild(input);
  }
})();

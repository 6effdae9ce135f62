// bantin serve: reloads the page after each rebuild and shows build errors over the page.
// Injected into served HTML only; never written into the built files.
(function () {
  "use strict";
  var me = document.currentScript;
  var gen = me ? me.getAttribute("data-the-he") : null;
  var box = function () { return document.getElementById("bantin-loi"); };
  function overlay(text) {
    var old = box();
    if (old) { old.parentNode.removeChild(old); }
    if (!text) { return; }
    var b = document.createElement("div");
    b.id = "bantin-loi";
    b.setAttribute("role", "alert");
    b.style.cssText = "position:fixed;z-index:2147483647;left:0;right:0;top:0;max-height:70vh;overflow:auto;" +
      "margin:0;padding:1em 1.25em;background:#7a1010;color:#fff;font:15px/1.5 system-ui,sans-serif;" +
      "box-shadow:0 2px 12px rgba(0,0,0,.5)";
    var h = document.createElement("strong");
    h.textContent = "Dựng trang thất bại — đang hiện bản dựng tốt gần nhất. Sửa lỗi rồi lưu lại, trang sẽ tự tải lại.";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:.75em 0;font:14px/1.45 ui-monospace,monospace";
    pre.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Đóng";
    close.onclick = function () { overlay(null); };
    b.appendChild(h);
    b.appendChild(pre);
    b.appendChild(close);
    document.body.appendChild(b);
  }
  if (!window.EventSource) { return; }
  var es = new EventSource("/__bantin/tai-lai");
  es.addEventListener("trang-thai", function (e) {
    var s = JSON.parse(e.data);
    if (s.loi) { overlay(s.loi); } else if (gen !== null && String(s.the_he) !== gen) { location.reload(); }
  });
  es.addEventListener("tai-lai", function () { location.reload(); });
  es.addEventListener("loi", function (e) { overlay(JSON.parse(e.data).loi); });
})();

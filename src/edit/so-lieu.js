// The figures grid: live check as you type and paste of a block of cells from Excel.
// The server is the one reader of numbers: this script only sends the form and shows the
// messages it gets back (POST /so-lieu/kiem-tra/<file>, JSON by cell id).
(function () {
  "use strict";
  var form = document.querySelector("form.so-lieu");
  if (!form || !form.dataset.kiemTra) return;
  var csrf = form.querySelector("input[name=csrf]");
  var timer = null;

  function show(input, notes) {
    var id = input.id;
    var old = document.getElementById("loi-" + id);
    if (old) old.remove();
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
    if (!notes || !notes.length) return;
    var p = document.createElement("p");
    var error = notes.some(function (n) { return n.loi; });
    p.className = error ? "loi" : "loi canh-bao";
    p.id = "loi-" + id;
    notes.forEach(function (n, i) {
      if (i) p.appendChild(document.createElement("br"));
      p.appendChild(document.createTextNode(n.text));
    });
    input.insertAdjacentElement("afterend", p);
    input.setAttribute("aria-describedby", p.id);
    if (error) input.setAttribute("aria-invalid", "true");
  }

  function check() {
    var body = new URLSearchParams(new FormData(form));
    fetch(form.dataset.kiemTra, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf ? csrf.value : "" },
      body: body,
      credentials: "same-origin"
    }).then(function (r) {
      return r.ok ? r.json() : null;
    }).then(function (notes) {
      if (!notes) return;
      form.querySelectorAll("td input").forEach(function (input) {
        show(input, notes[input.id]);
      });
    }).catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(check, 400);
  }

  form.addEventListener("input", later);

  // A block copied from Excel is text: rows on lines, cells separated by tabs.
  form.addEventListener("paste", function (e) {
    var input = e.target;
    if (!input.matches || !input.matches("td input") || input.readOnly) return;
    var text = (e.clipboardData || window.clipboardData).getData("text");
    if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) return;
    e.preventDefault();
    var lines = text.replace(/\r/g, "").split("\n");
    if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
    var td = input.closest("td");
    var tr = td.closest("tr");
    var col = Array.prototype.indexOf.call(tr.children, td);
    var rows = Array.prototype.slice.call(tr.parentNode.children);
    var start = rows.indexOf(tr);
    lines.forEach(function (line, i) {
      var row = rows[start + i];
      if (!row) return;
      line.split("\t").forEach(function (value, j) {
        var cell = row.children[col + j];
        var target = cell && cell.querySelector("input");
        if (target && !target.readOnly) target.value = value.trim();
      });
    });
    check();
  });
})();

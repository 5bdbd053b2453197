// Search over the portal's index (chi-muc.json). Results are built with textContent and our own relative
// paths only: nothing from the index is ever parsed as markup.
(function () {
  "use strict";
  var script = document.currentScript;
  var root = script.getAttribute("data-root") || "";
  var fold = function (s) { return (s || "").normalize("NFC").toLocaleLowerCase("vi"); };
  var params = new URLSearchParams(window.location.search);
  var q = (params.get("q") || "").trim();
  var input = document.getElementById("q");
  var list = document.getElementById("ket-qua");
  var summary = document.getElementById("ket-qua-tom-tat");
  if (input) { input.value = q; }
  if (!q) { return; }
  fetch(script.getAttribute("data-index")).then(function (r) { return r.json(); }).then(function (rows) {
    var words = fold(q).split(/\s+/).filter(Boolean);
    var hits = rows.filter(function (row) {
      var text = fold(row.t + " " + row.s);
      return words.every(function (w) { return text.indexOf(w) !== -1; });
    });
    summary.textContent = hits.length ? "Tìm thấy " + hits.length + " bài cho “" + q + "”." : "Không có bài nào cho “" + q + "”.";
    hits.forEach(function (row) {
      if (!/^bai\/[a-z0-9-]+\/index\.html$/.test(row.u)) { return; }
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", root + row.u);
      a.textContent = row.t;
      var time = document.createElement("span");
      time.className = "date";
      time.textContent = " " + row.d;
      var p = document.createElement("p");
      p.textContent = row.s;
      li.appendChild(a); li.appendChild(time); li.appendChild(p);
      list.appendChild(li);
    });
  }).catch(function () { summary.textContent = "Không tải được chỉ mục tìm kiếm."; });
}());

// The live queue: each "row" event carries rendered rows; a row replaces the one with its id, a new one goes on
// top, and one marked data-gone leaves (it no longer matches the filters or was closed).
document.addEventListener("htmx:sseBeforeMessage", function (event) {
  var rows = event.target;
  if (!rows.hasAttribute("data-live-rows")) return;
  event.preventDefault();
  var holder = document.createElement("template");
  holder.innerHTML = event.detail.data;
  holder.content.querySelectorAll("tr[id]").forEach(function (row) {
    var old = document.getElementById(row.id);
    if (row.hasAttribute("data-gone")) {
      if (old) old.remove();
      return;
    }
    if (old) old.replaceWith(row);
    else rows.prepend(row);
    htmx.process(row);
  });
  var empty = rows.querySelector("tr.empty-row");
  if (empty && rows.querySelector("tr[id]")) empty.hidden = true;
});

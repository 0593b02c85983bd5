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

// A ticket part the live stream brings (data-live) is not swapped in over a part showing the same state of the
// ticket (data-state: a digest of the part rendered without any form's input, tickets/parts.py): what the user is
// typing, and the refusal a form just showed, stay until the ticket itself changes.
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  var incoming = event.detail.fragment.firstElementChild;
  if (!incoming || !incoming.hasAttribute("data-live")) return;
  var state = incoming.getAttribute("data-state");
  if (state && state === event.detail.target.getAttribute("data-state")) event.detail.shouldSwap = false;
});

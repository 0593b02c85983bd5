// The volunteer's phone page. (1) Offers count down to the second and leave the page when their time is up; the
// server's clock is the reference (data-now), so a phone whose clock is off still shows the right time left.
// (2) A photo larger than the platform takes in one request is scaled down (longest side 1600 px, JPEG) before
// it is sent, as phone cameras make pictures of several megabytes. No text here: the page holds every word.
(function () {
  var SHRINK_ABOVE = 900 * 1024;
  var LONGEST = 1600;
  var skew = 0;

  function readSkew(root) {
    var list = root.querySelector("[data-offers][data-now]");
    if (list) skew = Number(list.getAttribute("data-now")) - Date.now();
  }

  function tick() {
    var now = Date.now() + skew;
    document.querySelectorAll("[data-offers]").forEach(function (list) {
      list.querySelectorAll("[data-expires]").forEach(function (card) {
        var left = Math.floor((Number(card.getAttribute("data-expires")) - now) / 1000);
        if (left <= 0) {
          card.remove();
          return;
        }
        var m = card.querySelector("[data-m]");
        var s = card.querySelector("[data-s]");
        if (m) m.textContent = String(Math.floor(left / 60));
        if (s) s.textContent = String(left % 60).padStart(2, "0");
      });
      var empty = list.parentElement.querySelector("[data-offers-empty]");
      if (empty) empty.hidden = list.querySelector("[data-expires]") !== null;
    });
  }

  function shrink(input) {
    var file = input.files && input.files[0];
    if (!file || file.size <= SHRINK_ABOVE || !window.createImageBitmap || !window.DataTransfer) return;
    createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, LONGEST / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        if (!blob) return;
        var smaller = new DataTransfer();
        smaller.items.add(new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" }));
        input.files = smaller.files;
      }, "image/jpeg", 0.85);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    readSkew(document);
    tick();
    setInterval(tick, 1000);
  });
  document.addEventListener("htmx:afterSwap", function () {
    readSkew(document);
    tick();
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-shrink]")) shrink(input);
  });
})();

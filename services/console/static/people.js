// The people forms' checks as the user types: a resident ID number (GB 11643: 18 characters, a real birth date,
// the check digit) and a mainland mobile number. The words come from the field's data-say-* attributes (the
// catalogue's); the server checks again, so this only says sooner what orgtree would refuse.
(function () {
  "use strict";
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";

  function compact(value) {
    return value.replace(/\s/g, "").toUpperCase();
  }

  function realBirthDate(number) {
    var y = +number.slice(6, 10), m = +number.slice(10, 12), d = +number.slice(12, 14);
    var born = new Date(y, m - 1, d);
    return y >= 1900 && born.getFullYear() === y && born.getMonth() === m - 1 && born.getDate() === d && born <= new Date();
  }

  // what is wrong ("length", "characters", "birth-date", "check-digit"), or "" when nothing is; while the user is
  // still typing (done false) a short number is not wrong yet
  function idCardProblem(value, done) {
    var number = compact(value);
    if (!/^\d*X?$/.test(number) || (number.indexOf("X") !== -1 && number.indexOf("X") !== 17)) return "characters";
    if (number.length !== 18) return number.length > 18 || (done && number.length > 0) ? "length" : "";
    if (number[0] === "0" || !realBirthDate(number)) return "birth-date";
    var total = 0;
    for (var i = 0; i < 17; i++) total += +number[i] * WEIGHTS[i];
    return CHECK[total % 11] === number[17] ? "" : "check-digit";
  }

  function mobileProblem(value, done) {
    var number = value.replace(/[\s\-()]/g, "").replace(/^\+?86(?=1\d{10}$)/, "");
    if (!/^\d*$/.test(number)) return "mobile";
    if (number.length < 11 && !done) return "";
    return number === "" || /^1[3-9]\d{9}$/.test(number) ? "" : "mobile";
  }

  function say(input, problem) {
    var id = "e-" + input.name;
    var message = document.getElementById(id);
    var field = input.closest(".field");
    if (!problem) {
      if (message) message.remove();
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
      if (field) field.classList.remove("invalid");
      return;
    }
    if (!message) {
      message = document.createElement("p");
      message.className = "error";
      message.id = id;
      input.insertAdjacentElement("afterend", message);
    }
    message.textContent = input.getAttribute("data-say-" + problem) || "";
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    if (field) field.classList.add("invalid");
  }

  function check(input, done) {
    var kind = input.getAttribute("data-check");
    var problem = kind === "id-card" ? idCardProblem(input.value, done) : mobileProblem(input.value, done);
    // while typing, a message the server gave stays until the value becomes right or the field is left
    if (!problem && !done && input.value && kind === "id-card" && compact(input.value).length < 18) return;
    say(input, problem);
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-check")) check(input, false);
  });
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-check")) check(input, true);
  });
})();

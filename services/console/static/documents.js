// Uploading a document's file from the console (services/console/documents/uploading.py). The form is posted
// here by fetch with the chosen file's name, type and size: the console asks the documents API for the upload
// as the signed-in user (the user's token never reaches this page) and answers the grant. The file is then PUT
// straight to the presigned URL (one, or one per part of partBytes, keeping each part's ETag), with the progress
// shown, and the console confirms it and names the document's page to open. Refusals arrive as messages by
// field, shown beside the field. No text here: the page holds every word (the form's data-say-* attributes).
(function () {
  function token(form) {
    var field = form.querySelector('input[name="_csrf_token"]');
    return field ? field.value : "";
  }

  function post(form, url, data) {
    var body = new URLSearchParams();
    Object.keys(data).forEach(function (name) {
      body.append(name, data[name]);
    });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "x-csrftoken": token(form), accept: "application/json" },
      body: body,
    }).then(function (response) {
      return response
        .json()
        .catch(function () {
          return {};
        })
        .then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
    });
  }

  // One PUT by XMLHttpRequest (fetch reports no upload progress); resolves with the answer's ETag.
  function put(url, blob, headers, progress) {
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("PUT", url);
      Object.keys(headers || {}).forEach(function (name) {
        request.setRequestHeader(name, headers[name]);
      });
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) progress(event.loaded);
      };
      request.onload = function () {
        if (request.status >= 200 && request.status < 300) {
          progress(blob.size);
          resolve(request.getResponseHeader("ETag") || "");
        } else reject(new Error("store answered " + request.status));
      };
      request.onerror = function () {
        reject(new Error("network"));
      };
      request.send(blob);
    });
  }

  // The whole file to the grant's URL, or each slice of partBytes to its part's URL in turn.
  function send(file, grant, shown) {
    var sent = 0;
    function progress(base) {
      return function (loaded) {
        shown(Math.min(100, Math.floor(((base + loaded) * 100) / Math.max(file.size, 1))));
      };
    }
    if (grant.url) {
      return put(grant.url, file, grant.headers, progress(0)).then(function () {
        return null;
      });
    }
    var parts = [];
    return grant.parts
      .reduce(function (previous, part) {
        return previous.then(function () {
          var start = (part.partNumber - 1) * grant.partBytes;
          var slice = file.slice(start, start + grant.partBytes);
          return put(part.url, slice, {}, progress(sent)).then(function (etag) {
            sent += slice.size;
            parts.push({ partNumber: part.partNumber, etag: etag });
          });
        });
      }, Promise.resolve())
      .then(function () {
        return parts;
      });
  }

  function setup(form) {
    var chosen = null;
    var box = form.querySelector("[data-progress-box]");
    var bar = form.querySelector("[data-progress]");
    var percent = form.querySelector("[data-percent]");
    var status = form.querySelector("[data-status]");
    var alert = form.querySelector("[data-form-error]");
    var button = form.querySelector('button[type="submit"]');
    var say = form.dataset;

    function shown(value) {
      bar.value = value;
      percent.textContent = value + "%";
    }

    function clear() {
      alert.hidden = true;
      alert.textContent = "";
      form.querySelectorAll("[data-error-for]").forEach(function (message) {
        message.hidden = true;
        message.textContent = "";
        var control = form.querySelector("#f-" + message.dataset.errorFor);
        if (control) {
          control.removeAttribute("aria-invalid");
          control.removeAttribute("aria-describedby");
        }
      });
    }

    // Each message beside its field (the file's beside the file inputs), the first field focused.
    function refused(answer) {
      var first = null;
      if (!answer.fields && !answer.form) answer = { form: say.sayFailed }; // not the console's JSON: a failure
      Object.keys(answer.fields || {}).forEach(function (name) {
        var message = form.querySelector('[data-error-for="' + name + '"]');
        if (!message) return;
        message.textContent = answer.fields[name];
        message.hidden = false;
        var control = form.querySelector("#f-" + name);
        if (control) {
          control.setAttribute("aria-invalid", "true");
          control.setAttribute("aria-describedby", message.id);
          first = first || control;
        }
      });
      if (answer.form) {
        alert.textContent = answer.form;
        alert.hidden = false;
      }
      if (first) first.focus();
      button.disabled = false;
      box.hidden = true;
    }

    function choose(file) {
      chosen = file || null;
      var label = form.querySelector("[data-chosen]");
      label.textContent = chosen ? chosen.name + " (" + Math.max(1, Math.round(chosen.size / 1024)) + " KB)" : "";
    }

    form.querySelectorAll("[data-file]").forEach(function (input) {
      input.addEventListener("change", function () {
        choose(input.files && input.files[0]);
      });
    });
    var zone = form.querySelector("[data-drop]");
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    zone.addEventListener("dragleave", function () {
      zone.classList.remove("dragging");
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
      choose(event.dataTransfer.files && event.dataTransfer.files[0]);
    });
    var kind = form.querySelector("#f-typeCode");
    if (kind) {
      kind.addEventListener("change", function () {
        var option = kind.options[kind.selectedIndex];
        var picker = form.querySelector("#f-file");
        if (option && option.dataset.accept) picker.setAttribute("accept", option.dataset.accept);
        else picker.removeAttribute("accept");
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      clear();
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (typeof value === "string") data[name] = value;
      });
      if (chosen) {
        data.filename = chosen.name;
        data.contentType = chosen.type || "application/octet-stream";
        data.sizeBytes = String(chosen.size);
      }
      button.disabled = true;
      var upload = null;
      post(form, form.getAttribute("action"), data)
        .then(function (started) {
          if (!started.ok) return refused(started.answer);
          upload = started.answer;
          box.hidden = false;
          shown(0);
          status.textContent = say.saySending;
          return send(chosen, upload.upload, shown).then(function (parts) {
            status.textContent = say.sayChecking;
            var confirm = { typeCode: upload.typeCode };
            if (parts) confirm.parts = JSON.stringify(parts);
            return post(form, "/console/documents/uploads/" + upload.versionId + "/confirm", confirm);
          }).then(function (confirmed) {
            if (!confirmed.ok) return refused(confirmed.answer);
            window.location.assign(confirmed.answer.location);
          });
        })
        .catch(function () {
          refused({ form: say.sayFailed });
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-upload]").forEach(setup);
  });
})();

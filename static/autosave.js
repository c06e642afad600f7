// Autosave of the questionnaire (DESIGN §11): every change is sent at once with a client sequence
// number; unacknowledged answers wait in localStorage and are retried with backoff, so nothing a
// respondent has answered is lost to bad Wi-Fi, a reload or a closed tab. Without JavaScript the
// form still works by page submit.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  if (!form || form.dataset.locked) { return; }
  var state = document.getElementById("save-state");
  var url = form.dataset.saveUrl;
  var key = "planner-pending-" + form.dataset.respondent;
  var seqKey = "planner-seq-" + form.dataset.respondent;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var delay = 1000;
  var timer = null;
  var inFlight = false;
  var stopped = false;  // the server refused for good (submitted, withdrawn): keep, do not retry

  function load() { try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; } }
  function store(pending) { try { localStorage.setItem(key, JSON.stringify(pending)); } catch (e) { /* private mode: memory only */ } }
  var pending = load();

  function nextSeq() {
    var last = parseInt(localStorage.getItem(seqKey) || "0", 10) || 0;
    var seq = Math.max(Date.now(), last + 1);
    try { localStorage.setItem(seqKey, String(seq)); } catch (e) { /* ignore */ }
    return seq;
  }

  function show(kind) {
    if (!state) { return; }
    state.textContent = state.dataset[kind] || "";
    state.className = "save-state small " + kind;
  }

  function snapshot(fieldset) {
    if (fieldset.dataset.dimension) {
      var picked = fieldset.querySelector('input[type="radio"]:checked');
      return { key: "dim:" + fieldset.dataset.dimension, url: form.dataset.importanceUrl,
               body: { dimension: fieldset.dataset.dimension, value: picked ? picked.value : null, client_seq: nextSeq() } };
    }
    var id = fieldset.dataset.question;
    var checked = fieldset.querySelector('input[type="radio"]:checked');
    var comment = fieldset.querySelector("textarea");
    return { key: id, url: url,
             body: { question: id, value: checked ? checked.value : null, comment: comment ? comment.value : "", client_seq: nextSeq() } };
  }

  function queue(fieldset) {
    var item = snapshot(fieldset);
    pending[item.key] = item;
    store(pending);
    flush();
  }

  function flush() {
    if (inFlight || stopped) { return; }
    var ids = Object.keys(pending);
    if (!ids.length) { show("saved"); updateProgress(); return; }
    inFlight = true;
    show("saving");
    var item = pending[ids[0]];
    var answer = item.body || item;  // entries saved by an older page have no envelope
    fetch(item.url || url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify(answer)
    }).then(function (response) {
      if (response.ok) { return response.json(); }
      return response.json().catch(function () { return {}; }).then(function (body) {
        var status = response.status;
        var wait = parseInt(response.headers.get("Retry-After") || "", 10);
        // 409 submitted, 410 withdrawn or expired, 403/404 no session: saving cannot succeed
        // now; the answer stays on screen and in this browser, and the server says why.
        if (status === 409 || status === 410 || status === 403 || status === 404) {
          throw { stop: true, message: body.error };
        }
        if (status === 400 || status === 413 || status === 422) { throw { drop: true, message: body.error }; }
        throw { wait: isNaN(wait) ? 0 : wait * 1000 };  // 429, 503 (busy database), other 5xx
      });
    }).then(function (ack) {
      var key = ids[0];
      var current = pending[key] && (pending[key].body || pending[key]);
      if (current && ack.client_seq >= current.client_seq) { delete pending[key]; store(pending); }
      delay = 1000;
      inFlight = false;
      flush();
    }).catch(function (problem) {
      inFlight = false;
      if (problem && problem.stop) { stopped = true; say(problem.message, "locked"); return; }
      if (problem && problem.drop) { delete pending[ids[0]]; store(pending); say(problem.message, "failed"); return; }
      show("retrying");
      clearTimeout(timer);
      timer = setTimeout(flush, Math.max(delay, (problem && problem.wait) || 0));
      delay = Math.min(delay * 2, 30000);
    });
  }

  function say(message, kind) {
    if (!state) { return; }
    state.textContent = message || state.dataset[kind] || "";
    state.className = "save-state small " + kind;
    state.setAttribute("role", "alert");
  }

  function updateProgress() {
    var bar = document.getElementById("progress");
    if (!bar) { return; }
    var before = parseInt(bar.dataset.base || bar.value, 10);
    if (!bar.dataset.base) {
      var initiallyAnswered = 0;
      form.querySelectorAll("fieldset.question").forEach(function (f) { if (f.dataset.initial === "1") { initiallyAnswered += 1; } });
      bar.dataset.base = String(before - initiallyAnswered);
    }
    var now = 0;
    form.querySelectorAll("fieldset.question").forEach(function (f) { if (f.querySelector('input[type="radio"]:checked')) { now += 1; } });
    bar.value = parseInt(bar.dataset.base, 10) + now;
  }

  // restore answers that were given here but never acknowledged (a reload, a lost connection)
  form.querySelectorAll("fieldset.importance").forEach(function (fieldset) {
    var saved = pending["dim:" + fieldset.dataset.dimension];
    if (saved && saved.body && saved.body.value) {
      var radio = fieldset.querySelector('input[type="radio"][value="' + saved.body.value + '"]');
      if (radio) { radio.checked = true; }
    }
  });
  form.querySelectorAll("fieldset.question").forEach(function (fieldset) {
    fieldset.dataset.initial = fieldset.querySelector('input[type="radio"]:checked') ? "1" : "0";
    var entry = pending[fieldset.dataset.question];
    if (!entry) { return; }
    var saved = entry.body || entry;
    if (saved.value) {
      var radio = fieldset.querySelector('input[type="radio"][value="' + saved.value + '"]');
      if (radio) { radio.checked = true; }
    }
    var comment = fieldset.querySelector("textarea");
    if (comment && saved.comment) {
      comment.value = saved.comment;
      if (comment.closest("details")) { comment.closest("details").open = true; }
    }
  });

  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset.question, fieldset.importance");
    if (fieldset) { queue(fieldset); }
  });
  var typing = {};
  form.addEventListener("input", function (event) {
    if (event.target.tagName !== "TEXTAREA") { return; }
    var fieldset = event.target.closest("fieldset.question");
    clearTimeout(typing[fieldset.dataset.question]);
    typing[fieldset.dataset.question] = setTimeout(function () { queue(fieldset); }, 800);
  });
  window.addEventListener("online", flush);
  window.addEventListener("beforeunload", function (event) {
    if (Object.keys(pending).length) { event.preventDefault(); event.returnValue = ""; }
  });
  flush();
})();

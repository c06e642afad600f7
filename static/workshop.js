// The live workshop (DESIGN §7): phones and the projector poll the state every 2 s with the last
// ETag (an unchanged room answers 304); the page reloads when the item, phase or agreed value
// changes and only updates the vote count otherwise. A phone's vote is sent with a client sequence
// and retried until acknowledged. Without JavaScript every page still works by reload and submit.
(function () {
  "use strict";
  var room = document.querySelector("[data-state-url]");
  if (!room) { return; }
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var etag = null;
  var shown = room.dataset.view;  // phase|item|agreed as the server rendered it
  var facilitator = room.classList.contains("facilitator");

  function view(state) {
    return [state.phase, state.item ? state.item.id : "", state.agreed === null ? "" : state.agreed].join("|");
  }

  // The facilitator's screen: who joined changes the state but not the view, so the page's live
  // parts ([data-live] with an id: the participants, the joined count) are fetched again.
  function refreshLive() {
    if (!facilitator) { return; }
    fetch(window.location.href, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html");
        room.querySelectorAll("[data-live][id]").forEach(function (part) {
          var next = fresh.getElementById(part.id);
          if (next) { part.replaceWith(document.importNode(next, true)); }
        });
      })
      .catch(function () { /* the next change tries again */ });
  }

  var first = true;
  function poll(again) {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(room.dataset.stateUrl, { headers: headers, cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 304) { return null; }
        if (!response.ok) { return null; }
        etag = response.headers.get("ETag");
        return response.json();
      })
      .then(function (state) {
        if (!state) { return; }
        if (view(state) !== shown) { window.location.reload(); return; }
        room.querySelectorAll(".votes").forEach(function (votes) { votes.textContent = String(state.votes); });
        // the first answer is fresh too when someone joined between the page and this poll
        if (!first || String(state.version) !== room.dataset.version) { refreshLive(); }
        first = false;
      })
      .catch(function () { /* offline for a moment: the next poll tries again */ })
      .then(function () { if (again !== false) { window.setTimeout(poll, 2000); } });
  }
  window.setTimeout(poll, 2000);

  // Phones: a tap votes at once and stays marked; a failed send is retried.
  var form = room.querySelector("form.vote");
  var said = room.querySelector(".ws-vote-state");
  var last = 0;
  function say(kind) {
    if (!said) { return; }
    said.textContent = said.dataset[kind] || "";
    said.className = "ws-vote-state " + kind;
  }
  function send(body, tries) {
    fetch(form.action, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 409 || response.status === 410) { window.location.reload(); return; }
      if (!response.ok) { throw new Error(String(response.status)); }
      if (body.client_seq === last) { say("saved"); }
      room.classList.add("saved");
      poll(false);  // the count now includes this vote: show it without waiting for the next poll
    }).catch(function () {
      if (body.client_seq === last) { say("retrying"); }
      if (tries < 30) { window.setTimeout(function () { send(body, tries + 1); }, Math.min(500 * (tries + 1), 4000)); }
    });
  }
  if (form) {
    form.addEventListener("click", function (event) {
      var button = event.target.closest("button[name=value]");
      if (!button) { return; }
      event.preventDefault();
      form.querySelectorAll("button[name=value]").forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
      last = Math.max(Date.now(), last + 1);
      room.classList.remove("saved");
      say("sending");
      send({ item: form.querySelector("input[name=item]").value, value: button.value, client_seq: last }, 0);
    });
  }

  // The facilitator's discussion timer: counts from when this browser first showed the item
  // (kept across the reloads of one item in sessionStorage; nothing on the server).
  var timer = room.querySelector("[data-timer]");
  if (timer) {
    var key = "planner-workshop-timer";
    var started = Date.now();
    try {
      var kept = JSON.parse(window.sessionStorage.getItem(key) || "null");
      if (kept && kept.item === timer.dataset.timer) { started = kept.since; }
      else { window.sessionStorage.setItem(key, JSON.stringify({ item: timer.dataset.timer, since: started })); }
    } catch (e) { /* private mode: the timer restarts on reload */ }
    var tick = function () {
      var seconds = Math.max(0, Math.floor((Date.now() - started) / 1000));
      var rest = seconds % 60;
      timer.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
    };
    tick();
    window.setInterval(tick, 1000);
  }

  // The agenda scrolls in its own box: keep the current item in sight.
  var agenda = room.querySelector(".ws-agenda ol");
  var now = agenda && agenda.querySelector("li[aria-current]");
  if (now) { agenda.scrollTop = Math.max(0, now.offsetTop - agenda.offsetTop - agenda.clientHeight / 3); }

  // Buttons that end something for everyone ask first.

  room.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (button && !window.confirm(button.dataset.confirm)) { event.preventDefault(); }
  });

  // The facilitator's clicker: → next, ← previous, R reveal.
  var controls = room.querySelector("form.controls");
  if (controls) {
    document.addEventListener("keydown", function (event) {
      if (event.target.closest("input, select, textarea")) { return; }
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var action = { ArrowRight: "next", PageDown: "next", ArrowLeft: "prev", PageUp: "prev", r: "reveal", R: "reveal" }[event.key];
      var button = action && controls.querySelector('button[value="' + action + '"]');
      if (button && !button.disabled) { event.preventDefault(); button.click(); }
    });
  }
}());

// What the technician does on their pages, working with or without a network: punches,
// check-ins and check-outs, timers started and stopped. A press becomes a request at once:
// its own request id and the time it was pressed (a punch also the phone's position, when
// the browser gives one in a few seconds). It is kept on the phone (IndexedDB), in one
// queue in the order made, and sent in that order to the hub; with no network it waits,
// listed as "waiting to send", until the network is back, this page is opened again or the
// app is. The hub takes each request id once, so a request sent twice is one record. The
// page says what it says in the technician's language (#queue's data-words).
const STORE = "punches";  // its first name, from when only punches waited in it
const RETRY_MS = 10000;  // with requests waiting and no network, try again this often

function opened() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("depotclock", 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, {keyPath: "seq", autoIncrement: true});
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function stored(mode, use) {
  const db = await opened();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const result = use(transaction.objectStore(STORE));
    transaction.oncomplete = () => { db.close(); resolve(result && result.result); };
    transaction.onerror = () => { db.close(); reject(transaction.error); };
  });
}

const kept = () => stored("readonly", store => store.getAll());  // in key order: the order made
const keep = request => stored("readwrite", store => store.add(request));
const drop = seq => stored("readwrite", store => store.delete(seq));
const refuse = (request, message) => stored("readwrite", store => store.put({...request, refused: message}));

function position() {
  return new Promise(resolve => {
    if (!navigator.geolocation) return resolve({});
    navigator.geolocation.getCurrentPosition(
      found => resolve({lat: found.coords.latitude, lon: found.coords.longitude, accuracy_m: found.coords.accuracy}),
      () => resolve({}), {enableHighAccuracy: true, timeout: 8000, maximumAge: 60000});
  });
}

const chosen = select => select && select.value ? select.selectedOptions[0].textContent.trim() : "";

// Per kind of form: what its request says, and what the list shows of it beside the button's words.
const KINDS = {
  punch: form => ({body: {action: form.elements.action.value, break_kind: form.elements.break_kind.value || null},
                   shown: []}),
  check_in: form => {
    const number = form.elements.number.value.trim();
    return {body: {work_order_id: number || form.elements.work_order.value},
            shown: [number || chosen(form.elements.work_order)]};
  },
  check_out: form => ({body: {next_status: form.elements.next_status.value, note: form.elements.note.value || null},
                       shown: [chosen(form.elements.next_status)]}),
  timer_start: form => ({body: {action: "start", target: form.elements.target.value},
                         shown: [chosen(form.elements.target)]}),
  timer_stop: () => ({body: {action: "stop"}, shown: []}),
};

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (whole, name) => values[name] ?? whole);

// Shows the part of the page for `state` in its group (the clock's buttons, the check-in
// or check-out form, the running timer), as the hub will once the request reaches it.
function showState(group, state, values) {
  for (const part of document.querySelectorAll(`[data-group="${group}"][data-state]`)) {
    part.hidden = part.dataset.state !== state;
    const headline = document.querySelector(`[data-headline="${group}"]`);
    if (!part.hidden && part.dataset.label && headline) headline.textContent = fill(part.dataset.label, values);
  }
}

function render(queue, requests, note) {
  const words = JSON.parse(queue.dataset.words);
  const list = queue.querySelector("#waiting");
  list.replaceChildren();
  for (const request of requests) {
    const item = document.createElement("li");
    const mine = request.body.technician_id === queue.dataset.technician;
    item.textContent = `${request.label} · ${request.values.time} · ` + (request.refused
      ? fill(words.refused, {why: request.refused}) : mine ? words.waiting : words.not_theirs);
    item.className = request.refused ? "refused" : "waiting";
    if (request.refused) {
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "secondary";
      dismiss.textContent = words.dismiss;
      dismiss.addEventListener("click", () => drop(request.seq).then(() => refresh(queue)));
      item.append(" ", dismiss);
    }
    list.append(item);
  }
  queue.querySelector("#queue-note").textContent = note || "";
  queue.hidden = requests.length === 0;
  const last = {};
  for (const request of requests) {
    if (!request.refused && request.body.technician_id === queue.dataset.technician) last[request.group] = request;
  }
  for (const [group, request] of Object.entries(last)) showState(group, request.after, request.values);
}

async function refresh(queue, note) {
  render(queue, await kept(), note);
}

// Sends the waiting requests in the order made; stops at the first that cannot go now.
async function send(queue) {
  const words = JSON.parse(queue.dataset.words);
  const token = document.querySelector("input[name=csrf_token]").value;
  let recorded = 0, note = "";
  for (const request of await kept()) {
    if (request.refused || request.body.technician_id !== queue.dataset.technician) continue;
    let response;
    try {
      response = await fetch(request.send, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: {"Content-Type": "application/json", "X-CSRFToken": token},
        body: JSON.stringify({...request.body, sent_at: new Date().toISOString()})});
    } catch (offline) {
      note = words.offline;
      break;
    }
    const problem = response.status >= 400 && response.status < 500 &&
      (response.headers.get("Content-Type") || "").startsWith("application/json");
    if (response.ok) {
      await drop(request.seq);
      recorded += 1;
    } else if (problem) {
      await refuse(request, (await response.json()).message);
      recorded += 1;
    } else {
      note = response.type === "opaqueredirect" ? words.log_in : words.no_answer;
      break;
    }
  }
  if (recorded) location.reload();  // the hub's word on the day, and what it said of each request
  else await refresh(queue, note);
  if (note === words.offline) setTimeout(() => sendOnce(queue), RETRY_MS);  // the "online" event is not always told
}

let sending = Promise.resolve();
function sendOnce(queue) {  // one sending at a time, each reading what is kept then
  const words = JSON.parse(queue.dataset.words);
  sending = sending.then(() => send(queue)).catch(error => refresh(queue, fill(words.failed, {why: error})));
  return sending;
}

async function press(queue, form) {
  const made = new Date();
  const {body, shown} = KINDS[form.dataset.kind](form);
  if (Object.values(body).some(value => value === "")) {
    return refresh(queue, JSON.parse(queue.dataset.words).incomplete);
  }
  const [group, after] = form.dataset.after.split(":");
  const time = made.toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
  const request = {
    label: [form.querySelector("button").textContent.trim(), ...shown].join(" · "), group, after,
    values: {time, work_order: body.work_order_id || "", target: shown[0] || ""}, send: form.dataset.send,
    body: {...body, technician_id: queue.dataset.technician, at: made.toISOString(), request_id: crypto.randomUUID()}};
  const buttons = document.querySelectorAll("form.queued button");
  for (const button of buttons) button.disabled = true;
  if (form.dataset.kind === "punch") Object.assign(request.body, await position());
  await keep(request);
  for (const button of buttons) button.disabled = false;
  await refresh(queue);
  await sendOnce(queue);
}

document.addEventListener("DOMContentLoaded", () => {
  const queue = document.getElementById("queue");
  if (!queue || !window.indexedDB || !window.crypto.randomUUID) return;  // the plain forms still work
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(queue.dataset.worker);
  for (const form of document.querySelectorAll("form.queued")) {
    form.addEventListener("submit", event => {
      event.preventDefault();
      press(queue, form);
    });
  }
  window.addEventListener("online", () => sendOnce(queue));
  refresh(queue).then(() => sendOnce(queue));
});

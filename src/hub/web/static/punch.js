// The punch buttons of the technician's day, working with or without a network. A press
// becomes a punch at once: its own request id and the time it was pressed, the phone's
// position when the browser gives one in a few seconds. It is kept on the phone
// (IndexedDB) and sent, in the order made, to the hub; with no network it waits, listed as
// "waiting to send", until the network is back, this page is opened again or the app is.
// The hub takes each request id once, so a punch sent twice is one punch.
const STORE = "punches";

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
const keep = punch => stored("readwrite", store => store.add(punch));
const drop = seq => stored("readwrite", store => store.delete(seq));
const refuse = (punch, message) => stored("readwrite", store => store.put({...punch, refused: message}));

function position() {
  return new Promise(resolve => {
    if (!navigator.geolocation) return resolve({});
    navigator.geolocation.getCurrentPosition(
      found => resolve({lat: found.coords.latitude, lon: found.coords.longitude, accuracy_m: found.coords.accuracy}),
      () => resolve({}), {enableHighAccuracy: true, timeout: 8000, maximumAge: 60000});
  });
}

function showState(clock, state) {
  for (const steps of clock.querySelectorAll(".steps")) {
    steps.hidden = steps.dataset.state !== state;
    if (!steps.hidden) clock.querySelector("#clock-state").textContent = steps.dataset.label;
  }
}

function render(clock, punches, note) {
  const list = clock.querySelector("#waiting");
  list.replaceChildren();
  for (const punch of punches) {
    const item = document.createElement("li");
    const when = new Date(punch.body.at).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    const mine = punch.body.technician_id === clock.dataset.technician;
    item.textContent = `${punch.label} · ${when} · ` + (punch.refused ? `not recorded: ${punch.refused}`
      : mine ? "waiting to send" : "waiting for its technician to log in on this phone");
    item.className = punch.refused ? "refused" : "waiting";
    if (punch.refused) {
      const dismiss = document.createElement("button");
      dismiss.type = "button";
      dismiss.className = "secondary";
      dismiss.textContent = "Dismiss";
      dismiss.addEventListener("click", () => drop(punch.seq).then(() => refresh(clock)));
      item.append(" ", dismiss);
    }
    list.append(item);
  }
  clock.querySelector("#queue-note").textContent = note || "";
  clock.querySelector("#queue").hidden = punches.length === 0;
  const waiting = punches.filter(p => !p.refused && p.body.technician_id === clock.dataset.technician);
  if (waiting.length) showState(clock, waiting[waiting.length - 1].after);
}

async function refresh(clock, note) {
  render(clock, await kept(), note);
}

// Sends the waiting punches in the order made; stops at the first that cannot go now.
async function send(clock) {
  const token = clock.querySelector("input[name=csrf_token]").value;
  let recorded = 0, note = "";
  for (const punch of await kept()) {
    if (punch.refused || punch.body.technician_id !== clock.dataset.technician) continue;
    let response;
    try {
      response = await fetch(clock.dataset.send, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: {"Content-Type": "application/json", "X-CSRFToken": token},
        body: JSON.stringify({...punch.body, sent_at: new Date().toISOString()})});
    } catch (offline) {
      note = "No network: sent when it is back.";
      break;
    }
    const problem = response.status >= 400 && response.status < 500 &&
      (response.headers.get("Content-Type") || "").startsWith("application/json");
    if (response.ok) {
      await drop(punch.seq);
      recorded += 1;
    } else if (problem) {
      await refuse(punch, (await response.json()).message);
      recorded += 1;
    } else {
      note = response.type === "opaqueredirect" ? "Log in again to send them."
        : "The hub did not answer; they are sent again when this page is opened.";
      break;
    }
  }
  if (recorded) location.reload();  // the hub's word on the day, and what it said of each punch
  else await refresh(clock, note);
}

let sending = Promise.resolve();
function sendOnce(clock) {  // one sending at a time, each reading what is kept then
  sending = sending.then(() => send(clock)).catch(error => refresh(clock, `Not sent: ${error}`));
  return sending;
}

async function press(clock, form) {
  const at = new Date().toISOString();
  const punch = {label: form.querySelector("button").textContent, after: form.dataset.after, body: {
    technician_id: clock.dataset.technician, action: form.elements.action.value,
    break_kind: form.elements.break_kind.value || null, at, request_id: crypto.randomUUID()}};
  for (const button of clock.querySelectorAll("button")) button.disabled = true;
  Object.assign(punch.body, await position());
  await keep(punch);
  for (const button of clock.querySelectorAll("button")) button.disabled = false;
  await refresh(clock);
  await sendOnce(clock);
}

document.addEventListener("DOMContentLoaded", () => {
  const clock = document.getElementById("clock");
  if (!clock || !window.indexedDB || !window.crypto.randomUUID) return;  // the plain forms still work
  if ("serviceWorker" in navigator) navigator.serviceWorker.register(clock.dataset.worker);
  for (const form of clock.querySelectorAll("form.punch")) {
    form.addEventListener("submit", event => {
      event.preventDefault();
      press(clock, form);
    });
  }
  window.addEventListener("online", () => sendOnce(clock));
  refresh(clock).then(() => sendOnce(clock));
});

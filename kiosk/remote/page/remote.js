// The guide's remote: signs in, lists the tours, shows the current stop and sends commands.
// Uses only the documented JSON API (docs/guided-tours.md); the token stays in this tab.
"use strict";

const WORDS = {
  title: ["讲解遥控", "Tour remote"],
  pin: ["讲解员密码或管理密码", "Guide PIN or staff PIN"],
  signin: ["登录", "Sign in"],
  choose: ["请选择讲解路线", "Choose a tour"],
  prev: ["‹ 上一站", "‹ Back"],
  next: ["下一站 ›", "Next ›"],
  goto: ["跳到", "Go to"],
  blank: ["黑屏", "Blank"],
  unblank: ["恢复画面", "Show again"],
  pause: ["暂停自动翻页", "Pause auto-advance"],
  resume: ["继续自动翻页", "Resume auto-advance"],
  end: ["结束讲解", "End tour"],
  points: ["讲解词", "Talking points"],
  signout: ["退出登录", "Sign out"],
  stops: ["共 {n} 站", "{n} stops"],
  stop: ["第 {n} 站", "Stop {n}"],
  auto: ["{s} 秒后自动翻页", "Next stop in {s} s"],
  paused: ["自动翻页已暂停", "Auto-advance paused"],
  blanked: ["大屏已黑屏", "The screen is blank"],
  nopoints: ["（本站没有讲解词）", "(no talking points for this stop)"],
  offline: ["连接中断，正在重新连接…", "Connection lost, reconnecting…"],
  again: ["请重新登录", "Please sign in again"],
  sure: ["结束这次讲解？大屏将回到首页。", "End this tour? The screen goes back to Home."],
  other: ["English", "中文"],
};

let lang = (navigator.language || "zh").toLowerCase().startsWith("zh") ? 0 : 1;
let token = sessionStorage.getItem("kiosk-token") || "";
let state = null;
let tours = [];
let stream = null;
let thumbUrl = "";
let thumbKey = "";
let thumbTries = 0;
let heard = Date.now();  // the last bytes from the event stream (the kiosk pings every 15 s)

const $ = (id) => document.getElementById(id);
const word = (key, values) => {
  let text = WORDS[key][lang];
  for (const [k, v] of Object.entries(values || {})) text = text.replace("{" + k + "}", v);
  return text;
};

function say(text) {
  text = text || "";
  $("message").textContent = text.charAt(0).toUpperCase() + text.slice(1);
}

async function api(method, path, body) {
  const headers = {};
  if (token) headers["Authorization"] = "Bearer " + token;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {method, headers, cache: "no-store", credentials: "omit",
                                      body: body === undefined ? undefined : JSON.stringify(body)});
  let data = {};
  try { data = await response.json(); } catch (e) { data = {}; }
  if (response.status === 401 && path !== "/api/session") signedOut();
  if (!response.ok) {
    const error = new Error(lang === 0 ? (data.error_zh || data.error) : data.error);
    error.status = response.status;
    throw error;
  }
  return data;
}

function signedOut() {
  if (token) say(word("again"));  // the kiosk restarted, the PIN changed or the session ended
  token = "";
  sessionStorage.removeItem("kiosk-token");
  if (stream) stream.abort();
  stream = null;
  state = null;
  render();
}

async function signIn(event) {
  event.preventDefault();
  say("");
  try {
    const data = await api("POST", "/api/session", {pin: $("pin").value});
    token = data.token;
    sessionStorage.setItem("kiosk-token", token);
    $("pin").value = "";
    await loadTours();
    listen();
  } catch (e) {
    $("pin").value = "";  // a wrong PIN is typed again from the start
    say(e.message);
  }
}

async function loadTours() {
  const data = await api("GET", "/api/tours");
  tours = data.tours || [];
  state = await api("GET", "/api/state");
  render();
}

// Server-Sent Events read through fetch, so the token goes in the Authorization header.
async function listen() {
  if (stream) stream.abort();
  const controller = new AbortController();
  stream = controller;
  heard = Date.now();
  try {
    const response = await fetch("/api/events", {headers: {"Authorization": "Bearer " + token},
                                                 cache: "no-store", signal: controller.signal});
    if (response.status === 401) { signedOut(); return; }
    if (!response.ok) throw new Error(String(response.status));
    say("");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const {value, done} = await reader.read();
      if (done) break;
      heard = Date.now();
      buffer += decoder.decode(value, {stream: true});
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        handleEvent(block);
      }
    }
  } catch (e) {
    if (controller.signal.aborted) return;
  }
  if (stream === controller && token) {
    say(word("offline"));
    setTimeout(() => { if (token && stream === controller) listen(); }, 2000);
  }
}

function handleEvent(block) {
  let type = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) type = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trim());
  }
  if (type === "signed-out") { signedOut(); return; }
  if (type === "state" && data.length) {
    state = JSON.parse(data.join("\n"));
    render();
  }
}

async function command(action, extra) {
  say("");
  try {
    state = await api("POST", "/api/command", Object.assign({action}, extra || {}));
    render();
  } catch (e) {
    say(e.message);
  }
}

function plain(markdown) {
  // talking points are Markdown: shown as plain text, list marks kept, emphasis marks dropped
  return (markdown || "").replace(/\*\*(.+?)\*\*/g, "$1").replace(/(^|[^*])\*([^*]+)\*/g, "$1$2")
    .replace(/^#+\s*/gm, "").replace(/^\s*[-*]\s+/gm, "• ").trim();
}

async function showThumb(retry) {
  // the stop's picture; a fetch that fails (the kiosk busy, the stop just changed) is tried
  // again a few times, and again at the next state the kiosk sends
  const img = $("thumb");
  const key = state && state.tour ? state.tour + "/" + state.step + "/" + !!state.thumbnail : "";
  if (key === thumbKey && !retry) return;
  if (key !== thumbKey) {
    thumbKey = key;
    thumbTries = 0;
    if (thumbUrl) { URL.revokeObjectURL(thumbUrl); thumbUrl = ""; }
    img.hidden = true;
  }
  if (!key || !state.thumbnail) return;
  try {
    const response = await fetch("/api/thumbnail?step=" + state.step,
                                 {headers: {"Authorization": "Bearer " + token}, cache: "no-store"});
    if (key !== thumbKey) return;
    if (!response.ok) throw new Error(String(response.status));
    const blob = await response.blob();
    if (key !== thumbKey) return;
    thumbUrl = URL.createObjectURL(blob);
    img.src = thumbUrl;
    img.hidden = false;
  } catch (e) {
    // no picture yet: the title and talking points are enough meanwhile
    if (key === thumbKey && ++thumbTries < 5) setTimeout(() => showThumb(true), 700 * thumbTries);
    else if (key === thumbKey) thumbKey = "";  // the next state the kiosk sends tries again
  }
}

function renderTours(box, key) {
  // built again only when the tours or the language change, never under the guide's finger
  box.replaceChildren();
  box.dataset.key = key;
  for (const tour of tours) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tour";
    button.dataset.tour = tour.id;
    button.textContent = tour.title[lang === 0 ? "zh" : "en"] || tour.title.zh || tour.id;
    const small = document.createElement("small");
    small.textContent = word("stops", {n: tour.steps});
    button.append(small);
    button.addEventListener("click", () => command("start", {tour: tour.id}));
    box.append(button);
  }
}

function render() {
  document.documentElement.lang = lang === 0 ? "zh" : "en";
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = word(el.dataset.t);
  $("lang").textContent = word("other");
  const signedIn = Boolean(token);
  const touring = signedIn && state && state.mode === "tour" && state.tour;
  $("signin-view").hidden = signedIn;
  $("signout").hidden = !signedIn;
  $("tours-view").hidden = !signedIn || Boolean(touring);
  $("tour-view").hidden = !touring;
  const box = $("tours");
  const listKey = JSON.stringify([lang, tours]);
  if (box.dataset.key !== listKey) renderTours(box, listKey);
  if (!touring) { showThumb(); return; }
  $("step").textContent = state.step + " / " + state.steps;
  const tour = tours.find((t) => t.id === state.tour);
  $("tour-title").textContent = tour ? (tour.title[lang === 0 ? "zh" : "en"] || tour.title.zh) : "";
  $("title").textContent = state.title;
  $("points").textContent = plain(state.talking_points) || word("nopoints");
  $("prev").disabled = state.step <= 1;
  $("next").disabled = state.step >= state.steps;
  $("blank").textContent = word(state.blanked ? "unblank" : "blank");
  $("blank").classList.toggle("on", Boolean(state.blanked));
  $("pause").textContent = word(state.paused ? "resume" : "pause");
  $("pause").classList.toggle("on", Boolean(state.paused));
  $("pause").hidden = !state.auto_advance;
  $("auto").textContent = state.blanked ? word("blanked") : state.paused ? word("paused")
    : (state.remaining != null ? word("auto", {s: state.remaining}) : "");
  const select = $("goto-step");
  if (select.options.length !== state.steps || select.dataset.tour !== state.tour
      || select.dataset.lang !== String(lang)) {
    select.replaceChildren();
    for (let n = 1; n <= state.steps; n++) {
      const option = document.createElement("option");
      option.value = String(n);
      const stop = tour && tour.stops ? tour.stops[n - 1] : null;
      const name = stop ? (stop[lang === 0 ? "zh" : "en"] || stop.zh) : "";
      option.textContent = word("stop", {n}) + (name ? " · " + name : "");
      select.append(option);
    }
    select.dataset.tour = state.tour;
    select.dataset.lang = String(lang);
  }
  if (document.activeElement !== select) select.value = String(state.step);
  showThumb();
}

$("signin-form").addEventListener("submit", signIn);
$("lang").addEventListener("click", () => { lang = 1 - lang; render(); });
$("prev").addEventListener("click", () => command("prev"));
$("next").addEventListener("click", () => command("next"));
$("goto").addEventListener("click", () => command("goto", {step: Number($("goto-step").value)}));
$("blank").addEventListener("click", () => command("blank"));
$("pause").addEventListener("click", () => command("pause"));
$("end").addEventListener("click", () => { if (window.confirm(word("sure"))) command("end"); });
$("signout").addEventListener("click", async () => {
  try { await api("DELETE", "/api/session"); } catch (e) { /* signed out anyway */ }
  token = "";  // asked for: no "sign in again"
  signedOut();
});

// a phone that slept may hold a stream that is silently dead: listen again
setInterval(() => {
  if (token && stream && Date.now() - heard > 40000) {
    heard = Date.now();
    listen();
  }
}, 10000);

render();
if (token) loadTours().then(listen).catch(() => signedOut());

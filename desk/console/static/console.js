// The agent console: sign in, watch the queue, work on a ticket.
// Every text that comes from the API is put on the page with textContent, never as HTML.
"use strict";

const POLL_MS = 3000;
// the contract's words and their labels come from the desk (desk/console/labels.py)
const VOCABULARY = JSON.parse(document.getElementById("vocabulary").textContent);
const OPEN_STATUSES = VOCABULARY.open_statuses;
const LABELS = VOCABULARY.labels;
const ERRORS = {
  invalid_credentials: "이메일 또는 비밀번호가 올바르지 않습니다.",
  invalid_transition: "지금 상태에서는 할 수 없는 작업입니다.",
  already_assigned: "다른 상담원이 이미 담당하고 있습니다.",
  concurrent_change: "다른 곳에서 티켓이 바뀌었습니다. 다시 시도해 주세요.",
  invalid_reply: "답장 내용을 입력해 주세요.",
  ticket_not_found: "티켓을 찾을 수 없습니다.",
  not_failed: "이미 전달됐거나 아직 보내는 중인 답장입니다.",
  rate_limited: "시도가 너무 많습니다. 잠시 후 다시 시도해 주세요.",
};

const state = { agent: null, selected: null, queueKey: "", ticketKey: "", timer: null };
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const options = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {};
    if (response.status === 401 && path !== "/api/auth/login") showLogin();
    throw new ApiError(response.status, error.code || "http_error", error.message || `HTTP ${response.status}`);
  }
  return data;
}

function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined && options.text !== null) node.textContent = String(options.text);
  for (const [name, value] of Object.entries(options.attrs || {})) node.setAttribute(name, value);
  for (const child of children) node.appendChild(child);
  return node;
}

function errorText(error) {
  return ERRORS[error.code] || "요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.";
}

function formatTime(iso) {
  if (!iso) return "—";
  return new Date(iso).toLocaleString("ko-KR", { timeZone: "Asia/Seoul", dateStyle: "short", timeStyle: "short" });
}

function slaText(ticket) {
  if (!OPEN_STATUSES.includes(ticket.status)) return { text: "", overdue: false };
  const minutes = Math.round((new Date(ticket.sla_due_at) - Date.now()) / 60000);
  if (minutes < 0) return { text: `SLA ${-minutes}분 초과`, overdue: true };
  return { text: `SLA ${minutes}분 남음`, overdue: false };
}

// ---- sign-in -------------------------------------------------------------

function showLogin() {
  state.agent = null;
  stopPolling();
  $("app").hidden = true;
  $("login").hidden = false;
  $("login-email").focus();
}

function showApp(agent) {
  state.agent = agent;
  $("agent-name").textContent = `${agent.name} 님`;
  $("login").hidden = true;
  $("app").hidden = false;
  startPolling();
}

async function onLogin(event) {
  event.preventDefault();
  $("login-error").textContent = "";
  try {
    const data = await api("POST", "/api/auth/login", {
      email: $("login-email").value,
      password: $("login-password").value,
    });
    $("login-password").value = "";
    showApp(data.agent);
  } catch (error) {
    $("login-error").textContent = errorText(error);
  }
}

async function onLogout() {
  await api("POST", "/api/auth/logout").catch(() => null);
  state.selected = null;
  showLogin();
}

// ---- the queue -----------------------------------------------------------

function queueItem(ticket) {
  const sla = slaText(ticket);
  const button = el("button", {
    className: `queue-item p-${ticket.priority}${ticket.number === state.selected ? " selected" : ""}`,
    attrs: { type: "button", "data-number": ticket.number },
  }, [
    el("div", { className: "line" }, [
      el("strong", { text: ticket.number }),
      el("span", { className: sla.overdue ? "overdue" : "", text: sla.text }),
    ]),
    el("div", { className: "line" }, [
      el("span", { text: `${LABELS.priority[ticket.priority] || ticket.priority} · ${LABELS.category[ticket.category] || ticket.category}` }),
      el("span", { className: "queue-status", text: LABELS.status[ticket.status] || ticket.status }),
    ]),
    el("div", { className: "summary", text: ticket.summary || ticket.order_number || "" }),
  ]);
  button.addEventListener("click", () => selectTicket(ticket.number));
  return el("li", {}, [button]);
}

async function refreshQueue() {
  const params = new URLSearchParams();
  const status = $("filter-status").value;
  const text = $("filter-text").value.trim();
  if (status) params.set("status", status);
  if (text) params.set("text", text);
  try {
    const data = await api("GET", `/api/tickets?${params}`);
    const key = JSON.stringify([data.tickets, state.selected, Math.floor(Date.now() / 60000)]);
    if (key !== state.queueKey) {
      state.queueKey = key;
      $("queue").replaceChildren(...data.tickets.map(queueItem));
    }
    $("queue-status").textContent = `${data.tickets.length}건 · ${formatTime(new Date().toISOString())} 갱신`;
    document.title = data.tickets.length ? `(${data.tickets.length}) 상담 데스크` : "상담 데스크";
  } catch (error) {
    if (error.status !== 401) $("queue-status").textContent = errorText(error);
  }
}

// ---- one ticket ----------------------------------------------------------

function field(list, label, value) {
  list.appendChild(el("dt", { text: label }));
  list.appendChild(el("dd", { text: value === null || value === undefined || value === "" ? "—" : value }));
}

function paymentText(details) {
  if (!details || typeof details !== "object") return null;
  return Object.entries(details).map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : value}`).join("\n");
}

function renderFields(ticket) {
  const list = $("ticket-fields");
  list.replaceChildren();
  field(list, "분류", LABELS.category[ticket.category] || ticket.category);
  field(list, "주문번호", ticket.order_number);
  field(list, "문제 발생 시각", ticket.problem_time ? formatTime(ticket.problem_time) : null);
  field(list, "연결 사유", ticket.handoff_reason);
  field(list, "요청한 해결 방법", ticket.requested_resolution);
  field(list, "요청한 주문 변경", ticket.requested_change);
  field(list, "결제 정보", paymentText(ticket.payment_details));
  field(list, "채널", ticket.channel);
  if (ticket.notify_email) field(list, "이메일로도 답변 전달", ticket.notify_email);
  field(list, "고객 ID", ticket.customer_id);
  field(list, "요약", ticket.summary);
  field(list, "담당 상담원", ticket.assigned_agent ? ticket.assigned_agent.name : "미배정");
  field(list, "접수 시각", formatTime(ticket.created_at));
}

function renderPhotos(ticket) {
  const photos = ticket.attachments.map((photo) => {
    const image = el("img", { attrs: { src: photo.thumbnail_url, alt: "첨부 사진", loading: "lazy" } });
    const button = el("button", { className: "photo-thumb", attrs: { type: "button", "data-url": photo.url } }, [image]);
    button.addEventListener("click", () => {
      $("photo-full").src = photo.url;
      $("photo-dialog").showModal();
    });
    return button;
  });
  $("ticket-photos").replaceChildren(...(photos.length ? photos : [el("span", { className: "muted", text: "없음" })]));
}

function renderTranscript(ticket) {
  const lines = ticket.transcript.map((line) => {
    const who = line.author === "agent" && line.agent ? `상담원 ${line.agent.name}` : LABELS.author[line.author] || line.author;
    return el("li", { className: line.author }, [
      el("div", { className: "meta", text: `${who} · ${formatTime(line.sent_at)}` }),
      el("div", { className: "text", text: line.text }),
    ]);
  });
  $("transcript").replaceChildren(...lines);
}

function renderTicket(ticket) {
  const key = JSON.stringify(ticket);
  if (key === state.ticketKey) return;
  state.ticketKey = key;
  $("ticket-empty").hidden = true;
  $("ticket-view").hidden = false;
  $("ticket-number").textContent = ticket.number;
  $("ticket-priority").textContent = LABELS.priority[ticket.priority] || ticket.priority;
  $("ticket-priority").className = `badge p-${ticket.priority}`;
  $("ticket-status").textContent = LABELS.status[ticket.status] || ticket.status;
  const sla = slaText(ticket);
  $("ticket-sla").textContent = sla.text;
  $("ticket-sla").className = sla.overdue ? "sla overdue" : "sla";
  renderFields(ticket);
  renderPhotos(ticket);
  renderTranscript(ticket);
  $("ticket-rating-section").hidden = !ticket.rating;
  if (ticket.rating) {
    const comment = ticket.rating.comment ? ` — ${ticket.rating.comment}` : "";
    $("ticket-rating").textContent = `${"★".repeat(ticket.rating.rating)}${"☆".repeat(5 - ticket.rating.rating)}${comment}`;
  }
  const open = OPEN_STATUSES.includes(ticket.status);
  const mine = ticket.assigned_agent && state.agent && ticket.assigned_agent.id === state.agent.id;
  $("reply-text").disabled = !open;
  $("reply-send").disabled = !open;
  $("action-claim").disabled = !open || Boolean(ticket.assigned_agent);
  $("action-claim").hidden = Boolean(mine);
  $("action-resolve").disabled = !open;
  $("action-handback").disabled = !open;
  $("action-close").disabled = ticket.status !== "resolved";
}

// replies not delivered yet: waiting (tried again with back-off) or failed (given up), with a retry button
function renderDeliveries(deliveries) {
  const undelivered = deliveries.filter((d) => d.state !== "delivered");
  $("deliveries-section").hidden = undelivered.length === 0;
  const items = undelivered.map((delivery) => {
    const failed = delivery.state === "failed";
    const stateText = failed
      ? "전달 실패"
      : delivery.attempts > 0 ? `보내는 중 (${delivery.attempts}번 실패, 다시 시도해요)` : "보내는 중";
    const children = [
      el("span", { className: "text", text: delivery.text }),
      el("span", { className: "state", text: stateText }),
    ];
    if (failed) {
      const button = el("button", { className: "secondary retry", text: "다시 보내기", attrs: { type: "button" } });
      button.addEventListener("click", () => retryDelivery(delivery.id));
      children.push(button);
    }
    return el("li", { className: failed ? "failed" : "waiting", attrs: { "data-delivery": String(delivery.id) } }, children);
  });
  $("deliveries").replaceChildren(...items);
}

async function refreshDeliveries() {
  if (!state.selected) return;
  try {
    const data = await api("GET", `/api/deliveries?ticket=${encodeURIComponent(state.selected)}`);
    renderDeliveries(data.deliveries);
  } catch (error) {
    if (error.status !== 401) $("ticket-error").textContent = errorText(error);
  }
}

async function retryDelivery(id) {
  $("ticket-error").textContent = "";
  try {
    await api("POST", `/api/deliveries/${id}/retry`);
  } catch (error) {
    $("ticket-error").textContent = errorText(error);
  }
  await refreshDeliveries();
}

async function selectTicket(number) {
  state.selected = number;
  state.ticketKey = "";
  $("ticket-error").textContent = "";
  $("reply-text").value = "";
  await refreshTicket();
  state.queueKey = "";
  await refreshQueue();
}

async function refreshTicket() {
  if (!state.selected) return;
  try {
    renderTicket(await api("GET", `/api/tickets/${encodeURIComponent(state.selected)}`));
  } catch (error) {
    if (error.status !== 401) $("ticket-error").textContent = errorText(error);
    return;
  }
  await refreshDeliveries();
}

async function act(action, body) {
  $("ticket-error").textContent = "";
  try {
    const data = await api("POST", `/api/tickets/${encodeURIComponent(state.selected)}/${action}`, body);
    renderTicket(data.ticket || data);
    state.queueKey = "";
    await refreshQueue();
    await refreshDeliveries();
    return true;
  } catch (error) {
    $("ticket-error").textContent = errorText(error);
    return false;
  }
}

async function onReply(event) {
  event.preventDefault();
  const text = $("reply-text").value.trim();
  if (!text) {
    $("ticket-error").textContent = ERRORS.invalid_reply;
    return;
  }
  if (await act("reply", { text })) $("reply-text").value = "";
}

// ---- polling -------------------------------------------------------------

async function poll() {
  await refreshQueue();
  await refreshTicket();
}

function startPolling() {
  stopPolling();
  poll();
  state.timer = setInterval(poll, POLL_MS);
}

function stopPolling() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

async function start() {
  $("login-form").addEventListener("submit", onLogin);
  $("logout").addEventListener("click", onLogout);
  $("reply-form").addEventListener("submit", onReply);
  $("action-claim").addEventListener("click", () => act("claim"));
  $("action-resolve").addEventListener("click", () => act("resolve"));
  $("action-handback").addEventListener("click", () => act("handback"));
  $("action-close").addEventListener("click", () => act("close"));
  $("filter-status").addEventListener("change", () => { state.queueKey = ""; refreshQueue(); });
  $("filter-text").addEventListener("input", () => { state.queueKey = ""; refreshQueue(); });
  $("photo-dialog").addEventListener("close", () => { $("photo-full").removeAttribute("src"); });
  try {
    const data = await api("GET", "/api/auth/me");
    showApp(data.agent);
  } catch (error) {
    showLogin();
  }
}

document.addEventListener("DOMContentLoaded", start);

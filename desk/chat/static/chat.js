// In-app web chat over Rasa's socket.io channel (Engine.IO v4 over a WebSocket, no library).
// Customer text is always rendered with textContent, never as HTML.
// The customer token goes with the socket.io connect (auth {token}); the server binds the
// socket to that customer's conversation, so the page never names a conversation itself.
"use strict";

const TOKEN_KEY = "chat.token";
// every sentence of the page comes from the desk (support/customer_texts.py, CHAT_PAGE)
const TEXTS = JSON.parse(document.getElementById("texts").textContent);
const messagesEl = document.getElementById("messages");
const statusEl = document.getElementById("status");
const form = document.getElementById("composer");
const input = document.getElementById("text");
const sendButton = document.getElementById("send");
const photoInput = document.getElementById("photo-input");

let socket = null;
let token = null;

function add(author, text, extra) {
  const li = document.createElement("li");
  li.className = author;
  if (text) {
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.textContent = text;
    li.appendChild(bubble);
  }
  if (extra) li.appendChild(extra);
  messagesEl.appendChild(li);
  messagesEl.scrollTop = messagesEl.scrollHeight;
  return li;
}

function renderBot(message) {
  const text = message.text || "";
  const author = text.startsWith(TEXTS.agent_prefix) ? "agent" : "bot";
  const choices = message.quick_replies || message.buttons || [];
  let row = null;
  if (choices.length) {
    row = document.createElement("div");
    row.className = "buttons";
    for (const choice of choices) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = choice.title;
      button.addEventListener("click", () => {
        row.querySelectorAll("button").forEach((b) => { b.disabled = true; });
        send(choice.payload, choice.title);
      });
      row.appendChild(button);
    }
  }
  add(author, text, row);
}

class SocketIO {
  constructor(url, path, auth, handlers) {
    this.handlers = handlers;
    this.auth = auth;
    this.ws = new WebSocket(url.replace(/^http/, "ws") + path + "/?EIO=4&transport=websocket");
    this.ws.onmessage = (event) => this.receive(event.data);
    this.ws.onclose = () => handlers.close();
  }
  receive(data) {
    if (data[0] === "0") this.ws.send("40" + JSON.stringify(this.auth));  // engine open → join with the token
    else if (data === "2") this.ws.send("3");                // ping → pong
    else if (data.startsWith("40")) this.handlers.open();    // namespace joined
    else if (data.startsWith("44")) this.handlers.refused(JSON.parse(data.slice(2) || "{}"));  // token refused
    else if (data.startsWith("42")) {
      const [name, payload] = JSON.parse(data.slice(2));
      this.handlers.event(name, payload);
    }
  }
  emit(name, payload) { this.ws.send("42" + JSON.stringify([name, payload])); }
}

function send(payload, shown, extra) {
  if (!socket) return;
  if (shown) add("customer", shown);
  socket.emit("user_uttered", { message: payload, metadata: extra || {} });
}

async function json(url, options) {
  const response = await fetch(url, options);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

async function identity(fresh) {
  token = fresh ? null : localStorage.getItem(TOKEN_KEY);
  if (!token) {
    // An app's backend would hand its signed-in customer a token; the demo asks the desk.
    const issued = await json("/api/chat/demo-token", { method: "POST" });
    token = issued.token;
    localStorage.setItem(TOKEN_KEY, token);
  }
}

function signedOut() {
  localStorage.removeItem(TOKEN_KEY);
  statusEl.textContent = TEXTS.signed_out;
  sendButton.disabled = true;
}

async function history() {
  try {
    const past = await json("/api/chat/history", { headers: { Authorization: `Bearer ${token}` } });
    for (const line of past.messages) {
      if (line.author === "customer") add("customer", line.text);
      else renderBot({ text: line.text });
    }
  } catch (error) {
    if (String(error).includes("401")) {
      await identity(true);
    }
  }
}

async function uploadPhoto(file) {
  const body = new FormData();
  body.append("file", file);
  const response = await fetch("/api/chat/uploads", {
    method: "POST", headers: { Authorization: `Bearer ${token}` }, body,
  });
  if (response.status === 429) {
    add("bot", TEXTS.photos_too_often);
    return;
  }
  if (!response.ok) {
    add("bot", TEXTS.photo_refused);
    return;
  }
  const stored = await response.json();
  const image = document.createElement("img");
  image.className = "photo";
  image.alt = TEXTS.sent_photo;
  image.src = URL.createObjectURL(file);
  add("customer", null, image);
  send(TEXTS.photo_only, null, { attachments: [{ type: "image", id: stored.id }] });
}

async function start() {
  await identity();
  await history();
  const config = await json("/api/chat/config");
  socket = new SocketIO(config.socket_url, config.socket_path, { token }, {
    open: () => socket.emit("session_request", {}),
    refused: signedOut,
    event: (name, payload) => {
      if (name === "session_confirm") {
        statusEl.textContent = TEXTS.ready;
        sendButton.disabled = false;
        document.body.dataset.ready = "true";
      } else if (name === "bot_uttered") {
        renderBot(payload);
      } else if (name === "session_error") {
        if (payload && payload.error === "token_expired") signedOut();
        else add("bot", (payload && payload.message) || TEXTS.not_sent);
      }
    },
    close: () => {
      statusEl.textContent = TEXTS.disconnected;
      sendButton.disabled = true;
    },
  });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send(text, text);
});
photoInput.addEventListener("change", () => {
  const [file] = photoInput.files;
  photoInput.value = "";
  if (file) uploadPhoto(file);
});

start().catch(() => { statusEl.textContent = TEXTS.cannot_start; });

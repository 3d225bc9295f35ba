// The customer's side of a conversation: remembers {conversation_id, customer_token} in
// localStorage, creates the conversation on the first message and sends messages idempotently.

import { request } from "baton/http.js";
import { seg } from "baton/dom.js";

const STORAGE_KEY = "baton.chat";

// Where the conversation is remembered: localStorage, or, where the browser refuses it (the chat
// framed by another site with third-party storage blocked, private modes), this page's memory,
// so the chat still works and is only forgotten on reload.
const memory = new Map();
const storage = {
  get(k) {
    try {
      return localStorage.getItem(k);
    } catch {
      return memory.get(k) ?? null;
    }
  },
  set(k, v) {
    try {
      localStorage.setItem(k, v);
    } catch {
      memory.set(k, v);
    }
  },
  remove(k) {
    try {
      localStorage.removeItem(k);
    } catch {
      memory.delete(k);
    }
  },
};

/** A v4 UUID; crypto.randomUUID exists only on https and localhost, getRandomValues everywhere. */
export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * The site's signed-in user, if the page that opened the chat passed one: ?external_id=…&user_hash=…
 * (the hash is HMAC-SHA256 of the id under the site's BATON_IDENTITY_SECRET, computed on the site's
 * server), optionally with &name=… and &email=…. Conversations started with it belong to that one
 * customer on every device. Null when none is given.
 */
export function pageIdentity(search = location.search) {
  const q = new URLSearchParams(search);
  const id = q.get("external_id");
  const hash = q.get("user_hash");
  if (!id || !hash) return null;
  const out = { external_id: id, user_hash: hash };
  for (const k of ["name", "email"]) if (q.get(k)) out[k] = q.get(k);
  return out;
}

export class ChatSession {
  constructor(language, identity = null) {
    this.language = language;
    this.identity = identity;
    this.saved = load();
    // A conversation stored for another user of this browser (or for nobody signed in) is not
    // this user's: start afresh rather than show it.
    if (this.saved && (this.saved.external_id ?? null) !== (identity?.external_id ?? null)) this.forget();
    this.pending = null; // {text, clientId}: reused when a send is retried
  }

  get id() {
    return this.saved?.conversation_id ?? null;
  }

  get token() {
    return this.saved?.customer_token ?? null;
  }

  /** Customer API calls carry the bearer token and never the staff cookie. */
  call(method, path, body) {
    return request(method, path, { body, token: this.token, credentials: "omit" });
  }

  /** The stored conversation as the server has it now. */
  async conversation() {
    return (await this.state()).conversation;
  }

  /** {conversation, queue}: the conversation and, while waiting for a person, where it stands. */
  async state() {
    const { conversation, queue } = await this.call("GET", `/api/v1/conversations/${seg(this.id)}`);
    return { conversation, queue: queue ?? null };
  }

  /** The stored conversation and its messages, or null when there is none (any more). */
  async resume() {
    if (!this.id) return null;
    try {
      const { conversation, queue } = await this.state();
      const { messages } = await this.call("GET", `/api/v1/conversations/${seg(this.id)}/messages?after=0`);
      return { conversation, queue, messages: messages ?? [] };
    } catch (err) {
      if ([401, 403, 404].includes(err.status)) this.forget();
      throw err;
    }
  }

  /** Records the page's language as the conversation's (the customer chose it); returns it. */
  async setLanguage() {
    const { conversation } = await this.call("PUT", `/api/v1/conversations/${seg(this.id)}/language`, { language: this.language });
    return conversation;
  }

  /** Creates the conversation; returns it. */
  async start() {
    const data = await request("POST", "/api/v1/conversations", {
      body: { customer: { language: this.language, ...(this.identity ?? {}) }, channel: "web" },
      credentials: "omit",
    });
    this.saved = { conversation_id: data.conversation.id, customer_token: data.customer_token };
    if (this.identity) this.saved.external_id = this.identity.external_id;
    storage.set(STORAGE_KEY, JSON.stringify(this.saved));
    return data.conversation;
  }

  /**
   * Sends text, creating the conversation first if needed. Returns {message, replies, created}
   * where created is the new conversation, if one was made. A retry of the same text after a failure
   * reuses its client_message_id so the server stores it once.
   */
  async send(text) {
    if (!this.pending || this.pending.text !== text) this.pending = { text, clientId: uuid() };
    let created = null;
    if (!this.id) created = await this.start();
    const data = await this.call("POST", `/api/v1/conversations/${seg(this.id)}/messages`, {
      text,
      client_message_id: this.pending.clientId,
    });
    this.pending = null;
    return { message: data.message, replies: data.replies ?? [], created };
  }

  /** Drops the stored conversation (a "New conversation", or one the server no longer knows). */
  forget() {
    this.saved = null;
    storage.remove(STORAGE_KEY);
  }
}

function load() {
  try {
    const s = JSON.parse(storage.get(STORAGE_KEY));
    if (s && typeof s.conversation_id === "string" && typeof s.customer_token === "string") return s;
  } catch {
    // unreadable: start afresh
  }
  return null;
}

// A WebSocket that stays connected: it reconnects with exponential backoff (1 s doubling to 30 s,
// with jitter), pings every 25 s so proxies keep it open, and asks for what it missed via ?after=.
// A connection that answers nothing within 10 s of a ping is taken for dead (a network path that
// dropped without a close, a server that gave up on it) and replaced at once. A policy close
// (1008: no access, no such conversation) is final: retrying cannot fix it.

// Tests may shorten the timing with globalThis.__batonLiveTiming = {pingMs, pongWaitMs}.
const timing = globalThis.__batonLiveTiming || {};
const PING_MS = timing.pingMs || 25000;
const PONG_WAIT_MS = timing.pongWaitMs || 10000;
const MAX_BACKOFF_MS = 30000;
const STABLE_MS = 5000;
const CLOSE_POLICY = 1008;

/**
 * connectLive("/api/v1/queue/ws", {onFrame, onState, after, hello})
 *   onFrame(frame)   every parsed server frame
 *   onState(state)   "live" once open, "offline" while reconnecting, "refused" after a policy close
 *   after()          the last seq seen, sent as ?after= on every (re)connect
 *   hello()          a first frame to send once open (the customer's auth frame)
 */
export function connectLive(path, { onFrame, onState = () => {}, after, hello } = {}) {
  let ws = null;
  let attempt = 0;
  let retryTimer = 0;
  let pingTimer = 0;
  let pongTimer = 0;
  let openedAt = 0;
  let lastFrameAt = 0;
  let stopped = false;

  function url() {
    const u = new URL(path, location.href);
    u.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    if (after) u.searchParams.set("after", String(after()));
    return u.toString();
  }

  function open() {
    clearTimeout(retryTimer);
    const sock = new WebSocket(url());
    ws = sock;
    sock.addEventListener("open", () => {
      openedAt = lastFrameAt = Date.now();
      if (hello) sock.send(JSON.stringify(hello()));
      pingTimer = setInterval(ping, PING_MS);
      onState("live");
    });
    sock.addEventListener("message", (ev) => {
      if (sock !== ws) return;
      lastFrameAt = Date.now();
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      attempt = 0;
      if (frame && frame.type !== "pong") onFrame(frame);
    });
    sock.addEventListener("close", (ev) => {
      if (sock === ws) lost(ev.code);
    });
  }

  // ping asks for a sign of life; none within PONG_WAIT_MS drops the connection.
  function ping() {
    const sent = Date.now();
    send({ type: "ping" });
    if (pongTimer) return; // an earlier ping is still waiting for its answer
    pongTimer = setTimeout(() => {
      pongTimer = 0;
      if (lastFrameAt < sent && ws && ws.readyState === WebSocket.OPEN) {
        const dead = ws;
        ws = null; // its close event, whenever it comes, is not ours to handle
        dead.close();
        lost(1006);
      }
    }, PONG_WAIT_MS);
  }

  // lost schedules a reconnect after the connection ended with code.
  function lost(code) {
    clearInterval(pingTimer);
    clearTimeout(pongTimer);
    pongTimer = 0;
    if (stopped) return;
    if (code === CLOSE_POLICY) {
      stopped = true;
      onState("refused");
      return;
    }
    if (openedAt && Date.now() - openedAt > STABLE_MS) attempt = 0;
    openedAt = 0;
    onState("offline");
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
    attempt += 1;
    retryTimer = setTimeout(open, delay);
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  // Back online: no reason to wait out the backoff.
  window.addEventListener("online", () => {
    if (!stopped && (!ws || ws.readyState === WebSocket.CLOSED)) open();
  });

  open();
  return {
    send,
    close() {
      stopped = true;
      clearTimeout(retryTimer);
      clearInterval(pingTimer);
      clearTimeout(pongTimer);
      ws?.close(1000);
    },
  };
}

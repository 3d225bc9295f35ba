// Staff API calls: the session cookie plus the page's CSRF token on every change. A 401 means the
// session ended, so the browser goes back to the sign-in page and returns here afterwards.

import { request } from "baton/http.js";

const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

/** api("POST", "/api/v1/...", body) → parsed JSON; throws ApiError. */
export async function api(method, path, body) {
  const headers = method === "GET" || method === "HEAD" ? {} : { "X-CSRF-Token": csrf };
  try {
    return await request(method, path, { body, headers, credentials: "same-origin" });
  } catch (err) {
    if (err.status === 401) {
      location.assign(`/login?next=${encodeURIComponent(location.pathname + location.search)}`);
    }
    throw err;
  }
}

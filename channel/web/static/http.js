// JSON requests to the Baton API. Failures throw ApiError: status 0 means the network failed (safe
// to retry), otherwise it is the HTTP status with the server's {"error": "..."} text; data holds
// the whole error body for APIs that say more (the bot definition's "line").

/** An API call that failed. */
export class ApiError extends Error {
  constructor(status, message, data = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.data = data;
  }
}

/** request("POST", "/api/v1/...", {body, token, headers, credentials}) → parsed JSON body. */
export async function request(method, path, { body, token, headers = {}, credentials = "same-origin" } = {}) {
  const init = { method, credentials, headers: { Accept: "application/json", ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, err?.message || "network error");
  }
  let data = null;
  const text = await res.text().catch(() => "");
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) throw new ApiError(res.status, data?.error || `HTTP ${res.status}`, data);
  return data ?? {};
}

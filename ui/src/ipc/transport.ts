// How the generated `commands` reach the backend: Tauri's IPC inside the
// desktop app, or the development server `patchbay-api-http` (same commands,
// same types) when the page runs in a plain browser.
import type { ApiError, AppEvent, ErrorCode } from "../bindings/types";

const CHANNEL = "patchbay://event";

function inTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

/** Whether the page runs inside the desktop app. */
export const isDesktop = inTauri;

function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "code" in e && "message" in e) {
    const o = e as { code: unknown; message: unknown; detail?: unknown };
    return {
      // The backend's codes are `ErrorCode`s; anything else (a shell error
      // without one) is reported as internal.
      code: typeof o.code === "string" ? (o.code as ErrorCode) : "internal",
      message: String(o.message),
      detail: o.detail == null ? null : String(o.detail),
    };
  }
  return { code: "internal", message: e instanceof Error ? e.message : String(e), detail: null };
}

/** Calls backend command `name` with one request object. Rejects with an `ApiError`. */
export async function call<T>(name: string, request: unknown): Promise<T> {
  if (inTauri()) {
    const { invoke } = await import("@tauri-apps/api/core");
    try {
      return await invoke<T>(name, { request });
    } catch (e) {
      throw asApiError(e);
    }
  }
  let response: Response;
  try {
    response = await fetch(`/api/${name}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ request }),
    });
  } catch (e) {
    throw asApiError({ code: "internal", message: `cannot reach the Patchbay backend: ${String(e)}` });
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw asApiError(body ?? { code: "internal", message: `HTTP ${response.status}` });
  return body as T;
}

/** Subscribes to backend events; returns a function that unsubscribes. */
export async function onEvent(handler: (event: AppEvent) => void): Promise<() => void> {
  if (inTauri()) {
    const { listen } = await import("@tauri-apps/api/event");
    return listen<AppEvent>(CHANNEL, (e) => handler(e.payload));
  }
  if (typeof EventSource === "undefined") return () => {};
  const source = new EventSource("/api/events");
  source.onmessage = (m) => {
    try {
      handler(JSON.parse(m.data) as AppEvent);
    } catch {
      // A malformed event is dropped; the next one still arrives.
    }
  };
  return () => source.close();
}

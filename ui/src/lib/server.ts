// The agency's server chosen on the login screen. The core checks the same rule again; this only answers early
// and turns what people type ("mysapk.instansi.go.id") into a URL.
import type { ErrorCode } from '../gen/codes';

export type ServerInput = { url: string | null } | { error: ErrorCode };

/**
 * What the user typed as a server URL: `https://` is added when no scheme is given; `http://` is refused (the
 * device talks to an agency's server over HTTPS only); empty means the app's own server (`url: null`).
 */
export function parseServerInput(input: string): ServerInput {
  const text = input.trim();
  if (text === '') return { url: null };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let parsed: URL;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { error: 'transport.invalid_url' };
  }
  if (parsed.protocol === 'http:') return { error: 'transport.insecure_url' };
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username || parsed.password || parsed.search || parsed.hash) {
    return { error: 'transport.invalid_url' };
  }
  return { url: withScheme.replace(/\/+$/, '') };
}

/** The server as shown under the login form: its host (and port), or null when none is set. */
export function serverLabel(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

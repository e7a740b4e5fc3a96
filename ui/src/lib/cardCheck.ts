// "Periksa Kartu ASN": what a verifier pastes — a bare card token or the text of a scanned QR code, which holds
// the verify URL `…/api/v1/verify/{token}` — turned into the token the core checks offline. Pure, unit-tested.

const VERIFY_PATH = '/api/v1/verify/';
/** The app's own card link (desktop deep link, src-tauri/src/card_scan.rs). */
const APP_VERIFY = 'mysapk://verify/';
/** The largest picture the core reads (`core/src/card_picture.rs` `MAX_PICTURE_BYTES`): larger ones are not sent. */
export const MAX_PICTURE_BYTES = 16 * 1024 * 1024;
/** A compact JWS: three base64url parts (the core decides whether it is a valid card). */
const JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** The decoded path segment, or the raw one when it does not decode (`%zz`). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The card token in `text`: the part after `/api/v1/verify/` of a URL (up to `?`, `#`, `/` or a space), or the
 * text itself with whitespace removed (a token wrapped over lines). `null` when there is nothing to check: empty
 * text, or a URL that is not a card's verify URL.
 */
export function tokenFromText(text: string): string | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const app = trimmed.toLowerCase().startsWith(APP_VERIFY);
  const at = app ? 0 : trimmed.indexOf(VERIFY_PATH);
  if (at >= 0) {
    const rest = trimmed.slice(at + (app ? APP_VERIFY.length : VERIFY_PATH.length));
    const token = decode(rest.split(/[?#/\s]/, 1)[0] ?? '').trim();
    return token === '' ? null : token;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) return null;
  const joined = trimmed.replace(/\s+/g, '');
  // A scanner app may put a label before the token ("Kartu: eyJ…"): take the token-shaped word.
  if (!JWS.test(joined)) {
    const word = trimmed.split(/\s+/).find((w) => JWS.test(w));
    if (word) return word;
  }
  return joined;
}

/** What the camera permission allows: scan, or tell the user why not (the paste and picture paths remain). */
export function cameraVerdict(state: string): 'scan' | 'denied' {
  return state === 'granted' ? 'scan' : 'denied';
}

/** Whether a failed scan was the user closing the camera (nothing to tell) rather than a fault. */
export function scanCancelled(err: unknown): boolean {
  const text = String(err instanceof Error ? err.message : err).toLowerCase();
  return text.includes('cancel');
}

/** The content of a picked file as base64 (no `data:` prefix), for `read_card_picture`. */
export async function fileBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: `String.fromCharCode(...)` takes a bounded number of arguments.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

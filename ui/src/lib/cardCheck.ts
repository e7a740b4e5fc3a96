// "Periksa Kartu ASN": what a verifier pastes — a bare card token or the text of a scanned QR code, which holds
// the verify URL `…/api/v1/verify/{token}` — turned into the token the core checks offline. Pure, unit-tested.

const VERIFY_PATH = '/api/v1/verify/';
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
  const at = trimmed.indexOf(VERIFY_PATH);
  if (at >= 0) {
    const rest = trimmed.slice(at + VERIFY_PATH.length);
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

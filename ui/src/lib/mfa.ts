// Two-step verification in the UI: the authenticator secret as a QR code and as text, and the recovery codes as a
// file. Pure functions, unit-tested; nothing here stores or logs a secret.
import qrcode from 'qrcode-generator';

/** The base32 secret in groups of four (`JBSW Y3DP EHPK 3PXP`), for typing into the app by hand. */
export function groupSecret(secret: string, size = 4): string {
  const plain = secret.replace(/[\s=]/g, '').toUpperCase();
  return (plain.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');
}

/** A QR code as one SVG path over a square of `size` modules (a quiet zone of `margin` modules on each side). */
export type QrPath = { size: number; path: string };

/** The QR code of `text` (an `otpauth://` URI), error correction M: drawn as SVG in the screen, no image file. */
export function qrPath(text: string, margin = 4): QrPath {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const parts: string[] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      if (qr.isDark(row, col)) parts.push(`M${col + margin} ${row + margin}h1v1h-1z`);
    }
  }
  return { size: n + 2 * margin, path: parts.join('') };
}

/** The six digits of an authenticator code as typed (`123 456` → `123456`); `null` unless exactly six digits. */
export function cleanTotp(input: string): string | null {
  const digits = input.replace(/\s/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/** The recovery codes as the text file the user saves: a heading line, then one code per line. */
export function recoveryCodesText(heading: string, codes: readonly string[]): string {
  return `${heading}\n\n${codes.join('\n')}\n`;
}

/** A `data:` URL of a text file, for a download link (no blob to revoke). */
export function textFileUrl(text: string): string {
  return `data:text/plain;charset=utf-8,${encodeURIComponent(text)}`;
}

import { describe, expect, it } from 'vitest';
import { cameraVerdict, fileBase64, scanCancelled, tokenFromText } from './cardCheck';

const TOKEN =
  'eyJhbGciOiJFZERTQSIsImtpZCI6ImFiY2RlZmdoaWprbG1ub3AifQ.eyJuaXAiOiIxOTkwMDEwMTIwMTUwMzEwMDEiLCJpYXQiOjEsImV4cCI6Mn0.c2lnbmF0dXJlLWJ5dGVzLWZvci10ZXN0aW5nLW9ubHk_-A';

describe('the pasted text of a card', () => {
  it('is a bare token, trimmed and unwrapped', () => {
    expect(tokenFromText(TOKEN)).toBe(TOKEN);
    expect(tokenFromText(`  ${TOKEN}\n`)).toBe(TOKEN);
    expect(tokenFromText(`${TOKEN.slice(0, 60)}\n${TOKEN.slice(60)}`)).toBe(TOKEN);
  });

  it('is the verify URL of a QR code, on any server', () => {
    expect(tokenFromText(`https://mysapk.example.go.id/api/v1/verify/${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromText(`http://127.0.0.1:8080/api/v1/verify/${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromText(`https://x.go.id/api/v1/verify/${TOKEN}?utm=qr#top`)).toBe(TOKEN);
    expect(tokenFromText(`https://x.go.id/api/v1/verify/${TOKEN}/`)).toBe(TOKEN);
    expect(tokenFromText(`Kartu ASN: https://x.go.id/api/v1/verify/${TOKEN} (pindai)`)).toBe(TOKEN);
    expect(tokenFromText(`https://x.go.id/api/v1/verify/${encodeURIComponent(TOKEN)}`)).toBe(TOKEN);
    expect(tokenFromText('https://x.go.id/api/v1/verify/%zz')).toBe('%zz');
  });

  it('takes the token-shaped word after a label', () => {
    expect(tokenFromText(`Kartu: ${TOKEN}`)).toBe(TOKEN);
  });

  it('leaves anything else to the core, which calls it malformed', () => {
    expect(tokenFromText('bukan token')).toBe('bukantoken');
    expect(tokenFromText('abc.def')).toBe('abc.def');
  });

  it('has nothing to check when empty or another URL', () => {
    expect(tokenFromText('')).toBeNull();
    expect(tokenFromText('  \n ')).toBeNull();
    expect(tokenFromText('https://x.go.id/api/v1/verify/')).toBeNull();
    expect(tokenFromText('https://example.com/hello')).toBeNull();
    expect(tokenFromText('otpauth://totp/MySAPK:1?secret=AB')).toBeNull();
  });
});

describe('the app link of a card', () => {
  it('gives its token like the verify URL', () => {
    expect(tokenFromText(`mysapk://verify/${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromText(`  MYSAPK://verify/${TOKEN}?from=web\n`)).toBe(TOKEN);
    expect(tokenFromText('mysapk://verify/')).toBeNull();
    expect(tokenFromText(`mysapk://settings/${TOKEN}`)).toBeNull();
  });
});

describe('the camera and the picture', () => {
  it('scans only with the permission granted', () => {
    expect(cameraVerdict('granted')).toBe('scan');
    for (const state of ['denied', 'prompt', 'prompt-with-rationale', '']) expect(cameraVerdict(state)).toBe('denied');
  });

  it('tells a closed camera from a fault', () => {
    expect(scanCancelled(new Error('Scan cancelled'))).toBe(true);
    expect(scanCancelled('cancel')).toBe(true);
    expect(scanCancelled(new Error('camera unavailable'))).toBe(false);
  });

  it('reads a file as bare base64', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const b64 = await fileBase64(new Blob([bytes], { type: 'image/png' }));
    expect(b64).toBe(btoa(String.fromCharCode(...bytes)));
  });
});

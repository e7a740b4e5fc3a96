import { describe, expect, it } from 'vitest';
import qrcode from 'qrcode-generator';
import { cleanTotp, groupSecret, qrPath, recoveryCodesText, textFileUrl } from './mfa';

const URI = 'otpauth://totp/MySAPK:199001012015031001?secret=JBSWY3DPEHPK3PXP&issuer=MySAPK&algorithm=SHA1&digits=6&period=30';

describe('the secret as text', () => {
  it('is grouped in fours for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('jbswy3dpehpk3pxpab')).toBe('JBSW Y3DP EHPK 3PXP AB');
    expect(groupSecret('JBSW Y3DP====')).toBe('JBSW Y3DP');
    expect(groupSecret('')).toBe('');
  });
});

describe('the QR code', () => {
  it('draws exactly the dark modules of the encoded URI inside a quiet zone', () => {
    const { size, path } = qrPath(URI);
    const reference = qrcode(0, 'M');
    reference.addData(URI, 'Byte');
    reference.make();
    const n = reference.getModuleCount();
    expect(size).toBe(n + 8);
    const drawn = new Set([...path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`));
    let dark = 0;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) {
        expect(drawn.has(`${c + 4},${r + 4}`), `${r},${c}`).toBe(reference.isDark(r, c));
        if (reference.isDark(r, c)) dark++;
      }
    }
    expect(drawn.size).toBe(dark);
    // The three finder patterns: the top-left corner module is dark.
    expect(drawn.has('4,4')).toBe(true);
  });

  it('changes with the secret', () => {
    expect(qrPath(URI).path).not.toBe(qrPath(URI.replace('JBSWY3DP', 'KRSXG5CT')).path);
  });
});

describe('the authenticator code', () => {
  it('keeps six digits, with or without the space apps show', () => {
    expect(cleanTotp('123456')).toBe('123456');
    expect(cleanTotp(' 123 456 ')).toBe('123456');
    expect(cleanTotp('12345')).toBeNull();
    expect(cleanTotp('12345a')).toBeNull();
    expect(cleanTotp('1234567')).toBeNull();
  });
});

describe('the recovery codes file', () => {
  it('has the heading and one code per line', () => {
    const text = recoveryCodesText('Kode pemulihan', ['ABCD-EFGH', 'JKLM-NPQR']);
    expect(text).toBe('Kode pemulihan\n\nABCD-EFGH\nJKLM-NPQR\n');
    expect(decodeURIComponent(textFileUrl(text).replace('data:text/plain;charset=utf-8,', ''))).toBe(text);
  });
});

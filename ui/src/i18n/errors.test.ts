import { describe, expect, it, vi } from 'vitest';
import { CODE_TEXT, type ErrorCode } from '../gen/codes';
import { errorText, fmtDifference, locale, setLang } from './index.svelte';

const codes = Object.keys(CODE_TEXT.id) as ErrorCode[];

describe('error texts', () => {
  it('has a text in both languages for every registered code', () => {
    expect(codes.length).toBeGreaterThan(100);
    expect(Object.keys(CODE_TEXT.en).sort()).toEqual([...codes].sort());
    for (const lang of ['id', 'en'] as const) {
      locale.lang = lang;
      for (const code of codes) {
        const text = errorText({ code, message: 'server wording' });
        expect(text, `${lang} ${code}`).toBe(CODE_TEXT[lang][code]);
        expect(text.trim(), `${lang} ${code}`).not.toBe('');
      }
    }
  });

  it('shows an Indonesian UI the Indonesian text, not the English message the server sent', () => {
    locale.lang = 'id';
    const e = { code: 'usulan.not_returned', message: 'Only a returned proposal can be corrected and sent again.' };
    expect(errorText(e)).toBe('Hanya usulan yang dikembalikan yang dapat diperbaiki dan dikirim ulang.');
  });

  it('keeps the UI-only codes in its own catalogue', () => {
    locale.lang = 'en';
    expect(errorText({ code: 'password.mismatch', message: '' })).toBe('The two passwords differ.');
  });

  it('shows an unknown code (a newer server) with its message and the code', () => {
    locale.lang = 'id';
    expect(errorText({ code: 'future.rule', message: 'Something new' })).toBe('Something new (future.rule)');
    expect(errorText({ code: 'future.rule', message: '' })).toBe('Terjadi kesalahan (future.rule)');
  });

  it('switches language', () => {
    vi.stubGlobal('document', { documentElement: { lang: 'id' } });
    setLang('en');
    expect(errorText({ code: 'auth.throttled', message: '' })).toBe('Too many failed attempts. Wait a while before trying again.');
  });

  it('says how far the device clock is off, in the words of each language', () => {
    locale.lang = 'id';
    const skew = { code: 'auth.clock_skew', message: 'clock', clock_skew_secs: 240 };
    expect(errorText(skew)).toBe('Jam perangkat Anda selisih 4 menit dari server; aktifkan waktu otomatis.');
    locale.lang = 'en';
    expect(errorText({ ...skew, clock_skew_secs: -3 * 3600 })).toBe(
      "Your device's clock is 3 hours off the server's; turn on automatic time.",
    );
  });
});

describe('a clock difference', () => {
  it('is seconds below a minute, minutes below two hours, hours otherwise', () => {
    locale.lang = 'en';
    expect(fmtDifference(1)).toBe('1 second');
    expect(fmtDifference(45)).toBe('45 seconds');
    expect(fmtDifference(-59)).toBe('59 seconds');
    expect(fmtDifference(60)).toBe('1 minute');
    expect(fmtDifference(300)).toBe('5 minutes');
    expect(fmtDifference(2 * 3600 - 1)).toBe('120 minutes');
    expect(fmtDifference(2 * 3600)).toBe('2 hours');
    expect(fmtDifference(-26 * 3600)).toBe('26 hours');
    locale.lang = 'id';
    expect(fmtDifference(20)).toBe('20 detik');
    expect(fmtDifference(-300)).toBe('5 menit');
    expect(fmtDifference(5 * 3600)).toBe('5 jam');
  });
});

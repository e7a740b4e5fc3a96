import { describe, expect, it, vi } from 'vitest';
import { CODE_TEXT, type ErrorCode } from '../gen/codes';
import { errorText, locale, setLang } from './index.svelte';

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
});

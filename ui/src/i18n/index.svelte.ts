import { en } from './en';
import { id, type MessageKey, type Messages } from './id';
import type { ApiError } from '../gen/ipc';
import { CODE_TEXT, type ErrorCode } from '../gen/codes';

export type Lang = 'id' | 'en';

const catalogs: Record<Lang, Messages> = { id, en };
const STORAGE_KEY = 'mysapk.lang';

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export const locale = $state<{ lang: Lang }>({ lang: initialLang() });

export function setLang(lang: Lang): void {
  locale.lang = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Storage may be unavailable; the choice then lasts for this session.
  }
  document.documentElement.lang = lang;
}

/** The text of `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, vars: Record<string, string> = {}): string {
  let s: string = catalogs[locale.lang][key];
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

export function isKey(k: string): k is MessageKey {
  return k in id;
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.prototype.hasOwnProperty.call(CODE_TEXT.id, code);
}

/** How far apart two clocks are, in words of the current language: seconds below a minute, minutes below two
 * hours, hours otherwise (rounded; the sign does not matter). */
export function fmtDifference(secs: number): string {
  const abs = Math.abs(secs);
  const [n, one, many] =
    abs < 60
      ? [Math.round(abs), 'duration.second', 'duration.seconds']
      : abs < 2 * 3600
        ? [Math.max(1, Math.round(abs / 60)), 'duration.minute', 'duration.minutes']
        : [Math.round(abs / 3600), 'duration.hour', 'duration.hours'];
  return t((n === 1 ? one : many) as MessageKey, { n: String(n) });
}

/** The text of an error: the registry's for a code the core or the server answers (`ui/src/gen/codes.ts`), the
 * catalog's for a code of the UI's own (`err.*`); an unknown code (a newer server) shows its message and code.
 * `auth.clock_skew` names how far the device clock is off (`clock_skew_secs`). */
export function errorText(e: ApiError): string {
  if (isErrorCode(e.code)) {
    const text: string = CODE_TEXT[locale.lang][e.code];
    if (e.clock_skew_secs === undefined) return text;
    return text.replace('{difference}', fmtDifference(e.clock_skew_secs));
  }
  const key = `err.${e.code}`;
  if (isKey(key)) return t(key);
  return `${e.message || t('err.generic')} (${e.code})`;
}

/** The catalog name of an audit action code (`usulan.approve`, `account.lock`, …); unknown codes show as they are. */
export function auditAction(code: string): string {
  const key = `audit.action.${code}`;
  return isKey(key) ? t(key) : code;
}

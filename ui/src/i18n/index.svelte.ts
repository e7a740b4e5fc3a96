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

/** The text of an error: the registry's for a code the core or the server answers (`ui/src/gen/codes.ts`), the
 * catalog's for a code of the UI's own (`err.*`); an unknown code (a newer server) shows its message and code. */
export function errorText(e: ApiError): string {
  if (isErrorCode(e.code)) return CODE_TEXT[locale.lang][e.code];
  const key = `err.${e.code}`;
  if (isKey(key)) return t(key);
  return `${e.message || t('err.generic')} (${e.code})`;
}

/** The catalog name of an audit action code (`usulan.approve`, `account.lock`, …); unknown codes show as they are. */
export function auditAction(code: string): string {
  const key = `audit.action.${code}`;
  return isKey(key) ? t(key) : code;
}

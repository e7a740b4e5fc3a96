import { en } from './en';
import { id, type MessageKey, type Messages } from './id';
import type { ApiError } from '../gen/ipc';

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

/** The catalog text of an error code; unknown codes show the server's message with the code. */
export function errorText(e: ApiError): string {
  const key = `err.${e.code}`;
  if (isKey(key)) return t(key);
  return `${e.message || t('err.generic')} (${e.code})`;
}

/** The catalog name of an audit action code (`usulan.approve`, `account.lock`, …); unknown codes show as they are. */
export function auditAction(code: string): string {
  const key = `audit.action.${code}`;
  return isKey(key) ? t(key) : code;
}

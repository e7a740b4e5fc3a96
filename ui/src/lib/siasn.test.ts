import { describe, expect, it } from 'vitest';
import { siasnStepText } from './siasn';
import { id } from '../i18n/id';
import { en } from '../i18n/en';

const tr = (cat: Record<string, string>) => (key: string, params: Record<string, string> = {}) =>
  (cat[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(params[k] ?? `{${k}}`));

describe('siasnStepText', () => {
  it('words every step in both languages', () => {
    for (const cat of [id, en] as Record<string, string>[]) {
      const t = tr(cat);
      expect(siasnStepText(null, t)).toBeNull();
      expect(siasnStepText({ status: 'pending', attempts: 0 }, t)).toBe(cat['siasn.pending']);
      expect(siasnStepText({ status: 'pending', attempts: 2 }, t)).toContain('3');
      expect(siasnStepText({ status: 'recorded', siasn_id: 'abc', at: '2026-01-01T00:00:00Z' }, t)).toContain('abc');
      expect(siasnStepText({ status: 'failed', message: 'NIP tidak ditemukan', at: '2026-01-01T00:00:00Z' }, t)).toContain('NIP tidak ditemukan');
      for (const reason of ['no_endpoint', 'deletion', 'no_edit_endpoint', 'record_not_in_siasn', 'person_not_in_siasn', 'nothing_to_send'] as const) {
        const text = siasnStepText({ status: 'not_forwardable', reason }, t);
        expect(text).toBe(cat[`siasn.not_forwardable.${reason}`]);
        expect(text).toBeTruthy();
      }
    }
  });
});

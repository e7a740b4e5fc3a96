import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiError, NotForwardable, SiasnFailure, SiasnManual, SiasnStep, UserInfo } from '../gen/ipc';
import { CODE_TEXT } from '../gen/codes';
import { id } from '../i18n/id';
import { en } from '../i18n/en';
import { anak } from '../test/fixtures';

const tauri = vi.hoisted(() => ({ invoke: vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>() }));
vi.mock('@tauri-apps/api/core', () => ({ invoke: tauri.invoke }));

const { canRetrySiasn, failureKind, failureWho, markEntered, needsManualEntry, retryFailure, retrySiasn, shownStep, siasnStepText, withoutFailure, withoutManual } =
  await import('./siasn');
const { errorText, locale } = await import('../i18n/index.svelte');

beforeEach(() => tauri.invoke.mockReset());

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
      for (const reason of ['no_endpoint', 'deletion', 'no_edit_endpoint', 'record_not_in_siasn', 'person_not_in_siasn', 'nothing_to_send', 'unknown_unit', 'unknown_position'] as const) {
        const text = siasnStepText({ status: 'not_forwardable', reason }, t);
        expect(text).toBe(cat[`siasn.not_forwardable.${reason}`]);
        expect(text).toBeTruthy();
      }
    }
  });
});

const failed = { status: 'failed', message: 'NIP tidak ditemukan', at: '2026-01-01T00:00:00Z' } as const;
const user = (roles: UserInfo['roles'], instansi_id = 'A1'): UserInfo => ({ nip: '199001012015031001', nama: 'Siti', instansi_id, roles });

describe('canRetrySiasn', () => {
  it('offers the retry only to an admin of the agency, only for a failed step', () => {
    expect(canRetrySiasn(failed, user(['asn', 'admin']), 'A1')).toBe(true);
    // Not an admin, another agency's admin, nobody logged in.
    expect(canRetrySiasn(failed, user(['asn', 'verifikator', 'approver']), 'A1')).toBe(false);
    expect(canRetrySiasn(failed, user(['asn', 'admin'], 'B2'), 'A1')).toBe(false);
    expect(canRetrySiasn(failed, null, 'A1')).toBe(false);
    // Any other step, or none.
    const others: (SiasnStep | null | undefined)[] = [
      null,
      undefined,
      { status: 'pending', attempts: 3 },
      { status: 'recorded', siasn_id: null, at: failed.at },
      { status: 'not_forwardable', reason: 'deletion' },
    ];
    for (const step of others) expect(canRetrySiasn(step, user(['admin']), 'A1')).toBe(false);
  });
});

describe('retrySiasn', () => {
  it('calls admin_siasn_retry with the proposal id and shows the answered step until the pull replaces the failure', async () => {
    tauri.invoke.mockResolvedValueOnce({ status: 'pending', attempts: 0 });
    const retried = await retrySiasn('u-7', failed);
    expect(tauri.invoke).toHaveBeenCalledTimes(1);
    expect(tauri.invoke).toHaveBeenCalledWith('admin_siasn_retry', { usulanId: 'u-7' });
    expect(retried).toEqual({ failedAt: failed.at, step: { status: 'pending', attempts: 0 } });

    // While the device still holds that failure, the answer is shown; a newer step pulled afterwards wins.
    expect(shownStep(failed, retried)).toEqual({ status: 'pending', attempts: 0 });
    const recorded = { status: 'recorded', siasn_id: 'x1', at: '2026-01-02T00:00:00Z' } as const;
    expect(shownStep(recorded, retried)).toEqual(recorded);
    const failedAgain = { ...failed, at: '2026-01-03T00:00:00Z' };
    expect(shownStep(failedAgain, retried)).toEqual(failedAgain);
    expect(shownStep(failed, null)).toEqual(failed);
  });

  it('rejects with the command error, shown as the registry text of its code', async () => {
    tauri.invoke.mockRejectedValueOnce({ code: 'usulan.siasn_not_failed', message: 'not failed' });
    const err = await retrySiasn('u-7', failed).catch((e: unknown) => e);
    expect(err).toEqual({ code: 'usulan.siasn_not_failed', message: 'not failed', field: undefined });
    const apiErr = err as ApiError;
    for (const lang of ['id', 'en'] as const) {
      locale.lang = lang;
      expect(errorText(apiErr)).toBe(CODE_TEXT[lang]['usulan.siasn_not_failed']);
    }
    expect(CODE_TEXT.id['usulan.siasn_not_failed']).toContain('SIASN');
    locale.lang = 'id';
  });
});

const failure = (usulan_id: string, over: Partial<SiasnFailure> = {}): SiasnFailure => ({
  usulan_id,
  nip: '199001012015031001',
  nama: 'Budi Santoso, S.Kom.',
  action: { type: 'delete_history', record_id: 'r1', kind: 'jabatan' },
  message: 'Data riwayat jabatan tidak valid',
  attempts: 1,
  failed_at: '2026-01-02T03:04:05Z',
  ...over,
});

describe('the agency list of failures', () => {
  it('names the ASN, else the NIP, and the category of the change', () => {
    expect(failureWho(failure('u1'))).toBe('Budi Santoso, S.Kom.');
    expect(failureWho(failure('u1', { nama: null }))).toBe('199001012015031001');
    expect(failureWho(failure('u1', { nama: '  ' }))).toBe('199001012015031001');
    expect(failureKind(failure('u1'))).toBe('jabatan');
    expect(failureKind(failure('u2', { action: { type: 'add_history', data: anak() } }))).toBe('anak');
    const fields = { alamat: null, no_hp: '081234567890', email: null, npwp: null, bpjs: null };
    expect(failureKind(failure('u3', { action: { type: 'change_owner_fields', fields } }))).toBeNull();
  });

  it('sends a failure again with admin_siasn_retry and drops only that row', async () => {
    const sent = failure('u2');
    const list = [failure('u3', { failed_at: '2026-01-03T00:00:00Z' }), sent, failure('u1')];
    tauri.invoke.mockResolvedValueOnce({ status: 'pending', attempts: 0 });
    const retried = await retryFailure(sent);
    expect(tauri.invoke).toHaveBeenCalledWith('admin_siasn_retry', { usulanId: 'u2' });
    expect(retried).toEqual({ failedAt: '2026-01-02T03:04:05Z', step: { status: 'pending', attempts: 0 } });
    const left = withoutFailure(list, 'u2');
    expect(left.map((f) => f.usulan_id)).toEqual(['u3', 'u1']);
    expect(list).toHaveLength(3);
    expect(withoutFailure(left, 'nope')).toEqual(left);
  });

  it('keeps the row when the retry is refused, with the registry text of the code', async () => {
    tauri.invoke.mockRejectedValueOnce({ code: 'usulan.siasn_not_failed', message: 'not failed' });
    const err = (await retryFailure(failure('u1')).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('usulan.siasn_not_failed');
    expect(errorText(err)).toBe(CODE_TEXT.id['usulan.siasn_not_failed']);
  });

  it('loads the list with admin_siasn_failed, as the server orders it', async () => {
    const { api } = await import('./api');
    const rows = [failure('u2'), failure('u1')];
    tauri.invoke.mockResolvedValueOnce(rows);
    expect(await api.adminSiasnFailed()).toEqual(rows);
    expect(tauri.invoke).toHaveBeenCalledWith('admin_siasn_failed', undefined);
  });

  it('words the section in both languages', () => {
    for (const cat of [id, en] as Record<string, string>[]) {
      for (const key of ['siasn_failed.tab', 'siasn_failed.title', 'siasn_failed.empty', 'siasn_failed.offline', 'siasn_failed.reload']) {
        expect(cat[key], key).toBeTruthy();
      }
      const t = tr(cat);
      expect(t('siasn_failed.message', { message: 'NIP tidak ditemukan' })).toContain('NIP tidak ditemukan');
      expect(t('siasn_failed.when', { at: '02-01-2026 10:04', n: '3' })).toMatch(/02-01-2026 10:04.*3/);
      expect(t('siasn_failed.sent', { who: 'Budi' })).toContain('Budi');
    }
    expect(id['siasn_failed.title']).toBe('Gagal dikirim ke SIASN');
    expect(en['siasn_failed.title']).toBe('Failed to send to SIASN');
    expect(id['siasn.retry']).toBe('Kirim ulang ke SIASN');
  });
});

const manual = (usulan_id: string, reason: NotForwardable = 'no_endpoint'): SiasnManual => ({
  usulan_id,
  nip: '199001012015031001',
  nama: null,
  action: { type: 'delete_history', record_id: 'r1', kind: 'pendidikan' },
  reason,
  since: '2026-01-02T03:04:05Z',
});

describe('changes waiting to be entered in SIASN by hand', () => {
  it('tells the ASN and the reviewers that the agency admin enters it by hand, for every reason that needs it', () => {
    const reasons: NotForwardable[] = ['no_endpoint', 'deletion', 'no_edit_endpoint', 'record_not_in_siasn', 'person_not_in_siasn', 'nothing_to_send', 'unknown_unit', 'unknown_position'];
    expect(reasons.filter(needsManualEntry)).toEqual(['no_endpoint', 'deletion', 'no_edit_endpoint', 'record_not_in_siasn', 'unknown_unit', 'unknown_position']);
    for (const reason of reasons) {
      const idText = siasnStepText({ status: 'not_forwardable', reason }, tr(id)) ?? '';
      const enText = siasnStepText({ status: 'not_forwardable', reason }, tr(en)) ?? '';
      expect(idText.includes('perlu dicatat manual di SIASN oleh admin instansi'), reason).toBe(needsManualEntry(reason));
      expect(enText.includes('admin must enter it in SIASN by hand'), reason).toBe(needsManualEntry(reason));
    }
  });

  it('loads the list with admin_siasn_manual, marks one with admin_siasn_manual_entered and drops only that row', async () => {
    const { api } = await import('./api');
    const waiting = manual('u2', 'deletion');
    const list = [manual('u3'), waiting, manual('u1')];
    tauri.invoke.mockResolvedValueOnce(list);
    expect(await api.adminSiasnManual()).toEqual(list);
    expect(tauri.invoke).toHaveBeenCalledWith('admin_siasn_manual', undefined);
    const recorded = { status: 'recorded', siasn_id: null, at: '2026-01-04T00:00:00Z' } as const;
    tauri.invoke.mockResolvedValueOnce(recorded);
    expect(await markEntered(waiting)).toEqual(recorded);
    expect(tauri.invoke).toHaveBeenLastCalledWith('admin_siasn_manual_entered', { usulanId: 'u2' });
    expect(withoutManual(list, 'u2').map((m) => m.usulan_id)).toEqual(['u3', 'u1']);
    expect(list).toHaveLength(3);
    expect(failureWho(waiting)).toBe('199001012015031001');
    expect(failureKind(waiting)).toBe('pendidikan');
  });

  it('keeps the row when the mark is refused, with the registry text of the code', async () => {
    tauri.invoke.mockRejectedValueOnce({ code: 'usulan.siasn_not_manual', message: 'not waiting' });
    const err = (await markEntered(manual('u1')).catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('usulan.siasn_not_manual');
    expect(errorText(err)).toBe(CODE_TEXT.id['usulan.siasn_not_manual']);
  });

  it('words the section in both languages', () => {
    for (const cat of [id, en] as Record<string, string>[]) {
      for (const key of ['siasn_manual.tab', 'siasn_manual.title', 'siasn_manual.hint', 'siasn_manual.empty', 'siasn_manual.mark']) {
        expect(cat[key], key).toBeTruthy();
      }
      const t = tr(cat);
      expect(t('siasn_manual.since', { at: '02-01-2026 10:04' })).toContain('02-01-2026 10:04');
      expect(t('siasn_manual.marked', { who: 'Budi' })).toContain('Budi');
    }
    expect(id['siasn_manual.tab']).toBe('Perlu input manual');
    expect(id['siasn_manual.mark']).toBe('Sudah dicatat di SIASN');
  });
});

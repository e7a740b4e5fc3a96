import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SyncStatus } from '../gen/ipc';

type Handler = (e: { payload: unknown }) => void;
const tauri = vi.hoisted(() => ({
  invoke: vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>(),
  listen: vi.fn<(event: string, h: Handler) => Promise<() => void>>(),
}));
vi.mock('@tauri-apps/api/core', () => ({ invoke: tauri.invoke }));
vi.mock('@tauri-apps/api/event', () => ({ listen: tauri.listen }));

const { api, asApiError, onNotificationTap, onSyncStatus } = await import('./api');

beforeEach(() => {
  tauri.invoke.mockReset();
  tauri.listen.mockReset();
});

describe('asApiError', () => {
  it('keeps a command error of the wire shape', () => {
    expect(asApiError({ code: 'auth.invalid_credentials', message: 'Wrong NIP or password', field: 'password' })).toEqual({
      code: 'auth.invalid_credentials',
      message: 'Wrong NIP or password',
      field: 'password',
    });
    expect(asApiError({ code: 'auth.throttled', message: 'Too many', retry_after_secs: 240 })).toEqual({
      code: 'auth.throttled',
      message: 'Too many',
      retry_after_secs: 240,
    });
  });

  it('turns a missing message into an empty one', () => {
    expect(asApiError({ code: 'auth.clock_skew', message: 'off', clock_skew_secs: -300 })).toEqual({
      code: 'auth.clock_skew',
      message: 'off',
      field: undefined,
      clock_skew_secs: -300,
    });
    expect(asApiError({ code: 'sync.offline' })).toEqual({ code: 'sync.offline', message: '', field: undefined });
  });

  it('wraps anything else as app.unexpected with its text', () => {
    expect(asApiError('boom')).toEqual({ code: 'app.unexpected', message: 'boom' });
    expect(asApiError(new Error('bad'))).toEqual({ code: 'app.unexpected', message: 'Error: bad' });
    expect(asApiError({ code: 42 })).toEqual({ code: 'app.unexpected', message: '[object Object]' });
    expect(asApiError(null)).toEqual({ code: 'app.unexpected', message: 'null' });
  });
});

describe('commands', () => {
  it('name the shell command and pass camelCase arguments', async () => {
    tauri.invoke.mockResolvedValue({ nip: '1', nama: 'A', instansi_id: 'X', roles: [] });
    await api.login('198501012010011001', 'rahasia');
    expect(tauri.invoke).toHaveBeenLastCalledWith('login', {
      nip: '198501012010011001',
      password: 'rahasia',
      totp: null,
      recoveryCode: null,
    });
    await api.login('198501012010011001', 'rahasia', { recoveryCode: 'ABCD-EFGH' });
    expect(tauri.invoke).toHaveBeenLastCalledWith('login', {
      nip: '198501012010011001',
      password: 'rahasia',
      totp: null,
      recoveryCode: 'ABCD-EFGH',
    });
    tauri.invoke.mockResolvedValue(undefined);
    await api.resubmit('u-1', { type: 'delete_history', record_id: 'r', kind: 'skp' });
    expect(tauri.invoke).toHaveBeenLastCalledWith('resubmit', {
      usulanId: 'u-1',
      action: { type: 'delete_history', record_id: 'r', kind: 'skp' },
      documents: [],
    });
  });

  it('reject with an ApiError whatever the shell rejects with', async () => {
    tauri.invoke.mockRejectedValue({ code: 'auth.invalid_credentials', message: 'Wrong' });
    await expect(api.session()).rejects.toEqual({ code: 'auth.invalid_credentials', message: 'Wrong', field: undefined });
    tauri.invoke.mockRejectedValue('window closed');
    await expect(api.syncNow()).rejects.toEqual({ code: 'app.unexpected', message: 'window closed' });
  });
});

describe('events', () => {
  it('hand each listener the payload of its event', async () => {
    const handlers = new Map<string, Handler>();
    tauri.listen.mockImplementation(async (event, h) => {
      handlers.set(event, h);
      return () => undefined;
    });
    const statuses: SyncStatus[] = [];
    const taps: string[] = [];
    await onSyncStatus((s) => statuses.push(s));
    await onNotificationTap((t) => taps.push(t.notification_id));
    const status: SyncStatus = { phase: 'idle', pending: 2, last_synced_at: null, last_error: null };
    handlers.get('sync-status')?.({ payload: status });
    handlers.get('notification-tap')?.({ payload: { notification_id: 'n-9' } });
    expect(statuses).toEqual([status]);
    expect(taps).toEqual(['n-9']);
  });
});

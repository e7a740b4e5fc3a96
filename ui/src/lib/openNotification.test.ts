import { beforeEach, describe, expect, it, vi } from 'vitest';
import { beranda, notification } from '../test/fixtures';
import type { Notification } from '../gen/ipc';

// The IPC bridge is the only thing faked: the routing, the API wrapper and the store are the real ones.
const invoke = vi.hoisted(() => vi.fn<(cmd: string, args?: Record<string, unknown>) => Promise<unknown>>());
vi.mock('@tauri-apps/api/core', () => ({ invoke }));

const { openNotification, openTapped, skpYear } = await import('./openNotification');
const { app } = await import('./store.svelte');

beforeEach(() => {
  invoke.mockReset();
  invoke.mockResolvedValue(undefined);
  vi.stubGlobal('window', { scrollTo: vi.fn() });
  app.user = null;
  app.screen = { name: 'inbox' };
  app.inbox = null;
});

async function opens(n: Notification) {
  const own = await openNotification(n);
  return { own, screen: app.screen };
}

describe('where a notification leads', () => {
  it('a proposal state opens that proposal', async () => {
    const r = await opens(notification({ kind: 'usulan_state', usulan_id: 'u-7', state: 'returned' }));
    expect(r).toEqual({ own: true, screen: { name: 'usulan', focus: 'u-7' } });
  });

  it('a proposal state without a proposal id opens the proposal list', async () => {
    const r = await opens(notification({ kind: 'usulan_state' }));
    expect(r).toEqual({ own: true, screen: { name: 'usulan' } });
  });

  it('a missing SKP opens the SKP add form with the year of its due date', async () => {
    const n = notification({ kind: 'service', service: 'skp_missing', history_kind: 'skp', due_date: '2023-12-31' });
    expect(await opens(n)).toEqual({
      own: true,
      screen: { name: 'category', kind: 'skp', add: true, prefill: { tahun: '2023' } },
    });
  });

  it('a missing SKP without a due date opens the category only', async () => {
    const n = notification({ kind: 'service', service: 'skp_missing', history_kind: 'skp' });
    expect(await opens(n)).toEqual({ own: true, screen: { name: 'category', kind: 'skp' } });
  });

  it('another service event opens its category', async () => {
    const n = notification({ kind: 'service', service: 'kenaikan_pangkat', history_kind: 'golongan', due_date: '2025-04-01' });
    expect(await opens(n)).toEqual({ own: true, screen: { name: 'category', kind: 'golongan' } });
  });

  it('an announcement, a layanan update or a service event without a category stays inline', async () => {
    for (const n of [
      notification({ kind: 'announcement', title: 'Libur', body: 'Kantor tutup.' }),
      notification({ kind: 'layanan', layanan: 'kenaikan_pangkat', stage: 'diusulkan' }),
      notification({ kind: 'service', service: 'pensiun', due_date: '2040-01-01' }),
    ]) {
      expect(await opens(n)).toEqual({ own: false, screen: { name: 'inbox' } });
    }
  });
});

describe('reading', () => {
  it('marks an unread notification read, then refreshes, before opening it', async () => {
    app.user = { nip: '198501012010011001', nama: 'Siti Aminah', instansi_id: 'A1', roles: ['asn'] };
    app.specs = [];
    const inbox = { notifications: [] };
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'beranda') return beranda([]);
      if (cmd === 'inbox') return inbox;
      if (cmd === 'category_specs') return [];
      return undefined;
    });
    await openNotification(notification({ id: 'n-5', read: false, usulan_id: 'u-1', kind: 'usulan_state' }));
    expect(invoke.mock.calls[0]).toEqual(['mark_read', { notificationId: 'n-5' }]);
    expect(invoke.mock.calls.map((c) => c[0])).toContain('inbox');
    expect(app.inbox).toEqual(inbox);
    expect(app.screen).toEqual({ name: 'usulan', focus: 'u-1' });
  });

  it('opens it even when marking it read fails', async () => {
    invoke.mockRejectedValue({ code: 'store.busy', message: 'busy' });
    expect(await opens(notification({ read: false, usulan_id: 'u-2', kind: 'usulan_state' }))).toEqual({
      own: true,
      screen: { name: 'usulan', focus: 'u-2' },
    });
  });

  it('does not mark a read notification again', async () => {
    await openNotification(notification({ read: true, usulan_id: 'u-3', kind: 'usulan_state' }));
    expect(invoke).not.toHaveBeenCalled();
  });
});

describe('a tap on a system notification', () => {
  const usulan = notification({ id: 'n-1', kind: 'usulan_state', usulan_id: 'u-8', state: 'approved' });
  const news = notification({ id: 'n-2', kind: 'announcement', title: 'Libur' });

  beforeEach(() => {
    app.user = { nip: '198501012010011001', nama: 'Siti Aminah', instansi_id: 'A1', roles: ['asn'] };
    app.specs = [];
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'beranda') return beranda([]);
      if (cmd === 'inbox') return { notifications: [usulan, news] };
      return [];
    });
  });

  it('opens what the tapped notification concerns, from the refreshed inbox', async () => {
    await openTapped({ notification_id: 'n-1' });
    expect(invoke.mock.calls[0]?.[0]).toBe('category_specs');
    expect(app.screen).toEqual({ name: 'usulan', focus: 'u-8' });
  });

  it('opens the inbox for a notification without a screen of its own, or one no longer there', async () => {
    await openTapped({ notification_id: 'n-2' });
    expect(app.screen).toEqual({ name: 'inbox' });
    app.screen = { name: 'beranda' };
    await openTapped({ notification_id: 'gone' });
    expect(app.screen).toEqual({ name: 'inbox' });
  });
});

describe('skpYear', () => {
  it('is the year of the due date, or nothing', () => {
    expect(skpYear(notification({ due_date: '2024-12-31' }))).toBe('2024');
    expect(skpYear(notification({}))).toBeNull();
  });
});

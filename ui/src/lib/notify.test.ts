import { beforeEach, describe, expect, it, vi } from 'vitest';

const plugin = vi.hoisted(() => ({
  isPermissionGranted: vi.fn<() => Promise<boolean>>(),
  requestPermission: vi.fn<() => Promise<string>>(),
}));
vi.mock('@tauri-apps/plugin-notification', () => plugin);

/** A fresh copy of the module: its "shown this session" flag starts unset. */
async function fresh() {
  vi.resetModules();
  return await import('./notify');
}

function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

beforeEach(() => {
  plugin.isPermissionGranted.mockReset().mockResolvedValue(false);
  plugin.requestPermission.mockReset().mockResolvedValue('granted');
});

describe('the notification permission', () => {
  it('explains first, asks the system only on "allow", and remembers the answer on the device', async () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    const n = await fresh();
    const explain = vi.fn();
    n.onExplain(explain);
    await n.notificationsNeeded();
    expect(explain).toHaveBeenCalledTimes(1);
    expect(plugin.requestPermission).not.toHaveBeenCalled(); // never asked without the explanation
    await n.notificationsNeeded();
    expect(explain).toHaveBeenCalledTimes(1); // once per session
    expect(await n.allowNotifications()).toBe('granted');
    expect(plugin.requestPermission).toHaveBeenCalledTimes(1);
    expect(storage.getItem(n.ANSWER_KEY)).toBe('allowed');
    // A restart: a new module, the same storage: no explanation again.
    const again = await fresh();
    const explain2 = vi.fn();
    again.onExplain(explain2);
    await again.notificationsNeeded();
    expect(explain2).not.toHaveBeenCalled();
  });

  it('"not now" is remembered, and the app keeps working when the system refuses', async () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    const n = await fresh();
    n.notNow();
    expect(storage.getItem(n.ANSWER_KEY)).toBe('later');
    const explain = vi.fn();
    (await fresh()).onExplain(explain);
    expect(explain).not.toHaveBeenCalled();
    plugin.requestPermission.mockResolvedValue('denied');
    expect(await n.allowNotifications()).toBe('off');
    expect(await n.notificationState()).toBe('off');
    plugin.requestPermission.mockRejectedValue(new Error('refused'));
    expect(await n.allowNotifications()).toBe('unavailable');
  });

  it('shows nothing when the permission is already granted or there is no plugin', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    plugin.isPermissionGranted.mockResolvedValue(true);
    let n = await fresh();
    const explain = vi.fn();
    n.onExplain(explain);
    await n.notificationsNeeded();
    expect(await n.notificationState()).toBe('granted');
    vi.stubGlobal('localStorage', memoryStorage());
    plugin.isPermissionGranted.mockRejectedValue(new Error('not in Tauri'));
    n = await fresh();
    n.onExplain(explain);
    await expect(n.notificationsNeeded()).resolves.toBeUndefined();
    expect(await n.notificationState()).toBe('unavailable');
    expect(explain).not.toHaveBeenCalled();
  });

  it('explains once per session when there is no storage', async () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    });
    const n = await fresh();
    const explain = vi.fn();
    const off = n.onExplain(explain);
    await Promise.all([n.notificationsNeeded(), n.notificationsNeeded()]);
    await n.askNotificationPermissionOnce();
    expect(explain).toHaveBeenCalledTimes(1);
    off();
  });

  it('knows a phone by its user agent', async () => {
    const n = await fresh();
    expect(n.isPhone('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36')).toBe(true);
    expect(n.isPhone('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe(true);
    expect(n.isPhone('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15')).toBe(false);
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';

const plugin = vi.hoisted(() => ({
  isPermissionGranted: vi.fn<() => Promise<boolean>>(),
  requestPermission: vi.fn<() => Promise<string>>(),
}));
vi.mock('@tauri-apps/plugin-notification', () => plugin);

/** A fresh copy of the module: its "asked this session" flag starts unset. */
async function fresh() {
  vi.resetModules();
  return (await import('./notify')).askNotificationPermissionOnce;
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

describe('askNotificationPermissionOnce', () => {
  it('asks once per device, remembered across restarts', async () => {
    const storage = memoryStorage();
    vi.stubGlobal('localStorage', storage);
    await (await fresh())();
    expect(plugin.requestPermission).toHaveBeenCalledTimes(1);
    expect(storage.getItem('mysapk.notify_asked')).toBe('1');
    // A restart: a new module, the same storage.
    await (await fresh())();
    expect(plugin.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('does not ask when the permission is already granted', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    plugin.isPermissionGranted.mockResolvedValue(true);
    await (await fresh())();
    expect(plugin.requestPermission).not.toHaveBeenCalled();
  });

  it('asks once per session when there is no storage', async () => {
    vi.stubGlobal('localStorage', {
      getItem: () => {
        throw new Error('denied');
      },
    });
    const ask = await fresh();
    await ask();
    await ask();
    expect(plugin.requestPermission).toHaveBeenCalledTimes(1);
  });

  it('swallows a platform without the plugin or a refusal', async () => {
    vi.stubGlobal('localStorage', memoryStorage());
    plugin.isPermissionGranted.mockRejectedValue(new Error('not in Tauri'));
    await expect((await fresh())()).resolves.toBeUndefined();
    vi.stubGlobal('localStorage', memoryStorage());
    plugin.isPermissionGranted.mockResolvedValue(false);
    plugin.requestPermission.mockRejectedValue(new Error('refused'));
    await expect((await fresh())()).resolves.toBeUndefined();
  });
});

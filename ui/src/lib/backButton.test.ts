import { describe, expect, it, vi } from 'vitest';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn() }));
const { app, back, go, installBackButton, screens } = await import('./store.svelte');

/** A window whose back gesture pops the last history entry and fires `popstate`, as the Android web view does. */
function phone() {
  const entries: unknown[] = ['page'];
  const listeners = new Set<() => void>();
  const win = {
    history: { pushState: (d: unknown) => void entries.push(d), back: () => void entries.pop() },
    addEventListener: (_: string, f: () => void) => void listeners.add(f),
    removeEventListener: (_: string, f: () => void) => void listeners.delete(f),
    scrollTo: vi.fn(),
  };
  /** The system back gesture: `false` when the web view cannot go back (the system leaves the app). */
  const gesture = () => {
    if (entries.length <= 1) return false;
    entries.pop();
    listeners.forEach((f) => f());
    return true;
  };
  return { win, entries, gesture, listeners };
}

describe('the back button', () => {
  it('goes back a screen at a time and leaves the app only from the home screen', () => {
    const p = phone();
    vi.stubGlobal('window', p.win);
    app.screen = { name: 'login' };
    const remove = installBackButton(p.win as unknown as Window);
    go({ name: 'beranda' });
    go({ name: 'card' });
    go({ name: 'card_check' });
    expect(p.gesture()).toBe(true);
    expect(app.screen).toEqual({ name: 'card' });
    expect(p.gesture()).toBe(true);
    expect(app.screen).toEqual({ name: 'beranda' });
    expect(p.gesture()).toBe(false); // home: the system takes the gesture and leaves the app
    expect(app.screen).toEqual({ name: 'beranda' });

    // A tab, then the tab bar's home: the history is forgotten, the next gesture leaves the app.
    go({ name: 'inbox' });
    expect(p.entries.length).toBe(2);
    go({ name: 'beranda' });
    expect(p.entries.length).toBe(1);
    expect(screens.canGoBack).toBe(false);
    remove();
    expect(p.listeners.size).toBe(0);
  });

  it('back() from the UI returns false on a root', () => {
    vi.stubGlobal('window', { scrollTo: vi.fn() });
    go({ name: 'beranda' });
    expect(back()).toBe(false);
    go({ name: 'standing' });
    expect(back()).toBe(true);
    expect(app.screen).toEqual({ name: 'beranda' });
  });
});

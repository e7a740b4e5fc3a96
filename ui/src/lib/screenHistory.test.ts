import { beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DEPTH, ScreenHistory, type BrowserHistory, type Named } from './screenHistory';

type S = Named & { id?: string; required?: boolean };
const home: S = { name: 'beranda' };

/** A browser history: its length, and a back gesture that fires `popstate` the way a web view does. */
function browser() {
  const entries: unknown[] = ['page'];
  const b: BrowserHistory & { entries: unknown[] } = {
    entries,
    pushState: (data) => void entries.push(data),
    back: () => void entries.pop(),
  };
  return b;
}

describe('ScreenHistory', () => {
  let h: ScreenHistory<S>;
  beforeEach(() => {
    h = new ScreenHistory<S>(home);
  });

  it('goes back screen by screen to the home screen, then has nowhere to go', () => {
    h.navigate(home, { name: 'category', id: 'anak' });
    h.navigate({ name: 'category', id: 'anak' }, { name: 'data_utama' });
    expect(h.entries).toEqual([home, { name: 'category', id: 'anak' }]);
    expect(h.back()).toEqual({ name: 'category', id: 'anak' });
    expect(h.back()).toEqual(home);
    expect(h.canGoBack).toBe(false);
    expect(h.back()).toBeNull();
  });

  it('forgets the history at a root, and a tab sits one step above home', () => {
    h.navigate(home, { name: 'card' });
    h.navigate({ name: 'card' }, { name: 'card_check' });
    h.navigate({ name: 'card_check' }, { name: 'inbox' });
    expect(h.entries).toEqual([home]);
    h.navigate({ name: 'inbox' }, home);
    expect(h.entries).toEqual([]);
    h.navigate(home, { name: 'card' });
    h.navigate({ name: 'card' }, { name: 'login' });
    expect(h.entries).toEqual([]);
    // Nothing before the login screen, and a required enrolment cannot be left by going back.
    h.navigate({ name: 'login' }, { name: 'usulan' });
    expect(h.entries).toEqual([]);
    h.navigate(home, { name: 'devices' });
    h.navigate({ name: 'devices' }, { name: 'mfa', required: true });
    expect(h.entries).toEqual([]);
  });

  it('treats a "← previous" link as back and the same screen again as nothing', () => {
    h.navigate({ name: 'queue' }, { name: 'review', id: 'u1' });
    expect(h.entries).toEqual([{ name: 'queue' }]);
    h.navigate({ name: 'review', id: 'u1' }, { name: 'queue' });
    expect(h.entries).toEqual([]);
    h.navigate(home, { name: 'standing' });
    h.navigate({ name: 'standing' }, { name: 'standing' });
    expect(h.entries).toEqual([home]);
    // Two reviews in a row are two screens.
    h.navigate({ name: 'standing' }, { name: 'review', id: 'a' });
    h.navigate({ name: 'review', id: 'a' }, { name: 'review', id: 'b' });
    expect(h.back()).toEqual({ name: 'review', id: 'a' });
  });

  it('keeps at most MAX_DEPTH screens', () => {
    let current: S = home;
    for (let i = 0; i < MAX_DEPTH + 5; i++) {
      const next = { name: 'review', id: String(i) };
      h.navigate(current, next);
      current = next;
    }
    expect(h.entries.length).toBe(MAX_DEPTH);
    expect(h.entries[MAX_DEPTH - 1]).toEqual({ name: 'review', id: String(MAX_DEPTH + 3) });
  });

  it('keeps one guard entry in the browser history while there is somewhere to go back to', () => {
    const b = browser();
    const push = vi.spyOn(b, 'pushState');
    h.attach(b);
    expect(b.entries.length).toBe(1);
    h.navigate(home, { name: 'card' });
    h.navigate({ name: 'card' }, { name: 'card_check' });
    expect(push).toHaveBeenCalledTimes(1);
    expect(b.entries.length).toBe(2);

    // The back gesture: the web view pops the guard and fires popstate.
    b.entries.pop();
    expect(h.popped()).toEqual({ name: 'card' });
    expect(b.entries.length).toBe(2); // the guard again: one more screen to go back to
    b.entries.pop();
    expect(h.popped()).toEqual(home);
    expect(b.entries.length).toBe(1); // on home: the next gesture leaves the app
  });

  it('takes the guard away when a root is reached by a link, and ignores that popstate', () => {
    const b = browser();
    h.attach(b);
    h.navigate(home, { name: 'category', id: 'x' });
    expect(b.entries.length).toBe(2);
    h.navigate({ name: 'category', id: 'x' }, home);
    expect(b.entries.length).toBe(1);
    // The popstate of that removal is not a back gesture.
    expect(h.popped()).toBeNull();
    h.navigate(home, { name: 'card' });
    expect(b.entries.length).toBe(2);
    b.entries.pop();
    expect(h.popped()).toEqual(home);
  });
});

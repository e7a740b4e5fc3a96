// The screen history: which screens "back" returns to, and the Android back button.
//
// The app has one URL; its screens are state. The Android back gesture reaches the page through the web view's
// own history (Tauri's Android app plugin calls `WebView.goBack()` when the web view can go back, and otherwise
// lets the system leave the app). So while there is a screen to go back to, one extra history entry (a "guard")
// is kept pushed: the back gesture pops it, `popstate` fires, the app goes back a screen and pushes the guard
// again if there is still somewhere to go back to. On the home screen there is no guard, and the back gesture
// leaves the app. No native code is needed, and the desktop's back mouse button behaves the same.

/** What a screen needs for the history: its name (the rest of its fields tell two screens apart). */
export interface Named {
  name: string;
}

/** The part of `window.history` the guard uses. */
export interface BrowserHistory {
  pushState(data: unknown, unused: string): void;
  back(): void;
}

/** The roots: going to one forgets the history (back from them leaves the app). */
const ROOTS = new Set(['login', 'beranda']);
/** The tabs: one step above the home screen, whatever came before. */
const TABS = new Set(['usulan', 'inbox', 'queue']);
/** More than this many screens back is never useful: the oldest are forgotten. */
export const MAX_DEPTH = 20;

const same = (a: Named, b: Named) => JSON.stringify(a) === JSON.stringify(b);

export class ScreenHistory<S extends Named> {
  private stack: S[] = [];
  private guarded = false;
  private ignorePops = 0;

  constructor(
    private readonly home: S,
    private browser: BrowserHistory | null = null,
  ) {}

  /** The screens back returns to, oldest first. */
  get entries(): readonly S[] {
    return this.stack;
  }

  get canGoBack(): boolean {
    return this.stack.length > 0;
  }

  /** Where to go from `current` to `next`: the screen to show (always `next`), the history updated. */
  navigate(current: S, next: S): S {
    const previous: S | undefined = this.stack[this.stack.length - 1];
    if (ROOTS.has(next.name) || (next.name === 'mfa' && (next as { required?: boolean }).required)) {
      this.stack = [];
    } else if (same(current, next)) {
      // The same screen again: nothing to remember.
    } else if (previous && same(previous, next)) {
      // A "← previous" link: the same as back.
      this.stack.pop();
    } else if (TABS.has(next.name)) {
      this.stack = current.name === 'login' ? [] : [this.home];
    } else if (current.name !== 'login') {
      this.stack.push(current);
      if (this.stack.length > MAX_DEPTH) this.stack.splice(0, this.stack.length - MAX_DEPTH);
    }
    this.syncGuard();
    return next;
  }

  /** The screen before, forgotten from the history; `null` on a root (nothing to go back to). */
  back(): S | null {
    const previous = this.stack.pop() ?? null;
    this.syncGuard();
    return previous;
  }

  /** Use the browser's history for the back gesture (see the top of this file). */
  attach(browser: BrowserHistory): void {
    this.browser = browser;
    this.guarded = false;
    this.syncGuard();
  }

  /** A `popstate`: the back gesture took the guard. Returns the screen to show, or `null` to ignore it. */
  popped(): S | null {
    if (this.ignorePops > 0) {
      this.ignorePops -= 1;
      return null;
    }
    this.guarded = false;
    return this.back();
  }

  /** One guard entry while there is somewhere to go back to, none on a root. */
  private syncGuard(): void {
    if (!this.browser) return;
    if (this.stack.length > 0 && !this.guarded) {
      this.browser.pushState({ mysapk: 'back' }, '');
      this.guarded = true;
    } else if (this.stack.length === 0 && this.guarded) {
      // Take the guard away so the next back gesture leaves the app; its popstate is ours, not the user's.
      this.guarded = false;
      this.ignorePops += 1;
      this.browser.back();
    }
  }
}

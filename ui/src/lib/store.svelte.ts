// App state shared by the screens: the session, the beranda read from the local database, the inbox and the
// sync status. Everything is refreshed from the core; nothing is stored here.
import { api, asApiError } from './api';
import { TRANSITIONS } from '../gen/tables';
import { ScreenHistory } from './screenHistory';
import type {
  ApiError,
  Beranda,
  CategorySpec,
  HistoryKind,
  Inbox,
  ReviewFilter,
  ReviewQueueView,
  SyncStatus,
  UserInfo,
} from '../gen/ipc';

export type Screen =
  | { name: 'login' }
  | { name: 'beranda' }
  /** `add` opens the add form at once, prefilled with `prefill` (e.g. the SKP year that is missing). */
  | { name: 'category'; kind: HistoryKind; add?: boolean; prefill?: Record<string, string> }
  | { name: 'data_utama' }
  | { name: 'usulan'; focus?: string }
  | { name: 'inbox' }
  | { name: 'queue' }
  | { name: 'review'; id: string }
  | { name: 'admin' }
  | { name: 'audit' }
  | { name: 'standing' }
  | { name: 'card' }
  /** "Periksa Kartu ASN": check someone's card token offline; `token`: from a card link that opened the app. */
  | { name: 'card_check'; token?: string }
  | { name: 'devices' }
  /** Two-step verification; `required`: the server allows this session nothing else until it is turned on. */
  | { name: 'mfa'; required?: boolean };

export const app = $state<{
  user: UserInfo | null;
  screen: Screen;
  beranda: Beranda | null;
  inbox: Inbox | null;
  status: SyncStatus | null;
  error: ApiError | null;
  queue: ReviewQueueView | null;
  filter: ReviewFilter;
  /** The forms of every category (static per app version), loaded once. */
  specs: CategorySpec[];
}>({
  user: null,
  screen: { name: 'login' },
  beranda: null,
  inbox: null,
  status: null,
  error: null,
  queue: null,
  filter: { kind: null, unor_nama: null },
  specs: [],
});

/** Whether the user takes a review step: holds a role of the model's workflow table (verifier or approver). */
export function isReviewer(): boolean {
  return !!app.user && app.user.roles.some((r) => TRANSITIONS.some((s) => s.role === r));
}

export function isAdmin(): boolean {
  return !!app.user && app.user.roles.includes('admin');
}

export async function refresh(): Promise<void> {
  if (!app.user) return;
  try {
    // The forms are static per app version: loaded once; a failure leaves the lists readable.
    if (app.specs.length === 0) app.specs = await api.categorySpecs().catch(() => []);
    const [b, i] = await Promise.all([api.beranda(), api.inbox()]);
    app.beranda = b;
    app.inbox = i;
    app.queue = isReviewer() ? await api.reviewQueue($state.snapshot(app.filter)) : null;
    app.error = null;
  } catch (e) {
    app.error = asApiError(e);
  }
}

/** The screens "back" returns to (the Android back gesture, the desktop's back button); see `screenHistory.ts`. */
export const screens = new ScreenHistory<Screen>({ name: 'beranda' });

export function go(screen: Screen): void {
  app.screen = screens.navigate($state.snapshot(app.screen) as Screen, screen);
  window.scrollTo?.(0, 0);
}

/** Back a screen; `false` on the home or login screen (nothing to go back to: the system may leave the app). */
export function back(): boolean {
  const previous = screens.back();
  if (!previous) return false;
  app.screen = previous;
  window.scrollTo?.(0, 0);
  return true;
}

/** Let the back gesture (Android) and the back button (desktop) go back a screen: `popstate` → back. */
export function installBackButton(win: Pick<Window, 'history' | 'addEventListener' | 'removeEventListener'> = window): () => void {
  screens.attach(win.history);
  const onPop = () => {
    const previous = screens.popped();
    if (previous) {
      app.screen = previous;
      window.scrollTo?.(0, 0);
    }
  };
  win.addEventListener('popstate', onPop);
  return () => win.removeEventListener('popstate', onPop);
}

// App state shared by the screens: the session, the beranda read from the local database, the inbox and the
// sync status. Everything is refreshed from the core; nothing is stored here.
import { api, asApiError } from './api';
import type { ApiError, Beranda, Inbox, SyncStatus, UserInfo } from '../gen/ipc';

export type Screen =
  | { name: 'login' }
  | { name: 'beranda' }
  | { name: 'usulan'; focus?: string }
  | { name: 'inbox' };

export const app = $state<{
  user: UserInfo | null;
  screen: Screen;
  beranda: Beranda | null;
  inbox: Inbox | null;
  status: SyncStatus | null;
  error: ApiError | null;
}>({
  user: null,
  screen: { name: 'login' },
  beranda: null,
  inbox: null,
  status: null,
  error: null,
});

export async function refresh(): Promise<void> {
  if (!app.user) return;
  try {
    const [b, i] = await Promise.all([api.beranda(), api.inbox()]);
    app.beranda = b;
    app.inbox = i;
    app.error = null;
  } catch (e) {
    app.error = asApiError(e);
  }
}

export function go(screen: Screen): void {
  app.screen = screen;
}

// Where a notification leads, shared by the inbox and by a tap on the system notification.
import type { Notification } from '../gen/ipc';
import { api, type NotificationTap } from './api';
import { app, go, refresh } from './store.svelte';

/** The SKP year a `skp_missing` event concerns: its due date is the year's last day. */
export function skpYear(n: Notification): string | null {
  return n.due_date ? n.due_date.slice(0, 4) : null;
}

/** Mark `n` read and open what it concerns. Returns false when it has no screen of its own (shown inline). */
export async function openNotification(n: Notification): Promise<boolean> {
  if (!n.read) {
    await api.markRead(n.id).catch(() => undefined);
    await refresh();
  }
  if (n.usulan_id) {
    go({ name: 'usulan', focus: n.usulan_id });
  } else if (n.kind === 'service' && n.history_kind) {
    // A missing SKP opens its add form with the year filled in; other events open the category.
    const year = n.service === 'skp_missing' ? skpYear(n) : null;
    if (year) go({ name: 'category', kind: n.history_kind, add: true, prefill: { tahun: year } });
    else go({ name: 'category', kind: n.history_kind });
  } else if (n.kind === 'usulan_state') {
    go({ name: 'usulan' });
  } else {
    return false;
  }
  return true;
}

/** A tap on a system notification: open what it concerns, or the inbox when it has no screen of its own or is not
 * in the (refreshed) inbox any more. */
export async function openTapped(tap: NotificationTap): Promise<void> {
  await refresh();
  const n = app.inbox?.notifications.find((x) => x.id === tap.notification_id);
  if (!n || !(await openNotification(n))) go({ name: 'inbox' });
}

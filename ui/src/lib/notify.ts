// The system-notification permission, asked at the moment notifications are first needed, after an explanation
// (`NotificationPermission.svelte`), never at launch: the first time a notification arrives, the first sync of a
// phone (its service reminders are then scheduled), or the first visit to the inbox. The device remembers the
// answer to the explanation; the explanation is shown at most once per device (once per session without storage).
// A refusal changes nothing in the app: the inbox lists everything, and the settings (My devices) show a hint to
// turn notifications on.
import { isPermissionGranted, requestPermission } from '@tauri-apps/plugin-notification';

/** The device's answer to the explanation: `allowed` (the system was asked) or `later`. */
export const ANSWER_KEY = 'mysapk.notify_permission';

/** What the settings hint shows. `unavailable`: not in the app, or the platform has no such permission. */
export type NotifyState = 'granted' | 'off' | 'unavailable';

let shownThisSession = false;
const listeners = new Set<() => void>();

function answered(): boolean {
  try {
    return localStorage.getItem(ANSWER_KEY) !== null;
  } catch {
    return false;
  }
}

function remember(answer: 'allowed' | 'later'): void {
  try {
    localStorage.setItem(ANSWER_KEY, answer);
  } catch {
    // No storage: the session flag keeps it to once.
  }
}

/** Called when the explanation should be shown (the component listens). */
export function onExplain(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** Notifications are needed now: show the explanation if the permission is not granted and this device has not
 * answered it yet. Never waits on the user; never throws. */
export async function notificationsNeeded(): Promise<void> {
  if (shownThisSession || answered()) return;
  let granted: boolean;
  try {
    granted = await isPermissionGranted();
  } catch {
    return; // Not in the app, or no plugin: nothing to ask.
  }
  if (granted) {
    remember('allowed');
    return;
  }
  if (shownThisSession) return;
  shownThisSession = true;
  listeners.forEach((l) => l());
}

/** The first visit to the inbox is also a moment notifications are needed. */
export const askNotificationPermissionOnce = notificationsNeeded;

/** The user chose "allow" on the explanation (or the hint): the system asks now. */
export async function allowNotifications(): Promise<NotifyState> {
  remember('allowed');
  try {
    return (await requestPermission()) === 'granted' ? 'granted' : 'off';
  } catch {
    return 'unavailable';
  }
}

/** The user chose "not now": not asked again on this device (the settings hint stays). */
export function notNow(): void {
  remember('later');
}

/** For the settings hint. */
export async function notificationState(): Promise<NotifyState> {
  try {
    return (await isPermissionGranted()) ? 'granted' : 'off';
  } catch {
    return 'unavailable';
  }
}

/** A phone (Android, iPhone, iPad): its first sync schedules the service reminders. */
export function isPhone(userAgent: string = typeof navigator === 'undefined' ? '' : navigator.userAgent): boolean {
  return /Android|iPhone|iPad|iPod/i.test(userAgent);
}

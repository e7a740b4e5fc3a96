// Asking for the system-notification permission: once per device, at a moment the user understands (the first
// visit to the inbox), and never waited on. A refusal or a platform without the plugin changes nothing in the app.
import { isPermissionGranted, requestPermission } from '@tauri-apps/plugin-notification';

const ASKED_KEY = 'mysapk.notify_asked';
let asked = false;

export async function askNotificationPermissionOnce(): Promise<void> {
  try {
    if (localStorage.getItem(ASKED_KEY)) return;
    localStorage.setItem(ASKED_KEY, '1');
  } catch {
    // No storage: ask at most once per session below.
    if (asked) return;
  }
  asked = true;
  try {
    if (await isPermissionGranted()) return;
    await requestPermission();
  } catch {
    // Not in Tauri, or the plugin is unavailable: the inbox still lists everything.
  }
}

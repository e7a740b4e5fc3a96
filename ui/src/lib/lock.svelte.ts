// The app lock as the UI follows it: the core holds the lock and refuses personal data while it is on
// (`app.locked`); this only mirrors its status (nothing personal) to choose the lock screen or the PIN setup.
import { api } from './api';
import type { LockStatus } from '../gen/ipc';

export const lock = $state<{
  status: LockStatus | null;
  /** The session was ended by too many wrong PINs: the login screen says why. */
  endedByPin: boolean;
}>({ status: null, endedByPin: false });

export function isLocked(): boolean {
  return lock.status?.locked === true;
}

export function needsPinSetup(): boolean {
  return lock.status?.setup_required === true && !isLocked();
}

/** Read the status again from the core; on failure the UI keeps what it had. */
export async function loadLock(): Promise<LockStatus | null> {
  try {
    lock.status = await api.lockStatus();
  } catch {
    // The status stays as it was; a locked core still refuses every view.
  }
  return lock.status;
}

/** Only digits, at most six: what a PIN field keeps of what was typed or pasted. */
export function cleanPin(s: string): string {
  return s.replace(/\D/g, '').slice(0, 6);
}

/** A phone build (biometric unlock is offered there; desktops use the PIN). */
export function isPhone(userAgent: string = navigator.userAgent): boolean {
  return /Android|iPhone|iPad|iPod/i.test(userAgent);
}

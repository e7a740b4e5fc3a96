// Typed IPC calls into the Tauri shell. Types come only from the generated `gen/ipc.ts`.
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  AccountInfo,
  AnnouncementRequest,
  ApiError,
  AsnCard,
  AuditEntry,
  Beranda,
  BuktiPdm,
  CategorySpec,
  Decision,
  DocumentContent,
  DocumentRef,
  HistoryKind,
  Inbox,
  LocalReviewItem,
  LayananUpdate,
  LockStatus,
  LocalUsulan,
  MfaConfirmed,
  MfaEnrollment,
  MfaStatus,
  Notification,
  CardCheckAnswer,
  ResetCode,
  ReviewFilter,
  ReviewQueueView,
  RoleChange,
  SessionInfo,
  SiasnFailure,
  SiasnManual,
  SiasnStep,
  Standing,
  SyncStatus,
  UserInfo,
  UsulanAction,
} from '../gen/ipc';

/** Whatever a command rejects with, as an `ApiError`. */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === 'object' && 'code' in e && typeof (e as ApiError).code === 'string') {
    const err = e as ApiError;
    const out: ApiError = { code: err.code, message: String(err.message ?? ''), field: err.field };
    // `auth.throttled` says how long to wait.
    if (typeof err.retry_after_secs === 'number') out.retry_after_secs = err.retry_after_secs;
    // `auth.clock_skew` says how far the device clock is off the server's.
    if (typeof err.clock_skew_secs === 'number') out.clock_skew_secs = err.clock_skew_secs;
    return out;
  }
  return { code: 'app.unexpected', message: String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw asApiError(e);
  }
}

export const api = {
  /** `second`: the authenticator code or a recovery code, once the server answered `auth.mfa_required`. */
  login: (nip: string, password: string, second: { totp?: string; recoveryCode?: string } = {}) =>
    call<UserInfo>('login', { nip, password, totp: second.totp ?? null, recoveryCode: second.recoveryCode ?? null }),
  mfaStatus: () => call<MfaStatus>('mfa_status'),
  mfaEnroll: () => call<MfaEnrollment>('mfa_enroll'),
  mfaConfirm: (code: string) => call<MfaConfirmed>('mfa_confirm', { code }),
  resetPassword: (nip: string, code: string, newPassword: string) =>
    call<void>('reset_password', { nip, code, newPassword }),
  logout: () => call<void>('logout'),
  session: () => call<UserInfo | null>('session'),
  /** The agency's server in use; null until one is chosen (a build without a default). */
  serverUrl: () => call<string | null>('server_url'),
  /** Choose the agency's server (null: the app's own); the server now in use. */
  setServerUrl: (url: string | null) => call<string | null>('set_server_url', { url }),
  sessions: () => call<SessionInfo[]>('sessions'),
  endSession: (id: string) => call<void>('end_session', { id }),
  beranda: () => call<Beranda>('beranda'),
  categorySpecs: () => call<CategorySpec[]>('category_specs'),
  attachDocument: (fileName: string, dokumenId: string, contentBase64: string) =>
    call<DocumentRef>('attach_document', { fileName, dokumenId, contentBase64 }),
  propose: (action: UsulanAction, documents: DocumentRef[] = []) => call<LocalUsulan>('propose', { action, documents }),
  resubmit: (usulanId: string, action: UsulanAction, documents: DocumentRef[] = []) =>
    call<LocalUsulan>('resubmit', { usulanId, action, documents }),
  confirmCategory: (kind: HistoryKind) => call<void>('confirm_category', { kind }),
  openDocument: (sha256: string) => call<DocumentContent>('open_document', { sha256 }),
  buktiPdm: () => call<BuktiPdm>('bukti_pdm'),
  withdraw: (usulanId: string) => call<void>('withdraw', { usulanId }),
  inbox: () => call<Inbox>('inbox'),
  markRead: (notificationId: string) => call<void>('mark_read', { notificationId }),
  syncNow: () => call<SyncStatus>('sync_now'),
  syncStatus: () => call<SyncStatus>('sync_status'),
  setLocale: (lang: string) => call<void>('set_locale', { lang }),
  reviewQueue: (filter: ReviewFilter) => call<ReviewQueueView>('review_queue', { filter }),
  decide: (usulanId: string, decision: Decision, reason: string | null) =>
    call<LocalReviewItem>('decide', { usulanId, decision, reason }),
  adminAccounts: (q: string) => call<AccountInfo[]>('admin_accounts', { q }),
  adminSetRole: (nip: string, change: RoleChange) => call<AccountInfo>('admin_set_role', { nip, change }),
  adminLock: (nip: string, reason: string) => call<AccountInfo>('admin_lock', { nip, reason }),
  adminUnlock: (nip: string) => call<AccountInfo>('admin_unlock', { nip }),
  adminResetCode: (nip: string) => call<ResetCode>('admin_reset_code', { nip }),
  adminSetEmail: (nip: string, email: string) => call<AccountInfo>('admin_set_email', { nip, email }),
  adminAnnounce: (request: AnnouncementRequest) => call<void>('admin_announce', { request }),
  auditAgency: (limit: number | null, before: string | null) =>
    call<AuditEntry[]>('audit_agency', { limit, before }),
  auditMe: () => call<AuditEntry[]>('audit_me'),
  /** IP ASN, SKP history, talent position and the newest assessment, read from the local database. */
  standing: () => call<Standing>('standing'),
  /** The ASN card as held on the device (offline). */
  asnCard: () => call<AsnCard>('asn_card'),
  /** A fresh card token from the server (online only). */
  refreshAsnCard: () => call<AsnCard>('refresh_asn_card'),
  /** "Periksa Kartu ASN": a card token checked by the server, or on the device with the cached keys (offline). */
  checkCard: (token: string) => call<CardCheckAnswer>('check_card', { token }),
  /** The card token in the QR code of a picture (PNG or JPEG, base64), decoded on the device. */
  readCardPicture: (contentBase64: string) => call<string>('read_card_picture', { contentBase64 }),
  /** Whether this build scans QR codes with the camera (phones). */
  cameraScanner: () => call<boolean>('camera_scanner'),
  /** The token of a card link that opened the app (once), or null. */
  takeCardLink: () => call<string | null>('take_card_link'),
  /** Remove an account's second factor (admin, online); the reason is audited. */
  adminMfaReset: (nip: string, reason: string) => call<void>('admin_mfa_reset', { nip, reason }),
  adminLayanan: (update: LayananUpdate) => call<void>('admin_layanan', { update }),
  /** The proposals of the admin's agency whose forwarding to SIASN failed, newest first, at most 200 (online). */
  adminSiasnFailed: () => call<SiasnFailure[]>('admin_siasn_failed'),
  /** Send an approved proposal's change to SIASN again after its forwarding failed (admin, online); its new step. */
  adminSiasnRetry: (usulanId: string) => call<SiasnStep>('admin_siasn_retry', { usulanId }),
  /** The approved changes of the admin's agency waiting to be entered in SIASN by hand, newest first, at most 200
   * (online). */
  adminSiasnManual: () => call<SiasnManual[]>('admin_siasn_manual'),
  /** Mark an approved proposal's change as entered in SIASN by hand (admin, online); its new step (`recorded`). */
  adminSiasnManualEntered: (usulanId: string) => call<SiasnStep>('admin_siasn_manual_entered', { usulanId }),
  /** The app lock as the lock screen sees it (nothing personal). */
  lockStatus: () => call<LockStatus>('lock_status'),
  /** Set the 6-digit PIN after a login. */
  setPin: (pin: string) => call<LockStatus>('set_pin', { pin }),
  /** Unlock; a wrong PIN rejects with `app.pin_wrong`, the fifth in a row with `app.pin_locked_out`. */
  unlockPin: (pin: string) => call<LockStatus>('unlock_pin', { pin }),
  changePin: (currentPin: string, pin: string) => call<LockStatus>('change_pin', { currentPin, pin }),
  removePin: (currentPin: string) => call<LockStatus>('remove_pin', { currentPin }),
  lockNow: () => call<LockStatus>('lock_now'),
  /** Phones only: the shell asks the OS for a fingerprint or the face, then unlocks the core. */
  unlockBiometric: (reason: string) => call<LockStatus>('unlock_biometric', { reason }),
};

/** A card link opened the app while it runs: take it with `api.takeCardLink()` (src-tauri/src/card_scan.rs). */
export function onCardLink(f: () => void): Promise<UnlistenFn> {
  return listen<null>('card-link', () => f());
}

/** The app lock changed (locked again after a while away, unlocked, the session ended by wrong PINs). */
export function onLockStatus(f: (s: LockStatus) => void): Promise<UnlistenFn> {
  return listen<LockStatus>('lock-status', (e) => f(e.payload));
}

export function onSyncStatus(f: (s: SyncStatus) => void): Promise<UnlistenFn> {
  return listen<SyncStatus>('sync-status', (e) => f(e.payload));
}

export function onNotifications(f: (n: Notification[]) => void): Promise<UnlistenFn> {
  return listen<Notification[]>('notifications', (e) => f(e.payload));
}

/** What a tap on a system notification carries (src-tauri/src/notify.rs). */
export type NotificationTap = { notification_id: string };

export function onNotificationTap(f: (tap: NotificationTap) => void): Promise<UnlistenFn> {
  return listen<NotificationTap>('notification-tap', (e) => f(e.payload));
}

// The words of an approved proposal's SIASN step ("tercatat di SIASN", "gagal dikirim ke SIASN: …", "perlu dicatat
// manual di SIASN …"), an admin's retry of a failed one, the agency's list of failures, and its list of changes
// waiting to be entered in SIASN by hand with their mark.
import type { HistoryKind, NotForwardable, SiasnFailure, SiasnManual, SiasnStep, UserInfo } from '../gen/ipc';
import type { MessageKey } from '../i18n/id';
import { api } from './api';

type Translate = (key: MessageKey, vars?: Record<string, string>) => string;

export function siasnStepText(step: SiasnStep | null, t: Translate): string | null {
  if (!step) return null;
  switch (step.status) {
    case 'pending':
      return step.attempts > 0 ? t('siasn.pending_retry', { n: String(step.attempts + 1) }) : t('siasn.pending');
    case 'recorded':
      return step.siasn_id ? t('siasn.recorded_id', { id: step.siasn_id }) : t('siasn.recorded');
    case 'failed':
      return t('siasn.failed', { message: step.message });
    case 'not_forwardable':
      return t(`siasn.not_forwardable.${step.reason}` as MessageKey);
  }
}

/** Whether `user` may send the proposal to SIASN again: its forwarding failed and the user is an admin of the
 * proposal's agency (`instansiId`). The server checks both again. */
export function canRetrySiasn(step: SiasnStep | null | undefined, user: UserInfo | null, instansiId: string | null): boolean {
  return step?.status === 'failed' && !!user && user.roles.includes('admin') && user.instansi_id === instansiId;
}

/** The step the server answered to a retry, for the failure it replaced (`failedAt`, the failure's `at`). */
export type Retried = { failedAt: string; step: SiasnStep };

/** The step to show: the retry's answer while the device still holds the failure it replaced (the pulled proposal
 * carries the new step after the next sync), else the proposal's own step. */
export function shownStep(step: SiasnStep | null, retried: Retried | null): SiasnStep | null {
  return retried && step?.status === 'failed' && step.at === retried.failedAt ? retried.step : step;
}

/** Ask the server to send a failed proposal to SIASN again; rejects with the `ApiError` of the command. */
export async function retrySiasn(usulanId: string, failed: Extract<SiasnStep, { status: 'failed' }>): Promise<Retried> {
  const step = await api.adminSiasnRetry(usulanId);
  return { failedAt: failed.at, step };
}

/** Whether the admin must enter the change in SIASN by hand (the server's `NotForwardable::needs_manual_entry`):
 * every reason but an ASN SIASN does not know and a change with no field in SIASN. */
export function needsManualEntry(reason: NotForwardable): boolean {
  return reason !== 'person_not_in_siasn' && reason !== 'nothing_to_send';
}

/** The category a failure's (or a waiting change's) proposal concerns; `null` for the ASN's own fields (data
 * utama). */
export function failureKind(f: Pick<SiasnFailure, 'action'>): HistoryKind | null {
  switch (f.action.type) {
    case 'add_history':
    case 'change_history':
      return f.action.data.kind;
    case 'delete_history':
      return f.action.kind;
    default:
      return null;
  }
}

/** Who: the ASN's name when the server knows the profile, else the NIP. */
export function failureWho(f: Pick<SiasnFailure, 'nama' | 'nip'>): string {
  return f.nama && f.nama.trim() !== '' ? f.nama : f.nip;
}

/** Send a listed failure again through the same retry as the proposal card; rejects with the command's
 * `ApiError`. */
export function retryFailure(f: SiasnFailure): Promise<Retried> {
  return retrySiasn(f.usulan_id, { status: 'failed', message: f.message, at: f.failed_at });
}

/** The list without the proposal sent again (a new array; the others keep their order). */
export function withoutFailure(list: SiasnFailure[], usulanId: string): SiasnFailure[] {
  return list.filter((f) => f.usulan_id !== usulanId);
}

/** Mark a waiting change as entered in SIASN by hand; its new step (`recorded`). Rejects with the command's
 * `ApiError` (`usulan.siasn_not_manual` when it no longer waits). */
export function markEntered(m: SiasnManual): Promise<SiasnStep> {
  return api.adminSiasnManualEntered(m.usulan_id);
}

/** The list without the change marked entered (a new array; the others keep their order). */
export function withoutManual(list: SiasnManual[], usulanId: string): SiasnManual[] {
  return list.filter((m) => m.usulan_id !== usulanId);
}

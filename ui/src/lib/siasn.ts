// The words of an approved proposal's SIASN step ("tercatat di SIASN", "gagal dikirim ke SIASN: …") and an
// admin's retry of a failed one.
import type { SiasnStep, UserInfo } from '../gen/ipc';
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

// The words of an approved proposal's SIASN step ("tercatat di SIASN", "gagal dikirim ke SIASN: …").
import type { SiasnStep } from '../gen/ipc';
import type { MessageKey } from '../i18n/id';

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

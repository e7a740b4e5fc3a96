// Helpers of the reviewer screens: the workflow steps a role may take (the model's table, generated, for the
// buttons; the core checks again), a decision's status and field comparison.
import type { Catalog, CategorySpec, Decision, HistoryData, HistoryKind, LocalReviewItem, Role, UsulanAction, UsulanState } from '../gen/ipc';
import { TRANSITIONS } from '../gen/tables';
import { display, label } from './spec';

/** The decisions `roles` may take on a proposal in `state`. */
export function allowedDecisions(state: UsulanState, roles: Role[]): Decision[] {
  return TRANSITIONS.filter((s) => s.from === state && roles.includes(s.role)).map((s) => s.decision);
}

export type DecisionStatus = 'none' | 'queued' | 'sent' | 'refused';

export function decisionStatus(i: LocalReviewItem): DecisionStatus {
  const d = i.decision;
  if (!d) return 'none';
  if (d.queued) return 'queued';
  return d.refusal ? 'refused' : 'sent';
}

export function actionKind(a: UsulanAction): HistoryKind | null {
  switch (a.type) {
    case 'add_history':
    case 'change_history':
      return a.data.kind;
    case 'delete_history':
      return a.kind;
    default:
      return null;
  }
}

export function proposedData(a: UsulanAction): HistoryData | null {
  return a.type === 'add_history' || a.type === 'change_history' ? a.data : null;
}

export interface Row {
  field: string;
  label: string;
  base: string;
  official: string;
  proposed: string;
  /** The proposal changes this field against the official record now. */
  changed: boolean;
  /** The official value moved since the proposal was made. */
  moved: boolean;
}

/** One row per field of the category: the version at proposal, the official one now, and the proposed one. */
export function compareRows(
  spec: CategorySpec,
  base: HistoryData | null,
  official: HistoryData | null,
  proposed: HistoryData | null,
  catalogs: Catalog[],
): Row[] {
  return spec.fields.map((f) => {
    const b = display(base, f, catalogs);
    const o = display(official, f, catalogs);
    const p = proposed ? display(proposed, f, catalogs) : '—';
    return { field: f.name, label: label(f), base: b, official: o, proposed: p, changed: o !== p, moved: base !== null && b !== o };
  });
}

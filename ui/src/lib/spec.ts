// Everything about a category comes from its `CategorySpec` (generated from the model's table): labels, fields,
// inputs, documents. These helpers turn records into form values and back, and values into display text.
import type { ApiError, Catalog, CategorySpec, FieldSpec, HistoryData, HistoryKind, LocalUsulan } from '../gen/ipc';
import { isKey, locale, t } from '../i18n/index.svelte';
import { VERIFIED_CODE_FIELDS } from '../gen/tables';
import { codeLabel, fmtDate } from './format';
import { app } from './store.svelte';

/** A form value: text for every input but `bool`. */
export type Value = string | boolean;
export type Values = Record<string, Value>;

export function specOf(kind: HistoryKind | null): CategorySpec | undefined {
  return kind ? app.specs.find((s) => s.kind === kind) : undefined;
}

/** A spec's or field's label in the current language. */
export function label(x: { label_id: string; label_en: string }): string {
  return locale.lang === 'en' ? x.label_en : x.label_id;
}

/** The category's name, or the raw kind before the specs are loaded. */
export function kindLabel(kind: HistoryKind | null): string {
  if (!kind) return t('kind.owner');
  const s = specOf(kind);
  return s ? label(s) : kind;
}

/** The text of a fixed choice (`above`, `M`, `kandung`, …); an unknown option shows as-is. */
export function optionLabel(option: string): string {
  const key = `choice.${option}`;
  return isKey(key) ? t(key) : option;
}

/** A record's value of `field` as display text. */
export function display(data: HistoryData | null, field: FieldSpec, catalogs: Catalog[]): string {
  if (!data) return '—';
  const v = (data as Record<string, unknown>)[field.name];
  if (v === null || v === undefined || v === '') return '—';
  switch (field.input.type) {
    case 'bool':
      return v ? t('form.yes') : t('form.no');
    case 'code':
      return codeLabel(catalogs, field.input.catalog, String(v));
    case 'choice':
      return optionLabel(String(v));
    case 'date':
      return fmtDate(String(v));
    default:
      return String(v);
  }
}

/** One line naming a record: its first two fields. */
export function recordTitle(data: HistoryData, spec: CategorySpec | undefined, catalogs: Catalog[]): string {
  if (!spec) return data.kind;
  return spec.fields
    .slice(0, 2)
    .map((f) => display(data, f, catalogs))
    .join(' · ');
}

/** The record's other filled fields as `label: value` pairs. */
export function recordDetails(data: HistoryData, spec: CategorySpec | undefined, catalogs: Catalog[]): Array<[string, string]> {
  if (!spec) return [];
  return spec.fields
    .slice(2)
    .map((f): [string, string] => [label(f), display(data, f, catalogs)])
    .filter(([, v]) => v !== '—');
}

/** The fields a proposed record changes against the official one. */
export function changedFields(
  official: HistoryData | null,
  proposed: HistoryData,
  spec: CategorySpec | undefined,
  catalogs: Catalog[],
): Array<{ name: string; label: string; from: string; to: string }> {
  if (!spec) return [];
  return spec.fields
    .map((f) => ({ name: f.name, label: label(f), from: display(official, f, catalogs), to: display(proposed, f, catalogs) }))
    .filter((r) => r.from !== r.to);
}

/** The form values of a record (or empty values for a new one: checkboxes start ticked for `hidup`). */
export function toValues(spec: CategorySpec, data: HistoryData | null): Values {
  const out: Values = {};
  for (const f of spec.fields) {
    const v = data ? (data as Record<string, unknown>)[f.name] : undefined;
    if (f.input.type === 'bool') out[f.name] = data ? Boolean(v) : true;
    else out[f.name] = v === null || v === undefined ? '' : String(v);
  }
  return out;
}

function parseNumber(s: string, integer: boolean): number | null {
  const n = integer ? Number(s) : Number(s.replace(',', '.'));
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return null;
  return n;
}

/** The record the values describe, or the first field that is missing or not a number. */
export function fromValues(spec: CategorySpec, values: Values): { data: HistoryData } | { error: ApiError } {
  const out: Record<string, unknown> = { kind: spec.kind };
  for (const f of spec.fields) {
    const raw = values[f.name];
    if (f.input.type === 'bool') {
      out[f.name] = Boolean(raw);
      continue;
    }
    const s = String(raw ?? '').trim();
    if (s === '') {
      if (f.required) return { error: { code: 'field.required', message: '', field: `record.${f.name}` } };
      out[f.name] = null;
      continue;
    }
    const type = f.input.type;
    if (type === 'year' || type === 'integer' || type === 'decimal') {
      const n = parseNumber(s, type !== 'decimal');
      if (n === null) return { error: { code: 'number.invalid', message: '', field: `record.${f.name}` } };
      out[f.name] = n;
    } else {
      out[f.name] = s;
    }
  }
  return { data: out as HistoryData };
}

/** The history kind a proposal concerns, or `null` for data utama. */
export function usulanKind(u: LocalUsulan): HistoryKind | null {
  switch (u.action.type) {
    case 'add_history':
    case 'change_history':
      return u.action.data.kind;
    case 'delete_history':
      return u.action.kind;
    default:
      return null;
  }
}

/** A short description of what a proposal asks. */
export function usulanSummary(u: LocalUsulan, catalogs: Catalog[]): string {
  const a = u.action;
  switch (a.type) {
    case 'add_history':
    case 'change_history':
      return recordTitle(a.data, specOf(a.data.kind), catalogs);
    case 'delete_history': {
      const list = app.beranda?.histories.find((h) => h.kind === a.kind);
      const rec = list?.items.find((i) => i.record.id === a.record_id)?.record;
      return rec ? recordTitle(rec.data, specOf(a.kind), catalogs) : a.record_id;
    }
    case 'change_owner_fields':
    case 'change_verified_fields':
      return Object.entries(a.fields)
        .filter(([, v]) => v !== null && v !== '')
        .map(([k, v]) => `${profileLabel(k)}: ${profileValue(k, v, catalogs)}`)
        .join(' · ');
  }
}

/** The name of a document type (`872` → "SK Jabatan"), or its id when no category lists it. */
export function docName(dokumenId: string): string {
  for (const s of app.specs) {
    const d = s.documents.find((x) => x.dokumen_id === dokumenId);
    if (d) return d.nama;
  }
  return dokumenId;
}

/** The label of a data-utama field (owner or verified). */
export function profileLabel(name: string): string {
  const key = `asn.${name}`;
  return isKey(key) ? t(key) : name;
}

/** A data-utama value as display text (codes by their catalog name). */
export function profileValue(name: string, v: string | null, catalogs: Catalog[]): string {
  if (v === null || v === '') return '—';
  const catalog = VERIFIED_CODE_FIELDS[name];
  return catalog ? codeLabel(catalogs, catalog, v) : v;
}

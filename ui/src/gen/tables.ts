// Generated from the tables of mysapk-model by model/tests/ts_types.rs. Do not edit.
// Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types

import type { Aspect, Decision, Predikat, Role, UsulanState } from './ipc';

/** The reviewer workflow (`model/src/usulan.rs`): in `from`, a holder of `role` may decide `decision`, giving `to`. */
export const TRANSITIONS: ReadonlyArray<{ from: UsulanState; decision: Decision; role: Role; to: UsulanState }> = [
  { from: "submitted", decision: "verify", role: "verifikator", to: "verified" },
  { from: "submitted", decision: "return", role: "verifikator", to: "returned" },
  { from: "submitted", decision: "reject", role: "verifikator", to: "rejected" },
  { from: "verified", decision: "approve", role: "approver", to: "approved" },
  { from: "verified", decision: "return", role: "approver", to: "returned" },
  { from: "verified", decision: "reject", role: "approver", to: "rejected" },
];

/** The nine managerial and socio-cultural competency aspects (`model/src/assessment.rs`). */
export const KOMPETENSI: readonly Aspect[] = ["integritas", "kerjasama", "komunikasi", "orientasi_pada_hasil", "pelayanan_publik", "pengembangan_diri", "mengelola_perubahan", "pengambilan_keputusan", "perekat_bangsa"];

/** The five potential aspects (`model/src/assessment.rs`). */
export const POTENSI: readonly Aspect[] = ["berpikir_kritis", "intelektual", "interpersonal", "kesadaran_diri", "motivasi_komitmen"];

/** The first year of the 2022+ SKP form (`model/src/rules/skp.rs`); earlier years use the old numeric form. */
export const FIRST_YEAR_2022_FORM = 2022;

/** The coded data-utama fields and the catalog of each (`model/src/record.rs`). */
export const VERIFIED_CODE_FIELDS: Readonly<Record<string, string>> = { agama_id: "agama", status_kawin_id: "kawin" };

/** The 2022+ SKP predikat, best first, as the IP ASN ranks them (`model/src/standing/ip_asn.rs`). */
export const SKP_PREDIKAT_RANKED: readonly Predikat[] = ["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"];

/** The lowest old-form SKP score of each IP ASN kinerja step, best first (`model/src/standing/ip_asn.rs`). */
export const SKP_OLD_SCORE_MINIMA: readonly number[] = [91, 76, 61, 51, 0];

/** The box numbers of each 9-box layout by its version, `[potential][performance]` from low to high (`model/src/standing/talent.rs`). */
export const NINE_BOX_LAYOUTS: Readonly<Record<string, ReadonlyArray<readonly number[]>>> = {
  "permenpanrb-3-2020/1": [[1, 3, 4], [2, 6, 7], [5, 8, 9]],
};

// Generated from the Rust types of mysapk-model by model/tests/ts_types.rs. Do not edit.
// Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --features ts --test ts_types

export type ApiError = { 
/**
 * Stable machine-readable code, e.g. `auth.locked`.
 */
code: string, 
/**
 * Human-readable message (English on the wire; the UI shows its own catalog text for the code).
 */
message: string, 
/**
 * The field concerned, when the error is about one field.
 */
field?: string, 
/**
 * How many seconds to wait before trying again (`auth.throttled`; the same as the `Retry-After` header).
 */
retry_after_secs?: number, 
/**
 * How far the device's clock is off the server's, in seconds (device clock minus server clock), set by the
 * device on `auth.clock_skew` (a `number` in TypeScript, as JSON carries it).
 */
clock_skew_secs?: number, };

export type Violation = { 
/**
 * Stable machine-readable code, e.g. `nip.length`.
 */
code: string, 
/**
 * The field the rule concerns, e.g. `record.tmt_jabatan`.
 */
field: string, 
/**
 * Message in Bahasa Indonesia.
 */
message_id: string, 
/**
 * Message in English.
 */
message_en: string, };

export type Nip = string;

export type Role = "asn" | "verifikator" | "approver" | "admin";

export type UserInfo = { nip: string, nama: string, instansi_id: string, roles: Array<Role>, };

export type SessionInfo = { id: string, 
/**
 * As the device named itself at login; `None` when it did not.
 */
device_name: string | null, 
/**
 * RFC 3339.
 */
created_at: string, 
/**
 * RFC 3339: the login or the latest token refresh (an access token lives 15 minutes, so this is within
 * that of the last request).
 */
last_used_at: string, 
/**
 * Whether this is the session of the request's own access token.
 */
current: boolean, };

export type MfaEnrollment = { 
/**
 * The shared secret in base32 (RFC 4648, no padding), for typing into the app by hand.
 */
secret: string, 
/**
 * `otpauth://totp/…` (the QR code's content): SHA-1, 6 digits, 30 s steps.
 */
otpauth_uri: string, };

export type MfaConfirmed = { recovery_codes: Array<string>, };

export type MfaStatus = { 
/**
 * A confirmed authenticator app is required at every login.
 */
enabled: boolean, 
/**
 * The server's policy requires this account to have one (`MYSAPK_MFA_REQUIRED`).
 */
required: boolean, 
/**
 * Recovery codes not used yet.
 */
recovery_codes_left: number, };

export type CatalogEntry = { id: string, nama: string, };

export type Catalog = { name: string, entries: Array<CatalogEntry>, };

export type OwnerFields = { alamat: string | null, no_hp: string | null, email: string | null, 
/**
 * Tax number (NPWP): 15 digits, or the 16-digit NIK form used since 2024.
 */
npwp: string | null, 
/**
 * BPJS Kesehatan card number: 13 digits.
 */
bpjs: string | null, };

export type VerifiedFields = { nik: string | null, 
/**
 * From `agama.json`.
 */
agama_id: string | null, 
/**
 * From `kawin.json`.
 */
status_kawin_id: string | null, tempat_lahir: string | null, gelar_depan: string | null, gelar_belakang: string | null, };

export type Profile = { nip: Nip, nama: string, gelar_depan: string | null, gelar_belakang: string | null, tempat_lahir: string, tanggal_lahir: string, 
/**
 * `M` or `F`.
 */
jenis_kelamin: string, instansi_id: string, instansi_nama: string, unor_nama: string, 
/**
 * Current golongan id (11 = I/a .. 45 = IV/e), derived from the newest golongan record.
 */
golongan_id: string | null, 
/**
 * Current position name, derived from the newest jabatan record.
 */
jabatan_nama: string | null, 
/**
 * Owner fields: changed by the ASN without verification.
 */
owner: OwnerFields, 
/**
 * Verified fields of data utama: changed through a reviewed proposal. Boxed to keep sync changes small.
 */
verified: VerifiedFields, 
/**
 * Categories the ASN confirmed as correct ("data sudah sesuai"); family categories need it.
 */
confirmed_kinds: Array<HistoryKind>, 
/**
 * The proposal that last changed this profile, so a device knows when its overlay is applied.
 */
last_usulan_id: string | null, 
/**
 * SIASN's PNS id (32 uppercase hex, `data-utama.id`); `None` for a person not (yet) known to SIASN.
 * See [`crate::siasn`] for every SIASN id the model carries.
 */
siasn_pns_id: string | null, 
/**
 * SIASN's id of the unit (`data-utama.unorId`) named by `unor_nama`.
 */
unor_id: string | null, };

export type HistoryKind = "cpns_pns" | "golongan" | "pmk" | "pendidikan" | "jabatan" | "diklat" | "kursus" | "orang_tua" | "pasangan" | "anak" | "penghargaan" | "hukuman_disiplin" | "pindah_instansi" | "cltn" | "angka_kredit" | "skp" | "skp_lama" | "organisasi";

export type CpnsPns = { nomor_sk_cpns: string, tgl_sk_cpns: string, tmt_cpns: string, nomor_sk_pns: string | null, tgl_sk_pns: string | null, tmt_pns: string | null, no_spmt: string | null, };

export type Golongan = { 
/**
 * 11 (I/a) .. 45 (IV/e), from `golonganPns.json`.
 */
golongan_id: string, tmt_golongan: string, sk_nomor: string, sk_tanggal: string, 
/**
 * Type of promotion, from `kenaikanPangkat.json` (101 Reguler, ...).
 */
jenis_kp_id: string | null, mk_tahun: number | null, mk_bulan: number | null, };

export type Pmk = { tanggal_awal: string, tanggal_selesai: string, nomor_sk: string, tanggal_sk: string, mk_tahun: number, mk_bulan: number, };

export type Pendidikan = { 
/**
 * From `pendidikan.json.gz` levels (tkPendidikanId).
 */
tingkat_pendidikan_id: string, pendidikan_nama: string, nama_sekolah: string, tahun_lulus: number, nomor_ijazah: string, gelar_depan: string | null, gelar_belakang: string | null, 
/**
 * SIASN's id of the education (`rw-pendidikan.pendidikanId`, from `pendidikan.json`), when known.
 */
pendidikan_id?: string | null, };

export type Jabatan = { 
/**
 * From `jenisJabatan.json` (1 struktural, 2 fungsional tertentu, 4 pelaksana).
 */
jenis_jabatan_id: string, jabatan_nama: string, unor_nama: string, eselon_id: string | null, tmt_jabatan: string, 
/**
 * End of the assignment, if it has ended.
 */
tmt_selesai: string | null, sk_nomor: string, sk_tanggal: string, 
/**
 * SIASN's id of the unit (`rw-jabatan.unorId`), when known.
 */
unor_id?: string | null, 
/**
 * SIASN's id of the position: `jabatanFungsionalId` (jenis 2) or `jabatanFungsionalUmumId` (jenis 4).
 */
jabatan_id?: string | null, };

export type Diklat = { 
/**
 * From `latihanStruktural.json`.
 */
latihan_struktural_id: string, nama_diklat: string, institusi_penyelenggara: string, tanggal_mulai: string, tanggal_selesai: string, jumlah_jam: number, nomor_sertifikat: string, };

export type Kursus = { 
/**
 * From `jenisDiklat.json` (2 fungsional, 3 teknis, 4 workshop, ...).
 */
jenis_diklat_id: string, nama_kursus: string, institusi_penyelenggara: string, tanggal_mulai: string, tanggal_selesai: string, jumlah_jam: number, nomor_sertifikat: string, };

export type ParentRole = "ayah" | "ibu";

export type OrangTua = { hubungan: ParentRole, nama: string, tempat_lahir: string, tanggal_lahir: string, hidup: boolean, };

export type Pasangan = { nama: string, tempat_lahir: string, tanggal_lahir: string, 
/**
 * `M` or `F`.
 */
jenis_kelamin: string, 
/**
 * From `kawin.json` (1 Menikah, 2 Cerai, 3 Janda/Duda).
 */
status_kawin_id: string, tanggal_menikah: string, akta_menikah: string, tanggal_cerai: string | null, akta_cerai: string | null, hidup: boolean, };

export type Anak = { nama: string, tempat_lahir: string, tanggal_lahir: string, 
/**
 * `M` or `F`.
 */
jenis_kelamin: string, nomor_akta_kelahiran: string, 
/**
 * `kandung` (biological), `tiri` (step) or `angkat` (adopted).
 */
status_anak: string, hidup: boolean, };

export type Penghargaan = { 
/**
 * From `penghargaan.json`.
 */
penghargaan_id: string, tahun: number, sk_nomor: string, sk_tanggal: string, };

export type HukumanDisiplin = { 
/**
 * From `jenisHukuman.json`.
 */
jenis_hukuman_id: string, sk_nomor: string, sk_tanggal: string, tanggal_mulai: string, tanggal_akhir: string | null, 
/**
 * From `alasanHukumanDisiplin.json`.
 */
alasan_id: string | null, };

export type PindahInstansi = { instansi_lama_id: string, instansi_baru_id: string, unor_baru_nama: string, tmt_pindah: string, sk_nomor: string, sk_tanggal: string, };

export type Cltn = { 
/**
 * From `cltn.json`.
 */
jenis_cltn_id: string, sk_nomor: string, sk_tanggal: string, tanggal_awal: string, tanggal_akhir: string, 
/**
 * Return to active duty, when it has happened.
 */
tanggal_aktif: string | null, };

export type AngkaKredit = { nomor_sk: string, tanggal_sk: string, periode_mulai: string, periode_selesai: string, kredit_utama: number, kredit_penunjang: number, kredit_total: number, };

export type Rating = "above" | "meets" | "below";

export type Predikat = "sangat_baik" | "baik" | "butuh_perbaikan" | "kurang" | "sangat_kurang";

export type Skp = { tahun: number, hasil_kerja: Rating, perilaku_kerja: Rating, 
/**
 * Must equal the matrix's predikat for the two ratings ([`skp::predikat`]).
 */
predikat: Predikat, penilai_nip: string, penilai_nama: string, penilai_jabatan: string, penilai_unor: string, };

export type SkpLama = { tahun: number, nilai_skp: number, nilai_perilaku: number, nilai_prestasi: number, penilai_nama: string, };

export type Organisasi = { nama_organisasi: string, jabatan_organisasi: string, tanggal_mulai: string, tanggal_selesai: string | null, };

export type HistoryData = { "kind": "cpns_pns" } & CpnsPns | { "kind": "golongan" } & Golongan | { "kind": "pmk" } & Pmk | { "kind": "pendidikan" } & Pendidikan | { "kind": "jabatan" } & Jabatan | { "kind": "diklat" } & Diklat | { "kind": "kursus" } & Kursus | { "kind": "orang_tua" } & OrangTua | { "kind": "pasangan" } & Pasangan | { "kind": "anak" } & Anak | { "kind": "penghargaan" } & Penghargaan | { "kind": "hukuman_disiplin" } & HukumanDisiplin | { "kind": "pindah_instansi" } & PindahInstansi | { "kind": "cltn" } & Cltn | { "kind": "angka_kredit" } & AngkaKredit | { "kind": "skp" } & Skp | { "kind": "skp_lama" } & SkpLama | { "kind": "organisasi" } & Organisasi;

export type DocumentMime = "application/pdf" | "image/jpeg";

export type DocumentRef = { 
/**
 * Lower-case hex SHA-256 of the content.
 */
sha256: string, 
/**
 * The document type (`dokumen.json` id or a project `x-` id), see [`crate::rules::kinds`].
 */
dokumen_id: string, mime: DocumentMime, size: bigint, 
/**
 * The name the user picked, for display only.
 */
file_name: string, };

export type UploadStatus = { sha256: string, 
/**
 * Bytes received so far; the next chunk starts here.
 */
received: bigint, 
/**
 * Whether the document is complete, verified and stored.
 */
complete: boolean, };

export type DocumentContent = { mime: DocumentMime, content_base64: string, };

export type BuktiPdm = { 
/**
 * Where the PDF was saved on the device.
 */
path: string, pdf_base64: string, };

export type FieldInput = { "type": "text" } | { "type": "date" } | { "type": "year" } | { "type": "integer" } | { "type": "decimal" } | { "type": "bool" } | { "type": "nip" } | { "type": "code", catalog: string, } | { "type": "choice", options: Array<string>, };

export type FieldSpec = { 
/**
 * The JSON key in the record.
 */
name: string, input: FieldInput, required: boolean, label_id: string, label_en: string, };

export type DocumentSpec = { dokumen_id: string, nama: string, mandatory: boolean, allow_jpeg: boolean, };

export type CategorySpec = { kind: HistoryKind, jenis_riwayat_id: string, label_id: string, label_en: string, asn_may_propose: boolean, needs_confirmation: boolean, 
/**
 * How many change proposals one record may receive, if limited.
 */
max_changes_per_record: number | null, documents: Array<DocumentSpec>, fields: Array<FieldSpec>, };

export type CategoryStatus = "complete" | "needs_attention" | "waiting";

export type CategoryProgress = { kind: HistoryKind, status: CategoryStatus, official_count: number, 
/**
 * Proposals queued, submitted or verified.
 */
pending_count: number, reasons: Array<Violation>, };

export type HistoryRecord = { id: string, data: HistoryData, 
/**
 * The proposal that last changed this record, so a device knows when its overlay is applied.
 */
last_usulan_id: string | null, 
/**
 * SIASN's id of this riwayat (its `id`; `orang.id` for a family member); `None` for a record not (yet)
 * in SIASN.
 */
siasn_id: string | null, };

export type UsulanState = "queued" | "submitted" | "verified" | "approved" | "returned" | "rejected" | "withdrawn";

export type NotForwardable = "no_endpoint" | "deletion" | "no_edit_endpoint" | "record_not_in_siasn" | "person_not_in_siasn" | "nothing_to_send" | "unknown_unit" | "unknown_position";

export type SiasnStep = { "status": "pending", attempts: number, } | { "status": "recorded", siasn_id: string | null, at: string, } | { "status": "failed", message: string, at: string, } | { "status": "not_forwardable", reason: NotForwardable, };

export type UsulanAction = { "type": "add_history", data: HistoryData, } | { "type": "change_history", record_id: string, data: HistoryData, } | { "type": "delete_history", record_id: string, kind: HistoryKind, } | { "type": "change_owner_fields", fields: OwnerFields, } | { "type": "change_verified_fields", fields: VerifiedFields, };

export type UsulanEvent = { at: string, actor_nip: string, state: UsulanState, reason: string | null, };

export type LocalUsulan = { id: string, action: UsulanAction, 
/**
 * `queued` while it waits in the outbox; afterwards the server's state.
 */
state: UsulanState, 
/**
 * The reviewer's reason of a return or rejection.
 */
reason: string | null, 
/**
 * Why the server refused the mutation outright (bad input), if it did.
 */
refusal: Violation | null, created_at: string, events: Array<UsulanEvent>, 
/**
 * Supporting documents attached to it.
 */
documents: Array<DocumentRef>, 
/**
 * How many of those documents still wait to be uploaded (the proposal is sent after them).
 */
documents_waiting: number, 
/**
 * After approval: what SIASN made of the change, when the agency's server forwards to SIASN.
 */
siasn?: SiasnStep | null, };

export type HistoryItem = { record: HistoryRecord, pending: Array<LocalUsulan>, };

export type HistoryList = { kind: HistoryKind, 
/**
 * Official records, newest first, each with its pending proposals.
 */
items: Array<HistoryItem>, 
/**
 * Open proposals that add a record of this kind.
 */
pending_additions: Array<LocalUsulan>, 
/**
 * Complete / needs attention / waiting, with the reasons.
 */
progress: CategoryProgress, };

export type Beranda = { user: UserInfo, 
/**
 * `None` before the first sync.
 */
profile: Profile | null, 
/**
 * Open proposals of owner fields.
 */
pending_owner: Array<LocalUsulan>, 
/**
 * Open proposals of verified data-utama fields.
 */
pending_verified: Array<LocalUsulan>, 
/**
 * Categories complete out of all categories (the beranda's progress bar).
 */
complete_categories: number, total_categories: number, histories: Array<HistoryList>, 
/**
 * Every proposal, newest first (open and decided), for the proposals screen.
 */
usulan: Array<LocalUsulan>, unread_notifications: number, catalogs: Array<Catalog>, 
/**
 * Proposals waiting for this user's review step (0 for a user who is not a reviewer).
 */
review_waiting: number, };

export type SyncPhase = "idle" | "syncing" | "offline" | "needs_login" | "needs_mfa_enrollment";

export type SyncStatus = { phase: SyncPhase, 
/**
 * Mutations waiting in the outbox.
 */
pending: number, last_synced_at: string | null, 
/**
 * Code of the last failure, if the last attempt failed.
 */
last_error: string | null, };

export type LockStatus = { 
/**
 * The core refuses personal data (`app.locked`) until the PIN (or, on a phone, biometrics) unlocks it.
 */
locked: boolean, 
/**
 * A PIN is set for the logged-in account on this device.
 */
pin_set: boolean, 
/**
 * Logged in and no PIN chosen yet in this session: the PIN setup screen comes first.
 */
setup_required: boolean, 
/**
 * Wrong PINs left before the session ends.
 */
attempts_left: number, };

export type ServiceKind = "kenaikan_pangkat" | "kgb" | "pensiun" | "skp_missing" | "documents_missing";

export type LayananKind = "kenaikan_pangkat" | "kgb" | "pensiun" | "mutasi" | "cuti" | "perbaikan_data";

export type LayananStage = "diterima" | "diusulkan" | "disetujui" | "sk_terbit" | "dikembalikan" | "ditolak";

export type LayananUpdate = { nip: string, layanan: LayananKind, stage: LayananStage, 
/**
 * What the ASN should know or do (at most 2,000 characters).
 */
note: string | null, };

export type NotificationKind = "usulan_state" | "announcement" | "service" | "layanan" | "account";

export type AccountEvent = "mfa_enabled" | "mfa_reset" | "reset_code_issued" | "password_reset" | "roles_changed";

export type Notification = { id: string, kind: NotificationKind, usulan_id: string | null, 
/**
 * The new state, for `usulan_state` notifications.
 */
state: UsulanState | null, 
/**
 * The history kind concerned, if any (`None` for owner fields).
 */
history_kind: HistoryKind | null, reason: string | null, 
/**
 * Title of an announcement (written by a person, so not from the message catalog).
 */
title: string | null, 
/**
 * Body of an announcement.
 */
body: string | null, 
/**
 * For `service`: what falls due, and when.
 */
service: ServiceKind | null, due_date: string | null, 
/**
 * For a retirement notice: how many months before the date it was given (12 or 3).
 */
lead_months: number | null, 
/**
 * For `layanan`: which service file, and the stage it reached.
 */
layanan: LayananKind | null, stage: LayananStage | null, 
/**
 * For `account`: what changed.
 */
account_event: AccountEvent | null, created_at: string, read: boolean, };

export type Lang = "id" | "en";

export type Words = { title: string, body: string, };

export type NotificationText = { id: Words, en: Words, };

export type InboxItem = { text: NotificationText, id: string, kind: NotificationKind, usulan_id: string | null, 
/**
 * The new state, for `usulan_state` notifications.
 */
state: UsulanState | null, 
/**
 * The history kind concerned, if any (`None` for owner fields).
 */
history_kind: HistoryKind | null, reason: string | null, 
/**
 * Title of an announcement (written by a person, so not from the message catalog).
 */
title: string | null, 
/**
 * Body of an announcement.
 */
body: string | null, 
/**
 * For `service`: what falls due, and when.
 */
service: ServiceKind | null, due_date: string | null, 
/**
 * For a retirement notice: how many months before the date it was given (12 or 3).
 */
lead_months: number | null, 
/**
 * For `layanan`: which service file, and the stage it reached.
 */
layanan: LayananKind | null, stage: LayananStage | null, 
/**
 * For `account`: what changed.
 */
account_event: AccountEvent | null, created_at: string, read: boolean, };

export type Inbox = { notifications: Array<InboxItem>, };

export type Decision = "verify" | "approve" | "return" | "reject";

export type Usulan = { 
/**
 * Generated by the device; stable across retries.
 */
id: string, nip: Nip, action: UsulanAction, state: UsulanState, 
/**
 * The reason of the last return or rejection.
 */
reason: string | null, created_at: string, updated_at: string, events: Array<UsulanEvent>, 
/**
 * Supporting documents (stored once by SHA-256 on the server).
 */
documents: Array<DocumentRef>, 
/**
 * After approval: what SIASN made of the change (`None` when the server does not forward to SIASN).
 */
siasn?: SiasnStep | null, };

export type ReviewItem = { usulan: Usulan, asn_nama: string, 
/**
 * The ASN's work unit, for filtering the queue.
 */
unor_nama: string, 
/**
 * When the current step is due: the last state change plus [`REVIEW_DEADLINE_DAYS`].
 */
deadline: string | null, 
/**
 * The official record a change or deletion concerns, as it is now.
 */
official: HistoryRecord | null, 
/**
 * The official record as it was when the ASN proposed the change; differs from `official` when the
 * record changed meanwhile (the reviewer then sees three versions: base, official, proposed).
 */
base: HistoryRecord | null, };

export type PendingDecision = { decision: Decision, reason: string | null, 
/**
 * Still waiting in the outbox.
 */
queued: boolean, 
/**
 * Why the server refused it (another reviewer decided first, the ASN withdrew, the record changed, …).
 */
refusal: Violation | null, decided_at: string, };

export type LocalReviewItem = { item: ReviewItem, decision: PendingDecision | null, 
/**
 * What the model's rules say of the proposed content (empty when it passes).
 */
checks: Array<Violation>, 
/**
 * The proposal no longer waits for this reviewer (decided by someone else, withdrawn); kept only to show
 * why this reviewer's own decision was refused.
 */
gone: boolean, };

export type ReviewFilter = { kind: HistoryKind | null, unor_nama: string | null, };

export type ReviewQueueView = { items: Array<LocalReviewItem>, 
/**
 * The work units present in the queue, for the filter.
 */
units: Array<string>, };

export type NewAccount = { nip: string, nama: string, tanggal_lahir: string, tempat_lahir: string, email: string | null, unor_nama: string, 
/**
 * `asn` is implied.
 */
roles: Array<Role>, };

export type ImportRowError = { 
/**
 * 1-based line of the file (CSV: the header is line 1) or 1-based index of the JSON array.
 */
line: number, nip: string | null, code: string, field: string | null, message: string, };

export type ImportReport = { imported: number, errors: Array<ImportRowError>, };

export type AccountInfo = { nip: string, nama: string, email: string | null, unor_nama: string, roles: Array<Role>, 
/**
 * Set while the account is locked: the reason the ASN sees at login.
 */
locked_reason: string | null, };

export type RoleChange = { role: Role, 
/**
 * `true` assigns, `false` revokes.
 */
grant: boolean, };

export type LockRequest = { 
/**
 * Shown to the ASN at login; required.
 */
reason: string, };

export type EmailChange = { email: string, };

export type ResetCode = { code: string, expires_at: string, };

export type AnnouncementRequest = { title: string, body: string, 
/**
 * Only ASN of this work unit; `None` for the whole agency.
 */
unor_nama: string | null, 
/**
 * Only ASN whose current golongan id starts with this (`"3"`: golongan III, `"34"`: III/d).
 */
golongan_prefix: string | null, 
/**
 * Only ASN whose current position is of this `jenis_jabatan_id` (1 struktural, 2 fungsional, 4 pelaksana).
 */
jenis_jabatan_id: string | null, };

export type AuditEntry = { id: string, at: string, actor_nip: string, device_id: string | null, 
/**
 * e.g. `usulan.verify`, `usulan.decision_refused`, `record.change`, `account.lock`, `role.grant`.
 */
action: string, entity: string, entity_id: string, 
/**
 * The NIP whose record or account the entry concerns.
 */
subject_nip: string | null, 
/**
 * What changed, as JSON.
 */
details: unknown, reason: string | null, };

export type SiasnFailure = { usulan_id: string, nip: string, 
/**
 * The ASN's name, when the profile is there.
 */
nama: string | null, 
/**
 * What the proposal changes.
 */
action: UsulanAction, 
/**
 * SIASN's own message, or why it could not be delivered.
 */
message: string, 
/**
 * Tries since it was queued or last sent again.
 */
attempts: number, 
/**
 * When it failed (the `at` of the proposal's `failed` step).
 */
failed_at: string, };

export type SiasnManual = { usulan_id: string, nip: string, 
/**
 * The ASN's name, when the profile is there.
 */
nama: string | null, 
/**
 * What the proposal changes.
 */
action: UsulanAction, 
/**
 * Why SIASN could not take it from mysapk.
 */
reason: NotForwardable, 
/**
 * When it was approved (and began to wait).
 */
since: string, };

export type Dimension = "kualifikasi" | "kompetensi" | "kinerja" | "disiplin";

export type Band = "sangat_tinggi" | "tinggi" | "sedang" | "rendah" | "sangat_rendah";

export type DimensionScore = { dimension: Dimension, score: number, max: number, };

export type Suggestion = { dimension: Dimension, 
/**
 * Points the step adds.
 */
points: number, 
/**
 * The category whose form records it.
 */
kind: HistoryKind, message_id: string, message_en: string, };

export type IpAsnScore = { rules_version: string, year: number, total: number, band: Band, dimensions: Array<DimensionScore>, suggestions: Array<Suggestion>, };

export type Level = "low" | "medium" | "high";

export type SkpYear = { tahun: number, 
/**
 * 2022+ form: the predikat and the two ratings of the quadrant.
 */
predikat: Predikat | null, hasil_kerja: Rating | null, perilaku_kerja: Rating | null, 
/**
 * Old form (before 2022): the numeric score.
 */
nilai_skp: number | null, };

export type SkpRecent = { tahun: number, present: boolean, };

export type TalentPosition = { layout_version: string, number: number, label_id: string, label_en: string, performance: Level, potential: Level, 
/**
 * A promotion candidate (boxes from the layout's `candidates_from`).
 */
candidate: boolean, };

export type Aspect = "integritas" | "kerjasama" | "komunikasi" | "orientasi_pada_hasil" | "pelayanan_publik" | "pengembangan_diri" | "mengelola_perubahan" | "pengambilan_keputusan" | "perekat_bangsa" | "berpikir_kritis" | "intelektual" | "interpersonal" | "kesadaran_diri" | "motivasi_komitmen";

export type AspectScore = { aspect: Aspect, 
/**
 * The assessed level, 1-5.
 */
level: number, 
/**
 * The level the post requires, 1-5.
 */
standard: number, };

export type Assessment = { id: string, tanggal: string, 
/**
 * Who assessed (the assessment centre).
 */
penyelenggara: string, scores: Array<AspectScore>, };

export type Standing = { today: string, 
/**
 * The IP ASN of this year (its kinerja reads last year's SKP).
 */
ip_asn: IpAsnScore, 
/**
 * Every SKP on record, oldest first.
 */
skp: Array<SkpYear>, 
/**
 * The last two years, oldest first.
 */
skp_recent: Array<SkpRecent>, 
/**
 * `None` without an assessment with potential scores or without last year's 2022+ SKP.
 */
talent: TalentPosition | null, 
/**
 * The newest assessment, for the radar chart.
 */
assessment: Assessment | null, potential_score: number | null, };

export type CardInvalid = "bad_signature" | "expired" | "no_account";

export type CardCheck = { valid: boolean, reason: CardInvalid | null, 
/**
 * Name with titles, NIP and agency: only when valid.
 */
nama: string | null, nip: string | null, instansi_nama: string | null, expires_at: string | null, };

export type CardRefusal = "expired" | "unknown_key" | "bad_signature" | "malformed" | "no_account";

export type CheckedBy = "server" | "device";

export type CardCheckAnswer = { "status": "valid", nip: string, nama: string | null, instansi_nama: string | null, expires_at: string, 
/**
 * When the device's cached key set was fetched from the server.
 */
keys_fetched_at: string | null, checked_by: CheckedBy, } | { "status": "invalid", reason: CardRefusal, keys_fetched_at: string | null, checked_by: CheckedBy, };

export type AsnCard = { nama: string, nip: string, instansi_nama: string, unor_nama: string, jabatan_nama: string | null, golongan_id: string | null, 
/**
 * The address the QR code holds (`<server>/api/v1/verify/<token>`); `None` before the first token.
 */
verify_url: string | null, 
/**
 * The QR code as an SVG document.
 */
qr_svg: string | null, expires_at: string | null, 
/**
 * The token held has expired (offline for too long): the card says so until the next sync.
 */
expired: boolean, };

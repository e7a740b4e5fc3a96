//! The registry of every code the device or the server can answer: each declared once, with its kind and its
//! text in Indonesian and English.
//!
//! Model, core and server build errors and violations only through [`Code`]; the server derives the HTTP status
//! from [`ErrorKind`]; the UI's catalogues read the same texts (generated into `ui/src/gen/codes.ts`). A text may
//! hold `{name}` placeholders, filled by [`Code::violation_with`].

use crate::{ApiError, Violation};

/// What kind of failure a code reports; the server answers each kind with one HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The request or a field breaks a rule (400, or a recorded rejection inside a push).
    Invalid,
    /// No valid session (401).
    Unauthenticated,
    /// The caller may not do this (403).
    Forbidden,
    /// Nothing the caller may see has this id (404).
    NotFound,
    /// The state changed or clashes (409).
    Conflict,
    /// The body is larger than allowed (413).
    TooLarge,
    /// The body's content type is not accepted (415).
    UnsupportedMedia,
    /// The content was read and refused (422).
    Unprocessable,
    /// Too many attempts: try again later (429).
    Throttled,
    /// The server cannot take this now: try again later (503).
    Unavailable,
    /// A failure of the server itself (500; the text never tells more).
    Internal,
    /// Produced by the device only (network, local store, keystore); never answered by the server.
    Device,
    /// Not a failure: why a category needs attention (completeness).
    Notice,
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $kind:ident, $id:literal, $en:literal; )*) => {
        /// One stable, machine-readable code (see the module documentation).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( #[doc = $en] $variant, )*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$( Code::$variant, )*];

            /// The code on the wire, e.g. `auth.locked`.
            pub const fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code, )* }
            }

            pub const fn kind(self) -> ErrorKind {
                match self { $( Code::$variant => ErrorKind::$kind, )* }
            }

            /// The text in Bahasa Indonesia.
            pub const fn message_id(self) -> &'static str {
                match self { $( Code::$variant => $id, )* }
            }

            /// The text in English.
            pub const fn message_en(self) -> &'static str {
                match self { $( Code::$variant => $en, )* }
            }
        }
    };
}

codes! {
    // Sessions and accounts.
    AuthInvalidCredentials = "auth.invalid_credentials", Unauthenticated, "NIP atau kata sandi salah.", "Wrong NIP or password.";
    AuthThrottled = "auth.throttled", Throttled,
        "Terlalu banyak percobaan yang gagal. Tunggu sebentar sebelum mencoba lagi.",
        "Too many failed attempts. Wait a while before trying again.";
    AuthLocked = "auth.locked", Forbidden, "Akun dikunci.", "The account is locked.";
    AuthInvalidRefresh = "auth.invalid_refresh", Unauthenticated, "Sesi berakhir, silakan masuk lagi.", "Session ended, please log in again.";
    AuthMissingToken = "auth.missing_token", Unauthenticated, "Silakan masuk terlebih dahulu.", "Please log in first.";
    AuthInvalidToken = "auth.invalid_token", Unauthenticated, "Sesi tidak valid, silakan masuk lagi.", "The session is not valid, please log in again.";
    AuthExpiredToken = "auth.expired_token", Unauthenticated, "Sesi berakhir, silakan masuk lagi.", "Session ended, please log in again.";
    AuthResetInvalid = "auth.reset_invalid", Invalid,
        "Kode salah, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada admin instansi Anda.",
        "The code is wrong, used or expired. Ask your agency admin for a new code.";
    AuthFreshTokenRefused = "auth.fresh_token_refused", Device,
        "Server menolak sesi yang baru diperbarui; akan dicoba lagi.",
        "The server refused a just-renewed session; it will be tried again.";
    AuthMfaRequired = "auth.mfa_required", Unauthenticated,
        "Masukkan kode 6 angka dari aplikasi autentikator Anda.",
        "Enter the 6-digit code from your authenticator app.";
    AuthMfaInvalid = "auth.mfa_invalid", Unauthenticated,
        "Kode autentikator atau kode pemulihan salah atau sudah dipakai.",
        "The authenticator code or recovery code is wrong or was used already.";
    AuthMfaEnrollmentRequired = "auth.mfa_enrollment_required", Forbidden,
        "Akun Anda wajib memakai verifikasi dua langkah. Aktifkan dulu aplikasi autentikator.",
        "Your account must use two-step verification. Set up an authenticator app first.";
    AuthClockSkew = "auth.clock_skew", Device,
        "Jam perangkat Anda selisih {difference} dari server; aktifkan waktu otomatis.",
        "Your device's clock is {difference} off the server's; turn on automatic time.";
    MfaAlreadyEnabled = "mfa.already_enabled", Conflict,
        "Verifikasi dua langkah sudah aktif.",
        "Two-step verification is on already.";
    MfaNotEnrolled = "mfa.not_enrolled", Conflict,
        "Mulai pendaftaran aplikasi autentikator terlebih dahulu.",
        "Start setting up the authenticator app first.";
    MfaCodeInvalid = "mfa.code_invalid", Invalid,
        "Kode salah. Periksa kode di aplikasi autentikator dan jam perangkat Anda.",
        "Wrong code. Check the code in the authenticator app and your device's clock.";
    SessionNotFound = "session.not_found", NotFound, "Sesi perangkat ini tidak ditemukan.", "No such session of yours.";
    PasswordTooShort = "password.too_short", Invalid, "Kata sandi minimal 12 karakter.", "The password must have at least 12 characters.";
    PasswordContainsNip = "password.contains_nip", Invalid, "Kata sandi tidak boleh memuat NIP.", "The password must not contain the NIP.";
    PasswordCommon = "password.common", Invalid,
        "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain.",
        "This password is too common and easy to guess; choose another.";
    AdminNotAdmin = "admin.not_admin", Forbidden, "Hanya admin instansi yang dapat melakukan ini.", "Only an agency admin may do this.";
    ReviewNotReviewer = "review.not_reviewer", Forbidden,
        "Hanya verifikator dan approver yang dapat meninjau usulan.",
        "Only verifiers and approvers may review proposals.";
    NotLoggedIn = "not_logged_in", Device, "Silakan masuk terlebih dahulu.", "Please log in first.";
    // The app lock (a PIN on this device).
    AppLocked = "app.locked", Device, "Aplikasi terkunci. Masukkan PIN.", "The app is locked. Enter your PIN.";
    AppPinFormat = "app.pin_format", Device, "PIN terdiri dari 6 angka.", "The PIN is 6 digits.";
    AppPinMismatch = "app.pin_mismatch", Device, "Kedua PIN tidak sama.", "The two PINs do not match.";
    AppPinWrong = "app.pin_wrong", Device, "PIN salah.", "Wrong PIN.";
    AppPinNotSet = "app.pin_not_set", Device, "Belum ada PIN di perangkat ini.", "No PIN is set on this device.";
    AppPinAlreadySet = "app.pin_already_set", Device,
        "PIN sudah dibuat; ubah PIN dengan memasukkan PIN saat ini.",
        "A PIN is already set; change it by entering the current PIN.";
    AppPinLockedOut = "app.pin_locked_out", Device,
        "Terlalu banyak PIN salah: sesi diakhiri. Masuk lagi dengan kata sandi; usulan yang belum terkirim tetap tersimpan.",
        "Too many wrong PINs: the session has ended. Log in again with your password; unsent proposals are kept.";
    AppBiometricFailed = "app.biometric_failed", Device,
        "Verifikasi biometrik tidak berhasil. Gunakan PIN.",
        "Biometric verification did not succeed. Use your PIN.";

    // Requests.
    RequestInvalidJson = "request.invalid_json", Invalid, "Permintaan tidak dapat dibaca.", "The request could not be read.";
    RequestInvalidBody = "request.invalid_body", Invalid, "Isi permintaan tidak dapat dibaca.", "The request body could not be read.";
    RequestInvalidQuery = "request.invalid_query", Invalid, "Parameter permintaan tidak valid.", "The request's parameters are not valid.";
    RequestTooLarge = "request.too_large", TooLarge, "Permintaan terlalu besar.", "The request is too large.";
    RouteNotFound = "not_found", NotFound, "Alamat ini tidak ada.", "No such endpoint.";
    SyncInvalidCursor = "sync.invalid_cursor", Invalid, "Penanda sinkronisasi tidak valid.", "The sync cursor is not valid.";
    PushDeviceId = "push.device_id", Invalid, "Id perangkat tidak valid.", "The device id is not valid.";
    PushTooMany = "push.too_many", Invalid, "Terlalu banyak perubahan dalam satu kiriman.", "Too many changes in one push.";
    EventsTooMany = "events.too_many", Unavailable, "Terlalu banyak sambungan terbuka.", "Too many open event streams.";
    EventsTooManyForUser = "events.too_many_for_user", Throttled,
        "Terlalu banyak sambungan terbuka untuk akun ini; tutup aplikasi di perangkat lain.",
        "Too many open event streams for this account; close the app on another device.";
    RequestTimeout = "request.timeout", Unavailable,
        "Permintaan terlalu lama diproses. Coba lagi.",
        "The request took too long; try again.";
    EventsClosing = "events.closing", Unavailable, "Server sedang berhenti.", "The server is stopping.";
    ServerBusy = "server.busy", Unavailable, "Server sedang sibuk. Coba lagi sebentar lagi.", "The server is busy; try again in a few seconds.";
    Internal = "internal", Internal, "Terjadi kesalahan pada server.", "Internal server error.";
    StandingInvalidDate = "standing.invalid_date", Invalid, "Tanggal tidak valid.", "The date is not valid.";

    // Agency administration.
    AccountNotFound = "account.not_found", NotFound, "Akun tidak ditemukan.", "The account was not found.";
    AccountExists = "account.exists", Conflict, "Akun dengan NIP ini sudah ada.", "An account with this NIP exists already.";
    AccountDuplicate = "account.duplicate", Invalid, "NIP ini muncul lebih dari sekali.", "This NIP appears more than once.";
    AccountInvalid = "account.invalid", Invalid, "Data akun tidak valid.", "The account data is not valid.";
    AccountNamaRequired = "account.nama_required", Invalid, "Nama wajib diisi.", "The name is required.";
    AccountTempatLahirRequired = "account.tempat_lahir_required", Invalid, "Tempat lahir wajib diisi.", "The place of birth is required.";
    AccountUnorRequired = "account.unor_required", Invalid, "Unit organisasi wajib diisi.", "The work unit is required.";
    AccountBirthDateMismatch = "account.birth_date_mismatch", Invalid,
        "Tanggal lahir tidak sama dengan tanggal lahir dalam NIP.",
        "The birth date differs from the one inside the NIP.";
    AccountTanggalLahirFormat = "account.tanggal_lahir_format", Invalid,
        "Tanggal lahir harus berformat YYYY-MM-DD.",
        "The birth date must be YYYY-MM-DD.";
    AccountUnknownRole = "account.unknown_role", Invalid, "Peran tidak dikenal.", "Unknown role.";
    AccountReasonRequired = "account.reason_required", Invalid,
        "Alasan wajib diisi (maksimal 1000 karakter).",
        "A reason (at most 1000 characters) is required.";
    AccountSelfLock = "account.self_lock", Conflict, "Anda tidak dapat mengunci akun Anda sendiri.", "You cannot lock your own account.";
    RoleNotAssignable = "role.not_assignable", Invalid,
        "Hanya peran verifikator, approver, dan admin yang dapat diberikan.",
        "Only verifikator, approver and admin are assignable.";
    MfaSelfReset = "mfa.self_reset", Forbidden,
        "Anda tidak dapat menghapus verifikasi dua langkah Anda sendiri; minta admin lain.",
        "You cannot remove your own two-step verification; ask another admin.";
    MfaNotEnabled = "mfa.not_enabled", Conflict,
        "Akun ini belum memakai verifikasi dua langkah.",
        "This account has no two-step verification.";
    RoleSelfChange = "role.self_change", Forbidden,
        "Anda tidak dapat mengubah peran Anda sendiri; minta admin lain.",
        "You cannot change your own roles; ask another admin.";
    ImportContentType = "import.content_type", UnsupportedMedia,
        "Impor harus berupa CSV atau JSON.",
        "An import must be CSV or JSON.";
    ImportEncoding = "import.encoding", Invalid, "Berkas impor harus UTF-8.", "The import file must be UTF-8.";
    ImportHeader = "import.header", Invalid, "Baris judul berkas impor tidak sesuai.", "The import file's header row is not as expected.";
    ImportInvalidRow = "import.invalid_row", Invalid, "Baris ini tidak dapat dibaca.", "This row could not be read.";
    AnnouncementTitleRequired = "announcement.title_required", Invalid,
        "Judul wajib diisi (maksimal 200 karakter).",
        "A title (at most 200 characters) is required.";
    AnnouncementBodyRequired = "announcement.body_required", Invalid,
        "Isi pengumuman wajib diisi.",
        "The announcement's text is required.";
    LayananNoteTooLong = "layanan.note_too_long", Invalid,
        "Catatan maksimal 2000 karakter.",
        "The note may have at most 2000 characters.";
    AssessmentIdTaken = "assessment.id_taken", Conflict, "Id penilaian ini sudah dipakai.", "This assessment id is taken.";
    AssessmentIdTooLong = "assessment.id_too_long", Invalid, "Id penilaian terlalu panjang.", "The assessment id is too long.";
    AssessmentNoScores = "assessment.no_scores", Invalid, "Penilaian harus memuat nilai.", "An assessment needs scores.";
    AssessmentLevel = "assessment.level", Invalid, "Level di luar rentang 1–5.", "The level is outside 1–5.";
    AssessmentDuplicateAspect = "assessment.duplicate_aspect", Invalid,
        "Aspek ini dinilai lebih dari sekali.",
        "This aspect is scored more than once.";

    // Proposals and decisions.
    UsulanNotFound = "usulan.not_found", NotFound, "Usulan tidak ditemukan.", "The proposal was not found.";
    UsulanConflict = "usulan.conflict", Conflict,
        "Id usulan ini sudah dipakai untuk usulan lain.",
        "This proposal id is used by another proposal.";
    UsulanNotWithdrawable = "usulan.not_withdrawable", Conflict,
        "Usulan ini tidak dapat ditarik lagi.",
        "This proposal can no longer be withdrawn.";
    UsulanNotReturned = "usulan.not_returned", Conflict,
        "Hanya usulan yang dikembalikan yang dapat diperbaiki dan dikirim ulang.",
        "Only a returned proposal can be corrected and sent again.";
    UsulanSiasnNotFailed = "usulan.siasn_not_failed", Conflict,
        "Pengiriman usulan ini ke SIASN tidak gagal; tidak ada yang perlu dikirim ulang.",
        "This proposal's sending to SIASN has not failed; there is nothing to send again.";
    UsulanSiasnNotManual = "usulan.siasn_not_manual", Conflict,
        "Usulan ini tidak sedang menunggu dicatat manual di SIASN.",
        "This proposal is not waiting to be entered in SIASN by hand.";
    UsulanActionChanged = "usulan.action_changed", Invalid,
        "Perbaikan harus untuk data dan jenis perubahan yang sama.",
        "A correction must concern the same data and kind of change.";
    DecisionReasonRequired = "decision.reason_required", Invalid,
        "Alasan wajib diisi untuk mengembalikan atau menolak usulan.",
        "A reason is required to return or reject a proposal.";
    DecisionWrongRole = "decision.wrong_role", Forbidden,
        "Peran Anda tidak berwenang mengambil keputusan ini.",
        "Your role may not take this decision.";
    DecisionOwnProposal = "decision.own_proposal", Forbidden,
        "Anda tidak dapat memutuskan usulan Anda sendiri.",
        "You cannot decide your own proposal.";
    DecisionSameReviewer = "decision.same_reviewer", Forbidden,
        "Anda sudah memverifikasi usulan ini; keputusan berikutnya harus diambil orang lain.",
        "You verified this proposal; the next decision must be taken by someone else.";
    DecisionWrongState = "decision.wrong_state", Conflict,
        "Usulan tidak dalam tahap yang memungkinkan keputusan ini.",
        "The proposal is not in a state that allows this decision.";
    DecisionAlreadyDecided = "decision.already_decided", Conflict,
        "Usulan ini sudah diputuskan oleh peninjau lain.",
        "Another reviewer decided this proposal first.";
    DecisionWithdrawn = "decision.withdrawn", Conflict, "Usulan ini sudah ditarik oleh ASN.", "The ASN withdrew this proposal.";
    DecisionBaseChanged = "decision.base_changed", Conflict,
        "Data resmi berubah sejak usulan ini dibuat; periksa lagi.",
        "The official record changed since this proposal was made; check it again.";
    DecisionRecordGone = "decision.record_gone", Conflict,
        "Data yang diusulkan untuk diubah sudah tidak ada.",
        "The record this proposal concerns no longer exists.";
    DecisionPending = "decision.pending", Device,
        "Keputusan untuk usulan ini sudah diambil dan menunggu dikirim.",
        "A decision on this proposal is already waiting to be sent.";
    ReviewNotFound = "review.not_found", Device, "Usulan tidak ada di antrean.", "The proposal is not in the queue.";
    NotificationNotFound = "notification.not_found", NotFound, "Notifikasi tidak ditemukan.", "The notification was not found.";

    // Documents.
    DocumentEmpty = "document.empty", Unprocessable, "Berkas kosong.", "The file is empty.";
    DocumentTooLarge = "document.too_large", TooLarge, "Berkas melebihi batas ukuran.", "The file is larger than allowed.";
    DocumentTruncated = "document.truncated", Unprocessable, "Berkas terpotong atau rusak.", "The file is truncated or damaged.";
    DocumentNotPdfOrJpeg = "document.not_pdf_or_jpeg", Unprocessable,
        "Isi berkas bukan PDF atau JPEG (nama berkas tidak menentukan jenisnya).",
        "The file's content is not a PDF or JPEG (its name does not decide its type).";
    DocumentChecksumMismatch = "document.checksum_mismatch", Unprocessable,
        "Isi berkas tidak cocok; unggah ulang.",
        "The file's content does not match; upload it again.";
    DocumentOffsetMismatch = "document.offset_mismatch", Conflict,
        "Unggahan tidak bersambung; akan dilanjutkan dari posisi server.",
        "The upload is out of step; it resumes from the server's position.";
    DocumentLengthMismatch = "document.length_mismatch", Conflict,
        "Panjang berkas berbeda dari unggahan sebelumnya.",
        "The file's length differs from the earlier upload.";
    DocumentChunkInvalid = "document.chunk_invalid", Invalid, "Potongan unggahan tidak valid.", "The upload chunk is not valid.";
    DocumentInvalidHeader = "document.invalid_header", Invalid, "Header unggahan tidak valid.", "The upload headers are not valid.";
    DocumentInvalidSha256 = "document.invalid_sha256", Invalid, "Sidik berkas (SHA-256) tidak valid.", "The file's SHA-256 is not valid.";
    DocumentMissing = "document.missing", Invalid,
        "Dokumen belum terunggah lengkap ke server.",
        "The document has not been uploaded completely.";
    DocumentNotFound = "document.not_found", NotFound, "Dokumen tidak ditemukan.", "The document was not found.";
    DocumentRequired = "document.required", Invalid, "Dokumen ini wajib dilampirkan.", "This document is required.";
    DocumentWrongType = "document.wrong_type", Invalid, "Jenis dokumen ini bukan untuk data ini.", "This document type does not belong to this data.";
    DocumentPdfRequired = "document.pdf_required", Invalid, "Dokumen ini harus berupa PDF.", "This document must be a PDF.";
    DocumentNotExpected = "document.not_expected", Invalid, "Data ini tidak memerlukan dokumen.", "This change takes no documents.";
    DocumentInvalidRef = "document.invalid_ref", Invalid, "Rujukan dokumen rusak; lampirkan ulang.", "Broken document reference; attach it again.";
    DocumentTooMany = "document.too_many", Invalid, "Terlalu banyak dokumen untuk satu usulan.", "Too many documents for one proposal.";
    DocumentInvalidBase64 = "document.invalid_base64", Device, "Berkas tidak dapat dibaca; pilih lagi.", "The file could not be read; pick it again.";

    // "Periksa Kartu ASN" from a picture of the card's QR code (decoded on the device).
    CardPictureTooLarge = "card_picture.too_large", Device,
        "Gambar terlalu besar; potong gambar di sekitar kode QR atau pilih gambar yang lebih kecil.",
        "The picture is too large; crop it around the QR code or pick a smaller one.";
    CardPictureNotImage = "card_picture.not_image", Device,
        "Berkas ini bukan gambar PNG atau JPEG yang dapat dibaca.",
        "This file is not a readable PNG or JPEG picture.";
    CardPictureNoQr = "card_picture.no_qr", Device,
        "Tidak ditemukan kode QR yang terbaca pada gambar ini.",
        "No readable QR code was found in this picture.";
    CardPictureNotCard = "card_picture.not_card", Device,
        "Kode QR ini bukan tautan Kartu ASN.",
        "This QR code is not an ASN card link.";

    // Rules of the record.
    FieldRequired = "field.required", Invalid, "Wajib diisi.", "This field is required.";
    FieldTooLong = "field.too_long", Invalid, "Terlalu panjang (maksimal 300 karakter).", "Too long (300 characters at most).";
    FieldControlChars = "field.control_chars", Invalid,
        "Berisi karakter kendali yang tidak diizinkan.",
        "Contains control characters that are not allowed.";
    CodeUnknown = "code.unknown", Invalid, "Kode tidak dikenal.", "Unknown code.";
    DateOutOfRange = "date.out_of_range", Invalid, "Tanggal di luar rentang yang wajar.", "The date is out of range.";
    DateEndBeforeStart = "date.end_before_start", Invalid,
        "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        "The end date must not precede the start date.";
    DateInFuture = "date.in_future", Invalid, "Tanggal tidak boleh setelah hari ini.", "The date must not be after today.";
    DateBeforeAdulthood = "date.before_adulthood", Invalid, "TMT CPNS harus setelah usia 18 tahun.", "The TMT CPNS must be after the 18th birthday.";
    NumberOutOfRange = "number.out_of_range", Invalid, "Nilai di luar rentang yang diizinkan.", "The value is out of the allowed range.";
    RecordEditLimit = "record.edit_limit", Invalid,
        "Riwayat ini sudah pernah diubah; perubahan hanya boleh sekali.",
        "This record was changed before; it may be changed only once.";
    RecordNotFound = "record.not_found", NotFound, "Riwayat yang diubah tidak ditemukan.", "The record to change was not found.";
    RecordKindMismatch = "record.kind_mismatch", Invalid, "Riwayat yang diubah berjenis lain.", "The record to change is of another kind.";
    GolonganOrder = "golongan.order", Invalid,
        "Golongan harus naik mengikuti TMT: golongan yang lebih baru harus lebih tinggi.",
        "Golongan must rise with its TMT: a later record must hold a higher golongan.";
    KindReadOnly = "kind.read_only", Invalid, "Data ini hanya dapat diubah oleh instansi.", "Only the agency can change this data.";
    NipLength = "nip.length", Invalid, "NIP harus 18 digit.", "The NIP must have 18 digits.";
    NipDigits = "nip.digits", Invalid, "NIP hanya boleh berisi angka.", "The NIP may contain digits only.";
    NipBirthDate = "nip.birth_date", Invalid, "Tanggal lahir dalam NIP tidak valid.", "The birth date inside the NIP is not valid.";
    NipTmtCpns = "nip.tmt_cpns", Invalid, "TMT CPNS dalam NIP tidak valid.", "The TMT CPNS inside the NIP is not valid.";
    NipTmtBeforeAdult = "nip.tmt_before_adult", Invalid,
        "TMT CPNS dalam NIP terlalu dekat dengan tanggal lahir.",
        "The TMT CPNS inside the NIP is too close to the birth date.";
    NipGender = "nip.gender", Invalid, "Digit jenis kelamin dalam NIP harus 1 atau 2.", "The gender digit of the NIP must be 1 or 2.";
    NipInvalid = "nip.invalid", Invalid, "NIP tidak valid.", "The NIP is not valid.";
    NikFormat = "nik.format", Invalid, "NIK harus 16 angka.", "The NIK must be 16 digits.";
    NikRegion = "nik.region", Invalid, "Kode wilayah NIK tidak valid.", "The NIK's region code is not valid.";
    NikBirthDate = "nik.birth_date", Invalid, "Tanggal lahir dalam NIK tidak valid.", "The birth date inside the NIK is not valid.";
    NikBirthDateMismatch = "nik.birth_date_mismatch", Invalid,
        "Tanggal lahir dalam NIK tidak sama dengan tanggal lahir Anda.",
        "The birth date inside the NIK differs from your birth date.";
    NikGenderMismatch = "nik.gender_mismatch", Invalid, "Kode jenis kelamin dalam NIK tidak sesuai.", "The gender encoded in the NIK does not match.";
    NikSequence = "nik.sequence", Invalid, "Nomor urut NIK tidak boleh 0000.", "The NIK's sequence must not be 0000.";
    SkpPredikatMismatch = "skp.predikat_mismatch", Invalid,
        "Predikat tidak sesuai dengan hasil kerja dan perilaku kerja.",
        "The predikat does not follow from the work results and behaviour ratings.";
    SkpOldFormYear = "skp.old_form_year", Invalid, "SKP sebelum 2022 memakai format lama (nilai angka).", "SKP before 2022 use the old numeric form.";
    FamilyParentAfterChild = "family.parent_after_child", Invalid, "Orang tua tidak mungkin lahir setelah Anda.", "A parent cannot be born after you.";
    FamilyChildBeforeParent = "family.child_before_parent", Invalid,
        "Anak kandung tidak mungkin lahir sebelum Anda.",
        "A biological child cannot be born before you.";
    AngkaKreditTotalMismatch = "angka_kredit.total_mismatch", Invalid,
        "Total angka kredit harus sama dengan unsur utama ditambah penunjang.",
        "The total must equal the main plus the supporting credit points.";
    PindahSameInstansi = "pindah.same_instansi", Invalid, "Instansi baru harus berbeda dari instansi lama.", "The new agency must differ from the old one.";
    OwnerEmpty = "owner.empty", Invalid, "Tidak ada data yang diubah.", "Nothing to change.";
    OwnerAlamatLength = "owner.alamat_length", Invalid, "Alamat harus 5 sampai 500 karakter.", "The address must be 5 to 500 characters.";
    OwnerNoHpFormat = "owner.no_hp_format", Invalid, "Nomor HP harus 8 sampai 15 angka.", "The phone number must be 8 to 15 digits.";
    OwnerEmailFormat = "owner.email_format", Invalid, "Alamat e-mail tidak valid.", "The e-mail address is not valid.";
    OwnerNpwpFormat = "owner.npwp_format", Invalid, "NPWP harus 15 atau 16 angka.", "The NPWP must be 15 or 16 digits.";
    OwnerBpjsFormat = "owner.bpjs_format", Invalid, "Nomor BPJS harus 13 angka.", "The BPJS number must be 13 digits.";
    VerifiedEmpty = "verified.empty", Invalid, "Tidak ada data yang diubah.", "Nothing to change.";

    // Why a category needs attention (completeness).
    CategoryEmpty = "category.empty", Notice, "Belum ada data.", "No records yet.";
    CategoryUnconfirmed = "category.unconfirmed", Notice,
        "Periksa lalu konfirmasi \"data sudah sesuai\".",
        "Check it, then confirm \"the data is correct\".";
    SkpMissingYear = "skp.missing_year", Notice, "SKP tahun {year} belum ada.", "The SKP of {year} is missing.";
    UsulanReturned = "usulan.returned", Notice,
        "Ada usulan yang dikembalikan untuk diperbaiki.",
        "A proposal was returned for repair.";

    // The device: network, local store, keystore, input checked before it reaches the core.
    NetworkUnreachable = "network.unreachable", Device,
        "Server tidak dapat dihubungi. Periksa koneksi Anda.",
        "The server cannot be reached. Check your connection.";
    NetworkTimeout = "network.timeout", Device, "Server tidak menjawab. Coba lagi nanti.", "The server does not answer. Try again later.";
    ServerUnavailable = "server.unavailable", Device, "Server sedang sibuk. Coba lagi nanti.", "The server is busy. Try again later.";
    ServerError = "server.error", Device, "Server menolak permintaan ini.", "The server refused the request.";
    ServerBadResponse = "server.bad_response", Device, "Jawaban server tidak dapat dibaca.", "The server's answer could not be read.";
    Validation = "validation", Device, "Data tidak valid.", "The input is not valid.";
    StoreIo = "store.io", Device, "Penyimpanan di perangkat gagal.", "The device's storage failed.";
    StoreCorrupt = "store.corrupt", Device, "Data di perangkat rusak.", "The data on this device is damaged.";
    StoreSchemaTooNew = "store.schema_too_new", Device,
        "Data di perangkat dibuat oleh versi aplikasi yang lebih baru. Perbarui aplikasi.",
        "The data on this device was written by a newer version of the app. Update the app.";
    StoreKeyMismatch = "store.key_mismatch", Device,
        "Data di perangkat tidak dapat dibuka dengan kunci akun ini.",
        "The data on this device cannot be opened with this account's key.";
    KeystoreUnavailable = "keystore.unavailable", Device, "Penyimpanan kunci sistem tidak tersedia.", "The system keystore is not available.";
    KeystoreNotConfigured = "keystore.not_configured", Device, "Penyimpanan kunci sistem belum disiapkan.", "No system keystore is set up.";
    KeystoreUnsupportedPlatform = "keystore.unsupported_platform", Device,
        "Perangkat ini tidak punya penyimpanan kunci yang didukung.",
        "This device has no supported keystore.";

    // The device's transport: which server it talks to, and whom it trusts.
    TransportInsecureUrl = "transport.insecure_url", Device,
        "Alamat server harus diawali https:// (http:// hanya untuk server di perangkat ini sendiri).",
        "The server address must start with https:// (http:// only for a server on this device itself).";
    TransportInvalidUrl = "transport.invalid_url", Device,
        "Alamat server tidak valid. Contoh: https://mysapk.instansi.go.id",
        "The server address is not valid. Example: https://mysapk.agency.go.id";
    TransportExtraRoots = "transport.extra_roots", Device,
        "Sertifikat akar tambahan tidak dapat dibaca. Periksa berkas PEM-nya.",
        "The extra root certificates could not be read. Check the PEM file.";
    TransportUntrustedCertificate = "transport.untrusted_certificate", Device,
        "Sertifikat server tidak dipercaya. Hubungi admin instansi Anda.",
        "The server's certificate is not trusted. Contact your agency's admin.";
    TransportServerChangePending = "transport.server_change_pending", Device,
        "Server tidak dapat diganti: masih ada usulan yang belum terkirim ke server yang sekarang. Masuk dan kirim dulu.",
        "The server cannot be changed: proposals are still waiting to be sent to the current server. Log in and send them first.";
    TransportAccountOfOtherServer = "transport.account_of_other_server", Device,
        "Akun ini masih punya usulan yang belum terkirim ke server instansi sebelumnya. Kembali ke server itu dan kirim dulu.",
        "This account still has proposals waiting for the previous agency server. Go back to that server and send them first.";
    TransportNoServer = "transport.no_server", Device,
        "Belum ada server instansi. Pilih server instansi Anda dulu.",
        "No agency server is set. Choose your agency's server first.";
    TransportServerChangeSession = "transport.server_change_session", Device,
        "Keluar dulu sebelum mengganti server.",
        "Log out before changing the server.";
}

impl Code {
    /// The registered code with this wire name.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// A violation of this rule on `field`, with the registry's texts.
    pub fn violation(self, field: &str) -> Violation {
        self.violation_with(field, &[])
    }

    /// A violation whose texts have their `{name}` placeholders filled from `args`.
    pub fn violation_with(self, field: &str, args: &[(&str, &str)]) -> Violation {
        Violation {
            code: self.as_str().to_owned(),
            field: field.to_owned(),
            message_id: fill(self.message_id(), args),
            message_en: fill(self.message_en(), args),
        }
    }

    /// The wire error of this code with its English text.
    pub fn api_error(self) -> ApiError {
        ApiError::new(self.as_str(), self.message_en())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets a test compare a code with its wire name: `assert_eq!(error.code(), "auth.locked")`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

fn fill(text: &str, args: &[(&str, &str)]) -> String {
    args.iter().fold(text.to_owned(), |s, (name, value)| s.replace(&format!("{{{name}}}"), value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_code_is_declared_once_and_parses_back() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "{} is declared twice", code.as_str());
            assert_eq!(Code::parse(code.as_str()), Some(*code));
        }
        assert_eq!(Code::parse("no.such_code"), None);
    }

    #[test]
    fn every_code_has_both_texts() {
        for code in Code::ALL {
            assert!(!code.message_id().trim().is_empty(), "{code}: no Indonesian text");
            assert!(!code.message_en().trim().is_empty(), "{code}: no English text");
            assert_ne!(code.message_id(), code.message_en(), "{code}: the Indonesian text is the English one");
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let v = Code::SkpMissingYear.violation_with("record.tahun", &[("year", "2024")]);
        assert_eq!(v.message_id, "SKP tahun 2024 belum ada.");
        assert_eq!(v.message_en, "The SKP of 2024 is missing.");
        assert_eq!((v.code.as_str(), v.field.as_str()), ("skp.missing_year", "record.tahun"));
    }
}

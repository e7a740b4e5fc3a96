// Generated from the error-code registry (model/src/codes.rs) by model/tests/ts_codes.rs. Do not edit.
// Refresh: UPDATE_IPC_TYPES=1 cargo test -p mysapk-model --test ts_codes

/** Every code the device or the server can answer. */
export type ErrorCode =
  | 'auth.invalid_credentials'
  | 'auth.throttled'
  | 'auth.locked'
  | 'auth.invalid_refresh'
  | 'auth.missing_token'
  | 'auth.invalid_token'
  | 'auth.expired_token'
  | 'auth.reset_invalid'
  | 'auth.fresh_token_refused'
  | 'auth.mfa_required'
  | 'auth.mfa_invalid'
  | 'auth.mfa_enrollment_required'
  | 'auth.clock_skew'
  | 'mfa.already_enabled'
  | 'mfa.not_enrolled'
  | 'mfa.code_invalid'
  | 'session.not_found'
  | 'password.too_short'
  | 'password.contains_nip'
  | 'password.common'
  | 'admin.not_admin'
  | 'review.not_reviewer'
  | 'not_logged_in'
  | 'app.locked'
  | 'app.pin_format'
  | 'app.pin_mismatch'
  | 'app.pin_wrong'
  | 'app.pin_not_set'
  | 'app.pin_already_set'
  | 'app.pin_locked_out'
  | 'app.biometric_failed'
  | 'request.invalid_json'
  | 'request.invalid_body'
  | 'request.invalid_query'
  | 'request.too_large'
  | 'not_found'
  | 'sync.invalid_cursor'
  | 'push.device_id'
  | 'push.too_many'
  | 'events.too_many'
  | 'events.too_many_for_user'
  | 'request.timeout'
  | 'events.closing'
  | 'server.busy'
  | 'internal'
  | 'standing.invalid_date'
  | 'account.not_found'
  | 'account.exists'
  | 'account.duplicate'
  | 'account.invalid'
  | 'account.nama_required'
  | 'account.tempat_lahir_required'
  | 'account.unor_required'
  | 'account.birth_date_mismatch'
  | 'account.tanggal_lahir_format'
  | 'account.unknown_role'
  | 'account.reason_required'
  | 'account.self_lock'
  | 'role.not_assignable'
  | 'mfa.self_reset'
  | 'mfa.not_enabled'
  | 'role.self_change'
  | 'import.content_type'
  | 'import.encoding'
  | 'import.header'
  | 'import.invalid_row'
  | 'announcement.title_required'
  | 'announcement.body_required'
  | 'layanan.note_too_long'
  | 'assessment.id_taken'
  | 'assessment.id_too_long'
  | 'assessment.no_scores'
  | 'assessment.level'
  | 'assessment.duplicate_aspect'
  | 'usulan.not_found'
  | 'usulan.conflict'
  | 'usulan.not_withdrawable'
  | 'usulan.not_returned'
  | 'usulan.siasn_not_failed'
  | 'usulan.siasn_not_manual'
  | 'usulan.action_changed'
  | 'decision.reason_required'
  | 'decision.wrong_role'
  | 'decision.own_proposal'
  | 'decision.same_reviewer'
  | 'decision.wrong_state'
  | 'decision.already_decided'
  | 'decision.withdrawn'
  | 'decision.base_changed'
  | 'decision.record_gone'
  | 'decision.pending'
  | 'review.not_found'
  | 'notification.not_found'
  | 'document.empty'
  | 'document.too_large'
  | 'document.truncated'
  | 'document.not_pdf_or_jpeg'
  | 'document.checksum_mismatch'
  | 'document.offset_mismatch'
  | 'document.length_mismatch'
  | 'document.chunk_invalid'
  | 'document.invalid_header'
  | 'document.invalid_sha256'
  | 'document.missing'
  | 'document.not_found'
  | 'document.required'
  | 'document.wrong_type'
  | 'document.pdf_required'
  | 'document.not_expected'
  | 'document.invalid_ref'
  | 'document.too_many'
  | 'document.invalid_base64'
  | 'card_picture.too_large'
  | 'card_picture.not_image'
  | 'card_picture.no_qr'
  | 'card_picture.not_card'
  | 'field.required'
  | 'field.too_long'
  | 'field.control_chars'
  | 'code.unknown'
  | 'date.out_of_range'
  | 'date.end_before_start'
  | 'date.in_future'
  | 'date.before_adulthood'
  | 'number.out_of_range'
  | 'record.edit_limit'
  | 'record.not_found'
  | 'record.kind_mismatch'
  | 'golongan.order'
  | 'kind.read_only'
  | 'nip.length'
  | 'nip.digits'
  | 'nip.birth_date'
  | 'nip.tmt_cpns'
  | 'nip.tmt_before_adult'
  | 'nip.gender'
  | 'nip.invalid'
  | 'nik.format'
  | 'nik.region'
  | 'nik.birth_date'
  | 'nik.birth_date_mismatch'
  | 'nik.gender_mismatch'
  | 'nik.sequence'
  | 'skp.predikat_mismatch'
  | 'skp.old_form_year'
  | 'family.parent_after_child'
  | 'family.child_before_parent'
  | 'angka_kredit.total_mismatch'
  | 'pindah.same_instansi'
  | 'owner.empty'
  | 'owner.alamat_length'
  | 'owner.no_hp_format'
  | 'owner.email_format'
  | 'owner.npwp_format'
  | 'owner.bpjs_format'
  | 'verified.empty'
  | 'category.empty'
  | 'category.unconfirmed'
  | 'skp.missing_year'
  | 'usulan.returned'
  | 'network.unreachable'
  | 'network.timeout'
  | 'server.unavailable'
  | 'server.error'
  | 'server.bad_response'
  | 'validation'
  | 'store.io'
  | 'store.corrupt'
  | 'store.schema_too_new'
  | 'store.key_mismatch'
  | 'keystore.unavailable'
  | 'keystore.not_configured'
  | 'keystore.unsupported_platform'
  | 'transport.insecure_url'
  | 'transport.invalid_url'
  | 'transport.extra_roots'
  | 'transport.untrusted_certificate'
  | 'transport.server_change_pending'
  | 'transport.account_of_other_server'
  | 'transport.no_server'
  | 'transport.server_change_session';

/** The registry's text of every code, per language. */
export const CODE_TEXT: { id: Record<ErrorCode, string>; en: Record<ErrorCode, string> } = {
  id: {
    'auth.invalid_credentials': "NIP atau kata sandi salah.",
    'auth.throttled': "Terlalu banyak percobaan yang gagal. Tunggu sebentar sebelum mencoba lagi.",
    'auth.locked': "Akun dikunci.",
    'auth.invalid_refresh': "Sesi berakhir, silakan masuk lagi.",
    'auth.missing_token': "Silakan masuk terlebih dahulu.",
    'auth.invalid_token': "Sesi tidak valid, silakan masuk lagi.",
    'auth.expired_token': "Sesi berakhir, silakan masuk lagi.",
    'auth.reset_invalid': "Kode salah, sudah dipakai, atau kedaluwarsa. Minta kode baru kepada admin instansi Anda.",
    'auth.fresh_token_refused': "Server menolak sesi yang baru diperbarui; akan dicoba lagi.",
    'auth.mfa_required': "Masukkan kode 6 angka dari aplikasi autentikator Anda.",
    'auth.mfa_invalid': "Kode autentikator atau kode pemulihan salah atau sudah dipakai.",
    'auth.mfa_enrollment_required': "Akun Anda wajib memakai verifikasi dua langkah. Aktifkan dulu aplikasi autentikator.",
    'auth.clock_skew': "Jam perangkat Anda selisih {difference} dari server; aktifkan waktu otomatis.",
    'mfa.already_enabled': "Verifikasi dua langkah sudah aktif.",
    'mfa.not_enrolled': "Mulai pendaftaran aplikasi autentikator terlebih dahulu.",
    'mfa.code_invalid': "Kode salah. Periksa kode di aplikasi autentikator dan jam perangkat Anda.",
    'session.not_found': "Sesi perangkat ini tidak ditemukan.",
    'password.too_short': "Kata sandi minimal 12 karakter.",
    'password.contains_nip': "Kata sandi tidak boleh memuat NIP.",
    'password.common': "Kata sandi ini terlalu umum dan mudah ditebak; pilih yang lain.",
    'admin.not_admin': "Hanya admin instansi yang dapat melakukan ini.",
    'review.not_reviewer': "Hanya verifikator dan approver yang dapat meninjau usulan.",
    'not_logged_in': "Silakan masuk terlebih dahulu.",
    'app.locked': "Aplikasi terkunci. Masukkan PIN.",
    'app.pin_format': "PIN terdiri dari 6 angka.",
    'app.pin_mismatch': "Kedua PIN tidak sama.",
    'app.pin_wrong': "PIN salah.",
    'app.pin_not_set': "Belum ada PIN di perangkat ini.",
    'app.pin_already_set': "PIN sudah dibuat; ubah PIN dengan memasukkan PIN saat ini.",
    'app.pin_locked_out': "Terlalu banyak PIN salah: sesi diakhiri. Masuk lagi dengan kata sandi; usulan yang belum terkirim tetap tersimpan.",
    'app.biometric_failed': "Verifikasi biometrik tidak berhasil. Gunakan PIN.",
    'request.invalid_json': "Permintaan tidak dapat dibaca.",
    'request.invalid_body': "Isi permintaan tidak dapat dibaca.",
    'request.invalid_query': "Parameter permintaan tidak valid.",
    'request.too_large': "Permintaan terlalu besar.",
    'not_found': "Alamat ini tidak ada.",
    'sync.invalid_cursor': "Penanda sinkronisasi tidak valid.",
    'push.device_id': "Id perangkat tidak valid.",
    'push.too_many': "Terlalu banyak perubahan dalam satu kiriman.",
    'events.too_many': "Terlalu banyak sambungan terbuka.",
    'events.too_many_for_user': "Terlalu banyak sambungan terbuka untuk akun ini; tutup aplikasi di perangkat lain.",
    'request.timeout': "Permintaan terlalu lama diproses. Coba lagi.",
    'events.closing': "Server sedang berhenti.",
    'server.busy': "Server sedang sibuk. Coba lagi sebentar lagi.",
    'internal': "Terjadi kesalahan pada server.",
    'standing.invalid_date': "Tanggal tidak valid.",
    'account.not_found': "Akun tidak ditemukan.",
    'account.exists': "Akun dengan NIP ini sudah ada.",
    'account.duplicate': "NIP ini muncul lebih dari sekali.",
    'account.invalid': "Data akun tidak valid.",
    'account.nama_required': "Nama wajib diisi.",
    'account.tempat_lahir_required': "Tempat lahir wajib diisi.",
    'account.unor_required': "Unit organisasi wajib diisi.",
    'account.birth_date_mismatch': "Tanggal lahir tidak sama dengan tanggal lahir dalam NIP.",
    'account.tanggal_lahir_format': "Tanggal lahir harus berformat YYYY-MM-DD.",
    'account.unknown_role': "Peran tidak dikenal.",
    'account.reason_required': "Alasan wajib diisi (maksimal 1000 karakter).",
    'account.self_lock': "Anda tidak dapat mengunci akun Anda sendiri.",
    'role.not_assignable': "Hanya peran verifikator, approver, dan admin yang dapat diberikan.",
    'mfa.self_reset': "Anda tidak dapat menghapus verifikasi dua langkah Anda sendiri; minta admin lain.",
    'mfa.not_enabled': "Akun ini belum memakai verifikasi dua langkah.",
    'role.self_change': "Anda tidak dapat mengubah peran Anda sendiri; minta admin lain.",
    'import.content_type': "Impor harus berupa CSV atau JSON.",
    'import.encoding': "Berkas impor harus UTF-8.",
    'import.header': "Baris judul berkas impor tidak sesuai.",
    'import.invalid_row': "Baris ini tidak dapat dibaca.",
    'announcement.title_required': "Judul wajib diisi (maksimal 200 karakter).",
    'announcement.body_required': "Isi pengumuman wajib diisi.",
    'layanan.note_too_long': "Catatan maksimal 2000 karakter.",
    'assessment.id_taken': "Id penilaian ini sudah dipakai.",
    'assessment.id_too_long': "Id penilaian terlalu panjang.",
    'assessment.no_scores': "Penilaian harus memuat nilai.",
    'assessment.level': "Level di luar rentang 1–5.",
    'assessment.duplicate_aspect': "Aspek ini dinilai lebih dari sekali.",
    'usulan.not_found': "Usulan tidak ditemukan.",
    'usulan.conflict': "Id usulan ini sudah dipakai untuk usulan lain.",
    'usulan.not_withdrawable': "Usulan ini tidak dapat ditarik lagi.",
    'usulan.not_returned': "Hanya usulan yang dikembalikan yang dapat diperbaiki dan dikirim ulang.",
    'usulan.siasn_not_failed': "Pengiriman usulan ini ke SIASN tidak gagal; tidak ada yang perlu dikirim ulang.",
    'usulan.siasn_not_manual': "Usulan ini tidak sedang menunggu dicatat manual di SIASN.",
    'usulan.action_changed': "Perbaikan harus untuk data dan jenis perubahan yang sama.",
    'decision.reason_required': "Alasan wajib diisi untuk mengembalikan atau menolak usulan.",
    'decision.wrong_role': "Peran Anda tidak berwenang mengambil keputusan ini.",
    'decision.own_proposal': "Anda tidak dapat memutuskan usulan Anda sendiri.",
    'decision.same_reviewer': "Anda sudah memverifikasi usulan ini; keputusan berikutnya harus diambil orang lain.",
    'decision.wrong_state': "Usulan tidak dalam tahap yang memungkinkan keputusan ini.",
    'decision.already_decided': "Usulan ini sudah diputuskan oleh peninjau lain.",
    'decision.withdrawn': "Usulan ini sudah ditarik oleh ASN.",
    'decision.base_changed': "Data resmi berubah sejak usulan ini dibuat; periksa lagi.",
    'decision.record_gone': "Data yang diusulkan untuk diubah sudah tidak ada.",
    'decision.pending': "Keputusan untuk usulan ini sudah diambil dan menunggu dikirim.",
    'review.not_found': "Usulan tidak ada di antrean.",
    'notification.not_found': "Notifikasi tidak ditemukan.",
    'document.empty': "Berkas kosong.",
    'document.too_large': "Berkas melebihi batas ukuran.",
    'document.truncated': "Berkas terpotong atau rusak.",
    'document.not_pdf_or_jpeg': "Isi berkas bukan PDF atau JPEG (nama berkas tidak menentukan jenisnya).",
    'document.checksum_mismatch': "Isi berkas tidak cocok; unggah ulang.",
    'document.offset_mismatch': "Unggahan tidak bersambung; akan dilanjutkan dari posisi server.",
    'document.length_mismatch': "Panjang berkas berbeda dari unggahan sebelumnya.",
    'document.chunk_invalid': "Potongan unggahan tidak valid.",
    'document.invalid_header': "Header unggahan tidak valid.",
    'document.invalid_sha256': "Sidik berkas (SHA-256) tidak valid.",
    'document.missing': "Dokumen belum terunggah lengkap ke server.",
    'document.not_found': "Dokumen tidak ditemukan.",
    'document.required': "Dokumen ini wajib dilampirkan.",
    'document.wrong_type': "Jenis dokumen ini bukan untuk data ini.",
    'document.pdf_required': "Dokumen ini harus berupa PDF.",
    'document.not_expected': "Data ini tidak memerlukan dokumen.",
    'document.invalid_ref': "Rujukan dokumen rusak; lampirkan ulang.",
    'document.too_many': "Terlalu banyak dokumen untuk satu usulan.",
    'document.invalid_base64': "Berkas tidak dapat dibaca; pilih lagi.",
    'card_picture.too_large': "Gambar terlalu besar; potong gambar di sekitar kode QR atau pilih gambar yang lebih kecil.",
    'card_picture.not_image': "Berkas ini bukan gambar PNG atau JPEG yang dapat dibaca.",
    'card_picture.no_qr': "Tidak ditemukan kode QR yang terbaca pada gambar ini.",
    'card_picture.not_card': "Kode QR ini bukan tautan Kartu ASN.",
    'field.required': "Wajib diisi.",
    'field.too_long': "Terlalu panjang (maksimal 300 karakter).",
    'field.control_chars': "Berisi karakter kendali yang tidak diizinkan.",
    'code.unknown': "Kode tidak dikenal.",
    'date.out_of_range': "Tanggal di luar rentang yang wajar.",
    'date.end_before_start': "Tanggal selesai tidak boleh sebelum tanggal mulai.",
    'date.in_future': "Tanggal tidak boleh setelah hari ini.",
    'date.before_adulthood': "TMT CPNS harus setelah usia 18 tahun.",
    'number.out_of_range': "Nilai di luar rentang yang diizinkan.",
    'record.edit_limit': "Riwayat ini sudah pernah diubah; perubahan hanya boleh sekali.",
    'record.not_found': "Riwayat yang diubah tidak ditemukan.",
    'record.kind_mismatch': "Riwayat yang diubah berjenis lain.",
    'golongan.order': "Golongan harus naik mengikuti TMT: golongan yang lebih baru harus lebih tinggi.",
    'kind.read_only': "Data ini hanya dapat diubah oleh instansi.",
    'nip.length': "NIP harus 18 digit.",
    'nip.digits': "NIP hanya boleh berisi angka.",
    'nip.birth_date': "Tanggal lahir dalam NIP tidak valid.",
    'nip.tmt_cpns': "TMT CPNS dalam NIP tidak valid.",
    'nip.tmt_before_adult': "TMT CPNS dalam NIP terlalu dekat dengan tanggal lahir.",
    'nip.gender': "Digit jenis kelamin dalam NIP harus 1 atau 2.",
    'nip.invalid': "NIP tidak valid.",
    'nik.format': "NIK harus 16 angka.",
    'nik.region': "Kode wilayah NIK tidak valid.",
    'nik.birth_date': "Tanggal lahir dalam NIK tidak valid.",
    'nik.birth_date_mismatch': "Tanggal lahir dalam NIK tidak sama dengan tanggal lahir Anda.",
    'nik.gender_mismatch': "Kode jenis kelamin dalam NIK tidak sesuai.",
    'nik.sequence': "Nomor urut NIK tidak boleh 0000.",
    'skp.predikat_mismatch': "Predikat tidak sesuai dengan hasil kerja dan perilaku kerja.",
    'skp.old_form_year': "SKP sebelum 2022 memakai format lama (nilai angka).",
    'family.parent_after_child': "Orang tua tidak mungkin lahir setelah Anda.",
    'family.child_before_parent': "Anak kandung tidak mungkin lahir sebelum Anda.",
    'angka_kredit.total_mismatch': "Total angka kredit harus sama dengan unsur utama ditambah penunjang.",
    'pindah.same_instansi': "Instansi baru harus berbeda dari instansi lama.",
    'owner.empty': "Tidak ada data yang diubah.",
    'owner.alamat_length': "Alamat harus 5 sampai 500 karakter.",
    'owner.no_hp_format': "Nomor HP harus 8 sampai 15 angka.",
    'owner.email_format': "Alamat e-mail tidak valid.",
    'owner.npwp_format': "NPWP harus 15 atau 16 angka.",
    'owner.bpjs_format': "Nomor BPJS harus 13 angka.",
    'verified.empty': "Tidak ada data yang diubah.",
    'category.empty': "Belum ada data.",
    'category.unconfirmed': "Periksa lalu konfirmasi \"data sudah sesuai\".",
    'skp.missing_year': "SKP tahun {year} belum ada.",
    'usulan.returned': "Ada usulan yang dikembalikan untuk diperbaiki.",
    'network.unreachable': "Server tidak dapat dihubungi. Periksa koneksi Anda.",
    'network.timeout': "Server tidak menjawab. Coba lagi nanti.",
    'server.unavailable': "Server sedang sibuk. Coba lagi nanti.",
    'server.error': "Server menolak permintaan ini.",
    'server.bad_response': "Jawaban server tidak dapat dibaca.",
    'validation': "Data tidak valid.",
    'store.io': "Penyimpanan di perangkat gagal.",
    'store.corrupt': "Data di perangkat rusak.",
    'store.schema_too_new': "Data di perangkat dibuat oleh versi aplikasi yang lebih baru. Perbarui aplikasi.",
    'store.key_mismatch': "Data di perangkat tidak dapat dibuka dengan kunci akun ini.",
    'keystore.unavailable': "Penyimpanan kunci sistem tidak tersedia.",
    'keystore.not_configured': "Penyimpanan kunci sistem belum disiapkan.",
    'keystore.unsupported_platform': "Perangkat ini tidak punya penyimpanan kunci yang didukung.",
    'transport.insecure_url': "Alamat server harus diawali https:// (http:// hanya untuk server di perangkat ini sendiri).",
    'transport.invalid_url': "Alamat server tidak valid. Contoh: https://mysapk.instansi.go.id",
    'transport.extra_roots': "Sertifikat akar tambahan tidak dapat dibaca. Periksa berkas PEM-nya.",
    'transport.untrusted_certificate': "Sertifikat server tidak dipercaya. Hubungi admin instansi Anda.",
    'transport.server_change_pending': "Server tidak dapat diganti: masih ada usulan yang belum terkirim ke server yang sekarang. Masuk dan kirim dulu.",
    'transport.account_of_other_server': "Akun ini masih punya usulan yang belum terkirim ke server instansi sebelumnya. Kembali ke server itu dan kirim dulu.",
    'transport.no_server': "Belum ada server instansi. Pilih server instansi Anda dulu.",
    'transport.server_change_session': "Keluar dulu sebelum mengganti server.",
  },
  en: {
    'auth.invalid_credentials': "Wrong NIP or password.",
    'auth.throttled': "Too many failed attempts. Wait a while before trying again.",
    'auth.locked': "The account is locked.",
    'auth.invalid_refresh': "Session ended, please log in again.",
    'auth.missing_token': "Please log in first.",
    'auth.invalid_token': "The session is not valid, please log in again.",
    'auth.expired_token': "Session ended, please log in again.",
    'auth.reset_invalid': "The code is wrong, used or expired. Ask your agency admin for a new code.",
    'auth.fresh_token_refused': "The server refused a just-renewed session; it will be tried again.",
    'auth.mfa_required': "Enter the 6-digit code from your authenticator app.",
    'auth.mfa_invalid': "The authenticator code or recovery code is wrong or was used already.",
    'auth.mfa_enrollment_required': "Your account must use two-step verification. Set up an authenticator app first.",
    'auth.clock_skew': "Your device's clock is {difference} off the server's; turn on automatic time.",
    'mfa.already_enabled': "Two-step verification is on already.",
    'mfa.not_enrolled': "Start setting up the authenticator app first.",
    'mfa.code_invalid': "Wrong code. Check the code in the authenticator app and your device's clock.",
    'session.not_found': "No such session of yours.",
    'password.too_short': "The password must have at least 12 characters.",
    'password.contains_nip': "The password must not contain the NIP.",
    'password.common': "This password is too common and easy to guess; choose another.",
    'admin.not_admin': "Only an agency admin may do this.",
    'review.not_reviewer': "Only verifiers and approvers may review proposals.",
    'not_logged_in': "Please log in first.",
    'app.locked': "The app is locked. Enter your PIN.",
    'app.pin_format': "The PIN is 6 digits.",
    'app.pin_mismatch': "The two PINs do not match.",
    'app.pin_wrong': "Wrong PIN.",
    'app.pin_not_set': "No PIN is set on this device.",
    'app.pin_already_set': "A PIN is already set; change it by entering the current PIN.",
    'app.pin_locked_out': "Too many wrong PINs: the session has ended. Log in again with your password; unsent proposals are kept.",
    'app.biometric_failed': "Biometric verification did not succeed. Use your PIN.",
    'request.invalid_json': "The request could not be read.",
    'request.invalid_body': "The request body could not be read.",
    'request.invalid_query': "The request's parameters are not valid.",
    'request.too_large': "The request is too large.",
    'not_found': "No such endpoint.",
    'sync.invalid_cursor': "The sync cursor is not valid.",
    'push.device_id': "The device id is not valid.",
    'push.too_many': "Too many changes in one push.",
    'events.too_many': "Too many open event streams.",
    'events.too_many_for_user': "Too many open event streams for this account; close the app on another device.",
    'request.timeout': "The request took too long; try again.",
    'events.closing': "The server is stopping.",
    'server.busy': "The server is busy; try again in a few seconds.",
    'internal': "Internal server error.",
    'standing.invalid_date': "The date is not valid.",
    'account.not_found': "The account was not found.",
    'account.exists': "An account with this NIP exists already.",
    'account.duplicate': "This NIP appears more than once.",
    'account.invalid': "The account data is not valid.",
    'account.nama_required': "The name is required.",
    'account.tempat_lahir_required': "The place of birth is required.",
    'account.unor_required': "The work unit is required.",
    'account.birth_date_mismatch': "The birth date differs from the one inside the NIP.",
    'account.tanggal_lahir_format': "The birth date must be YYYY-MM-DD.",
    'account.unknown_role': "Unknown role.",
    'account.reason_required': "A reason (at most 1000 characters) is required.",
    'account.self_lock': "You cannot lock your own account.",
    'role.not_assignable': "Only verifikator, approver and admin are assignable.",
    'mfa.self_reset': "You cannot remove your own two-step verification; ask another admin.",
    'mfa.not_enabled': "This account has no two-step verification.",
    'role.self_change': "You cannot change your own roles; ask another admin.",
    'import.content_type': "An import must be CSV or JSON.",
    'import.encoding': "The import file must be UTF-8.",
    'import.header': "The import file's header row is not as expected.",
    'import.invalid_row': "This row could not be read.",
    'announcement.title_required': "A title (at most 200 characters) is required.",
    'announcement.body_required': "The announcement's text is required.",
    'layanan.note_too_long': "The note may have at most 2000 characters.",
    'assessment.id_taken': "This assessment id is taken.",
    'assessment.id_too_long': "The assessment id is too long.",
    'assessment.no_scores': "An assessment needs scores.",
    'assessment.level': "The level is outside 1–5.",
    'assessment.duplicate_aspect': "This aspect is scored more than once.",
    'usulan.not_found': "The proposal was not found.",
    'usulan.conflict': "This proposal id is used by another proposal.",
    'usulan.not_withdrawable': "This proposal can no longer be withdrawn.",
    'usulan.not_returned': "Only a returned proposal can be corrected and sent again.",
    'usulan.siasn_not_failed': "This proposal's sending to SIASN has not failed; there is nothing to send again.",
    'usulan.siasn_not_manual': "This proposal is not waiting to be entered in SIASN by hand.",
    'usulan.action_changed': "A correction must concern the same data and kind of change.",
    'decision.reason_required': "A reason is required to return or reject a proposal.",
    'decision.wrong_role': "Your role may not take this decision.",
    'decision.own_proposal': "You cannot decide your own proposal.",
    'decision.same_reviewer': "You verified this proposal; the next decision must be taken by someone else.",
    'decision.wrong_state': "The proposal is not in a state that allows this decision.",
    'decision.already_decided': "Another reviewer decided this proposal first.",
    'decision.withdrawn': "The ASN withdrew this proposal.",
    'decision.base_changed': "The official record changed since this proposal was made; check it again.",
    'decision.record_gone': "The record this proposal concerns no longer exists.",
    'decision.pending': "A decision on this proposal is already waiting to be sent.",
    'review.not_found': "The proposal is not in the queue.",
    'notification.not_found': "The notification was not found.",
    'document.empty': "The file is empty.",
    'document.too_large': "The file is larger than allowed.",
    'document.truncated': "The file is truncated or damaged.",
    'document.not_pdf_or_jpeg': "The file's content is not a PDF or JPEG (its name does not decide its type).",
    'document.checksum_mismatch': "The file's content does not match; upload it again.",
    'document.offset_mismatch': "The upload is out of step; it resumes from the server's position.",
    'document.length_mismatch': "The file's length differs from the earlier upload.",
    'document.chunk_invalid': "The upload chunk is not valid.",
    'document.invalid_header': "The upload headers are not valid.",
    'document.invalid_sha256': "The file's SHA-256 is not valid.",
    'document.missing': "The document has not been uploaded completely.",
    'document.not_found': "The document was not found.",
    'document.required': "This document is required.",
    'document.wrong_type': "This document type does not belong to this data.",
    'document.pdf_required': "This document must be a PDF.",
    'document.not_expected': "This change takes no documents.",
    'document.invalid_ref': "Broken document reference; attach it again.",
    'document.too_many': "Too many documents for one proposal.",
    'document.invalid_base64': "The file could not be read; pick it again.",
    'card_picture.too_large': "The picture is too large; crop it around the QR code or pick a smaller one.",
    'card_picture.not_image': "This file is not a readable PNG or JPEG picture.",
    'card_picture.no_qr': "No readable QR code was found in this picture.",
    'card_picture.not_card': "This QR code is not an ASN card link.",
    'field.required': "This field is required.",
    'field.too_long': "Too long (300 characters at most).",
    'field.control_chars': "Contains control characters that are not allowed.",
    'code.unknown': "Unknown code.",
    'date.out_of_range': "The date is out of range.",
    'date.end_before_start': "The end date must not precede the start date.",
    'date.in_future': "The date must not be after today.",
    'date.before_adulthood': "The TMT CPNS must be after the 18th birthday.",
    'number.out_of_range': "The value is out of the allowed range.",
    'record.edit_limit': "This record was changed before; it may be changed only once.",
    'record.not_found': "The record to change was not found.",
    'record.kind_mismatch': "The record to change is of another kind.",
    'golongan.order': "Golongan must rise with its TMT: a later record must hold a higher golongan.",
    'kind.read_only': "Only the agency can change this data.",
    'nip.length': "The NIP must have 18 digits.",
    'nip.digits': "The NIP may contain digits only.",
    'nip.birth_date': "The birth date inside the NIP is not valid.",
    'nip.tmt_cpns': "The TMT CPNS inside the NIP is not valid.",
    'nip.tmt_before_adult': "The TMT CPNS inside the NIP is too close to the birth date.",
    'nip.gender': "The gender digit of the NIP must be 1 or 2.",
    'nip.invalid': "The NIP is not valid.",
    'nik.format': "The NIK must be 16 digits.",
    'nik.region': "The NIK's region code is not valid.",
    'nik.birth_date': "The birth date inside the NIK is not valid.",
    'nik.birth_date_mismatch': "The birth date inside the NIK differs from your birth date.",
    'nik.gender_mismatch': "The gender encoded in the NIK does not match.",
    'nik.sequence': "The NIK's sequence must not be 0000.",
    'skp.predikat_mismatch': "The predikat does not follow from the work results and behaviour ratings.",
    'skp.old_form_year': "SKP before 2022 use the old numeric form.",
    'family.parent_after_child': "A parent cannot be born after you.",
    'family.child_before_parent': "A biological child cannot be born before you.",
    'angka_kredit.total_mismatch': "The total must equal the main plus the supporting credit points.",
    'pindah.same_instansi': "The new agency must differ from the old one.",
    'owner.empty': "Nothing to change.",
    'owner.alamat_length': "The address must be 5 to 500 characters.",
    'owner.no_hp_format': "The phone number must be 8 to 15 digits.",
    'owner.email_format': "The e-mail address is not valid.",
    'owner.npwp_format': "The NPWP must be 15 or 16 digits.",
    'owner.bpjs_format': "The BPJS number must be 13 digits.",
    'verified.empty': "Nothing to change.",
    'category.empty': "No records yet.",
    'category.unconfirmed': "Check it, then confirm \"the data is correct\".",
    'skp.missing_year': "The SKP of {year} is missing.",
    'usulan.returned': "A proposal was returned for repair.",
    'network.unreachable': "The server cannot be reached. Check your connection.",
    'network.timeout': "The server does not answer. Try again later.",
    'server.unavailable': "The server is busy. Try again later.",
    'server.error': "The server refused the request.",
    'server.bad_response': "The server's answer could not be read.",
    'validation': "The input is not valid.",
    'store.io': "The device's storage failed.",
    'store.corrupt': "The data on this device is damaged.",
    'store.schema_too_new': "The data on this device was written by a newer version of the app. Update the app.",
    'store.key_mismatch': "The data on this device cannot be opened with this account's key.",
    'keystore.unavailable': "The system keystore is not available.",
    'keystore.not_configured': "No system keystore is set up.",
    'keystore.unsupported_platform': "This device has no supported keystore.",
    'transport.insecure_url': "The server address must start with https:// (http:// only for a server on this device itself).",
    'transport.invalid_url': "The server address is not valid. Example: https://mysapk.agency.go.id",
    'transport.extra_roots': "The extra root certificates could not be read. Check the PEM file.",
    'transport.untrusted_certificate': "The server's certificate is not trusted. Contact your agency's admin.",
    'transport.server_change_pending': "The server cannot be changed: proposals are still waiting to be sent to the current server. Log in and send them first.",
    'transport.account_of_other_server': "This account still has proposals waiting for the previous agency server. Go back to that server and send them first.",
    'transport.no_server': "No agency server is set. Choose your agency's server first.",
    'transport.server_change_session': "Log out before changing the server.",
  },
};

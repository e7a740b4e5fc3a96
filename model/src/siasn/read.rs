//! SIASN's per-PNS read resources (`GET /apisiasn/1.0/pns/{resource}/{nipBaru}`), field for field.
//!
//! Every struct is declared with [`siasn_record!`], which also declares the list of its field names as data
//! (`…_FIELDS`), so the facade's coverage (fields served / fields documented) is computed, not claimed.
//! Field names are SIASN's own, typos included (`bulanMulaiPenailan`, `tgglMenikah`, `KuadranKinerjaNilai`,
//! `StatusHidup`); ids are strings; dates are `dd-mm-yyyy` strings. Every field is optional and read leniently
//! ([`super::lenient`]): SIASN sends `""`, `null` or `"01-01-0001"` for an empty value depending on the
//! resource (see [`super::EMPTY_DATE`]).
//!
//! Sources (public repositories; facts only):
//! - **K** = `kanekescom/laravel-siasn-simpeg`: `database/migrations/2024_01_02_0000NN_create_siasn_simpeg_pns_*`
//!   mirror each response column for column (the `…_` columns are its own parsed copies and are left out), and
//!   `src/Transformers/PnsRw*Transformer.php` parse the dates with `d-m-Y`. The family tables are in its commit
//!   `9c07e427` (`…000003_…data_anak`, `…000004_…data_ortu`, `…000005_…data_pasangan`, `…000029_…orangtua_ayah`,
//!   `…000030_…orangtua_ibu`, `…000031_…pasangan`, `…000032_…data_pernikahan`).
//! - **R** = `taufiqurrohmansuwarto/rumahASN`: `src/components/PemutakhiranData/CompareDataPasangan.js` (a whole
//!   `data-pasangan` response), `controller/siasn-keluarga.controller.js` (`data-ortu` → `ayah`/`ibu`,
//!   `data-anak` → `listAnak`), `controller/siasn-pengembangan-kompentensi.controller.js` (`nilaiipasn`),
//!   `utils/siasn-utils.js` (paths, `photo` by PNS id), `middleware/siasn.middleware.js` (gateway errors).
//! - **B** = `black-coffee04/ws-siasn-php`: `src/Services/RiwayatService.php`, `src/Services/PnsService.php` (the
//!   resource names), `src/Resources/HttpClient.php` (not found = 404 `{code:0, data:"Data tidak ditemukan"}`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Declares a SIASN record: the struct (every field `#[serde(rename, default)]`, read leniently) and
/// `pub const $fields: &[&str]`, its documented field names in the order of the source.
macro_rules! siasn_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident => $fields:ident {
            $( $json:literal $field:ident : $ty:ty ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        pub struct $name {
            $(
                #[serde(rename = $json, default, deserialize_with = "crate::siasn::lenient::de")]
                pub $field: $ty,
            )*
        }

        #[doc = concat!("The documented field names of [`", stringify!($name), "`].")]
        pub const $fields: &[&str] = &[$($json),*];
    };
}

type S = Option<String>;
type N = Option<f64>;
type B = Option<bool>;
/// `path`: the record's documents, keyed by `dok_id`.
pub type DokPaths = Option<BTreeMap<String, DokPath>>;
type P = DokPaths;

siasn_record! {
    /// One document of a record's `path` map (a production consumer's `rw-jabatan` fixture; K stores `path` as
    /// JSON). `dok_uri` is the object name `/download-dok` takes.
    pub struct DokPath => DOK_PATH_FIELDS {
        "dok_id" dok_id: S, "dok_nama" dok_nama: S, "dok_uri" dok_uri: S, "object" object: S, "slug" slug: S,
    }
}

siasn_record! {
    /// `data-utama` (K `…000006_create_siasn_simpeg_pns_data_utama_table.php` and the four `2024_07_19_00000N`
    /// additions; dates per `PnsDataUtamaTransformer.php`). `id` is the PNS id (32 hex, Oracle GUID).
    pub struct DataUtama => DATA_UTAMA_FIELDS {
        "id" id: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "nama" nama: S, "gelarDepan" gelar_depan: S,
        "gelarBelakang" gelar_belakang: S, "tempatLahir" tempat_lahir: S, "tempatLahirId" tempat_lahir_id: S,
        "tglLahir" tgl_lahir: S, "agama" agama: S, "agamaId" agama_id: S, "email" email: S,
        "emailGov" email_gov: S, "nik" nik: S, "alamat" alamat: S, "noHp" no_hp: S, "noTelp" no_telp: S,
        "jenisPegawaiId" jenis_pegawai_id: S, "mkTahun" mk_tahun: S, "mkBulan" mk_bulan: S,
        "jenisPegawaiNama" jenis_pegawai_nama: S, "kedudukanPnsId" kedudukan_pns_id: S,
        "kedudukanPnsNama" kedudukan_pns_nama: S, "statusPegawai" status_pegawai: S,
        "jenisKelamin" jenis_kelamin: S, "jenisIdDokumenId" jenis_id_dokumen_id: S,
        "jenisIdDokumenNama" jenis_id_dokumen_nama: S, "nomorIdDocument" nomor_id_document: S,
        "noSeriKarpeg" no_seri_karpeg: S, "tkPendidikanTerakhirId" tk_pendidikan_terakhir_id: S,
        "tkPendidikanTerakhir" tk_pendidikan_terakhir: S, "pendidikanTerakhirId" pendidikan_terakhir_id: S,
        "pendidikanTerakhirNama" pendidikan_terakhir_nama: S, "tahunLulus" tahun_lulus: S, "tmtPns" tmt_pns: S,
        "tmtPensiun" tmt_pensiun: S, "bupPensiun" bup_pensiun: S, "tglSkPns" tgl_sk_pns: S,
        "tmtCpns" tmt_cpns: S, "tglSkCpns" tgl_sk_cpns: S, "instansiIndukId" instansi_induk_id: S,
        "instansiIndukNama" instansi_induk_nama: S, "satuanKerjaIndukId" satuan_kerja_induk_id: S,
        "satuanKerjaIndukNama" satuan_kerja_induk_nama: S, "kanregId" kanreg_id: S, "kanregNama" kanreg_nama: S,
        "instansiKerjaId" instansi_kerja_id: S, "instansiKerjaNama" instansi_kerja_nama: S,
        "instansiKerjaKodeCepat" instansi_kerja_kode_cepat: S, "satuanKerjaKerjaId" satuan_kerja_kerja_id: S,
        "satuanKerjaKerjaNama" satuan_kerja_kerja_nama: S, "unorId" unor_id: S, "unorNama" unor_nama: S,
        "unorIndukId" unor_induk_id: S, "unorIndukNama" unor_induk_nama: S, "jenisJabatanId" jenis_jabatan_id: S,
        "jenisJabatan" jenis_jabatan: S, "jabatanNama" jabatan_nama: S,
        "jabatanStrukturalId" jabatan_struktural_id: S, "jabatanStrukturalNama" jabatan_struktural_nama: S,
        "jabatanFungsionalId" jabatan_fungsional_id: S, "jabatanFungsionalNama" jabatan_fungsional_nama: S,
        "jabatanFungsionalUmumId" jabatan_fungsional_umum_id: S,
        "jabatanFungsionalUmumNama" jabatan_fungsional_umum_nama: S, "tmtJabatan" tmt_jabatan: S,
        "lokasiKerjaId" lokasi_kerja_id: S, "lokasiKerja" lokasi_kerja: S, "golRuangAwalId" gol_ruang_awal_id: S,
        "golRuangAwal" gol_ruang_awal: S, "golRuangAkhirId" gol_ruang_akhir_id: S,
        "golRuangAkhir" gol_ruang_akhir: S, "tmtGolAkhir" tmt_gol_akhir: S, "masaKerja" masa_kerja: S,
        "eselon" eselon: S, "eselonId" eselon_id: S, "eselonLevel" eselon_level: S, "tmtEselon" tmt_eselon: S,
        "gajiPokok" gaji_pokok: S, "kpknId" kpkn_id: S, "kpknNama" kpkn_nama: S, "ktuaId" ktua_id: S,
        "ktuaNama" ktua_nama: S, "taspenId" taspen_id: S, "taspenNama" taspen_nama: S,
        "jenisKawinId" jenis_kawin_id: S, "statusPerkawinan" status_perkawinan: S, "statusHidup" status_hidup: S,
        "tglSuratKeteranganDokter" tgl_surat_keterangan_dokter: S,
        "noSuratKeteranganDokter" no_surat_keterangan_dokter: S, "jumlahIstriSuami" jumlah_istri_suami: S,
        "jumlahAnak" jumlah_anak: S, "noSuratKeteranganBebasNarkoba" no_surat_keterangan_bebas_narkoba: S,
        "tglSuratKeteranganBebasNarkoba" tgl_surat_keterangan_bebas_narkoba: S, "skck" skck: S,
        "tglSkck" tgl_skck: S, "akteKelahiran" akte_kelahiran: S, "akteMeninggal" akte_meninggal: S,
        "tglMeninggal" tgl_meninggal: S, "noNpwp" no_npwp: S, "tglNpwp" tgl_npwp: S, "noAskes" no_askes: S,
        "bpjs" bpjs: S, "kodePos" kode_pos: S, "noSpmt" no_spmt: S, "noTaspen" no_taspen: S, "bahasa" bahasa: S,
        "kppnId" kppn_id: S, "kppnNama" kppn_nama: S, "pangkatAkhir" pangkat_akhir: S, "tglSttpl" tgl_sttpl: S,
        "nomorSttpl" nomor_sttpl: S, "nomorSkCpns" nomor_sk_cpns: S, "nomorSkPns" nomor_sk_pns: S,
        "jenjang" jenjang: S, "jabatanAsn" jabatan_asn: S, "kartuAsn" kartu_asn: S, "validNik" valid_nik: B,
        "pangkatAwal" pangkat_awal: S, "asnJenjangJabatan" asn_jenjang_jabatan: S, "levelJabatan" level_jabatan: S,
        "tanggal_taspen" tanggal_taspen: S, "tabrum2" tabrum2: S, "kelas_jabatan" kelas_jabatan: S,
        "karis_karsu" karis_karsu: S, "tglSpmt" tgl_spmt: S, "kode_jenjang_jabatan" kode_jenjang_jabatan: S,
        "path" path: P, "genEmailAsn" gen_email_asn: S,
    }
}

siasn_record! {
    /// One `rw-golongan` record (K `…000014_…rw_golongan`, `PnsRwGolonganTransformer.php`; values as strings in
    /// a consumer's fixture: `"golonganId": "34"`, `"masaKerjaGolonganTahun": "12"`).
    pub struct RwGolongan => RW_GOLONGAN_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "golonganId" golongan_id: S,
        "golongan" golongan: S, "skNomor" sk_nomor: S, "skTanggal" sk_tanggal: S, "tmtGolongan" tmt_golongan: S,
        "noPertekBkn" no_pertek_bkn: S, "tglPertekBkn" tgl_pertek_bkn: S,
        "jumlahKreditUtama" jumlah_kredit_utama: S, "jumlahKreditTambahan" jumlah_kredit_tambahan: S,
        "jenisKPId" jenis_kp_id: S, "jenisKPNama" jenis_kp_nama: S,
        "masaKerjaGolonganTahun" masa_kerja_golongan_tahun: S, "masaKerjaGolonganBulan" masa_kerja_golongan_bulan: S,
        "path" path: P, "pangkat" pangkat: S,
    }
}

siasn_record! {
    /// One `rw-jabatan` record (K `…000016_…rw_jabatan`, `PnsRwJabatanTransformer.php`; R reads it in
    /// `utils/siasn-utils.js`). `jenisJabatan` is a string (`"1"` struktural, `"2"` fungsional, `"4"`
    /// pelaksana); an absent id is `""`, an absent eselon `null`, an absent date `""` or `"01-01-0001"`.
    pub struct RwJabatan => RW_JABATAN_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "jenisJabatan" jenis_jabatan: S,
        "instansiKerjaId" instansi_kerja_id: S, "instansiKerjaNama" instansi_kerja_nama: S,
        "satuanKerjaId" satuan_kerja_id: S, "satuanKerjaNama" satuan_kerja_nama: S, "unorId" unor_id: S,
        "unorNama" unor_nama: S, "unorIndukId" unor_induk_id: S, "unorIndukNama" unor_induk_nama: S,
        "eselon" eselon: S, "eselonId" eselon_id: S, "jabatanFungsionalId" jabatan_fungsional_id: S,
        "jabatanFungsionalNama" jabatan_fungsional_nama: S, "jabatanFungsionalUmumId" jabatan_fungsional_umum_id: S,
        "jabatanFungsionalUmumNama" jabatan_fungsional_umum_nama: S, "tmtJabatan" tmt_jabatan: S,
        "nomorSk" nomor_sk: S, "tanggalSk" tanggal_sk: S, "namaUnor" nama_unor: S, "namaJabatan" nama_jabatan: S,
        "tmtPelantikan" tmt_pelantikan: S, "path" path: P, "jenisPenugasanId" jenis_penugasan_id: S,
        "jenisMutasiId" jenis_mutasi_id: S, "subJabatanId" sub_jabatan_id: S, "tmtMutasi" tmt_mutasi: S,
    }
}

siasn_record! {
    /// One `rw-pendidikan` record (K `…000021_…rw_pendidikan`, `PnsRwPendidikanTransformer.php`).
    pub struct RwPendidikan => RW_PENDIDIKAN_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "pendidikanId" pendidikan_id: S,
        "pendidikanNama" pendidikan_nama: S, "tkPendidikanId" tk_pendidikan_id: S,
        "tkPendidikanNama" tk_pendidikan_nama: S, "tahunLulus" tahun_lulus: S, "tglLulus" tgl_lulus: S,
        "isPendidikanPertama" is_pendidikan_pertama: B, "nomorIjasah" nomor_ijasah: S,
        "namaSekolah" nama_sekolah: S, "gelarDepan" gelar_depan: S, "gelarBelakang" gelar_belakang: S,
        "path" path: P,
    }
}

siasn_record! {
    /// One `rw-angkakredit` record (K `…000010_…rw_angkakredit`, `PnsRwAngkakreditTransformer.php`, which also
    /// reads `created_at`/`updated_at` as `Y-m-d H:i:s`). `pns` is the PNS id.
    pub struct RwAngkakredit => RW_ANGKAKREDIT_FIELDS {
        "id" id: S, "pns" pns: S, "nomorSk" nomor_sk: S, "tanggalSk" tanggal_sk: S,
        "bulanMulaiPenailan" bulan_mulai_penailan: S, "tahunMulaiPenailan" tahun_mulai_penailan: S,
        "bulanSelesaiPenailan" bulan_selesai_penailan: S, "tahunSelesaiPenailan" tahun_selesai_penailan: S,
        "kreditUtamaBaru" kredit_utama_baru: N, "kreditPenunjangBaru" kredit_penunjang_baru: N,
        "kreditBaruTotal" kredit_baru_total: N, "rwJabatan" rw_jabatan: S, "namaJabatan" nama_jabatan: S,
        "isAngkaKreditPertama" is_angka_kredit_pertama: B, "isIntegrasi" is_integrasi: B,
        "isKonversi" is_konversi: B, "path" path: P, "Sumber" sumber: S, "created_at" created_at: S,
        "updated_at" updated_at: S,
    }
}

siasn_record! {
    /// One `rw-cltn` record (K `…000011_…rw_cltn`, `PnsRwCltnTransformer.php`; `tanggalLetterBkn` is
    /// `Y-m-d H:i:s`).
    pub struct RwCltn => RW_CLTN_FIELDS {
        "id" id: S, "cltnId" cltn_id: S, "skNomor" sk_nomor: S, "skTanggal" sk_tanggal: S,
        "tanggalAwal" tanggal_awal: S, "tanggalAkhir" tanggal_akhir: S, "tanggalAktif" tanggal_aktif: S,
        "nomorLetterBkn" nomor_letter_bkn: S, "tanggalLetterBkn" tanggal_letter_bkn: S,
        "pnsOrangId" pns_orang_id: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-diklat` record, structural training (K `…000012_…rw_diklat`, `PnsRwDiklatTransformer.php`:
    /// `tanggal` is the start, `tanggalSelesai` the end).
    pub struct RwDiklat => RW_DIKLAT_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S,
        "latihanStrukturalId" latihan_struktural_id: S, "latihanStrukturalNama" latihan_struktural_nama: S,
        "nomor" nomor: S, "tanggal" tanggal: S, "tahun" tahun: S, "path" path: P, "jumlahJam" jumlah_jam: S,
        "tanggalSelesai" tanggal_selesai: S, "institusiPenyelenggara" institusi_penyelenggara: S,
    }
}

siasn_record! {
    /// One `rw-kursus` record (K `…000018_…rw_kursus`, `PnsRwKursusTransformer.php`).
    pub struct RwKursus => RW_KURSUS_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S,
        "jenisKursusNama" jenis_kursus_nama: S, "jenisKursusSertifikat" jenis_kursus_sertifikat: S,
        "institusiPenyelenggara" institusi_penyelenggara: S, "jenisKursusId" jenis_kursus_id: S,
        "jumlahJam" jumlah_jam: S, "namaKursus" nama_kursus: S, "noSertipikat" no_sertipikat: S,
        "tahunKursus" tahun_kursus: S, "tanggalKursus" tanggal_kursus: S, "path" path: P,
        "jenisDiklatId" jenis_diklat_id: S, "tanggalSelesaiKursus" tanggal_selesai_kursus: S,
    }
}

siasn_record! {
    /// One `rw-dp3` record, the pre-2014 appraisal (K `…000013_…rw_dp3`).
    pub struct RwDp3 => RW_DP3_FIELDS {
        "id" id: S, "pnsId" pns_id: S, "tahun" tahun: S, "atasanNonPns" atasan_non_pns: S,
        "atasanPejabatPenilaiId" atasan_pejabat_penilai_id: S, "atasanPenilaiGolongan" atasan_penilai_golongan: S,
        "atasanPenilaiJabatan" atasan_penilai_jabatan: S, "atasanPenilaiNama" atasan_penilai_nama: S,
        "atasanPenilaiNipNrp" atasan_penilai_nip_nrp: S, "atasanPenilaiTmtGolongan" atasan_penilai_tmt_golongan: S,
        "atasanPenilaiUnorNama" atasan_penilai_unor_nama: S, "jenisJabatan" jenis_jabatan: S, "jumlah" jumlah: S,
        "kejujuran" kejujuran: S, "kepemimpinan" kepemimpinan: S, "kerjasama" kerjasama: S,
        "kesetiaan" kesetiaan: S, "ketaatan" ketaatan: S, "nilairatarata" nilairatarata: S,
        "pejabatPenilaiId" pejabat_penilai_id: S, "penilaiGolongan" penilai_golongan: S,
        "penilaiJabatan" penilai_jabatan: S, "penilaiNama" penilai_nama: S, "penilaiNipNrp" penilai_nip_nrp: S,
        "penilaiNonPns" penilai_non_pns: S, "penilaiTmtGolongan" penilai_tmt_golongan: S,
        "penilaiUnorNama" penilai_unor_nama: S, "prakarsa" prakarsa: S, "prestasiKerja" prestasi_kerja: S,
        "statusAtasanPenilai" status_atasan_penilai: S, "statusPenilai" status_penilai: S,
        "tanggungJawab" tanggung_jawab: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-hukdis` record, disciplinary sanction (K `…000015_…rw_hukdis`, `PnsRwHukdisTransformer.php`).
    pub struct RwHukdis => RW_HUKDIS_FIELDS {
        "id" id: S, "rwHukumanDisiplin" rw_hukuman_disiplin: S, "golongan" golongan: S,
        "kedudukanHukum" kedudukan_hukum: S, "jenisHukuman" jenis_hukuman: S, "pnsOrang" pns_orang: S,
        "skNomor" sk_nomor: S, "skTanggal" sk_tanggal: S, "hukumanTanggal" hukuman_tanggal: S,
        "masaTahun" masa_tahun: S, "masaBulan" masa_bulan: S, "akhirHukumTanggal" akhir_hukum_tanggal: S,
        "nomorPp" nomor_pp: S, "golonganLama" golongan_lama: S, "skPembatalanNomor" sk_pembatalan_nomor: S,
        "skPembatalanTanggal" sk_pembatalan_tanggal: S, "alasanHukumanDisiplin" alasan_hukuman_disiplin: S,
        "alasanHukumanDisiplinNama" alasan_hukuman_disiplin_nama: S, "jenisHukumanNama" jenis_hukuman_nama: S,
        "path" path: P, "keterangan" keterangan: S, "jenisTingkatHukumanId" jenis_tingkat_hukuman_id: S,
    }
}

siasn_record! {
    /// One `rw-kinerjaperiodik` record, the periodic performance (K `…000017_…rw_kinerjaperiodik`).
    pub struct RwKinerjaperiodik => RW_KINERJAPERIODIK_FIELDS {
        "id" id: S, "tahun" tahun: S, "nip" nip: S, "nama" nama: S, "hasilKinerja" hasil_kinerja: S,
        "hasilKinerjaNilai" hasil_kinerja_nilai: S, "instansiId" instansi_id: S, "instansiNama" instansi_nama: S,
        "jabatan" jabatan: S, "koefisenId" koefisen_id: S, "kriteria" kriteria: S,
        "kuadranKinerjaNilai" kuadran_kinerja_nilai: S, "kuadranNilai" kuadran_nilai: S,
        "namaPenilai" nama_penilai: S, "penilaiGolonganId" penilai_golongan_id: S,
        "penilaiJabatanNama" penilai_jabatan_nama: S, "penilaiNipNrp" penilai_nip_nrp: S,
        "penilaiPnsId" penilai_pns_id: S, "penilaiUnorNm" penilai_unor_nm: S, "perilakuKerja" perilaku_kerja: S,
        "perilakuKerjaNilai" perilaku_kerja_nilai: S, "periodikId" periodik_id: S, "periodikNama" periodik_nama: S,
        "persentase" persentase: S, "pnsDinilaiId" pns_dinilai_id: S, "statusPenilai" status_penilai: S,
        "unorId" unor_id: S, "unorNama" unor_nama: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-masakerja` record, PMK (K `…000019_…rw_masakerja`, `PnsRwMasakerjaTransformer.php`). The years
    /// field is spelled `tasaKerjaTahun` in K next to `masaKerjaBulan`; kept as the source spells it.
    pub struct RwMasakerja => RW_MASAKERJA_FIELDS {
        "id" id: S, "idPns" id_pns: S, "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "pengalaman" pengalaman: S,
        "tanggalAwal" tanggal_awal: S, "tanggalSelesai" tanggal_selesai: S, "nomorSk" nomor_sk: S,
        "tanggalSk" tanggal_sk: S, "nomorBkn" nomor_bkn: S, "tanggalBkn" tanggal_bkn: S,
        "tasaKerjaTahun" tasa_kerja_tahun: S, "masaKerjaBulan" masa_kerja_bulan: S, "dinilai" dinilai: B,
        "path" path: P,
    }
}

siasn_record! {
    /// One `rw-pemberhentian` record (K `…000020_…rw_pemberhentian`).
    pub struct RwPemberhentian => RW_PEMBERHENTIAN_FIELDS {
        "id" id: S, "jenisHenti" jenis_henti: S, "kedudukanHukumPns" kedudukan_hukum_pns: S, "pnsOrang" pns_orang: S,
        "skNomor" sk_nomor: S, "skTanggal" sk_tanggal: S, "asalId" asal_id: S, "asalNama" asal_nama: S,
        "asalNamaLabel" asal_nama_label: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-penghargaan` record (K `…000022_…rw_penghargaan`, `PnsRwPenghargaanTransformer.php`).
    pub struct RwPenghargaan => RW_PENGHARGAAN_FIELDS {
        "id" id: S, "tahun" tahun: S, "skNomor" sk_nomor: S, "skDate" sk_date: S, "hargaNama" harga_nama: S,
        "hargaId" harga_id: S, "pnsOrangId" pns_orang_id: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-pindahinstansi` record (K `…000023_…rw_pindahinstansi`, `PnsRwPindahinstansiTransformer.php`).
    pub struct RwPindahinstansi => RW_PINDAHINSTANSI_FIELDS {
        "id" id: S, "instansiKerjaLama" instansi_kerja_lama: S, "jenisPegawai" jenis_pegawai: S,
        "satuanKerjaBaru" satuan_kerja_baru: S, "satuanKerjaIndukBaru" satuan_kerja_induk_baru: S,
        "satuanKerjaIndukLama" satuan_kerja_induk_lama: S, "jenisJabatanLama" jenis_jabatan_lama: S,
        "lokasiKerjaBaru" lokasi_kerja_baru: S, "lokasiKerjaLama" lokasi_kerja_lama: S, "kpknBaru" kpkn_baru: S,
        "jenisJabatanBaru" jenis_jabatan_baru: S, "eselon" eselon: S,
        "jabatanFungsionalLama" jabatan_fungsional_lama: S, "instansiKerjaBaru" instansi_kerja_baru: S,
        "unorLama" unor_lama: S, "instansiIndukBaru" instansi_induk_baru: S, "unorBaru" unor_baru: S,
        "instansiIndukLama" instansi_induk_lama: S, "jabatanFungsionalBaru" jabatan_fungsional_baru: S,
        "pnsOrang" pns_orang: S, "skUsulNomor" sk_usul_nomor: S, "skUsulTanggal" sk_usul_tanggal: S,
        "skBknNomor" sk_bkn_nomor: S, "skBknTanggal" sk_bkn_tanggal: S, "tmtPi" tmt_pi: S,
        "skAsalNomor" sk_asal_nomor: S, "skAsalTanggal" sk_asal_tanggal: S, "skTujuanNomor" sk_tujuan_nomor: S,
        "skTujuanTanggal" sk_tujuan_tanggal: S, "satuanKerjaLama" satuan_kerja_lama: S, "jenisPi" jenis_pi: S,
        "jabatanFungsionalUmumBaru" jabatan_fungsional_umum_baru: S,
        "orangUsulPeremajaanId" orang_usul_peremajaan_id: S, "skAsalProvNomor" sk_asal_prov_nomor: S,
        "skAsalProvTanggal" sk_asal_prov_tanggal: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-pnsunor` record, a unit change (K `…000024_…rw_pnsunor`).
    pub struct RwPnsunor => RW_PNSUNOR_FIELDS {
        "id" id: S, "unorBaru" unor_baru: S, "pnsOrang" pns_orang: S, "skNomor" sk_nomor: S,
        "skTanggal" sk_tanggal: S, "namaUnorBaru" nama_unor_baru: S, "asalId" asal_id: S, "asalNama" asal_nama: S,
        "instansi" instansi: S, "asalNamaLabel" asal_nama_label: S, "path" path: P,
    }
}

siasn_record! {
    /// One `rw-pwk` record, a change of work place (K `…000025_…rw_pwk`).
    pub struct RwPwk => RW_PWK_FIELDS {
        "id" id: S, "instansi" instansi: S, "kpknBaru" kpkn_baru: S, "lokasiKerjaBaru" lokasi_kerja_baru: S,
        "unorBaru" unor_baru: S, "pnsOrang" pns_orang: S, "satuanKerja" satuan_kerja: S, "skNomor" sk_nomor: S,
        "skTanggal" sk_tanggal: S, "tmtPwk" tmt_pwk: S, "asalNama" asal_nama: S, "asalId" asal_id: S,
        "path" path: P,
    }
}

siasn_record! {
    /// One `rw-skp` record, the SKP before 2022 (K `…000026_…rw_skp`, `PnsRwSkpTransformer.php`: the scores
    /// are numbers).
    pub struct RwSkp => RW_SKP_FIELDS {
        "id" id: S, "tahun" tahun: S, "nilaiSkp" nilai_skp: N, "orientasiPelayanan" orientasi_pelayanan: N,
        "integritas" integritas: N, "komitmen" komitmen: N, "disiplin" disiplin: N, "kerjasama" kerjasama: N,
        "nilaiPerilakuKerja" nilai_perilaku_kerja: N, "nilaiPrestasiKerja" nilai_prestasi_kerja: N,
        "kepemimpinan" kepemimpinan: N, "jumlah" jumlah: N, "nilairatarata" nilairatarata: N,
        "atasanPejabatPenilai" atasan_pejabat_penilai: S, "pejabatPenilai" pejabat_penilai: S, "pns" pns: S,
        "atasanNonPns" atasan_non_pns: S, "penilaiNonPns" penilai_non_pns: S, "penilaiNipNrp" penilai_nip_nrp: S,
        "atasanPenilaiNipNrp" atasan_penilai_nip_nrp: S, "penilaiNama" penilai_nama: S,
        "atasanPenilaiNama" atasan_penilai_nama: S, "penilaiUnorNama" penilai_unor_nama: S,
        "atasanPenilaiUnorNama" atasan_penilai_unor_nama: S, "penilaiJabatan" penilai_jabatan: S,
        "atasanPenilaiJabatan" atasan_penilai_jabatan: S, "penilaiGolongan" penilai_golongan: S,
        "atasanPenilaiGolongan" atasan_penilai_golongan: S, "penilaiTmtGolongan" penilai_tmt_golongan: S,
        "atasanPenilaiTmtGolongan" atasan_penilai_tmt_golongan: S, "statusPenilai" status_penilai: S,
        "statusAtasanPenilai" status_atasan_penilai: S, "jenisJabatan" jenis_jabatan: S,
        "jenisPeraturanKinerjaKd" jenis_peraturan_kinerja_kd: S, "inisiatifKerja" inisiatif_kerja: N,
        "konversiNilai" konversi_nilai: N, "nilaiIntegrasi" nilai_integrasi: N,
    }
}

siasn_record! {
    /// One `rw-skp22` record, the SKP since 2022 (K `…000027_…rw_skp22`, capitals as in the source).
    pub struct RwSkp22 => RW_SKP22_FIELDS {
        "id" id: S, "hasilKinerja" hasil_kinerja: S, "hasilKinerjaNilai" hasil_kinerja_nilai: N,
        "kuadranKinerja" kuadran_kinerja: S, "KuadranKinerjaNilai" kuadran_kinerja_nilai: N,
        "namaPenilai" nama_penilai: S, "nipNrpPenilai" nip_nrp_penilai: S, "penilaiGolonganId" penilai_golongan_id: S,
        "penilaiJabatanNm" penilai_jabatan_nm: S, "penilaiUnorNm" penilai_unor_nm: S,
        "perilakuKerja" perilaku_kerja: S, "PerilakuKerjaNilai" perilaku_kerja_nilai: N,
        "pnsDinilaiId" pns_dinilai_id: S, "statusPenilai" status_penilai: S, "tahun" tahun: S, "path" path: P,
    }
}

siasn_record! {
    /// A person of the family resources (`orang`): a spouse in `listPasangan` (R's `CompareDataPasangan.js`,
    /// K `…000031_…pasangan`), a parent in `data-ortu` (K `…000029`/`…000030`). `created_at` is RFC 3339,
    /// absent dates are `"01-01-0001"`, `StatusHidup` is `"1"` alive / `"0"` dead (R `utils/data-utils.js`).
    pub struct Orang => ORANG_FIELDS {
        "id" id: S, "created_at" created_at: S, "ayahId" ayah_id: S, "ibuId" ibu_id: S, "nama" nama: S,
        "namaKtp" nama_ktp: S, "gelarDepan" gelar_depan: S, "gelarBlk" gelar_blk: S, "tempatLahir" tempat_lahir: S,
        "tglLahir" tgl_lahir: S, "aktaMeninggal" akta_meninggal: S, "tglMeninggal" tgl_meninggal: S,
        "jenisKelamin" jenis_kelamin: S, "jenisAnak" jenis_anak: S, "StatusHidup" status_hidup: S,
        "JenisKawinId" jenis_kawin_id: S, "karisKarsu" karis_karsu: S,
    }
}

siasn_record! {
    /// A marriage of `listPasangan` (R's `CompareDataPasangan.js`, K `…000032_…data_pernikahan`): `posisi` is a
    /// number there, `isPns` a boolean, `status` `"1"` married.
    pub struct DataPernikahan => DATA_PERNIKAHAN_FIELDS {
        "id" id: S, "orangId" orang_id: S, "pnsOrangId" pns_orang_id: S, "tgglMenikah" tggl_menikah: S,
        "aktaMenikah" akta_menikah: S, "tgglCerai" tggl_cerai: S, "aktaCerai" akta_cerai: S, "posisi" posisi: N,
        "status" status: S, "isPns" is_pns: B, "noSkPensiun" no_sk_pensiun: S,
    }
}

siasn_record! {
    /// One spouse of `data-pasangan` (R's `CompareDataPasangan.js`; `statusNikah` is a label, `"Menikah"`).
    pub struct Pasangan => PASANGAN_FIELDS {
        "orang" orang: Option<Orang>, "statusNikah" status_nikah: S, "dataPernikahan" data_pernikahan: Option<DataPernikahan>,
    }
}

siasn_record! {
    /// `data-pasangan` (R's `CompareDataPasangan.js`, a whole response; K `…000005_…data_pasangan`).
    pub struct DataPasangan => DATA_PASANGAN_FIELDS {
        "nipBaru" nip_baru: S, "nipLama" nip_lama: S, "idPns" id_pns: S, "listPasangan" list_pasangan: Vec<Pasangan>,
    }
}

siasn_record! {
    /// One child of `data-anak` (K `…000003_…data_anak`; R `CompareAnakByNip.js` reads `nama`, `jenisKelamin`,
    /// `tglLahir`, `ayahId`/`ibuId` (the spouse's `orang.id`) and `jenisAnak`: `"1"` kandung, `"2"` tiri,
    /// `"3"` angkat, R `utils/data-utils.js`).
    pub struct Anak => ANAK_FIELDS {
        "id" id: S, "nama" nama: S, "jenisKelamin" jenis_kelamin: S, "jenisAnak" jenis_anak: S, "ayahId" ayah_id: S,
        "ibuId" ibu_id: S, "tempatLahir" tempat_lahir: S, "kabupatenId" kabupaten_id: S, "tglLahir" tgl_lahir: S,
    }
}

siasn_record! {
    /// `data-anak`: `{listAnak}` (R `controller/siasn-keluarga.controller.js`); `idPns` from K's column
    /// (placed beside the list as `data-pasangan` does).
    pub struct DataAnak => DATA_ANAK_FIELDS {
        "idPns" id_pns: S, "listAnak" list_anak: Vec<Anak>,
    }
}

siasn_record! {
    /// `data-ortu`: `{ayah, ibu}` (R `controller/siasn-keluarga.controller.js` reads `nama`, `tempatLahir`,
    /// `jenisKelamin`, `tglLahir` of each; K `…000004_…data_ortu` keeps `idPns` and the two ids).
    pub struct DataOrtu => DATA_ORTU_FIELDS {
        "idPns" id_pns: S, "ayah" ayah: Option<Orang>, "ibu" ibu: Option<Orang>,
    }
}

siasn_record! {
    /// `nilaiipasn` (R `controller/siasn-pengembangan-kompentensi.controller.js` reads the five scores with
    /// `parseFloat`, so they may be strings; no source documents more).
    pub struct NilaiIpAsn => NILAI_IPASN_FIELDS {
        "kualifikasi" kualifikasi: N, "kompetensi" kompetensi: N, "kinerja" kinerja: N, "disiplin" disiplin: N,
        "subtotal" subtotal: N,
    }
}

/// A nested object or list read normally; absent or malformed → empty.
macro_rules! lenient_nested {
    ($($t:ty),*) => {$(
        impl crate::siasn::lenient::Lenient for Option<$t> {
            fn from_value(v: serde_json::Value) -> Option<Self> {
                Some(if v.is_object() { serde_json::from_value(v).ok() } else { None })
            }
        }
    )*};
}
lenient_nested!(Orang, DataPernikahan);

/// A `data-pasangan` response as R's `CompareDataPasangan.js` shows it (empty texts `""`, no death, `posisi` a
/// number); the tests of this module and of the import read it.
#[cfg(test)]
pub(crate) fn documented_pasangan_response() -> serde_json::Value {
    serde_json::json!({
        "nipBaru": "199103052019031008", "nipLama": null, "idPns": "7E85A2743B04BD8DE050640A3C036B36",
        "listPasangan": [{
            "orang": {"id": "1eec9bef-ae07-487e-a864-9b5410234238", "created_at": "2023-12-10T12:59:14.543143Z",
                "ayahId": "", "ibuId": "", "nama": "LISTYA", "namaKtp": "", "gelarDepan": "", "gelarBlk": "",
                "tempatLahir": "", "tglLahir": "17-01-1992", "aktaMeninggal": "", "tglMeninggal": "01-01-0001",
                "jenisKelamin": "F", "jenisAnak": null, "StatusHidup": "1", "JenisKawinId": "1",
                "karisKarsu": "undefined"},
            "statusNikah": "Menikah",
            "dataPernikahan": {"id": "cd9e0e97-f3b3-479d-b68e-86f5a25aae27", "orangId": "1eec",
                "pnsOrangId": "7E85A2743B04BD8DE050640A3C036B36", "tgglMenikah": "24-03-2022",
                "aktaMenikah": "0066282022", "tgglCerai": "01-01-0001", "aktaCerai": "", "posisi": 1,
                "status": "1", "isPns": false, "noSkPensiun": ""}
        }]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The documented `data-pasangan` response reads into the types.
    #[test]
    fn a_documented_pasangan_response_reads() {
        let json = documented_pasangan_response();
        let p: DataPasangan = serde_json::from_value(json).expect("reads");
        let first = &p.list_pasangan[0];
        assert_eq!(first.orang.as_ref().and_then(|o| o.tgl_lahir.as_deref()), Some("17-01-1992"));
        assert_eq!(first.data_pernikahan.as_ref().and_then(|d| d.is_pns), Some(false));
        assert_eq!(first.data_pernikahan.as_ref().and_then(|d| d.posisi), Some(1.0));
        let back = serde_json::to_value(&p).expect("writes");
        let keys: Vec<&str> =
            back["listPasangan"][0]["orang"].as_object().expect("orang").keys().map(|k| k.as_str()).collect();
        let mut documented = ORANG_FIELDS.to_vec();
        documented.sort_unstable();
        assert_eq!(keys, documented);
    }

    #[test]
    fn odd_values_do_not_fail_a_record() {
        let g: RwGolongan =
            serde_json::from_value(serde_json::json!({"golonganId": 34, "path": [], "jenisKPId": null, "extra": 1}))
                .expect("reads");
        assert_eq!(g.golongan_id.as_deref(), Some("34"));
        assert!(g.path.is_none());
    }

    #[test]
    fn field_lists_have_no_duplicates() {
        for list in [DATA_UTAMA_FIELDS, RW_JABATAN_FIELDS, RW_PINDAHINSTANSI_FIELDS, RW_SKP_FIELDS, ORANG_FIELDS] {
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len());
        }
    }
}

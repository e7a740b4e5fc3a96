//! The form of each category as data: its fields, their inputs and catalogs, labels in Indonesian and English.
//! The UI renders every category's list, detail and add/change form from this one table; a test keeps it in
//! step with the record structs.

use serde::Serialize;

use crate::history::HistoryKind;
use crate::rules::kinds::{DocumentRule, KindRule};

/// How a field is entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum FieldInput {
    Text,
    Date,
    Year,
    Integer,
    Decimal,
    Bool,
    Nip,
    /// A searchable choice from a synced catalog; an unknown code is shown as-is.
    Code {
        catalog: String,
    },
    /// A fixed choice.
    Choice {
        options: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldSpec {
    /// The JSON key in the record.
    pub name: String,
    pub input: FieldInput,
    pub required: bool,
    pub label_id: String,
    pub label_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DocumentSpec {
    pub dokumen_id: String,
    pub nama: String,
    pub mandatory: bool,
    pub allow_jpeg: bool,
}

/// Everything the UI needs to show and edit one category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CategorySpec {
    pub kind: HistoryKind,
    pub jenis_riwayat_id: String,
    pub label_id: String,
    pub label_en: String,
    pub asn_may_propose: bool,
    pub needs_confirmation: bool,
    /// How many change proposals one record may receive, if limited.
    pub max_changes_per_record: Option<u32>,
    pub documents: Vec<DocumentSpec>,
    pub fields: Vec<FieldSpec>,
}

use FieldInput as I;

fn f(name: &str, input: FieldInput, required: bool, label_id: &str, label_en: &str) -> FieldSpec {
    FieldSpec { name: name.into(), input, required, label_id: label_id.into(), label_en: label_en.into() }
}

fn code(catalog: &str) -> FieldInput {
    I::Code { catalog: catalog.into() }
}

fn choice(options: &[&str]) -> FieldInput {
    I::Choice { options: options.iter().map(|o| (*o).to_owned()).collect() }
}

fn sk(prefix: &str) -> [FieldSpec; 2] {
    [
        f(&format!("{prefix}nomor"), I::Text, true, "Nomor SK", "Decree number"),
        f(&format!("{prefix}tanggal"), I::Date, true, "Tanggal SK", "Decree date"),
    ]
}

fn fields(kind: HistoryKind) -> Vec<FieldSpec> {
    use HistoryKind as K;
    let rating = || choice(&["above", "meets", "below"]);
    let gender = || choice(&["M", "F"]);
    match kind {
        K::CpnsPns => vec![
            f("nomor_sk_cpns", I::Text, true, "Nomor SK CPNS", "CPNS decree number"),
            f("tgl_sk_cpns", I::Date, true, "Tanggal SK CPNS", "CPNS decree date"),
            f("tmt_cpns", I::Date, true, "TMT CPNS", "CPNS start date"),
            f("nomor_sk_pns", I::Text, false, "Nomor SK PNS", "PNS decree number"),
            f("tgl_sk_pns", I::Date, false, "Tanggal SK PNS", "PNS decree date"),
            f("tmt_pns", I::Date, false, "TMT PNS", "PNS start date"),
            f("no_spmt", I::Text, false, "Nomor SPMT", "Duty order number"),
        ],
        K::Golongan => {
            let mut v = vec![
                f("golongan_id", code("golongan"), true, "Golongan", "Rank"),
                f("tmt_golongan", I::Date, true, "TMT golongan", "Rank start date"),
            ];
            v.extend(sk("sk_"));
            v.extend([
                f("jenis_kp_id", code("jenis_kp"), false, "Jenis kenaikan pangkat", "Promotion type"),
                f("mk_tahun", I::Integer, false, "Masa kerja (tahun)", "Service (years)"),
                f("mk_bulan", I::Integer, false, "Masa kerja (bulan)", "Service (months)"),
            ]);
            v
        }
        K::Pmk => vec![
            f("tanggal_awal", I::Date, true, "Tanggal awal", "Start date"),
            f("tanggal_selesai", I::Date, true, "Tanggal selesai", "End date"),
            f("nomor_sk", I::Text, true, "Nomor SK", "Decree number"),
            f("tanggal_sk", I::Date, true, "Tanggal SK", "Decree date"),
            f("mk_tahun", I::Integer, true, "Masa kerja (tahun)", "Service (years)"),
            f("mk_bulan", I::Integer, true, "Masa kerja (bulan)", "Service (months)"),
        ],
        K::Pendidikan => vec![
            f("tingkat_pendidikan_id", code("tingkat_pendidikan"), true, "Tingkat pendidikan", "Level"),
            f("pendidikan_nama", I::Text, true, "Jurusan/pendidikan", "Programme"),
            f("nama_sekolah", I::Text, true, "Nama sekolah/kampus", "School"),
            f("tahun_lulus", I::Year, true, "Tahun lulus", "Graduation year"),
            f("nomor_ijazah", I::Text, true, "Nomor ijazah", "Diploma number"),
            f("gelar_depan", I::Text, false, "Gelar depan", "Title before name"),
            f("gelar_belakang", I::Text, false, "Gelar belakang", "Title after name"),
        ],
        K::Jabatan => {
            let mut v = vec![
                f("jenis_jabatan_id", code("jenis_jabatan"), true, "Jenis jabatan", "Position type"),
                f("jabatan_nama", I::Text, true, "Nama jabatan", "Position"),
                f("unor_nama", I::Text, true, "Unit organisasi", "Unit"),
                f("eselon_id", code("eselon"), false, "Eselon", "Echelon"),
                f("tmt_jabatan", I::Date, true, "TMT jabatan", "Start date"),
                f("tmt_selesai", I::Date, false, "Tanggal selesai", "End date"),
            ];
            v.extend(sk("sk_"));
            v
        }
        K::Diklat | K::Kursus => {
            let (code_field, catalog, name_field) = if kind == K::Diklat {
                ("latihan_struktural_id", "latihan_struktural", "nama_diklat")
            } else {
                ("jenis_diklat_id", "jenis_diklat", "nama_kursus")
            };
            vec![
                f(code_field, code(catalog), true, "Jenis", "Type"),
                f(name_field, I::Text, true, "Nama", "Name"),
                f("institusi_penyelenggara", I::Text, true, "Penyelenggara", "Organiser"),
                f("tanggal_mulai", I::Date, true, "Tanggal mulai", "Start date"),
                f("tanggal_selesai", I::Date, true, "Tanggal selesai", "End date"),
                f("jumlah_jam", I::Integer, true, "Jumlah jam", "Hours"),
                f("nomor_sertifikat", I::Text, true, "Nomor sertifikat", "Certificate number"),
            ]
        }
        K::OrangTua => vec![
            f("hubungan", choice(&["ayah", "ibu"]), true, "Hubungan", "Relation"),
            f("nama", I::Text, true, "Nama", "Name"),
            f("tempat_lahir", I::Text, true, "Tempat lahir", "Place of birth"),
            f("tanggal_lahir", I::Date, true, "Tanggal lahir", "Date of birth"),
            f("hidup", I::Bool, true, "Masih hidup", "Living"),
        ],
        K::Pasangan => vec![
            f("nama", I::Text, true, "Nama", "Name"),
            f("tempat_lahir", I::Text, true, "Tempat lahir", "Place of birth"),
            f("tanggal_lahir", I::Date, true, "Tanggal lahir", "Date of birth"),
            f("jenis_kelamin", gender(), true, "Jenis kelamin", "Gender"),
            f("status_kawin_id", code("kawin"), true, "Status perkawinan", "Marital status"),
            f("tanggal_menikah", I::Date, true, "Tanggal menikah", "Marriage date"),
            f("akta_menikah", I::Text, true, "Nomor akta nikah", "Marriage certificate number"),
            f("tanggal_cerai", I::Date, false, "Tanggal cerai", "Divorce date"),
            f("akta_cerai", I::Text, false, "Nomor akta cerai", "Divorce certificate number"),
            f("hidup", I::Bool, true, "Masih hidup", "Living"),
        ],
        K::Anak => vec![
            f("nama", I::Text, true, "Nama", "Name"),
            f("tempat_lahir", I::Text, true, "Tempat lahir", "Place of birth"),
            f("tanggal_lahir", I::Date, true, "Tanggal lahir", "Date of birth"),
            f("jenis_kelamin", gender(), true, "Jenis kelamin", "Gender"),
            f("nomor_akta_kelahiran", I::Text, true, "Nomor akta kelahiran", "Birth certificate number"),
            f("status_anak", choice(&["kandung", "tiri", "angkat"]), true, "Status anak", "Child status"),
            f("hidup", I::Bool, true, "Masih hidup", "Living"),
        ],
        K::Penghargaan => {
            let mut v = vec![
                f("penghargaan_id", code("penghargaan"), true, "Jenis penghargaan", "Award"),
                f("tahun", I::Year, true, "Tahun", "Year"),
            ];
            v.extend(sk("sk_"));
            v
        }
        K::HukumanDisiplin => {
            let mut v = vec![f("jenis_hukuman_id", code("jenis_hukuman"), true, "Jenis hukuman", "Penalty")];
            v.extend(sk("sk_"));
            v.extend([
                f("tanggal_mulai", I::Date, true, "Tanggal mulai", "Start date"),
                f("tanggal_akhir", I::Date, false, "Tanggal akhir", "End date"),
                f("alasan_id", code("alasan_hukdis"), false, "Alasan", "Reason"),
            ]);
            v
        }
        K::PindahInstansi => {
            let mut v = vec![
                f("instansi_lama_id", code("instansi"), true, "Instansi lama", "Previous agency"),
                f("instansi_baru_id", code("instansi"), true, "Instansi baru", "New agency"),
                f("unor_baru_nama", I::Text, true, "Unit baru", "New unit"),
                f("tmt_pindah", I::Date, true, "TMT pindah", "Transfer date"),
            ];
            v.extend(sk("sk_"));
            v
        }
        K::Cltn => {
            let mut v = vec![f("jenis_cltn_id", code("cltn"), true, "Jenis CLTN", "Leave type")];
            v.extend(sk("sk_"));
            v.extend([
                f("tanggal_awal", I::Date, true, "Tanggal awal", "Start date"),
                f("tanggal_akhir", I::Date, true, "Tanggal akhir", "End date"),
                f("tanggal_aktif", I::Date, false, "Tanggal aktif kembali", "Return date"),
            ]);
            v
        }
        K::AngkaKredit => vec![
            f("nomor_sk", I::Text, true, "Nomor SK", "Decree number"),
            f("tanggal_sk", I::Date, true, "Tanggal SK", "Decree date"),
            f("periode_mulai", I::Date, true, "Periode mulai", "Period start"),
            f("periode_selesai", I::Date, true, "Periode selesai", "Period end"),
            f("kredit_utama", I::Decimal, true, "Unsur utama", "Main credit"),
            f("kredit_penunjang", I::Decimal, true, "Unsur penunjang", "Supporting credit"),
            f("kredit_total", I::Decimal, true, "Total", "Total"),
        ],
        K::Skp => vec![
            f("tahun", I::Year, true, "Tahun", "Year"),
            f("hasil_kerja", rating(), true, "Hasil kerja", "Work results"),
            f("perilaku_kerja", rating(), true, "Perilaku kerja", "Work behaviour"),
            f(
                "predikat",
                choice(&["sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"]),
                true,
                "Predikat",
                "Rating",
            ),
            f("penilai_nip", I::Nip, true, "NIP penilai", "Appraiser's NIP"),
            f("penilai_nama", I::Text, true, "Nama penilai", "Appraiser"),
            f("penilai_jabatan", I::Text, true, "Jabatan penilai", "Appraiser's position"),
            f("penilai_unor", I::Text, true, "Unit penilai", "Appraiser's unit"),
        ],
        K::SkpLama => vec![
            f("tahun", I::Year, true, "Tahun", "Year"),
            f("nilai_skp", I::Decimal, true, "Nilai SKP", "SKP score"),
            f("nilai_perilaku", I::Decimal, true, "Nilai perilaku", "Behaviour score"),
            f("nilai_prestasi", I::Decimal, true, "Nilai prestasi", "Achievement score"),
            f("penilai_nama", I::Text, true, "Nama penilai", "Appraiser"),
        ],
        K::Organisasi => vec![
            f("nama_organisasi", I::Text, true, "Nama organisasi", "Organisation"),
            f("jabatan_organisasi", I::Text, true, "Jabatan", "Role"),
            f("tanggal_mulai", I::Date, true, "Tanggal mulai", "Start date"),
            f("tanggal_selesai", I::Date, false, "Tanggal selesai", "End date"),
        ],
    }
}

fn document_spec(d: &DocumentRule) -> DocumentSpec {
    DocumentSpec {
        dokumen_id: d.dokumen_id.into(),
        nama: d.nama.into(),
        mandatory: d.mandatory,
        allow_jpeg: d.allow_jpeg,
    }
}

fn category_spec(rule: &KindRule) -> CategorySpec {
    CategorySpec {
        kind: rule.kind,
        jenis_riwayat_id: rule.jenis_riwayat_id.into(),
        label_id: rule.label_id.into(),
        label_en: rule.label_en.into(),
        asn_may_propose: rule.asn_may_propose,
        needs_confirmation: rule.needs_confirmation,
        max_changes_per_record: rule.max_changes_per_record,
        documents: rule.documents.iter().map(document_spec).collect(),
        fields: fields(rule.kind),
    }
}

/// The forms of every category, in checklist order.
pub fn category_specs() -> Vec<CategorySpec> {
    crate::rules::kinds::KIND_RULES.iter().map(category_spec).collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::history::samples::sample;

    #[test]
    fn forms_match_the_record_structs() {
        let born = chrono::NaiveDate::from_ymd_opt(1985, 3, 10).expect("date");
        for spec in category_specs() {
            let json = serde_json::to_value(sample(spec.kind, born, 0)).expect("serialise");
            let keys: BTreeSet<String> =
                json.as_object().expect("object").keys().filter(|k| *k != "kind").cloned().collect();
            let names: BTreeSet<String> = spec.fields.iter().map(|f| f.name.clone()).collect();
            assert_eq!(keys, names, "{:?}", spec.kind);
        }
    }
}

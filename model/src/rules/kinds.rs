//! Every PDM category's rules as one table: SIASN id, labels, who may propose, the documents it needs,
//! whether the ASN must confirm it, and how often one record may be changed.
//!
//! Document ids are those of `dokumen.json` where SIASN lists one; where it lists none (golongan, PMK,
//! pendidikan, family, pindah instansi, CLTN, organisasi) this project names the document with an `x-` id.

use serde::Serialize;

use crate::history::HistoryKind;

/// One kind of supporting document a category takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DocumentRule {
    /// `dokumen.json` id, or a project id starting with `x-`.
    pub dokumen_id: &'static str,
    pub nama: &'static str,
    /// A proposal adding or changing a record must carry one.
    pub mandatory: bool,
    /// A scan as JPEG is accepted besides PDF.
    pub allow_jpeg: bool,
}

/// The rules of one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct KindRule {
    pub kind: HistoryKind,
    /// The wire name (`snake_case`).
    pub name: &'static str,
    /// SIASN `jenisRiwayat` id (`""` where SIASN has none).
    pub jenis_riwayat_id: &'static str,
    pub label_id: &'static str,
    pub label_en: &'static str,
    /// The ASN may propose additions, changes and deletions (not for hukuman disiplin or the old SKP form).
    pub asn_may_propose: bool,
    /// Complete only after the ASN confirms it ("data sudah sesuai").
    pub needs_confirmation: bool,
    /// Every ASN has at least one such record; an empty category needs attention.
    pub expected: bool,
    /// How many change proposals one record may receive (the PDM one-time golongan edit), if limited.
    pub max_changes_per_record: Option<u32>,
    pub documents: &'static [DocumentRule],
}

const fn doc(dokumen_id: &'static str, nama: &'static str, mandatory: bool) -> DocumentRule {
    DocumentRule { dokumen_id, nama, mandatory, allow_jpeg: false }
}

const fn scan(dokumen_id: &'static str, nama: &'static str, mandatory: bool) -> DocumentRule {
    DocumentRule { dokumen_id, nama, mandatory, allow_jpeg: true }
}

const fn kind(
    kind: HistoryKind,
    name: &'static str,
    jenis_riwayat_id: &'static str,
    label_id: &'static str,
    label_en: &'static str,
    documents: &'static [DocumentRule],
) -> KindRule {
    KindRule {
        kind,
        name,
        jenis_riwayat_id,
        label_id,
        label_en,
        asn_may_propose: true,
        needs_confirmation: false,
        expected: false,
        max_changes_per_record: None,
        documents,
    }
}

const fn expected(mut k: KindRule) -> KindRule {
    k.expected = true;
    k
}

const fn confirmed(mut k: KindRule) -> KindRule {
    k.needs_confirmation = true;
    k
}

const fn read_only(mut k: KindRule) -> KindRule {
    k.asn_may_propose = false;
    k
}

const fn changed_once(mut k: KindRule) -> KindRule {
    k.max_changes_per_record = Some(1);
    k
}

use HistoryKind as K;

/// The table, in [`HistoryKind::ALL`] order.
pub const KIND_RULES: [KindRule; 18] = [
    expected(kind(
        K::CpnsPns,
        "cpns_pns",
        "4",
        "CPNS/PNS",
        "CPNS/PNS appointment",
        &[doc("889", "SK CPNS", true), doc("887", "SK PNS", false), doc("888", "SPMT", false)],
    )),
    // During PDM the golongan history could be edited only once (domain reference §3).
    expected(changed_once(kind(
        K::Golongan,
        "golongan",
        "5",
        "Golongan/Pangkat",
        "Rank (golongan)",
        &[doc("x-sk-kp", "SK Kenaikan Pangkat", true)],
    ))),
    kind(K::Pmk, "pmk", "6", "Peninjauan Masa Kerja", "Service period review", &[doc("x-sk-pmk", "SK PMK", true)]),
    expected(kind(
        K::Pendidikan,
        "pendidikan",
        "7",
        "Pendidikan",
        "Education",
        &[scan("x-ijazah", "Ijazah", true), scan("x-transkrip", "Transkrip Nilai", false)],
    )),
    expected(kind(
        K::Jabatan,
        "jabatan",
        "8",
        "Jabatan",
        "Positions",
        &[doc("872", "SK Jabatan", true), doc("873", "Surat Pelantikan", false)],
    )),
    kind(
        K::Diklat,
        "diklat",
        "9",
        "Diklat Struktural",
        "Leadership training",
        &[doc("874", "Sertifikat Diklat", true)],
    ),
    kind(
        K::Kursus,
        "kursus",
        "13",
        "Kursus/Pelatihan",
        "Courses and training",
        &[doc("881", "Sertifikat Kursus", true)],
    ),
    confirmed(expected(kind(
        K::OrangTua,
        "orang_tua",
        "10",
        "Orang Tua",
        "Parents",
        &[scan("x-kk", "Kartu Keluarga", false)],
    ))),
    confirmed(kind(
        K::Pasangan,
        "pasangan",
        "11",
        "Suami/Istri",
        "Spouse",
        &[scan("x-akta-nikah", "Akta/Buku Nikah", true), scan("x-akta-cerai", "Akta Cerai", false)],
    )),
    confirmed(kind(K::Anak, "anak", "12", "Anak", "Children", &[scan("x-akta-lahir", "Akta Kelahiran", true)])),
    kind(K::Penghargaan, "penghargaan", "14", "Penghargaan", "Awards", &[doc("892", "Sertifikat Penghargaan", true)]),
    read_only(kind(
        K::HukumanDisiplin,
        "hukuman_disiplin",
        "16",
        "Hukuman Disiplin",
        "Disciplinary penalties",
        &[doc("882", "SK Hukuman Disiplin", true)],
    )),
    kind(
        K::PindahInstansi,
        "pindah_instansi",
        "18",
        "Pindah Instansi",
        "Transfers between agencies",
        &[doc("x-sk-pindah", "SK Pindah Instansi", true)],
    ),
    kind(K::Cltn, "cltn", "19", "CLTN", "Unpaid leave (CLTN)", &[doc("x-sk-cltn", "SK CLTN", true)]),
    kind(
        K::AngkaKredit,
        "angka_kredit",
        "23",
        "Angka Kredit",
        "Credit points",
        &[doc("879", "Dok PAK", true), doc("880", "SK PAK", true)],
    ),
    kind(K::Skp, "skp", "25", "SKP", "Performance (SKP)", &[doc("891", "Dok Realisasi SKP", true)]),
    read_only(kind(
        K::SkpLama,
        "skp_lama",
        "25",
        "SKP (format lama)",
        "Performance (old form)",
        &[doc("890", "Dokumen Evaluasi Kinerja", true)],
    )),
    kind(
        K::Organisasi,
        "organisasi",
        "",
        "Organisasi",
        "Organisations",
        &[scan("x-organisasi", "Surat Keterangan Organisasi", false)],
    ),
];

/// The rule of `kind`.
pub fn kind_rule(kind: HistoryKind) -> &'static KindRule {
    // KIND_RULES is in HistoryKind::ALL order (tested below), so the index is the discriminant.
    &KIND_RULES[kind as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_in_kind_order() {
        for (i, k) in HistoryKind::ALL.into_iter().enumerate() {
            assert_eq!(KIND_RULES[i].kind, k);
            assert_eq!(HistoryKind::parse(KIND_RULES[i].name), Some(k));
            assert_eq!(serde_json::to_value(k).ok(), Some(serde_json::json!(KIND_RULES[i].name)));
        }
    }
}

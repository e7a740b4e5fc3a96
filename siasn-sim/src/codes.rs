//! The few SIASN code tables the simulator names codes with, copied from SIASN's reference export
//! (`black-coffee04/ws-siasn-php` `src/Data/Referensi/*.json.gz`, the project's `shared/domain/reference/`):
//! ids and names exactly as there.

fn find(table: &'static [(&'static str, &'static str)], id: &str) -> Option<&'static str> {
    table.iter().find(|(i, _)| *i == id).map(|(_, n)| *n)
}

/// `golonganPns.json`: id, golongan, pangkat.
pub(crate) const GOLONGAN: &[(&str, &str, &str)] = &[
    ("21", "II/a", "Pengatur Muda"),
    ("22", "II/b", "Pengatur Muda Tingkat I"),
    ("23", "II/c", "Pengatur"),
    ("24", "II/d", "Pengatur Tingkat I"),
    ("31", "III/a", "Penata Muda"),
    ("32", "III/b", "Penata Muda Tingkat I"),
    ("33", "III/c", "Penata"),
    ("34", "III/d", "Penata Tingkat I"),
    ("41", "IV/a", "Pembina"),
    ("42", "IV/b", "Pembina Tingkat I"),
];

/// `agama.json`.
const AGAMA: &[(&str, &str)] =
    &[("1", "Islam"), ("2", "Kristen"), ("3", "Katholik"), ("4", "Hindu"), ("5", "Budha"), ("6", "Konghucu")];

/// `kawin.json`.
const KAWIN: &[(&str, &str)] = &[("1", "Menikah"), ("2", "Cerai"), ("3", "Janda / Duda"), ("4", "Belum Kawin")];

/// `perilakuDanKinerja.json`.
const RATING: &[(&str, &str)] = &[("1", "DIATAS ESPEKTASI"), ("2", "SESUAI ESPEKTASI"), ("3", "DIBAWAH ESPEKTASI")];

/// `kuadranNilai.json`.
const KUADRAN: &[(&str, &str)] =
    &[("1", "SANGAT BAIK"), ("2", "BAIK"), ("3", "BUTUH PERBAIKAN"), ("4", "KURANG"), ("5", "SANGAT KURANG")];

/// `latihanStruktural.json`.
const LATIHAN_STRUKTURAL: &[(&str, &str)] = &[
    ("1", "SEPADA"),
    ("2", "SEPALA/ADUM/DIKLAT PIM TK.IV"),
    ("3", "SEPADYA/SPAMA/DIKLAT PIM TK. III"),
    ("4", "SPAMEN/SESPA/SESPANAS/DIKLAT PIM TK. II"),
    ("5", "SEPATI/DIKLAT PIM TK. I"),
    ("6", "SESPIM"),
    ("7", "SESPATI"),
    ("8", "Diklat Struktural Lainnya"),
];

/// `penghargaan.json` (the Satyalancana Karya Satya rows).
const PENGHARGAAN: &[(&str, &str)] =
    &[("201", "KARYA SATYA 10 TAHUN"), ("202", "KARYA SATYA  20 TAHUN"), ("203", "KARYA SATYA  30 TAHUN")];

/// `jenisJabatan.json`.
pub(crate) const JENIS_JABATAN: &[(&str, &str)] =
    &[("1", "Jabatan Struktural"), ("2", "Jabatan Fungsional Tertentu"), ("4", "Jabatan Fungsional Umum")];

/// `jabatanFungsional.json`: a few positions (id, name).
pub(crate) const FUNGSIONAL: &[(&str, &str)] = &[
    ("A5EB03E23EB1F6A0E040640A040252AD", "Pranata Komputer Ahli Pertama"),
    ("A5EB03E23E7FF6A0E040640A040252AD", "Perencana Ahli Muda"),
    ("A5EB03E23FF7F6A0E040640A040252AD", "Arsiparis Ahli Pertama"),
    ("A5EB03E23F12F6A0E040640A040252AD", "Auditor Ahli Pertama"),
];

/// `jabatanPelaksana.json.gz`: a few positions (id, name).
pub(crate) const PELAKSANA: &[(&str, &str)] = &[
    ("8ae482884fde72e4014fdf1f1abe3f3c", "PENGADMINISTRASI PERKANTORAN"),
    ("8ae483c5860701ba0186150bb3076a1d", "PENATA LAYANAN OPERASIONAL"),
    ("482AE39CE9A94E20E050640A2A02304F", "PENGELOLA LAYANAN OPERASIONAL"),
];

/// `pendidikan.json.gz`: a few programmes (id, tingkat id, name).
pub(crate) const PENDIDIKAN: &[(&str, &str, &str)] = &[
    ("8ae4828752202e5801522fa681350be2", "40", "S-1 ILMU ADMINISTRASI NEGARA"),
    ("A5EB03E20C1AF6A0E040640A040252AD", "40", "S-1 MANAJEMEN"),
    ("763144004CA7D56BE050640A2903438B", "40", "S-1 TEKNIK INFORMATIKA"),
    ("ff808081523eb3030152430e077e03d6", "40", "S-1 HUKUM"),
    ("ff80808151607ea001516581b2aa5a8b", "30", "D-III AKUNTANSI"),
    ("8ae482875252a828015253c7d4591749", "45", "S-2 ILMU ADMINISTRASI"),
];

/// Names of the education levels the programmes above use (SIASN's `tkPendidikan` names).
pub(crate) fn tingkat_pendidikan(id: &str) -> Option<&'static str> {
    find(&[("30", "Diploma III"), ("40", "S-1/Sarjana"), ("45", "S-2")], id)
}

pub(crate) fn agama(id: &str) -> Option<&'static str> {
    find(AGAMA, id)
}

pub(crate) fn kawin(id: &str) -> Option<&'static str> {
    find(KAWIN, id)
}

pub(crate) fn rating(n: i32) -> Option<&'static str> {
    find(RATING, &n.to_string())
}

pub(crate) fn kuadran(n: i32) -> Option<&'static str> {
    find(KUADRAN, &n.to_string())
}

pub(crate) fn latihan_struktural(id: &str) -> Option<&'static str> {
    find(LATIHAN_STRUKTURAL, id)
}

pub(crate) fn penghargaan(id: &str) -> Option<&'static str> {
    find(PENGHARGAAN, id)
}

pub(crate) fn jenis_jabatan(id: &str) -> Option<&'static str> {
    find(JENIS_JABATAN, id)
}

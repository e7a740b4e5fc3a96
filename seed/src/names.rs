//! Small Indonesian vocabularies the generator draws from: given names, second names, birth places with their
//! NIK region codes, schools, study programmes with their degrees, work units, positions and courses.

pub(crate) const MALE: &[&str] = &[
    "Budi",
    "Agus",
    "Hendra",
    "Rudi",
    "Joko",
    "Bambang",
    "Andi",
    "Dedi",
    "Eko",
    "Fajar",
    "Gilang",
    "Hadi",
    "Irfan",
    "Joni",
    "Kurniawan",
    "Lukman",
    "Muhammad",
    "Nanang",
    "Oki",
    "Putra",
    "Rizky",
    "Slamet",
    "Taufik",
    "Umar",
    "Wahyu",
    "Yusuf",
    "Zainal",
    "Arif",
    "Bayu",
    "Dimas",
    "Ahmad",
    "Hasan",
    "Ilham",
    "Rahmat",
    "Sigit",
    "Teguh",
    "Yoga",
    "Aditya",
    "Dani",
    "Fikri",
];

pub(crate) const FEMALE: &[&str] = &[
    "Siti", "Dewi", "Sri", "Rina", "Ani", "Ayu", "Desi", "Endah", "Fitri", "Indah", "Kartika", "Lina", "Maya", "Nur",
    "Putri", "Ratna", "Sari", "Tuti", "Wati", "Yuni", "Dian", "Eka", "Lestari", "Mega", "Novi", "Rahma", "Intan",
    "Nadia", "Anisa", "Wulan", "Citra", "Diah", "Evi", "Hana", "Ika", "Laras", "Mira", "Nia", "Ratih", "Vina",
];

pub(crate) const SECOND_MALE: &[&str] = &[
    "Santoso",
    "Prasetyo",
    "Wijaya",
    "Hartono",
    "Setiawan",
    "Gunawan",
    "Kurniawan",
    "Hidayat",
    "Saputra",
    "Pratama",
    "Siregar",
    "Nasution",
    "Simanjuntak",
    "Lubis",
    "Harahap",
    "Susanto",
    "Purnomo",
    "Wibowo",
    "Sutrisno",
    "Nugroho",
    "Firmansyah",
    "Ramadhan",
    "Permana",
    "Maulana",
    "Syahputra",
    "Hasibuan",
    "Tanjung",
    "Manurung",
    "Sembiring",
    "Hakim",
];

pub(crate) const SECOND_FEMALE: &[&str] = &[
    "Lestari",
    "Rahmawati",
    "Wulandari",
    "Puspitasari",
    "Anggraini",
    "Handayani",
    "Safitri",
    "Kusumawati",
    "Pratiwi",
    "Maharani",
    "Fitriani",
    "Sari",
    "Utami",
    "Yuliani",
    "Susanti",
    "Ningsih",
    "Permatasari",
    "Hasanah",
    "Nurhayati",
    "Purwanti",
    "Siregar",
    "Nasution",
    "Lubis",
    "Rahayu",
    "Wijayanti",
    "Setyaningsih",
    "Astuti",
    "Oktaviani",
    "Damayanti",
    "Kurniasih",
];

/// Birth places with a NIK region code (province, regency, district) of that place.
pub(crate) const PLACES: &[(&str, &str)] = &[
    ("Jakarta", "317101"),
    ("Bandung", "327301"),
    ("Surabaya", "357801"),
    ("Medan", "127101"),
    ("Yogyakarta", "347101"),
    ("Semarang", "337401"),
    ("Makassar", "737101"),
    ("Palembang", "167101"),
    ("Bogor", "320101"),
    ("Malang", "357301"),
    ("Padang", "137101"),
    ("Denpasar", "517101"),
    ("Pekanbaru", "147101"),
    ("Banjarmasin", "637101"),
    ("Pontianak", "617101"),
    ("Manado", "717101"),
    ("Kupang", "537101"),
    ("Jayapura", "947101"),
    ("Solo", "337201"),
    ("Cirebon", "327401"),
    ("Bekasi", "327501"),
    ("Tangerang", "367101"),
    ("Bandar Lampung", "187101"),
    ("Mataram", "527101"),
    ("Ambon", "817101"),
];

pub(crate) const STREETS: &[&str] = &[
    "Jl. Merdeka",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Gajah Mada",
    "Jl. Ahmad Yani",
    "Jl. Pahlawan",
    "Jl. Veteran",
    "Jl. Kartini",
    "Jl. Pemuda",
    "Jl. Imam Bonjol",
    "Jl. Cendrawasih",
    "Jl. Melati",
    "Jl. Mawar",
    "Jl. Kenanga",
    "Jl. Flamboyan",
];

pub(crate) const UNIVERSITIES: &[&str] = &[
    "Universitas Indonesia",
    "Universitas Gadjah Mada",
    "Institut Teknologi Bandung",
    "Universitas Padjadjaran",
    "Universitas Airlangga",
    "Universitas Diponegoro",
    "Universitas Brawijaya",
    "Universitas Hasanuddin",
    "Universitas Sumatera Utara",
    "Universitas Andalas",
    "Universitas Sebelas Maret",
    "Universitas Negeri Jakarta",
    "Universitas Negeri Yogyakarta",
    "Universitas Sriwijaya",
    "Universitas Udayana",
    "Universitas Lampung",
    "Universitas Terbuka",
    "Institut Pemerintahan Dalam Negeri",
    "Politeknik Negeri Jakarta",
    "Politeknik Keuangan Negara STAN",
];

/// A study programme: (level id of `tingkat_pendidikan`, programme name, degree).
pub(crate) type Programme = (&'static str, &'static str, &'static str);

pub(crate) const SLTA: &[Programme] = &[
    ("15", "SMA IPA", ""),
    ("15", "SMA IPS", ""),
    ("17", "SMK Akuntansi", ""),
    ("17", "SMK Administrasi Perkantoran", ""),
];

pub(crate) const D3: &[Programme] = &[
    ("30", "D-III Akuntansi", "A.Md.Ak."),
    ("30", "D-III Keperawatan", "A.Md.Kep."),
    ("30", "D-III Kebidanan", "A.Md.Keb."),
    ("30", "D-III Manajemen Informatika", "A.Md.Kom."),
    ("30", "D-III Administrasi Perkantoran", "A.Md."),
];

pub(crate) const S1: &[Programme] = &[
    ("40", "S-1 Akuntansi", "S.Ak."),
    ("40", "S-1 Manajemen", "S.E."),
    ("40", "S-1 Ilmu Hukum", "S.H."),
    ("40", "S-1 Ilmu Administrasi Negara", "S.AP."),
    ("40", "S-1 Teknik Informatika", "S.Kom."),
    ("40", "S-1 Teknik Sipil", "S.T."),
    ("40", "S-1 Pendidikan Guru Sekolah Dasar", "S.Pd."),
    ("40", "S-1 Kesehatan Masyarakat", "S.K.M."),
    ("40", "S-1 Ekonomi Pembangunan", "S.E."),
    ("40", "S-1 Statistika", "S.Stat."),
    ("40", "S-1 Agroteknologi", "S.P."),
    ("40", "S-1 Ilmu Pemerintahan", "S.IP."),
];

pub(crate) const S2: &[Programme] = &[
    ("45", "S-2 Magister Administrasi Publik", "M.AP."),
    ("45", "S-2 Magister Manajemen", "M.M."),
    ("45", "S-2 Magister Hukum", "M.H."),
    ("45", "S-2 Magister Pendidikan", "M.Pd."),
    ("45", "S-2 Magister Akuntansi", "M.Ak."),
    ("45", "S-2 Magister Ilmu Komputer", "M.Kom."),
];

pub(crate) const S3: &[Programme] =
    &[("50", "S-3 Ilmu Administrasi", "Dr."), ("50", "S-3 Ilmu Ekonomi", "Dr."), ("50", "S-3 Ilmu Hukum", "Dr.")];

/// Work units (unit organisasi) found in most agencies.
pub(crate) const UNITS: &[&str] = &[
    "Sekretariat",
    "Bagian Umum",
    "Bagian Kepegawaian",
    "Bagian Keuangan",
    "Bagian Perencanaan",
    "Bagian Hukum",
    "Bidang Pelayanan",
    "Bidang Pengembangan Sumber Daya Manusia",
    "Bidang Data dan Informasi",
    "Inspektorat",
    "Pusat Data dan Sistem Informasi",
    "Bidang Anggaran",
    "Bidang Perbendaharaan",
    "Bidang Program dan Evaluasi",
];

/// Subjects of a head-of-unit position ("Kepala Subbagian Umum", "Kepala Bagian Keuangan").
pub(crate) const SUBJECTS: &[&str] =
    &["Umum", "Kepegawaian", "Keuangan", "Perencanaan", "Program", "Evaluasi", "Tata Usaha", "Hukum", "Pelayanan"];

/// Administrative staff positions (jabatan pelaksana).
pub(crate) const PELAKSANA: &[&str] = &[
    "Pengadministrasi Umum",
    "Pengelola Keuangan",
    "Penata Laporan Keuangan",
    "Pengolah Data",
    "Pengadministrasi Kepegawaian",
    "Pengelola Barang Milik Negara",
    "Analis Perencanaan",
    "Pengelola Sistem dan Jaringan",
    "Pranata Kearsipan",
    "Bendahara",
];

/// Courses (kursus): name, `jenis_diklat` id, hours.
pub(crate) const COURSES: &[(&str, &str, i32)] = &[
    ("Bimbingan Teknis Penyusunan SKP", "8", 16),
    ("Pelatihan Pengadaan Barang/Jasa Pemerintah", "3", 40),
    ("Workshop Keamanan Informasi", "4", 16),
    ("Seminar Reformasi Birokrasi", "9", 8),
    ("E-Learning Manajemen ASN", "16", 20),
    ("Pelatihan Public Speaking", "3", 24),
    ("Pelatihan Pengelolaan Keuangan Daerah", "3", 40),
    ("Bimbingan Teknis Aplikasi SIASN", "8", 24),
    ("Pelatihan Penulisan Naskah Dinas", "3", 24),
    ("Sosialisasi Kode Etik ASN", "7", 8),
    ("Pelatihan Analisis Kebijakan", "2", 60),
    ("Workshop Manajemen Risiko", "4", 16),
];

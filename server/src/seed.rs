//! Demo data and reference catalogs.
//!
//! Agencies (from `reference/instansi.json`): **A** = Kementerian Dalam Negeri (a ministry,
//! `A5EB03E23BF3F6A0E040640A040252AD`), **B** = Pemerintah Provinsi Jawa Barat (a provincial government,
//! `A5EB03E23B74F6A0E040640A040252AD`). Every demo account has the password `demo1234`.
//!
//! Catalogs imported: `golongan` (golonganPns.json), `jenis_jabatan` (jenisJabatan.json), `eselon` (eselon.json,
//! without the empty `00` row) and `tingkat_pendidikan` (the distinct `tingkatPendidikanId` of
//! pendidikan.json.gz, named by the SIASN level names below).

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use mysapk_model::catalog::{Catalog, CatalogEntry};
use mysapk_model::record::{HistoryData, HistoryRecord, OwnerFields, Profile};
use mysapk_model::usulan::Role;
use mysapk_model::Nip;
use serde::Deserialize;
use serde_json::json;
use sqlx::AnyConnection;

use crate::db::{self, accounts, records};
use crate::error::ServerError;
use crate::workflow::{self, ENTITY_CATALOG, ENTITY_HISTORY, ENTITY_PROFILE};

pub const DEMO_PASSWORD: &str = "demo1234";
pub const INSTANSI_A: &str = "A5EB03E23BF3F6A0E040640A040252AD";
pub const INSTANSI_B: &str = "A5EB03E23B74F6A0E040640A040252AD";

/// What [`seed_demo`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    /// False when the demo data already existed (nothing was written).
    pub created: bool,
    pub accounts: usize,
    pub histories: usize,
    pub catalogs: usize,
}

/// Seed the demo data (runs the migrations first). Idempotent: does nothing when the demo data exists.
pub async fn seed_demo(database_url: &str, reference_dir: &Path) -> Result<SeedReport, ServerError> {
    seed_demo_with_progress(database_url, reference_dir, ProgressBar::hidden()).await
}

/// [`seed_demo`] reporting progress on `bar`.
pub async fn seed_demo_with_progress(
    database_url: &str,
    reference_dir: &Path,
    bar: ProgressBar,
) -> Result<SeedReport, ServerError> {
    let pool = db::connect(database_url).await?;
    let result = seed_pool(&pool, reference_dir, &bar).await;
    bar.finish_and_clear();
    pool.close().await;
    result
}

async fn seed_pool(pool: &sqlx::AnyPool, reference_dir: &Path, bar: &ProgressBar) -> Result<SeedReport, ServerError> {
    {
        let mut conn = pool.acquire().await?;
        if accounts::find_user(&mut conn, PEOPLE[0].nip).await?.is_some() {
            return Ok(SeedReport::default());
        }
    }
    let reference = Reference::load(reference_dir)?;
    bar.set_length((reference.catalogs.len() + PEOPLE.len()) as u64);
    let hash = demo_password_hash().await?;
    let mut tx = db::begin_write(pool).await?;
    let mut report = SeedReport { created: true, ..SeedReport::default() };
    for c in &reference.catalogs {
        bar.set_message(format!("catalog {}", c.name));
        records::put_catalog(&mut tx, c).await?;
        db::log_change(&mut tx, None, ENTITY_CATALOG, &c.name).await?;
        report.catalogs += 1;
        bar.inc(1);
    }
    for (id, nama) in &reference.instansi {
        accounts::upsert_instansi(&mut tx, id, nama).await?;
    }
    for p in PEOPLE {
        bar.set_message(format!("account {}", p.nip));
        report.histories += seed_person(&mut tx, p, &reference, &hash).await?;
        report.accounts += 1;
        bar.inc(1);
    }
    tx.commit().await?;
    Ok(report)
}

/// Re-import the catalogs from the reference tables (an admin's refresh after SIASN changes a table).
/// Only catalogs whose entries changed are written and logged; returns how many changed.
pub async fn import_catalogs(database_url: &str, reference_dir: &Path) -> Result<usize, ServerError> {
    let reference = Reference::load(reference_dir)?;
    let pool = db::connect(database_url).await?;
    let result = async {
        let mut tx = db::begin_write(&pool).await?;
        let mut changed = 0;
        for c in &reference.catalogs {
            if records::get_catalog(&mut tx, &c.name).await?.as_ref() != Some(c) {
                records::put_catalog(&mut tx, c).await?;
                db::log_change(&mut tx, None, ENTITY_CATALOG, &c.name).await?;
                db::audit(
                    &mut tx,
                    db::Audit {
                        actor: "admin",
                        action: "catalog.import",
                        entity: ENTITY_CATALOG,
                        entity_id: &c.name,
                        details: json!({"entries": c.entries.len()}),
                        ..db::Audit::default()
                    },
                )
                .await?;
                changed += 1;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }
    .await;
    pool.close().await;
    result
}

/// The demo password's hash, computed once per process: every demo account shares the same public password,
/// so sharing one salted hash reveals nothing and keeps seeding fast in debug builds.
async fn demo_password_hash() -> Result<String, ServerError> {
    static HASH: OnceLock<String> = OnceLock::new();
    if let Some(h) = HASH.get() {
        return Ok(h.clone());
    }
    let h = tokio::task::spawn_blocking(|| crate::auth::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| ServerError::internal(format!("hash task: {e}")))??;
    Ok(HASH.get_or_init(|| h).clone())
}

/// The SIASN reference tables the seed uses.
struct Reference {
    catalogs: Vec<Catalog>,
    instansi: Vec<(String, String)>,
    /// pendidikan id → (tingkat id, nama)
    pendidikan: HashMap<String, (String, String)>,
    fungsional: BTreeSet<String>,
}

#[derive(Deserialize)]
struct IdNama {
    id: String,
    nama: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Golongan {
    id: String,
    nama: String,
    nama_pangkat: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Eselon {
    id: String,
    nama: Option<String>,
    jabatan_asn: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pendidikan {
    id: String,
    tingkat_pendidikan_id: String,
    nama: String,
}

/// SIASN names of the education levels (`tkPendidikanId`).
const TINGKAT_NAMES: &[(&str, &str)] = &[
    ("05", "Sekolah Dasar"),
    ("10", "SLTP"),
    ("12", "SLTP Kejuruan"),
    ("15", "SLTA"),
    ("17", "SLTA Kejuruan"),
    ("18", "SLTA Keguruan"),
    ("20", "Diploma I"),
    ("25", "Diploma II"),
    ("30", "Diploma III/Sarjana Muda"),
    ("35", "Diploma IV"),
    ("40", "S-1/Sarjana"),
    ("42", "Profesi"),
    ("45", "S-2"),
    ("47", "Spesialis"),
    ("49", "Subspesialis"),
    ("50", "S-3/Doktor"),
];

fn read_json<T: serde::de::DeserializeOwned>(dir: &Path, file: &str) -> Result<T, ServerError> {
    let path = dir.join(file);
    let bytes = std::fs::read(&path).map_err(|e| ServerError::Config(format!("{}: {e}", path.display())))?;
    let bytes = if file.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice())
            .read_to_end(&mut out)
            .map_err(|e| ServerError::Config(format!("{}: {e}", path.display())))?;
        out
    } else {
        bytes
    };
    serde_json::from_slice(&bytes).map_err(|e| ServerError::Config(format!("{}: {e}", path.display())))
}

impl Reference {
    fn load(dir: &Path) -> Result<Self, ServerError> {
        let golongan: Vec<Golongan> = read_json(dir, "golonganPns.json")?;
        let jenis: Vec<IdNama> = read_json(dir, "jenisJabatan.json")?;
        let eselon: Vec<Eselon> = read_json(dir, "eselon.json")?;
        let pendidikan: Vec<Pendidikan> = read_json(dir, "pendidikan.json.gz")?;
        let instansi: Vec<IdNama> = read_json(dir, "instansi.json")?;
        let fungsional: Vec<IdNama> = read_json(dir, "jabatanFungsional.json")?;

        let entry = |id: &str, nama: String| CatalogEntry { id: id.to_owned(), nama };
        let mut catalogs = vec![
            Catalog {
                name: "golongan".into(),
                entries: golongan
                    .iter()
                    .map(|g| match &g.nama_pangkat {
                        Some(p) => entry(&g.id, format!("{} ({p})", g.nama)),
                        None => entry(&g.id, g.nama.clone()),
                    })
                    .collect(),
            },
            Catalog {
                name: "jenis_jabatan".into(),
                entries: jenis.iter().filter_map(|j| j.nama.clone().map(|n| entry(&j.id, n))).collect(),
            },
            Catalog {
                name: "eselon".into(),
                entries: eselon
                    .iter()
                    .filter_map(|e| {
                        let nama = e.nama.clone()?;
                        Some(match &e.jabatan_asn {
                            Some(a) => entry(&e.id, format!("{nama} ({a})")),
                            None => entry(&e.id, nama),
                        })
                    })
                    .collect(),
            },
        ];
        let levels: BTreeSet<&str> = pendidikan.iter().map(|p| p.tingkat_pendidikan_id.as_str()).collect();
        catalogs.push(Catalog {
            name: "tingkat_pendidikan".into(),
            entries: levels
                .into_iter()
                .map(|id| {
                    let nama = TINGKAT_NAMES
                        .iter()
                        .find(|(k, _)| *k == id)
                        .map_or_else(|| format!("Tingkat {id}"), |(_, n)| (*n).to_owned());
                    entry(id, nama)
                })
                .collect(),
        });
        let wanted = [INSTANSI_A, INSTANSI_B];
        let instansi: Vec<(String, String)> = instansi
            .into_iter()
            .filter(|i| wanted.contains(&i.id.as_str()))
            .filter_map(|i| i.nama.map(|n| (i.id, n)))
            .collect();
        if instansi.len() != wanted.len() {
            return Err(ServerError::Config("instansi.json lacks a demo agency".into()));
        }
        Ok(Self {
            catalogs,
            instansi,
            pendidikan: pendidikan.into_iter().map(|p| (p.id, (p.tingkat_pendidikan_id, p.nama))).collect(),
            fungsional: fungsional.into_iter().filter_map(|f| f.nama).collect(),
        })
    }

    fn instansi_nama(&self, id: &str) -> String {
        self.instansi.iter().find(|(i, _)| i == id).map_or_else(|| id.to_owned(), |(_, n)| n.clone())
    }
}

/// One demo person.
struct Person {
    nip: &'static str,
    nama: &'static str,
    gelar_depan: Option<&'static str>,
    gelar_belakang: Option<&'static str>,
    tempat_lahir: &'static str,
    roles: &'static [Role],
    instansi: &'static str,
    unor: &'static str,
    alamat: &'static str,
    no_hp: &'static str,
    email: &'static str,
    /// (golongan id, TMT, SK number, SK date)
    golongan: &'static [(&'static str, &'static str, &'static str, &'static str)],
    /// (jenis jabatan, name, eselon, TMT, end, SK number, SK date)
    jabatan: &'static [Jab],
    /// (pendidikan id from pendidikan.json.gz, school, year, diploma number)
    pendidikan: &'static [(&'static str, &'static str, i32, &'static str)],
}

type Jab =
    (&'static str, &'static str, Option<&'static str>, &'static str, Option<&'static str>, &'static str, &'static str);

const PUSDATIN: &str = "Pusat Data dan Sistem Informasi";
const BIRO_KEPEG: &str = "Biro Kepegawaian";
const BINKEUDA: &str = "Direktorat Jenderal Bina Keuangan Daerah";
const BPKAD: &str = "Badan Pengelolaan Keuangan dan Aset Daerah";

const SMA_IPA: &str = "A5EB03E21ADFF6A0E040640A040252AD";
const S1_TI: &str = "A5EB03E21749F6A0E040640A040252AD";
const S1_AKUNTANSI: &str = "A5EB03E218D6F6A0E040640A040252AD";
const S1_HUKUM: &str = "A5EB03E2135FF6A0E040640A040252AD";
const S1_IAN: &str = "A5EB03E218F0F6A0E040640A040252AD";
const S2_AP: &str = "A5EB03E217A1F6A0E040640A040252AD";
const S1_ILKOM: &str = "A5EB03E20E4DF6A0E040640A040252AD";
const D3_AKUNTANSI: &str = "A5EB03E218D5F6A0E040640A040252AD";

const PEOPLE: &[Person] = &[
    Person {
        nip: "199001012015031001",
        nama: "Budi Santoso",
        gelar_depan: None,
        gelar_belakang: Some("S.Kom."),
        tempat_lahir: "Jakarta",
        roles: &[Role::Asn],
        instansi: INSTANSI_A,
        unor: PUSDATIN,
        alamat: "Jl. Kramat Raya No. 12, Senen, Jakarta Pusat",
        no_hp: "081234567801",
        email: "budi.santoso@kemendagri.go.id",
        golongan: &[
            ("31", "2015-03-01", "813/KEP.CPNS/2015", "2015-02-10"),
            ("32", "2019-04-01", "823.3/KP.0412/2019", "2019-03-15"),
        ],
        jabatan: &[
            (
                "4",
                "Pengelola Sistem dan Jaringan",
                None,
                "2016-03-01",
                Some("2018-12-31"),
                "821.2/445/2016",
                "2016-02-20",
            ),
            ("2", "Pranata Komputer Ahli Pertama", None, "2019-01-02", None, "821.2/120/2019", "2018-12-20"),
        ],
        pendidikan: &[
            (SMA_IPA, "SMA Negeri 8 Jakarta", 2008, "DN-01 Ma 0012345"),
            (S1_TI, "Universitas Gunadarma", 2013, "UG/2013/TI/04521"),
        ],
    },
    Person {
        nip: "199205152019032003",
        nama: "Siti Rahmawati",
        gelar_depan: None,
        gelar_belakang: Some("S.E."),
        tempat_lahir: "Bandung",
        roles: &[Role::Asn],
        instansi: INSTANSI_A,
        unor: BINKEUDA,
        alamat: "Jl. Kebagusan Raya No. 7, Pasar Minggu, Jakarta Selatan",
        no_hp: "081234567802",
        email: "siti.rahmawati@kemendagri.go.id",
        golongan: &[
            ("31", "2019-03-01", "813/KEP.CPNS/2019", "2019-02-12"),
            ("32", "2023-04-01", "823.3/KP.0218/2023", "2023-03-14"),
        ],
        jabatan: &[
            ("4", "Penyusun Laporan Keuangan", None, "2020-03-02", Some("2022-12-31"), "821.2/310/2020", "2020-02-21"),
            (
                "2",
                "Analis Keuangan Pusat dan Daerah Ahli Pertama",
                None,
                "2023-01-02",
                None,
                "821.2/015/2023",
                "2022-12-19",
            ),
        ],
        pendidikan: &[
            (SMA_IPA, "SMA Negeri 3 Bandung", 2010, "DN-02 Ma 0098765"),
            (S1_AKUNTANSI, "Universitas Padjadjaran", 2014, "UNPAD/2014/AK/01234"),
        ],
    },
    Person {
        nip: "198503102010011002",
        nama: "Agus Prasetyo",
        gelar_depan: None,
        gelar_belakang: Some("S.H."),
        tempat_lahir: "Surabaya",
        roles: &[Role::Asn, Role::Verifikator],
        instansi: INSTANSI_A,
        unor: BIRO_KEPEG,
        alamat: "Jl. Salemba Tengah No. 21, Jakarta Pusat",
        no_hp: "081234567803",
        email: "agus.prasetyo@kemendagri.go.id",
        golongan: &[
            ("31", "2010-01-01", "813/KEP.CPNS/2010", "2009-12-15"),
            ("32", "2014-04-01", "823.3/KP.0101/2014", "2014-03-10"),
            ("33", "2018-04-01", "823.3/KP.0333/2018", "2018-03-12"),
        ],
        jabatan: &[
            (
                "2",
                "Analis Sumber Daya Manusia Aparatur Ahli Pertama",
                None,
                "2015-01-02",
                Some("2019-12-31"),
                "821.2/002/2015",
                "2014-12-22",
            ),
            (
                "2",
                "Analis Sumber Daya Manusia Aparatur Ahli Muda",
                None,
                "2020-01-02",
                None,
                "821.2/004/2020",
                "2019-12-20",
            ),
        ],
        pendidikan: &[
            (SMA_IPA, "SMA Negeri 5 Surabaya", 2003, "DN-05 Ma 0045678"),
            (S1_HUKUM, "Universitas Airlangga", 2008, "UNAIR/2008/FH/00321"),
        ],
    },
    Person {
        nip: "197808172005011001",
        nama: "Hendra Wijaya",
        gelar_depan: None,
        gelar_belakang: Some("S.Sos., M.A.P."),
        tempat_lahir: "Medan",
        roles: &[Role::Asn, Role::Approver],
        instansi: INSTANSI_A,
        unor: BIRO_KEPEG,
        alamat: "Jl. Cempaka Putih Tengah No. 3, Jakarta Pusat",
        no_hp: "081234567804",
        email: "hendra.wijaya@kemendagri.go.id",
        golongan: &[
            ("32", "2005-01-01", "813/KEP.CPNS/2005", "2004-12-20"),
            ("34", "2013-04-01", "823.3/KP.0077/2013", "2013-03-11"),
            ("41", "2017-04-01", "823.4/KP.0019/2017", "2017-03-13"),
        ],
        jabatan: &[
            (
                "1",
                "Kepala Subbagian Pengadaan Pegawai",
                Some("41"),
                "2012-06-01",
                Some("2017-12-31"),
                "821.23/210/2012",
                "2012-05-21",
            ),
            ("1", "Kepala Bagian Mutasi Pegawai", Some("31"), "2018-01-02", None, "821.22/005/2018", "2017-12-27"),
        ],
        pendidikan: &[
            (S1_IAN, "Universitas Sumatera Utara", 2001, "USU/2001/FISIP/00876"),
            (S2_AP, "Universitas Gadjah Mada", 2004, "UGM/2004/MAP/00112"),
        ],
    },
    Person {
        nip: "198011202006041001",
        nama: "Rudi Hartono",
        gelar_depan: None,
        gelar_belakang: Some("S.Kom."),
        tempat_lahir: "Yogyakarta",
        roles: &[Role::Asn, Role::Admin],
        instansi: INSTANSI_A,
        unor: PUSDATIN,
        alamat: "Jl. Medan Merdeka Utara No. 7, Jakarta Pusat",
        no_hp: "081234567805",
        email: "rudi.hartono@kemendagri.go.id",
        golongan: &[
            ("31", "2006-04-01", "813/KEP.CPNS/2006", "2006-03-14"),
            ("32", "2010-04-01", "823.3/KP.0150/2010", "2010-03-15"),
            ("33", "2014-10-01", "823.3/KP.0612/2014", "2014-09-15"),
        ],
        jabatan: &[
            (
                "2",
                "Pranata Komputer Ahli Pertama",
                None,
                "2010-01-04",
                Some("2015-12-31"),
                "821.2/011/2010",
                "2009-12-21",
            ),
            ("2", "Pranata Komputer Ahli Muda", None, "2016-01-04", None, "821.2/009/2016", "2015-12-21"),
        ],
        pendidikan: &[
            (SMA_IPA, "SMA Negeri 1 Yogyakarta", 1998, "DN-04 Ma 0034567"),
            (S1_ILKOM, "Universitas Gadjah Mada", 2004, "UGM/2004/ILKOM/00457"),
        ],
    },
    Person {
        nip: "199112312020122001",
        nama: "Dewi Lestari",
        gelar_depan: None,
        gelar_belakang: Some("S.Ak."),
        tempat_lahir: "Bogor",
        roles: &[Role::Asn],
        instansi: INSTANSI_B,
        unor: BPKAD,
        alamat: "Jl. Diponegoro No. 22, Citarum, Bandung",
        no_hp: "081234567806",
        email: "dewi.lestari@jabarprov.go.id",
        golongan: &[
            ("23", "2020-12-01", "800/KEP.CPNS/2020-BKD", "2020-11-16"),
            ("31", "2023-10-01", "823.3/KP.1102/2023-BKD", "2023-09-18"),
        ],
        jabatan: &[
            (
                "4",
                "Pengadministrasi Keuangan",
                None,
                "2021-12-01",
                Some("2023-09-30"),
                "821.2/771/BKD/2021",
                "2021-11-22",
            ),
            ("4", "Penata Laporan Keuangan", None, "2023-10-02", None, "821.2/905/BKD/2023", "2023-09-25"),
        ],
        pendidikan: &[
            (D3_AKUNTANSI, "Politeknik Negeri Bandung", 2012, "POLBAN/2012/AK/00543"),
            (S1_AKUNTANSI, "Universitas Pasundan", 2022, "UNPAS/2022/AK/01987"),
        ],
    },
];

fn date(s: &str) -> Result<NaiveDate, ServerError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| ServerError::internal(format!("seed date {s}: {e}")))
}

fn history_of(p: &Person, reference: &Reference) -> Result<Vec<HistoryData>, ServerError> {
    let mut out = Vec::new();
    for (golongan_id, tmt, sk, sk_tanggal) in p.golongan {
        out.push(HistoryData::Golongan(mysapk_model::history::Golongan {
            golongan_id: (*golongan_id).to_owned(),
            tmt_golongan: date(tmt)?,
            sk_nomor: (*sk).to_owned(),
            sk_tanggal: date(sk_tanggal)?,
            jenis_kp_id: None,
            mk_tahun: None,
            mk_bulan: None,
        }));
    }
    for (jenis, nama, eselon, tmt, end, sk, sk_tanggal) in p.jabatan {
        if *jenis == "2" && !reference.fungsional.contains(*nama) {
            tracing::warn!(jabatan = nama, "demo position not in jabatanFungsional.json");
        }
        out.push(HistoryData::Jabatan(mysapk_model::history::Jabatan {
            jenis_jabatan_id: (*jenis).to_owned(),
            jabatan_nama: (*nama).to_owned(),
            unor_nama: p.unor.to_owned(),
            eselon_id: eselon.map(str::to_owned),
            tmt_jabatan: date(tmt)?,
            tmt_selesai: end.map(date).transpose()?,
            sk_nomor: (*sk).to_owned(),
            sk_tanggal: date(sk_tanggal)?,
        }));
    }
    for (id, sekolah, tahun, ijazah) in p.pendidikan {
        let (tingkat, nama) = reference
            .pendidikan
            .get(*id)
            .cloned()
            .ok_or_else(|| ServerError::Config(format!("pendidikan {id} not in pendidikan.json.gz")))?;
        out.push(HistoryData::Pendidikan(mysapk_model::history::Pendidikan {
            tingkat_pendidikan_id: tingkat,
            pendidikan_nama: nama,
            nama_sekolah: (*sekolah).to_owned(),
            tahun_lulus: *tahun,
            nomor_ijazah: (*ijazah).to_owned(),
            gelar_depan: None,
            gelar_belakang: None,
        }));
    }
    Ok(out)
}

async fn seed_person(
    conn: &mut AnyConnection,
    p: &Person,
    reference: &Reference,
    password_hash: &str,
) -> Result<usize, ServerError> {
    let nip = Nip::parse(p.nip).map_err(|v| ServerError::internal(format!("demo NIP {}: {v}", p.nip)))?;
    accounts::insert_user(
        conn,
        &accounts::UserRow {
            nip: p.nip.to_owned(),
            password_hash: password_hash.to_owned(),
            roles: p.roles.to_vec(),
            instansi_id: p.instansi.to_owned(),
        },
    )
    .await?;
    let histories: Vec<HistoryRecord> = history_of(p, reference)?
        .into_iter()
        .map(|data| HistoryRecord { id: uuid::Uuid::new_v4().to_string(), data, last_usulan_id: None })
        .collect();
    let (golongan_id, jabatan_nama) = workflow::derive_current(&histories);
    let profile = Profile {
        tanggal_lahir: nip.birth_date().ok_or_else(|| ServerError::internal("NIP birth date"))?,
        jenis_kelamin: match nip.gender() {
            mysapk_model::nip::NipGender::Male => "M".into(),
            mysapk_model::nip::NipGender::Female => "F".into(),
        },
        nip,
        nama: p.nama.to_owned(),
        gelar_depan: p.gelar_depan.map(str::to_owned),
        gelar_belakang: p.gelar_belakang.map(str::to_owned),
        tempat_lahir: p.tempat_lahir.to_owned(),
        instansi_id: p.instansi.to_owned(),
        instansi_nama: reference.instansi_nama(p.instansi),
        unor_nama: p.unor.to_owned(),
        golongan_id,
        jabatan_nama,
        owner: OwnerFields {
            alamat: Some(p.alamat.to_owned()),
            no_hp: Some(p.no_hp.to_owned()),
            email: Some(p.email.to_owned()),
            ..Default::default()
        },
        verified: Default::default(),
        confirmed_kinds: Vec::new(),
        last_usulan_id: None,
    };
    records::put_profile(conn, &profile).await?;
    db::log_change(conn, Some(p.nip), ENTITY_PROFILE, p.nip).await?;
    for h in &histories {
        records::put_history(conn, p.nip, h).await?;
        db::log_change(conn, Some(p.nip), ENTITY_HISTORY, &h.id).await?;
    }
    db::audit(
        conn,
        db::Audit {
            actor: "seed",
            action: "account.seed",
            entity: "account",
            entity_id: p.nip,
            subject: Some(p.nip),
            instansi: Some(p.instansi),
            details: json!({"roles": p.roles, "histories": histories.len()}),
            ..db::Audit::default()
        },
    )
    .await?;
    Ok(histories.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use mysapk_model::catalog::Catalogs;

    fn reference() -> Reference {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/domain/reference");
        Reference::load(&dir).expect("reference tables load")
    }

    #[test]
    fn demo_data_is_valid() {
        let r = reference();
        let codes = Catalogs(r.catalogs.clone());
        let today = chrono::Utc::now().date_naive();
        for p in PEOPLE {
            let nip = Nip::parse(p.nip).expect("valid demo NIP");
            let cpns = NaiveDate::parse_from_str(&format!("{}01", &p.nip[8..14]), "%Y%m%d").expect("tmt");
            let data = history_of(p, &r).expect("history");
            assert!(data.len() >= 6, "{}", p.nip);
            for d in &data {
                let ctx = mysapk_model::rules::RuleContext::new(&codes, today).for_owner(&nip);
                assert!(d.validate(&ctx).is_empty(), "{} {d:?}", p.nip);
                if !matches!(d, HistoryData::Pendidikan(mysapk_model::history::Pendidikan { .. })) {
                    assert!(d.sort_date() >= cpns, "{} {d:?} before TMT CPNS", p.nip);
                }
            }
            assert!(nip.birth_date().is_some());
        }
        for name in mysapk_model::catalog::CATALOG_NAMES {
            assert!(r.catalogs.iter().any(|c| c.name == name && !c.entries.is_empty()), "{name}");
        }
        assert!(r.fungsional.contains("Pranata Komputer Ahli Pertama"));
    }
}

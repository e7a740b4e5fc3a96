//! SIASN's write endpoints: the request bodies with SIASN's own field names, and the answers.
//!
//! Every path is relative to the API base (`…/apisiasn/1.0`, the base URL of
//! `kanekescom/laravel-siasn-simpeg-api` `config/siasn-simpeg-api.php`). Sources, facts only:
//!
//! | what | source (repository: path) |
//! | --- | --- |
//! | bodies of `/jabatan/save`, `/skp22/save`, `/diklat/save`, `/kursus/save`, `/penghargaan/save`, `/angkakredit/save`, `/pns/data-utama-update` (field names and JSON types: `"string"` or `0`) | `kanekescom/laravel-siasn-simpeg-api`: `src/Commands/Post*SaveCommand.php`, `PostPnsDataUtamaUpdateCommand.php` (the template each command prints) |
//! | `/keluarga/pasangan/save`, `/keluarga/anak/save` and their fields | `taufiqurrohmansuwarto/rumahASN`: `utils/siasn-utils.js` (`tambahPasangan`, `tambahAnak`), `controller/siasn/rw-keluarga.controller.js` (fields the server adds), `src/components/PemutakhiranData/FormPasangan.js`, `FormAnak.js` (form fields) |
//! | dates as `dd-mm-yyyy` | `black-coffee04/ws-siasn-php`: `src/Services/DiklatService.php` (`formatDates`: `d-m-Y`), `README.md` (`"skDate" => "dd-mm-yyyy"`); rumahASN forms (`DD-MM-YYYY`) |
//! | the answer `{success, message, mapData: {rwJabatanId…}}`, its id keys | ws-siasn-php: `src/Services/*Service.php` (`$response['mapData']['rwDiklatId']` …), `src/Traits/ResponseTransformerTrait.php`; rumahASN: `controller/siasn.controller.js`, `controller/siasn-penghargaan.controller.js` |
//! | a refusal: HTTP 200 with `success: false` and SIASN's `message` (also `"true"`/`"false"` as text) | rumahASN: `controller/siasn.controller.js` (`/angkakredit/save`: `if (!hasil?.data?.success)`), `controller/siasn/rw-keluarga.controller.js` (`success === true \|\| success === "true"`) |
//! | uploads: multipart fields `file`, `id_ref_dokumen`, `id_riwayat` (`/upload-dok-rw`); the answer's `data` `{dok_id, dok_nama, dok_uri, object, slug}` that a save's `path` then carries | ws-siasn-php: `src/Services/DokumenService.php` (`upload`, `uploadRiwayat`: `return $response['data']`), `examples/dokumen.php` (a real answer); `path` in every save template above |
//!
//! Not in any source, so not here: ids in the answers of `/pns/data-utama-update` and the family saves (the
//! sources read only `success` and `message` there).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// SIASN's date format in request bodies: `dd-mm-yyyy`.
pub const DATE_FORMAT: &str = "%d-%m-%Y";

/// A date as SIASN wants it in a request body.
pub fn format_date(date: NaiveDate) -> String {
    date.format(DATE_FORMAT).to_string()
}

/// A `dd-mm-yyyy` date of a request body; `None` when it is not one.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, DATE_FORMAT).ok()
}

/// Multipart field names of `/upload-dok` and `/upload-dok-rw` (ws-siasn-php `DokumenService.php`).
pub mod upload_field {
    /// The document's bytes, with its file name.
    pub const FILE: &str = "file";
    /// The document type (`ref dokumen` id, e.g. `"872"` Dok SK Jabatan).
    pub const ID_REF_DOKUMEN: &str = "id_ref_dokumen";
    /// `/upload-dok-rw` only: the riwayat the document belongs to.
    pub const ID_RIWAYAT: &str = "id_riwayat";
}

/// The write endpoints this module describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteEndpoint {
    Jabatan,
    Skp22,
    Diklat,
    Kursus,
    Penghargaan,
    AngkaKredit,
    DataUtama,
    Pasangan,
    Anak,
}

impl WriteEndpoint {
    pub const ALL: [WriteEndpoint; 9] = [
        WriteEndpoint::Jabatan,
        WriteEndpoint::Skp22,
        WriteEndpoint::Diklat,
        WriteEndpoint::Kursus,
        WriteEndpoint::Penghargaan,
        WriteEndpoint::AngkaKredit,
        WriteEndpoint::DataUtama,
        WriteEndpoint::Pasangan,
        WriteEndpoint::Anak,
    ];

    /// The path under the API base.
    pub const fn path(self) -> &'static str {
        match self {
            WriteEndpoint::Jabatan => "/jabatan/save",
            WriteEndpoint::Skp22 => "/skp22/save",
            WriteEndpoint::Diklat => "/diklat/save",
            WriteEndpoint::Kursus => "/kursus/save",
            WriteEndpoint::Penghargaan => "/penghargaan/save",
            WriteEndpoint::AngkaKredit => "/angkakredit/save",
            WriteEndpoint::DataUtama => "/pns/data-utama-update",
            WriteEndpoint::Pasangan => "/keluarga/pasangan/save",
            WriteEndpoint::Anak => "/keluarga/anak/save",
        }
    }

    /// The key of the new riwayat's id in the answer's `mapData`; `None` where the sources show no id.
    pub const fn map_data_key(self) -> Option<&'static str> {
        match self {
            WriteEndpoint::Jabatan => Some("rwJabatanId"),
            // ws-siasn-php SkpService reads `rwSkpId` after `/skp22/save`.
            WriteEndpoint::Skp22 => Some("rwSkpId"),
            WriteEndpoint::Diklat => Some("rwDiklatId"),
            WriteEndpoint::Kursus => Some("rwKursusId"),
            WriteEndpoint::Penghargaan => Some("rwPenghargaanId"),
            WriteEndpoint::AngkaKredit => Some("rwAngkaKreditId"),
            WriteEndpoint::DataUtama | WriteEndpoint::Pasangan | WriteEndpoint::Anak => None,
        }
    }
}

/// One uploaded document as a save references it (the `data` of an upload's answer; in a save's `path` list).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DokumenPath {
    /// The document type (`id_ref_dokumen`), e.g. `"872"`.
    pub dok_id: String,
    /// The document type's name, e.g. `"Dok SK Jabatan"`.
    pub dok_nama: String,
    /// Where SIASN stored it, e.g. `peremajaan/usulan/<32 hex>_<yyyymmdd>_<hhmmss>_<file name>`; `/download-dok?filePath=` takes it.
    pub dok_uri: String,
    /// The same storage key as `dok_uri` in the sources' answers.
    pub object: String,
    /// The document type id again in the sources' answers.
    pub slug: String,
}

/// `POST /jabatan/save` (kanekescom `PostJabatanSaveCommand.php`). `id` set = edit that riwayat.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct JabatanSave {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub eselon_id: String,
    pub instansi_id: String,
    pub jabatan_fungsional_id: String,
    pub jabatan_fungsional_umum_id: String,
    /// `jenisJabatan` code: 1 struktural, 2 fungsional, 4 pelaksana (reference table `jenisJabatan`).
    pub jenis_jabatan: String,
    pub nomor_sk: String,
    pub path: Vec<DokumenPath>,
    /// The PNS GUID.
    pub pns_id: String,
    pub satuan_kerja_id: String,
    pub tanggal_sk: String,
    pub tmt_jabatan: String,
    pub tmt_pelantikan: String,
    pub unor_id: String,
}

/// `POST /skp22/save` (kanekescom `PostSkp22SaveCommand.php`; rumahASN `controller/siasn.controller.js` fills it).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Skp22Save {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Rating of results: 1 above, 2 meets, 3 below expectations (reference table `perilakuDanKinerja`).
    pub hasil_kinerja_nilai: i32,
    /// The predikat (reference table `kuadranNilai`: 1 Sangat Baik … 5 Sangat Kurang).
    pub kuadran_kinerja_nilai: i32,
    pub path: Vec<DokumenPath>,
    pub penilai_golongan: String,
    pub penilai_jabatan: String,
    pub penilai_nama: String,
    pub penilai_nip_nrp: String,
    pub penilai_unor_nama: String,
    /// Rating of behaviour, same scale as `hasilKinerjaNilai`.
    pub perilaku_kerja_nilai: i32,
    /// The PNS GUID of the person rated.
    pub pns_dinilai_orang: String,
    /// rumahASN sends `"ASN"`.
    pub status_penilai: String,
    pub tahun: i32,
}

/// `POST /diklat/save` (kanekescom `PostDiklatSaveCommand.php`): structural training.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DiklatSave {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub bobot: i32,
    pub institusi_penyelenggara: String,
    pub jenis_kompetensi: String,
    pub jumlah_jam: i32,
    pub latihan_struktural_id: String,
    pub nomor: String,
    pub path: Vec<DokumenPath>,
    pub pns_orang_id: String,
    pub tahun: i32,
    pub tanggal: String,
    pub tanggal_selesai: String,
}

/// `POST /kursus/save` (kanekescom `PostKursusSaveCommand.php`): courses and certified training.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct KursusSave {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub instansi_id: String,
    pub institusi_penyelenggara: String,
    pub jenis_diklat_id: String,
    pub jenis_kursus: String,
    pub jenis_kursus_sertipikat: String,
    pub jumlah_jam: i32,
    pub lokasi_id: String,
    pub nama_kursus: String,
    pub nomor_sertipikat: String,
    pub path: Vec<DokumenPath>,
    pub pns_orang_id: String,
    pub tahun_kursus: i32,
    pub tanggal_kursus: String,
    pub tanggal_selesai_kursus: String,
}

/// `POST /penghargaan/save` (kanekescom `PostPenghargaanSaveCommand.php`; ws-siasn-php README: `skDate` `dd-mm-yyyy`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PenghargaanSave {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The award (reference table `penghargaan`).
    pub harga_id: String,
    pub path: Vec<DokumenPath>,
    pub pns_orang_id: String,
    pub sk_date: String,
    pub sk_nomor: String,
    pub tahun: i32,
}

/// `POST /angkakredit/save` (kanekescom `PostAngkakreditSaveCommand.php`, ws-siasn-php `README.md`): every value is
/// text; `…Penailan` is SIASN's own spelling in both sources.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AngkaKreditSave {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub bulan_mulai_penailan: String,
    pub bulan_selesai_penailan: String,
    pub is_angka_kredit_pertama: String,
    pub is_integrasi: String,
    pub is_konversi: String,
    pub kredit_baru_total: String,
    pub kredit_penunjang_baru: String,
    pub kredit_utama_baru: String,
    pub nomor_sk: String,
    pub path: Vec<DokumenPath>,
    pub pns_id: String,
    pub rw_jabatan_id: String,
    pub tahun_mulai_penailan: String,
    pub tahun_selesai_penailan: String,
    pub tanggal_sk: String,
}

/// `POST /pns/data-utama-update` (kanekescom `PostPnsDataUtamaUpdateCommand.php`): snake_case names; only the
/// fields sent change (rumahASN `controller/siasn-data-utama.controller.js` sends a partial body plus
/// `pns_orang_id`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DataUtamaUpdate {
    pub pns_orang_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agama_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alamat: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email_gov: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kabupaten_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub karis_karsu: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kelas_jabatan: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpkn_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lokasi_kerja_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nomor_bpjs: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nomor_hp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nomor_telpon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npwp_nomor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub npwp_tanggal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tanggal_taspen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tapera_nomor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub taspen_nomor: Option<String>,
}

/// `POST /keluarga/pasangan/save` (rumahASN: `FormPasangan.js` fields, `rw-keluarga.controller.js` adds
/// `jenisIdentitas: "1"`, `pnsOrangId`, `statusPekerjaanPasangan` `"PNS"`/`"Non PNS"`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct PasanganSave {
    pub pns_orang_id: String,
    /// `"1"`: NIK.
    pub jenis_identitas: String,
    pub nomor_identitas: String,
    /// Which marriage (1 = first).
    pub pasangan_ke: String,
    pub nama: String,
    pub tgl_lahir: String,
    pub agama_id: String,
    /// `"1"` alive, `"0"` deceased.
    pub status_hidup: String,
    /// Marital status code (reference table `kawin`).
    pub status_pernikahan: String,
    pub no_akta_menikah: String,
    pub tgl_akta_menikah: String,
    pub tgl_meninggal: String,
    pub no_akta_meninggal: String,
    pub alamat: String,
    pub email: String,
    pub no_hp: String,
    pub status_pekerjaan_pasangan: String,
}

/// `POST /keluarga/anak/save` (rumahASN `FormAnak.js`: fields; `pasanganId` is the other parent's `orangId`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnakSave {
    pub pns_orang_id: String,
    pub pasangan_id: String,
    pub nama: String,
    /// `"M"` male, `"F"` female.
    pub jenis_kelamin: String,
    /// `"1"` kandung …
    pub jenis_anak_id: String,
    /// `"1"`/`"0"`.
    pub is_pns: String,
    pub agama_id: String,
    pub tgl_lahir: String,
    pub status_hidup: String,
    pub tgl_meninggal: String,
    pub akta_meninggal: String,
    pub nomor_hp: String,
    pub nomor_telpon: String,
    pub jenis_id_dokumen_id: String,
    pub nomor_id_document: String,
    pub akta_kelahiran: String,
    pub jenis_kawin_id: String,
    pub email: String,
    pub alamat: String,
}

/// The body of any write endpoint, for code that handles them alike.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteBody {
    Jabatan(JabatanSave),
    Skp22(Skp22Save),
    Diklat(DiklatSave),
    Kursus(KursusSave),
    Penghargaan(PenghargaanSave),
    AngkaKredit(AngkaKreditSave),
    DataUtama(DataUtamaUpdate),
    Pasangan(PasanganSave),
    Anak(AnakSave),
}

impl WriteBody {
    /// Reads the JSON body of `endpoint`.
    pub fn from_json(endpoint: WriteEndpoint, body: &[u8]) -> Result<Self, serde_json::Error> {
        Ok(match endpoint {
            WriteEndpoint::Jabatan => WriteBody::Jabatan(serde_json::from_slice(body)?),
            WriteEndpoint::Skp22 => WriteBody::Skp22(serde_json::from_slice(body)?),
            WriteEndpoint::Diklat => WriteBody::Diklat(serde_json::from_slice(body)?),
            WriteEndpoint::Kursus => WriteBody::Kursus(serde_json::from_slice(body)?),
            WriteEndpoint::Penghargaan => WriteBody::Penghargaan(serde_json::from_slice(body)?),
            WriteEndpoint::AngkaKredit => WriteBody::AngkaKredit(serde_json::from_slice(body)?),
            WriteEndpoint::DataUtama => WriteBody::DataUtama(serde_json::from_slice(body)?),
            WriteEndpoint::Pasangan => WriteBody::Pasangan(serde_json::from_slice(body)?),
            WriteEndpoint::Anak => WriteBody::Anak(serde_json::from_slice(body)?),
        })
    }

    pub fn endpoint(&self) -> WriteEndpoint {
        match self {
            WriteBody::Jabatan(_) => WriteEndpoint::Jabatan,
            WriteBody::Skp22(_) => WriteEndpoint::Skp22,
            WriteBody::Diklat(_) => WriteEndpoint::Diklat,
            WriteBody::Kursus(_) => WriteEndpoint::Kursus,
            WriteBody::Penghargaan(_) => WriteEndpoint::Penghargaan,
            WriteBody::AngkaKredit(_) => WriteEndpoint::AngkaKredit,
            WriteBody::DataUtama(_) => WriteEndpoint::DataUtama,
            WriteBody::Pasangan(_) => WriteEndpoint::Pasangan,
            WriteBody::Anak(_) => WriteEndpoint::Anak,
        }
    }

    /// The PNS GUID the body is about (each endpoint names it its own way: `pnsId`, `pnsOrangId`,
    /// `pnsDinilaiOrang`, `pns_orang_id`).
    pub fn pns_id(&self) -> &str {
        match self {
            WriteBody::Jabatan(b) => &b.pns_id,
            WriteBody::Skp22(b) => &b.pns_dinilai_orang,
            WriteBody::Diklat(b) => &b.pns_orang_id,
            WriteBody::Kursus(b) => &b.pns_orang_id,
            WriteBody::Penghargaan(b) => &b.pns_orang_id,
            WriteBody::AngkaKredit(b) => &b.pns_id,
            WriteBody::DataUtama(b) => &b.pns_orang_id,
            WriteBody::Pasangan(b) => &b.pns_orang_id,
            WriteBody::Anak(b) => &b.pns_orang_id,
        }
    }

    /// The riwayat id of an edit (`id` set and not empty).
    pub fn riwayat_id(&self) -> Option<&str> {
        let id = match self {
            WriteBody::Jabatan(b) => &b.id,
            WriteBody::Skp22(b) => &b.id,
            WriteBody::Diklat(b) => &b.id,
            WriteBody::Kursus(b) => &b.id,
            WriteBody::Penghargaan(b) => &b.id,
            WriteBody::AngkaKredit(b) => &b.id,
            WriteBody::DataUtama(_) | WriteBody::Pasangan(_) | WriteBody::Anak(_) => &None,
        };
        id.as_deref().filter(|id| !id.is_empty())
    }

    /// The documents the body references.
    pub fn path(&self) -> &[DokumenPath] {
        match self {
            WriteBody::Jabatan(b) => &b.path,
            WriteBody::Skp22(b) => &b.path,
            WriteBody::Diklat(b) => &b.path,
            WriteBody::Kursus(b) => &b.path,
            WriteBody::Penghargaan(b) => &b.path,
            WriteBody::AngkaKredit(b) => &b.path,
            WriteBody::DataUtama(_) | WriteBody::Pasangan(_) | WriteBody::Anak(_) => &[],
        }
    }

    /// Every date field as `(SIASN field name, value)`, empty ones left out: each must be `dd-mm-yyyy`.
    pub fn dates(&self) -> Vec<(&'static str, &str)> {
        let all: Vec<(&'static str, Option<&str>)> = match self {
            WriteBody::Jabatan(b) => vec![
                ("tanggalSk", Some(&b.tanggal_sk)),
                ("tmtJabatan", Some(&b.tmt_jabatan)),
                ("tmtPelantikan", Some(&b.tmt_pelantikan)),
            ],
            WriteBody::Skp22(_) => vec![],
            WriteBody::Diklat(b) => vec![("tanggal", Some(&b.tanggal)), ("tanggalSelesai", Some(&b.tanggal_selesai))],
            WriteBody::Kursus(b) => vec![
                ("tanggalKursus", Some(&b.tanggal_kursus)),
                ("tanggalSelesaiKursus", Some(&b.tanggal_selesai_kursus)),
            ],
            WriteBody::Penghargaan(b) => vec![("skDate", Some(&b.sk_date))],
            WriteBody::AngkaKredit(b) => vec![("tanggalSk", Some(&b.tanggal_sk))],
            WriteBody::DataUtama(b) => {
                vec![("npwp_tanggal", b.npwp_tanggal.as_deref()), ("tanggal_taspen", b.tanggal_taspen.as_deref())]
            }
            WriteBody::Pasangan(b) => vec![
                ("tglLahir", Some(&b.tgl_lahir)),
                ("tglAktaMenikah", Some(&b.tgl_akta_menikah)),
                ("tglMeninggal", Some(&b.tgl_meninggal)),
            ],
            WriteBody::Anak(b) => vec![("tglLahir", Some(&b.tgl_lahir)), ("tglMeninggal", Some(&b.tgl_meninggal))],
        };
        all.into_iter().filter_map(|(name, v)| v.filter(|v| !v.is_empty()).map(|v| (name, v))).collect()
    }

    /// The body as SIASN receives it.
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            WriteBody::Jabatan(b) => serde_json::to_value(b),
            WriteBody::Skp22(b) => serde_json::to_value(b),
            WriteBody::Diklat(b) => serde_json::to_value(b),
            WriteBody::Kursus(b) => serde_json::to_value(b),
            WriteBody::Penghargaan(b) => serde_json::to_value(b),
            WriteBody::AngkaKredit(b) => serde_json::to_value(b),
            WriteBody::DataUtama(b) => serde_json::to_value(b),
            WriteBody::Pasangan(b) => serde_json::to_value(b),
            WriteBody::Anak(b) => serde_json::to_value(b),
        };
        // Plain structs of strings, numbers and lists: serializing them cannot fail.
        value.unwrap_or(serde_json::Value::Null)
    }
}

/// `mapData` of a save's answer: the new riwayat's id under its key (`{"rwJabatanId": "…"}`), or a text
/// (ws-siasn-php `ResponseTransformerTrait::generateMessage` reads a string `mapData` as the message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MapData {
    Ids(BTreeMap<String, String>),
    Text(String),
}

/// The answer of every write endpoint. A refusal is HTTP 200 with `success: false` and SIASN's message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAnswer {
    #[serde(deserialize_with = "bool_or_text")]
    pub success: bool,
    #[serde(default)]
    pub message: String,
    #[serde(rename = "mapData", default, skip_serializing_if = "Option::is_none")]
    pub map_data: Option<MapData>,
}

impl SaveAnswer {
    /// The new riwayat's id for `endpoint` (`mapData[endpoint.map_data_key()]`).
    pub fn id(&self, endpoint: WriteEndpoint) -> Option<&str> {
        match (&self.map_data, endpoint.map_data_key()) {
            (Some(MapData::Ids(ids)), Some(key)) => ids.get(key).map(String::as_str),
            _ => None,
        }
    }
}

/// The answer of `/upload-dok` and `/upload-dok-rw`: `data` is the [`DokumenPath`] a save then references.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadAnswer {
    #[serde(deserialize_with = "bool_or_text")]
    pub success: bool,
    #[serde(default)]
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<DokumenPath>,
}

/// `success` comes as `true` or as `"true"` (rumahASN `rw-keluarga.controller.js` checks both).
fn bool_or_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
        Number(i64),
    }
    Ok(match Flag::deserialize(deserializer)? {
        Flag::Bool(b) => b,
        Flag::Text(t) => t.eq_ignore_ascii_case("true") || t == "1",
        Flag::Number(n) => n != 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_use_siasn_field_names() {
        let body = JabatanSave { pns_id: "p".into(), tmt_jabatan: "01-02-2024".into(), ..Default::default() };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["pnsId"], "p");
        assert_eq!(json["tmtJabatan"], "01-02-2024");
        assert_eq!(json["jabatanFungsionalUmumId"], "");
        assert!(json.get("id").is_none(), "a new riwayat has no id");
        let ak = serde_json::to_value(AngkaKreditSave::default()).unwrap();
        assert!(ak.get("bulanMulaiPenailan").is_some());
        let du = serde_json::to_value(DataUtamaUpdate { pns_orang_id: "p".into(), ..Default::default() }).unwrap();
        assert_eq!(du, serde_json::json!({"pns_orang_id": "p"}));
    }

    #[test]
    fn answers_read_bool_or_text_and_ids() {
        let a: SaveAnswer =
            serde_json::from_str(r#"{"success":"true","message":"ok","mapData":{"rwDiklatId":"abc"}}"#).unwrap();
        assert!(a.success);
        assert_eq!(a.id(WriteEndpoint::Diklat), Some("abc"));
        assert_eq!(a.id(WriteEndpoint::Jabatan), None);
        let refused: SaveAnswer = serde_json::from_str(r#"{"success":false,"message":"ditolak"}"#).unwrap();
        assert!(!refused.success);
        let up: UploadAnswer = serde_json::from_str(
            r#"{"success":true,"data":{"dok_id":"872","dok_nama":"Dok SK Jabatan","dok_uri":"peremajaan/usulan/x.pdf","slug":"872","object":"peremajaan/usulan/x.pdf"}}"#,
        )
        .unwrap();
        assert_eq!(up.data.unwrap().dok_uri, "peremajaan/usulan/x.pdf");
    }

    #[test]
    fn dates_are_dd_mm_yyyy() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 9).unwrap();
        assert_eq!(format_date(d), "09-03-2024");
        assert_eq!(parse_date("09-03-2024"), Some(d));
        assert_eq!(parse_date("2024-03-09"), None);
        let body = WriteBody::Diklat(DiklatSave { tanggal: "2024-03-09".into(), ..Default::default() });
        assert_eq!(body.dates(), vec![("tanggal", "2024-03-09")]);
    }

    #[test]
    fn every_endpoint_reads_its_body() {
        for e in WriteEndpoint::ALL {
            let body = WriteBody::from_json(e, b"{}").unwrap();
            assert_eq!(body.endpoint(), e);
            assert!(e.path().starts_with('/'));
        }
    }
}

//! Forwarding an approved proposal to SIASN: which changes SIASN can take, the write body each becomes, how a
//! lost answer is recognised on a re-read, and the proposal's visible last step ([`SiasnStep`]).
//!
//! What SIASN takes (bodies in [`super::write`], each with its source):
//!
//! | our change | SIASN | document (`id_ref_dokumen`) |
//! | --- | --- | --- |
//! | jabatan added or changed | `/jabatan/save` | `872` SK Jabatan, `873` (rumahASN `FormRiwayatJabatan`: `/upload-dok` then `path`) |
//! | SKP (2022 form) | `/skp22/save` | `891`, `890` (rumahASN SKP forms) |
//! | diklat | `/diklat/save` | `874` (ws-siasn-php `DiklatService::$idRefDokumenDiklat`) |
//! | kursus | `/kursus/save` | `881` (rumahASN kursus form) |
//! | penghargaan | `/penghargaan/save` | `892` (rumahASN penghargaan form) |
//! | angka kredit | `/angkakredit/save` | `879`, `880` (rumahASN angka-kredit form: `/upload-dok` then `path`) |
//! | pasangan, anak added | `/keluarga/pasangan/save`, `/keluarga/anak/save` | none: the family bodies carry no `path` |
//! | owner fields (address, phone, e-mail, NPWP, BPJS), religion | `/pns/data-utama-update` | none |
//!
//! What stays approved here only, with [`NotForwardable`] saying why: categories with no write body in the
//! sources (golongan and PMK are SIASN's own processes; pendidikan, pindah instansi, CLTN, organisasi, orang tua,
//! the pre-2022 SKP; CPNS/PNS and hukuman disiplin have endpoints in `kanekescom/laravel-siasn-simpeg-api`
//! (`PostCpnsSaveCommand`, `PostHukdisSaveCommand`) that no source shows filled in, so they are not sent), every
//! deletion, changes of a spouse or child (the family saves have no `id`, so a change would add a person), a
//! change of a record SIASN does not know (no `siasn_id`), and a person without a SIASN PNS id.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::write::{
    format_date, AnakSave, AngkaKreditSave, DataUtamaUpdate, DiklatSave, JabatanSave, KursusSave, PasanganSave,
    PenghargaanSave, Skp22Save, WriteBody, WriteEndpoint,
};
use crate::document::DocumentRef;
use crate::history::{HistoryData, HistoryKind, Predikat, Rating};
use crate::record::{OwnerFields, VerifiedFields};
use crate::usulan::UsulanAction;

/// The proposal's last step after approval: what SIASN made of it. Reaches the device with the proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SiasnStep {
    /// Queued, or being sent (also while it waits to be tried again after a passing failure).
    Pending { attempts: u32 },
    /// SIASN recorded it; its riwayat id when its answer carries one.
    Recorded { siasn_id: Option<String>, at: DateTime<Utc> },
    /// SIASN refused it (its own message), or it could not be delivered; an admin may send it again.
    Failed { message: String, at: DateTime<Utc> },
    /// SIASN has no way to take this change: it stays approved here only.
    NotForwardable { reason: NotForwardable },
}

/// One proposal of an agency whose forwarding failed (`GET /api/v1/admin/siasn/failed`), for its admin to send
/// again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiasnFailure {
    pub usulan_id: String,
    pub nip: String,
    /// The ASN's name, when the profile is there.
    pub nama: Option<String>,
    /// What the proposal changes.
    pub action: UsulanAction,
    /// SIASN's own message, or why it could not be delivered.
    pub message: String,
    /// Tries since it was queued or last sent again.
    pub attempts: u32,
    /// When it failed (the `at` of the proposal's `failed` step).
    pub failed_at: DateTime<Utc>,
}

/// One approved proposal of an agency that waits for its admin to enter it in SIASN by hand
/// (`GET /api/v1/admin/siasn/manual`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiasnManual {
    pub usulan_id: String,
    pub nip: String,
    /// The ASN's name, when the profile is there.
    pub nama: Option<String>,
    /// What the proposal changes.
    pub action: UsulanAction,
    /// Why SIASN could not take it from mysapk.
    pub reason: NotForwardable,
    /// When it was approved (and began to wait).
    pub since: DateTime<Utc>,
}

/// Why an approved change is not sent to SIASN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum NotForwardable {
    /// SIASN has no write endpoint for this category.
    NoEndpoint,
    /// Deleting a record is done in SIASN itself.
    Deletion,
    /// SIASN can add a spouse or child but has no way to change one.
    NoEditEndpoint,
    /// The record changed is not in SIASN (no SIASN id): SIASN would get a second record.
    RecordNotInSiasn,
    /// The ASN has no SIASN PNS id.
    PersonNotInSiasn,
    /// Nothing of this change has a field in SIASN.
    NothingToSend,
    /// The position's unit has no SIASN `unorId` that mysapk knows (SIASN requires one).
    UnknownUnit,
    /// The position's name is not in SIASN's reference table of its kind (`jabatanFungsional.json` for jenis 2,
    /// `jabatanPelaksana.json` for jenis 4), so it has no id SIASN would accept.
    UnknownPosition,
}

impl NotForwardable {
    /// Whether SIASN must be changed by hand (by the agency's admin) for it to hold the approved change: every
    /// reason except a person SIASN does not know and a change with no field in SIASN. Until the admin marks it
    /// entered, an import keeps our approved value.
    pub fn needs_manual_entry(self) -> bool {
        !matches!(self, NotForwardable::PersonNotInSiasn | NotForwardable::NothingToSend)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            NotForwardable::NoEndpoint => "no_endpoint",
            NotForwardable::Deletion => "deletion",
            NotForwardable::NoEditEndpoint => "no_edit_endpoint",
            NotForwardable::RecordNotInSiasn => "record_not_in_siasn",
            NotForwardable::PersonNotInSiasn => "person_not_in_siasn",
            NotForwardable::NothingToSend => "nothing_to_send",
            NotForwardable::UnknownUnit => "unknown_unit",
            NotForwardable::UnknownPosition => "unknown_position",
        }
    }
}

/// What forwarding needs to know besides the approved action.
#[derive(Debug, Clone, Copy, Default)]
pub struct ForwardContext<'a> {
    /// The ASN's SIASN PNS id (`Profile::siasn_pns_id`).
    pub pns_id: Option<&'a str>,
    /// The SIASN id of the record a change concerns (`HistoryRecord::siasn_id`).
    pub record_siasn_id: Option<&'a str>,
    /// The agency's SIASN instansi id (`Profile::instansi_id`).
    pub instansi_id: &'a str,
}

/// One change to send: the body, and the documents to upload first (their `path` goes into the body).
#[derive(Debug, Clone, PartialEq)]
pub struct Forward {
    pub body: WriteBody,
    /// The proposal's documents that have a SIASN document type (`dokumen.json` id, digits only).
    pub documents: Vec<DocumentRef>,
}

/// The write body of an approved change, or why it is not sent.
pub fn plan(
    action: &UsulanAction,
    documents: &[DocumentRef],
    ctx: ForwardContext<'_>,
) -> Result<Forward, NotForwardable> {
    let pns = ctx.pns_id.filter(|p| !p.is_empty()).ok_or(NotForwardable::PersonNotInSiasn)?;
    let body = match action {
        UsulanAction::DeleteHistory { .. } => return Err(NotForwardable::Deletion),
        UsulanAction::ChangeOwnerFields { fields } => owner_update(pns, fields)?,
        UsulanAction::ChangeVerifiedFields { fields } => verified_update(pns, fields)?,
        UsulanAction::AddHistory { data } => history_body(data, pns, None, ctx.instansi_id)?,
        UsulanAction::ChangeHistory { data, .. } => {
            if matches!(data.kind(), HistoryKind::Pasangan | HistoryKind::Anak) {
                return Err(NotForwardable::NoEditEndpoint);
            }
            // Fail on the category first: "no endpoint" says more than "not in SIASN".
            if !forwardable_kind(data.kind()) {
                return Err(NotForwardable::NoEndpoint);
            }
            let id = ctx.record_siasn_id.filter(|id| !id.is_empty()).ok_or(NotForwardable::RecordNotInSiasn)?;
            history_body(data, pns, Some(id), ctx.instansi_id)?
        }
    };
    let documents = if body.endpoint().map_data_key().is_some() {
        documents.iter().filter(|d| is_siasn_document(&d.dokumen_id)).cloned().collect()
    } else {
        Vec::new()
    };
    Ok(Forward { body, documents })
}

/// Whether SIASN knows this document type (`dokumen.json` ids are digits; ours start with `x-`).
pub fn is_siasn_document(dokumen_id: &str) -> bool {
    !dokumen_id.is_empty() && dokumen_id.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a category can be forwarded at all (for the docs and the UI's note).
pub fn forwardable_kind(kind: HistoryKind) -> bool {
    matches!(
        kind,
        HistoryKind::Jabatan
            | HistoryKind::Skp
            | HistoryKind::Diklat
            | HistoryKind::Kursus
            | HistoryKind::Penghargaan
            | HistoryKind::AngkaKredit
            | HistoryKind::Pasangan
            | HistoryKind::Anak
    )
}

fn text(s: &str) -> String {
    s.to_owned()
}

fn date(d: NaiveDate) -> String {
    format_date(d)
}

fn yes_no(b: bool) -> String {
    if b { "1" } else { "0" }.to_owned()
}

/// `perilakuDanKinerja.json`: 1 above, 2 meets, 3 below expectation.
fn rating(r: Rating) -> i32 {
    match r {
        Rating::Above => 1,
        Rating::Meets => 2,
        Rating::Below => 3,
    }
}

/// `kuadranNilai.json`: 1 Sangat Baik … 5 Sangat Kurang.
fn predikat(p: Predikat) -> i32 {
    match p {
        Predikat::SangatBaik => 1,
        Predikat::Baik => 2,
        Predikat::ButuhPerbaikan => 3,
        Predikat::Kurang => 4,
        Predikat::SangatKurang => 5,
    }
}

/// `id`: `None` for a new riwayat, `Some(siasn id)` for an edit of it.
fn history_body(
    data: &HistoryData,
    pns: &str,
    id: Option<&str>,
    instansi_id: &str,
) -> Result<WriteBody, NotForwardable> {
    let id = id.map(str::to_owned);
    Ok(match data {
        HistoryData::Jabatan(j) => {
            // SIASN names the unit and (for fungsional and pelaksana) the position by its reference ids; a body
            // without them would be refused, so the server fills them first (`server/src/siasn/resolve.rs`).
            let unor_id = j.unor_id.clone().filter(|u| !u.is_empty()).ok_or(NotForwardable::UnknownUnit)?;
            let jabatan_id = match j.jenis_jabatan_id.as_str() {
                "2" | "4" => j.jabatan_id.clone().filter(|p| !p.is_empty()).ok_or(NotForwardable::UnknownPosition)?,
                _ => String::new(),
            };
            WriteBody::Jabatan(JabatanSave {
                id,
                eselon_id: j.eselon_id.clone().unwrap_or_default(),
                instansi_id: text(instansi_id),
                jabatan_fungsional_id: if j.jenis_jabatan_id == "2" { jabatan_id.clone() } else { String::new() },
                jabatan_fungsional_umum_id: if j.jenis_jabatan_id == "4" { jabatan_id } else { String::new() },
                jenis_jabatan: j.jenis_jabatan_id.clone(),
                nomor_sk: j.sk_nomor.clone(),
                path: Vec::new(),
                pns_id: text(pns),
                satuan_kerja_id: String::new(),
                tanggal_sk: date(j.sk_tanggal),
                tmt_jabatan: date(j.tmt_jabatan),
                // Our record has no own inauguration date: the TMT is the closest fact.
                tmt_pelantikan: date(j.tmt_jabatan),
                unor_id,
            })
        }
        HistoryData::Skp(s) => WriteBody::Skp22(Skp22Save {
            id,
            hasil_kinerja_nilai: rating(s.hasil_kerja),
            kuadran_kinerja_nilai: predikat(s.predikat),
            path: Vec::new(),
            penilai_golongan: String::new(),
            penilai_jabatan: s.penilai_jabatan.clone(),
            penilai_nama: s.penilai_nama.clone(),
            penilai_nip_nrp: s.penilai_nip.clone(),
            penilai_unor_nama: s.penilai_unor.clone(),
            perilaku_kerja_nilai: rating(s.perilaku_kerja),
            pns_dinilai_orang: text(pns),
            // rumahASN `controller/siasn.controller.js` sends "ASN" for an ASN rater.
            status_penilai: text("ASN"),
            tahun: s.tahun,
        }),
        HistoryData::Diklat(d) => WriteBody::Diklat(DiklatSave {
            id,
            bobot: 0,
            institusi_penyelenggara: d.institusi_penyelenggara.clone(),
            jenis_kompetensi: String::new(),
            jumlah_jam: d.jumlah_jam,
            latihan_struktural_id: d.latihan_struktural_id.clone(),
            nomor: d.nomor_sertifikat.clone(),
            path: Vec::new(),
            pns_orang_id: text(pns),
            tahun: d.tanggal_selesai.year(),
            tanggal: date(d.tanggal_mulai),
            tanggal_selesai: date(d.tanggal_selesai),
        }),
        HistoryData::Kursus(k) => WriteBody::Kursus(KursusSave {
            id,
            instansi_id: text(instansi_id),
            institusi_penyelenggara: k.institusi_penyelenggara.clone(),
            jenis_diklat_id: k.jenis_diklat_id.clone(),
            jenis_kursus: String::new(),
            jenis_kursus_sertipikat: String::new(),
            jumlah_jam: k.jumlah_jam,
            lokasi_id: String::new(),
            nama_kursus: k.nama_kursus.clone(),
            nomor_sertipikat: k.nomor_sertifikat.clone(),
            path: Vec::new(),
            pns_orang_id: text(pns),
            tahun_kursus: k.tanggal_selesai.year(),
            tanggal_kursus: date(k.tanggal_mulai),
            tanggal_selesai_kursus: date(k.tanggal_selesai),
        }),
        HistoryData::Penghargaan(p) => WriteBody::Penghargaan(PenghargaanSave {
            id,
            harga_id: p.penghargaan_id.clone(),
            path: Vec::new(),
            pns_orang_id: text(pns),
            sk_date: date(p.sk_tanggal),
            sk_nomor: p.sk_nomor.clone(),
            tahun: p.tahun,
        }),
        HistoryData::AngkaKredit(a) => WriteBody::AngkaKredit(AngkaKreditSave {
            id,
            bulan_mulai_penailan: a.periode_mulai.month().to_string(),
            bulan_selesai_penailan: a.periode_selesai.month().to_string(),
            is_angka_kredit_pertama: yes_no(false),
            is_integrasi: yes_no(false),
            is_konversi: yes_no(false),
            kredit_baru_total: a.kredit_total.to_string(),
            kredit_penunjang_baru: a.kredit_penunjang.to_string(),
            kredit_utama_baru: a.kredit_utama.to_string(),
            nomor_sk: a.nomor_sk.clone(),
            path: Vec::new(),
            pns_id: text(pns),
            rw_jabatan_id: String::new(),
            tahun_mulai_penailan: a.periode_mulai.year().to_string(),
            tahun_selesai_penailan: a.periode_selesai.year().to_string(),
            tanggal_sk: date(a.tanggal_sk),
        }),
        HistoryData::Pasangan(p) => WriteBody::Pasangan(PasanganSave {
            pns_orang_id: text(pns),
            nama: p.nama.clone(),
            tgl_lahir: date(p.tanggal_lahir),
            status_hidup: yes_no(p.hidup),
            status_pernikahan: p.status_kawin_id.clone(),
            no_akta_menikah: p.akta_menikah.clone(),
            tgl_akta_menikah: date(p.tanggal_menikah),
            ..PasanganSave::default()
        }),
        HistoryData::Anak(a) => WriteBody::Anak(AnakSave {
            pns_orang_id: text(pns),
            nama: a.nama.clone(),
            jenis_kelamin: a.jenis_kelamin.clone(),
            // rumahASN `FormAnak.js`: "1" kandung, "2" tiri, "3" angkat.
            jenis_anak_id: match a.status_anak.as_str() {
                "tiri" => "2",
                "angkat" => "3",
                _ => "1",
            }
            .to_owned(),
            tgl_lahir: date(a.tanggal_lahir),
            status_hidup: yes_no(a.hidup),
            akta_kelahiran: a.nomor_akta_kelahiran.clone(),
            ..AnakSave::default()
        }),
        HistoryData::CpnsPns(_)
        | HistoryData::Golongan(_)
        | HistoryData::Pmk(_)
        | HistoryData::Pendidikan(_)
        | HistoryData::OrangTua(_)
        | HistoryData::HukumanDisiplin(_)
        | HistoryData::PindahInstansi(_)
        | HistoryData::Cltn(_)
        | HistoryData::SkpLama(_)
        | HistoryData::Organisasi(_) => return Err(NotForwardable::NoEndpoint),
    })
}

/// Owner fields → `/pns/data-utama-update` (only the fields given change; rumahASN sends partial bodies).
fn owner_update(pns: &str, f: &OwnerFields) -> Result<WriteBody, NotForwardable> {
    let body = DataUtamaUpdate {
        pns_orang_id: text(pns),
        alamat: f.alamat.clone(),
        email: f.email.clone(),
        nomor_hp: f.no_hp.clone(),
        npwp_nomor: f.npwp.clone(),
        nomor_bpjs: f.bpjs.clone(),
        ..DataUtamaUpdate::default()
    };
    non_empty_update(body)
}

/// Verified fields → `/pns/data-utama-update`: of ours only the religion has a field there. The others (NIK,
/// marital status, place of birth, titles) are in SIASN's `data-utama` but cannot be written from outside, so a
/// change of any of them is entered in SIASN by hand, whole (sending the religion alone would split one decision).
fn verified_update(pns: &str, f: &VerifiedFields) -> Result<WriteBody, NotForwardable> {
    let VerifiedFields { nik, agama_id: _, status_kawin_id, tempat_lahir, gelar_depan, gelar_belakang } = f;
    if [nik, status_kawin_id, tempat_lahir, gelar_depan, gelar_belakang].iter().any(|v| v.is_some()) {
        return Err(NotForwardable::NoEndpoint);
    }
    non_empty_update(DataUtamaUpdate {
        pns_orang_id: text(pns),
        agama_id: f.agama_id.clone(),
        ..DataUtamaUpdate::default()
    })
}

fn non_empty_update(body: DataUtamaUpdate) -> Result<WriteBody, NotForwardable> {
    if body == (DataUtamaUpdate { pns_orang_id: body.pns_orang_id.clone(), ..DataUtamaUpdate::default() }) {
        return Err(NotForwardable::NothingToSend);
    }
    Ok(WriteBody::DataUtama(body))
}

/// Where to look for a new riwayat after a send whose answer was lost, and which fields make it the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LostAnswerCheck {
    /// The read path, with `{nip}`.
    pub path: &'static str,
    /// JSON pointer to the list in the answer's `data` (`""`: `data` is the list).
    pub list: &'static str,
    /// `(field of the save body, JSON pointer in a listed record)`: all equal (trimmed, case aside) = the same.
    pub keys: &'static [(&'static str, &'static str)],
    /// JSON pointer to the listed record's id.
    pub id: &'static str,
}

const fn rw(path: &'static str, keys: &'static [(&'static str, &'static str)]) -> LostAnswerCheck {
    LostAnswerCheck { path, list: "", keys, id: "/id" }
}

/// How to check for a new riwayat after a lost answer. Field names from `super::read` (`RwJabatan`, `RwDiklat`,
/// `RwKursus`, `RwPenghargaan`, `RwAngkakredit`, `RwSkp22`, and `Anak`, `Orang` of the family objects). A new
/// spouse or child is the person of the same name and birth date: SIASN gives a family save no id, so nothing
/// finer exists, and a person SIASN held already with both equal would be the same one sent twice anyway.
/// `None`: an update (same `id`, or data utama) is simply sent again.
pub fn lost_answer_check(endpoint: WriteEndpoint) -> Option<LostAnswerCheck> {
    Some(match endpoint {
        WriteEndpoint::Jabatan => {
            rw("/pns/rw-jabatan/{nip}", &[("nomorSk", "/nomorSk"), ("tmtJabatan", "/tmtJabatan")])
        }
        WriteEndpoint::Skp22 => rw("/pns/rw-skp22/{nip}", &[("tahun", "/tahun")]),
        WriteEndpoint::Diklat => rw("/pns/rw-diklat/{nip}", &[("nomor", "/nomor"), ("tanggal", "/tanggal")]),
        WriteEndpoint::Kursus => {
            rw("/pns/rw-kursus/{nip}", &[("namaKursus", "/namaKursus"), ("tanggalKursus", "/tanggalKursus")])
        }
        WriteEndpoint::Penghargaan => rw("/pns/rw-penghargaan/{nip}", &[("skNomor", "/skNomor"), ("tahun", "/tahun")]),
        WriteEndpoint::AngkaKredit => rw("/pns/rw-angkakredit/{nip}", &[("nomorSk", "/nomorSk")]),
        WriteEndpoint::Anak => LostAnswerCheck {
            path: "/pns/data-anak/{nip}",
            list: "/listAnak",
            keys: &[("nama", "/nama"), ("tglLahir", "/tglLahir")],
            id: "/id",
        },
        WriteEndpoint::Pasangan => LostAnswerCheck {
            path: "/pns/data-pasangan/{nip}",
            list: "/listPasangan",
            keys: &[("nama", "/orang/nama"), ("tglLahir", "/orang/tglLahir")],
            id: "/orang/id",
        },
        WriteEndpoint::DataUtama => return None,
    })
}

/// The id of the record in a read answer's `data` that is the body's riwayat, if any.
pub fn find_sent(body: &serde_json::Value, data: &serde_json::Value, check: &LostAnswerCheck) -> Option<String> {
    let as_text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => Some(s.trim().to_lowercase()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let list = if check.list.is_empty() { Some(data) } else { data.pointer(check.list) };
    list?.as_array()?.iter().find_map(|item| {
        let same = check.keys.iter().all(|(ours, theirs)| {
            let a = body.get(*ours).and_then(as_text);
            a.is_some() && a == item.pointer(theirs).and_then(as_text)
        });
        if same {
            match item.pointer(check.id) {
                Some(serde_json::Value::String(id)) if !id.trim().is_empty() => Some(id.trim().to_owned()),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            }
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::samples;
    use crate::record::OwnerFields;

    fn born() -> NaiveDate {
        NaiveDate::from_ymd_opt(1985, 3, 30).expect("date")
    }

    fn ctx<'a>(record: Option<&'a str>) -> ForwardContext<'a> {
        ForwardContext { pns_id: Some("A8ACA7CD3C7F3912E040640A040269BB"), record_siasn_id: record, instansi_id: "I1" }
    }

    /// A sample of `kind`, a position with the reference ids the server fills in.
    fn sample(kind: HistoryKind) -> HistoryData {
        let mut data = samples::sample(kind, born(), 1);
        if let HistoryData::Jabatan(j) = &mut data {
            j.unor_id = Some("8ae483a570e6758b01710ba2c7527d01".into());
            j.jabatan_id = Some("8ae483a570e6758b01710ba2c7527d80".into());
        }
        data
    }

    #[test]
    fn only_a_person_unknown_to_siasn_or_nothing_to_send_needs_no_manual_entry() {
        use NotForwardable as N;
        let manual =
            [N::NoEndpoint, N::Deletion, N::NoEditEndpoint, N::RecordNotInSiasn, N::UnknownUnit, N::UnknownPosition];
        assert!(manual.into_iter().all(N::needs_manual_entry));
        assert!(![N::PersonNotInSiasn, N::NothingToSend].into_iter().any(N::needs_manual_entry));
    }

    #[test]
    fn every_kind_is_forwarded_or_says_why() {
        for kind in HistoryKind::ALL {
            let data = sample(kind);
            let add = plan(&UsulanAction::AddHistory { data: data.clone() }, &[], ctx(None));
            assert_eq!(add.is_ok(), forwardable_kind(kind), "{kind:?}");
            if let Ok(f) = add {
                assert_eq!(f.body.riwayat_id(), None, "an addition is a new riwayat");
                assert_eq!(f.body.pns_id(), "A8ACA7CD3C7F3912E040640A040269BB");
                for (field, value) in f.body.dates() {
                    assert!(super::super::write::parse_date(value).is_some(), "{kind:?} {field} {value}");
                }
            } else {
                assert_eq!(add.err(), Some(NotForwardable::NoEndpoint));
            }
            let change = UsulanAction::ChangeHistory { record_id: "r".into(), data };
            match plan(&change, &[], ctx(Some("siasn-1"))) {
                Ok(f) => assert_eq!(f.body.riwayat_id(), Some("siasn-1"), "an edit names the riwayat"),
                Err(e) => assert!(matches!(e, NotForwardable::NoEndpoint | NotForwardable::NoEditEndpoint), "{e:?}"),
            }
            if kind == HistoryKind::Jabatan {
                assert_eq!(plan(&change, &[], ctx(None)).err(), Some(NotForwardable::RecordNotInSiasn));
            }
        }
    }

    #[test]
    fn a_position_goes_only_with_its_reference_ids() {
        let HistoryData::Jabatan(j) = sample(HistoryKind::Jabatan) else { unreachable!("a position") };
        let add = |j: &crate::history::Jabatan| {
            plan(&UsulanAction::AddHistory { data: HistoryData::Jabatan(j.clone()) }, &[], ctx(None))
        };
        let f = add(&j).expect("a position with its ids is sent");
        let body = f.body.to_json();
        assert_eq!(body["unorId"], "8ae483a570e6758b01710ba2c7527d01");
        let id_field = if j.jenis_jabatan_id == "2" { "jabatanFungsionalId" } else { "jabatanFungsionalUmumId" };
        assert_eq!(body[id_field], "8ae483a570e6758b01710ba2c7527d80");
        assert_eq!(
            add(&crate::history::Jabatan { unor_id: None, ..j.clone() }).err(),
            Some(NotForwardable::UnknownUnit)
        );
        for jenis in ["2", "4"] {
            let no_id = crate::history::Jabatan {
                jenis_jabatan_id: jenis.into(),
                jabatan_id: Some(String::new()),
                ..j.clone()
            };
            assert_eq!(add(&no_id).err(), Some(NotForwardable::UnknownPosition), "jenis {jenis}");
        }
        // A struktural position is its unit's own: no position id.
        let struktural = crate::history::Jabatan { jenis_jabatan_id: "1".into(), jabatan_id: None, ..j };
        assert_eq!(add(&struktural).expect("struktural is sent").body.to_json()["jabatanFungsionalId"], "");
    }

    #[test]
    fn deletions_people_without_siasn_id_and_empty_updates_are_not_sent() {
        let del = UsulanAction::DeleteHistory { record_id: "r".into(), kind: HistoryKind::Diklat };
        assert_eq!(plan(&del, &[], ctx(Some("x"))).err(), Some(NotForwardable::Deletion));
        let add = UsulanAction::AddHistory { data: samples::sample(HistoryKind::Diklat, born(), 1) };
        let nobody = ForwardContext { pns_id: None, ..ctx(None) };
        assert_eq!(plan(&add, &[], nobody).err(), Some(NotForwardable::PersonNotInSiasn));
        let nik_only = UsulanAction::ChangeVerifiedFields {
            fields: VerifiedFields { nik: Some("3201010101010001".into()), ..VerifiedFields::default() },
        };
        // SIASN holds the NIK but takes no write of it: entered by hand, with the religion when both change.
        assert_eq!(plan(&nik_only, &[], ctx(None)).err(), Some(NotForwardable::NoEndpoint));
        let religion = VerifiedFields { agama_id: Some("1".into()), ..VerifiedFields::default() };
        let both = VerifiedFields { nik: Some("3201010101010001".into()), ..religion.clone() };
        let verified = |fields| plan(&UsulanAction::ChangeVerifiedFields { fields }, &[], ctx(None));
        assert_eq!(verified(both).err(), Some(NotForwardable::NoEndpoint));
        assert!(verified(religion).is_ok(), "the religion alone is sent");
        let phone = UsulanAction::ChangeOwnerFields {
            fields: OwnerFields { no_hp: Some("081234567890".into()), ..OwnerFields::default() },
        };
        let f = plan(&phone, &[], ctx(None)).expect("owner fields go to data-utama-update");
        assert_eq!(
            f.body.to_json(),
            serde_json::json!({"pns_orang_id": "A8ACA7CD3C7F3912E040640A040269BB", "nomor_hp": "081234567890"})
        );
    }

    #[test]
    fn only_siasn_document_types_are_uploaded() {
        assert!(is_siasn_document("872"));
        assert!(!is_siasn_document("x-kk"));
        assert!(!is_siasn_document(""));
    }

    #[test]
    fn a_lost_answer_is_found_by_its_fields() {
        let check = lost_answer_check(WriteEndpoint::Penghargaan).expect("penghargaan is checked");
        let body = serde_json::json!({"skNomor": "SK/1", "tahun": 2023});
        let list = serde_json::json!([{"id": "a", "skNomor": "SK/0", "tahun": "2023"}, {"id": "b", "skNomor": "SK/1", "tahun": "2023"}]);
        assert_eq!(find_sent(&body, &list, &check), Some("b".into()));
        assert_eq!(find_sent(&body, &serde_json::json!([]), &check), None);
        assert!(lost_answer_check(WriteEndpoint::DataUtama).is_none());
    }

    /// A new child or spouse: by name (SIASN may upper-case it) and birth date, in the family object's list.
    #[test]
    fn a_lost_family_answer_is_found_by_name_and_birth_date() {
        let body = serde_json::json!({"nama": "Listya ", "tglLahir": "17-01-1992"});
        let check = lost_answer_check(WriteEndpoint::Pasangan).expect("pasangan is checked");
        let data = crate::siasn::read::documented_pasangan_response();
        assert_eq!(find_sent(&body, &data, &check).as_deref(), Some("1eec9bef-ae07-487e-a864-9b5410234238"));
        let other_day = serde_json::json!({"nama": "LISTYA", "tglLahir": "18-01-1992"});
        assert_eq!(find_sent(&other_day, &data, &check), None);
        let check = lost_answer_check(WriteEndpoint::Anak).expect("anak is checked");
        let data = serde_json::json!({"listAnak": [
            {"id": "c1", "nama": "AYU", "tglLahir": "01-02-2015"}, {"id": "c2", "nama": "Bima", "tglLahir": "01-02-2017"}
        ]});
        let body = serde_json::json!({"nama": "Bima", "tglLahir": "01-02-2017", "jenisKelamin": "M"});
        assert_eq!(find_sent(&body, &data, &check).as_deref(), Some("c2"));
        assert_eq!(find_sent(&body, &serde_json::json!({"listAnak": []}), &check), None);
    }

    #[test]
    fn the_step_reads_as_tagged_json() {
        let s = SiasnStep::NotForwardable { reason: NotForwardable::Deletion };
        assert_eq!(
            serde_json::to_value(&s).expect("json"),
            serde_json::json!({"status": "not_forwardable", "reason": "deletion"})
        );
    }
}

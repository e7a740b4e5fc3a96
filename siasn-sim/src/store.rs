//! The simulator's data: people, the riwayat saved through the write endpoints, uploaded documents, every
//! request it received and the switches tests flip. One mutex: every handler holds it briefly, never across
//! an await.

use std::collections::BTreeMap;

use mysapk_model::siasn::read::DataUtama;
use mysapk_model::siasn::write::{DokumenPath, WriteBody, WriteEndpoint};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One ASN as SIASN holds them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    /// The PNS id (32 uppercase hex, an Oracle GUID).
    pub pns_id: String,
    pub nip: String,
    pub nama: String,
    pub instansi_id: String,
    /// Fields changed by `/pns/data-utama-update`, under SIASN's snake_case names.
    #[serde(default)]
    pub data_utama_updates: BTreeMap<String, String>,
    /// The `data` of each read resource by name (`data-utama`, `rw-jabatan`, …), as SIASN answers it; a
    /// resource absent (or an empty list) is answered "not found".
    #[serde(default)]
    pub resources: BTreeMap<String, serde_json::Value>,
}

impl Person {
    /// A person with a `data-utama` of its identity only.
    pub fn new(pns_id: &str, nip: &str, nama: &str, instansi_id: &str) -> Self {
        let data_utama = DataUtama {
            id: Some(pns_id.to_owned()),
            nip_baru: Some(nip.to_owned()),
            nip_lama: Some(String::new()),
            nama: Some(nama.to_owned()),
            instansi_induk_id: Some(instansi_id.to_owned()),
            instansi_kerja_id: Some(instansi_id.to_owned()),
            ..DataUtama::default()
        };
        let mut person = Person {
            pns_id: pns_id.to_owned(),
            nip: nip.to_owned(),
            nama: nama.to_owned(),
            instansi_id: instansi_id.to_owned(),
            data_utama_updates: BTreeMap::new(),
            resources: BTreeMap::new(),
        };
        person.set_resource("data-utama", &data_utama);
        person
    }

    /// Resource `name` read as `T`.
    pub fn resource<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        self.resources.get(name).and_then(|v| serde_json::from_value(v.clone()).ok())
    }

    /// Sets resource `name` (a [`mysapk_model::siasn::read`] shape or a list of them).
    pub fn set_resource<T: Serialize>(&mut self, name: &str, value: &T) {
        if let Ok(value) = serde_json::to_value(value) {
            self.resources.insert(name.to_owned(), value);
        }
    }

    pub fn data_utama(&self) -> DataUtama {
        self.resource("data-utama").unwrap_or_default()
    }

    /// `"M"` or `"F"` as `data-utama.jenisKelamin` says.
    pub fn jenis_kelamin(&self) -> Option<String> {
        self.data_utama().jenis_kelamin
    }
}

/// A riwayat written through a save endpoint (or generated at start).
#[derive(Debug, Clone, PartialEq)]
pub struct Riwayat {
    pub id: String,
    pub pns_id: String,
    pub body: WriteBody,
    /// Documents attached by `/upload-dok-rw`, by document type (`dok_id`).
    pub documents: BTreeMap<String, DokumenPath>,
}

impl Riwayat {
    pub fn endpoint(&self) -> WriteEndpoint {
        self.body.endpoint()
    }
}

/// The outcome of one call to a write endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Stored; the riwayat id (new or edited), `None` for the endpoints that answer no id.
    Accepted { riwayat_id: Option<String>, edit: bool },
    /// Answered `success: false` with this message.
    Refused(String),
}

/// One call to a write endpoint whose body could be read.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveEvent {
    pub body: WriteBody,
    pub outcome: SaveOutcome,
}

impl SaveEvent {
    pub fn endpoint(&self) -> WriteEndpoint {
        self.body.endpoint()
    }

    pub fn accepted(&self) -> bool {
        matches!(self.outcome, SaveOutcome::Accepted { .. })
    }
}

/// A document received by `/upload-dok` or `/upload-dok-rw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredUpload {
    /// What the upload answered (`dok_uri` is the key).
    pub dok: DokumenPath,
    pub file_name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// `/upload-dok-rw`: the riwayat it was attached to.
    pub id_riwayat: Option<String>,
}

/// One request as received, with the status it was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLog {
    pub method: String,
    /// The route (`/apisiasn/1.0/pns/data-utama/{nip}`), or the path when no route matched.
    pub route: String,
    pub path: String,
    pub status: u16,
}

/// How the simulator answers when told it is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outage {
    /// 503 from the gateway: WSO2 `Runtime Error`, "Error connecting to the back end" (code 101503).
    Unavailable,
    /// 503 from the gateway with the back end's endpoint suspended (code 303001, description with `SUSPENDED`,
    /// which rumahASN `middleware/siasn.middleware.js` tells apart).
    Suspended,
    /// 502 Bad Gateway with an HTML page, as a reverse proxy in front answers.
    BadGateway,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    pub people: BTreeMap<String, Person>,
    pub riwayat: BTreeMap<String, Riwayat>,
    pub saves: Vec<SaveEvent>,
    pub uploads: BTreeMap<String, StoredUpload>,
    pub requests: Vec<RequestLog>,
    pub outage: Option<Outage>,
    pub refusal: Option<String>,
    /// How many of the next accepted saves and uploads are stored but answered 504 (the answer lost).
    pub lost_answers: usize,
}

impl Store {
    /// Whether this accepted write's answer is lost (counting it down).
    pub fn lose_answer(&mut self) -> bool {
        let lose = self.lost_answers > 0;
        self.lost_answers = self.lost_answers.saturating_sub(1);
        lose
    }
}

impl Store {
    pub fn person_by_nip(&self, nip: &str) -> Option<&Person> {
        self.people.values().find(|p| p.nip == nip)
    }

    /// The person holding riwayat `id` in one of their list resources, and that resource's name.
    pub fn holder_of(&mut self, id: &str) -> Option<(&mut Person, String)> {
        self.people.values_mut().find_map(|p| {
            let name = p.resources.iter().find_map(|(name, v)| {
                v.as_array()?.iter().any(|r| r.get("id").and_then(|i| i.as_str()) == Some(id)).then(|| name.clone())
            })?;
            Some((p, name))
        })
    }
}

/// The file form of the data (`SimConfig::data_file`).
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub people: Vec<Person>,
    pub riwayat: Vec<RiwayatFile>,
    pub uploads: Vec<StoredUpload>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct RiwayatFile {
    pub id: String,
    pub pns_id: String,
    pub endpoint: WriteEndpoint,
    pub body: serde_json::Value,
    #[serde(default)]
    pub documents: BTreeMap<String, DokumenPath>,
}

impl Store {
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            people: self.people.values().cloned().collect(),
            riwayat: self
                .riwayat
                .values()
                .map(|r| RiwayatFile {
                    id: r.id.clone(),
                    pns_id: r.pns_id.clone(),
                    endpoint: r.endpoint(),
                    body: r.body.to_json(),
                    documents: r.documents.clone(),
                })
                .collect(),
            uploads: self.uploads.values().cloned().collect(),
        }
    }

    pub fn restore(&mut self, snapshot: Snapshot) -> Result<(), serde_json::Error> {
        for p in snapshot.people {
            self.people.insert(p.pns_id.clone(), p);
        }
        for r in snapshot.riwayat {
            let body = WriteBody::from_json(r.endpoint, r.body.to_string().as_bytes())?;
            self.riwayat.insert(r.id.clone(), Riwayat { id: r.id, pns_id: r.pns_id, body, documents: r.documents });
        }
        for u in snapshot.uploads {
            self.uploads.insert(u.dok.dok_uri.clone(), u);
        }
        Ok(())
    }
}

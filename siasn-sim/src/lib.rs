//! A SIASN simulator: the stand-in for the national civil-service system in tests and demos.
//!
//! It serves, on one address, what an integrator meets at SIASN: the APIM OAuth2 token endpoint, the SSO
//! (Keycloak) token endpoint, and the API under [`API_BASE`] behind the gateway (APIM token, rate limit per
//! integrator, back-end outages, SSO token): reads, writes and document uploads, with SIASN's shapes. Every
//! behaviour and its source is listed in `siasn-sim/README.md`.
//!
//! ```no_run
//! # async fn demo() -> Result<(), mysapk_siasn_sim::SimError> {
//! use mysapk_siasn_sim::{SimConfig, Simulator};
//! let sim = Simulator::start(SimConfig::default().with_people("A5EB03E23CCCF6A0E040640A040252AD", 10, 7)).await?;
//! let base = sim.base_url(); // http://127.0.0.1:<port>/apisiasn/1.0
//! let saves = sim.data().saves(); // what was written, for assertions
//! # let _ = (base, saves); Ok(()) }
//! ```

mod auth;
mod codes;
pub mod config;
mod gateway;
pub mod generate;
mod reads;
mod records;
mod saves;
mod server;
pub mod store;
mod uploads;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use mysapk_model::history::HistoryRecord;
use mysapk_model::record::Profile;
use mysapk_model::siasn::to_siasn::{self, Names};
use mysapk_model::siasn::write::WriteEndpoint;
use mysapk_model::siasn::RESOURCES;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use auth::{APIM_TOKEN_PATH, SSO_TOKEN_PATH};
pub use config::{ApimClient, Generate, SimConfig, SsoUser};
pub use reads::PHOTO_PNG;
pub use store::{Outage, Person, RequestLog, Riwayat, SaveEvent, SaveOutcome, StoredUpload};
pub use uploads::doc_type_name;

use server::{Shared, SharedState};
use store::{Snapshot, Store};

/// The API's base path (kanekescom/laravel-siasn-simpeg-api `config/siasn-simpeg-api.php`:
/// `https://apimws.bkn.go.id:8243/apisiasn/1.0`).
pub const API_BASE: &str = "/apisiasn/1.0";

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot listen: {0}")]
    Listen(#[source] std::io::Error),
    #[error("data file {path}: {source}")]
    DataFile { path: String, source: std::io::Error },
    #[error("data file {path} is not a simulator snapshot: {source}")]
    DataFormat { path: String, source: serde_json::Error },
}

pub struct Simulator;

impl Simulator {
    /// Starts a simulator on `127.0.0.1` at a free port.
    pub async fn start(config: SimConfig) -> Result<RunningSimulator, SimError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a simulator on `addr`.
    pub async fn start_on(config: SimConfig, addr: SocketAddr) -> Result<RunningSimulator, SimError> {
        let mut store = Store::default();
        if let Some(path) = config.data_file.as_deref().filter(|p| p.exists()) {
            store.restore(read_snapshot(path)?).map_err(|source| data_format(path, source))?;
        }
        // People come from the data file when it has them; generated only into an empty simulator.
        if let Some(generate) = config.generate.as_ref().filter(|_| store.people.is_empty()) {
            generate::populate(&mut store, generate);
        }
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(SimError::Listen)?;
        let addr = listener.local_addr().map_err(SimError::Listen)?;
        let shared = Arc::new(SharedState {
            config,
            origin: format!("http://{addr}"),
            tokens: Mutex::new(auth::Tokens::new()),
            store: Mutex::new(store),
            throttle: Mutex::new(Default::default()),
        });
        let app = server::router(shared.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let serve = axum::serve(listener, app).with_graceful_shutdown(async {
                stopped.await.ok();
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "simulator stopped");
            }
        });
        Ok(RunningSimulator { shared, addr, stop: Some(stop), task })
    }
}

fn data_format(path: &Path, source: serde_json::Error) -> SimError {
    SimError::DataFormat { path: path.display().to_string(), source }
}

fn read_snapshot(path: &Path) -> Result<Snapshot, SimError> {
    let text = std::fs::read(path).map_err(|source| SimError::DataFile { path: path.display().to_string(), source })?;
    serde_json::from_slice(&text).map_err(|source| data_format(path, source))
}

/// A running simulator; stops when dropped.
pub struct RunningSimulator {
    shared: Shared,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<()>,
}

impl RunningSimulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> String {
        self.shared.origin.clone()
    }

    /// The API base every read, write and upload path follows: `http://127.0.0.1:<port>/apisiasn/1.0`.
    pub fn base_url(&self) -> String {
        format!("{}{API_BASE}", self.shared.origin)
    }

    /// The APIM token endpoint: `http://127.0.0.1:<port>/oauth2/token`.
    pub fn apim_token_url(&self) -> String {
        format!("{}{APIM_TOKEN_PATH}", self.shared.origin)
    }

    /// The SSO token endpoint: `http://127.0.0.1:<port>/auth/realms/public-siasn/protocol/openid-connect/token`.
    pub fn sso_url(&self) -> String {
        format!("{}{SSO_TOKEN_PATH}", self.shared.origin)
    }

    /// The `MYSAPK_SIASN_*` settings (docs/DEPLOY.md §8) that point a mysapk server at this simulator with the test
    /// credentials and no pacing, for tests that run the server as a process.
    pub fn mysapk_env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("MYSAPK_SIASN_BASE_URL", self.base_url()),
            ("MYSAPK_SIASN_APIM_TOKEN_URL", self.apim_token_url()),
            ("MYSAPK_SIASN_APIM_KEY", SimConfig::TEST_APIM_KEY.to_owned()),
            ("MYSAPK_SIASN_APIM_SECRET", SimConfig::TEST_APIM_SECRET.to_owned()),
            ("MYSAPK_SIASN_SSO_URL", self.sso_url()),
            ("MYSAPK_SIASN_SSO_CLIENT_ID", SimConfig::TEST_SSO_CLIENT_ID.to_owned()),
            ("MYSAPK_SIASN_SSO_USERNAME", SimConfig::TEST_SSO_USERNAME.to_owned()),
            ("MYSAPK_SIASN_SSO_PASSWORD", SimConfig::TEST_SSO_PASSWORD.to_owned()),
            ("MYSAPK_SIASN_MIN_INTERVAL_MS", "0".to_owned()),
        ]
    }

    /// The agency's NIP list (simulator-only, standing for SIASN's employee export): `nip_baru,pns_id,nama`.
    pub fn instansi_csv_url(&self, instansi_id: &str) -> String {
        format!("{}/sim/instansi/{instansi_id}/pns.csv", self.shared.origin)
    }

    /// The simulator's data and switches, for test assertions.
    pub fn data(&self) -> SimData {
        SimData { shared: self.shared.clone() }
    }

    /// Writes the data to `SimConfig::data_file` (nothing when there is none).
    pub fn save_data(&self) -> Result<(), SimError> {
        let Some(path) = self.shared.config.data_file.as_deref() else {
            return Ok(());
        };
        let snapshot = self.data().store().snapshot();
        let text = serde_json::to_vec_pretty(&snapshot).map_err(|source| data_format(path, source))?;
        std::fs::write(path, text).map_err(|source| SimError::DataFile { path: path.display().to_string(), source })
    }

    /// Stops serving and waits until it has.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            stop.send(()).ok();
        }
        (&mut self.task).await.ok();
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A handle to a simulator's data and switches.
#[derive(Clone)]
pub struct SimData {
    shared: Shared,
}

impl SimData {
    fn store(&self) -> MutexGuard<'_, Store> {
        server::lock(&self.shared.store)
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    pub fn people(&self) -> Vec<Person> {
        self.store().people.values().cloned().collect()
    }

    pub fn person_by_nip(&self, nip: &str) -> Option<Person> {
        self.store().person_by_nip(nip).cloned()
    }

    /// Adds (or replaces, by PNS id) a person.
    pub fn add_person(&self, person: Person) {
        self.store().people.insert(person.pns_id.clone(), person);
    }

    /// Adds the person whose record our model holds: every read resource [`to_siasn::read`] fills (a profile
    /// without a SIASN PNS id is known by its NIP, as `to_siasn` does).
    pub fn add_from_model(&self, profile: &Profile, history: &[HistoryRecord], names: &dyn Names) -> Person {
        let pns_id = to_siasn::pns_id(profile);
        let mut person = Person::new(&pns_id, profile.nip.as_str(), &profile.nama, &profile.instansi_id);
        for resource in RESOURCES {
            if let Some(data) = to_siasn::read(resource.name, profile, history, names) {
                person.resources.insert(resource.name.to_owned(), data);
            }
        }
        self.add_person(person.clone());
        person
    }

    /// The NIPs of agency `instansi_id`, ordered (what the agency's employee export lists).
    pub fn nips_of(&self, instansi_id: &str) -> Vec<String> {
        let mut nips: Vec<String> =
            self.store().people.values().filter(|p| p.instansi_id == instansi_id).map(|p| p.nip.clone()).collect();
        nips.sort();
        nips
    }

    /// Changes the record of the person with `nip` (a re-import then sees the change); false when there is none.
    pub fn update_person(&self, nip: &str, change: impl FnOnce(&mut Person)) -> bool {
        let mut store = self.store();
        match store.people.values_mut().find(|p| p.nip == nip) {
            Some(person) => {
                change(person);
                true
            }
            None => false,
        }
    }

    pub fn riwayat(&self, id: &str) -> Option<Riwayat> {
        self.store().riwayat.get(id).cloned()
    }

    /// Every riwayat of the person with PNS id `pns_id`.
    pub fn riwayat_of(&self, pns_id: &str) -> Vec<Riwayat> {
        self.store().riwayat.values().filter(|r| r.pns_id == pns_id).cloned().collect()
    }

    /// Changes riwayat `id`; false when there is none.
    pub fn update_riwayat(&self, id: &str, change: impl FnOnce(&mut Riwayat)) -> bool {
        self.store().riwayat.get_mut(id).map(change).is_some()
    }

    /// Every call to a write endpoint whose body could be read, in order.
    pub fn saves(&self) -> Vec<SaveEvent> {
        self.store().saves.clone()
    }

    /// The calls to one write endpoint.
    pub fn saves_to(&self, endpoint: WriteEndpoint) -> Vec<SaveEvent> {
        self.store().saves.iter().filter(|s| s.endpoint() == endpoint).cloned().collect()
    }

    pub fn uploads(&self) -> Vec<StoredUpload> {
        self.store().uploads.values().cloned().collect()
    }

    /// The upload stored under `dok_uri`.
    pub fn upload(&self, dok_uri: &str) -> Option<StoredUpload> {
        self.store().uploads.get(dok_uri).cloned()
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<RequestLog> {
        self.store().requests.clone()
    }

    /// How many requests matched `route` (a route such as `/apisiasn/1.0/jabatan/save` or
    /// `/apisiasn/1.0/pns/data-utama/{nip}`).
    pub fn request_count(&self, route: &str) -> usize {
        self.store().requests.iter().filter(|r| r.route == route).count()
    }

    /// API calls from now on are answered as `outage` says (`None`: served again).
    pub fn set_outage(&self, outage: Option<Outage>) {
        self.store().outage = outage;
    }

    /// Every save from now on is refused with `message` (`None`: accepted again).
    pub fn refuse_saves(&self, message: Option<&str>) {
        self.store().refusal = message.map(str::to_owned);
    }

    /// The next `count` accepted saves and uploads are stored, but answered 504 (WSO2 101504 "Send timeout"):
    /// the answer is lost while SIASN did the work, as when the gateway times out on a slow back end.
    pub fn lose_answers(&self, count: usize) {
        self.store().lost_answers = count;
    }

    /// Every token issued so far expires now.
    pub fn expire_tokens(&self) {
        server::lock(&self.shared.tokens).expire_all();
    }
}

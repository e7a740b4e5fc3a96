//! Transport from the device's side: the core talks HTTPS to a server whose certificate an agency's private CA
//! issued (generated here) when that CA is given as an extra root, refuses it without, and refuses plain HTTP to
//! any host but this device.

use mysapk_core::{Core, CoreConfig};
use mysapk_model::usulan::UsulanState;
use mysapk_model::view::SyncPhase;
use mysapk_server::tls::TlsFiles;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

use crate::support::{Backend, Bench, ASN, PASSWORD};
use crate::{add_golongan, d, golongan_docs, state_of};

/// An agency CA and a server certificate for `localhost` it signed, as PEM files in `dir`: the server's files
/// and the CA's certificate file.
fn private_ca(dir: &std::path::Path) -> (TlsFiles, std::path::PathBuf) {
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name.push(DnType::CommonName, "CA Instansi Uji");
    let ca_key = KeyPair::generate().expect("CA key");
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let leaf_key = KeyPair::generate().expect("server key");
    let leaf = CertificateParams::new(vec!["localhost".to_owned()])
        .expect("server params")
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .expect("server certificate");
    let files = TlsFiles { cert: dir.join("server.pem"), key: dir.join("server.key") };
    std::fs::write(&files.cert, leaf.pem()).expect("write server certificate");
    std::fs::write(&files.key, leaf_key.serialize_pem()).expect("write server key");
    let ca_file = dir.join("ca-instansi.pem");
    std::fs::write(&ca_file, ca_cert.pem()).expect("write CA certificate");
    (files, ca_file)
}

pub(crate) async fn the_device_trusts_an_agency_ca_given_as_an_extra_root(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    let pki = tempfile::tempdir().expect("tempdir");
    let (files, ca_file) = private_ca(pki.path());
    bench.start_with(|c| c.tls = Some(files)).await;
    let https = format!("https://localhost:{}", bench.addr.port());

    // Without the agency's CA the server's certificate is not trusted: a clear, typed refusal.
    let untrusting = Core::open(CoreConfig::new(bench.device_dir("untrusting"), https.clone())).expect("open");
    let err = untrusting.login(ASN, PASSWORD).await.expect_err("untrusted certificate");
    assert_eq!(err.code(), "transport.untrusted_certificate", "{err:?}");
    assert_eq!(err.to_api_error().code, "transport.untrusted_certificate");
    assert!(untrusting.session().is_none());

    // With it: login, the first sync, a proposal sent and acknowledged, all over HTTPS.
    let mut config = CoreConfig::new(bench.device_dir("phone"), https.clone());
    config.extra_roots = vec![ca_file.clone()];
    let core = Core::open(config).expect("open with the agency's CA");
    assert_eq!(core.server_url().as_deref(), Some(https.as_str()));
    core.login(ASN, PASSWORD).await.expect("login over https");
    let beranda = core.beranda().expect("beranda");
    assert_eq!(beranda.profile.as_ref().map(|p| p.nip.as_str()), Some(ASN), "the first sync brought the record");
    let u = core.propose(add_golongan("34", d(2025, 4, 1)), golongan_docs(&core)).expect("propose");
    let status = core.sync_now().await.expect("sync over https");
    assert_eq!((status.phase, status.pending), (SyncPhase::Idle, 0));
    assert_eq!(state_of(&core, &u.id), UsulanState::Submitted);

    // Plain HTTP to the TLS port is loopback, so allowed by the rule, and simply finds no HTTP server.
    let plain = Core::open(CoreConfig::new(bench.device_dir("plain"), bench.url())).expect("loopback http opens");
    assert_eq!(plain.login(ASN, PASSWORD).await.expect_err("no plain http").code(), "network.unreachable");

    // Plain HTTP to any other host is refused before a byte is sent: at open, and as the user's choice.
    let mut insecure = CoreConfig::new(bench.device_dir("insecure"), "http://mysapk.instansi.go.id");
    insecure.extra_roots = vec![ca_file];
    let err = Core::open(insecure).err().expect("refused at open");
    assert_eq!(err.code(), "transport.insecure_url");
    let err = plain.set_server_url(Some("http://10.20.30.40:8080")).expect_err("refused as a choice");
    assert_eq!(err.code(), "transport.insecure_url");
    bench.finish().await;
}

/// An account database belongs to the server it synced with: logged out with a proposal still queued for server
/// A, the device switched to server B refuses the login there (the proposal goes nowhere else) and ends that
/// unused session; back on A the login sends it. Once nothing is queued, a login on B sets A's database aside and
/// starts a fresh one (B's pull never mixes with A's mirror).
pub(crate) async fn an_account_database_stays_with_its_server(backend: Backend) {
    let mut bench = Bench::new(backend).await;
    bench.start().await;
    let other_db = format!("sqlite://{}", bench.dir.path().join("other.sqlite").display());
    mysapk_seed::seed_demo(&other_db, &crate::support::reference_dir()).await.expect("seed server B");
    let mut config = mysapk_server::Config::for_database(other_db);
    config.reference_dir = crate::support::reference_dir();
    config.mfa_required = mysapk_server::config::MfaPolicy::None;
    config.document_dir = bench.dir.path().join("documents-b");
    let server_b = mysapk_server::start(config).await.expect("server B");
    let url_b = format!("http://{}", server_b.addr());

    let core = bench.core("phone");
    core.login(ASN, PASSWORD).await.expect("login on A");
    bench.stop().await;
    let u = core.propose(add_golongan("33", d(2023, 4, 1)), golongan_docs(&core)).expect("propose while A is away");
    core.logout().await.expect("logout");
    core.set_server_url(Some(&url_b)).expect("switch to B");
    let err = core.login(ASN, PASSWORD).await.expect_err("the queued proposal belongs to A");
    assert_eq!(err.code(), "transport.account_of_other_server", "{err:?}");
    assert!(core.session().is_none());

    bench.start().await;
    core.set_server_url(Some(&bench.url())).expect("back to A");
    core.login(ASN, PASSWORD).await.expect("login on A again");
    core.sync_now().await.expect("sync with A");
    assert_eq!(core.status().pending, 0);
    assert_eq!(state_of(&core, &u.id), UsulanState::Submitted, "sent to A");

    core.logout().await.expect("logout");
    core.set_server_url(Some(&url_b)).expect("switch to B");
    core.login(ASN, PASSWORD).await.expect("nothing queued: login on B");
    assert!(core.beranda().expect("beranda").usulan.iter().all(|x| x.id != u.id), "A's proposals are not B's");
    assert_eq!(core.status().phase, SyncPhase::Idle);
    drop(core);
    server_b.shutdown().await;
    bench.finish().await;
}

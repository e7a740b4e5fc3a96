//! A PostgreSQL high-availability cluster for R8, all on loopback, on free ports, in a temporary directory, started
//! and stopped by the test: one etcd, two Patroni nodes (a primary and a synchronous standby, strict synchronous
//! mode) and HAProxy sending connections to whichever node Patroni's REST API reports as the primary.
//!
//! The configurations are the templates in `chaos/ha/` (`patroni.yml`, `haproxy.cfg`), filled in with the ports
//! and paths; docs/DEPLOY.md explains them. Patroni runs PostgreSQL as the `postgres` user (PostgreSQL refuses
//! root), so the harness runs as root and starts Patroni with `runuser -u postgres --`.
//!
//! Packages (Debian): `patroni`, `etcd-server`, `haproxy`, `postgresql-15` (see `chaos/ha/setup.sh`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::free_port;

const PATRONI_TEMPLATE: &str = include_str!("../../ha/patroni.yml");
const HAPROXY_TEMPLATE: &str = include_str!("../../ha/haproxy.cfg");
/// The scope (cluster name) in etcd.
pub const SCOPE: &str = "mysapk-r8";

/// What is missing to run the cluster on this machine, if anything.
pub fn missing_tools() -> Vec<String> {
    let mut missing = Vec::new();
    for tool in ["patroni", "etcd", "haproxy", "runuser"] {
        if !on_path(tool) {
            missing.push(tool.to_owned());
        }
    }
    if !pg_bin_dir().join("postgres").exists() {
        missing.push(format!("{}/postgres", pg_bin_dir().display()));
    }
    missing
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(tool).is_file()))
}

/// PostgreSQL's binaries (`MYSAPK_PG_BIN`, default the Debian path of PostgreSQL 15).
pub fn pg_bin_dir() -> PathBuf {
    std::env::var_os("MYSAPK_PG_BIN").map_or_else(|| PathBuf::from("/usr/lib/postgresql/15/bin"), PathBuf::from)
}

/// One Patroni node: its name, PostgreSQL's port, the REST API's port, its data directory.
pub struct Node {
    pub name: String,
    pub pg: SocketAddr,
    pub rest: SocketAddr,
    pub data_dir: PathBuf,
    process: Option<Child>,
}

impl Node {
    /// The postmaster's process id (first line of `postmaster.pid`), while PostgreSQL runs.
    pub fn postmaster_pid(&self) -> Option<u32> {
        let text = std::fs::read_to_string(self.data_dir.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }
}

/// The running cluster; every process is killed and the directory removed when it is dropped.
pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub nodes: Vec<Node>,
    pub haproxy: SocketAddr,
    etcd: Option<Child>,
    haproxy_process: Option<Child>,
    http: reqwest::Client,
}

impl Cluster {
    /// Start etcd, the first node (it bootstraps the cluster and becomes the primary), the second (a replica
    /// that becomes the synchronous standby), then HAProxy; returns when a connection through HAProxy reaches
    /// the primary and the standby is synchronous.
    pub async fn start() -> Cluster {
        let dir = tempfile::tempdir().expect("tempdir");
        // Patroni (as postgres) must reach its files under the test's directory.
        chmod(dir.path(), 0o755);
        let etcd_client = free_port();
        let etcd_peer = free_port();
        let etcd = Command::new("etcd")
            .args(["--name", "r8", "--data-dir"])
            .arg(dir.path().join("etcd"))
            .args(["--listen-client-urls", &format!("http://{etcd_client}")])
            .args(["--advertise-client-urls", &format!("http://{etcd_client}")])
            .args(["--listen-peer-urls", &format!("http://{etcd_peer}")])
            .args(["--initial-advertise-peer-urls", &format!("http://{etcd_peer}")])
            .args(["--initial-cluster", &format!("r8=http://{etcd_peer}")])
            .stdout(log_file(dir.path(), "etcd.log"))
            .stderr(log_file(dir.path(), "etcd.log"))
            .spawn()
            .expect("start etcd");
        let http = reqwest::Client::builder().timeout(Duration::from_secs(2)).build().expect("http client");
        let mut cluster =
            Cluster { dir, nodes: Vec::new(), haproxy: free_port(), etcd: Some(etcd), haproxy_process: None, http };
        cluster
            .wait_for("etcd healthy", Duration::from_secs(30), |c| {
                let url = format!("http://{etcd_client}/health");
                async move { c.http.get(url).send().await.is_ok_and(|r| r.status().is_success()) }
            })
            .await;
        for name in ["node1", "node2"] {
            let node = cluster.spawn_node(name, etcd_client);
            cluster.nodes.push(node);
            if name == "node1" {
                cluster
                    .wait_for("node1 primary", Duration::from_secs(90), |c| async move { c.primary().await == Some(0) })
                    .await;
            }
        }
        cluster
            .wait_for(
                "node2 synchronous standby",
                Duration::from_secs(120),
                |c| async move { c.is_sync_standby(1).await },
            )
            .await;
        cluster.spawn_haproxy();
        cluster
            // HAProxy starts with every server up until its checks say otherwise: wait until four connections in
            // a row (round robin) reach a read-write node.
            .wait_for("HAProxy sending connections to the primary only", Duration::from_secs(30), |c| async move {
                for _ in 0..4 {
                    if c.through_haproxy_in_recovery().await != Some(false) {
                        return false;
                    }
                }
                true
            })
            .await;
        cluster
    }

    fn spawn_node(&self, name: &str, etcd_client: SocketAddr) -> Node {
        let home = self.dir.path().join(name);
        std::fs::create_dir_all(&home).expect("node directory");
        let pg = free_port();
        let rest = free_port();
        let data_dir = home.join("data");
        let config = PATRONI_TEMPLATE
            .replace("{scope}", SCOPE)
            .replace("{name}", name)
            .replace("{rest}", &rest.to_string())
            .replace("{etcd}", &etcd_client.to_string())
            .replace("{pg}", &pg.to_string())
            .replace("{home}", &home.display().to_string())
            .replace("{data_dir}", &data_dir.display().to_string())
            .replace("{bin_dir}", &pg_bin_dir().display().to_string());
        let config_path = home.join("patroni.yml");
        std::fs::write(&config_path, config).expect("write patroni.yml");
        chown_postgres(&home);
        chmod(&home, 0o700);
        let process = Command::new("runuser")
            .args(["-u", "postgres", "--", "patroni"])
            .arg(&config_path)
            .stdout(log_file(self.dir.path(), &format!("{name}.log")))
            .stderr(log_file(self.dir.path(), &format!("{name}.log")))
            .spawn()
            .expect("start patroni");
        Node { name: name.to_owned(), pg, rest, data_dir, process: Some(process) }
    }

    fn spawn_haproxy(&mut self) {
        let config = HAPROXY_TEMPLATE
            .replace("{bind}", &self.haproxy.to_string())
            .replace("{node1_pg}", &self.nodes[0].pg.to_string())
            .replace("{node1_rest_port}", &self.nodes[0].rest.port().to_string())
            .replace("{node2_pg}", &self.nodes[1].pg.to_string())
            .replace("{node2_rest_port}", &self.nodes[1].rest.port().to_string());
        let path = self.dir.path().join("haproxy.cfg");
        std::fs::write(&path, config).expect("write haproxy.cfg");
        // -db: in the foreground, no daemon; the test owns the process.
        let process = Command::new("haproxy")
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdout(log_file(self.dir.path(), "haproxy.log"))
            .stderr(log_file(self.dir.path(), "haproxy.log"))
            .spawn()
            .expect("start haproxy");
        self.haproxy_process = Some(process);
    }

    /// A database URL through HAProxy (the current primary), for `database`.
    pub fn url(&self, database: &str) -> String {
        format!("postgres://postgres@{}/{database}", self.haproxy)
    }

    /// Whether a new connection through HAProxy lands on a node in recovery (a standby); `None` if none connects.
    pub async fn through_haproxy_in_recovery(&self) -> Option<bool> {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.url("postgres")).await.ok()?;
        let in_recovery: Option<(bool,)> = sqlx::query_as("SELECT pg_is_in_recovery()").fetch_one(&mut conn).await.ok();
        let _ = conn.close().await;
        in_recovery.map(|(r,)| r)
    }

    /// A database URL straight to a node, bypassing HAProxy.
    pub fn node_url(&self, node: usize, database: &str) -> String {
        format!("postgres://postgres@{}/{database}", self.nodes[node].pg)
    }

    /// The node whose REST API answers `GET /primary` with 200 (Patroni holds the leader key and PostgreSQL
    /// runs read-write), if exactly one does.
    pub async fn primary(&self) -> Option<usize> {
        let mut found = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            if self.rest_ok(node, "primary").await {
                found.push(i);
            }
        }
        (found.len() == 1).then(|| found[0])
    }

    /// Whether node `i` is the synchronous standby (`GET /synchronous` answers 200).
    pub async fn is_sync_standby(&self, i: usize) -> bool {
        self.rest_ok(&self.nodes[i], "synchronous").await
    }

    async fn rest_ok(&self, node: &Node, path: &str) -> bool {
        let url = format!("http://{}/{path}", node.rest);
        self.http.get(url).send().await.is_ok_and(|r| r.status().as_u16() == 200)
    }

    /// Patroni's view of the cluster (`GET /cluster` of any node that answers), for the report.
    pub async fn describe(&self) -> String {
        for node in &self.nodes {
            let url = format!("http://{}/cluster", node.rest);
            if let Ok(r) = self.http.get(url).send().await {
                if let Ok(v) = r.json::<serde_json::Value>().await {
                    let members = v["members"].as_array().cloned().unwrap_or_default();
                    return members
                        .iter()
                        .map(|m| {
                            format!(
                                "{} {} {} tl {}",
                                m["name"].as_str().unwrap_or("?"),
                                m["role"].as_str().unwrap_or("?"),
                                m["state"].as_str().unwrap_or("?"),
                                m["timeline"]
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                }
            }
        }
        "no node answers".to_owned()
    }

    /// SIGKILL the postmaster of node `i` (Patroni itself keeps running); returns its pid.
    pub fn kill_postmaster(&self, i: usize) -> u32 {
        let pid = self.nodes[i].postmaster_pid().expect("the postmaster runs");
        let status = Command::new("kill").args(["-KILL", &pid.to_string()]).status().expect("kill");
        assert!(status.success(), "kill -KILL {pid}");
        pid
    }

    /// The tail of a process's log in the cluster directory, for a failure message.
    pub fn log_tail(&self, file: &str, lines: usize) -> String {
        let text = std::fs::read_to_string(self.dir.path().join(file)).unwrap_or_default();
        let all: Vec<&str> = text.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }

    async fn wait_for<'a, F, Fut>(&'a self, what: &str, limit: Duration, check: F)
    where
        F: Fn(&'a Cluster) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + limit;
        while !check(self).await {
            if Instant::now() > deadline || self.a_process_exited() {
                panic!(
                    "HA cluster: {what} not reached in {limit:?} (or a process exited)\n--- etcd\n{}\n--- node1\n{}\n--- node2\n{}",
                    self.log_tail("etcd.log", 10),
                    self.log_tail("node1.log", 30),
                    self.log_tail("node2.log", 30)
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// Whether etcd, a Patroni node or HAProxy has exited (a broken configuration: no point waiting).
    fn a_process_exited(&self) -> bool {
        // `try_wait` needs `&mut`; /proc tells without reaping.
        let alive = |p: &Option<Child>| p.as_ref().is_none_or(|c| process_alive(c.id()));
        !(alive(&self.etcd) && alive(&self.haproxy_process) && self.nodes.iter().all(|n| alive(&n.process)))
    }

    /// Wait until `check` holds (polled every 250 ms), at most `limit`; false if it never did.
    pub async fn eventually<'a, F, Fut>(&'a self, limit: Duration, check: F) -> bool
    where
        F: Fn(&'a Cluster) -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if check(self).await {
                return true;
            }
            if Instant::now() > deadline {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(mut p) = self.haproxy_process.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
        for node in &mut self.nodes {
            // Patroni stops its PostgreSQL on SIGTERM (runuser passes it on); then make sure of both.
            if let Some(mut p) = node.process.take() {
                let _ = Command::new("kill").args(["-TERM", &p.id().to_string()]).status();
                let deadline = Instant::now() + Duration::from_secs(20);
                while Instant::now() < deadline && matches!(p.try_wait(), Ok(None)) {
                    std::thread::sleep(Duration::from_millis(100));
                }
                let _ = p.kill();
                let _ = p.wait();
            }
            if let Some(pid) = node.postmaster_pid() {
                if Path::new(&format!("/proc/{pid}")).exists() {
                    let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
                }
            }
        }
        // Patroni's own process (the child of runuser) may outlive runuser's kill: end those of this directory.
        kill_processes_mentioning(self.dir.path());
        if let Some(mut p) = self.etcd.take() {
            let _ = p.kill();
            let _ = p.wait();
        }
    }
}

/// SIGKILL every process whose command line mentions `dir` (Patroni and PostgreSQL children of this test's
/// cluster only: the directory is unique to it).
fn kill_processes_mentioning(dir: &Path) {
    let needle = dir.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else { return };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(&needle) && pid != std::process::id() {
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        }
    }
}

/// Whether `pid` runs (a zombie, exited but not reaped, does not).
fn process_alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .is_ok_and(|stat| stat.rsplit(')').next().is_some_and(|rest| !rest.trim_start().starts_with('Z')))
}

fn log_file(dir: &Path, name: &str) -> Stdio {
    let file = std::fs::OpenOptions::new().create(true).append(true).open(dir.join(name)).expect("log file");
    Stdio::from(file)
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

fn chown_postgres(path: &Path) {
    let status = Command::new("chown").args(["-R", "postgres:postgres"]).arg(path).status().expect("chown");
    assert!(status.success(), "chown -R postgres {}", path.display());
}

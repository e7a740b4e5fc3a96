//! Fault tests of the client core against a real server (see chaos/README.md). Short by default; long with
//! `MYSAPK_CHAOS_LONG=1`. R2 also runs on PostgreSQL (`MYSAPK_TEST_PG_URL`, a fresh database per test).
//!
//! | module | fault |
//! | --- | --- |
//! | `r1_device_kill` | the app (a child process) killed with SIGKILL at random moments |
//! | `r2_server_kill` | the server (a child process) killed during push batches |
//! | `r3_network` | every emulator fault during a drain, with a watchdog |
//! | `r4_tokens` | short-lived access tokens and injected 401s during a drain |
//! | `r5_upgrade` | a device database of every earlier schema version with a full outbox |
//! | `r7_fleet` | many devices of distinct ASN syncing through random faults against PostgreSQL; server memory |
//! | `r8_failover` | the PostgreSQL primary killed during pushes, Patroni fails over (ignored: needs packages) |

mod ha;
mod r1_device_kill;
mod r2_server_kill;
mod r3_network;
mod r4_tokens;
mod r5_upgrade;
mod r7_fleet;
mod r8_failover;
mod support;

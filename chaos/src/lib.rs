//! Fault injection for mysapk: a network emulator ([`emulator`]) and, in `tests/faults/`, fault tests of the
//! client core against a real server. The binaries `chaos-device` (a core in a process the tests kill) and
//! `chaos-server` (a server in a process the tests kill) serve those tests; see README.md.

pub mod emulator;
pub mod proposals;

pub use emulator::{Config, Emulator, Fault, FaultPlan, Link, Stats};

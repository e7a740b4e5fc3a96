//! "Where do I stand": the professionalism index (IP ASN) and the 9-box talent position, computed from the
//! record by versioned, table-driven rules, so the device (offline) and the server give the same numbers.
//!
//! | module | concern |
//! | --- | --- |
//! | [`ip_asn`] | IP ASN: four dimensions, their scoring tables, the band, and what would raise the score |
//! | [`talent`] | the 9-box talent map (performance × potential), its layout as data |
//! | [`summary`] | the whole Kinerja & Kompetensi view of one ASN, from one function |

pub mod ip_asn;
pub mod summary;
pub mod talent;

pub use summary::{standing, Standing};

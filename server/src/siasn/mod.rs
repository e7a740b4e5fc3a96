//! The bridge to SIASN: forwarding approved changes ([`forward`]).

pub mod forward;

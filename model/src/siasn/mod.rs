//! SIASN, the national civil-service system of record: its wire shapes.

pub mod write;

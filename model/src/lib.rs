//! Pure domain and wire types of mysapk, shared by the client core, the server and the UI type generator.
//!
//! No I/O lives here: only data, validation and the rules of the proposal workflow.
//!
//! | module | concern |
//! | --- | --- |
//! | [`codes`] | the registry of every error code: kind, Indonesian and English text |
//! | [`error`] | rule violations and the wire error `{code, field, message}` |
//! | [`nip`] | NIP (18-digit civil-servant number) parsing and validation |
//! | [`record`] | the official record: data utama (profile), owner and verified fields |
//! | [`history`] | history records (riwayat): every PDM category, one struct per kind |
//! | [`rules`] | the rules as data: categories, documents, NIK, SKP predikat, golongan order, completeness |
//! | [`document`] | supporting documents: references, upload wire types, validation by content |
//! | [`forms`] | the form of each category (fields, inputs, catalogs) for the UI |
//! | [`standing`] | where the ASN stands: IP ASN and the 9-box talent map, rules as data |
//! | [`usulan`] | proposals (usulan), their actions, states and the workflow rules |
//! | [`notification`] | notifications shown to the ASN |
//! | [`notification_text`] | the words of every notification in Indonesian and English (inbox and system notification) |
//! | [`catalog`] | reference catalogs (code tables) synced to devices |
//! | [`admin`] | agency administration and the audit log |
//! | [`auth`] | login and token wire types |
//! | [`sync`] | the pull/push sync protocol |
//! | [`review`] | reviewer queue and decisions |
//! | [`siasn`] | SIASN's wire shapes: read shapes and ids, write bodies and answers, model → SIASN |
//! | [`view`] | what the client core hands to the UI (beranda, sync status, inbox) |

pub mod admin;
pub mod assessment;
pub mod auth;
pub mod card;
pub mod card_token;
pub mod catalog;
pub mod codes;
pub mod document;
pub mod error;
pub mod forms;
pub mod history;
pub mod nip;
pub mod notification;
pub mod notification_text;
pub mod record;
pub mod review;
pub mod rules;
pub mod services;
pub mod siasn;
pub mod standing;
pub mod sync;
pub mod usulan;
pub mod view;

pub use codes::{Code, ErrorKind};
pub use error::{ApiError, Violation};
pub use nip::Nip;

//! dockslim: rewrites Dockerfiles so the images they build are smaller,
//! rebuild faster and ship less attack surface.
//!
//! The library core is pure: [`fix::fix_source`] takes text and settings and
//! returns diagnostics and the fixed text, without touching the file system.
//! The command line (in `main.rs` and [`cli`]) does all I/O.

pub mod apply;
pub mod cli;
pub mod context;
pub mod effects;
pub mod fix;
pub mod history;
pub mod images;
pub mod manifests;
pub mod rules;
pub mod semantic;
pub mod settings;
pub mod syntax;
pub mod transforms;

pub use apply::{AppliedFix, Outcome, fix_source};
pub use context::Context;
pub use settings::Settings;

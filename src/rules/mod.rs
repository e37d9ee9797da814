//! Pure rules: decided without a browser, tested natively with `cargo test`.

pub mod activity;
pub mod bulk;
pub mod claims;
pub mod cli;
pub mod curl;
pub mod expiration;
pub mod geo;
pub mod history;
pub mod locations;
pub mod names;
pub mod permissions;
pub mod table;

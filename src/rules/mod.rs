//! Pure rules: decided without a browser, tested natively with `cargo test`.

pub mod locations;
pub mod names;
pub mod table;

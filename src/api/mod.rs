//! Turso Platform API client. Knows nothing about views.

pub mod calls;
mod client;
pub mod error;
pub mod json;
pub mod types;

pub use client::Client;
pub use error::{ApiError, ErrorKind};
pub use types::*;

#[cfg(test)]
mod tests;

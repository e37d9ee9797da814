//! Turso Platform API client. Knows nothing about views.

pub mod calls;
mod client;
pub mod error;
mod in_page;
pub mod types;

pub use client::{fetch_file, set_request_timeout_ms, Client, Journal};
pub use error::{ApiError, ErrorKind};
pub use in_page::IN_PAGE_SANDBOX;
pub use types::*;

#[cfg(test)]
mod tests;

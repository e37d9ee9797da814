//! Values the views share through context.

pub mod config;
pub mod groups;
pub mod route;
pub mod session;

//! Values the views share through context.

pub mod activity;
pub mod bulk;
pub mod changes;
pub mod clipboard;
pub mod config;
pub mod dialogs;
pub mod groups;
pub mod history;
pub mod read;
pub mod route;
pub mod session;

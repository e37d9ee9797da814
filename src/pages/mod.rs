//! One component per page, and the pieces only pages use.

mod actions;
mod activity;
mod bulk;
mod connect;
mod connected;
mod create_group;
mod dialogs;
mod group;
mod groups;
mod history;
mod tokens;

pub use connect::Connect;
pub use connected::Connected;

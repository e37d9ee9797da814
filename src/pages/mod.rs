//! One component per route.

mod connect;
mod create_group;
mod groups;

pub use connect::Connect;
pub use groups::Groups;

//! Values the views share through context.

pub mod groups;
pub mod route;
pub mod session;

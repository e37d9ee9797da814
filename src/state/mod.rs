//! Values the views share through context.

pub mod groups;
pub mod session;

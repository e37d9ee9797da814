//! Reusable pieces of the interface.

mod chips;
mod copy_button;
mod error_view;
mod link;
mod location_picker;
mod modal;

pub use chips::LocationChips;
pub use copy_button::CopyButton;
pub use error_view::ErrorMessage;
pub use link::Link;
pub use location_picker::LocationPicker;
pub use modal::{DialogActions, Modal};

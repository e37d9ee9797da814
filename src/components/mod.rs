//! Reusable pieces of the interface.

mod chips;
mod error_view;
mod location_picker;
mod modal;

pub use chips::LocationChips;
pub use error_view::ErrorMessage;
pub use location_picker::LocationPicker;
pub use modal::Modal;

//! Reusable pieces of the interface.

mod chips;
mod copy_button;
mod error_view;
mod link;
mod location_picker;
mod map;
mod modal;

pub use chips::location_chips;
pub use copy_button::CopyButton;
pub use error_view::ErrorMessage;
pub use link::{is_plain_click, Link};
pub use location_picker::LocationPicker;
pub use map::{Marker, WorldMap};
pub use modal::{DialogActions, Modal};

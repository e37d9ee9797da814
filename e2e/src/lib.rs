//! End-to-end tests of Groups Console; see `tests/e2e.rs`. This library is empty: a package
//! needs a target, and the tests are the point of the crate.

//! The one integration-test binary: runs the real `nbdiff` and the library.

mod bad_input;
mod diff_cli;
mod round_trip;

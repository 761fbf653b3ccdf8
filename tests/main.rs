//! The one integration-test binary: each area's tests live in their own module.

mod merge_fixtures;
mod merge_git;

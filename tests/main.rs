//! The one integration-test binary: each area's tests live in their own module.

mod bad_input;
mod diff_cli;
mod git_config;
mod git_driver;
mod git_revs;
mod git_util;
mod hardening;
mod merge_fixtures;
mod merge_git;
mod robustness;
mod round_trip;
mod user_ignore;

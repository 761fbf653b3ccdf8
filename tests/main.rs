//! The one integration-test binary: each area's tests live in their own module.

mod bad_input;
mod check_cli;
mod clean;
mod clean_invisible;
mod cli_details;
mod conflict_workflow;
mod diff_cli;
mod filter_config;
mod git_config;
mod git_driver;
mod git_like;
mod git_revs;
mod git_util;
mod golden;
mod io_safety;
mod merge_fixtures;
mod merge_git;
mod merge_visible;
mod report;
mod resolve_fixtures;
mod resolve_git;
mod review_outputs;
mod robustness;
mod round_trip;
mod user_ignore;
mod workflow;

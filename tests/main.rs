//! The integration-test binary: every module of `tests/` is pulled in here.

mod git_config;
mod git_driver;
mod git_revs;
mod git_util;

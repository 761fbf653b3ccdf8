//! Three-way notebook merge.

pub mod cli;

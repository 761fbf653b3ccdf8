//! Renderers of a [`crate::diff::NotebookDiff`]: terminal text, `--stat`,
//! and nbdime-format JSON. Each writes to an `impl Write`; colour is decided
//! once ([`color`]) and untrusted text is made visible ([`sanitize`]).

pub mod color;
pub mod json;
pub mod pager;
pub mod sanitize;
pub mod stat;
pub mod terminal;

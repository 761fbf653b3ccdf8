//! The semantic diff of two notebooks.

pub mod align;

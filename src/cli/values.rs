//! The command line's names for the library's enums: clap's `ValueEnum` for
//! each, implemented here so that no library module depends on clap. The
//! names are the library's own (`name()`), shared with settings read from the
//! environment and git config; the help lines are the command line's.

use crate::check::render::Format;
use crate::clean::Keep;
use crate::git::config::AttributesTarget;
use crate::merge::options::{ConflictPolicy, ConflictStyle, OutputsPolicy};
use crate::render::color::ColorChoice;
use crate::render::stat::StatMode;
use crate::render::terminal::OutputMode;
use clap::builder::PossibleValue;

/// Implements `clap::ValueEnum` for a library enum: each variant with its
/// help line; the value is the variant's `name()`.
macro_rules! value_enum {
    ($ty:ident { $($variant:ident: $help:literal),* $(,)? }) => {
        impl clap::ValueEnum for $ty {
            fn value_variants<'a>() -> &'a [Self] {
                &[$($ty::$variant),*]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $($ty::$variant => PossibleValue::new(self.name()).help($help)),*
                })
            }
        }
    };
}

value_enum!(ColorChoice {
    Auto: "Colour when writing to a terminal or git's pager (for the diff driver: follow git's `color.diff`)",
    Always: "Always colour",
    Never: "Never colour",
});

value_enum!(StatMode {
    Notebooks: "One line per notebook: its verdict and counts",
    Cells: "Each notebook's verdict, then one line per changed cell",
});

value_enum!(OutputMode {
    Summary: "One line per changed output",
    Full: "Line diffs of changed text outputs",
    None: "Nothing about outputs (they still count as differences)",
});

value_enum!(OutputsPolicy {
    Auto: "Keep the outputs of the side whose source the merged source equals (local when both match); clear them when the source was merged from both sides",
    Local: "Keep local's",
    Remote: "Keep remote's",
    Clear: "Clear them (and the execution count)",
    Conflict: "A conflict: both output lists kept between marker outputs",
});

value_enum!(ConflictPolicy {
    Mark: "Leave them marked in the notebook and exit 1",
    Ours: "Take local's version of each conflict",
    Theirs: "Take remote's version of each conflict",
    Union: "Keep both versions (local's first) without markers",
});

value_enum!(ConflictStyle {
    Merge: "Local's and remote's lines (git's default)",
    Diff3: "Also the base lines, after |||||||",
    Zdiff3: "The base lines too; lines both sides agree on moved out of the conflict",
});

value_enum!(Format {
    Text: "`path:cell N:line L: CODE name: message`, one per line",
    Json: "A JSON array of findings",
    Github: "GitHub Actions workflow commands (`::error file=…,line=…::…`)",
    Sarif: "SARIF 2.1.0",
});

value_enum!(AttributesTarget {
    Private: "`.git/info/attributes`: this clone only, never committed",
    Shared: "The repository's `.gitattributes`: shared with everyone (commit it)",
});

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn library_names_parse_back_on_the_command_line() {
        for c in ColorChoice::value_variants() {
            assert_eq!(ColorChoice::from_str(c.name(), false).ok(), Some(*c));
        }
        for o in OutputsPolicy::value_variants() {
            assert_eq!(OutputsPolicy::from_name(o.name()), Some(*o));
        }
        for p in ConflictPolicy::value_variants() {
            assert_eq!(ConflictPolicy::from_name(p.name()), Some(*p));
        }
        for s in ConflictStyle::value_variants() {
            assert_eq!(ConflictStyle::from_name(s.name()), Some(*s));
        }
        assert_eq!(OutputMode::value_variants().len(), 3);
        assert_eq!(AttributesTarget::value_variants().len(), 2);
        for f in Format::value_variants() {
            assert_eq!(Format::from_str(f.name(), false).ok(), Some(*f));
        }
    }
}

value_enum!(Keep {
    Keep: "Keep them as they are",
    Strip: "Strip them",
});

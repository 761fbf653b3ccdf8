//! Merge policies, conflict styles and labels: the values and their names.
//! Where a value comes from (flag, environment, git config, project file) is
//! the command layer's business (`crate::cli::settings`).

use crate::policy::Policy;
use crate::text::merge3::{self, Favor, Merge3, MergeOptions, DEFAULT_MARKER_SIZE};
use std::sync::Arc;

/// The longest conflict marker a setting can ask for (`--marker-size`, git's
/// `%L` from a repository's `conflict-marker-size` attribute): larger values
/// are clamped, so a hostile attribute cannot make a merge allocate without
/// bound. Markers still grow past it when the content holds longer
/// marker-like runs (then the content bounds them).
pub const MAX_MARKER_SIZE: usize = 1024;

/// What to do with outputs (and execution counts) that both sides changed
/// differently. Outputs changed on one side only always follow that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutputsPolicy {
    /// Keep the outputs of the side whose source the merged source equals
    /// (local when both match); clear them when the source was merged from
    /// both sides.
    #[default]
    Auto,
    /// Keep local's.
    Local,
    /// Keep remote's.
    Remote,
    /// Clear them (and the execution count).
    Clear,
    /// A conflict: both output lists kept between marker outputs.
    Conflict,
}

/// What to do with conflicts (source lines, cells, metadata).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictPolicy {
    /// Leave them marked in the notebook and exit 1.
    #[default]
    Mark,
    /// Take local's version of each conflict.
    Ours,
    /// Take remote's version of each conflict.
    Theirs,
    /// Keep both versions (local's first) without markers.
    Union,
}

/// The value of `all` whose `name` is `given` (any case, surrounding spaces
/// ignored).
fn named<T: Copy, const N: usize>(
    all: [T; N],
    name: fn(T) -> &'static str,
    given: &str,
) -> Option<T> {
    let given = given.trim();
    all.into_iter()
        .find(|&v| name(v).eq_ignore_ascii_case(given))
}

impl OutputsPolicy {
    /// Every value, in the order the help lists them.
    pub const ALL: [OutputsPolicy; 5] = [
        OutputsPolicy::Auto,
        OutputsPolicy::Local,
        OutputsPolicy::Remote,
        OutputsPolicy::Clear,
        OutputsPolicy::Conflict,
    ];

    /// The value's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            OutputsPolicy::Auto => "auto",
            OutputsPolicy::Local => "local",
            OutputsPolicy::Remote => "remote",
            OutputsPolicy::Clear => "clear",
            OutputsPolicy::Conflict => "conflict",
        }
    }

    /// The value named `name` (any case, surrounding spaces ignored).
    pub fn from_name(name: &str) -> Option<OutputsPolicy> {
        named(Self::ALL, Self::name, name)
    }
}

impl ConflictPolicy {
    /// Every value, in the order the help lists them.
    pub const ALL: [ConflictPolicy; 4] = [
        ConflictPolicy::Mark,
        ConflictPolicy::Ours,
        ConflictPolicy::Theirs,
        ConflictPolicy::Union,
    ];

    /// The value's name on the command line and in settings.
    pub fn name(self) -> &'static str {
        match self {
            ConflictPolicy::Mark => "mark",
            ConflictPolicy::Ours => "ours",
            ConflictPolicy::Theirs => "theirs",
            ConflictPolicy::Union => "union",
        }
    }

    /// The value named `name` (any case, surrounding spaces ignored).
    pub fn from_name(name: &str) -> Option<ConflictPolicy> {
        named(Self::ALL, Self::name, name)
    }
}

/// How conflicts are written: git's `merge.conflictStyle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictStyle {
    /// Local's and remote's lines only, conflicts narrowed to the lines the
    /// sides disagree on (git's default, `merge`).
    #[default]
    Merge,
    /// Also the base lines, after `|||||||`; conflicts are not narrowed
    /// (`git merge-file --diff3`).
    Diff3,
    /// The base lines too, with lines both sides agree on at the start and
    /// end of a conflict moved out of it (`git merge-file --zdiff3`).
    Zdiff3,
}

impl ConflictStyle {
    /// Every value, in the order the help lists them.
    pub const ALL: [ConflictStyle; 3] = [
        ConflictStyle::Merge,
        ConflictStyle::Diff3,
        ConflictStyle::Zdiff3,
    ];

    /// The name as git config and the command line spell it.
    pub fn name(self) -> &'static str {
        match self {
            ConflictStyle::Merge => "merge",
            ConflictStyle::Diff3 => "diff3",
            ConflictStyle::Zdiff3 => "zdiff3",
        }
    }

    /// The value named `name` (any case, surrounding spaces ignored).
    pub fn from_name(name: &str) -> Option<ConflictStyle> {
        named(Self::ALL, Self::name, name)
    }

    /// Whether conflicts show a `|||||||` base section.
    pub fn shows_base(self) -> bool {
        self != ConflictStyle::Merge
    }

    /// The line merge of three texts in this style, exactly as `git
    /// merge-file` (with `--diff3` or `--zdiff3`) merges them.
    pub fn merge3<'a>(
        self,
        base: &'a str,
        local: &'a str,
        remote: &'a str,
        favor: Favor,
    ) -> Merge3<'a> {
        match self {
            ConflictStyle::Zdiff3 => merge3::merge3_zdiff3(base, local, remote, favor),
            _ => merge3::merge3_with(
                base,
                local,
                remote,
                &MergeOptions {
                    favor,
                    refine: self == ConflictStyle::Merge,
                },
            ),
        }
    }
}

/// Labels written after conflict markers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    /// After `<<<<<<<`.
    pub local: String,
    /// After `|||||||` (diff3 style only).
    pub base: String,
    /// After `>>>>>>>`.
    pub remote: String,
}

impl Labels {
    /// Puts each non-empty label of `found` (local, base, remote: as read
    /// from conflict markers or the repository state) in place of this one.
    pub fn take_found(&mut self, found: &[String; 3]) {
        for (slot, found) in [&mut self.local, &mut self.base, &mut self.remote]
            .into_iter()
            .zip(found)
        {
            if !found.is_empty() {
                slot.clone_from(found);
            }
        }
    }
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            local: "local".into(),
            base: "base".into(),
            remote: "remote".into(),
        }
    }
}

/// Everything that steers a merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Outputs policy.
    pub outputs: OutputsPolicy,
    /// Conflict policy.
    pub conflicts: ConflictPolicy,
    /// Minimum conflict marker length (git's `%L`); lengthened per conflict
    /// when the content holds marker-like lines. Values outside
    /// `1..=`[`MAX_MARKER_SIZE`] are clamped.
    pub marker_size: usize,
    /// Marker labels.
    pub labels: Labels,
    /// How conflicts are written (git's `merge.conflictStyle`).
    pub style: ConflictStyle,
    /// Which fields are volatile (resolved to local's value).
    pub policy: Arc<Policy>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            outputs: OutputsPolicy::Auto,
            conflicts: ConflictPolicy::Mark,
            marker_size: DEFAULT_MARKER_SIZE,
            labels: Labels::default(),
            style: ConflictStyle::Merge,
            policy: Arc::new(Policy::defaults()),
        }
    }
}

/// A setting (from the environment, git config or the project file) had a
/// value we do not know.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: unknown value {value:?}; expected one of: {expected}")]
pub struct SettingError {
    /// Where the value came from (an environment variable, git config key or
    /// project file key).
    pub origin: String,
    /// The value found.
    pub value: String,
    /// The accepted values.
    pub expected: &'static str,
}

/// Parses an outputs policy name.
pub fn parse_outputs(origin: &str, value: &str) -> Result<OutputsPolicy, SettingError> {
    OutputsPolicy::from_name(value).ok_or_else(|| SettingError {
        origin: origin.into(),
        value: value.into(),
        expected: "auto, local, remote, clear, conflict",
    })
}

/// Parses a conflict policy name.
pub fn parse_conflicts(origin: &str, value: &str) -> Result<ConflictPolicy, SettingError> {
    ConflictPolicy::from_name(value).ok_or_else(|| SettingError {
        origin: origin.into(),
        value: value.into(),
        expected: "mark, ours, theirs, union",
    })
}

/// Parses a conflict style name (`merge`, `diff3`, `zdiff3`).
pub fn parse_conflict_style(origin: &str, value: &str) -> Result<ConflictStyle, SettingError> {
    ConflictStyle::from_name(value).ok_or_else(|| SettingError {
        origin: origin.into(),
        value: value.into(),
        expected: "merge, diff3, zdiff3",
    })
}

/// The policies and conflict style, resolved by the command layer
/// (`crate::cli::settings`: flag, environment, git config, project file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Outputs policy.
    pub outputs: OutputsPolicy,
    /// Conflict policy.
    pub conflicts: ConflictPolicy,
    /// Conflict style.
    pub style: ConflictStyle,
}

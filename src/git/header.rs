//! File headers of diffs inside git: `diff --git a/OLD b/NEW` and git's
//! extended header lines (`similarity index 87%`, `rename from …`,
//! `rename to …`), so that output through `git diff` and `nbdiff REV…`
//! splits into files the way git's own output does, and a rename is a
//! header rather than a stray `nbdiff:` line.

use crate::render::sanitize::visible_name;
use crate::render::style::{Paint, Style};
use std::io::{self, Write};

/// The header of one file's diff.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileHeader {
    /// Repository-relative path on the old side.
    pub old_path: String,
    /// Repository-relative path on the new side.
    pub new_path: String,
    /// git's extended header lines (`similarity index …`, `rename from …`).
    pub extended: Vec<String>,
}

impl FileHeader {
    /// The header of a file at `path` on both sides.
    pub fn same(path: &str) -> FileHeader {
        FileHeader {
            old_path: path.to_string(),
            new_path: path.to_string(),
            extended: Vec::new(),
        }
    }

    /// The header of a rename with git's similarity score in percent.
    pub fn rename(old: &str, new: &str, score: u32) -> FileHeader {
        FileHeader {
            old_path: old.to_string(),
            new_path: new.to_string(),
            extended: vec![
                format!("similarity index {score}%"),
                format!("rename from {old}"),
                format!("rename to {new}"),
            ],
        }
    }

    /// The header git passes to an external diff for a rename or copy
    /// (its 9th argument: `similarity index …\nrename from …\n…`). Its
    /// `index …` line is left out: the driver never gets one for other
    /// files, and nbdiff's own output has none.
    pub fn from_git_info(old: &str, new: &str, info: &str) -> FileHeader {
        FileHeader {
            old_path: old.to_string(),
            new_path: new.to_string(),
            extended: info
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with("index "))
                .map(str::to_string)
                .collect(),
        }
    }

    /// True when the header says more than the paths (a rename, a copy):
    /// it is shown even when the contents are equal, as git does.
    pub fn is_notable(&self) -> bool {
        !self.extended.is_empty() || self.old_path != self.new_path
    }

    /// What the header says happened to the file (an added or deleted
    /// file, a rename or copy) and whether its mode changed: the file facts
    /// of the notebook's verdict ([`crate::diff::Verdict`]).
    pub fn file_change(&self) -> (crate::diff::FileChange, bool) {
        use crate::diff::FileChange;
        let has = |prefix: &str| self.extended.iter().any(|l| l.starts_with(prefix));
        let change = if has("new file mode") {
            FileChange::Added
        } else if has("deleted file mode") {
            FileChange::Deleted
        } else if self.old_path != self.new_path || has("rename ") || has("copy ") {
            FileChange::Renamed
        } else {
            FileChange::Modified
        };
        (change, has("old mode"))
    }

    /// `a/OLD`, every control made visible (paths come from the repository).
    pub fn old_label(&self) -> String {
        visible_name(&format!("a/{}", self.old_path)).into_owned()
    }

    /// `b/NEW`, every control made visible.
    pub fn new_label(&self) -> String {
        visible_name(&format!("b/{}", self.new_path)).into_owned()
    }

    /// The path to name the file by in one-line notes (the new side's).
    pub fn path(&self) -> &str {
        &self.new_path
    }

    /// Writes `diff --git a/OLD b/NEW` and the extended lines, bold when
    /// `color` (git's `color.diff.meta`).
    pub fn write(&self, color: bool, out: &mut dyn Write) -> io::Result<()> {
        let (on, off) = Paint::git(color).around(Style::FileHeader);
        writeln!(
            out,
            "{on}diff --git {} {}{off}",
            self.old_label(),
            self.new_label()
        )?;
        for line in &self.extended {
            writeln!(out, "{on}{}{off}", visible_name(line))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rename_header_is_gits() {
        let mut out = Vec::new();
        FileHeader::rename("a.ipynb", "b.ipynb", 87)
            .write(false, &mut out)
            .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "diff --git a/a.ipynb b/b.ipynb\nsimilarity index 87%\nrename from a.ipynb\nrename to b.ipynb\n"
        );
        let info = FileHeader::from_git_info(
            "x",
            "y",
            "similarity index 100%\nrename from x\nrename to y\n",
        );
        assert_eq!(info.extended.len(), 3);
        assert!(!FileHeader::same("x").is_notable());
    }
}

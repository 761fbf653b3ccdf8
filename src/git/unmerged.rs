//! Unmerged (conflicted) paths during a merge, rebase or cherry-pick: git
//! prints `* Unmerged path X` for them in `git diff --cached` (and an external
//! diff gets only the path). nbdiff does the same and says how to get out.

use crate::render::sanitize::visible_name;
use std::io::{self, Write};

/// Writes git's `* Unmerged path X` and one indented line naming the ways
/// out: `nbdiff resolve` on the notebook, or redoing the merge with nbdiff's
/// merge driver.
pub fn write(path: &str, out: &mut dyn Write) -> io::Result<()> {
    let quoted = super::config::shell_quote(path).into_owned();
    let (path, quoted) = (visible_name(path), visible_name(&quoted));
    writeln!(out, "* Unmerged path {path}")?;
    writeln!(
        out,
        "  conflicted notebook: resolve it with `nbdiff resolve {quoted}`, or let git merge notebooks \
         with nbdiff's merge driver (`nbdiff config-git --enable`, then redo the merge); \
         `git add` it when done"
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_the_path_and_the_way_out() {
        let mut out = Vec::new();
        super::write("a b.ipynb", &mut out).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.starts_with("* Unmerged path a b.ipynb\n"), "{text}");
        assert!(text.contains("nbdiff resolve 'a b.ipynb'"), "{text}");
        assert!(text.contains("nbdiff config-git --enable"), "{text}");
    }
}

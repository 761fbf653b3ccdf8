//! `absolute-path` and `missing-data-file`: what ties a notebook to one
//! machine.
//!
//! Absolute paths are looked for in sources and text outputs: a home
//! directory (`/Users/NAME/`, `/home/NAME/`, `C:\Users\NAME\`, WSL's
//! `/mnt/c/Users/NAME/`), a mounted volume (`/Volumes/NAME/`) or Colab's
//! Drive (`/content/drive/`). Placeholders (`/home/user/`, `/Users/<you>/`)
//! and URL paths (`https://host/home/…`) are not findings.
//!
//! Data paths come from the parsed cells (see `python.rs`): a string literal
//! given as the first argument to a reader (`open`, `pd.read_*`, `np.load`,
//! `Image.open`, …). A relative path with a file extension that does not
//! exist beside the notebook is reported, unless the notebook may create it:
//! it names the file elsewhere, changes directory, or downloads or unpacks
//! data.

use super::python::CellNames;
use super::{output_texts, source_lines, Hit, Options, Rule};
use crate::notebook::Cell;

/// Markers of a notebook that fetches or unpacks its own data, or moves
/// around: then a missing file may well appear at run time.
const CREATES_FILES: &[&str] = &[
    "wget ",
    "curl ",
    "urlretrieve",
    "unzip",
    "extractall",
    "tar -x",
    "tar x",
    "kaggle ",
    "gdown",
    "git clone",
    "chdir(",
    "%cd ",
    ".to_csv(",
    ".to_parquet(",
    ".savefig(",
    "np.save",
    "gsutil",
    "aws s3",
    "hf_hub_download",
    "snapshot_download",
];

pub(crate) fn check(
    cells: &[Cell<'_>],
    analysed: Option<&[(usize, Option<CellNames>)]>,
    opts: &Options,
    hits: &mut Vec<Hit>,
) {
    if opts.on(Rule::AbsolutePath) {
        for (i, cell) in cells.iter().enumerate() {
            let src = cell.source();
            let code = cell.cell_type() == "code";
            for (n, line) in source_lines(&src).enumerate() {
                // Code and raw cells; not comments, not prose.
                if cell.cell_type() == "markdown" || (code && line.trim_start().starts_with('#')) {
                    continue;
                }
                if let Some(p) = find_absolute(line) {
                    hits.push(Hit::cell(
                        Rule::AbsolutePath,
                        i,
                        Some(n + 1),
                        format!("absolute path `{p}…` works on one machine only: use a path relative to the notebook or a setting"),
                    ));
                }
            }
            for (k, text) in output_texts(cell) {
                if let Some(p) = source_lines(&text).find_map(find_absolute) {
                    hits.push(Hit::output(
                        Rule::AbsolutePath,
                        i,
                        k,
                        format!("the output shows the absolute path `{p}…` (a user name, a machine's layout)"),
                    ));
                }
            }
        }
    }
    if opts.on(Rule::MissingDataFile) {
        if let (Some(analysed), Some(base)) = (analysed, &opts.base_dir) {
            missing_files(cells, analysed, base, hits);
        }
    }
}

fn missing_files(
    cells: &[Cell<'_>],
    analysed: &[(usize, Option<CellNames>)],
    base: &std::path::Path,
    hits: &mut Vec<Hit>,
) {
    let code: Vec<String> = cells
        .iter()
        .filter(|c| c.cell_type() == "code")
        .map(|c| c.source().into_owned())
        .collect();
    if code
        .iter()
        .any(|s| CREATES_FILES.iter().any(|m| s.contains(m)))
    {
        return;
    }
    let all = code.join("\n");
    for (i, names) in analysed {
        let Some(names) = names else { continue };
        for (path, line) in &names.data_paths {
            if !plausible_relative_file(path) {
                continue;
            }
            // Named more than once (written, copied, listed): not ours to judge.
            let file_name = path.rsplit(['/', '\\']).next().unwrap_or(path);
            if all.matches(file_name).count() > 1 {
                continue;
            }
            if base.join(path).exists() {
                continue;
            }
            hits.push(Hit::cell(
                Rule::MissingDataFile,
                *i,
                Some(*line),
                format!(
                    "reads `{path}`, which does not exist relative to the notebook: commit it, \
                     or say where it comes from"
                ),
            ));
        }
    }
}

/// A relative path to a file (an extension in its last part), not a URL,
/// a pattern or a template.
fn plausible_relative_file(p: &str) -> bool {
    let bytes = p.as_bytes();
    if p.is_empty()
        || p.len() > 255
        || p.starts_with(['/', '\\', '~', '$'])
        || (bytes.len() > 1 && bytes[1] == b':')
        || p.contains("://")
        || p.contains(['*', '?', '[', '{', '%', '\n', '<', '>', '|'])
    {
        return false;
    }
    let last = p.rsplit(['/', '\\']).next().unwrap_or(p);
    match last.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !ext.is_empty()
                && ext.len() <= 8
                && ext.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    }
}

/// Names that stand for "your user name" in documentation.
const PLACEHOLDERS: &[&str] = &[
    "user",
    "username",
    "user_name",
    "your_username",
    "yourusername",
    "yourname",
    "your_name",
    "you",
    "me",
    "name",
    "xxx",
    "someone",
    "foo",
    "example",
    "jovyan",
    "runner",
    "USER",
];

/// The machine-bound prefix of the first absolute path in `line`, up to and
/// including the user or volume name.
pub(crate) fn find_absolute(line: &str) -> Option<String> {
    let b = line.as_bytes();
    for (prefix, named) in [
        ("/Users/", true),
        ("/home/", true),
        ("/Volumes/", true),
        ("/content/drive/", false),
    ] {
        for at in memchr::memmem::find_iter(b, prefix.as_bytes()) {
            let wsl = line[..at].ends_with("/mnt/c") || line[..at].ends_with("/mnt/d");
            if !wsl && at > 0 && !is_boundary(b[at - 1]) {
                continue;
            }
            let start = if wsl { at - 6 } else { at };
            if !named {
                return Some(line[start..at + prefix.len()].to_string());
            }
            if let Some(end) = user_name(line, at + prefix.len(), &['/']) {
                return Some(line[start..=end].to_string());
            }
        }
    }
    // C:\Users\NAME\ , C:\\Users\\NAME\\ , C:/Users/NAME/
    for at in memchr::memchr_iter(b':', b) {
        if at == 0 || !b[at - 1].is_ascii_alphabetic() || (at > 1 && !is_boundary(b[at - 2])) {
            continue;
        }
        let rest = &line[at + 1..];
        let seps: &[&str] = &["\\\\", "\\", "/"];
        for sep in seps {
            let users = format!("{sep}Users{sep}");
            if rest
                .get(..users.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(&users))
            {
                let name_start = at + 1 + users.len();
                let sep_char = sep.chars().next().unwrap_or('/');
                if let Some(end) = user_name(line, name_start, &[sep_char]) {
                    return Some(line[at - 1..=end].to_string());
                }
            }
        }
    }
    None
}

/// A character that may stand before an absolute path: not part of a URL
/// or a longer path.
fn is_boundary(c: u8) -> bool {
    !(c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'.' | b'-' | b'_' | b'/' | b'\\' | b'~' | b'%' | b'$' | b'}'
        ))
}

/// The index of the separator after a real-looking user name starting at
/// `start`, or `None` for a placeholder or no name.
fn user_name(line: &str, start: usize, seps: &[char]) -> Option<usize> {
    let rest = line.get(start..)?;
    let len = rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ' ')))
        .unwrap_or(rest.len());
    let name = &rest[..len];
    let next = rest[len..].chars().next()?;
    if name.is_empty() || name.trim() != name || !seps.contains(&next) {
        return None;
    }
    if PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(name))
        || name.starts_with("your")
        || name == "Shared"
    {
        return None;
    }
    Some(start + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        assert_eq!(
            find_absolute("df = pd.read_csv('/Users/alice/data.csv')").as_deref(),
            Some("/Users/alice/")
        );
        assert_eq!(
            find_absolute("p = '/home/bob/x'").as_deref(),
            Some("/home/bob/")
        );
        assert_eq!(
            find_absolute(r#"p = r"C:\Users\Carol\Desktop""#).as_deref(),
            Some(r"C:\Users\Carol\")
        );
        assert_eq!(
            find_absolute(r#"p = "C:\\Users\\Carol\\x""#).as_deref(),
            Some(r"C:\\Users\\Carol\")
        );
        assert_eq!(
            find_absolute("open('/content/drive/MyDrive/a')").as_deref(),
            Some("/content/drive/")
        );
        assert_eq!(
            find_absolute("cd /mnt/c/Users/dave/x").as_deref(),
            Some("/mnt/c/Users/dave/")
        );
        assert!(find_absolute("see https://example.com/home/alice/page").is_none());
        assert!(find_absolute("'/home/user/data'").is_none());
        assert!(find_absolute("'/Users/<you>/data'").is_none());
        assert!(find_absolute("/home/alice").is_none());
        // Multi-byte text right after a drive letter or a prefix.
        assert!(find_absolute("C:\\Usersé").is_none());
        assert!(find_absolute("x:€€€€€€€€ /home/é").is_none());
    }

    #[test]
    fn relative_files() {
        assert!(plausible_relative_file("data/train.csv"));
        assert!(!plausible_relative_file("data/*.csv"));
        assert!(!plausible_relative_file("https://x.org/a.csv"));
        assert!(!plausible_relative_file("data"));
        assert!(!plausible_relative_file("/abs/a.csv"));
        assert!(!plausible_relative_file("out_{}.csv"));
    }
}

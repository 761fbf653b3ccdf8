//! Whole user sequences with real git in a clean environment:
//! `config-git --enable [--filter]`, edits, re-runs, `git add`, `git diff`,
//! `git diff --cached`, `nbdiff`, `nbdiff --cached`, `--stat`, `--html`,
//! `--markdown`, commits — asserting at every step that every command lists
//! the same changed notebooks with the same verdict ([`agree`]).

use crate::git_util::{notebook, stderr, stdout, Sandbox};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What a command says about one notebook: its verdict, the one line every
/// renderer prints first (`source changed (1 cell), outputs changed (1)`,
/// `only ignored changes (…)`, `not parsed (…): line diff +1 -1`, `added,
/// no cells`, …), the same text everywhere.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Verdict(String);

impl Verdict {
    /// Only hidden changes (or only the formatting).
    fn is_ignored(&self) -> bool {
        self.0.starts_with("only ignored changes") || self.0.starts_with("formatting only")
    }

    /// Not parsed: a line diff.
    fn is_lines(&self) -> bool {
        self.0.starts_with("not parsed (")
    }

    /// Added, deleted or renamed with no cell to show: the header says it all.
    fn is_header_only(&self) -> bool {
        [
            "added, no cells",
            "deleted, no cells",
            "renamed",
            "mode changed",
        ]
        .contains(&self.0.as_str())
    }
}

impl PartialEq<&str> for Verdict {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

/// The path a report or `--stat` names: the new one of a rename.
fn new_name(name: &str) -> String {
    let name = name.trim();
    let name = name.rsplit(" => ").next().unwrap_or(name);
    name.rsplit(" → ").next().unwrap_or(name).to_string()
}

/// Terminal output (`git diff` through the driver, `nbdiff`): the
/// `summary: …` line of each `diff --git` block, plus the one-line notes
/// (`path: only ignored changes …`) for hidden-only changes.
fn from_terminal(text: &str) -> BTreeMap<String, Verdict> {
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    // git shows a pure rename itself, without the driver: its header is
    // the verdict.
    let mut renamed = false;
    let flush =
        |current: &mut Option<String>, renamed: bool, out: &mut BTreeMap<String, Verdict>| {
            if let (Some(path), true) = (current.take(), renamed) {
                out.insert(path, Verdict("renamed".to_string()));
            }
        };
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("diff --git ") {
            flush(&mut current, renamed, &mut out);
            current = rest.split_once(" b/").map(|(_, b)| b.to_string());
            renamed = false;
            continue;
        }
        if line.starts_with("rename to ") {
            renamed = true;
        }
        if let Some(v) = line.strip_prefix("summary: ") {
            let path = current
                .take()
                .unwrap_or_else(|| panic!("a summary outside a block: {text}"));
            out.insert(path, Verdict(v.to_string()));
            continue;
        }
        if let Some((path, note)) = line.split_once(": ") {
            let v = Verdict(note.to_string());
            if v.is_ignored() && !line.starts_with(' ') {
                current = None;
                out.insert(path.to_string(), v);
            }
        }
    }
    flush(&mut current, renamed, &mut out);
    out.retain(|p, _| p.ends_with(".ipynb"));
    out
}

/// `--stat`: one row per notebook, ` NAME | [+A -R |] VERDICT`.
fn from_stat(text: &str) -> BTreeMap<String, Verdict> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split(" | ").collect();
        if cols.len() < 2 || !line.starts_with(' ') {
            continue;
        }
        let name = new_name(cols[0]);
        let verdict = cols[cols.len() - 1].to_string();
        assert!(
            out.insert(name, Verdict(verdict)).is_none(),
            "twice: {text}"
        );
    }
    out
}

/// `--markdown`: the summary table's rows (the verdict is the second column).
fn from_markdown(text: &str) -> BTreeMap<String, Verdict> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(row) = line.strip_prefix("| ") else {
            continue;
        };
        let cells: Vec<String> = row
            .split(" |")
            .map(|c| c.trim().replace(['\\', '\u{200b}'], ""))
            .collect();
        let path = new_name(&cells[0]);
        if cells[0] == "Notebook" || !path.ends_with(".ipynb") {
            continue;
        }
        out.insert(
            path,
            Verdict(
                cells[1]
                    .replace("&lt;", "<")
                    .replace("&gt;", ">")
                    .replace("&amp;", "&"),
            ),
        );
    }
    out
}

/// `--html`: the summary table's rows (the verdict in `td.what`).
fn from_html(text: &str) -> BTreeMap<String, Verdict> {
    let mut out = BTreeMap::new();
    for line in text.lines() {
        let Some(row) = line.strip_prefix("<tr><th scope=\"row\"><a href=\"#") else {
            continue;
        };
        let Some((_, row)) = row.split_once("\">") else {
            continue;
        };
        let Some((path, rest)) = row.split_once("</a></th>") else {
            continue;
        };
        let what = rest
            .strip_prefix("<td class=\"what\">")
            .and_then(|r| r.split_once("</td>"))
            .map(|(w, _)| w)
            .unwrap_or_else(|| panic!("row without a verdict: {line}"));
        let unescape = |s: &str| {
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&")
        };
        out.insert(new_name(&unescape(path)), Verdict(unescape(what)));
    }
    out
}

/// Runs nbdiff; panics unless it exits 0.
fn nbdiff_ok(sb: &Sandbox, repo: &Path, args: &[&str]) -> String {
    let out = sb.nbdiff(repo, args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "nbdiff {args:?}: {}",
        stderr(&out)
    );
    stdout(&out)
}

/// The notebooks `git diff --name-only [ARGS]` lists.
fn git_names(sb: &Sandbox, repo: &Path, args: &[&str]) -> Vec<String> {
    let mut all = vec!["diff", "--name-only"];
    all.extend(args);
    sb.git(repo, &all)
        .lines()
        .filter(|l| l.ends_with(".ipynb"))
        .map(str::to_string)
        .collect()
}

/// Asserts that `git diff ARGS` (through the driver), `nbdiff ARGS` and its
/// `--stat`, `--html` and `--markdown` list exactly the notebooks `git diff
/// --name-only ARGS` lists, each with the same verdict, word for word.
/// Returns the verdicts.
pub(crate) fn agree(
    sb: &Sandbox,
    repo: &Path,
    args: &[&str],
    step: &str,
) -> BTreeMap<String, Verdict> {
    let names = git_names(sb, repo, args);
    let mut git_args = vec!["diff"];
    git_args.extend(args);
    let run = |extra: &[&str]| {
        let mut a: Vec<&str> = extra.to_vec();
        a.extend(args);
        nbdiff_ok(sb, repo, &a)
    };
    let views = [
        ("git diff", from_terminal(&sb.git(repo, &git_args))),
        ("nbdiff", from_terminal(&run(&[]))),
        ("nbdiff --stat", from_stat(&run(&["--stat"]))),
        ("nbdiff --markdown", from_markdown(&run(&["--markdown"]))),
        ("nbdiff --html", from_html(&run(&["--html"]))),
    ];
    for (what, view) in &views {
        let listed: Vec<&String> = view.keys().collect();
        assert_eq!(
            listed,
            names.iter().collect::<Vec<_>>(),
            "{step}: {what} {args:?} lists what git diff --name-only lists"
        );
    }
    // The same verdict, word for word, in every view.
    let (first, reference) = &views[0];
    for (what, view) in &views[1..] {
        for (path, v) in view {
            assert_eq!(
                v, &reference[path],
                "{step}: {path}: {what} says {v:?}, {first} says {:?}",
                reference[path]
            );
        }
    }
    views[2].1.clone()
}

/// A notebook as nbformat writes one that holds `NaN` (serde_json and
/// nbdiff's parser do not read it): a cell's metadata value.
fn notebook_with_nan(source: &str) -> String {
    notebook(&[source], 1).replace("\"metadata\": {},", "\"metadata\": {\"score\": NaN},")
}

/// `notebook` re-run: new execution counts and an execution timestamp.
fn rerun(sources: &[&str], count: u32) -> String {
    notebook(sources, count).replace(
        "\"metadata\": {},",
        &format!("\"metadata\": {{\"execution\": {{\"iopub.status.idle\": \"2024-01-0{}T00:00:00Z\"}}}},", count % 9),
    )
}

/// Writes `text` to `path` under `repo`, making its folders.
pub(crate) fn write(repo: &Path, path: &str, text: &str) {
    let p = repo.join(path);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

const EMPTY: &str =
    "{\n \"cells\": [],\n \"metadata\": {},\n \"nbformat\": 4,\n \"nbformat_minor\": 5\n}\n";

/// A repository with nbdiff enabled (no filter) and four committed notebooks.
fn project(sb: &Sandbox) -> PathBuf {
    let repo = sb.repo("r");
    sb.enable(&repo);
    write(&repo, "a.ipynb", &notebook(&["x = 1", "print(x)"], 1));
    write(&repo, "b.ipynb", &notebook(&["b = 1"], 1));
    write(&repo, "sub/c.ipynb", &notebook(&["c = 1"], 1));
    write(&repo, "gone.ipynb", &notebook(&["g = 1"], 1));
    write(&repo, "notes.txt", "one\n");
    sb.commit_all(&repo, "one");
    repo
}

#[test]
fn without_the_filter_every_command_lists_the_same_notebooks_with_the_same_verdict() {
    let sb = Sandbox::new();
    let repo = project(&sb);
    // Edits: a source change, a re-run (only hidden changes), a notebook
    // nbdiff cannot parse (NaN, as nbformat writes it), a deletion, an
    // added notebook without cells, a text file.
    write(&repo, "a.ipynb", &notebook(&["x = 2", "print(x)"], 1));
    write(&repo, "b.ipynb", &rerun(&["b = 1"], 2));
    write(&repo, "sub/c.ipynb", &notebook_with_nan("c = 2"));
    std::fs::remove_file(repo.join("gone.ipynb")).expect("rm");
    write(&repo, "empty.ipynb", EMPTY);
    write(&repo, "notes.txt", "two\n");
    let v = agree(&sb, &repo, &[], "edited");
    // (the helper's output prints the source, so it changed too)
    // print(x) was not run again after x = 1 became x = 2.
    assert_eq!(
        v["a.ipynb"],
        "source changed (1 cell), outputs changed (1); outputs may be stale (1 cell)"
    );
    let stale = "cell 2: outputs may be stale: cell 1 (defines x) changed";
    for args in [
        &["--no-pager"][..],
        &["--markdown"],
        &["--html"],
        &["--stat=cells"],
    ] {
        // (Markdown backslash-escapes its punctuation.)
        let text = nbdiff_ok(&sb, &repo, args).replace('\\', "");
        assert!(text.contains(stale), "{args:?}: {text}");
    }
    assert!(v["b.ipynb"].is_ignored(), "{v:?}");
    assert!(v["sub/c.ipynb"].is_lines(), "{v:?}");
    assert_eq!(v["gone.ipynb"], "deleted (1 cell)");
    assert!(!v.contains_key("empty.ipynb"), "untracked, as in git diff");

    sb.git(&repo, &["add", "-A"]);
    let staged = agree(&sb, &repo, &["--cached"], "staged");
    assert_eq!(staged["empty.ipynb"], "added, no cells");
    assert!(staged["empty.ipynb"].is_header_only());
    assert_eq!(staged.len(), 5, "{staged:?}");
    assert!(agree(&sb, &repo, &[], "staged, worktree").is_empty());
    // git's own header lines for added and deleted files, in both roads.
    let git = sb.git(&repo, &["diff", "--cached"]);
    let ours = nbdiff_ok(&sb, &repo, &["--cached"]);
    for text in [&git, &ours] {
        assert!(
            text.contains("diff --git a/empty.ipynb b/empty.ipynb\nnew file mode 100644\n"),
            "{text}"
        );
        assert!(
            text.contains("diff --git a/gone.ipynb b/gone.ipynb\ndeleted file mode 100644\n"),
            "{text}"
        );
    }
    sb.git(&repo, &["commit", "-q", "-m", "two"]);
    let history = agree(&sb, &repo, &["HEAD~1", "HEAD"], "committed");
    assert_eq!(history, staged);
    assert!(agree(&sb, &repo, &[], "committed, worktree").is_empty());

    // A rename and an added notebook with cells: the file's own change leads.
    sb.git(&repo, &["mv", "a.ipynb", "moved.ipynb"]);
    write(&repo, "new.ipynb", &notebook(&["n = 1", "print(n)"], 1));
    sb.git(&repo, &["add", "-A"]);
    let v = agree(&sb, &repo, &["--cached"], "renamed, added");
    assert_eq!(v["moved.ipynb"], "renamed");
    assert_eq!(v["new.ipynb"], "added (2 cells)");
}

#[test]
fn with_the_filter_every_command_compares_what_git_compares() {
    let sb = Sandbox::new();
    let repo = project(&sb);

    // Turning the filter on: the committed notebooks hold execution counts,
    // so git lists them; config-git says so and what to do.
    let dry = sb.nbdiff(&repo, &["config-git", "--enable", "--filter", "--dry-run"]);
    let dry = stdout(&dry);
    assert!(dry.starts_with("# dry run, nothing changed"), "{dry}");
    assert!(dry.contains("# 4 committed notebooks"), "{dry}");
    assert!(dry.contains("once the filter is on"), "{dry}");
    assert!(!dry.contains("# done"), "{dry}");
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    let on = stdout(&on);
    assert!(!on.contains("dry run"), "{on}");
    assert!(on.contains("# done: git uses nbdiff for *.ipynb"), "{on}");
    assert!(on.contains("# 4 committed notebooks"), "{on}");
    assert!(on.contains("\ngit add --renormalize .   #"), "{on}");
    assert!(on.contains("\ngit commit -m "), "{on}");
    // git lists them once their stat data change (an editor saving them, a
    // checkout): here each is replaced by a copy (a new inode).
    assert!(agree(&sb, &repo, &[], "filter on, untouched").len() <= 4);
    for nb in ["a.ipynb", "b.ipynb", "sub/c.ipynb", "gone.ipynb"] {
        let bytes = std::fs::read(repo.join(nb)).expect("read");
        std::fs::write(repo.join("copy.tmp"), bytes).expect("write");
        std::fs::rename(repo.join("copy.tmp"), repo.join(nb)).expect("rename");
    }
    let listed = agree(&sb, &repo, &[], "filter on");
    assert_eq!(listed.len(), 4, "git lists every notebook: {listed:?}");
    assert!(listed.values().all(Verdict::is_ignored), "{listed:?}");

    // The two steps it printed: afterwards everything is quiet.
    sb.git(&repo, &["add", "--renormalize", "."]);
    sb.git(&repo, &["commit", "-q", "-m", "clean"]);
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");
    assert!(agree(&sb, &repo, &[], "renormalized").is_empty());
    assert_eq!(nbdiff_ok(&sb, &repo, &[]), "");
    assert_eq!(nbdiff_ok(&sb, &repo, &["--stat"]), "");
    let again = stdout(&sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]));
    assert!(
        !again.contains("renormalize"),
        "nothing left to do: {again}"
    );

    // A re-run only: the filter strips what changed; nobody lists it.
    write(&repo, "a.ipynb", &rerun(&["x = 1", "print(x)"], 7));
    assert!(agree(&sb, &repo, &[], "re-run").is_empty());
    // A real edit and a re-run with a new output.
    write(&repo, "b.ipynb", &notebook(&["b = 2"], 3));
    write(
        &repo,
        "sub/c.ipynb",
        &notebook(&["c = 1"], 4).replace("out:c = 1", "out:c = 1 again"),
    );
    let v = agree(&sb, &repo, &[], "edited");
    assert_eq!(v["b.ipynb"], "source changed (1 cell), outputs changed (1)");
    assert_eq!(v["sub/c.ipynb"], "re-run only: 1 output changed, no source");
    assert_eq!(v.len(), 2, "{v:?}");
    let rev = agree(&sb, &repo, &["HEAD"], "edited, against HEAD");
    assert_eq!(rev, v);
    sb.git(&repo, &["add", "-A"]);
    assert_eq!(agree(&sb, &repo, &["--cached"], "staged"), v);
    assert!(agree(&sb, &repo, &[], "staged, worktree").is_empty());
    // What was staged is clean: no execution count in the index.
    let blob = sb.git(&repo, &["show", ":b.ipynb"]);
    assert!(blob.contains("\"execution_count\": null"), "{blob}");
    // Committed: the history (`git log -p`'s pairs) says what was staged.
    sb.git(&repo, &["commit", "-q", "-m", "edited"]);
    assert_eq!(agree(&sb, &repo, &["HEAD~1", "HEAD"], "committed"), v);
    assert!(agree(&sb, &repo, &[], "committed, worktree").is_empty());
}

/// `git diff --cached` hands the driver the working-tree file with the
/// staged blob's hash; with outputs stripped by the filter the two differ,
/// and the driver must show the blob, as git does.
#[test]
fn git_diff_cached_through_the_driver_shows_the_staged_content() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write(
        &repo,
        "pyproject.toml",
        "[tool.nbdiff.clean]\noutputs = \"strip\"\n",
    );
    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    assert!(on.status.success(), "{}", stderr(&on));
    write(
        &repo,
        "nb.ipynb",
        &notebook(&["x = 1", "y = 2", "z = 3"], 1),
    );
    sb.commit_all(&repo, "one");
    let staged = sb.git(&repo, &["show", ":nb.ipynb"]);
    assert!(
        staged.contains("\"outputs\": []"),
        "committed cleaned: {staged}"
    );
    write(
        &repo,
        "nb.ipynb",
        &notebook(&["x = 10", "y = 2", "z = 3"], 2),
    );
    sb.git(&repo, &["add", "nb.ipynb"]);
    let git = sb.git(&repo, &["diff", "--cached"]);
    let ours = nbdiff_ok(&sb, &repo, &["--cached"]);
    assert!(git.contains("-x = 1\n+x = 10\n"), "{git}");
    assert!(!git.contains("output"), "no output was staged: {git}");
    assert_eq!(git, ours, "the driver and nbdiff --cached agree");
    agree(&sb, &repo, &["--cached"], "staged");
    // The working tree still has outputs; as git compares it, it is clean.
    assert!(agree(&sb, &repo, &[], "worktree").is_empty());
}

/// `nbdiff check` on a file git left conflicted names it and why, after a
/// summary that does not pass for "all clear".
#[test]
fn check_on_a_conflicted_notebook_names_it_and_why() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    write(&repo, "nb.ipynb", &notebook(&["x = 1"], 1));
    sb.commit_all(&repo, "base");
    sb.diverge(
        &repo,
        "other",
        "nb.ipynb",
        &notebook(&["x = 'theirs'"], 1),
        &notebook(&["x = 'ours'"], 1),
    );
    let merge = sb.git_output(&repo, &["merge", "-q", "other"]);
    assert!(!merge.status.success(), "git's line merge conflicts");
    let out = sb.nbdiff(&repo, &["check", "nb.ipynb"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("nb.ipynb"), "{err}");
    assert!(err.contains("conflict markers"), "{err}");
    assert!(err.contains("nbdiff resolve"), "{err}");
    assert!(err.contains("1 file could not be checked"), "{err}");
}

/// The same agreement over real notebooks: `NBDIFF_CORPUS=/path/to/corpus
/// cargo test --test main corpus_agreement -- --ignored --nocapture`
/// (a folder with `real-diffs/<case>/{a,b}.ipynb`,
/// `real-merges/<case>/{base,local,remote}.ipynb` and `nbdime-tests/*.ipynb`;
/// nothing of it is copied into the repository). Prints the figures.
#[test]
#[ignore = "needs NBDIFF_CORPUS, a folder of real notebooks"]
fn corpus_agreement() {
    let corpus = PathBuf::from(std::env::var_os("NBDIFF_CORPUS").expect("NBDIFF_CORPUS"));
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let cases = |dir: &str| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(corpus.join(dir))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let put = |side: &str| {
        for case in cases("real-diffs") {
            let name = case
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let from = case.join(if side == "old" { "a.ipynb" } else { "b.ipynb" });
            if from.exists() {
                std::fs::create_dir_all(repo.join("d")).expect("mkdir");
                std::fs::copy(&from, repo.join(format!("d/{name}.ipynb"))).expect("copy");
            }
        }
        for case in cases("real-merges") {
            let name = case
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            let file = match side {
                "old" => "base.ipynb",
                "new" => "local.ipynb",
                _ => "remote.ipynb",
            };
            if case.join(file).exists() {
                std::fs::create_dir_all(repo.join("m")).expect("mkdir");
                std::fs::copy(case.join(file), repo.join(format!("m/{name}.ipynb"))).expect("copy");
            }
        }
    };
    let report = |step: &str, v: &BTreeMap<String, Verdict>| {
        let count = |f: fn(&Verdict) -> bool| v.values().filter(|x| f(x)).count();
        eprintln!(
            "{step}: {} notebooks agree ({} changed, {} only ignored, {} line diff, {} header only)",
            v.len(),
            count(|x| !x.is_ignored() && !x.is_lines() && !x.is_header_only()),
            count(Verdict::is_ignored),
            count(Verdict::is_lines),
            count(Verdict::is_header_only),
        );
    };
    put("old");
    for f in cases("nbdime-tests") {
        if f.extension().is_some_and(|e| e == "ipynb") {
            std::fs::create_dir_all(repo.join("t")).expect("mkdir");
            std::fs::copy(&f, repo.join("t").join(f.file_name().expect("name"))).expect("copy");
        }
    }
    sb.commit_all(&repo, "old");
    put("new");
    report(
        "filter off, worktree",
        &agree(&sb, &repo, &[], "off, worktree"),
    );
    sb.git(&repo, &["add", "-A"]);
    report(
        "filter off, --cached",
        &agree(&sb, &repo, &["--cached"], "off, cached"),
    );
    sb.git(&repo, &["commit", "-q", "-m", "new"]);
    report(
        "filter off, HEAD~1 HEAD",
        &agree(&sb, &repo, &["HEAD~1", "HEAD"], "off, revs"),
    );
    put("remote");
    report(
        "filter off, remote in worktree",
        &agree(&sb, &repo, &[], "off, remote"),
    );
    sb.git(&repo, &["checkout", "--", "."]);

    let on = sb.nbdiff(&repo, &["config-git", "--enable", "--filter"]);
    eprintln!(
        "{}",
        stdout(&on)
            .lines()
            .filter(|l| l.contains("committed"))
            .collect::<String>()
    );
    report(
        "filter on, before renormalize",
        &agree(&sb, &repo, &[], "on"),
    );
    sb.git(&repo, &["add", "--renormalize", "."]);
    sb.git(&repo, &["commit", "-q", "-m", "clean"]);
    assert_eq!(sb.git(&repo, &["status", "--porcelain"]), "");
    report(
        "filter on, renormalized",
        &agree(&sb, &repo, &[], "renormalized"),
    );
    assert_eq!(nbdiff_ok(&sb, &repo, &[]), "");
    assert_eq!(nbdiff_ok(&sb, &repo, &["--stat"]), "");
    put("remote");
    report(
        "filter on, remote in worktree",
        &agree(&sb, &repo, &[], "on, remote"),
    );
    report("filter on, HEAD", &agree(&sb, &repo, &["HEAD"], "on, HEAD"));
    sb.git(&repo, &["add", "-A"]);
    report(
        "filter on, --cached",
        &agree(&sb, &repo, &["--cached"], "on, cached"),
    );
}

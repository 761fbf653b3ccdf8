//! `nbdiff config-git`: enable, idempotence, and byte-identical disable.

use crate::git_util::{stderr, stdout, Sandbox};
use std::path::Path;

fn read(p: &Path) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

#[test]
fn enable_then_disable_local_leaves_config_and_attributes_byte_identical() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let config = repo.join(".git/config");
    let attrs = repo.join(".git/info/attributes");
    // Other lines, CRLF and no final newline: all must survive untouched.
    std::fs::write(&attrs, "*.png binary\r\n*.csv -diff").expect("write");
    sb.git(&repo, &["config", "diff.tool", "vimdiff"]);
    let (config_before, attrs_before) = (read(&config), read(&attrs));

    let out = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let cfg = sb.git(&repo, &["config", "--local", "--list"]);
    assert!(cfg.contains("diff.nbdiff.command="), "{cfg}");
    assert!(cfg.contains(" diff-driver --\n"), "{cfg}");
    assert!(cfg.contains("diff.nbdiff.textconv="), "{cfg}");
    assert!(cfg.contains("merge.nbdiff.driver="), "{cfg}");
    assert!(
        cfg.contains("mergetool.nbdiff.trustexitcode=false"),
        "{cfg}"
    );
    let attrs_text = String::from_utf8(read(&attrs).expect("attributes")).expect("utf-8");
    assert_eq!(
        attrs_text,
        "*.png binary\r\n*.csv -diff\r\n*.ipynb diff=nbdiff merge=nbdiff"
    );
    let check = sb.git(&repo, &["check-attr", "diff", "merge", "--", "x.ipynb"]);
    assert_eq!(check, "x.ipynb: diff: nbdiff\nx.ipynb: merge: nbdiff\n");

    // Use it.
    std::fs::write(repo.join("a.ipynb"), crate::git_util::notebook(&["1"], 1)).expect("write");
    sb.commit_all(&repo, "a");
    std::fs::write(repo.join("a.ipynb"), crate::git_util::notebook(&["2"], 1)).expect("write");
    assert!(sb.git(&repo, &["diff"]).contains("+2"));
    assert!(sb.git(&repo, &["log", "-p"]).contains("+1"));

    // Idempotent: a second enable changes no byte.
    let (config_on, attrs_on) = (read(&config), read(&attrs));
    let again = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(again.status.success());
    assert!(
        stdout(&again).lines().all(|l| l.starts_with('#')),
        "{}",
        stdout(&again)
    );
    assert_eq!((read(&config), read(&attrs)), (config_on, attrs_on));

    let off = sb.nbdiff(&repo, &["config-git", "--disable"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert_eq!(read(&config), config_before);
    assert_eq!(read(&attrs), attrs_before);
}

#[test]
fn enable_then_disable_global_leaves_files_byte_identical() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::write(
        sb.global_config(),
        "[user]\n\tname = Someone\n[diff]\n\tcolorMoved = zebra\n",
    )
    .expect("write");
    let attrs = sb.xdg().join("git/attributes");
    std::fs::create_dir_all(attrs.parent().expect("parent")).expect("mkdir");
    std::fs::write(&attrs, "*.bin binary\n").expect("write");
    let before = (
        read(&sb.global_config()),
        read(&attrs),
        read(&repo.join(".git/config")),
    );

    let out = sb.nbdiff(&repo, &["config-git", "--enable", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(sb
        .git(&repo, &["config", "--global", "--list"])
        .contains("diff.nbdiff.textconv="));
    assert_eq!(
        read(&attrs).as_deref(),
        Some(&b"*.bin binary\n*.ipynb diff=nbdiff merge=nbdiff\n"[..])
    );
    assert_eq!(
        sb.git(&repo, &["check-attr", "diff", "--", "a.ipynb"]),
        "a.ipynb: diff: nbdiff\n"
    );
    std::fs::write(repo.join("a.ipynb"), crate::git_util::notebook(&["1"], 1)).expect("write");
    sb.commit_all(&repo, "a");
    assert!(sb.git(&repo, &["show"]).contains("+=== code"));

    let off = sb.nbdiff(&repo, &["config-git", "--disable", "--global"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert_eq!(
        (
            read(&sb.global_config()),
            read(&attrs),
            read(&repo.join(".git/config"))
        ),
        before
    );
}

#[test]
fn global_attributes_follow_core_attributes_file() {
    let sb = Sandbox::new();
    let custom = sb.home().join("my attributes");
    std::fs::write(
        sb.global_config(),
        format!("[core]\n\tattributesFile = {}\n", custom.display()),
    )
    .expect("write");
    let out = sb.nbdiff(sb.path(), &["config-git", "--enable", "--global"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        read(&custom).as_deref(),
        Some(&b"*.ipynb diff=nbdiff merge=nbdiff\n"[..])
    );
    let off = sb.nbdiff(sb.path(), &["config-git", "--disable", "--global"]);
    assert!(off.status.success());
    assert_eq!(
        read(&custom),
        None,
        "a file that held only our line is removed"
    );
}

#[test]
fn shared_attributes_go_to_gitattributes() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    std::fs::create_dir(repo.join("sub")).expect("mkdir");
    let out = sb.nbdiff(
        &repo.join("sub"),
        &["config-git", "--enable", "--attributes", "shared"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        read(&repo.join(".gitattributes")).as_deref(),
        Some(&b"*.ipynb diff=nbdiff merge=nbdiff\n"[..])
    );
    assert!(!repo.join(".git/info/attributes").exists());
}

#[test]
fn disable_keeps_a_users_own_keys_in_our_section() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    sb.git(&repo, &["config", "diff.nbdiff.wordRegex", "[^[:space:]]+"]);
    let off = sb.nbdiff(&repo, &["config-git", "--disable"]);
    assert!(off.status.success(), "{}", stderr(&off));
    let left = sb.git(&repo, &["config", "--local", "--get-regexp", "nbdiff"]);
    assert_eq!(left, "diff.nbdiff.wordregex [^[:space:]]+\n");
}

#[test]
fn dry_run_changes_nothing_and_prints_the_commands() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let before = read(&repo.join(".git/config"));
    let out = sb.nbdiff(&repo, &["config-git", "--enable", "--dry-run"]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("git config --local diff.nbdiff.command "),
        "{text}"
    );
    assert!(
        text.contains("echo '*.ipynb diff=nbdiff merge=nbdiff' >> "),
        "{text}"
    );
    assert_eq!(read(&repo.join(".git/config")), before);
    assert!(!repo.join(".git/info/attributes").exists());
    let sys = sb.nbdiff(&repo, &["config-git", "--enable", "--system", "--dry-run"]);
    assert!(
        stdout(&sys).contains("git config --system merge.nbdiff.driver "),
        "{}",
        stdout(&sys)
    );
}

#[test]
fn local_outside_a_repository_says_what_to_do() {
    let sb = Sandbox::new();
    let out = sb.nbdiff(sb.path(), &["config-git", "--enable"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--global"), "{}", stderr(&out));
}

#[test]
fn config_refers_to_the_binary_by_absolute_path() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    sb.enable(&repo);
    let cmd = sb.git(&repo, &["config", "diff.nbdiff.command"]);
    let exe = std::fs::canonicalize(crate::git_util::nbdiff_exe()).expect("exe");
    assert!(
        cmd.starts_with(&*exe.to_string_lossy()) || cmd.starts_with(&format!("'{}", exe.display())),
        "{cmd}"
    );
}

/// `--enable` then `--disable` leaves every file byte for
/// byte as it was, in each case that lost something before: (a) the user's
/// own `diff.nbdiff.command` (and `--enable` says it replaces it), (b) an
/// attribute line the user already had, (c) a tracked, empty
/// `.gitattributes`, (d) a comment in an empty `[diff "nbdiff"]` section.
#[test]
fn enable_then_disable_restores_what_the_user_had() {
    let sb = Sandbox::new();
    type Setup = fn(&Sandbox, &Path);
    let cases: [(&str, &[&str], Setup); 4] = [
        ("own-command", &[], |sb, repo| {
            sb.git(
                repo,
                &["config", "diff.nbdiff.command", "my-notebook-differ --flag"],
            );
        }),
        ("own-attribute-line", &[], |_, repo| {
            std::fs::write(
                repo.join(".git/info/attributes"),
                "*.ipynb diff=nbdiff merge=nbdiff\n*.png binary\n",
            )
            .unwrap();
        }),
        (
            "tracked-empty-gitattributes",
            &["--attributes", "shared"],
            |sb, repo| {
                std::fs::write(repo.join(".gitattributes"), "").unwrap();
                sb.git(repo, &["add", ".gitattributes"]);
                sb.git(repo, &["commit", "-qm", "empty attributes"]);
            },
        ),
        ("comment-in-section", &[], |_, repo| {
            let config = repo.join(".git/config");
            let mut text = std::fs::read_to_string(&config).unwrap();
            text.push_str("[diff \"nbdiff\"]\n\t# my notes on this driver\n");
            std::fs::write(&config, text).unwrap();
        }),
    ];
    for (name, extra, setup) in cases {
        let repo = sb.repo(name);
        setup(&sb, &repo);
        let files = [
            repo.join(".git/config"),
            repo.join(".git/info/attributes"),
            repo.join(".gitattributes"),
        ];
        let before: Vec<_> = files.iter().map(|f| read(f)).collect();
        let mut enable = vec!["config-git", "--enable"];
        enable.extend_from_slice(extra);
        let on = sb.nbdiff(&repo, &enable);
        assert!(on.status.success(), "{name}: {}", stderr(&on));
        if name == "own-command" {
            assert!(
                stdout(&on).contains("# replaces diff.nbdiff.command = my-notebook-differ --flag"),
                "{name}: {}",
                stdout(&on)
            );
        }
        let check = sb.git(&repo, &["check-attr", "diff", "--", "x.ipynb"]);
        assert_eq!(check, "x.ipynb: diff: nbdiff\n", "{name}");
        let mut disable = vec!["config-git", "--disable"];
        disable.extend_from_slice(extra);
        let off = sb.nbdiff(&repo, &disable);
        assert!(off.status.success(), "{name}: {}", stderr(&off));
        let after: Vec<_> = files.iter().map(|f| read(f)).collect();
        for ((f, b), a) in files.iter().zip(&before).zip(&after) {
            assert!(
                b == a,
                "{name}: {} changed:\n--- before\n{}\n--- after\n{}",
                f.display(),
                String::from_utf8_lossy(b.as_deref().unwrap_or(b"<absent>")),
                String::from_utf8_lossy(a.as_deref().unwrap_or(b"<absent>"))
            );
        }
        assert!(
            !repo.join(".git/nbdiff-config-git").exists(),
            "{name}: the record is removed"
        );
        let status = sb.git(&repo, &["status", "--porcelain"]);
        assert_eq!(status, "", "{name}: the work tree is as it was");
    }
}

/// When the user changed the files after `--enable`, `--disable` keeps
/// their changes and removes only nbdiff's keys and line.
#[test]
fn disable_after_user_edits_removes_only_nbdiffs_settings() {
    let sb = Sandbox::new();
    let repo = sb.repo("r");
    let on = sb.nbdiff(&repo, &["config-git", "--enable"]);
    assert!(on.status.success());
    sb.git(&repo, &["config", "user.name", "Someone"]);
    let off = sb.nbdiff(&repo, &["config-git", "--disable"]);
    assert!(off.status.success(), "{}", stderr(&off));
    assert!(stdout(&off).contains("one by one"), "{}", stdout(&off));
    let cfg = sb.git(&repo, &["config", "--local", "--list"]);
    assert!(cfg.contains("user.name=Someone"), "{cfg}");
    assert!(!cfg.contains("nbdiff"), "{cfg}");
}

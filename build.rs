//! Build script: links the `nbdiff` binary with packed relative relocations
//! (`-z pack-relative-relocs`, DT_RELR) where that is sound.
//!
//! Every process start pays for the dynamic loader reading the binary's
//! relocation table: ~30,000 relative relocations (tables of `&str` and
//! vtables in the dependencies), 725 KB of `.rela.dyn` as 24-byte entries,
//! 12 KB packed. Measured in BENCHMARKS.md (issue 22).
//!
//! A DT_RELR binary needs glibc 2.36 or later at run time (the linker adds a
//! `GLIBC_ABI_DT_RELR` version dependency, so an older loader refuses it with
//! a clear error instead of running it unrelocated). It is enabled only when
//! the binary is built for the machine that builds it (not cross-compiled),
//! for `linux` with glibc (`gnu`), that machine's glibc is 2.36 or later, and
//! a probe program linked with the flag runs there. The manylinux wheels are
//! built against an old glibc (maturin's manylinux2014 images: 2.17), so they
//! never get it; nor do musl, macOS and Windows builds. `NBDIFF_RELR=0` turns
//! it off.

use std::env;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=NBDIFF_RELR");
    println!("cargo:rerun-if-env-changed=RUSTC_LINKER");
    if relr_sound() {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn relr_sound() -> bool {
    let var = |k: &str| env::var(k).unwrap_or_default();
    if var("NBDIFF_RELR") == "0" {
        return false;
    }
    if var("TARGET") != var("HOST")
        || var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
    {
        return false;
    }
    host_glibc().is_some_and(|v| v >= (2, 36)) && probe_runs()
}

/// The build machine's glibc version, from `getconf GNU_LIBC_VERSION`
/// (`glibc 2.36`).
fn host_glibc() -> Option<(u32, u32)> {
    let out = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let version = text.trim().strip_prefix("glibc ")?;
    let mut parts = version.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Links a trivial C program with the flag (warnings fatal, so a linker that
/// ignores an unknown `-z` option counts as not supporting it) using the
/// linker driver rustc uses for this target, and runs it.
fn probe_runs() -> bool {
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        return false;
    };
    let driver = env::var("RUSTC_LINKER").unwrap_or_else(|_| "cc".to_string());
    let src = out_dir.join("relr-probe.c");
    let exe = out_dir.join("relr-probe");
    if std::fs::write(&src, "int main(void) { return 0; }\n").is_err() {
        return false;
    }
    let linked = Command::new(&driver)
        .arg(&src)
        .arg("-o")
        .arg(&exe)
        .args(["-Wl,--fatal-warnings", "-Wl,-z,pack-relative-relocs"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    linked
        && Command::new(&exe)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

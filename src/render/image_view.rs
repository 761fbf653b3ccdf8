//! A changed image in the HTML report, compared beyond side by side, with
//! CSS only (the report runs no script under its Content-Security-Policy):
//!
//! - **side by side** (the default, and what print shows);
//! - **difference**: the after image drawn over the before image with
//!   `mix-blend-mode: difference`, so identical pixels are black and what
//!   changed is bright;
//! - **slider**: the after image over the before image in a box of half its
//!   width that the reader widens or narrows by its resize handle
//!   (`resize: horizontal`; a range input cannot move anything without
//!   script);
//! - **flip**: the after image, hidden while the pointer is over it.
//!
//! The modes are radio buttons with labels as tabs, read by `:checked ~`
//! selectors; both images are the same two `<img>` elements in every mode,
//! so each payload is still embedded once. The styles live in `html.css`
//! (`.imgcmp`); nothing here comes from the notebook but the images, which
//! the caller writes between [`figure_start`] and [`figure_end`].

use std::fmt::Write as _;

/// The modes: (class suffix, tab label, note shown under the tabs).
const MODES: [(&str, &str, &str); 4] = [
    ("side", "side by side", ""),
    (
        "diff",
        "difference",
        "The after image drawn over the before image in difference mode: pixels that did not change are black, what changed is bright.",
    ),
    (
        "slide",
        "slider",
        "The after image over the before image: drag the handle at the bottom right corner of the after image to uncover more or less of the before image.",
    ),
    (
        "flip",
        "flip",
        "The after image; point at it to see the before image in its place.",
    ),
];

/// Opens comparison number `k` (unique in the report) of `what` (`output 2`).
pub fn start(b: &mut String, k: usize, what: &str) {
    let _ = writeln!(
        b,
        "<div class=\"imgcmp\" role=\"group\" aria-label=\"{}: before and after compared\">",
        super::html::escape(&super::sanitize::visible(what))
    );
    for (i, (mode, _, _)) in MODES.iter().enumerate() {
        let _ = writeln!(
            b,
            "<input type=\"radio\" name=\"cmp{k}\" id=\"cmp{k}-{mode}\" class=\"m-{mode}\"{}>",
            if i == 0 { " checked" } else { "" }
        );
    }
    b.push_str("<p class=\"tabs\">Compare:");
    for (mode, label, _) in MODES {
        let _ = write!(
            b,
            " <label for=\"cmp{k}-{mode}\" class=\"l-{mode}\">{label}</label>"
        );
    }
    b.push_str("</p>\n");
    for (mode, _, note) in MODES.iter().filter(|m| !m.2.is_empty()) {
        let _ = writeln!(b, "<p class=\"note n-{mode}\">{note}</p>");
    }
    b.push_str("<div class=\"stage\">\n");
}

/// Opens the before (`after == false`) or after figure.
pub fn figure_start(b: &mut String, after: bool) {
    if after {
        b.push_str("<figure class=\"new\"><figcaption>After</figcaption><div class=\"clip\">");
    } else {
        b.push_str("<figure class=\"old\"><figcaption>Before</figcaption>");
    }
}

/// Closes the figure opened by [`figure_start`].
pub fn figure_end(b: &mut String, after: bool) {
    b.push_str(if after {
        "</div></figure>\n"
    } else {
        "</figure>\n"
    });
}

/// Closes the comparison.
pub fn end(b: &mut String) {
    b.push_str("</div>\n</div>\n");
}

//! A changed DataFrame in the HTML report: the rows that changed, as a
//! table, with added and removed rows and columns and changed cells marked
//! (`diff/table.rs` compares; this writes). Every text is made visible and
//! escaped; nothing of the notebook's HTML is copied.

use super::html::escape;
use super::sanitize::visible;
use crate::diff::table::{Mark, TableChange};
use std::fmt::Write as _;

fn text(s: &str) -> String {
    escape(&visible(s)).into_owned()
}

/// A changed cell's side: its text, or `(empty)` when it has none (a cell
/// holding only markup, such as an image, has no text).
fn side(s: &str) -> String {
    if s.is_empty() {
        "<span class=\"none\">(empty)</span>".into()
    } else {
        text(s)
    }
}

fn class(mark: Mark) -> &'static str {
    match mark {
        Mark::Changed => "",
        Mark::Added => " class=\"add\"",
        Mark::Removed => " class=\"del\"",
    }
}

/// Writes the comparison of a changed DataFrame into the report body.
pub fn write(b: &mut String, t: &TableChange) {
    let v = &t.view;
    let index_cols = v.rows.iter().map(|r| r.index.len()).max().unwrap_or(0);
    let width = index_cols + v.columns.len();
    let _ = writeln!(
        b,
        "<div class=\"tdiff\"><table aria-label=\"{}\">",
        text(&t.summary())
    );
    b.push_str("<thead><tr>");
    for _ in 0..index_cols {
        b.push_str("<th></th>");
    }
    for (label, mark) in &v.columns {
        let sign = match mark {
            Mark::Added => "+ ",
            Mark::Removed => "− ",
            Mark::Changed => "",
        };
        let _ = write!(
            b,
            "<th scope=\"col\"{}>{sign}{}</th>",
            class(*mark),
            text(label)
        );
    }
    b.push_str("</tr></thead>\n<tbody>\n");
    let skip = |b: &mut String, n: usize| {
        if n > 0 {
            let _ = writeln!(
                b,
                "<tr class=\"skip\"><td colspan=\"{width}\">{n} unchanged row{}</td></tr>",
                if n == 1 { "" } else { "s" }
            );
        }
    };
    for row in &v.rows {
        skip(b, row.unchanged_before);
        let _ = write!(b, "<tr{}>", class(row.mark));
        for k in 0..index_cols {
            let label = row.index.get(k).map_or("", String::as_str);
            let _ = write!(b, "<th scope=\"row\">{}</th>", text(label));
        }
        for (k, cell) in row.cells.iter().enumerate() {
            let col = v.columns.get(k).map_or(Mark::Changed, |c| c.1);
            match &cell.old {
                Some(old) => {
                    let _ = write!(
                        b,
                        "<td class=\"chg\"><del>{}</del> <ins>{}</ins></td>",
                        side(old),
                        side(&cell.text)
                    );
                }
                None => {
                    let _ = write!(b, "<td{}>{}</td>", class(col), text(&cell.text));
                }
            }
        }
        b.push_str("</tr>\n");
    }
    if v.more_rows > 0 {
        let _ = writeln!(
            b,
            "<tr class=\"skip\"><td colspan=\"{width}\">{} more changed row{} not shown</td></tr>",
            v.more_rows,
            if v.more_rows == 1 { "" } else { "s" }
        );
    } else {
        skip(b, v.unchanged_after);
    }
    b.push_str("</tbody></table></div>\n");
}

//! What keeps a review report inert, as checks on its text: shared by
//! `tests/report.rs` and the fuzz crate (`fuzz/src/lib.rs` includes this
//! file with `#[path]`), so the fuzzer asserts exactly what the tests do.
//!
//! Plain `std` only: the fuzz crate compiles it too.

/// One tag of a page: its lower-case name and its `(attribute, value)`
/// pairs (names lower-cased, values as written).
pub type Tag = (String, Vec<(String, String)>);

/// Every real start tag of an HTML page. Text is escaped, so each `<` starts
/// a tag, a closing tag, a comment or the doctype. Attribute values may
/// hold `>`: the scan follows quotes. `Err` names what is malformed.
pub fn tags(html: &str) -> Result<Vec<Tag>, String> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        let rest = &html[i..];
        if let Some(comment) = rest.strip_prefix("!--") {
            let end = comment.find("-->").ok_or("an unclosed comment")?;
            i += 3 + end + 3;
            continue;
        }
        if rest.starts_with('!') || rest.starts_with('/') {
            i += rest.find('>').ok_or("an unclosed tag")? + 1;
            continue;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .ok_or("an unclosed tag")?;
        let name = rest[..name_len].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!("a raw `<` that starts no tag: {:?}", snippet(rest)));
        }
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            match bytes.get(i) {
                None => return Err(format!("<{name}> is not closed")),
                Some(b'>') => {
                    i += 1;
                    break;
                }
                Some(_) => {}
            }
            let rest = &html[i..];
            let key_len = rest
                .find(|c: char| c == '=' || c == '>' || c == '/' || c.is_whitespace())
                .unwrap_or(rest.len());
            let key = rest[..key_len].to_ascii_lowercase();
            i += key_len;
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                if bytes.get(i) != Some(&b'"') {
                    return Err(format!("<{name} {key}=…> is not double-quoted"));
                }
                let close = html[i + 1..]
                    .find('"')
                    .ok_or_else(|| format!("<{name} {key}=\"…> is not closed"))?;
                value = html[i + 1..i + 1 + close].to_string();
                i += close + 2;
            }
            attrs.push((key, value));
        }
        out.push((name, attrs));
    }
    Ok(out)
}

fn snippet(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Elements that fetch, run or submit something; none may appear.
const ACTIVE: [&str; 16] = [
    "script", "iframe", "object", "embed", "form", "input", "button", "link", "base", "svg",
    "math", "video", "audio", "frame", "applet", "template",
];

/// What an HTML report may contain: the CSP first in `<head>`, our one
/// `<style>`, no element that runs or fetches anything (but our two view
/// switches), no handler or style attribute, no URL but `data:image/…` on an
/// `<img>` and in-page `#anchors`, no meta refresh.
pub fn check_html_report(html: &str) -> Result<(), String> {
    let head = html.find("<head>").ok_or("no <head>")? + "<head>".len();
    if !html[head..].trim_start().starts_with(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">",
    ) {
        return Err("the CSP is not the first element of <head>".into());
    }
    if html.matches("<style>").count() != 1 {
        return Err("a <style> other than ours".into());
    }
    for (name, attrs) in tags(html)? {
        let view_switch = name == "input"
            && attrs
                .iter()
                .any(|(k, v)| k == "class" && v == "view-switch");
        if ACTIVE.contains(&name.as_str()) && !view_switch && !compare_tab(&name, &attrs) {
            return Err(format!("<{name} {attrs:?}>"));
        }
        if name == "meta"
            && attrs
                .iter()
                .any(|(k, v)| k == "http-equiv" && v.eq_ignore_ascii_case("refresh"))
        {
            return Err("a meta refresh".into());
        }
        for (k, v) in &attrs {
            if k.starts_with("on") {
                return Err(format!("handler {k}={v:?} on <{name}>"));
            }
            if k == "style" {
                return Err(format!("style attribute on <{name}>"));
            }
            if matches!(
                k.as_str(),
                "src"
                    | "href"
                    | "srcset"
                    | "action"
                    | "data"
                    | "poster"
                    | "xlink:href"
                    | "formaction"
            ) {
                let ok = v.starts_with('#')
                    || (k == "src" && name == "img" && v.starts_with("data:image/"));
                if !ok {
                    return Err(format!("<{name} {k}=\"{}\">", snippet(v)));
                }
            }
        }
    }
    Ok(())
}

/// The tabs of an image comparison (`render/image_view.rs`): a radio
/// button named `cmpN`, with the id `cmpN-MODE` and the class `m-MODE` of
/// one of its four modes, and no other attribute but `checked`.
fn compare_tab(name: &str, attrs: &[(String, String)]) -> bool {
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let (Some("radio"), Some(group), Some(id), Some(class)) =
        (get("type"), get("name"), get("id"), get("class"))
    else {
        return false;
    };
    let Some(mode) = class.strip_prefix("m-") else {
        return false;
    };
    name == "input"
        && ["side", "diff", "slide", "flip"].contains(&mode)
        && group.strip_prefix("cmp").is_some_and(number)
        && id == format!("{group}-{mode}")
        && attrs.iter().all(|(k, v)| {
            matches!(k.as_str(), "type" | "name" | "id" | "class")
                || (k == "checked" && v.is_empty())
        })
}

/// Panics with `what` when [`check_html_report`] fails.
pub fn assert_html_inert(html: &str, what: &str) {
    if let Err(e) = check_html_report(html) {
        panic!("{what}: {e}");
    }
}

/// The only tags the Markdown report writes itself (a notebook's text is
/// escaped or fenced, so it adds none).
const MARKDOWN_TAGS: [&str; 3] = ["details", "summary", "b"];

/// What a Markdown report (a pull-request comment) may contain as raw HTML:
/// only its own `<details>`, `<summary>` and `<b>`, with no attribute but
/// `open`. `rendered` is the report rendered to HTML by a CommonMark
/// renderer; a tag a notebook smuggled through the escaping shows up there
/// as an element or link that is not ours.
pub fn check_markdown_report(rendered: &str) -> Result<(), String> {
    for (name, attrs) in tags(rendered)? {
        let ours = MARKDOWN_TAGS.contains(&name.as_str()) && attrs.iter().all(|(k, _)| k == "open");
        // What CommonMark itself makes of the report's own Markdown.
        let structure = matches!(
            name.as_str(),
            "p" | "pre"
                | "code"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "ul"
                | "ol"
                | "li"
                | "em"
                | "strong"
                | "hr"
                | "br"
                | "blockquote"
                | "table"
                | "thead"
                | "tbody"
                | "tr"
                | "th"
                | "td"
                | "del"
        ) && attrs.iter().all(|(k, v)| {
            (k == "class" && v.starts_with("language-")) || k == "align" || k == "start"
        });
        if !ours && !structure {
            return Err(format!("<{name} {attrs:?}>"));
        }
    }
    Ok(())
}

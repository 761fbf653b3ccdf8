//! Changes between two JSON values as a list of JSON paths.

use serde_json::Value;

/// One changed JSON path: added (`old` is `None`), removed (`new` is `None`)
/// or changed. Values are borrowed from the notebooks.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonChange<'a> {
    /// The path, e.g. `metadata.kernelspec.display_name` or `metadata.tags[0]`.
    pub path: String,
    /// The old value.
    pub old: Option<&'a Value>,
    /// The new value.
    pub new: Option<&'a Value>,
}

/// Appends `.key`, or `["key"]` when the key is not a plain identifier.
pub fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '/');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push('[');
        path.push_str(&Value::String(key.to_owned()).to_string());
        path.push(']');
    }
}

/// Collects the changes between `old` and `new` under `path`, descending into
/// objects (and arrays of equal length); `ignored(path)` prunes paths.
pub fn changes<'a>(
    path: &mut String,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
    ignored: &dyn Fn(&str) -> bool,
    out: &mut Vec<JsonChange<'a>>,
) {
    if old == new || ignored(path) {
        return;
    }
    let len = path.len();
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (k, va) in a {
                push_key(path, k);
                changes(path, Some(va), b.get(k), ignored, out);
                path.truncate(len);
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    push_key(path, k);
                    changes(path, None, Some(vb), ignored, out);
                    path.truncate(len);
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (k, (va, vb)) in a.iter().zip(b).enumerate() {
                path.push_str(&format!("[{k}]"));
                changes(path, Some(va), Some(vb), ignored, out);
                path.truncate(len);
            }
        }
        _ => out.push(JsonChange {
            path: path.clone(),
            old,
            new,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_changes_are_paths() {
        let a = json!({"kernelspec": {"display_name": "a", "name": "p"}, "tags": ["x"]});
        let b =
            json!({"kernelspec": {"display_name": "b", "name": "p"}, "tags": ["y"], "new key": 1});
        let mut out = Vec::new();
        changes(
            &mut "metadata".to_string(),
            Some(&a),
            Some(&b),
            &|_| false,
            &mut out,
        );
        let paths: Vec<&str> = out.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "metadata.kernelspec.display_name",
                "metadata.tags[0]",
                "metadata[\"new key\"]"
            ]
        );
    }
}

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
    if crate::policy::plain_key(key) {
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

/// What [`changes`] leaves out: the paths the policy hides.
pub trait Hide {
    /// True when `path` (and everything below it) is not compared.
    fn prunes(&self, path: &str) -> bool;
    /// True when `value`, found at `path`, holds a path the policy hides
    /// (strictly below `path`), whether or not it is pruned now: such a
    /// value is compared key by key even where the other side has nothing
    /// there, so that hidden keys never show through their parent.
    fn holds_hidden(&self, path: &str, value: &Value) -> bool;
}

/// A plain predicate prunes paths; no value holds hidden ones.
impl<F: Fn(&str) -> bool> Hide for F {
    fn prunes(&self, path: &str) -> bool {
        self(path)
    }
    fn holds_hidden(&self, _: &str, _: &Value) -> bool {
        false
    }
}

/// Collects the changes between `old` and `new` under `path`, descending into
/// objects (and arrays of equal length); `hide` prunes paths.
///
/// An object holding a hidden path ([`Hide::holds_hidden`]) is compared key
/// by key even when the other side is missing or not an object: cell
/// metadata going from `{}` to `{"jupyter": {"outputs_hidden": false}}` is
/// then no change at all (the hidden key is pruned and nothing else is
/// there), and with nothing pruned (`--show-all`) the change is named by the
/// hidden path itself (`metadata.jupyter.outputs_hidden`), as the policy
/// table does. An object the pruning leaves with nothing is no change: that
/// is what `clean` does when it removes the object its last stripped key
/// emptied.
pub fn changes<'a>(
    path: &mut String,
    old: Option<&'a Value>,
    new: Option<&'a Value>,
    hide: &dyn Hide,
    out: &mut Vec<JsonChange<'a>>,
) {
    if old == new || hide.prunes(path) {
        return;
    }
    let len = path.len();
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (k, va) in a {
                push_key(path, k);
                changes(path, Some(va), b.get(k), hide, out);
                path.truncate(len);
            }
            for (k, vb) in b {
                if !a.contains_key(k) {
                    push_key(path, k);
                    changes(path, None, Some(vb), hide, out);
                    path.truncate(len);
                }
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (k, (va, vb)) in a.iter().zip(b).enumerate() {
                path.push_str(&format!("[{k}]"));
                changes(path, Some(va), Some(vb), hide, out);
                path.truncate(len);
            }
        }
        _ => {
            let split = |v: Option<&'a Value>| match v {
                Some(v @ Value::Object(m)) if hide.holds_hidden(path, v) => Some(m),
                _ => None,
            };
            let (split_old, split_new) = (split(old), split(new));
            if split_old.is_none() && split_new.is_none() {
                out.push(JsonChange {
                    path: path.clone(),
                    old,
                    new,
                });
                return;
            }
            // Each side goes alone against nothing: one holding a hidden
            // path key by key, any other as one change of its own.
            if old.is_some() && new.is_some() {
                changes(path, old, None, hide, out);
                changes(path, None, new, hide, out);
                return;
            }
            for (k, v) in split_old.or(split_new).into_iter().flatten() {
                push_key(path, k);
                let (a, b) = if old.is_some() {
                    (Some(v), None)
                } else {
                    (None, Some(v))
                };
                changes(path, a, b, hide, out);
                path.truncate(len);
            }
        }
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
            &|_: &str| false,
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

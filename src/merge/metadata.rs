//! Three-way merge of JSON objects key by key (metadata and other fields).
//!
//! A key changed on one side takes that side's value; the same change on both
//! sides is taken once; objects changed on both sides are merged recursively.
//! Anything else changed differently on both sides is a conflict: volatile
//! keys (the [`crate::policy`] rows with [`MergeRule::TakeLocal`]) resolve to
//! local's value and are reported, `tags` lists merge as sets, and the rest is a [`FieldConflict`]
//! that keeps local's value (or is resolved by the conflict policy).

use super::model::{FieldConflict, Side};
use super::options::ConflictPolicy;
use crate::notebook::same_opt;
#[cfg(doc)]
use crate::policy::MergeRule;
use crate::policy::{Policy, Scope};
use serde_json::{Map, Value};

/// Collects what a value merge decided.
#[derive(Debug, Default)]
pub struct Decisions {
    /// Conflicts left for a person.
    pub conflicts: Vec<FieldConflict>,
    /// Rule-based resolutions (messages without the cell prefix).
    pub notes: Vec<String>,
}

/// Which paths of the merged objects hold volatile data: the policy table's
/// rows of one scope that the merge resolves to local's value.
#[derive(Debug, Clone, Copy)]
pub struct Volatile<'p> {
    /// The table (built-in rows and the user's).
    pub policy: &'p Policy,
    /// Whose paths: the notebook's or a cell's.
    pub scope: Scope,
}

impl Volatile<'_> {
    /// True when `path` (keys joined by `/`) is resolved to local's value.
    pub fn contains(self, path: &str) -> bool {
        self.policy.merge_takes_local(self.scope, path)
    }
}

/// Merges three objects key by key. `skip` keys are not merged: they get a
/// `null` placeholder (where local, or else remote, has the key) that the
/// caller replaces or removes; copying the skipped value (a notebook's whole
/// `cells`, a cell's outputs) only to throw it away was the merge's main cost.
/// Key order is local's, with keys only remote added appended in remote's order.
#[allow(
    clippy::too_many_arguments,
    reason = "recursive over nested objects: the three sides, the path and the \
              rules travel together; a struct would be rebuilt at every level"
)]
pub fn merge_map(
    base: Option<&Map<String, Value>>,
    local: &Map<String, Value>,
    remote: &Map<String, Value>,
    prefix: &str,
    skip: &[&str],
    volatile: Volatile<'_>,
    policy: ConflictPolicy,
    out: &mut Decisions,
) -> Map<String, Value> {
    let mut merged = Map::new();
    let keys = local
        .keys()
        .chain(remote.keys().filter(|k| !local.contains_key(*k)))
        .chain(
            base.into_iter()
                .flat_map(|b| b.keys())
                .filter(|k| !local.contains_key(*k) && !remote.contains_key(*k)),
        );
    for key in keys {
        let (l, r) = (local.get(key), remote.get(key));
        if skip.contains(&key.as_str()) {
            if l.or(r).is_some() {
                merged.insert(key.clone(), Value::Null);
            }
            continue;
        }
        let b = base.and_then(|b| b.get(key));
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}/{key}")
        };
        if let Some(v) = merge_value(b, l, r, &path, volatile, policy, out) {
            merged.insert(key.clone(), v);
        }
    }
    merged
}

/// Merges one value; `None` means absent (deleted) in the result.
pub fn merge_value(
    b: Option<&Value>,
    l: Option<&Value>,
    r: Option<&Value>,
    path: &str,
    volatile: Volatile<'_>,
    policy: ConflictPolicy,
    out: &mut Decisions,
) -> Option<Value> {
    if same_opt(l, r) {
        return l.cloned();
    }
    if same_opt(b, l) {
        return r.cloned();
    }
    if same_opt(b, r) {
        return l.cloned();
    }
    // Both changed, differently. A volatile subtree is taken whole from local.
    if volatile.contains(path) {
        return conflict(b, l, r, path, volatile, policy, out).cloned();
    }
    if let (Some(Value::Object(lm)), Some(Value::Object(rm))) = (l, r) {
        let bm = match b {
            Some(Value::Object(bm)) => Some(bm),
            None => None,
            Some(_) => return conflict(b, l, r, path, volatile, policy, out).cloned(),
        };
        return Some(Value::Object(merge_map(
            bm,
            lm,
            rm,
            path,
            &[],
            volatile,
            policy,
            out,
        )));
    }
    if path.ends_with("/tags") || path == "tags" {
        if let Some(v) = merge_string_sets(b, l, r) {
            out.notes.push(format!(
                "{path} changed on both sides; merged as a set of tags"
            ));
            return Some(v);
        }
    }
    conflict(b, l, r, path, volatile, policy, out).cloned()
}

fn conflict<'v>(
    b: Option<&Value>,
    l: Option<&'v Value>,
    r: Option<&'v Value>,
    path: &str,
    volatile: Volatile<'_>,
    policy: ConflictPolicy,
    out: &mut Decisions,
) -> Option<&'v Value> {
    if volatile.contains(path) {
        out.notes.push(format!(
            "{path} differs on both sides (volatile); kept local's"
        ));
        return l.or(r);
    }
    let taken = match policy {
        ConflictPolicy::Mark => {
            out.conflicts.push(FieldConflict {
                path: path.to_string(),
                base: b.cloned(),
                local: l.cloned(),
                remote: r.cloned(),
            });
            return l;
        }
        ConflictPolicy::Ours | ConflictPolicy::Union => Side::Local,
        ConflictPolicy::Theirs => Side::Remote,
    };
    out.notes.push(format!(
        "{path} changed differently on both sides; kept {}'s (--conflicts {})",
        taken.name(),
        policy.name()
    ));
    match taken {
        Side::Local => l,
        Side::Remote => r,
    }
}

/// Three-way merge of lists of strings as sets: local's order, then remote's
/// additions; an item removed on either side is removed. `None` (a conflict)
/// when both sides removed items: each replaced tags, and which replacement
/// wins is not certain.
fn merge_string_sets(b: Option<&Value>, l: Option<&Value>, r: Option<&Value>) -> Option<Value> {
    fn strings(v: Option<&Value>) -> Option<Vec<&str>> {
        match v {
            None => Some(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(Value::as_str).collect(),
            Some(_) => None,
        }
    }
    let (bs, ls, rs) = (strings(b)?, strings(l)?, strings(r)?);
    let removes = |side: &[&str]| bs.iter().any(|t| !side.contains(t));
    if removes(&ls) && removes(&rs) {
        return None;
    }
    let mut out: Vec<Value> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in ls.iter().chain(rs.iter()) {
        let removed = bs.contains(s) && (!ls.contains(s) || !rs.contains(s));
        if !removed && seen.insert(*s) {
            out.push(Value::String((*s).to_string()));
        }
    }
    Some(Value::Array(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn run(b: Value, l: Value, r: Value) -> (Value, Decisions) {
        run_in(Scope::Cell, b, l, r)
    }

    fn run_in(scope: Scope, b: Value, l: Value, r: Value) -> (Value, Decisions) {
        let mut d = Decisions::default();
        let m = merge_map(
            Some(&obj(b)),
            &obj(l),
            &obj(r),
            "metadata",
            &[],
            Volatile {
                policy: &Policy::defaults(),
                scope,
            },
            ConflictPolicy::Mark,
            &mut d,
        );
        (Value::Object(m), d)
    }

    #[test]
    fn different_keys_combine_recursively() {
        let (m, d) = run(
            json!({"a": {"x": 1}, "k": 1}),
            json!({"a": {"x": 1, "y": 2}, "k": 1}),
            json!({"a": {"x": 1, "z": 3}, "k": 2}),
        );
        assert_eq!(m, json!({"a": {"x": 1, "y": 2, "z": 3}, "k": 2}));
        assert!(d.conflicts.is_empty());
    }

    #[test]
    fn same_key_changed_differently_is_a_conflict_keeping_local() {
        let (m, d) = run(json!({"k": 1}), json!({"k": 2}), json!({"k": 3}));
        assert_eq!(m, json!({"k": 2}));
        assert_eq!(d.conflicts.len(), 1);
        assert_eq!(d.conflicts[0].path, "metadata/k");
    }

    #[test]
    fn volatile_keys_resolve_to_local() {
        let (m, d) = run(
            json!({"execution": {"t": "1"}}),
            json!({"execution": {"t": "2"}}),
            json!({"execution": {"t": "3"}}),
        );
        assert_eq!(m, json!({"execution": {"t": "2"}}));
        assert!(d.conflicts.is_empty());
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn tags_replaced_on_both_sides_conflict() {
        let (m, d) = run(
            json!({"tags": ["draft"]}),
            json!({"tags": ["parameters"]}),
            json!({"tags": ["final"]}),
        );
        assert_eq!(m, json!({"tags": ["parameters"]}));
        assert_eq!(d.conflicts.len(), 1);
    }

    #[test]
    fn tags_merge_as_sets() {
        let (m, d) = run(
            json!({"tags": ["a", "b"]}),
            json!({"tags": ["a", "b", "c"]}),
            json!({"tags": ["a", "b", "d"]}),
        );
        assert_eq!(m, json!({"tags": ["a", "b", "c", "d"]}));
        assert!(d.conflicts.is_empty());
    }

    #[test]
    fn jupyterlab_view_state_resolves_to_local_as_the_diff_hides_it() {
        let (m, d) = run(
            json!({"jupyter": {"outputs_hidden": false}}),
            json!({"jupyter": {"outputs_hidden": true}}),
            json!({"jupyter": {"outputs_hidden": null}}),
        );
        assert_eq!(m, json!({"jupyter": {"outputs_hidden": true}}));
        assert!(d.conflicts.is_empty());
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn papermill_parameters_conflict_but_its_run_stamps_do_not() {
        let (m, d) = run_in(
            Scope::Notebook,
            json!({"papermill": {"parameters": {"n": 1}, "duration": 1.0}}),
            json!({"papermill": {"parameters": {"n": 2}, "duration": 2.0}}),
            json!({"papermill": {"parameters": {"n": 3}, "duration": 3.0}}),
        );
        assert_eq!(
            m,
            json!({"papermill": {"parameters": {"n": 2}, "duration": 2.0}})
        );
        assert_eq!(d.conflicts.len(), 1);
        assert_eq!(d.conflicts[0].path, "metadata/papermill/parameters/n");
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
    }

    #[test]
    fn the_kernelspec_resolves_to_local() {
        let (m, d) = run_in(
            Scope::Notebook,
            json!({"kernelspec": {"name": "python3"}}),
            json!({"kernelspec": {"name": "conda-a"}}),
            json!({"kernelspec": {"name": "conda-b"}}),
        );
        assert_eq!(m, json!({"kernelspec": {"name": "conda-a"}}));
        assert!(d.conflicts.is_empty());
    }
}

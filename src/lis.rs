//! Longest strictly increasing subsequence, shared by the cell alignment's
//! in-order chain (`diff/align.rs`) and the merge's execution-count
//! renumbering (`merge/order.rs`).

/// Positions in `v` (ascending) of a longest subsequence whose keys strictly
/// increase. O(n log n); allocates the result and two work vectors.
pub(crate) fn longest_increasing<T, K: Ord>(v: &[T], key: impl Fn(&T) -> K) -> Vec<usize> {
    // tails[k]: position of the smallest tail of an increasing run of length k+1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; v.len()];
    for (i, x) in v.iter().enumerate() {
        let x = key(x);
        let k = tails.partition_point(|&t| key(&v[t]) < x);
        if k > 0 {
            prev[i] = Some(tails[k - 1]);
        }
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(i) = at {
        chain.push(i);
        at = prev[i];
    }
    chain.reverse();
    chain
}

#[cfg(test)]
mod tests {
    use super::longest_increasing;

    #[test]
    fn keeps_a_longest_strictly_increasing_run() {
        let id = |x: &u64| *x;
        assert_eq!(longest_increasing(&[1, 2, 12, 4, 5], id), vec![0, 1, 3, 4]);
        assert_eq!(longest_increasing(&[9, 9, 9], id), vec![2]);
        assert!(longest_increasing(&[] as &[u64], id).is_empty());
        assert_eq!(
            longest_increasing(&[(7, 3), (8, 1), (9, 2)], |p| p.1),
            vec![1, 2]
        );
    }
}

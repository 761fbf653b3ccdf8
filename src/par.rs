//! Fork-join on scoped threads, for the few places where independent work on
//! large inputs pays for a thread (tens of microseconds): parsing the inputs,
//! preparing both sides' cells, comparing matched cells. Small inputs stay on
//! the calling thread, so a diff of two small notebooks starts no thread.

/// Runs `a` and `b`, `b` on a scoped thread when `parallel`.
pub fn join<A: Send, B: Send>(
    parallel: bool,
    a: impl FnOnce() -> A + Send,
    b: impl FnOnce() -> B + Send,
) -> (A, B) {
    if !parallel {
        return (a(), b());
    }
    std::thread::scope(|s| {
        let hb = s.spawn(b);
        let ra = a();
        let rb = hb
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (ra, rb)
    })
}

/// `items.iter().map(f).collect()`, the second half on a scoped thread when
/// `parallel`. Results keep the items' order.
pub fn map<T: Sync, R: Send>(parallel: bool, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if !parallel || items.len() < 2 {
        return items.iter().map(f).collect();
    }
    let (front, back) = items.split_at(items.len() / 2);
    let f = &f;
    // The front half goes into room for all: extending it with the back
    // half moves nothing (growing would hold both halves and the old front
    // at once, twice the result's size at the peak).
    let (mut out, rest) = join(
        true,
        || {
            let mut out = Vec::with_capacity(items.len());
            out.extend(front.iter().map(f));
            out
        },
        || back.iter().map(f).collect::<Vec<R>>(),
    );
    out.extend(rest);
    out
}

/// Runs `f` on every item; on scoped threads (the first item on the calling
/// thread) when `parallel`. Results come back in the items' order.
pub fn each<T: Send, R: Send, const N: usize>(
    items: [T; N],
    parallel: bool,
    f: impl Fn(T) -> R + Sync,
) -> [R; N] {
    if !parallel || N < 2 {
        return items.map(f);
    }
    std::thread::scope(|s| {
        let f = &f;
        let mut first = None;
        let jobs = items.map(|item| {
            if first.is_none() {
                first = Some(item);
                None
            } else {
                Some(s.spawn(move || f(item)))
            }
        });
        let mut first = first.map(f);
        jobs.map(|job| match job {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // Exactly one job is `None`: the first, run here.
            None => first.take().unwrap_or_else(|| unreachable!()),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_and_each_keep_order_and_join_returns_both() {
        let items: Vec<u32> = (0..1001).collect();
        for parallel in [false, true] {
            let doubled = map(parallel, &items, |x| x * 2);
            assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
            assert_eq!(join(parallel, || 1, || "b"), (1, "b"));
            assert_eq!(each([1, 2, 3], parallel, |x| x * 10), [10, 20, 30]);
        }
    }
}

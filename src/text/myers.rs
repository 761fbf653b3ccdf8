//! Port of git's xdiff Myers line diff (`xdl_do_diff` with default flags), so that
//! merges line up exactly as `git merge-file` lines them up.
//!
//! Preparation as in `xprepare.c`: common head and tail are trimmed; a line that
//! does not occur in the other file is changed outright; a line that occurs very
//! often in the other file is dropped from the search when it sits among such
//! unmatched lines. Then the linear-space divide-and-conquer Myers of `xdiffi.c`,
//! with git's cost heuristics, which keep it near-linear on large, very different
//! inputs. The recursion is replaced by an explicit stack.

use imara_diff::intern::Token;

const MAX_EQLIMIT: usize = 1024;
const SIMSCAN_WINDOW: usize = 100;
const KPDIS_RUN: usize = 4;
const MAX_COST_MIN: isize = 256;
const HEUR_MIN_COST: isize = 256;
const SNAKE_CNT: isize = 20;
const K_HEUR: isize = 4;

/// git's `xdl_bogosqrt`: a power of two near the square root.
fn bogosqrt(mut n: usize) -> usize {
    let mut i = 1;
    while n > 0 {
        i <<= 1;
        n >>= 2;
    }
    i
}

/// Diffs two token sequences; returns the "changed" flag of every line of each.
pub(crate) fn diff(a: &[Token], b: &[Token], num_tokens: u32) -> (Vec<bool>, Vec<bool>) {
    let mut rchg1 = vec![false; a.len()];
    let mut rchg2 = vec![false; b.len()];

    let mut cnt1 = vec![0usize; num_tokens as usize];
    let mut cnt2 = vec![0usize; num_tokens as usize];
    let count = |cnt: &mut Vec<usize>, t: Token| {
        let k = t.0 as usize;
        if k >= cnt.len() {
            cnt.resize(k + 1, 0);
        }
        cnt[k] += 1;
    };
    for &t in a {
        count(&mut cnt1, t);
    }
    for &t in b {
        count(&mut cnt2, t);
    }
    let get = |cnt: &[usize], t: Token| cnt.get(t.0 as usize).copied().unwrap_or(0);

    // xdl_trim_ends
    let lim = a.len().min(b.len());
    let mut start = 0;
    while start < lim && a[start] == b[start] {
        start += 1;
    }
    let mut tail = 0;
    while tail < lim - start && a[a.len() - 1 - tail] == b[b.len() - 1 - tail] {
        tail += 1;
    }
    let (end1, end2) = (a.len() - tail, b.len() - tail);

    // xdl_cleanup_records
    let classify = |toks: &[Token], other: &[usize], nrec: usize, end: usize| -> Vec<u8> {
        let mlim = bogosqrt(nrec).min(MAX_EQLIMIT);
        let mut dis = vec![0u8; toks.len()];
        for i in start..end {
            let nm = get(other, toks[i]);
            dis[i] = if nm == 0 {
                0
            } else if nm >= mlim {
                2
            } else {
                1
            };
        }
        dis
    };
    let dis1 = classify(a, &cnt2, a.len(), end1);
    let dis2 = classify(b, &cnt1, b.len(), end2);
    let select = |toks: &[Token], dis: &[u8], end: usize, rchg: &mut [bool]| {
        let mut rindex = Vec::new();
        let mut ha = Vec::new();
        for i in start..end {
            if dis[i] == 1 || (dis[i] == 2 && !clean_mmatch(dis, i, start, end - 1)) {
                rindex.push(i);
                ha.push(toks[i]);
            } else {
                rchg[i] = true;
            }
        }
        (rindex, ha)
    };
    let (rindex1, ha1) = select(a, &dis1, end1, &mut rchg1);
    let (rindex2, ha2) = select(b, &dis2, end2, &mut rchg2);

    let mut m = Myers::new(&ha1, &ha2);
    let mut stack = vec![(0isize, m.n1, 0isize, m.n2, false)];
    while let Some((mut off1, mut lim1, mut off2, mut lim2, need_min)) = stack.pop() {
        while off1 < lim1 && off2 < lim2 && m.eq(off1, off2) {
            off1 += 1;
            off2 += 1;
        }
        while off1 < lim1 && off2 < lim2 && m.eq(lim1 - 1, lim2 - 1) {
            lim1 -= 1;
            lim2 -= 1;
        }
        if off1 == lim1 {
            for k in off2..lim2 {
                rchg2[rindex2[k as usize]] = true;
            }
        } else if off2 == lim2 {
            for k in off1..lim1 {
                rchg1[rindex1[k as usize]] = true;
            }
        } else {
            let spl = m.split(off1, lim1, off2, lim2, need_min);
            stack.push((spl.i1, lim1, spl.i2, lim2, spl.min_hi));
            stack.push((off1, spl.i1, off2, spl.i2, spl.min_lo));
        }
    }
    (rchg1, rchg2)
}

/// git's `xdl_clean_mmatch`: whether multi-match line `i` sits in a run of lines
/// that mostly have no match, so it is better left out of the search.
fn clean_mmatch(dis: &[u8], i: usize, s: usize, e: usize) -> bool {
    let s = if i - s > SIMSCAN_WINDOW {
        i - SIMSCAN_WINDOW
    } else {
        s
    };
    let e = if e - i > SIMSCAN_WINDOW {
        i + SIMSCAN_WINDOW
    } else {
        e
    };
    let (mut rdis0, mut rpdis0) = (0, 1);
    let mut r = 1;
    while i >= s + r {
        match dis[i - r] {
            0 => rdis0 += 1,
            2 => rpdis0 += 1,
            _ => break,
        }
        r += 1;
    }
    if rdis0 == 0 {
        return false;
    }
    let (mut rdis1, mut rpdis1) = (0, 1);
    let mut r = 1;
    while i + r <= e {
        match dis[i + r] {
            0 => rdis1 += 1,
            2 => rpdis1 += 1,
            _ => break,
        }
        r += 1;
    }
    if rdis1 == 0 {
        return false;
    }
    let rdis = rdis1 + rdis0;
    let rpdis = rpdis1 + rpdis0;
    rpdis * KPDIS_RUN < rpdis + rdis
}

struct Split {
    i1: isize,
    i2: isize,
    min_lo: bool,
    min_hi: bool,
}

struct Myers<'t> {
    ha1: &'t [Token],
    ha2: &'t [Token],
    n1: isize,
    n2: isize,
    /// Forward and backward furthest-reaching vectors, indexed by diagonal
    /// `d + n2 + 1`.
    kf: Vec<isize>,
    kb: Vec<isize>,
    mxcost: isize,
}

impl<'t> Myers<'t> {
    fn new(ha1: &'t [Token], ha2: &'t [Token]) -> Self {
        let ndiags = ha1.len() + ha2.len() + 3;
        Myers {
            ha1,
            ha2,
            n1: ha1.len() as isize,
            n2: ha2.len() as isize,
            kf: vec![0; ndiags],
            kb: vec![0; ndiags],
            mxcost: (bogosqrt(ndiags) as isize).max(MAX_COST_MIN),
        }
    }

    fn eq(&self, i1: isize, i2: isize) -> bool {
        self.ha1[i1 as usize] == self.ha2[i2 as usize]
    }

    fn kf(&self, d: isize) -> isize {
        self.kf[(d + self.n2 + 1) as usize]
    }
    fn set_kf(&mut self, d: isize, v: isize) {
        let k = (d + self.n2 + 1) as usize;
        self.kf[k] = v;
    }
    fn kb(&self, d: isize) -> isize {
        self.kb[(d + self.n2 + 1) as usize]
    }
    fn set_kb(&mut self, d: isize, v: isize) {
        let k = (d + self.n2 + 1) as usize;
        self.kb[k] = v;
    }

    /// git's `xdl_split`: find the middle snake of the box, or a good-enough split
    /// point once the heuristics give up on the optimum.
    fn split(
        &mut self,
        off1: isize,
        lim1: isize,
        off2: isize,
        lim2: isize,
        need_min: bool,
    ) -> Split {
        let dmin = off1 - lim2;
        let dmax = lim1 - off2;
        let fmid = off1 - off2;
        let bmid = lim1 - lim2;
        let odd = (fmid - bmid) & 1 != 0;
        let (mut fmin, mut fmax) = (fmid, fmid);
        let (mut bmin, mut bmax) = (bmid, bmid);
        self.set_kf(fmid, off1);
        self.set_kb(bmid, lim1);

        let mut ec: isize = 1;
        loop {
            let mut got_snake = false;
            if fmin > dmin {
                fmin -= 1;
                self.set_kf(fmin - 1, -1);
            } else {
                fmin += 1;
            }
            if fmax < dmax {
                fmax += 1;
                self.set_kf(fmax + 1, -1);
            } else {
                fmax -= 1;
            }
            let mut d = fmax;
            while d >= fmin {
                let mut i1 = if self.kf(d - 1) >= self.kf(d + 1) {
                    self.kf(d - 1) + 1
                } else {
                    self.kf(d + 1)
                };
                let prev1 = i1;
                let mut i2 = i1 - d;
                while i1 < lim1 && i2 < lim2 && self.eq(i1, i2) {
                    i1 += 1;
                    i2 += 1;
                }
                if i1 - prev1 > SNAKE_CNT {
                    got_snake = true;
                }
                self.set_kf(d, i1);
                if odd && bmin <= d && d <= bmax && self.kb(d) <= i1 {
                    return Split {
                        i1,
                        i2,
                        min_lo: true,
                        min_hi: true,
                    };
                }
                d -= 2;
            }

            if bmin > dmin {
                bmin -= 1;
                self.set_kb(bmin - 1, isize::MAX);
            } else {
                bmin += 1;
            }
            if bmax < dmax {
                bmax += 1;
                self.set_kb(bmax + 1, isize::MAX);
            } else {
                bmax -= 1;
            }
            let mut d = bmax;
            while d >= bmin {
                let mut i1 = if self.kb(d - 1) < self.kb(d + 1) {
                    self.kb(d - 1)
                } else {
                    self.kb(d + 1) - 1
                };
                let prev1 = i1;
                let mut i2 = i1 - d;
                while i1 > off1 && i2 > off2 && self.eq(i1 - 1, i2 - 1) {
                    i1 -= 1;
                    i2 -= 1;
                }
                if prev1 - i1 > SNAKE_CNT {
                    got_snake = true;
                }
                self.set_kb(d, i1);
                if !odd && fmin <= d && d <= fmax && i1 <= self.kf(d) {
                    return Split {
                        i1,
                        i2,
                        min_lo: true,
                        min_hi: true,
                    };
                }
                d -= 2;
            }

            if need_min {
                ec += 1;
                continue;
            }

            if got_snake && ec > HEUR_MIN_COST {
                let mut best = 0;
                let mut spl = (0, 0);
                let mut d = fmax;
                while d >= fmin {
                    let dd = if d > fmid { d - fmid } else { fmid - d };
                    let i1 = self.kf(d);
                    let i2 = i1 - d;
                    let v = (i1 - off1) + (i2 - off2) - dd;
                    if v > K_HEUR * ec
                        && v > best
                        && off1 + SNAKE_CNT <= i1
                        && i1 < lim1
                        && off2 + SNAKE_CNT <= i2
                        && i2 < lim2
                    {
                        let mut k = 1;
                        while self.eq(i1 - k, i2 - k) {
                            if k == SNAKE_CNT {
                                best = v;
                                spl = (i1, i2);
                                break;
                            }
                            k += 1;
                        }
                    }
                    d -= 2;
                }
                if best > 0 {
                    return Split {
                        i1: spl.0,
                        i2: spl.1,
                        min_lo: true,
                        min_hi: false,
                    };
                }

                let mut d = bmax;
                while d >= bmin {
                    let dd = if d > bmid { d - bmid } else { bmid - d };
                    let i1 = self.kb(d);
                    let i2 = i1 - d;
                    let v = (lim1 - i1) + (lim2 - i2) - dd;
                    if v > K_HEUR * ec
                        && v > best
                        && off1 < i1
                        && i1 <= lim1 - SNAKE_CNT
                        && off2 < i2
                        && i2 <= lim2 - SNAKE_CNT
                    {
                        let mut k = 0;
                        while self.eq(i1 + k, i2 + k) {
                            if k == SNAKE_CNT - 1 {
                                best = v;
                                spl = (i1, i2);
                                break;
                            }
                            k += 1;
                        }
                    }
                    d -= 2;
                }
                if best > 0 {
                    return Split {
                        i1: spl.0,
                        i2: spl.1,
                        min_lo: false,
                        min_hi: true,
                    };
                }
            }

            if ec >= self.mxcost {
                let (mut fbest, mut fbest1) = (-1, -1);
                let mut d = fmax;
                while d >= fmin {
                    let mut i1 = self.kf(d).min(lim1);
                    let mut i2 = i1 - d;
                    if lim2 < i2 {
                        i1 = lim2 + d;
                        i2 = lim2;
                    }
                    if fbest < i1 + i2 {
                        fbest = i1 + i2;
                        fbest1 = i1;
                    }
                    d -= 2;
                }
                let (mut bbest, mut bbest1) = (isize::MAX, isize::MAX);
                let mut d = bmax;
                while d >= bmin {
                    let mut i1 = off1.max(self.kb(d));
                    let mut i2 = i1 - d;
                    if i2 < off2 {
                        i1 = off2 + d;
                        i2 = off2;
                    }
                    if i1 + i2 < bbest {
                        bbest = i1 + i2;
                        bbest1 = i1;
                    }
                    d -= 2;
                }
                return if (lim1 + lim2) - bbest < fbest - (off1 + off2) {
                    Split {
                        i1: fbest1,
                        i2: fbest - fbest1,
                        min_lo: true,
                        min_hi: false,
                    }
                } else {
                    Split {
                        i1: bbest1,
                        i2: bbest - bbest1,
                        min_lo: false,
                        min_hi: true,
                    }
                };
            }
            ec += 1;
        }
    }
}

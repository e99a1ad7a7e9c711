//! `NumberSet`: a set of small numbers (0–127) as a bitmask, the representation of every
//! zone of every game. Set operations are single instructions, which is what makes closed-form
//! evaluation of large selections cheap.

use std::fmt;

#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NumberSet(u128);

/// The largest number a `NumberSet` can hold.
pub const NUMBER_SET_MAX: u8 = 127;

impl NumberSet {
    pub const EMPTY: NumberSet = NumberSet(0);

    pub const fn from_bits(bits: u128) -> NumberSet {
        NumberSet(bits)
    }

    pub const fn bits(self) -> u128 {
        self.0
    }

    pub fn insert(&mut self, n: u8) {
        assert!(n <= NUMBER_SET_MAX);
        self.0 |= 1u128 << n;
    }

    pub fn with(mut self, n: u8) -> NumberSet {
        self.insert(n);
        self
    }

    pub fn contains(self, n: u8) -> bool {
        n <= NUMBER_SET_MAX && self.0 & (1u128 << n) != 0
    }

    pub fn len(self) -> u32 {
        self.0.count_ones()
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn intersection(self, other: NumberSet) -> NumberSet {
        NumberSet(self.0 & other.0)
    }

    pub fn union(self, other: NumberSet) -> NumberSet {
        NumberSet(self.0 | other.0)
    }

    pub fn difference(self, other: NumberSet) -> NumberSet {
        NumberSet(self.0 & !other.0)
    }

    /// The numbers in ascending order.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let n = bits.trailing_zeros() as u8;
            bits &= bits - 1;
            Some(n)
        })
    }

    /// Every subset of `self` with exactly `k` elements (for brute-force expansion).
    pub fn subsets(self, k: u32) -> Vec<NumberSet> {
        let items: Vec<u8> = self.iter().collect();
        let mut out = Vec::new();
        let mut chosen = Vec::with_capacity(k as usize);
        fn walk(items: &[u8], k: usize, chosen: &mut Vec<u8>, out: &mut Vec<NumberSet>) {
            if chosen.len() == k {
                out.push(chosen.iter().fold(NumberSet::EMPTY, |s, &n| s.with(n)));
                return;
            }
            let need = k - chosen.len();
            for i in 0..items.len() {
                if items.len() - i < need {
                    break;
                }
                chosen.push(items[i]);
                walk(&items[i + 1..], k, chosen, out);
                chosen.pop();
            }
        }
        walk(&items, k as usize, &mut chosen, &mut out);
        out
    }
}

impl FromIterator<u8> for NumberSet {
    fn from_iter<I: IntoIterator<Item = u8>>(iter: I) -> NumberSet {
        iter.into_iter().fold(NumberSet::EMPTY, |s, n| s.with(n))
    }
}

impl fmt::Debug for NumberSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_operations_and_iteration_in_order() {
        let a: NumberSet = [5, 1, 80, 33].into_iter().collect();
        assert_eq!(a.iter().collect::<Vec<_>>(), vec![1, 5, 33, 80]);
        assert_eq!(a.len(), 4);
        assert!(a.contains(80) && !a.contains(2) && !a.contains(200));
        let b: NumberSet = [5, 6].into_iter().collect();
        assert_eq!(a.intersection(b).iter().collect::<Vec<_>>(), vec![5]);
        assert_eq!(a.difference(b).len(), 3);
        assert_eq!(a.subsets(2).len(), 6);
        assert_eq!(a.subsets(0), vec![NumberSet::EMPTY]);
        assert!(a.subsets(5).is_empty());
    }
}

//! `Pick`: "choose `size` numbers: all of the 胆 and the rest from the 拖". A plain 单式/复式
//! selection is a pick with no 胆. This one type carries the closed-form counting for
//! 双色球 reds, 七乐彩 and 快乐8.

use crate::combin::binomial;
use crate::NumberSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pick {
    /// 胆码: in every bet.
    pub dan: NumberSet,
    /// 拖码 (or all numbers of a 复式): each bet takes `size - |dan|` of them.
    pub tuo: NumberSet,
    /// Numbers per bet.
    pub size: u8,
}

impl Pick {
    pub fn plain(numbers: NumberSet, size: u8) -> Pick {
        Pick {
            dan: NumberSet::EMPTY,
            tuo: numbers,
            size,
        }
    }

    pub fn is_dantuo(&self) -> bool {
        !self.dan.is_empty()
    }

    fn need_from_tuo(&self) -> u32 {
        u32::from(self.size) - self.dan.len()
    }

    /// Number of distinct bets: C(|拖|, size − |胆|).
    pub fn bets(&self) -> u64 {
        binomial(self.tuo.len(), self.need_from_tuo())
    }

    /// `counts[h]` = number of bets holding exactly `h` numbers of `hits` (h = 0..=size).
    pub fn hit_counts(&self, hits: NumberSet) -> Vec<u64> {
        let dan_hits = self.dan.intersection(hits).len();
        let tuo_hits = self.tuo.intersection(hits).len();
        let tuo_misses = self.tuo.len() - tuo_hits;
        let need = self.need_from_tuo();
        (0..=u32::from(self.size))
            .map(|h| match h.checked_sub(dan_hits) {
                Some(from_tuo) if from_tuo <= need => {
                    binomial(tuo_hits, from_tuo) * binomial(tuo_misses, need - from_tuo)
                }
                _ => 0,
            })
            .collect()
    }

    /// `counts[h][s]` = number of bets holding exactly `h` numbers of `hits` and holding the
    /// `special` number (s = 1) or not (s = 0). `special` must not be in `hits`.
    pub fn hit_counts_with_special(&self, hits: NumberSet, special: u8) -> Vec<[u64; 2]> {
        debug_assert!(!hits.contains(special));
        let dan_hits = self.dan.intersection(hits).len();
        let tuo_hits = self.tuo.intersection(hits).len();
        let dan_special = u32::from(self.dan.contains(special));
        let tuo_special = u32::from(self.tuo.contains(special));
        let tuo_others = self.tuo.len() - tuo_hits - tuo_special;
        let need = self.need_from_tuo();
        (0..=u32::from(self.size))
            .map(|h| {
                let mut by_special = [0u64; 2];
                let Some(from_tuo) = h.checked_sub(dan_hits) else {
                    return by_special;
                };
                for special_from_tuo in 0..=tuo_special {
                    let Some(rest) = need.checked_sub(from_tuo + special_from_tuo) else {
                        continue;
                    };
                    let count = binomial(tuo_hits, from_tuo)
                        * binomial(tuo_special, special_from_tuo)
                        * binomial(tuo_others, rest);
                    by_special[(dan_special + special_from_tuo) as usize] += count;
                }
                by_special
            })
            .collect()
    }

    /// Every bet, by brute force (tests and baselines only).
    pub fn expand(&self) -> Vec<NumberSet> {
        self.tuo
            .subsets(self.need_from_tuo())
            .into_iter()
            .map(|rest| rest.union(self.dan))
            .collect()
    }
}

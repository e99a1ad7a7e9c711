//! A prize tier's key, as the rule data names it: "1"…"7" for the numbered tiers, "zx", "z3",
//! "z6" for 福彩3D's plays, the hit count for 快乐8, and "fy" for 双色球's 福运奖.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TierKey(String);

impl TierKey {
    /// 双色球's 福运奖 (in force for some draws only; paid only while active).
    pub const FUYUN: &'static str = "fy";

    pub fn new(key: impl Into<String>) -> TierKey {
        TierKey(key.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_fuyun(&self) -> bool {
        self.0 == TierKey::FUYUN
    }
}

impl fmt::Display for TierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for TierKey {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for TierKey {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

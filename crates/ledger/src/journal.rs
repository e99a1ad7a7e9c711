//! Double-entry journal: accounts, postings and balanced entries, and the split of a sale into
//! the funds it feeds. Amounts are signed: a debit is positive, a credit negative, so an entry
//! balances when its postings add up to zero.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{split_by_weights, Money, Ratio, SplitError};

/// Longest idempotency key of an entry.
pub const MAX_ENTRY_KEY_BYTES: usize = 200;

/// An account code such as `station/3204120001/receivable` or `district/320412/welfare`:
/// `level/owner/fund`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountCode(String);

/// Which side an account's balance normally lies on; "no overdraft" means it never crosses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NormalSide {
    Debit,
    Credit,
}

/// The funds of DESIGN.md §2.2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fund {
    /// Sales money a station owes the center (asset).
    Receivable,
    /// 奖金: this draw's prize money.
    Prize,
    /// 调节基金.
    Adjustment,
    /// 奖池.
    JackpotPool,
    /// 发行费 kept by the issuing centers.
    IssuanceFee,
    /// 代销费: the station's commission, out of 发行费.
    Commission,
    /// 彩票公益金.
    Welfare,
    /// Welfare money reserved for one programme (公益金项目预算).
    ProgrammeBudget,
    /// Grants approved and not yet paid out.
    GrantPayable,
    /// The center's bank account that pays grants and prizes out.
    Bank,
    /// Prizes won and not yet paid (应付奖金), per draw.
    PrizePayable,
    /// Personal income tax withheld from prizes, owed to the tax office (代扣个人所得税).
    TaxWithheld,
    /// 兑奖周转金 advanced when the adjustment fund cannot cover a draw's prizes.
    WorkingCapital,
    /// Money on players' 中福在线 betting cards: owed to them until spent or cashed out.
    CardBalance,
}

impl Fund {
    pub fn code(self) -> &'static str {
        match self {
            Fund::Receivable => "receivable",
            Fund::Prize => "prize",
            Fund::Adjustment => "adjustment",
            Fund::JackpotPool => "pool",
            Fund::IssuanceFee => "issuance_fee",
            Fund::Commission => "commission",
            Fund::Welfare => "welfare",
            Fund::ProgrammeBudget => "budget",
            Fund::GrantPayable => "grant_payable",
            Fund::Bank => "bank",
            Fund::PrizePayable => "prize_payable",
            Fund::TaxWithheld => "tax_withheld",
            Fund::WorkingCapital => "working_capital",
            Fund::CardBalance => "card_balance",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Fund::Receivable => "应收销售款",
            Fund::Prize => "奖金",
            Fund::Adjustment => "调节基金",
            Fund::JackpotPool => "奖池",
            Fund::IssuanceFee => "发行费",
            Fund::Commission => "代销费",
            Fund::Welfare => "彩票公益金",
            Fund::ProgrammeBudget => "公益金项目预算",
            Fund::GrantPayable => "应付资助款",
            Fund::Bank => "银行存款",
            Fund::PrizePayable => "应付奖金",
            Fund::TaxWithheld => "代扣个人所得税",
            Fund::WorkingCapital => "兑奖周转金垫付",
            Fund::CardBalance => "投注卡余额",
        }
    }

    /// Funds that are only ever spent from what they hold.
    pub fn no_overdraft(self) -> bool {
        matches!(
            self,
            Fund::Welfare | Fund::ProgrammeBudget | Fund::PrizePayable | Fund::JackpotPool
        )
    }

    pub fn normal_side(self) -> NormalSide {
        match self {
            Fund::Receivable | Fund::Bank | Fund::WorkingCapital => NormalSide::Debit,
            _ => NormalSide::Credit,
        }
    }
}

impl AccountCode {
    pub fn new(level: &str, owner: &str, fund: Fund) -> AccountCode {
        AccountCode(format!("{level}/{owner}/{}", fund.code()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// An account code read back from storage.
    pub fn from_stored(code: String) -> AccountCode {
        AccountCode(code)
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One line of an entry. `draw` ties game-fund money to the draw it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub account: AccountCode,
    pub amount: Money,
    pub draw: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("entry {key} does not balance: postings add up to {sum}")]
    Unbalanced { key: String, sum: Money },
    #[error("entry {0} has no postings")]
    Empty(String),
    #[error("entry key must be 1–{MAX_ENTRY_KEY_BYTES} bytes")]
    BadKey,
    #[error(transparent)]
    Split(#[from] SplitError),
    #[error(transparent)]
    Money(#[from] crate::MoneyError),
}

/// A balanced journal entry with its idempotency key. Only constructible balanced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JournalEntry {
    key: String,
    memo: String,
    postings: Vec<Posting>,
}

impl JournalEntry {
    pub fn new(
        key: impl Into<String>,
        memo: impl Into<String>,
        postings: Vec<Posting>,
    ) -> Result<JournalEntry, JournalError> {
        let key = key.into();
        if key.is_empty() || key.len() > MAX_ENTRY_KEY_BYTES {
            return Err(JournalError::BadKey);
        }
        if postings.is_empty() {
            return Err(JournalError::Empty(key));
        }
        let sum = Money::checked_sum(postings.iter().map(|p| p.amount))?;
        if sum != Money::ZERO {
            return Err(JournalError::Unbalanced { key, sum });
        }
        Ok(JournalEntry {
            key,
            memo: memo.into(),
            postings,
        })
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn memo(&self) -> &str {
        &self.memo
    }

    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// The entry that undoes this one.
    pub fn reversal(&self, key: impl Into<String>, memo: impl Into<String>) -> JournalEntry {
        let postings = self
            .postings
            .iter()
            .map(|p| Posting {
                account: p.account.clone(),
                amount: Money::from_fen(-p.amount.fen()),
                draw: p.draw,
            })
            .collect();
        JournalEntry {
            key: key.into(),
            memo: memo.into(),
            postings,
        }
    }
}

/// How a sale is divided beyond the game's own split: the station's commission out of the
/// issuance fee, and the welfare fund by level. Configuration, not code constants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FundSplitPolicy {
    /// 代销费 as a share of sales, taken out of 发行费.
    pub station_commission: Ratio,
    /// Shares of the welfare fund; they add up to 100%.
    pub welfare_central: Ratio,
    pub welfare_province: Ratio,
    pub welfare_city: Ratio,
    pub welfare_district: Ratio,
}

/// The game's own split of sales (from its rule version).
#[derive(Clone, Copy, Debug)]
pub struct GameSplit {
    pub prize: Ratio,
    pub adjustment: Ratio,
    pub issuance_fee: Ratio,
    pub welfare: Ratio,
}

/// Who a sale belongs to.
#[derive(Clone, Debug)]
pub struct SaleParties<'a> {
    pub game: &'a str,
    pub station: &'a str,
    pub district: &'a str,
    pub city: &'a str,
    pub province: &'a str,
}

impl FundSplitPolicy {
    pub fn validate(&self) -> Result<(), String> {
        let welfare: u32 = [
            self.welfare_central,
            self.welfare_province,
            self.welfare_city,
            self.welfare_district,
        ]
        .iter()
        .map(|r| r.per_million())
        .sum();
        if welfare != Ratio::WHOLE.per_million() {
            return Err(format!("welfare shares add up to {welfare} ppm, not 100%"));
        }
        Ok(())
    }

    /// The postings of one sale of `amount` for one draw: the station's receivable against the
    /// game's prize and adjustment funds, the issuance fee (center and station commission) and
    /// the welfare fund by level. One largest-remainder split, so the credits add up exactly.
    /// This policy with a station's own commission rate (its grade's), where it has one.
    pub fn for_station(&self, commission: Option<Ratio>) -> FundSplitPolicy {
        FundSplitPolicy {
            station_commission: commission.unwrap_or(self.station_commission),
            ..self.clone()
        }
    }

    pub fn sale_postings(
        &self,
        parties: &SaleParties<'_>,
        split: GameSplit,
        amount: Money,
        draw: Option<i64>,
    ) -> Result<Vec<Posting>, JournalError> {
        let ppm = |r: Ratio| u64::from(r.per_million());
        let whole = ppm(Ratio::WHOLE);
        let commission = ppm(self.station_commission).min(ppm(split.issuance_fee));
        let welfare = ppm(split.welfare);
        let weights = [
            ppm(split.prize) * whole,
            ppm(split.adjustment) * whole,
            (ppm(split.issuance_fee) - commission) * whole,
            commission * whole,
            welfare * ppm(self.welfare_central),
            welfare * ppm(self.welfare_province),
            welfare * ppm(self.welfare_city),
            welfare * ppm(self.welfare_district),
        ];
        let parts = split_by_weights(amount, &weights)?;
        let accounts = [
            (
                AccountCode::new("national", parties.game, Fund::Prize),
                draw,
            ),
            (
                AccountCode::new("national", parties.game, Fund::Adjustment),
                None,
            ),
            (
                AccountCode::new("issuer", parties.game, Fund::IssuanceFee),
                None,
            ),
            (
                AccountCode::new("station", parties.station, Fund::Commission),
                None,
            ),
            (AccountCode::new("central", "cn", Fund::Welfare), None),
            (
                AccountCode::new("province", parties.province, Fund::Welfare),
                None,
            ),
            (AccountCode::new("city", parties.city, Fund::Welfare), None),
            (
                AccountCode::new("district", parties.district, Fund::Welfare),
                None,
            ),
        ];
        let mut postings = vec![Posting {
            account: AccountCode::new("station", parties.station, Fund::Receivable),
            amount,
            draw,
        }];
        for ((account, draw), part) in accounts.into_iter().zip(parts) {
            if part != Money::ZERO {
                postings.push(Posting {
                    account,
                    amount: Money::from_fen(-part.fen()),
                    draw,
                });
            }
        }
        Ok(postings)
    }
}

/// The fund an account code holds (its last segment).
pub fn fund_of(code: &AccountCode) -> Option<Fund> {
    let fund = code.as_str().rsplit('/').next()?;
    [
        Fund::Receivable,
        Fund::Prize,
        Fund::Adjustment,
        Fund::JackpotPool,
        Fund::IssuanceFee,
        Fund::Commission,
        Fund::Welfare,
        Fund::ProgrammeBudget,
        Fund::GrantPayable,
        Fund::Bank,
        Fund::PrizePayable,
        Fund::TaxWithheld,
        Fund::WorkingCapital,
        Fund::CardBalance,
    ]
    .into_iter()
    .find(|f| f.code() == fund)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn policy() -> FundSplitPolicy {
        FundSplitPolicy {
            station_commission: "7%".parse().unwrap(),
            welfare_central: "50%".parse().unwrap(),
            welfare_province: "15%".parse().unwrap(),
            welfare_city: "3%".parse().unwrap(),
            welfare_district: "32%".parse().unwrap(),
        }
    }

    fn ssq_split() -> GameSplit {
        GameSplit {
            prize: "49%".parse().unwrap(),
            adjustment: "2%".parse().unwrap(),
            issuance_fee: "13%".parse().unwrap(),
            welfare: "36%".parse().unwrap(),
        }
    }

    fn parties() -> SaleParties<'static> {
        SaleParties {
            game: "ssq",
            station: "S001",
            district: "320412",
            city: "3204",
            province: "32",
        }
    }

    #[test]
    fn a_sale_splits_into_balanced_postings() {
        let postings = policy()
            .sale_postings(&parties(), ssq_split(), Money::from_fen(1000), Some(7))
            .unwrap();
        let entry = JournalEntry::new("sale:1", "sale", postings).unwrap();
        let by = |code: &str| {
            entry
                .postings()
                .iter()
                .find(|p| p.account.as_str() == code)
                .map(|p| p.amount.fen())
        };
        assert_eq!(by("station/S001/receivable"), Some(1000));
        assert_eq!(by("national/ssq/prize"), Some(-490));
        assert_eq!(by("national/ssq/adjustment"), Some(-20));
        assert_eq!(by("issuer/ssq/issuance_fee"), Some(-60));
        assert_eq!(by("station/S001/commission"), Some(-70));
        assert_eq!(by("central/cn/welfare"), Some(-180));
        assert_eq!(by("district/320412/welfare"), Some(-115)); // 36% × 32% = 11.52%
    }

    #[test]
    fn unbalanced_or_empty_entries_cannot_be_built() {
        let p = |fen| Posting {
            account: AccountCode::new("a", "b", Fund::Prize),
            amount: Money::from_fen(fen),
            draw: None,
        };
        assert!(matches!(
            JournalEntry::new("k", "", vec![p(5), p(-4)]),
            Err(JournalError::Unbalanced { .. })
        ));
        assert!(matches!(
            JournalEntry::new("k", "", vec![]),
            Err(JournalError::Empty(_))
        ));
        assert!(matches!(
            JournalEntry::new("", "", vec![p(1), p(-1)]),
            Err(JournalError::BadKey)
        ));
        let e = JournalEntry::new("k", "", vec![p(5), p(-5)]).unwrap();
        let r = e.reversal("k:rev", "");
        assert_eq!(r.postings()[0].amount.fen(), -5);
    }

    proptest! {
        #[test]
        fn every_sale_balances_exactly(amount in 0i64..10_000_000_000) {
            let postings = policy().sale_postings(&parties(), ssq_split(), Money::from_fen(amount), None).unwrap();
            prop_assert!(JournalEntry::new("k", "", postings).is_ok());
        }
    }
}

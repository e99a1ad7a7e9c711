//! The period's summary paragraph, in the style of a center's published account — every
//! figure computed from the ledger and the registers: sales by channel (the journal), the
//! welfare fund credited to the district by those sales (the journal), training (the
//! register of sessions and attendance), grants paid (the welfare register), and the
//! cumulative figures since the lottery began (the years before fucai, then the ledger).

use std::collections::BTreeMap;

use chrono::Datelike;
use fucai_ledger::Money;
use serde::Serialize;

use crate::calendar::beijing_day_start_ms;
use crate::channels::{Channel, CHANNEL_READERS};
use crate::error::AppResult;
use crate::network::period;
use crate::principal::{Access, Principal};
use crate::App;

/// The columns of the years before fucai (amounts in 元).
pub const HISTORY_COLUMNS: [&str; 5] = ["year", "computer", "instant", "vlt", "welfare"];

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChannelTotals {
    pub total: Money,
    pub computer: Money,
    pub instant: Money,
    pub vlt: Money,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cumulative {
    pub since_year: i32,
    /// Years from `since_year` up to the period's year (the period's own year not counted).
    pub years: i32,
    pub sales: Money,
    pub welfare: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingTotals {
    pub sessions: usize,
    pub person_times: usize,
    /// Coverage in permille, and as a percentage for display.
    pub coverage_permille: u32,
    pub coverage_pct: f64,
}

/// The grants of one day and category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GrantEvent {
    pub date: String,
    /// 扶老, 助残, 救孤 or 济困.
    pub category: String,
    pub amount: Money,
    pub recipients: usize,
}

/// One year of the district's welfare fund.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WelfareYear {
    pub year: i32,
    pub raised: Money,
    /// Paid in grants; none for the years before fucai (not in the center's records).
    pub spent: Option<Money>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub from: String,
    pub to: String,
    pub sales: ChannelTotals,
    pub welfare_raised: Money,
    pub cumulative: Cumulative,
    pub training: TrainingTotals,
    pub grants: Vec<GrantEvent>,
    pub text: String,
}

/// 亿 to two decimals, half up: `2.08亿元`.
pub fn yi_2(amount: Money) -> String {
    let hundredths = (amount.fen() + 50_000_000) / 100_000_000;
    format!("{}.{:02}亿元", hundredths / 100, hundredths % 100)
}

/// Whole 万, half up: `1063万元`.
pub fn wan(amount: Money) -> String {
    format!("{}万元", (amount.fen() + 500_000) / 1_000_000)
}

/// 万 to at most two decimals, half up, without trailing zeros: `2.4万元`, `5万元`.
fn wan_2(amount: Money) -> String {
    let hundredths = (amount.fen() + 5_000) / 10_000;
    let (whole, part) = (hundredths / 100, hundredths % 100);
    match part {
        0 => format!("{whole}万元"),
        p if p % 10 == 0 => format!("{whole}.{}万元", p / 10),
        p => format!("{whole}.{p:02}万元"),
    }
}

/// Whole 亿, half up: `34亿元`.
pub fn yi(amount: Money) -> String {
    format!("{}亿元", (amount.fen() + 5_000_000_000) / 10_000_000_000)
}

/// As a published account writes an amount: 亿 to two decimals from 1亿, else whole 万.
pub fn published(amount: Money) -> String {
    if amount.fen() >= 10_000_000_000 {
        yi_2(amount)
    } else {
        wan(amount)
    }
}

/// 600余人次: person-times below the hundred dropped, with 余 when any were.
fn about(n: usize) -> String {
    if n >= 100 && !n.is_multiple_of(100) {
        format!("{}余", n / 100 * 100)
    } else {
        n.to_string()
    }
}

impl Summary {
    fn paragraph(&self, month: u32, day: u32, year: i32) -> String {
        let s = &self.sales;
        let mut text = format!(
            "截至{month}月{day}日，{year}年全区共销售福利彩票{}，其中电脑票销售{}，即开票销售{}，中福在线销售{}，共筹集福彩公益金{}。",
            published(s.total),
            published(s.computer),
            published(s.instant),
            published(s.vlt),
            published(self.welfare_raised)
        );
        let t = &self.training;
        if t.sessions > 0 {
            text.push_str(&format!(
                "开展投注站业务培训{}期，培训{}人次，培训覆盖率{}%。",
                t.sessions,
                about(t.person_times),
                (t.coverage_permille + 5) / 10
            ));
        }
        for g in &self.grants {
            let date = chrono::NaiveDate::parse_from_str(&g.date, "%Y-%m-%d").ok();
            let when = date.map_or(g.date.clone(), |d| format!("{}月{}日", d.month(), d.day()));
            text.push_str(&format!(
                "{when}，{}资助对象{}个，发放资金{}。",
                g.category,
                g.recipients,
                wan_2(g.amount)
            ));
        }
        let c = &self.cumulative;
        if c.years > 0 {
            text.push_str(&format!(
                "自{}年发行福利彩票{}年来，全区累计销售福利彩票{}，筹集福彩公益金{}。",
                c.since_year,
                c.years,
                yi(c.sales),
                yi(c.welfare)
            ));
        }
        text
    }
}

impl App {
    /// Imports the years before fucai kept the books (year, and 元 of computer, instant and
    /// 中福在线 sales and of welfare fund raised); each year once, all rows or none.
    pub async fn import_history(
        &self,
        who: &Principal,
        bytes: &[u8],
    ) -> AppResult<crate::registers::ImportReport> {
        who.require(
            Access::Roles(&[crate::Role::Admin, crate::Role::Finance]),
            None,
        )?;
        let table = crate::tabular::Table::read(bytes)?;
        let cols = table.columns(&HISTORY_COLUMNS)?;
        let known: std::collections::HashSet<i64> = self
            .store
            .read(|r| r.history_years())?
            .into_iter()
            .map(|h| h.year)
            .collect();
        let this_year = i64::from(crate::calendar::beijing_date(crate::clock::now_ms()).year());
        let mut seen = std::collections::HashSet::new();
        let actor = who.actor();
        self.import_rows(
            &table,
            |row, errors| {
                let cell = |i: usize| crate::tabular::cell(row, cols[i]);
                let year = cell(0)
                    .parse::<i64>()
                    .ok()
                    .filter(|y| (1987..this_year).contains(y));
                match year {
                    None => errors.push(
                        "year",
                        format!("'{}' is not a past year from 1987", cell(0)),
                    ),
                    Some(y) if known.contains(&y) || !seen.insert(y) => {
                        errors.push("year", format!("{y} is already recorded"))
                    }
                    Some(_) => {}
                }
                let mut money = |i: usize| match cell(i).parse::<Money>() {
                    Ok(m) if !m.is_negative() => Some(m),
                    _ => {
                        errors.push(HISTORY_COLUMNS[i], "an amount in 元, not negative");
                        None
                    }
                };
                let amounts = [1, 2, 3, 4].map(&mut money);
                let [Some(computer), Some(instant), Some(vlt), Some(welfare)] = amounts else {
                    return None;
                };
                Some(fucai_store::HistoryYear {
                    year: year?,
                    computer,
                    instant,
                    vlt,
                    welfare,
                })
            },
            move |tx, y, now| {
                tx.insert_history_year(y, &actor, now)?;
                tx.audit(
                    now,
                    &actor,
                    "history.import",
                    &format!("history:{}", y.year),
                    format!(
                        "{} {} {} {}",
                        y.computer.fen(),
                        y.instant.fen(),
                        y.vlt.fen(),
                        y.welfare.fen()
                    )
                    .as_bytes(),
                )?;
                Ok(())
            },
        )
        .await
    }

    /// The district's welfare fund raised and spent year by year, to `to_year`: the years
    /// before fucai as the center's records give them (spending not recorded), then each
    /// year's welfare credits from sales in the ledger and the grants paid. Public figures.
    pub fn welfare_by_year(&self, to_year: i32) -> AppResult<Vec<WelfareYear>> {
        let (districts, history, grants) = self.store.read(welfare_sources)?;
        let mut years: Vec<WelfareYear> = history
            .iter()
            .filter(|h| h.year <= i64::from(to_year))
            .map(|h| WelfareYear {
                year: h.year as i32,
                raised: h.welfare,
                spent: None,
            })
            .collect();
        let first = years.last().map_or(to_year, |y| y.year + 1);
        for year in first..=to_year {
            let day = |y: i32| chrono::NaiveDate::from_ymd_opt(y, 1, 1).expect("1 January");
            let raised = self.welfare_raised(
                &districts,
                beijing_day_start_ms(day(year)),
                beijing_day_start_ms(day(year + 1)),
            )?;
            let prefix = format!("{year}-");
            let spent = Money::checked_sum(
                grants
                    .iter()
                    .filter(|g| {
                        g.status == fucai_store::GrantStatus::Paid
                            && g.grant_date.starts_with(&prefix)
                    })
                    .map(|g| g.amount),
            )?;
            if raised != Money::ZERO || spent != Money::ZERO {
                years.push(WelfareYear {
                    year,
                    raised,
                    spent: Some(spent),
                });
            }
        }
        Ok(years)
    }

    /// The welfare fund raised from sales (every channel) in `[start_ms, end_ms)`.
    fn welfare_raised(&self, accounts: &[String], start_ms: i64, end_ms: i64) -> AppResult<Money> {
        let accounts: Vec<&str> = accounts.iter().map(String::as_str).collect();
        let movements = self
            .store
            .read(|r| r.account_movements(&accounts, start_ms, end_ms))?;
        // Credits are negative as the ledger signs them.
        Ok(Money::checked_sum(
            movements
                .iter()
                .filter(|m| Channel::of_entry_kind(&m.kind).is_some())
                .map(|m| -m.amount),
        )?)
    }

    /// The summary of `[from, to]`.
    pub fn summary(&self, who: &Principal, from: &str, to: &str) -> AppResult<Summary> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        let (from_day, to_day) = period(from, to)?;
        let channels = self.sales_by_channel(who, from, to)?;
        let start = beijing_day_start_ms(from_day);
        let end = beijing_day_start_ms(to_day + chrono::Duration::days(1));
        let (districts, history, grants) = self.store.read(welfare_sources)?;
        let welfare_raised = self.welfare_raised(&districts, start, end)?;
        let training = self.training_report(who, from, to)?;
        let mut events: BTreeMap<(String, String), (Money, usize)> = BTreeMap::new();
        for g in grants.iter().filter(|g| {
            g.status == fucai_store::GrantStatus::Paid
                && g.grant_date.as_str() >= from
                && g.grant_date.as_str() <= to
        }) {
            let e = events
                .entry((g.grant_date.clone(), g.category.clone()))
                .or_insert((Money::ZERO, 0));
            e.0 = e.0.checked_add(g.amount)?;
            e.1 += 1;
        }
        let before: Vec<_> = history
            .iter()
            .filter(|h| h.year < i64::from(from_day.year()))
            .collect();
        let since_year = before.first().map_or(from_day.year(), |h| h.year as i32);
        let history_sales =
            Money::checked_sum(before.iter().flat_map(|h| [h.computer, h.instant, h.vlt]))?;
        let history_welfare = Money::checked_sum(before.iter().map(|h| h.welfare))?;
        let mut summary = Summary {
            from: from_day.to_string(),
            to: to_day.to_string(),
            sales: ChannelTotals {
                total: channels.total,
                computer: channels.computer,
                instant: channels.instant,
                vlt: channels.vlt,
            },
            welfare_raised,
            cumulative: Cumulative {
                since_year,
                years: from_day.year() - since_year,
                sales: history_sales.checked_add(channels.total)?,
                welfare: history_welfare.checked_add(welfare_raised)?,
            },
            training: TrainingTotals {
                sessions: training.sessions,
                person_times: training.person_times,
                coverage_permille: training.coverage_permille,
                coverage_pct: f64::from(training.coverage_permille) / 10.0,
            },
            grants: events
                .into_iter()
                .map(|((date, category), (amount, recipients))| GrantEvent {
                    date,
                    category: crate::welfare::category_name(&category).to_string(),
                    amount,
                    recipients,
                })
                .collect(),
            text: String::new(),
        };
        summary.text = summary.paragraph(to_day.month(), to_day.day(), to_day.year());
        Ok(summary)
    }
}

/// What the welfare figures are read from: every district's welfare-fund account, the years
/// before fucai, and the grants.
type WelfareSources = (
    Vec<String>,
    Vec<fucai_store::HistoryYear>,
    Vec<fucai_store::GrantRow>,
);

fn welfare_sources(r: &dyn fucai_store::Reads) -> fucai_store::StoreResult<WelfareSources> {
    let districts = r
        .centers()?
        .into_iter()
        .filter(|c| c.level == "district")
        .map(|c| format!("district/{}/welfare", c.code))
        .collect();
    Ok((districts, r.history_years()?, r.grants(None, None)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_round_as_the_reference_does() {
        let yuan = |y: i64| Money::from_yuan(y);
        assert_eq!(published(yuan(207_720_000)), "2.08亿元");
        assert_eq!(published(yuan(102_280_000)), "1.02亿元");
        assert_eq!(published(yuan(10_630_000)), "1063万元");
        assert_eq!(published(yuan(94_810_000)), "9481万元");
        assert_eq!(published(yuan(18_717_385)), "1872万元");
        assert_eq!(published(yuan(18_714_999)), "1871万元");
        assert_eq!(yi(yuan(3_400_000_000)), "34亿元");
        assert_eq!(yi(yuan(349_999_999)), "3亿元");
        assert_eq!(wan_2(yuan(24_000)), "2.4万元");
        assert_eq!(wan_2(yuan(50_000)), "5万元");
        assert_eq!(wan_2(yuan(12_345)), "1.23万元");
        assert_eq!(about(612), "600余");
        assert_eq!(about(600), "600");
        assert_eq!(about(40), "40");
    }
}

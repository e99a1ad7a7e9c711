//! The staff dashboard: a period's figures at a glance, each read from the same use cases
//! the reports use — sales by channel, game, town and month beside a year earlier, the
//! welfare fund raised and granted, prizes paid and unclaimed, training coverage, open and
//! overdue rectifications and overdue remittances.

use fucai_ledger::Money;
use fucai_store::WinningStatus;
use serde::Serialize;

use crate::calendar::beijing_day_start_ms;
use crate::channels::{SalesDimension, SalesReport, CHANNEL_READERS};
use crate::error::AppResult;
use crate::network::period;
use crate::network::MONEY_READERS;
use crate::principal::{Access, Principal};
use crate::summary::Summary;
use crate::App;

/// Prizes of the period's draws in one state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PrizeCount {
    pub count: i64,
    pub amount: Money,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Dashboard {
    pub summary: Summary,
    pub by_channel: SalesReport,
    pub by_game: SalesReport,
    pub by_town: SalesReport,
    pub by_month: SalesReport,
    /// Grants paid in the period.
    pub welfare_granted: Money,
    pub prizes_paid: PrizeCount,
    pub prizes_unclaimed: PrizeCount,
    pub prizes_expired: PrizeCount,
    pub findings_open: usize,
    pub findings_overdue: usize,
    /// Stations behind with their remittances, for those who may see station money.
    pub overdue_remittances: Option<(usize, Money)>,
}

/// The dashboard's figures read beside the summary.
struct Rest {
    by_channel: SalesReport,
    by_game: SalesReport,
    by_town: SalesReport,
    by_month: SalesReport,
    prizes_paid: PrizeCount,
    prizes_unclaimed: PrizeCount,
    prizes_expired: PrizeCount,
    findings_open: usize,
    findings_overdue: usize,
    overdue_remittances: Option<(usize, Money)>,
}

impl App {
    /// The dashboard of `[from, to]` (center staff who read the sales reports).
    pub fn dashboard(&self, who: &Principal, from: &str, to: &str) -> AppResult<Dashboard> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        let (from_day, to_day) = period(from, to)?;
        // The summary reads the ledger; the rest reads the sales cells, prizes, findings and
        // station balances. On two threads the page waits for the slower half only.
        let (summary, rest) = std::thread::scope(|scope| {
            let summary = scope.spawn(|| self.summary(who, from, to));
            let rest = self.dashboard_rest(who, from, to, from_day, to_day);
            let summary = summary.join().unwrap_or_else(|_| {
                Err(crate::AppError::internal("the summary's thread panicked"))
            });
            (summary, rest)
        });
        let (summary, rest) = (summary?, rest?);
        Ok(Dashboard {
            welfare_granted: Money::checked_sum(summary.grants.iter().map(|g| g.amount))?,
            summary,
            by_channel: rest.by_channel,
            by_game: rest.by_game,
            by_town: rest.by_town,
            by_month: rest.by_month,
            prizes_paid: rest.prizes_paid,
            prizes_unclaimed: rest.prizes_unclaimed,
            prizes_expired: rest.prizes_expired,
            findings_open: rest.findings_open,
            findings_overdue: rest.findings_overdue,
            overdue_remittances: rest.overdue_remittances,
        })
    }

    /// Everything on the dashboard but the summary.
    fn dashboard_rest(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
        from_day: chrono::NaiveDate,
        to_day: chrono::NaiveDate,
    ) -> AppResult<Rest> {
        let mut reports = self
            .sales_reports(
                who,
                from,
                to,
                &[
                    &[SalesDimension::Channel],
                    &[SalesDimension::Game],
                    &[SalesDimension::Town],
                    &[SalesDimension::Month],
                ],
            )?
            .into_iter();
        let mut next = || {
            reports
                .next()
                .ok_or_else(|| crate::AppError::internal("a sales grouping is missing"))
        };
        let (by_channel, by_game, by_town, by_month) = (next()?, next()?, next()?, next()?);
        let start = beijing_day_start_ms(from_day);
        let end = beijing_day_start_ms(to_day + chrono::Duration::days(1));
        let winnings = self.store.read(|r| r.winnings_by_status(start, end))?;
        let prizes = |status: WinningStatus| {
            winnings.iter().find(|(s, _, _)| *s == status).map_or_else(
                PrizeCount::default,
                |(_, count, amount)| PrizeCount {
                    count: *count,
                    amount: *amount,
                },
            )
        };
        let findings = self.findings(who, None, None, false)?;
        let today = crate::calendar::beijing_date(crate::clock::now_ms()).to_string();
        let overdue_remittances = if who.allows(Access::Roles(MONEY_READERS), None) {
            let overdue = self.overdue_stations(who)?;
            Some((
                overdue.len(),
                Money::checked_sum(overdue.iter().map(|o| o.overdue))?,
            ))
        } else {
            None
        };
        Ok(Rest {
            by_channel,
            by_game,
            by_town,
            by_month,
            prizes_paid: prizes(WinningStatus::Paid),
            prizes_unclaimed: prizes(WinningStatus::Unclaimed),
            prizes_expired: prizes(WinningStatus::Expired),
            findings_open: findings.iter().filter(|f| f.status.is_pending()).count(),
            findings_overdue: findings
                .iter()
                .filter(|f| crate::network::is_overdue(f, &today))
                .count(),
            overdue_remittances,
        })
    }
}

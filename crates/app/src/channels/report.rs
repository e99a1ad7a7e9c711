//! The sales report: every channel's sales over a period grouped by any of channel, game,
//! station, town, day, month and year, each group beside the same period a year earlier.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use fucai_ledger::Money;
use fucai_store::SalesCell;
use serde::Serialize;

use super::CHANNEL_READERS;
use crate::error::{AppError, AppResult};
use crate::network::period;
use crate::principal::{Access, Principal};
use crate::tabular::{write_table, Format};
use crate::App;

/// What a sales report groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SalesDimension {
    Channel,
    Game,
    Station,
    Town,
    Day,
    Month,
    Year,
}

impl SalesDimension {
    const ALL: [(&'static str, SalesDimension, &'static str); 7] = [
        ("channel", SalesDimension::Channel, "渠道"),
        ("game", SalesDimension::Game, "游戏"),
        ("station", SalesDimension::Station, "投注站"),
        ("town", SalesDimension::Town, "镇（街道）"),
        ("day", SalesDimension::Day, "日期"),
        ("month", SalesDimension::Month, "月份"),
        ("year", SalesDimension::Year, "年度"),
    ];

    /// `channel,game,…` into dimensions, each once.
    pub fn parse_list(text: &str) -> AppResult<Vec<SalesDimension>> {
        let mut dims = Vec::new();
        for name in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let dim = Self::ALL
                .iter()
                .find(|(n, _, _)| *n == name)
                .map(|(_, d, _)| *d)
                .ok_or_else(|| {
                    AppError::invalid(
                        "by",
                        format!("'{name}': channel, game, station, town, day, month or year"),
                    )
                })?;
            if dims.contains(&dim) {
                return Err(AppError::invalid("by", format!("'{name}' twice")));
            }
            dims.push(dim);
        }
        Ok(dims)
    }

    pub fn title(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, d, _)| *d == self)
            .map_or("", |(_, _, t)| t)
    }

    /// The cell's value of this dimension, its dates moved `years` later.
    fn key(self, cell: &SalesCell, years: i32) -> String {
        let shifted = |len: usize| {
            let year: i32 = cell.day[..4].parse().unwrap_or(0) + years;
            format!("{year:04}{}", &cell.day[4..len])
        };
        match self {
            SalesDimension::Channel => cell.channel.clone(),
            SalesDimension::Game => cell.game.clone(),
            SalesDimension::Station => cell.station_code.clone(),
            SalesDimension::Town => cell.town_code.clone(),
            SalesDimension::Day => shifted(10),
            SalesDimension::Month => shifted(7),
            SalesDimension::Year => shifted(4),
        }
    }
}

/// One group of a sales report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesReportRow {
    /// The group's value of each dimension, in the report's order.
    pub key: Vec<String>,
    pub amount: Money,
    /// The same group a year earlier.
    pub last_year: Money,
}

impl SalesReportRow {
    /// Growth on a year earlier in permille, when there was anything a year earlier.
    pub fn growth_permille(&self) -> Option<i64> {
        let last = i128::from(self.last_year.fen());
        (last != 0).then(|| {
            let change = (i128::from(self.amount.fen()) - last) * 1000;
            // Rounded half away from zero, in integers.
            let q = (change.abs() * 2 + last.abs()) / (last.abs() * 2);
            (q as i64) * if (change < 0) != (last < 0) { -1 } else { 1 }
        })
    }
}

impl SalesReportRow {
    /// The growth as shown: `12.5%`, `-3.0%`; none without a year earlier.
    pub fn growth_text(&self) -> Option<String> {
        self.growth_permille().map(|p| {
            let sign = if p < 0 { "-" } else { "" };
            format!("{sign}{}.{}%", p.abs() / 10, p.abs() % 10)
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SalesReport {
    pub from: String,
    pub to: String,
    pub by: Vec<SalesDimension>,
    pub rows: Vec<SalesReportRow>,
    pub total: Money,
    pub last_year_total: Money,
}

/// A date a year earlier (29 February: the 28th).
fn year_before(day: NaiveDate) -> NaiveDate {
    day.with_year(day.year() - 1)
        .or_else(|| day.pred_opt().and_then(|d| d.with_year(d.year() - 1)))
        .unwrap_or(day)
}

fn group(
    cells: &[SalesCell],
    by: &[SalesDimension],
    years: i32,
    into: &mut BTreeMap<Vec<String>, (Money, Money)>,
    last_year: bool,
) -> AppResult<()> {
    for cell in cells {
        let key: Vec<String> = by.iter().map(|d| d.key(cell, years)).collect();
        let sums = into.entry(key).or_insert((Money::ZERO, Money::ZERO));
        let slot = if last_year { &mut sums.1 } else { &mut sums.0 };
        *slot = slot.checked_add(cell.amount)?;
    }
    Ok(())
}

impl App {
    /// Sales over `[from, to]` grouped `by` the dimensions given (none: the total), each group
    /// with the same period a year earlier.
    pub fn sales_report(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
        by: &[SalesDimension],
    ) -> AppResult<SalesReport> {
        let mut reports = self.sales_reports(who, from, to, &[by])?;
        reports
            .pop()
            .ok_or_else(|| AppError::internal("one grouping asked, none made"))
    }

    /// Several groupings of the same period's sales from one read (the dashboard's charts).
    pub fn sales_reports(
        &self,
        who: &Principal,
        from: &str,
        to: &str,
        groupings: &[&[SalesDimension]],
    ) -> AppResult<Vec<SalesReport>> {
        who.require(Access::Roles(CHANNEL_READERS), None)?;
        let (from, to) = period(from, to)?;
        let (before_from, before_to) = (year_before(from), year_before(to));
        let (now, before) = self.store.read(|r| {
            Ok((
                r.sales_cells(&from.to_string(), &to.to_string())?,
                r.sales_cells(&before_from.to_string(), &before_to.to_string())?,
            ))
        })?;
        groupings
            .iter()
            .map(|by| {
                let mut groups = BTreeMap::new();
                group(&now, by, 0, &mut groups, false)?;
                // Last year's groups that have nothing this year show too (a town that
                // stopped selling).
                group(&before, by, 1, &mut groups, true)?;
                let rows: Vec<SalesReportRow> = groups
                    .into_iter()
                    .map(|(key, (amount, last_year))| SalesReportRow {
                        key,
                        amount,
                        last_year,
                    })
                    .collect();
                Ok(SalesReport {
                    from: from.to_string(),
                    to: to.to_string(),
                    by: by.to_vec(),
                    total: Money::checked_sum(rows.iter().map(|r| r.amount))?,
                    last_year_total: Money::checked_sum(rows.iter().map(|r| r.last_year))?,
                    rows,
                })
            })
            .collect()
    }
}

/// The report as a sheet: one column per dimension, the amount, a year earlier, the growth.
pub fn export_sales_report(r: &SalesReport, format: Format) -> AppResult<Vec<u8>> {
    let mut headers: Vec<&str> = r.by.iter().map(|d| d.title()).collect();
    headers.extend(["销售额（元）", "上年同期（元）", "同比"]);
    let growth = |row: &SalesReportRow| row.growth_text().unwrap_or_default();
    let mut rows: Vec<Vec<String>> = r
        .rows
        .iter()
        .map(|row| {
            let mut cells = row.key.clone();
            cells.extend([
                row.amount.display_plain(),
                row.last_year.display_plain(),
                growth(row),
            ]);
            cells
        })
        .collect();
    let mut total = vec![String::new(); r.by.len()];
    if let Some(first) = total.first_mut() {
        *first = "合计".into();
    }
    let all = SalesReportRow {
        key: Vec::new(),
        amount: r.total,
        last_year: r.last_year_total,
    };
    total.extend([
        r.total.display_plain(),
        r.last_year_total.display_plain(),
        growth(&all),
    ]);
    rows.push(total);
    write_table(format, "销售报表", &headers, &rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_is_rounded_in_permille() {
        let row = |now: i64, then: i64| SalesReportRow {
            key: Vec::new(),
            amount: Money::from_fen(now),
            last_year: Money::from_fen(then),
        };
        assert_eq!(row(110, 100).growth_permille(), Some(100));
        assert_eq!(row(90, 100).growth_permille(), Some(-100));
        assert_eq!(row(2, 3).growth_permille(), Some(-333));
        assert_eq!(row(1, 3).growth_permille(), Some(-667));
        assert_eq!(row(5, 0).growth_permille(), None);
        assert_eq!(
            year_before(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap()),
            NaiveDate::from_ymd_opt(2019, 2, 28).unwrap()
        );
    }

    #[test]
    fn dimensions_parse_once_each() {
        assert_eq!(
            SalesDimension::parse_list("channel, town").unwrap(),
            [SalesDimension::Channel, SalesDimension::Town]
        );
        assert!(SalesDimension::parse_list("town,town").is_err());
        assert!(SalesDimension::parse_list("week").is_err());
    }
}

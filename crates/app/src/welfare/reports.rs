//! What the welfare fund did: the report by programme, category and town, and the public
//! disclosure (公益金使用公告) with names masked.

use fucai_store::{GrantStatus, ProgrammeStatus};
use std::collections::{BTreeMap, HashSet};

use fucai_ledger::Money;
use fucai_store::{GrantRow, ProgrammeRow};
use serde::Serialize;

use crate::error::AppResult;
use crate::idcard;
use crate::principal::{Access, Principal};
use crate::tabular::{write_table, Format};
use crate::App;

use super::*;

#[derive(Clone, Debug, Serialize)]
pub struct ProgrammeLine {
    pub code: String,
    pub name: String,
    pub category: String,
    pub category_name: String,
    pub status: ProgrammeStatus,
    pub budget: Money,
    pub spent: Money,
    pub remaining: Money,
}

#[derive(Clone, Debug, Serialize)]
pub struct SumLine {
    pub key: String,
    pub name: String,
    pub grants: usize,
    pub amount: Money,
}

#[derive(Clone, Debug, Serialize)]
pub struct WelfareReport {
    pub year: i64,
    pub programmes: Vec<ProgrammeLine>,
    pub by_category: Vec<SumLine>,
    pub by_town: Vec<SumLine>,
    pub total_paid: Money,
}

/// One line of the public disclosure (公示): personal names masked.
#[derive(Clone, Debug, Serialize)]
pub struct DisclosureLine {
    pub date: String,
    pub category: String,
    pub programme: String,
    pub beneficiary: String,
    pub town: String,
    pub purpose: String,
    pub amount: Money,
}

impl App {
    /// Budget against spending per programme, and paid grants per category and per town.
    pub fn welfare_report(&self, who: &Principal, year: i64) -> AppResult<WelfareReport> {
        who.require(Access::Roles(WELFARE_READERS), None)?;
        self.welfare_summary(year)
    }

    /// The same report for the operator's command line: it holds no personal data (towns
    /// and categories only), like the public disclosure.
    pub fn welfare_summary(&self, year: i64) -> AppResult<WelfareReport> {
        let programmes: Vec<ProgrammeRow> = self
            .store
            .read(|r| r.programmes())?
            .into_iter()
            .filter(|p| p.year == year)
            .collect();
        let codes: HashSet<&str> = programmes.iter().map(|p| p.code.as_str()).collect();
        let paid: Vec<GrantRow> = self
            .store
            .read(|r| r.grants(None, None))?
            .into_iter()
            .filter(|g| g.status == GrantStatus::Paid && codes.contains(g.programme_code.as_str()))
            .collect();
        let towns = self.town_names()?;
        let mut by_category: BTreeMap<String, SumLine> = BTreeMap::new();
        let mut by_town: BTreeMap<String, SumLine> = BTreeMap::new();
        for g in &paid {
            let c = by_category
                .entry(g.category.clone())
                .or_insert_with(|| SumLine {
                    key: g.category.clone(),
                    name: category_name(&g.category).into(),
                    grants: 0,
                    amount: Money::ZERO,
                });
            c.grants += 1;
            c.amount = c.amount.checked_add(g.amount)?;
            let t = by_town
                .entry(g.town_code.clone())
                .or_insert_with(|| SumLine {
                    key: g.town_code.clone(),
                    name: towns.get(&g.town_code).cloned().unwrap_or_default(),
                    grants: 0,
                    amount: Money::ZERO,
                });
            t.grants += 1;
            t.amount = t.amount.checked_add(g.amount)?;
        }
        Ok(WelfareReport {
            year,
            programmes: programmes
                .into_iter()
                .map(|p| {
                    Ok(ProgrammeLine {
                        category_name: category_name(&p.category).into(),
                        remaining: if p.status == ProgrammeStatus::Approved {
                            p.budget.checked_sub(p.spent)?
                        } else {
                            Money::ZERO
                        },
                        code: p.code,
                        name: p.name,
                        category: p.category,
                        status: p.status,
                        budget: p.budget,
                        spent: p.spent,
                    })
                })
                .collect::<AppResult<_>>()?,
            by_category: by_category.into_values().collect(),
            by_town: by_town.into_values().collect(),
            total_paid: Money::checked_sum(paid.iter().map(|g| g.amount))?,
        })
    }

    /// The year's 公益金使用公告: every paid grant, personal names masked (public).
    pub fn disclosure(&self, year: i64) -> AppResult<Vec<DisclosureLine>> {
        let programmes: BTreeMap<String, ProgrammeRow> = self
            .store
            .read(|r| r.programmes())?
            .into_iter()
            .filter(|p| p.year == year)
            .map(|p| (p.code.clone(), p))
            .collect();
        let towns = self.town_names()?;
        let grants = self.store.read(|r| r.grants(None, None))?;
        let mut lines: Vec<DisclosureLine> = grants
            .into_iter()
            .filter(|g| g.status == GrantStatus::Paid)
            .filter_map(|g| {
                let p = programmes.get(&g.programme_code)?;
                Some(DisclosureLine {
                    date: g.grant_date.clone(),
                    category: category_name(&p.category).into(),
                    programme: p.name.clone(),
                    beneficiary: if g.beneficiary_kind == "person" {
                        idcard::mask_name(&g.beneficiary_name)
                    } else {
                        g.beneficiary_name.clone()
                    },
                    town: towns.get(&g.town_code).cloned().unwrap_or_default(),
                    purpose: g.purpose.clone(),
                    amount: g.amount,
                })
            })
            .collect();
        lines.sort_by(|a, b| a.date.cmp(&b.date));
        Ok(lines)
    }

    pub fn export_disclosure(&self, year: i64, format: Format) -> AppResult<Vec<u8>> {
        let headers = [
            "日期",
            "类别",
            "项目",
            "受助对象",
            "镇（街道）",
            "用途",
            "金额（元）",
        ];
        let rows: Vec<Vec<String>> = self
            .disclosure(year)?
            .into_iter()
            .map(|l| {
                vec![
                    l.date,
                    l.category,
                    l.programme,
                    l.beneficiary,
                    l.town,
                    l.purpose,
                    l.amount.display_plain(),
                ]
            })
            .collect();
        write_table(format, "公益金使用公告", &headers, &rows)
    }
}

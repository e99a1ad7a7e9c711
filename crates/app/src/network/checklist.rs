//! The inspection checklist and the yearly star rating, as rule data
//! (crates/app/data/inspection.toml), validated on load, and the rating's arithmetic:
//! integers only, one rounding (half up to hundredths of a point) at the end.

use std::sync::OnceLock;

use fucai_ledger::Money;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub code: String,
    pub name: String,
    /// Most points the item gives.
    pub points: i64,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    pub stars: i64,
    pub min_points: i64,
    /// The station's commission (代销费) in permille of its sales.
    pub commission_permille: i64,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RatingRule {
    pub inspection_weight_pct: i64,
    pub sales_weight_pct: i64,
    pub sales_target_yuan: i64,
    pub open_finding_penalty: i64,
    pub grade: Vec<Grade>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CommissionRule {
    /// Commission on prizes a station pays, in permille of the prize.
    pub claim_permille: i64,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Inspection {
    pub version: String,
    pub item: Vec<ChecklistItem>,
    pub rating: RatingRule,
    pub commission: CommissionRule,
}

/// What the rating of one station starts from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RatingInput {
    /// Checklist visits (inspections and unannounced ones) in the year, and their scores' sum.
    pub inspections: i64,
    pub score_sum: i64,
    pub sales: Money,
    /// Findings still waiting on the station.
    pub open_findings: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rated {
    pub average_score_x100: i64,
    /// Hundredths of a point, at least 0.
    pub points_x100: i64,
    pub stars: i64,
    pub commission_permille: i64,
}

/// `num / den` rounded half up, for non-negative numbers.
fn div_half_up(num: i128, den: i128) -> i128 {
    (2 * num + den) / (2 * den)
}

impl Inspection {
    /// Checks the rule data: items unique with positive points adding up to 100; weights
    /// adding up to 100; a positive target; grades from the most stars down, their minimums
    /// falling, the last at 0 points (every station gets a grade).
    pub fn validate(&self) -> Result<(), String> {
        let mut codes = std::collections::HashSet::new();
        for i in &self.item {
            if i.points <= 0 || !codes.insert(i.code.as_str()) {
                return Err(format!("checklist item {}: positive points, once", i.code));
            }
        }
        let total: i64 = self.item.iter().map(|i| i.points).sum();
        if total != 100 {
            return Err(format!("the checklist's points add up to {total}, not 100"));
        }
        let r = &self.rating;
        if r.inspection_weight_pct + r.sales_weight_pct != 100
            || r.inspection_weight_pct < 0
            || r.sales_weight_pct < 0
        {
            return Err("the rating's weights must add up to 100".into());
        }
        if !(0..=100).contains(&self.commission.claim_permille)
            || r.grade
                .iter()
                .any(|g| !(0..=130).contains(&g.commission_permille))
        {
            return Err(
                "commission rates from 0 to 10% of prizes and 13% (the issuance fee) of sales"
                    .into(),
            );
        }
        if r.sales_target_yuan <= 0 || r.open_finding_penalty < 0 {
            return Err("a positive sales target and a penalty of at least 0".into());
        }
        let falling = r
            .grade
            .windows(2)
            .all(|w| w[0].stars > w[1].stars && w[0].min_points > w[1].min_points);
        if !falling || r.grade.last().is_none_or(|g| g.min_points != 0) {
            return Err("grades from the most stars down, the last from 0 points".into());
        }
        Ok(())
    }

    pub fn item(&self, code: &str) -> Option<&ChecklistItem> {
        self.item.iter().find(|i| i.code == code)
    }

    /// The rating of one station, by the formula in the rule data.
    pub fn rate(&self, input: &RatingInput) -> Rated {
        let r = &self.rating;
        let target = i128::from(r.sales_target_yuan) * 100;
        let sales = i128::from(input.sales.fen().max(0)).min(target);
        let (n, sum) = (i128::from(input.inspections), i128::from(input.score_sum));
        // Hundredths of a point: inspection part S×w/n, sales part min(sales, target)×100×w/target.
        let sales_num = sales * 100 * i128::from(r.sales_weight_pct);
        let earned = if n == 0 {
            div_half_up(sales_num, target)
        } else {
            let inspection_num = sum * i128::from(r.inspection_weight_pct);
            div_half_up(inspection_num * target + sales_num * n, n * target)
        };
        let penalty = i128::from(r.open_finding_penalty * input.open_findings) * 100;
        let points_x100 = (earned - penalty).max(0) as i64;
        let grade = r
            .grade
            .iter()
            .find(|g| g.min_points * 100 <= points_x100)
            .unwrap_or_else(|| r.grade.last().expect("validated: grades exist"));
        Rated {
            average_score_x100: if n == 0 {
                0
            } else {
                div_half_up(sum * 100, n) as i64
            },
            points_x100,
            stars: grade.stars,
            commission_permille: grade.commission_permille,
        }
    }
}

/// The embedded rule data, validated once.
pub fn inspection_rules() -> &'static Inspection {
    static DATA: OnceLock<Inspection> = OnceLock::new();
    DATA.get_or_init(|| {
        let rules: Inspection = toml::from_str(include_str!("../../data/inspection.toml"))
            .expect("the embedded inspection rules parse (checked by the tests)");
        rules
            .validate()
            .expect("the embedded inspection rules are valid (checked by the tests)");
        rules
    })
}

/// A rate in permille as a `Ratio` (commission rates come from the rule data and ratings).
pub(crate) fn permille_ratio(permille: i64) -> crate::error::AppResult<fucai_ledger::Ratio> {
    u32::try_from(permille * 1000)
        .ok()
        .and_then(|ppm| fucai_ledger::Ratio::from_per_million(ppm).ok())
        .ok_or_else(|| crate::error::AppError::internal(format!("a rate of {permille}‰")))
}

/// Hundredths as a decimal: `7900` → `79.00`.
pub fn hundredths(x100: i64) -> String {
    format!("{}.{:02}", x100 / 100, x100 % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rules_are_valid() {
        let rules: Inspection = toml::from_str(include_str!("../../data/inspection.toml")).unwrap();
        rules.validate().unwrap();
        assert_eq!(rules.item.len(), 8);
    }

    #[test]
    fn a_rating_equals_the_hand_computation() {
        let rules = inspection_rules();
        // Inspections 85 and 95: average 90 × 60% = 54.00; sales 150万 of the 200万 target:
        // 75 × 40% = 30.00; one open finding −5: 79.00 → 3 stars (70–80), 7.0% commission.
        let rated = rules.rate(&RatingInput {
            inspections: 2,
            score_sum: 180,
            sales: Money::from_yuan(1_500_000),
            open_findings: 1,
        });
        assert_eq!(
            rated,
            Rated {
                average_score_x100: 9000,
                points_x100: 7900,
                stars: 3,
                commission_permille: 70
            }
        );
        // Sales above the target count as the target; 88, 91, 93: 90.67 × 60% = 54.40 (exact
        // 54.4); 100 × 40% = 40 → 94.40 → 5 stars.
        let top = rules.rate(&RatingInput {
            inspections: 3,
            score_sum: 272,
            sales: Money::from_yuan(9_000_000),
            open_findings: 0,
        });
        assert_eq!(
            (top.points_x100, top.average_score_x100, top.stars),
            (9440, 9067, 5)
        );
        // Never inspected, no sales, two open findings: 0 − 10 → 0 points, 1 star.
        let worst = rules.rate(&RatingInput {
            open_findings: 2,
            ..RatingInput::default()
        });
        assert_eq!(
            (worst.points_x100, worst.stars, worst.commission_permille),
            (0, 1, 60)
        );
    }

    #[test]
    fn a_rating_rounds_once_half_up() {
        let rules = inspection_rules();
        // 1 inspection of 77: 46.20; sales 1元 of 200万: 0.00002 × 40 → 0.00 → 46.20.
        let r = rules.rate(&RatingInput {
            inspections: 1,
            score_sum: 77,
            sales: Money::from_yuan(1),
            open_findings: 0,
        });
        assert_eq!(r.points_x100, 4620);
        // 3 inspections of 100, 100, 99: 99.666… × 0.6 = 59.80 exactly; sales 12,345元:
        // 0.61725 × 0.4 = 0.2469 → total 60.0469 → 60.05.
        let r = rules.rate(&RatingInput {
            inspections: 3,
            score_sum: 299,
            sales: Money::from_yuan(12_345),
            open_findings: 0,
        });
        assert_eq!((r.points_x100, r.stars), (6005, 2));
        assert_eq!(hundredths(r.points_x100), "60.05");
    }

    #[test]
    fn bad_rule_data_is_refused() {
        let mut rules = inspection_rules().clone();
        rules.item[0].points += 1;
        assert!(rules.validate().unwrap_err().contains("101"));
        let mut rules = inspection_rules().clone();
        rules.rating.grade.last_mut().unwrap().min_points = 10;
        assert!(rules.validate().is_err());
    }
}

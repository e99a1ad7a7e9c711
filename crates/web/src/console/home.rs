//! The console's home (the dashboard, for those who read the sales reports), the period's
//! summary paragraph and the sales report with its charts.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::IntoResponse;
use chrono::Datelike;
use fucai_app::{Access, App, Principal, SalesDimension, CHANNEL_READERS};
use minijinja::{context, Value};
use serde::Serialize;

use super::render::{page, Failure, PageResult};
use super::views::{fact, money, num, sales_views, text, Filter, Table};
use super::Staff;
use crate::AppState;

type Params = Query<BTreeMap<String, String>>;

/// How a sales key reads: a game's, channel's or town's name; dates as they are.
pub(crate) struct Names {
    towns: BTreeMap<String, String>,
}

impl Names {
    pub fn load(app: &App) -> Result<Names, Failure> {
        Ok(Names {
            towns: app.public_towns()?.into_iter().collect(),
        })
    }

    pub fn of(&self, dim: SalesDimension, key: &str) -> String {
        match dim {
            SalesDimension::Channel => channel_name(key).into(),
            SalesDimension::Game => game_name(key),
            SalesDimension::Town => self.towns.get(key).cloned().unwrap_or_else(|| key.into()),
            _ => key.into(),
        }
    }
}

pub(crate) fn channel_name(code: &str) -> &str {
    match code {
        "computer" => "电脑票",
        "instant" => "即开票",
        "vlt" => "中福在线",
        other => other,
    }
}

pub(crate) fn game_name(code: &str) -> String {
    if let Ok(game) = code.parse::<fucai_games::Game>() {
        return game.name().into();
    }
    if code == "vlt" {
        return "中福在线".into();
    }
    fucai_app::instant::instant_rules()
        .game(code)
        .map_or_else(|| code.into(), |g| g.name.clone())
}

/// The period asked for: `from`/`to`, else the current year up to today.
fn period(params: &BTreeMap<String, String>) -> (String, String) {
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let from = params
        .get("from")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("{}-01-01", today.year()));
    let to = params
        .get("to")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| today.to_string());
    (from, to)
}

#[derive(Serialize)]
struct Card {
    label: &'static str,
    value: String,
    note: Option<String>,
}

/// The dashboard's figures, charts and tables for `who` over `[from, to]`.
pub(crate) fn dashboard_context(
    app: &App,
    who: &Principal,
    from: &str,
    to: &str,
) -> Result<Value, Failure> {
    let d = app.dashboard(who, from, to)?;
    let names = Names::load(app)?;
    let name_of = |dim: SalesDimension, key: &str| names.of(dim, key);
    let s = &d.summary;
    let mut cards = vec![
        Card {
            label: "销售总额",
            value: s.sales.total.to_string(),
            note: Some(format!("上年同期 {}", d.by_channel.last_year_total)),
        },
        Card {
            label: "电脑票",
            value: s.sales.computer.to_string(),
            note: None,
        },
        Card {
            label: "即开票",
            value: s.sales.instant.to_string(),
            note: None,
        },
        Card {
            label: "中福在线",
            value: s.sales.vlt.to_string(),
            note: None,
        },
        Card {
            label: "筹集公益金",
            value: s.welfare_raised.to_string(),
            note: None,
        },
        Card {
            label: "公益金资助支出",
            value: d.welfare_granted.to_string(),
            note: Some(format!(
                "{} 人次",
                s.grants.iter().map(|g| g.recipients).sum::<usize>()
            )),
        },
        Card {
            label: "已兑奖",
            value: d.prizes_paid.amount.to_string(),
            note: Some(format!("{} 注", d.prizes_paid.count)),
        },
        Card {
            label: "未兑奖",
            value: d.prizes_unclaimed.amount.to_string(),
            note: Some(format!(
                "{} 注；已弃奖 {}",
                d.prizes_unclaimed.count, d.prizes_expired.amount
            )),
        },
        Card {
            label: "培训覆盖率",
            value: format!("{:.1}%", s.training.coverage_pct),
            note: Some(format!(
                "{} 期，{} 人次",
                s.training.sessions, s.training.person_times
            )),
        },
        Card {
            label: "整改未完成",
            value: d.findings_open.to_string(),
            note: Some(format!("其中逾期 {}", d.findings_overdue)),
        },
    ];
    if let Some((stations, amount)) = d.overdue_remittances {
        cards.push(Card {
            label: "逾期未缴款站点",
            value: stations.to_string(),
            note: Some(format!("逾期金额 {amount}")),
        });
    }
    let sales = vec![
        sales_views("by-channel", "按渠道", &d.by_channel, &name_of, "bar"),
        sales_views("by-game", "按游戏", &d.by_game, &name_of, "bar"),
        sales_views("by-town", "按镇（街道）", &d.by_town, &name_of, "bar"),
        sales_views("by-month", "按月份", &d.by_month, &name_of, "line"),
    ];
    let grants = grants_table("公益金资助发放", &s.grants);
    Ok(context! {
        title => "工作台",
        charts => true,
        filters => vec![Filter::date("from", "起始日期", &s.from), Filter::date("to", "截止日期", &s.to)],
        cards,
        paragraph => &s.text,
        sales,
        tables => vec![grants],
    })
}

pub(crate) async fn home(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    if !staff.may(Access::Roles(CHANNEL_READERS)) {
        // Staff without the sales reports start from their menu.
        return page(
            &staff,
            "/console",
            "console/detail.html",
            context! {
                title => "工作台",
                intro => "请从左侧菜单选择要办理的业务。",
                facts => vec![fact("账号", &staff.username), fact("角色", staff.role.name())],
            },
        );
    }
    let (from, to) = period(&params);
    let app = state.app.clone();
    let who = staff.who.clone();
    let ctx = tokio::task::spawn_blocking(move || dashboard_context(&app, &who, &from, &to))
        .await
        .map_err(|e| Failure::from(fucai_app::AppError::caused_by(e)))??;
    page(&staff, "/console", "console/dashboard.html", ctx)
}

pub(crate) async fn summary(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(CHANNEL_READERS))?;
    let (from, to) = period(&params);
    let s = state.app.summary(&staff.who, &from, &to)?;
    let grants = grants_table("资助发放", &s.grants);
    let facts = vec![
        fact("销售总额", s.sales.total),
        fact("电脑票", s.sales.computer),
        fact("即开票", s.sales.instant),
        fact("中福在线", s.sales.vlt),
        fact("筹集公益金", s.welfare_raised),
        fact(
            "累计",
            format!(
                "{} 年起 {} 年：销售 {}，公益金 {}",
                s.cumulative.since_year,
                s.cumulative.years,
                s.cumulative.sales,
                s.cumulative.welfare
            ),
        ),
        fact(
            "培训",
            format!(
                "{} 期，{} 人次，覆盖率 {:.1}%",
                s.training.sessions, s.training.person_times, s.training.coverage_pct
            ),
        ),
    ];
    page(
        &staff,
        "/console/reports/summary",
        "console/list.html",
        context! {
            title => "年度概况",
            path => "/console/reports/summary",
            filters => vec![Filter::date("from", "起始日期", &s.from), Filter::date("to", "截止日期", &s.to)],
            intro => &s.text,
            facts,
            tables => vec![grants],
            exports => vec![("JSON", format!("/api/v1/reports/summary?from={}&to={}", s.from, s.to))],
        },
    )
}

pub(crate) async fn sales_report(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(CHANNEL_READERS))?;
    let (from, to) = period(&params);
    let by_text = params
        .get("by")
        .filter(|s| !s.is_empty())
        .cloned()
        .unwrap_or_else(|| "month".into());
    let by = SalesDimension::parse_list(&by_text)?;
    let report = state.app.sales_report(&staff.who, &from, &to, &by)?;
    let names = Names::load(&state.app)?;
    let kind = if by.len() == 1
        && matches!(
            by[0],
            SalesDimension::Day | SalesDimension::Month | SalesDimension::Year
        ) {
        "line"
    } else {
        "bar"
    };
    let (chart, table) = sales_views("sales", "销售额", &report, &|d, k| names.of(d, k), kind);
    let dims = [
        ("channel", "渠道"),
        ("game", "游戏"),
        ("town", "镇（街道）"),
        ("station", "投注站"),
        ("day", "日"),
        ("month", "月"),
        ("year", "年"),
        ("channel,month", "渠道 × 月"),
        ("town,game", "镇（街道） × 游戏"),
    ];
    let query = format!("from={}&to={}&by={}", report.from, report.to, by_text);
    let charts = if report.rows.len() <= 60 {
        vec![chart]
    } else {
        Vec::new()
    };
    Ok(page(
        &staff,
        "/console/reports/sales",
        "console/list.html",
        context! {
            title => "销售报表",
            charts => charts,
            path => "/console/reports/sales",
            filters => vec![
                Filter::date("from", "起始日期", &report.from),
                Filter::date("to", "截止日期", &report.to),
                Filter::select("by", "分组", Some(&by_text), dims.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect()),
            ],
            intro => format!("{} 至 {}，与上年同期比较。", report.from, report.to),
            tables => vec![table],
            exports => vec![
                ("CSV", format!("/api/v1/reports/sales?{query}&format=csv")),
                ("XLSX", format!("/api/v1/reports/sales?{query}&format=xlsx")),
                ("JSON", format!("/api/v1/reports/sales?{query}")),
            ],
        },
    )?
    .into_response())
}

/// The period's grant events (date, category, recipients, amount) as a table.
fn grants_table(caption: &str, events: &[fucai_app::GrantEvent]) -> Table {
    let mut grants = Table::new(caption, &["日期", "类别", "人数", "金额（元）"]);
    for g in events {
        grants.rows.push(vec![
            text(&g.date),
            text(&g.category),
            num(g.recipients),
            money(g.amount),
        ]);
    }
    grants
}

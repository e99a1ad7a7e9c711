//! The station network and the two channels, as staff read them: training sessions and
//! coverage, visit findings and their rectification, 即开票 stock, 中福在线 halls.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use chrono::Datelike;
use fucai_app::network::NETWORK_READERS;
use fucai_app::{Access, CHANNEL_READERS};
use fucai_store::FindingStatus;
use minijinja::context;

use super::home::game_name;
use super::render::{page, PageResult};
use super::views::{fact, link, num, paged, text, Filter, Table};
use super::Staff;
use crate::AppState;

type Params = Query<BTreeMap<String, String>>;

fn year_period(params: &BTreeMap<String, String>) -> (String, String) {
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let get = |name: &str, default: String| {
        params
            .get(name)
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or(default)
    };
    (
        get("from", format!("{}-01-01", today.year())),
        get("to", today.to_string()),
    )
}

pub(crate) async fn training(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let (from, to) = year_period(&params);
    let report = state.app.training_report(&staff.who, &from, &to)?;
    let mut sessions = Table::new(
        "培训场次",
        &["日期", "类型", "主题", "地点", "讲师", "人数"],
    );
    for s in state.app.trainings(&staff.who, &from, &to)? {
        sessions.rows.push(vec![
            text(&s.held_on),
            text(s.kind.as_str()),
            text(&s.topic),
            text(&s.place),
            text(&s.trainer),
            num(s.attendees),
        ]);
    }
    let mut towns = Table::new(
        "各镇（街道）覆盖",
        &["镇（街道）", "在营站点", "已培训站点", "覆盖率"],
    );
    for t in &report.by_town {
        towns.rows.push(vec![
            text(&t.town_name),
            num(t.stations_open),
            num(t.stations_trained),
            num(fucai_app::network::coverage::percent(t.coverage_permille)),
        ]);
    }
    page(
        &staff,
        "/console/network/training",
        "console/list.html",
        context! {
            title => "培训",
            path => "/console/network/training",
            filters => vec![Filter::date("from", "起始日期", &from), Filter::date("to", "截止日期", &to)],
            facts => vec![
                fact("场次", report.sessions),
                fact("站点人员参训人次", report.person_times),
                fact("中心工作人员参训人次", report.staff_person_times),
                fact("培训覆盖率", format!("{}（{} / {} 个在营站点）", report.coverage, report.stations_trained, report.stations_open)),
            ],
            tables => vec![sessions, towns],
            exports => vec![("培训报表 XLSX", format!("/api/v1/training/report?from={from}&to={to}&format=xlsx"))],
        },
    )
}

pub(crate) async fn findings(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let station = params.get("station").filter(|s| !s.is_empty());
    let status = params.get("status").filter(|s| !s.is_empty());
    let overdue = params.get("overdue").is_some_and(|v| v == "1");
    let rows = state.app.findings(
        &staff.who,
        station.map(String::as_str),
        status.map(String::as_str),
        overdue,
    )?;
    let (rows, paging) = paged(rows, "/console/network/findings", &params);
    let mut table = Table::new(
        "",
        &["编号", "投注站", "问题", "责任人", "整改期限", "状态"],
    );
    for f in rows {
        let station = f.station_code.clone().unwrap_or_default();
        table.rows.push(vec![
            num(f.id),
            link(&station, format!("/console/stations/{station}")),
            text(&f.description),
            text(&f.responsible),
            text(&f.deadline),
            text(f.status.as_str()),
        ]);
    }
    let statuses = FindingStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), s.as_str().to_string()))
        .collect();
    page(
        &staff,
        "/console/network/findings",
        "console/list.html",
        context! {
            title => "巡查整改",
            path => "/console/network/findings",
            filters => vec![
                Filter::text("station", "投注站编号", station),
                Filter::select("status", "状态", status, statuses),
                Filter::select("overdue", "是否逾期", params.get("overdue"), vec![("1".into(), "仅逾期".into())]),
            ],
            tables => vec![table],
            paging,
        },
    )
}

pub(crate) async fn instant_stock(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(CHANNEL_READERS))?;
    let stock = state.app.instant_stock(&staff.who)?;
    let mut tables = Vec::new();
    let mut facts = vec![fact(
        "库存与出入库记录",
        if stock.consistent {
            "一致"
        } else {
            "不一致，请核查"
        },
    )];
    // One pack's whereabouts and every move it made.
    if let Some(label) = params
        .get("pack")
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
    {
        let (pack, moves) = state.app.instant_pack(&staff.who, label)?;
        facts.extend([
            fact("包号", label),
            fact("游戏", game_name(&pack.game)),
            fact("状态", pack.state.as_str()),
            fact(
                "所在投注站",
                pack.station_code.clone().unwrap_or_else(|| "区中心".into()),
            ),
        ]);
        let mut t = Table::new(
            "出入库记录",
            &["时间", "操作人", "原状态", "新状态", "投注站", "备注"],
        );
        for m in moves {
            t.rows.push(vec![
                text(fucai_app::beijing_time(m.at)),
                text(&m.actor),
                text(m.from_state.as_str()),
                text(m.to_state.as_str()),
                text(m.station_code.unwrap_or_default()),
                text(&m.note),
            ]);
        }
        tables.push(t);
    }
    let mut states = Table::new("按状态", &["状态", "本数（库存）", "本数（按出入库记录）"]);
    for ((s, n), (_, m)) in stock.by_state.iter().zip(&stock.by_moves) {
        states.rows.push(vec![text(s.as_str()), num(n), num(m)]);
    }
    let mut holders = Table::new("按持有方和游戏", &["持有方", "游戏", "状态", "本数"]);
    for r in &stock.rows {
        holders.rows.push(vec![
            text(r.station_code.clone().unwrap_or_else(|| "区中心".into())),
            text(game_name(&r.game)),
            text(r.state.as_str()),
            num(r.packs),
        ]);
    }
    tables.extend([states, holders]);
    page(
        &staff,
        "/console/channels/instant",
        "console/list.html",
        context! {
            title => "即开票库存",
            path => "/console/channels/instant",
            filters => vec![Filter::text("pack", "包号（如 JD20-190101-0001）", params.get("pack"))],
            facts,
            tables,
        },
    )
}

pub(crate) async fn halls(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(CHANNEL_READERS))?;
    let mut table = Table::new(
        "",
        &[
            "编号",
            "名称",
            "投注站",
            "地址",
            "终端数",
            "营业时间",
            "状态",
        ],
    );
    let rows = state.app.halls(&staff.who)?;
    let (rows, paging) = paged(rows, "/console/channels/halls", &params);
    for h in rows {
        table.rows.push(vec![
            text(&h.code),
            text(&h.name),
            link(
                &h.station_code,
                format!("/console/stations/{}", h.station_code),
            ),
            text(&h.address),
            num(h.terminals),
            text(&h.opening_hours),
            text(h.status.as_str()),
        ]);
    }
    page(
        &staff,
        "/console/channels/halls",
        "console/list.html",
        context! { title => "中福在线销售厅", tables => vec![table], paging },
    )
}

pub(crate) async fn campaigns(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let mut table = Table::new("", &["编号", "名称", "游戏", "起止", "指标", "状态"]);
    for c in state.app.campaigns(&staff.who)? {
        table.rows.push(vec![
            link(&c.code, format!("/console/network/campaigns/{}", c.code)),
            text(&c.name),
            text(
                c.games
                    .split(',')
                    .map(game_name)
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            text(format!("{} 至 {}", c.starts_on, c.ends_on)),
            text(c.metric.as_str()),
            text(c.status.as_str()),
        ]);
    }
    page(
        &staff,
        "/console/network/campaigns",
        "console/list.html",
        context! { title => "营销活动", tables => vec![table] },
    )
}

pub(crate) async fn campaign(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    crate::extract::ApiPath(code): crate::extract::ApiPath<String>,
) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let v = state.app.campaign(&staff.who, &code)?;
    let mut standings = Table::new(
        "排名",
        &[
            "名次",
            "投注站",
            "销售额（元）",
            "上年同期（元）",
            "营业天数",
            "指标",
        ],
    );
    for s in &v.standings {
        standings.rows.push(vec![
            num(s.rank),
            link(
                &s.station_code,
                format!("/console/stations/{}", s.station_code),
            ),
            super::views::money(s.sales),
            super::views::money(s.base),
            num(s.days_open),
            num(&s.score),
        ]);
    }
    let mut rewards = Table::new("奖励", &["投注站", "奖励", "日期", "经办"]);
    for r in &v.rewards {
        rewards.rows.push(vec![
            text(&r.station_code),
            text(&r.reward),
            text(&r.given_on),
            text(&r.recorded_by),
        ]);
    }
    let c = &v.campaign;
    page(
        &staff,
        "/console/network/campaigns",
        "console/list.html",
        context! {
            title => format!("营销活动：{}", c.name),
            facts => vec![
                fact("编号", &c.code),
                fact("起止", format!("{} 至 {}", c.starts_on, c.ends_on)),
                fact("指标", c.metric.as_str()),
                fact("状态", c.status.as_str()),
            ],
            tables => vec![standings, rewards],
        },
    )
}

pub(crate) async fn visits(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let (from, to) = year_period(&params);
    let station = params.get("station").filter(|s| !s.is_empty());
    let rows = state
        .app
        .visits(&staff.who, station.map(String::as_str), &from, &to)?;
    let (rows, paging) = paged(rows, "/console/network/visits", &params);
    let mut table = Table::new("", &["日期", "投注站", "类型", "巡查人", "得分", "意见"]);
    for v in rows {
        table.rows.push(vec![
            text(&v.visited_on),
            link(
                &v.station_code,
                format!("/console/stations/{}", v.station_code),
            ),
            text(v.kind.as_str()),
            text(&v.visitors),
            num(v.score),
            text(&v.opinions),
        ]);
    }
    page(
        &staff,
        "/console/network/visits",
        "console/list.html",
        context! {
            title => "巡查走访",
            path => "/console/network/visits",
            filters => vec![
                Filter::date("from", "起始日期", &from),
                Filter::date("to", "截止日期", &to),
                Filter::text("station", "投注站编号", station),
            ],
            actions => vec![("整改情况", "/console/network/findings")],
            tables => vec![table],
            paging,
        },
    )
}

pub(crate) async fn activities(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(NETWORK_READERS))?;
    let (from, to) = year_period(&params);
    let mut table = Table::new("", &["起止", "类型", "主题", "地点", "组织", "人数"]);
    for a in state.app.activities(&staff.who, &from, &to)? {
        table.rows.push(vec![
            text(format!("{} 至 {}", a.starts_on, a.ends_on)),
            text(a.kind.as_str()),
            text(&a.title),
            text(&a.place),
            text(&a.organiser),
            num(a.participants),
        ]);
    }
    page(
        &staff,
        "/console/network/activities",
        "console/list.html",
        context! {
            title => "活动",
            path => "/console/network/activities",
            filters => vec![Filter::date("from", "起始日期", &from), Filter::date("to", "截止日期", &to)],
            tables => vec![table],
            exports => vec![("XLSX", format!("/api/v1/activities/export?from={from}&to={to}&format=xlsx"))],
        },
    )
}

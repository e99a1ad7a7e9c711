//! The audit log with filters and paging, and the hash chain's check.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use fucai_app::{beijing_time, Access, AppError};
use fucai_store::AuditQuery;
use minijinja::context;

use super::render::{page, PageResult, AUDITORS};
use super::views::{fact, num, text, Filter, Paging, Table, PAGE_ROWS};
use super::Staff;
use crate::AppState;

fn day_ms(
    params: &BTreeMap<String, String>,
    name: &str,
    next_day: bool,
) -> Result<Option<i64>, AppError> {
    let Some(text) = params.get(name).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let day: chrono::NaiveDate = text
        .parse()
        .map_err(|_| AppError::invalid(name, format!("'{text}' is not a date (YYYY-MM-DD)")))?;
    let day = if next_day {
        day + chrono::Duration::days(1)
    } else {
        day
    };
    Ok(Some(fucai_app::beijing_day_start_ms(day)))
}

pub(crate) async fn log(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(AUDITORS))?;
    let opt = |name: &str| {
        params
            .get(name)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let mut paging = Paging::new("/console/audit", &params, 0);
    let query = AuditQuery {
        action: opt("action"),
        actor: opt("actor"),
        object: opt("object"),
        from_ms: day_ms(&params, "from", false)?,
        to_ms: day_ms(&params, "to", true)?,
        limit: PAGE_ROWS,
        offset: paging.offset(),
    };
    let (total, records) = state.app.audit_log(&staff.who, &query)?;
    paging = Paging::new("/console/audit", &params, total);
    let mut table = Table::new("", &["序号", "时间", "操作人", "操作", "对象", "记录哈希"]);
    for r in records {
        table.rows.push(vec![
            num(r.id),
            text(beijing_time(r.at)),
            text(&r.actor),
            text(&r.action),
            text(&r.object),
            text(r.hash.get(..16).unwrap_or(&r.hash)),
        ]);
    }
    page(
        &staff,
        "/console/audit",
        "console/list.html",
        context! {
            title => "审计日志",
            path => "/console/audit",
            filters => vec![
                Filter::text("action", "操作（前缀，如 grant.）", params.get("action")),
                Filter::text("actor", "操作人（如 user:finance）", params.get("actor")),
                Filter::text("object", "对象包含", params.get("object")),
                Filter::date("from", "起始日期", params.get("from").map_or("", String::as_str)),
                Filter::date("to", "截止日期", params.get("to").map_or("", String::as_str)),
            ],
            actions => vec![("校验哈希链", "/console/audit/verify")],
            tables => vec![table],
            paging,
        },
    )
}

pub(crate) async fn verify(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(AUDITORS))?;
    let app = state.app.clone();
    let who = staff.who.clone();
    let check = tokio::task::spawn_blocking(move || app.verify_audit(&who, &[]))
        .await
        .map_err(AppError::caused_by)??;
    let ok = check.is_ok();
    let mut facts = vec![
        fact(
            "结论",
            if ok {
                "哈希链完整"
            } else {
                "哈希链断裂或与已公布的链头不符"
            },
        ),
        fact("记录数", check.records),
        fact("核对的已公布链头", check.heads_checked),
    ];
    if let Some(b) = &check.broken {
        facts.push(fact("第一处断裂", format!("{b:?}")));
    }
    for m in &check.head_mismatches {
        facts.push(fact("链头不符", m));
    }
    page(
        &staff,
        "/console/audit",
        "console/list.html",
        context! { title => "审计哈希链校验", facts, actions => vec![("返回审计日志", "/console/audit")] },
    )
}

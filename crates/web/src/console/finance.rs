//! Finance: account balances (the trial balance), the ledger's own checks, and the stations
//! behind with their remittances.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use fucai_app::network::{RemittanceInput, FINANCE_STAFF, MONEY_READERS};
use fucai_app::{Access, AppError, LEDGER_READERS};
use fucai_ledger::Money;
use minijinja::context;

use super::render::{page, PageResult};
use super::staff::redirect_with;
use super::views::{fact, link, money, paged, refill, text, Field, Filter, Table};
use super::{Staff, StaffForm};
use crate::AppState;

pub(crate) async fn balances(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(LEDGER_READERS))?;
    let prefix = params
        .get("q")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let all = state.app.balances(&staff.who)?;
    let (mut debit, mut credit) = (Money::ZERO, Money::ZERO);
    for b in &all {
        if b.balance > Money::ZERO {
            debit = debit
                .checked_add(b.balance)
                .map_err(fucai_app::AppError::caused_by)?;
        } else {
            credit = credit
                .checked_sub(b.balance)
                .map_err(fucai_app::AppError::caused_by)?;
        }
    }
    let rows: Vec<_> = all
        .into_iter()
        .filter(|b| b.code.contains(&prefix))
        .collect();
    let (rows, paging) = paged(rows, "/console/finance/balances", &params);
    let mut table = Table::new(
        "",
        &["科目", "正常余额方向", "借方余额（元）", "贷方余额（元）"],
    );
    for b in rows {
        let (d, c) = if b.balance >= Money::ZERO {
            (money(b.balance), text(""))
        } else {
            (text(""), money(-b.balance))
        };
        table
            .rows
            .push(vec![text(&b.code), text(&b.normal_side), d, c]);
    }
    page(
        &staff,
        "/console/finance/balances",
        "console/list.html",
        context! {
            title => "科目余额（试算平衡）",
            path => "/console/finance/balances",
            filters => vec![Filter::text("q", "科目包含", params.get("q"))],
            facts => vec![
                fact("借方余额合计", debit),
                fact("贷方余额合计", credit),
                fact("试算平衡", if debit == credit { "平衡" } else { "不平衡" }),
            ],
            tables => vec![table],
            paging,
        },
    )
}

pub(crate) async fn verify(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(LEDGER_READERS))?;
    let app = state.app.clone();
    let who = staff.who.clone();
    let check = tokio::task::spawn_blocking(move || app.verify_ledger(&who))
        .await
        .map_err(fucai_app::AppError::caused_by)??;
    let ok = check.is_ok();
    page(
        &staff,
        "/console/finance/verify",
        "console/list.html",
        context! {
            title => "账本校验",
            intro => if ok { "校验通过：每笔分录借贷平衡，科目余额与明细一致，销售、票据与审计记录一一对应。" } else { "校验发现问题，请联系系统管理员并保留本页。" },
            facts => vec![
                fact("结论", if ok { "通过" } else { "未通过" }),
                fact("分录数", check.entries),
                fact("不平衡分录", check.unbalanced_entries.len()),
                fact("余额不符科目", check.balance_mismatches.len()),
                fact("票面销售额", check.tickets_total),
                fact("销售记账额", check.ticket_postings),
                fact("无分录的彩票", check.tickets_without_entry),
                fact("无彩票的分录", check.entries_without_ticket),
                fact("无审计记录的彩票", check.tickets_without_sale_record),
            ],
        },
    )
}

pub(crate) async fn overdue(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(MONEY_READERS))?;
    let mut table = Table::new(
        "",
        &[
            "投注站",
            "名称",
            "应缴（元）",
            "逾期（元）",
            "缴款期限（天）",
            "信用额度（元）",
        ],
    );
    for o in state.app.overdue_stations(&staff.who)? {
        table.rows.push(vec![
            link(&o.station, format!("/console/stations/{}", o.station)),
            text(&o.name),
            money(o.owed),
            money(o.overdue),
            text(o.remit_days.to_string()),
            text(
                o.credit_limit
                    .map(|c| c.to_string())
                    .unwrap_or_else(|| "—".into()),
            ),
        ]);
    }
    table.empty = "没有逾期未缴款的投注站。".into();
    page(
        &staff,
        "/console/finance/overdue",
        "console/list.html",
        context! { title => "逾期缴款", tables => vec![table] },
    )
}

/// A station's statement (对账单) over a period: what it owes item by item, its commission,
/// its remittances (printable; station owners see their own).
pub(crate) async fn statement(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    crate::extract::ApiPath(code): crate::extract::ApiPath<String>,
    Query(params): Query<BTreeMap<String, String>>,
) -> PageResult {
    let today = fucai_app::beijing_date(fucai_app::now_ms());
    let get = |name: &str, default: String| {
        params
            .get(name)
            .filter(|s| !s.is_empty())
            .cloned()
            .unwrap_or(default)
    };
    let from = get("from", today.format("%Y-%m-01").to_string());
    let to = get("to", today.to_string());
    statement_page(&state, &staff, &code, &from, &to, None, StatusCode::OK)
}

fn remittance_fields() -> Vec<Field> {
    let mut paid_on = Field::new("paid_on", "缴款日期", "date");
    paid_on.value = fucai_app::beijing_date(fucai_app::now_ms()).to_string();
    vec![
        Field::new("amount", "金额（元）", "number"),
        Field::new("method", "方式", "select").options(vec![
            ("transfer".into(), "转账".into()),
            ("cash".into(), "现金".into()),
            ("bank_debit".into(), "银行代扣".into()),
        ]),
        Field::new("reference", "凭证号", "text"),
        paid_on,
    ]
}

fn statement_page(
    state: &AppState,
    staff: &Staff,
    code: &str,
    from: &str,
    to: &str,
    fields: Option<Vec<Field>>,
    status: StatusCode,
) -> PageResult {
    let s = state.app.station_statement(&staff.who, code, from, to)?;
    let mut owed = Table::new("应缴款", &["项目", "金额（元）"]);
    for (label, amount) in s.owed_lines() {
        owed.rows.push(vec![text(label), money(amount)]);
    }
    let mut commission = Table::new("代销费", &["项目", "金额（元）"]);
    for (label, amount) in s.commission_lines() {
        commission.rows.push(vec![text(label), money(amount)]);
    }
    let mut remittances = Table::new(
        "缴款记录",
        &["日期", "金额（元）", "方式", "凭证号", "经办"],
    );
    for r in &s.remittance_lines {
        remittances.rows.push(vec![
            text(&r.paid_on),
            money(r.amount),
            text(&r.method),
            text(&r.reference),
            text(&r.recorded_by),
        ]);
    }
    let form = staff.may(Access::Roles(FINANCE_STAFF)).then(|| {
        context! {
            title => "登记缴款",
            action => format!("/console/stations/{code}/remittances?from={}&to={}", s.from, s.to),
            fields => fields.unwrap_or_else(remittance_fields),
            submit => "登记缴款",
        }
    });
    let mut response = page(
        staff,
        "/console/stations",
        "console/list.html",
        context! {
            title => format!("对账单：{} {}", s.station, s.station_name),
            form,
            path => format!("/console/stations/{code}/statement"),
            filters => vec![Filter::date("from", "起始日期", &s.from), Filter::date("to", "截止日期", &s.to)],
            facts => vec![
                fact("期间", format!("{} 至 {}", s.from, s.to)),
                fact("信用额度", s.credit_limit.map(|c| c.to_string()).unwrap_or_else(|| "—".into())),
            ],
            tables => vec![owed, commission, remittances],
            exports => vec![
                ("CSV", format!("/api/v1/stations/{code}/statement?from={}&to={}&format=csv", s.from, s.to)),
                ("XLSX", format!("/api/v1/stations/{code}/statement?from={}&to={}&format=xlsx", s.from, s.to)),
            ],
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

#[derive(serde::Deserialize)]
pub(crate) struct RemittanceForm {
    #[serde(default)]
    amount: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    paid_on: String,
}

pub(crate) async fn remit(
    State(state): State<Arc<AppState>>,
    crate::extract::ApiPath(code): crate::extract::ApiPath<String>,
    Query(params): Query<BTreeMap<String, String>>,
    form: StaffForm<RemittanceForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(FINANCE_STAFF))?;
    let back = format!(
        "/console/stations/{code}/statement?{}",
        serde_urlencoded::to_string(&params).unwrap_or_default()
    );
    let outcome = match fields.amount.trim().parse::<Money>() {
        Ok(amount) => {
            state
                .app
                .record_remittance(
                    &staff.who,
                    RemittanceInput {
                        station: code.clone(),
                        amount,
                        method: fields.method.clone(),
                        reference: fields.reference.trim().to_string(),
                        paid_on: fields.paid_on.trim().to_string(),
                    },
                )
                .await
        }
        Err(e) => Err(AppError::invalid("amount", format!("金额写法有误：{e}"))),
    };
    match outcome {
        Ok(r) => Ok(redirect_with(
            &back,
            &format!("已登记缴款 #{}：{}（{}）。", r.id, r.amount, r.paid_on),
        )),
        Err(AppError::Invalid { field, message }) => {
            let mut f = remittance_fields();
            refill(&mut f, &raw, Some((&field, message)));
            let get = |n: &str| params.get(n).cloned().unwrap_or_default();
            statement_page(
                &state,
                &staff,
                &code,
                &get("from"),
                &get("to"),
                Some(f),
                StatusCode::BAD_REQUEST,
            )
        }
        Err(e) => Err(e.into()),
    }
}

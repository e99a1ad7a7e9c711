//! Ticket lookup and paying prizes at the district center's window: the cashier enters the
//! ticket, sees every draw's prize, tax and net and where it is paid from, confirms, and the
//! prize is paid once (a second payment is refused with the use case's own message).

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use fucai_app::claims::DISTRICT_CASHIERS;
use fucai_app::{beijing_time, Access, AppError, ClaimRequest, SALES_READERS};
use minijinja::context;
use serde::Deserialize;

use super::home::game_name;
use super::render::{page, PageResult};
use super::staff::redirect_with;
use super::views::{fact, money, num, refill, text, Field, Table};
use super::{Staff, StaffForm};
use crate::AppState;

pub(crate) async fn ticket_lookup(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(q): Query<BTreeMap<String, String>>,
) -> PageResult {
    staff.require(Access::Roles(SALES_READERS))?;
    let serial = q
        .get("serial")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let code = q
        .get("code")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let mut fields = vec![
        Field::new("serial", "彩票序列号", "text"),
        Field::new("code", "校验码", "text"),
    ];
    refill(&mut fields, &q, None);
    let mut facts = Vec::new();
    let mut tables = Vec::new();
    let mut status = StatusCode::OK;
    if !serial.is_empty() {
        match state.app.verify_ticket(&serial, &code) {
            Ok(t) => {
                facts = vec![
                    fact("序列号", &t.serial),
                    fact("游戏", game_name(&t.game)),
                    fact("期号", t.draws.join("、")),
                    fact("投注站", &t.station),
                    fact("终端", &t.terminal),
                    fact("金额", t.amount),
                    fact("售出时间", beijing_time(t.sold_at_ms)),
                    fact("状态", t.status),
                ];
                let mut lines = Table::new("投注内容", &["号码", "注数", "倍数"]);
                for l in &t.lines {
                    lines
                        .rows
                        .push(vec![text(&l.selection), num(l.bets), num(l.multiple)]);
                }
                tables.push(lines);
                let mut prizes =
                    Table::new("中奖情况", &["期号", "奖金（元）", "状态", "兑奖截止"]);
                prizes.empty = "未中奖，或所购期次尚未开奖结算。".into();
                for p in state.app.ticket_prizes(&serial, &code)? {
                    prizes.rows.push(vec![
                        text(&p.draw),
                        money(p.amount),
                        text(p.status.to_string()),
                        text(&p.claim_deadline),
                    ]);
                }
                tables.push(prizes);
            }
            Err(e @ AppError::NotFound(_)) => {
                status = StatusCode::NOT_FOUND;
                fields[0].error = Some(format!("查无此票：{e}"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let mut response = page(
        &staff,
        "/console/tickets",
        "console/list.html",
        context! {
            title => "彩票查询",
            path => "/console/tickets",
            filters => fields.iter().map(|f| super::views::Filter::text(f.name, f.label, Some(&f.value))).collect::<Vec<_>>(),
            intro => fields.iter().find_map(|f| f.error.clone()),
            facts,
            tables,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

fn claim_fields() -> Vec<Field> {
    vec![
        Field::new("serial", "彩票序列号", "text"),
        Field::new("code", "校验码", "text").hint("印在彩票上的校验码"),
        Field::new("claimant_id", "中奖人身份证号", "text")
            .hint("单注奖金超过 3,000.00元 须实名兑奖"),
    ]
}

fn claim_form(staff: &Staff, fields: Vec<Field>, status: StatusCode) -> PageResult {
    let mut response = page(
        staff,
        "/console/claims",
        "console/form.html",
        context! {
            title => "中心兑奖",
            intro => "输入彩票序列号和校验码，确认前将显示奖金、代扣税款和付款账户。",
            action => "/console/claims/confirm",
            submit => "核对奖金",
            cancel => "/console",
            fields,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn claim_page(staff: Staff) -> PageResult {
    staff.require(Access::Roles(DISTRICT_CASHIERS))?;
    claim_form(&staff, claim_fields(), StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ClaimForm {
    #[serde(default)]
    serial: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    claimant_id: String,
}

impl ClaimForm {
    fn request(&self) -> ClaimRequest {
        let id = self.claimant_id.trim();
        ClaimRequest {
            serial: self.serial.trim().to_string(),
            code: self.code.trim().to_string(),
            claimant_id: (!id.is_empty()).then(|| id.to_string()),
        }
    }
}

/// The use case's refusal beside the field it concerns, with the form as posted.
fn refused(staff: &Staff, raw: &BTreeMap<String, String>, e: AppError) -> PageResult {
    let (field, status) = match &e {
        AppError::Invalid { field, .. } => (field.clone(), StatusCode::BAD_REQUEST),
        AppError::NotFound(_) => ("serial".to_string(), StatusCode::NOT_FOUND),
        AppError::Conflict(_) => ("serial".to_string(), StatusCode::CONFLICT),
        AppError::Refused(_) => ("serial".to_string(), StatusCode::UNPROCESSABLE_ENTITY),
        _ => return Err(e.into()),
    };
    let message = match &e {
        AppError::Invalid { message, .. } => message.clone(),
        AppError::Conflict(m) => format!("不能重复兑奖：{m}"),
        AppError::Refused(m) => format!("不能兑奖：{m}"),
        other => format!("查无此票：{other}"),
    };
    let mut fields = claim_fields();
    refill(&mut fields, raw, Some((&field, message)));
    claim_form(staff, fields, status)
}

/// Shows what paying would pay — prize, tax and net per draw, the office and the accounts —
/// before anything is paid.
pub(crate) async fn confirm(
    State(state): State<Arc<AppState>>,
    form: StaffForm<ClaimForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(DISTRICT_CASHIERS))?;
    let request = fields.request();
    let quote = match state.app.claim_quote(&staff.who, &request) {
        Ok(q) => q,
        Err(e) => return refused(&staff, &raw, e),
    };
    let mut table = Table::new(
        "本次兑付",
        &["期号", "奖金（元）", "代扣个人所得税（元）", "实付（元）"],
    );
    let (mut gross, mut tax) = (fucai_ledger::Money::ZERO, fucai_ledger::Money::ZERO);
    for d in &quote.draws {
        gross = gross.checked_add(d.gross).map_err(AppError::caused_by)?;
        tax = tax.checked_add(d.tax).map_err(AppError::caused_by)?;
        table.rows.push(vec![
            text(&d.draw),
            money(d.gross),
            money(d.tax),
            money(d.net),
        ]);
    }
    let facts = vec![
        fact("彩票序列号", &quote.serial),
        fact("兑奖地点", "区福彩中心兑奖窗口"),
        fact("奖金合计", gross),
        fact("代扣个人所得税", tax),
        fact("实付中奖人", quote.net),
        fact(
            "记账",
            "借：奖金应付（全国奖池）；贷：区中心银行存款（实付）、代扣个人所得税",
        ),
    ];
    page(
        &staff,
        "/console/claims",
        "console/confirm.html",
        context! {
            title => "确认兑奖",
            warning => "请核对以下金额。确认后立即付款并记账，不可撤销。",
            facts,
            tables => vec![table],
            action => "/console/claims/pay",
            hidden => vec![("serial", request.serial), ("code", request.code), ("claimant_id", request.claimant_id.unwrap_or_default())],
            submit => format!("确认兑付 {}", quote.net),
            cancel => "/console/claims",
        },
    )
}

pub(crate) async fn pay(
    State(state): State<Arc<AppState>>,
    form: StaffForm<ClaimForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(DISTRICT_CASHIERS))?;
    match state.app.claim(&staff.who, fields.request()).await {
        Ok(receipt) => {
            let tax = receipt
                .draws
                .iter()
                .map(|d| d.tax)
                .try_fold(fucai_ledger::Money::ZERO, |a, t| a.checked_add(t))
                .map_err(AppError::caused_by)?;
            Ok(redirect_with(
                "/console/claims",
                &format!(
                    "彩票 {} 已兑奖：代扣个人所得税 {}，实付 {}。",
                    receipt.serial, tax, receipt.net
                ),
            ))
        }
        Err(e) => Ok(refused(&staff, &raw, e)?.into_response()),
    }
}

//! The welfare fund's work: programmes, beneficiaries (masked unless the role may see
//! them), and grants — proposed by one person, approved or rejected by another from the
//! checker's queue, the approval confirmed after seeing the amount and the accounts.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use fucai_app::welfare::{
    category_name, GrantInput, ProgrammeInput, CATEGORIES, PERSONAL_DATA_READERS, WELFARE_CHECKERS,
    WELFARE_MAKERS, WELFARE_READERS,
};
use fucai_app::welfare_rows::GrantRow;
use fucai_app::{Access, AppError};
use fucai_ledger::Money;
use fucai_store::{GrantStatus, ProgrammeStatus};
use minijinja::context;
use serde::Deserialize;

use super::render::{page, Failure, PageResult};
use super::staff::redirect_with;
use super::views::{fact, link, money, paged, refill, text, Field, Filter, Table};
use super::{Staff, StaffForm};
use crate::extract::ApiPath;
use crate::AppState;

type Params = Query<BTreeMap<String, String>>;

fn grant_status_name(s: GrantStatus) -> &'static str {
    match s {
        GrantStatus::Proposed => "待审批",
        GrantStatus::Rejected => "已驳回",
        GrantStatus::Paid => "已拨付",
    }
}

pub(crate) async fn programmes(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(WELFARE_READERS))?;
    let checker = staff.may(Access::Roles(WELFARE_CHECKERS));
    let mut table = Table::new(
        "",
        &[
            "编号",
            "名称",
            "类别",
            "年度",
            "预算（元）",
            "已拨付（元）",
            "状态",
            "审批",
        ],
    );
    for p in state.app.programmes(&staff.who)? {
        let decide = if p.status == ProgrammeStatus::Draft && checker {
            link(
                "审批",
                format!("/console/welfare/programmes/{}/approve", p.code),
            )
        } else {
            text(p.checker.clone().unwrap_or_default())
        };
        table.rows.push(vec![
            text(&p.code),
            link(
                &p.name,
                format!("/console/welfare/grants?programme={}", p.code),
            ),
            text(category_name(&p.category)),
            text(p.year.to_string()),
            money(p.budget),
            money(p.spent),
            text(p.status.to_string()),
            decide,
        ]);
    }
    let mut actions = vec![("年度使用报告", "/console/welfare/report".to_string())];
    if staff.may(Access::Roles(WELFARE_MAKERS)) {
        actions.push(("新建项目", "/console/welfare/programmes/new".to_string()));
    }
    page(
        &staff,
        "/console/welfare/programmes",
        "console/list.html",
        context! { title => "资助项目", tables => vec![table], actions,
        exports => vec![("公益金使用公告（公开）", "/welfare/disclosure?year=2019")] },
    )
}

fn programme_fields() -> Vec<Field> {
    let categories = CATEGORIES
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    let mut year = Field::new("year", "年度", "number");
    year.value = fucai_app::beijing_date(fucai_app::now_ms())
        .format("%Y")
        .to_string();
    vec![
        Field::new("code", "项目编号", "text").hint("字母、数字和连字符，如 2019-FL-01"),
        Field::new("name", "项目名称", "text"),
        Field::new("category", "类别", "select").options(categories),
        year,
        Field::new("budget", "预算（元）", "number")
            .hint("不能超过区公益金现有余额；须由另一人审批"),
    ]
}

fn programme_page(staff: &Staff, fields: Vec<Field>, status: StatusCode) -> PageResult {
    let mut response = page(
        staff,
        "/console/welfare/programmes",
        "console/form.html",
        context! {
            title => "新建资助项目",
            action => "/console/welfare/programmes",
            submit => "提交项目",
            cancel => "/console/welfare/programmes",
            fields,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn programme_form(staff: Staff) -> PageResult {
    staff.require(Access::Roles(WELFARE_MAKERS))?;
    programme_page(&staff, programme_fields(), StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ProgrammeForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    budget: String,
}

pub(crate) async fn create_programme(
    State(state): State<Arc<AppState>>,
    form: StaffForm<ProgrammeForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(WELFARE_MAKERS))?;
    let input = (|| {
        Ok::<_, AppError>(ProgrammeInput {
            code: fields.code.trim().to_string(),
            name: fields.name.trim().to_string(),
            category: fields.category.clone(),
            year: fields
                .year
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("year", "请填写年度，如 2019"))?,
            budget: fields
                .budget
                .trim()
                .parse()
                .map_err(|e| AppError::invalid("budget", format!("金额写法有误：{e}")))?,
        })
    })();
    let outcome = match input {
        Ok(input) => state.app.create_programme(&staff.who, input).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(p) => Ok(redirect_with(
            "/console/welfare/programmes",
            &format!("项目 {} 已提交，等待另一位工作人员审批。", p.code),
        )),
        Err(e) => {
            let (field, message, status) = field_error(e, "code")?;
            let mut f = programme_fields();
            refill(&mut f, &raw, Some((&field, message)));
            programme_page(&staff, f, status)
        }
    }
}

/// A refusal a form shows beside a field (`other` when it names none), or the error page.
fn field_error(e: AppError, other: &str) -> Result<(String, String, StatusCode), Failure> {
    Ok(match e {
        // A grant's fields come back as `grants[0].amount`.
        AppError::Invalid { field, message } => (
            field.rsplit('.').next().unwrap_or_default().to_string(),
            message,
            StatusCode::BAD_REQUEST,
        ),
        AppError::NotFound(m) => (other.into(), format!("{m} 不存在"), StatusCode::NOT_FOUND),
        AppError::Refused(m) | AppError::Conflict(m) => {
            (other.into(), m, StatusCode::UNPROCESSABLE_ENTITY)
        }
        e => return Err(e.into()),
    })
}

pub(crate) async fn programme_confirm(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(code): ApiPath<String>,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let p = state
        .app
        .programmes(&staff.who)?
        .into_iter()
        .find(|p| p.code == code)
        .ok_or_else(|| AppError::NotFound(format!("programme {code}")))?;
    page(
        &staff,
        "/console/welfare/programmes",
        "console/confirm.html",
        context! {
            title => "确认审批资助项目",
            warning => "批准后，预算从区公益金划入项目预算，项目即可发放资助，不可撤销。申请人本人不能审批。",
            facts => vec![
                fact("编号", &p.code),
                fact("名称", &p.name),
                fact("类别", category_name(&p.category)),
                fact("年度", p.year),
                fact("预算", p.budget),
                fact("申请人", &p.maker),
                fact("记账", format!("借：区公益金 district/{d}/welfare {b}；贷：项目预算 programme/{c}/programme_budget {b}", d = p.district_code, c = p.code, b = p.budget)),
            ],
            action => format!("/console/welfare/programmes/{code}/approve"),
            hidden => Vec::<(String, String)>::new(),
            submit => format!("确认批准预算 {}", p.budget),
            cancel => "/console/welfare/programmes",
        },
    )
}

pub(crate) async fn programme_approve(
    State(state): State<Arc<AppState>>,
    ApiPath(code): ApiPath<String>,
    form: StaffForm<Empty>,
) -> PageResult {
    let staff = form.staff;
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let p = state.app.approve_programme(&staff.who, &code).await?;
    Ok(redirect_with(
        "/console/welfare/programmes",
        &format!("项目 {} 已批准，预算 {}。", p.code, p.budget),
    ))
}

#[derive(Deserialize)]
pub(crate) struct Empty {}

/// A batch of grants, approved in one decision after seeing every row and the total.
pub(crate) async fn batch_confirm(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let rows: Vec<GrantRow> = state
        .app
        .grants(&staff.who, None)?
        .into_iter()
        .filter(|g| g.batch_id == Some(id) && g.status == GrantStatus::Proposed)
        .collect();
    if rows.is_empty() {
        return Err(AppError::NotFound(format!("batch #{id} with proposed grants")).into());
    }
    let total = Money::checked_sum(rows.iter().map(|g| g.amount)).map_err(AppError::caused_by)?;
    let mut table = Table::new(
        "本批资助",
        &["编号", "受助对象", "金额（元）", "用途", "申请人"],
    );
    for g in &rows {
        table.rows.push(vec![
            text(format!("#{}", g.id)),
            text(&g.beneficiary_name),
            money(g.amount),
            text(&g.purpose),
            text(&g.maker),
        ]);
    }
    page(
        &staff,
        "/console/welfare/grants",
        "console/confirm.html",
        context! {
            title => format!("确认批量审批：批次 #{id}"),
            warning => "批准后逐笔记账并拨付（预算不足的行不拨付并说明原因），不可撤销。",
            facts => vec![fact("笔数", rows.len()), fact("合计", total), fact("项目", &rows[0].programme_code)],
            tables => vec![table],
            action => format!("/console/welfare/batches/{id}/approve"),
            hidden => Vec::<(String, String)>::new(),
            submit => format!("确认批准并拨付 {total}"),
            cancel => "/console/welfare/grants?status=proposed",
        },
    )
}

pub(crate) async fn batch_approve(
    State(state): State<Arc<AppState>>,
    ApiPath(id): ApiPath<i64>,
    form: StaffForm<Empty>,
) -> PageResult {
    let staff = form.staff;
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let decisions = state.app.approve_batch(&staff.who, id).await?;
    let paid = decisions.iter().filter(|d| d.paid).count();
    let refused: Vec<String> = decisions
        .iter()
        .filter(|d| !d.paid)
        .map(|d| format!("#{}：{}", d.grant_id, d.message))
        .collect();
    let mut message = format!("批次 #{id}：{paid} 笔已批准并拨付。");
    if !refused.is_empty() {
        message.push_str(&format!(
            "未拨付 {} 笔：{}",
            refused.len(),
            refused.join("；")
        ));
    }
    Ok(redirect_with(
        "/console/welfare/grants?status=proposed",
        &message,
    ))
}

pub(crate) async fn grants(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_READERS))?;
    let programme = params.get("programme").filter(|p| !p.is_empty());
    let status = match params.get("status").filter(|s| !s.is_empty()) {
        Some(s) => Some(
            s.parse::<GrantStatus>()
                .map_err(|e| AppError::invalid("status", e))?,
        ),
        None => None,
    };
    let rows: Vec<GrantRow> = state
        .app
        .grants(&staff.who, programme.map(String::as_str))?
        .into_iter()
        .filter(|g| status.is_none_or(|s| g.status == s))
        .rev()
        .collect();
    let (rows, paging) = paged(rows, "/console/welfare/grants", &params);
    let checker = staff.may(Access::Roles(WELFARE_CHECKERS));
    let mut table = Table::new(
        "",
        &[
            "编号",
            "项目",
            "受助对象",
            "金额（元）",
            "用途",
            "日期",
            "状态",
            "经办",
            "审批",
        ],
    );
    for g in &rows {
        let decide = if g.status == GrantStatus::Proposed && checker {
            match g.batch_id {
                Some(b) => link(
                    format!("批次 #{b} 审批"),
                    format!("/console/welfare/batches/{b}/approve"),
                ),
                None => link("审批", format!("/console/welfare/grants/{}/approve", g.id)),
            }
        } else {
            text(g.checker.clone().unwrap_or_default())
        };
        table.rows.push(vec![
            text(format!("#{}", g.id)),
            text(&g.programme_code),
            text(&g.beneficiary_name),
            money(g.amount),
            text(&g.purpose),
            text(&g.grant_date),
            text(grant_status_name(g.status)),
            text(&g.maker),
            decide,
        ]);
    }
    let statuses = GrantStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_string(), grant_status_name(*s).to_string()))
        .collect();
    let mut actions = Vec::new();
    if staff.may(Access::Roles(WELFARE_MAKERS)) {
        actions.push(("申请资助", "/console/welfare/grants/new".to_string()));
    }
    if checker {
        actions.push((
            "待我审批",
            "/console/welfare/grants?status=proposed".to_string(),
        ));
    }
    page(
        &staff,
        "/console/welfare/grants",
        "console/list.html",
        context! {
            title => "资助审批",
            path => "/console/welfare/grants",
            filters => vec![
                Filter::text("programme", "项目编号", programme),
                Filter::select("status", "状态", params.get("status"), statuses),
            ],
            actions,
            tables => vec![table],
            paging,
        },
    )
}

fn propose_fields(state: &AppState, staff: &Staff) -> Result<Vec<Field>, Failure> {
    let programmes = state
        .app
        .programmes(&staff.who)?
        .into_iter()
        .map(|p| {
            (
                p.code.clone(),
                format!("{} {}（{}）", p.code, p.name, p.year),
            )
        })
        .collect();
    let mut date = Field::new("date", "发放日期", "date");
    date.value = fucai_app::beijing_date(fucai_app::now_ms()).to_string();
    Ok(vec![
        Field::new("programme", "资助项目", "select").options(programmes),
        Field::new("beneficiary_id", "受助对象编号", "number").hint("见“受助对象”名单中的编号"),
        Field::new("amount", "金额（元）", "number"),
        Field::new("purpose", "用途", "text"),
        date,
        Field::new("note", "备注", "textarea"),
    ])
}

fn propose_page(staff: &Staff, fields: Vec<Field>, status: StatusCode) -> PageResult {
    let mut response = page(
        staff,
        "/console/welfare/grants",
        "console/form.html",
        context! {
            title => "申请资助",
            intro => "资助由经办人申请，须由另一位有审批权的工作人员批准后方可拨付。",
            action => "/console/welfare/grants",
            submit => "提交申请",
            cancel => "/console/welfare/grants",
            fields,
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn propose_form(State(state): State<Arc<AppState>>, staff: Staff) -> PageResult {
    staff.require(Access::Roles(WELFARE_MAKERS))?;
    let fields = propose_fields(&state, &staff)?;
    propose_page(&staff, fields, StatusCode::OK)
}

#[derive(Deserialize)]
pub(crate) struct ProposeForm {
    #[serde(default)]
    programme: String,
    #[serde(default)]
    beneficiary_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    note: String,
}

impl ProposeForm {
    fn input(&self) -> Result<GrantInput, AppError> {
        let beneficiary_id = self
            .beneficiary_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("beneficiary_id", "请填写受助对象编号（数字）"))?;
        let amount: Money = self
            .amount
            .trim()
            .parse()
            .map_err(|e| AppError::invalid("amount", format!("金额写法有误：{e}")))?;
        Ok(GrantInput {
            beneficiary_id,
            amount,
            purpose: self.purpose.trim().to_string(),
            date: self.date.trim().to_string(),
            note: self.note.trim().to_string(),
        })
    }
}

pub(crate) async fn propose(
    State(state): State<Arc<AppState>>,
    form: StaffForm<ProposeForm>,
) -> PageResult {
    let StaffForm { staff, fields, raw } = form;
    staff.require(Access::Roles(WELFARE_MAKERS))?;
    let outcome = match fields.input() {
        Ok(input) => {
            state
                .app
                .propose_grants(&staff.who, fields.programme.trim(), vec![input])
                .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(rows) => {
            let ids: Vec<String> = rows.iter().map(|g| format!("#{}", g.id)).collect();
            Ok(redirect_with(
                "/console/welfare/grants?status=proposed",
                &format!(
                    "资助申请 {} 已提交，等待另一位工作人员审批。",
                    ids.join("、")
                ),
            ))
        }
        Err(e) => {
            let (field, message, status) = field_error(e, "programme")?;
            let mut f = propose_fields(&state, &staff)?;
            refill(&mut f, &raw, Some((&field, message)));
            propose_page(&staff, f, status)
        }
    }
}

/// approve or reject.
fn decision(name: &str) -> Result<bool, Failure> {
    match name {
        "approve" => Ok(true),
        "reject" => Ok(false),
        other => Err(AppError::NotFound(format!("grant decision {other}")).into()),
    }
}

fn find_grant(state: &AppState, staff: &Staff, id: i64) -> Result<GrantRow, Failure> {
    state
        .app
        .grants(&staff.who, None)?
        .into_iter()
        .find(|g| g.id == id)
        .ok_or_else(|| AppError::NotFound(format!("grant #{id}")).into())
}

fn decide_view(
    state: &AppState,
    staff: &Staff,
    id: i64,
    approve: bool,
    reason_error: Option<String>,
) -> PageResult {
    let g = find_grant(state, staff, id)?;
    let district = state
        .app
        .programmes(&staff.who)?
        .into_iter()
        .find(|p| p.code == g.programme_code)
        .map(|p| p.district_code)
        .unwrap_or_default();
    let mut facts = vec![
        fact("资助编号", format!("#{}", g.id)),
        fact("项目", &g.programme_code),
        fact("类别", category_name(&g.category)),
        fact("受助对象", &g.beneficiary_name),
        fact("金额", g.amount),
        fact("用途", &g.purpose),
        fact("发放日期", &g.grant_date),
        fact("申请人", &g.maker),
        fact("状态", grant_status_name(g.status)),
    ];
    let (title, warning, submit) = if approve {
        facts.push(fact(
            "记账",
            format!(
                "借：项目预算 programme/{p}/programme_budget {a}；贷：应付资助 district/{district}/grant_payable {a}；再由应付资助拨付，贷：区公益金银行存款 district/{district}/bank {a}",
                p = g.programme_code,
                a = g.amount
            ),
        ));
        (
            "确认批准资助",
            "批准后立即记账并拨付，不可撤销。申请人本人不能批准自己的申请。",
            format!("确认批准并拨付 {}", g.amount),
        )
    } else {
        (
            "驳回资助申请",
            "驳回后该申请不再拨付，请写明理由。",
            "确认驳回".to_string(),
        )
    };
    let reason = (!approve).then(|| {
        let mut f = Field::new("reason", "驳回理由", "textarea");
        f.error = reason_error;
        f
    });
    let href = format!("/console/welfare/grants/{id}");
    page(
        staff,
        "/console/welfare/grants",
        "console/confirm.html",
        context! {
            title,
            warning,
            facts,
            reason,
            action => format!("{href}/{}", if approve { "approve" } else { "reject" }),
            hidden => Vec::<(String, String)>::new(),
            submit,
            cancel => "/console/welfare/grants?status=proposed",
            other => if approve { (format!("{href}/reject"), "改为驳回") } else { (format!("{href}/approve"), "改为批准") },
        },
    )
}

pub(crate) async fn decide_page(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    ApiPath((id, name)): ApiPath<(i64, String)>,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let approve = decision(&name)?;
    decide_view(&state, &staff, id, approve, None)
}

#[derive(Deserialize)]
pub(crate) struct DecideForm {
    #[serde(default)]
    reason: String,
}

pub(crate) async fn decide(
    State(state): State<Arc<AppState>>,
    ApiPath((id, name)): ApiPath<(i64, String)>,
    form: StaffForm<DecideForm>,
) -> PageResult {
    let StaffForm { staff, fields, .. } = form;
    staff.require(Access::Roles(WELFARE_CHECKERS))?;
    let approve = decision(&name)?;
    let outcome = if approve {
        state.app.approve_grant(&staff.who, id).await
    } else {
        state.app.reject_grant(&staff.who, id, &fields.reason).await
    };
    match outcome {
        Ok(g) if approve => Ok(redirect_with(
            "/console/welfare/grants?status=proposed",
            &format!("资助 #{} 已批准，{} 已拨付。", g.id, g.amount),
        )),
        Ok(g) => Ok(redirect_with(
            "/console/welfare/grants?status=proposed",
            &format!("资助 #{} 已驳回。", g.id),
        )),
        Err(AppError::Invalid { message, .. }) if !approve => {
            let mut response = decide_view(&state, &staff, id, false, Some(message))?;
            *response.status_mut() = StatusCode::BAD_REQUEST;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

pub(crate) async fn beneficiaries(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_READERS))?;
    let unmask = params.get("unmask").is_some_and(|v| v == "1")
        && staff.may(Access::Roles(PERSONAL_DATA_READERS));
    let search = params
        .get("q")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let rows: Vec<_> = state
        .app
        .beneficiaries(&staff.who, unmask)
        .await?
        .into_iter()
        .filter(|b| {
            search.is_empty()
                || b.name.contains(&search)
                || b.town.contains(&search)
                || b.id.to_string() == search
        })
        .collect();
    let (rows, paging) = paged(rows, "/console/welfare/beneficiaries", &params);
    let mut table = Table::new(
        "",
        &["编号", "类别", "姓名", "身份证号", "镇（街道）", "标签"],
    );
    for b in rows {
        table.rows.push(vec![
            text(b.id.to_string()),
            text(&b.kind),
            text(&b.name),
            text(b.id_number.unwrap_or_default()),
            text(&b.town),
            text(&b.tags),
        ]);
    }
    let mut actions = Vec::new();
    if staff.may(Access::Roles(PERSONAL_DATA_READERS)) && !unmask {
        actions.push((
            "显示完整信息（将记入审计日志）",
            "/console/welfare/beneficiaries?unmask=1".to_string(),
        ));
    }
    page(
        &staff,
        "/console/welfare/beneficiaries",
        "console/list.html",
        context! {
            title => "受助对象",
            intro => if unmask { "正在显示完整个人信息，本次查看已记入审计日志。" } else { "姓名和身份证号已脱敏。" },
            path => "/console/welfare/beneficiaries",
            filters => vec![Filter::text("q", "姓名、镇街或编号", params.get("q"))],
            actions,
            tables => vec![table],
            paging,
        },
    )
}

/// The year's welfare report: each programme's budget against what it paid, paid grants by
/// category and by town (printable).
pub(crate) async fn report(
    State(state): State<Arc<AppState>>,
    staff: Staff,
    Query(params): Params,
) -> PageResult {
    staff.require(Access::Roles(WELFARE_READERS))?;
    let year_text = params
        .get("year")
        .filter(|y| !y.is_empty())
        .cloned()
        .unwrap_or_else(|| {
            fucai_app::beijing_date(fucai_app::now_ms())
                .format("%Y")
                .to_string()
        });
    let year: i64 = year_text
        .parse()
        .map_err(|_| AppError::invalid("year", format!("'{year_text}' is not a year")))?;
    let r = state.app.welfare_report(&staff.who, year)?;
    let mut programmes = Table::new(
        "项目预算执行",
        &[
            "编号",
            "名称",
            "类别",
            "状态",
            "预算（元）",
            "已拨付（元）",
            "结余（元）",
        ],
    );
    for p in &r.programmes {
        programmes.rows.push(vec![
            text(&p.code),
            text(&p.name),
            text(&p.category_name),
            text(p.status.to_string()),
            money(p.budget),
            money(p.spent),
            money(p.remaining),
        ]);
    }
    let sums = |caption: &str, column: &str, lines: &[fucai_app::welfare::SumLine]| {
        let mut t = Table::new(caption, &[column, "笔数", "金额（元）"]);
        for l in lines {
            t.rows.push(vec![
                text(&l.name),
                super::views::num(l.grants),
                money(l.amount),
            ]);
        }
        t
    };
    page(
        &staff,
        "/console/welfare/programmes",
        "console/list.html",
        context! {
            title => format!("{year}年公益金使用报告"),
            path => "/console/welfare/report",
            filters => vec![Filter::text("year", "年度", Some(&year_text))],
            facts => vec![fact("已拨付合计", r.total_paid)],
            tables => vec![programmes, sums("按类别", "类别", &r.by_category), sums("按镇（街道）", "镇（街道）", &r.by_town)],
            exports => vec![
                ("JSON", format!("/api/v1/welfare/report?year={year}")),
                ("公益金使用公告（公开）", format!("/welfare/disclosure?year={year}")),
            ],
        },
    )
}

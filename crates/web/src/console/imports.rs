//! Uploading a register or a report (CSV or XLSX) from the console: the same all-or-nothing
//! imports as the API, each under its own access rule; a refused file shows every row error
//! and imports nothing.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use fucai_app::{Access, AppError, ImportKind, Role, MAX_IMPORT_BYTES};
use minijinja::context;

use super::render::{page, Failure, PageResult};
use super::staff::{redirect_with, StaffUpload};
use super::views::{num, text, Table};
use super::Staff;
use crate::AppState;

/// Who may import something (each import checks its own rule too).
pub(crate) const IMPORTERS: &[Role] =
    &[Role::Admin, Role::Operations, Role::Finance, Role::Welfare];

const KINDS: &[(&str, &str, ImportKind)] = &[
    ("stations", "投注站", ImportKind::Stations),
    ("towns", "镇（街道）", ImportKind::Towns),
    ("centers", "福彩中心", ImportKind::Centers),
    ("station-people", "站点人员", ImportKind::StationPeople),
    (
        "daily-sales",
        "电脑票日销售（上游系统）",
        ImportKind::DailySales,
    ),
    ("halls", "中福在线销售厅", ImportKind::Halls),
    (
        "hall-days",
        "中福在线日结（上游系统）",
        ImportKind::HallDays,
    ),
    ("beneficiaries", "受助对象", ImportKind::Beneficiaries),
];

fn import_page(
    staff: &Staff,
    error: Option<String>,
    rows: Option<Table>,
    status: StatusCode,
) -> PageResult {
    let kinds: Vec<(&str, &str)> = KINDS.iter().map(|(v, l, _)| (*v, *l)).collect();
    let mut response = page(
        staff,
        "/console/registers",
        "console/import.html",
        context! {
            title => "数据导入",
            kinds,
            error,
            tables => rows.into_iter().collect::<Vec<_>>(),
        },
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub(crate) async fn form(staff: Staff) -> PageResult {
    staff.require(Access::Roles(IMPORTERS))?;
    import_page(&staff, None, None, StatusCode::OK)
}

pub(crate) async fn upload(State(state): State<Arc<AppState>>, form: StaffUpload) -> PageResult {
    let StaffUpload { staff, raw, files } = form;
    staff.require(Access::Roles(IMPORTERS))?;
    let bad = |e: &str| Failure::from(AppError::invalid("file", e)).for_staff(&staff);
    let kind = raw.get("kind").map(String::as_str).unwrap_or_default();
    let Some((_, label, kind)) = KINDS.iter().find(|(v, _, _)| *v == kind) else {
        return Err(bad("choose what the file holds"));
    };
    let Some(file) = files.get("file") else {
        return Err(bad("choose a CSV or XLSX file"));
    };
    let report = match state.app.import_file(&staff.who, *kind, &file.bytes).await {
        Ok(r) => r,
        Err(AppError::Invalid { message, .. }) => {
            return import_page(&staff, Some(message), None, StatusCode::BAD_REQUEST)
        }
        Err(e) => return Err(Failure::from(e).for_staff(&staff)),
    };
    if report.errors.is_empty() {
        return Ok(redirect_with(
            "/console/imports",
            &format!("{label}：已导入 {} 行。", report.imported),
        ));
    }
    let mut rows = Table::new("有问题的行（整个文件均未导入）", &["行", "列", "问题"]);
    for e in &report.errors {
        rows.rows
            .push(vec![num(e.row), text(&e.column), text(&e.message)]);
    }
    import_page(
        &staff,
        Some(format!(
            "{} 行有问题，整个文件均未导入。请改正后重新上传。",
            report.errors.len()
        )),
        Some(rows),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// Uploads larger than an import may be are refused before they are read whole.
pub(crate) const MAX_UPLOAD_BYTES: usize = MAX_IMPORT_BYTES + 64 * 1024;

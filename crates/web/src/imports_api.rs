//! The file uploads that import a register or a report all-or-nothing: one handler shape,
//! declared once per route so that each keeps its own OpenAPI entry. (Users have their own
//! handler in `directory_api`: the answer holds first passwords.)

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use fucai_app::ImportKind;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::Upload;
use crate::wire::ImportReportJson;
use crate::AppState;

/// An import answers 200 when it imported the file, 422 (nothing imported) with row errors.
pub(crate) fn import_status(errors: &[fucai_app::RowError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

async fn import_upload(
    state: &AppState,
    caller: &Caller,
    kind: ImportKind,
    body: &[u8],
) -> ApiResult<(StatusCode, Json<ImportReportJson>)> {
    let report = state
        .app
        .import_file(caller.principal()?, kind, body)
        .await?;
    Ok((import_status(&report.errors), Json(report.into())))
}

/// Declares the upload handler of one import with its OpenAPI entry.
macro_rules! import_route {
    ($(#[doc = $doc:literal])* $name:ident, $path:literal, $tag:literal, $kind:expr) => {
        $(#[doc = $doc])*
        #[utoipa::path(post, path = $path, tag = $tag,
            request_body(content = Vec<u8>, content_type = "text/csv", description = "CSV or XLSX"),
            responses((status = 200, description = "imported", body = ImportReportJson),
                (status = 422, description = "row errors; nothing imported", body = ImportReportJson)),
            security(("session" = [])))]
        pub async fn $name(
            State(state): State<Arc<AppState>>,
            Extension(caller): Extension<Caller>,
            Upload(body): Upload,
        ) -> ApiResult<(StatusCode, Json<ImportReportJson>)> {
            import_upload(&state, &caller, $kind, &body).await
        }
    };
}

import_route!(
    /// Import centers (code, name, level, parent); all rows or none.
    import_centers, "/api/v1/centers/import", "registers", ImportKind::Centers
);
import_route!(
    /// Import towns and streets (code, name, center); all rows or none.
    import_towns, "/api/v1/towns/import", "registers", ImportKind::Towns
);
import_route!(
    /// Import stations; all rows or none.
    import_stations, "/api/v1/stations/import", "registers", ImportKind::Stations
);
import_route!(
    /// Import the upstream system's daily sales report (date, station, game, amount, bets).
    import_daily_sales, "/api/v1/daily-sales/import", "registers", ImportKind::DailySales
);
import_route!(
    /// Import the 中福在线 hall register (code, name, station, address, terminals,
    /// opening_hours, status, opening_card_balance); added or updated by code, all rows or none.
    import_halls, "/api/v1/halls/import", "channels", ImportKind::Halls
);
import_route!(
    /// Import the upstream video-lottery system's daily closes (date, hall, wagered, prizes,
    /// top_ups, cash_outs, card_balance, terminals_online; amounts in 元): each checked
    /// (充值 − 兑付 = 投注额 − 中奖额 + the change in card balances), in date order per hall, a
    /// hall-day once; all rows or none.
    import_hall_days, "/api/v1/hall-days/import", "channels", ImportKind::HallDays
);
import_route!(
    /// Import station people (station, role, name, phone, id_number, from_on; to_on and
    /// certificates optional); all rows or none.
    import_station_people, "/api/v1/station-people/import", "network", ImportKind::StationPeople
);
import_route!(
    /// Import beneficiaries (kind, name, id_number, town, household, tags, contact); all
    /// rows or none.
    import_beneficiaries, "/api/v1/welfare/beneficiaries/import", "welfare", ImportKind::Beneficiaries
);

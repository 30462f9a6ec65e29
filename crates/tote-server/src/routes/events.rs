//! The event feed, in commit order.

use super::{AppState, ListPage, answer, page_limit};
use crate::extract::ApiQuery;
use crate::problem::{ApiError, ApiResult, Problem};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tote_core::{Event, OrgId};

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventQuery {
    /// Events after this cursor (`next_cursor` of the previous page); from the start when absent.
    pub after: Option<String>,
    pub limit: Option<usize>,
}

/// Page through every state change in the order it was committed.
#[utoipa::path(get, path = "/v1/events", tag = "events", params(EventQuery),
    responses((status = 200, body = ListPage<Event>), (status = 422, body = Problem)))]
pub async fn list(
    State(s): State<AppState>,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> ApiResult<Response> {
    let after = match q.after.as_deref() {
        None => 0,
        Some(a) => a
            .parse::<u64>()
            .map_err(|_| ApiError::field("after", "is not a cursor this feed gave out"))?,
    };
    let limit = page_limit(q.limit)?;
    let page = s
        .read(move |r| r.events(OrgId::DEFAULT, after, limit))
        .await?;
    // The feed never ends: the cursor is always given, so a client can poll with it.
    let next_cursor = Some(page.last_seq.unwrap_or(after).to_string());
    Ok(answer(
        StatusCode::OK,
        &ListPage {
            items: page.items,
            next_cursor,
        },
        false,
    ))
}

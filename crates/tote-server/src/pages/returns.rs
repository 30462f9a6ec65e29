//! The customer's returns page: the order number (the channel's or tote's)
//! and the email on the order find the order; the customer picks units and
//! reasons and a method; the answer is the RMA with its label link and the
//! QR code to show at a drop-off point. Plain forms posting back to `/returns`;
//! the RMA is created by the same writer command as `POST /v1/returns`.

use super::{FormFields, STYLE, page, problem_box};
use crate::problem::{ApiError, ApiResult};
use crate::routes::AppState;
use crate::routes::returns::{qr_payload, qr_svg};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use tote_core::order::parse_order_id;
use tote_core::{Order, OrderStatus, OrgId, Qty};
use tote_oms::returns::{
    Method, ReturnReason, ReturnsCommand, ReturnsOutcome, Rma, RmaInput, RmaLineInput,
};
use tote_oms::{Command, Outcome};
use tote_store::OrderFilter;

/// Radio buttons sit before their words.
const CHOICE_STYLE: &str =
    "label.choice{flex-direction:row;align-items:center;gap:.5rem;margin:.3rem 0}";

fn frame(body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Return an item - tote" }
                style { (PreEscaped(STYLE)) (PreEscaped(CHOICE_STYLE)) }
            }
            body {
                header { a href="/returns" aria-current="page" { "Returns" } }
                main { h1 { "Return an item" } (body) }
            }
        }
    }
}

fn find_form(order: &str, email: &str) -> Markup {
    html! {
        form method="post" action="/returns" {
            input type="hidden" name="step" value="find";
            div.fields {
                label for="order" { "Order number" input id="order" name="order" value=(order) required; }
                label for="email" { "Email on the order" input id="email" name="email" type="email" value=(email) required; }
            }
            button type="submit" { "Find my order" }
        }
    }
}

fn reason_label(r: ReturnReason) -> &'static str {
    match r {
        ReturnReason::WrongSize => "Wrong size",
        ReturnReason::Damaged => "Arrived damaged",
        ReturnReason::Defective => "Does not work",
        ReturnReason::NotAsDescribed => "Not as described",
        ReturnReason::WrongItemSent => "Wrong item sent",
        ReturnReason::ChangedMind => "Changed my mind",
        ReturnReason::ArrivedLate => "Arrived late",
    }
}

fn method_label(m: Method) -> &'static str {
    match m {
        Method::CarrierLabel => "Print a prepaid label",
        Method::DropOff => "Drop off with a QR code",
        Method::InStore => "Bring it to a store",
    }
}

fn pick_form(order: &Order, email: &str) -> Markup {
    html! {
        p { "Order " strong { (order.external_id) } " (" (order.id) "). Choose the units to send back and why." }
        form method="post" action="/returns" {
            input type="hidden" name="step" value="create";
            input type="hidden" name="order" value=(order.id);
            input type="hidden" name="email" value=(email);
            table {
                thead { tr { th { "Item" } th { "Shipped" } th { "Return" } th { "Reason" } } }
                tbody {
                    @for (i, l) in order.lines.iter().enumerate() {
                        tr {
                            td { (l.sku) input type="hidden" name=(format!("sku_{i}")) value=(l.sku); }
                            td { (l.allocated().0) }
                            td { input name=(format!("qty_{i}")) type="number" min="0" max=(l.allocated().0) value="0" aria-label=(format!("units of {} to return", l.sku)); }
                            td {
                                select name=(format!("reason_{i}")) aria-label=(format!("reason for {}", l.sku)) {
                                    @for r in ReturnReason::ALL {
                                        option value=(r.as_str()) { (reason_label(*r)) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            fieldset {
                legend { "How will you send it?" }
                @for (k, m) in Method::ALL.iter().enumerate() {
                    label.choice { input type="radio" name="method" value=(m.as_str()) checked[k == 0]; (method_label(*m)) }
                }
            }
            button type="submit" { "Ask for the return" }
        }
    }
}

fn rma_view(rma: &Rma) -> ApiResult<Markup> {
    let svg = qr_svg(&qr_payload(rma))?;
    Ok(html! {
        p role="status" { "Your return " strong data-rma=(rma.id) { (rma.id) } " is authorised." }
        table {
            thead { tr { th { "Item" } th { "Units" } th { "Reason" } } }
            tbody {
                @for l in &rma.lines {
                    tr { td { (l.sku) } td { (l.qty.0) } td { (reason_label(l.reason)) } }
                }
            }
        }
        @if let Some(t) = &rma.tracking {
            p { "Tracking number " code data-tracking=(t) { (t) } ". "
                a href=(format!("/v1/returns/{}/label.pdf", rma.id)) { "Print the label (PDF)" } }
        }
        @if let Some(x) = &rma.exchange_order {
            p { "Your replacement is order " strong { (x) } "." }
        }
        figure {
            (PreEscaped(svg))
            figcaption { "Show this code at the drop-off point or the store." }
        }
    })
}

pub async fn get_page() -> Response {
    page(StatusCode::OK, frame(find_form("", "")))
}

/// A shipped or delivered order by its number and email; `None` when none matches both
/// (one answer for both cases, so the page reveals no order to a stranger).
async fn order_for(s: &AppState, number: &str, email: &str) -> ApiResult<Option<Order>> {
    let number = number.to_owned();
    let order = if let Some(id) = parse_order_id(&number) {
        s.read(move |r| r.order(OrgId::DEFAULT, id)).await?
    } else {
        let filter = OrderFilter {
            status: None,
            channel: None,
            external_id: Some(number),
            before_id: None,
            limit: 10,
        };
        let page = s.read(move |r| r.orders(OrgId::DEFAULT, &filter)).await?;
        page.items.into_iter().find(|o| {
            o.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        })
    };
    Ok(order.filter(|o| {
        matches!(o.status, OrderStatus::Shipped | OrderStatus::Delivered)
            && o.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
    }))
}

fn status_of(e: &ApiError) -> StatusCode {
    StatusCode::from_u16(e.problem().status).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY)
}

fn failed(status: StatusCode, form: Markup, e: &ApiError) -> Response {
    page(status, frame(html! { (problem_box(e)) (form) }))
}

pub async fn post_page(State(s): State<AppState>, form: ApiResult<FormFields>) -> Response {
    let f = match form {
        Ok(f) => f,
        Err(e) => return failed(status_of(&e), find_form("", ""), &e),
    };
    let number = f.get("order").unwrap_or("").to_owned();
    let email = f.get("email").unwrap_or("").to_owned();
    if number.is_empty() || email.is_empty() {
        let e = ApiError::field(
            if number.is_empty() { "order" } else { "email" },
            "must not be empty",
        );
        return failed(
            StatusCode::UNPROCESSABLE_ENTITY,
            find_form(&number, &email),
            &e,
        );
    }
    let order = match order_for(&s, &number, &email).await {
        Ok(Some(o)) => o,
        Ok(None) => {
            let e = ApiError::not_found("no shipped order has this number and email");
            return failed(StatusCode::NOT_FOUND, find_form(&number, &email), &e);
        }
        Err(e) => return failed(status_of(&e), find_form(&number, &email), &e),
    };
    if f.get("step") != Some("create") {
        return page(StatusCode::OK, frame(pick_form(&order, &email)));
    }
    match create(&s, &order, &email, &f).await {
        Ok(rma) => match rma_view(&rma) {
            Ok(view) => page(StatusCode::CREATED, frame(view)),
            Err(e) => failed(status_of(&e), pick_form(&order, &email), &e),
        },
        Err(e) => failed(status_of(&e), pick_form(&order, &email), &e),
    }
}

async fn create(s: &AppState, order: &Order, email: &str, f: &FormFields) -> ApiResult<Rma> {
    let mut lines = Vec::new();
    for i in 0..order.lines.len() {
        let qty = match f.get(&format!("qty_{i}")) {
            None => 0,
            Some(t) => t
                .parse::<i64>()
                .map_err(|_| ApiError::field(&format!("qty_{i}"), "must be a whole number"))?,
        };
        if qty == 0 {
            continue;
        }
        let reason = f.get(&format!("reason_{i}")).unwrap_or("");
        let reason = ReturnReason::parse(reason).ok_or_else(|| {
            ApiError::field(
                &format!("reason_{i}"),
                format!("must be one of {}", ReturnReason::names()),
            )
        })?;
        let sku = f.get(&format!("sku_{i}")).unwrap_or(&order.lines[i].sku);
        lines.push(RmaLineInput {
            sku: sku.to_owned(),
            qty: Qty(qty),
            reason,
            exchange_for: None,
        });
    }
    if lines.is_empty() {
        return Err(ApiError::field(
            "lines",
            "choose at least one unit to return",
        ));
    }
    let method = f.get("method").unwrap_or("");
    let method = Method::parse(method)
        .ok_or_else(|| ApiError::field("method", format!("must be one of {}", Method::names())))?;
    let input = RmaInput {
        order: order.id.clone(),
        email: Some(email.to_owned()),
        method,
        lines,
        node: None,
    };
    let a = s
        .submit(
            Command::Returns(ReturnsCommand::Create(input)),
            None,
            [0u8; 32],
        )
        .await?;
    match a.outcome {
        Outcome::Returns(ReturnsOutcome::Rma(r)) => Ok(*r),
        other => Err(ApiError::internal(format!("unexpected outcome {other:?}"))),
    }
}

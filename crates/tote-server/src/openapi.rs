//! The OpenAPI 3.1 document, generated from the handlers and types.

use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "tote",
        description = "Order management, inventory and fulfilment. Errors are RFC 9457 problem+json; \
                       money is a decimal string; quantities are whole units; unknown fields are refused.",
        license(name = "Apache-2.0")
    ),
    components(schemas(crate::problem::Problem, crate::problem::ProblemField)),
    tags(
        (name = "catalog", description = "SKUs"),
        (name = "network", description = "Nodes and locations"),
        (name = "inventory", description = "Receipts, adjustments, balances"),
        (name = "orders", description = "Order intake, reservation, cancellation"),
        (name = "events", description = "Every state change, in commit order"),
        (name = "transport", description = "Rates, rate shopping, labels, manifests, customs estimates (stateless)"),
        (name = "planning", description = "Forecasts, inventory policy, labor plans, peak simulation (stateless)"),
        (name = "warehouse", description = "Receiving, put-away, waves, picking, packing, shipping, counts"),
        (name = "returns", description = "RMAs, return labels, receipt and inspection, dispositions, refunds, return analytics"),
        (name = "metrics", description = "KPIs with targets and trends, exceptions, scorecards")
    )
)]
pub struct ApiDoc;

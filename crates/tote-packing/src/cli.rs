//! String-level entry points for the `tote` binary: the inputs are the contents
//! of the files the user named, the output the text to print. Every error's
//! Display is the whole message, naming the file and row or field at fault.

use std::collections::HashSet;

use crate::cartonize::{Objective, fits_some_carton, plan_order, to_result};
use crate::check::violations;
use crate::cost::RateTable;
use crate::model::{
    CARTON_TYPES_MAX, Carton, ItemLine, ORDER_UNITS_MAX, OWN_CONTAINER_ID, PackResult, SIDE_MM_MAX,
    Unit, units_of,
};
use crate::study::{StudyOrder, StudyReport, study};

/// Items an error names one by one before it says how many more there are.
pub const UNPACKED_NAMED_MAX: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{file}: not valid JSON for this file: {message}")]
    Json { file: &'static str, message: String },
    #[error("{file} row {row}, `{field}`: {problem}")]
    Field {
        file: &'static str,
        row: usize,
        field: &'static str,
        problem: String,
    },
    #[error("{file}: {problem}")]
    File { file: &'static str, problem: String },
    #[error("items fit no carton: {}", .items.join(", "))]
    FitsNoCarton { items: Vec<String> },
    #[error("RATES.json prices no parcel that could carry: {}", .items.join(", "))]
    NoParcelRate { items: Vec<String> },
    #[error("the packing result is invalid:\n{}", .violations.join("\n"))]
    Invalid { violations: Vec<String> },
    #[error("--k {k}: {problem}")]
    K { k: usize, problem: String },
}

fn parse<T: serde::de::DeserializeOwned>(file: &'static str, text: &str) -> Result<T, InputError> {
    serde_json::from_str(text).map_err(|e| InputError::Json {
        file,
        message: e.to_string(),
    })
}

/// What is wrong with a box's sides, if anything: none may be zero or longer
/// than `SIDE_MM_MAX`.
fn dims_problem(dims_mm: [u32; 3]) -> Option<String> {
    if dims_mm.contains(&0) {
        Some(format!("{dims_mm:?} has a zero side"))
    } else if dims_mm.iter().any(|&d| d > SIDE_MM_MAX) {
        Some(format!("{dims_mm:?} has a side over {SIDE_MM_MAX} mm"))
    } else {
        None
    }
}

/// Reads and checks CARTONS.json (or CANDIDATES.json / CURRENT.json).
pub fn parse_cartons(file: &'static str, text: &str) -> Result<Vec<Carton>, InputError> {
    let cartons: Vec<Carton> = parse(file, text)?;
    if cartons.is_empty() {
        return Err(InputError::File {
            file,
            problem: "lists no cartons".into(),
        });
    }
    if cartons.len() > CARTON_TYPES_MAX {
        return Err(InputError::File {
            file,
            problem: format!("{} cartons, at most {CARTON_TYPES_MAX}", cartons.len()),
        });
    }
    let mut ids = HashSet::new();
    for (row, c) in cartons.iter().enumerate() {
        let field = |field, problem: String| InputError::Field {
            file,
            row,
            field,
            problem,
        };
        if c.id.0.is_empty() || c.id.0 == OWN_CONTAINER_ID {
            return Err(field("id", format!("{:?} is reserved or empty", c.id.0)));
        }
        if !ids.insert(&c.id) {
            return Err(field("id", format!("{} appears twice", c.id.0)));
        }
        if let Some(problem) = dims_problem(c.inner_mm) {
            return Err(field("inner_mm", problem));
        }
        if let Some(problem) = dims_problem(c.outer_mm) {
            return Err(field("outer_mm", problem));
        }
        if c.max_weight_g <= c.empty_weight_g {
            return Err(field(
                "max_weight_g",
                format!(
                    "{} g leaves no room over the empty {} g",
                    c.max_weight_g, c.empty_weight_g
                ),
            ));
        }
        if c.cost.is_sign_negative() {
            return Err(field("cost", format!("{} is negative", c.cost)));
        }
    }
    Ok(cartons)
}

/// Reads and checks an ITEMS.json list of lines.
pub fn parse_items(file: &'static str, text: &str) -> Result<Vec<ItemLine>, InputError> {
    let lines: Vec<ItemLine> = parse(file, text)?;
    check_items(file, &lines, None)?;
    Ok(lines)
}

fn check_items(
    file: &'static str,
    lines: &[ItemLine],
    order: Option<usize>,
) -> Result<(), InputError> {
    let mut units = 0u64;
    for (i, l) in lines.iter().enumerate() {
        // In ORDERS.json rows count orders; the line is named in the problem.
        let (row, at) = match order {
            Some(o) => (o, format!("items[{i}] ({}): ", l.sku.0)),
            None => (i, String::new()),
        };
        let field = |field, problem: String| InputError::Field {
            file,
            row,
            field,
            problem: format!("{at}{problem}"),
        };
        if l.sku.0.is_empty() {
            return Err(field("sku", "is empty".into()));
        }
        if let Some(problem) = dims_problem(l.dims_mm) {
            return Err(field("dims_mm", problem));
        }
        if l.qty == 0 {
            return Err(field("qty", "must be at least 1".into()));
        }
        units += u64::from(l.qty);
    }
    if units > ORDER_UNITS_MAX as u64 {
        return Err(InputError::File {
            file,
            problem: format!("{units} units in one order, at most {ORDER_UNITS_MAX}"),
        });
    }
    Ok(())
}

/// Reads and checks RATES.json.
pub fn parse_rates(text: &str) -> Result<RateTable, InputError> {
    let file = "RATES.json";
    let table: RateTable = parse(file, text)?;
    let problems = table.problems();
    if !problems.is_empty() {
        return Err(InputError::File {
            file,
            problem: problems.join("; "),
        });
    }
    Ok(table)
}

/// Names the units, once per distinct item, at most `UNPACKED_NAMED_MAX`.
fn describe(lines: &[ItemLine], units: &[Unit], which: &[usize]) -> Vec<String> {
    let mut items: Vec<String> = Vec::new();
    for &i in which {
        let l = &lines[units[i].line];
        let [a, b, c] = l.dims_mm;
        let flat = if l.keep_flat { ", keep flat" } else { "" };
        let item = format!("{} ({a}x{b}x{c} mm, {} g{flat})", l.sku.0, l.weight_g);
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.len() > UNPACKED_NAMED_MAX {
        let more = items.len() - UNPACKED_NAMED_MAX;
        items.truncate(UNPACKED_NAMED_MAX);
        items.push(format!("and {more} more"));
    }
    items
}

/// `tote pack --cartons C --items I [--rates R] [--allow-unpacked]`: returns the JSON text of the packing result, exactly the shape in the issue.
pub fn pack(
    cartons_json: &str,
    items_json: &str,
    rates_json: Option<&str>,
    allow_unpacked: bool,
) -> Result<String, InputError> {
    let cartons = parse_cartons("CARTONS.json", cartons_json)?;
    let lines = parse_items("ITEMS.json", items_json)?;
    let rates = rates_json.map(parse_rates).transpose()?;
    let objective = match &rates {
        Some(r) => Objective::LeastCost(r),
        None => Objective::FewestCartons,
    };
    let units = units_of(&lines);
    let plan = plan_order(&cartons, &units, &objective);
    if !plan.unpacked.is_empty() && !allow_unpacked {
        let (unfit, unpriced): (Vec<usize>, Vec<usize>) = plan
            .unpacked
            .iter()
            .partition(|&&i| !fits_some_carton(&cartons, &units[i]));
        if !unfit.is_empty() {
            return Err(InputError::FitsNoCarton {
                items: describe(&lines, &units, &unfit),
            });
        }
        return Err(InputError::NoParcelRate {
            items: describe(&lines, &units, &unpriced),
        });
    }
    let result = to_result(&cartons, &lines, &units, &plan, objective.dim_rule());
    let bad = violations(&result, &cartons, &lines);
    assert!(
        bad.is_empty(),
        "the packer produced an invalid result: {bad:?}"
    );
    Ok(serde_json::to_string(&result).expect("a packing result always serializes") + "\n")
}

/// `tote pack --check RESULT.json --cartons C --items I`: validates a result; Ok(text report) when valid, Err naming every violation otherwise.
pub fn check(
    result_json: &str,
    cartons_json: &str,
    items_json: &str,
) -> Result<String, InputError> {
    let cartons = parse_cartons("CARTONS.json", cartons_json)?;
    let lines = parse_items("ITEMS.json", items_json)?;
    let result: PackResult = parse("RESULT.json", result_json)?;
    let bad = violations(&result, &cartons, &lines);
    if !bad.is_empty() {
        return Err(InputError::Invalid { violations: bad });
    }
    let units: usize = result.cartons.iter().map(|c| c.items.len()).sum();
    Ok(format!(
        "valid: {} cartons, {units} units packed, {} unpacked; no overlap, all inside, weights within limits\n",
        result.cartons.len(),
        result.unpacked.len()
    ))
}

/// `tote study cartons --orders O --candidates C --k K [--current CURRENT.json] [--rates R]`: returns the JSON report.
pub fn study_cartons(
    orders_json: &str,
    candidates_json: &str,
    k: usize,
    current_json: Option<&str>,
    rates_json: Option<&str>,
) -> Result<String, InputError> {
    let candidates = parse_cartons("CANDIDATES.json", candidates_json)?;
    let orders: Vec<StudyOrder> = parse("ORDERS.json", orders_json)?;
    for (row, o) in orders.iter().enumerate() {
        check_items("ORDERS.json", &o.items, Some(row))?;
    }
    if k == 0 || k > candidates.len() {
        return Err(InputError::K {
            k,
            problem: format!("choose between 1 and the {} candidates", candidates.len()),
        });
    }
    let (rates, rates_note) = match rates_json {
        Some(text) => (parse_rates(text)?, "RATES.json"),
        None => (
            RateTable::illustrative(),
            "built-in illustrative table; pass --rates for real prices",
        ),
    };
    let current = match current_json {
        None => None,
        // CURRENT.json is either a list of candidate ids or a list of cartons.
        Some(text) => Some(match serde_json::from_str::<Vec<String>>(text) {
            Ok(ids) => ids
                .iter()
                .enumerate()
                .map(|(row, id)| {
                    candidates
                        .iter()
                        .find(|c| &c.id.0 == id)
                        .cloned()
                        .ok_or_else(|| InputError::Field {
                            file: "CURRENT.json",
                            row,
                            field: "id",
                            problem: format!("{id} is not among the candidates"),
                        })
                })
                .collect::<Result<Vec<Carton>, InputError>>()?,
            Err(_) => parse_cartons("CURRENT.json", text)?,
        }),
    };
    let report: StudyReport = study(
        &orders,
        &candidates,
        k,
        current.as_deref(),
        &rates,
        rates_note,
    );
    Ok(serde_json::to_string_pretty(&report).expect("a study report always serializes") + "\n")
}

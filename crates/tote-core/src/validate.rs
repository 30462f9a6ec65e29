//! Field-level validation: every bad input names the field and the problem.

use crate::limits::{CODE_LEN_MAX, LINE_QTY_MAX, MONEY_MAX, TEXT_LEN_MAX};
use crate::qty::{Money, Qty};
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt;

/// One problem with one field, `field` as a JSON path such as `lines[2].qty`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub problem: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// An input was refused; nothing was changed. Carries every problem found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, problem: impl Into<String>) -> Invalid {
        Invalid(vec![FieldError::new(field, problem)])
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.problem)?;
        }
        Ok(())
    }
}

/// A field's name, spelled out only when there is a problem to report: valid
/// input (the common case, on the writer's hot path) allocates nothing.
pub trait Field {
    fn name(&self) -> String;
}

impl Field for &str {
    fn name(&self) -> String {
        (*self).to_owned()
    }
}

impl Field for &String {
    fn name(&self) -> String {
        (*self).clone()
    }
}

/// `("ship_to", "city")` names `ship_to.city`.
impl Field for (&str, &str) {
    fn name(&self) -> String {
        format!("{}.{}", self.0, self.1)
    }
}

/// `("lines", 2, "qty")` names `lines[2].qty`.
impl Field for (&str, usize, &str) {
    fn name(&self) -> String {
        format!("{}[{}].{}", self.0, self.1, self.2)
    }
}

/// Gathers the problems of one input, so a caller sees all of them at once.
#[derive(Default)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Checker {
        Checker::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, problem: impl Into<String>) {
        self.errors.push(FieldError::new(field, problem));
    }

    /// A code: 1..=64 printable ASCII characters without spaces.
    pub fn code(&mut self, field: impl Field, value: &str) {
        if let Err(problem) = check_code(value) {
            self.fail(field.name(), problem);
        }
    }

    /// Free text: 1..=256 characters, no control characters.
    pub fn text(&mut self, field: impl Field, value: &str) {
        if value.trim().is_empty() {
            self.fail(field.name(), "must not be empty");
        } else if value.chars().count() > TEXT_LEN_MAX {
            self.fail(
                field.name(),
                format!("longer than {TEXT_LEN_MAX} characters"),
            );
        } else if value.chars().any(char::is_control) {
            self.fail(field.name(), "contains control characters");
        }
    }

    pub fn optional_text(&mut self, field: impl Field, value: Option<&str>) {
        if let Some(v) = value {
            self.text(field, v);
        }
    }

    /// A line quantity: a whole number of units, at least 1.
    pub fn line_qty(&mut self, field: impl Field, qty: Qty) {
        if qty.0 <= 0 {
            self.fail(field.name(), format!("must be at least 1, got {}", qty.0));
        } else if qty.0 > LINE_QTY_MAX {
            self.fail(
                field.name(),
                format!("must be at most {LINE_QTY_MAX}, got {}", qty.0),
            );
        }
    }

    /// A money amount: not negative, at most two decimal places past what currencies use.
    pub fn money(&mut self, field: impl Field, money: Money) {
        if money.0.is_sign_negative() {
            self.fail(field.name(), "must not be negative");
        } else if money.0 > Decimal::from(MONEY_MAX) {
            self.fail(field.name(), format!("must be at most {MONEY_MAX}"));
        } else if money.0.scale() > 4 {
            self.fail(field.name(), "has more than 4 decimal places");
        }
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

pub fn check_code(value: &str) -> Result<(), String> {
    if value.is_empty() {
        Err("must not be empty".into())
    } else if value.len() > CODE_LEN_MAX {
        Err(format!("longer than {CODE_LEN_MAX} characters"))
    } else if !value.bytes().all(|b| b.is_ascii_graphic()) {
        Err("may hold only printable ASCII characters without spaces".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_reports_every_problem_with_its_field() {
        let mut c = Checker::new();
        c.code("sku", "");
        c.line_qty("lines[0].qty", Qty(0));
        c.text("name", "ok");
        let err = c.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "sku: must not be empty; lines[0].qty: must be at least 1, got 0"
        );
    }

    #[test]
    fn codes_refuse_spaces_and_non_ascii() {
        assert!(check_code("TEE-M").is_ok());
        assert!(check_code("TEE M").is_err());
        assert!(check_code("TÉE").is_err());
        assert!(check_code(&"x".repeat(65)).is_err());
    }
}

//! Customs: declaration data per shipment and estimated duties and import
//! VAT/GST from a dated rules table per destination country.
//!
//! Thresholds compare the goods' value (without shipping) converted to the
//! destination's currency: at or below `duty_free_max` no duty is due; at
//! or below `vat_at_sale_max` the seller collects VAT at sale (the EU's
//! EUR 150 import scheme, the UK's GBP 135 rule) so none is due at import;
//! at or below `vat_free_max` no import VAT is due. Duty is a percent of the
//! goods (plus shipping where the country values CIF), per line by the
//! longest matching HS prefix; VAT is a percent of goods, shipping where
//! included, and duty. Under DAP the recipient pays at delivery, under DDP
//! the shipper.

use crate::error::InputError;
use crate::import::{Table, rows};
use crate::money::{Currency, Money, to_cents};
use crate::place::Country;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Incoterm {
    /// Delivered at place: the recipient pays duties and taxes.
    #[serde(rename = "DAP")]
    Dap,
    /// Delivered duty paid: the shipper pays them.
    #[serde(rename = "DDP")]
    Ddp,
}

/// One line of a declaration: what, where made, how many, what worth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustomsItem {
    pub description: String,
    pub hs_code: String,
    pub origin: Country,
    pub quantity: u32,
    pub unit_value: Decimal,
    #[serde(default)]
    pub sku: Option<String>,
}

/// The customs data of one shipment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Declaration {
    pub destination: Country,
    /// The import date that selects the rules.
    pub date: NaiveDate,
    pub currency: Currency,
    pub items: Vec<CustomsItem>,
    /// The shipping charge, in `currency`.
    #[serde(default)]
    pub shipping: Decimal,
    pub incoterm: Incoterm,
}

impl Declaration {
    pub fn goods_value(&self) -> Decimal {
        self.items
            .iter()
            .map(|i| i.unit_value * Decimal::from(i.quantity))
            .sum()
    }
}

#[derive(Clone, Debug)]
pub struct CountryRule {
    pub country: Country,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
    pub currency: Currency,
    pub vat_percent: Decimal,
    pub duty_percent_default: Decimal,
    pub duty_free_max: Decimal,
    pub vat_free_max: Decimal,
    pub vat_at_sale_max: Option<Decimal>,
    pub duty_on_shipping: bool,
    pub vat_on_shipping: bool,
}

#[derive(Clone, Debug)]
pub struct DutyRate {
    pub country: Country,
    pub hs_prefix: String,
    pub duty_percent: Decimal,
    pub starts: NaiveDate,
    pub ends: Option<NaiveDate>,
}

fn in_force(starts: NaiveDate, ends: Option<NaiveDate>, day: NaiveDate) -> bool {
    starts <= day && ends.is_none_or(|e| day <= e)
}

#[derive(Clone, Debug, Default)]
pub struct CustomsRules {
    pub countries: Vec<CountryRule>,
    pub duty_rates: Vec<DutyRate>,
}

/// Exchange rates: units of `to` per unit of `from`, as of the declaration.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FxRates(pub Vec<(Currency, Currency, Decimal)>);

impl FxRates {
    pub fn convert(&self, amount: Decimal, from: Currency, to: Currency) -> Option<Decimal> {
        if from == to {
            return Some(amount);
        }
        self.0.iter().find_map(|&(f, t, r)| {
            if f == from && t == to {
                Some(amount * r)
            } else if f == to && t == from && !r.is_zero() {
                Some(amount / r)
            } else {
                None
            }
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CustomsError {
    #[error("no import rules for {country} on {date}")]
    NoRule { country: Country, date: NaiveDate },
    #[error("no exchange rate from {from} to {to}")]
    NoRate { from: Currency, to: Currency },
    #[error("a declaration needs at least one item")]
    NoItems,
}

/// How the import is taxed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scheme {
    /// Neither duty nor import VAT: under both thresholds.
    DeMinimis,
    /// No duty; VAT charged by the seller at sale, not at import.
    VatAtSale,
    /// Import VAT due, duty only above the duty threshold.
    Import,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    Recipient,
    Shipper,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineDuty {
    pub hs_code: String,
    pub value: Decimal,
    pub duty_percent: Decimal,
    pub duty: Decimal,
}

/// Estimated duties and taxes, in the destination's currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Estimate {
    pub currency: Currency,
    pub goods_value: Decimal,
    pub shipping: Decimal,
    pub scheme: Scheme,
    pub lines: Vec<LineDuty>,
    pub duty: Decimal,
    pub vat_percent: Decimal,
    /// VAT due at import (zero under `VatAtSale`, which the seller collects).
    pub vat: Decimal,
    /// VAT the seller collects at sale under `VatAtSale`.
    pub vat_at_sale: Decimal,
    pub total_at_import: Money,
    pub payer: Payer,
}

impl CustomsRules {
    pub fn country(&self, country: Country, day: NaiveDate) -> Option<&CountryRule> {
        self.countries
            .iter()
            .find(|r| r.country == country && in_force(r.starts, r.ends, day))
    }

    /// The duty percent of an HS code: the longest prefix in force, else the country default.
    pub fn duty_percent(&self, rule: &CountryRule, hs_code: &str, day: NaiveDate) -> Decimal {
        let hs: String = hs_code.chars().filter(char::is_ascii_digit).collect();
        self.duty_rates
            .iter()
            .filter(|d| {
                d.country == rule.country
                    && in_force(d.starts, d.ends, day)
                    && hs.starts_with(&d.hs_prefix)
            })
            .max_by_key(|d| d.hs_prefix.len())
            .map_or(rule.duty_percent_default, |d| d.duty_percent)
    }

    pub fn estimate(&self, decl: &Declaration, fx: &FxRates) -> Result<Estimate, CustomsError> {
        if decl.items.is_empty() {
            return Err(CustomsError::NoItems);
        }
        let rule = self
            .country(decl.destination, decl.date)
            .ok_or(CustomsError::NoRule {
                country: decl.destination,
                date: decl.date,
            })?;
        let local = |amount: Decimal| {
            fx.convert(amount, decl.currency, rule.currency)
                .ok_or(CustomsError::NoRate {
                    from: decl.currency,
                    to: rule.currency,
                })
        };
        let goods = to_cents(local(decl.goods_value())?);
        let shipping = to_cents(local(decl.shipping)?);
        let duty_due = goods > rule.duty_free_max;
        let at_sale = rule.vat_at_sale_max.is_some_and(|max| goods <= max);
        let vat_due = goods > rule.vat_free_max && !rule.vat_percent.is_zero();
        let scheme = if at_sale {
            Scheme::VatAtSale
        } else if !duty_due && !vat_due {
            Scheme::DeMinimis
        } else {
            Scheme::Import
        };
        // Zero with two places, so every amount prints as money (`0.00`).
        let zero = Decimal::new(0, 2);
        let mut lines = Vec::with_capacity(decl.items.len());
        let mut duty = zero;
        let goods_raw = decl.goods_value();
        for item in &decl.items {
            let value = to_cents(local(item.unit_value * Decimal::from(item.quantity))?);
            // Shipping is shared out over the lines by value for CIF countries.
            let base = if rule.duty_on_shipping && !goods_raw.is_zero() {
                value + shipping * (item.unit_value * Decimal::from(item.quantity)) / goods_raw
            } else {
                value
            };
            let duty_percent = self.duty_percent(rule, &item.hs_code, decl.date);
            let line_duty = if duty_due && scheme != Scheme::VatAtSale {
                to_cents(base * duty_percent / Decimal::ONE_HUNDRED)
            } else {
                zero
            };
            duty += line_duty;
            lines.push(LineDuty {
                hs_code: item.hs_code.clone(),
                value,
                duty_percent,
                duty: line_duty,
            });
        }
        let vat_base = goods
            + if rule.vat_on_shipping {
                shipping
            } else {
                Decimal::ZERO
            }
            + duty;
        let vat_amount = to_cents(vat_base * rule.vat_percent / Decimal::ONE_HUNDRED);
        let (vat, vat_at_sale) = match scheme {
            Scheme::VatAtSale => (zero, vat_amount),
            Scheme::Import if vat_due => (vat_amount, zero),
            _ => (zero, zero),
        };
        Ok(Estimate {
            currency: rule.currency,
            goods_value: goods,
            shipping,
            scheme,
            lines,
            duty,
            vat_percent: rule.vat_percent,
            vat,
            vat_at_sale,
            total_at_import: Money::new(duty + vat, rule.currency),
            payer: match decl.incoterm {
                Incoterm::Dap => Payer::Recipient,
                Incoterm::Ddp => Payer::Shipper,
            },
        })
    }
}

/// Loads rules from the two tables (formats in `customs/*.csv` of this crate).
pub fn load_rules(countries_csv: &str, duty_rates_csv: &str) -> Result<CustomsRules, InputError> {
    let mut rules = CustomsRules::default();
    let t = Table::parse("countries.csv", countries_csv)?;
    for r in rows(&t) {
        let country = {
            let s = r.required("country")?;
            Country::parse(s)
                .ok_or_else(|| r.err("country", format!("`{s}` is not a country code")))?
        };
        let yes = |column: &str| match r.required(column)? {
            "yes" => Ok(true),
            "no" => Ok(false),
            other => Err(r.err(column, format!("`{other}` is not yes or no"))),
        };
        let rule = CountryRule {
            country,
            starts: r.parse("starts", "a date YYYY-MM-DD")?,
            ends: r.optional("ends", "a date YYYY-MM-DD")?,
            currency: {
                let s = r.required("currency")?;
                Currency::parse(s)
                    .ok_or_else(|| r.err("currency", format!("`{s}` is not a currency code")))?
            },
            vat_percent: r.decimal("vat_percent")?,
            duty_percent_default: r.decimal("duty_percent_default")?,
            duty_free_max: r.decimal("duty_free_max")?,
            vat_free_max: r.decimal("vat_free_max")?,
            vat_at_sale_max: if r.str("vat_at_sale_max")?.is_empty() {
                None
            } else {
                Some(r.decimal("vat_at_sale_max")?)
            },
            duty_on_shipping: yes("duty_on_shipping")?,
            vat_on_shipping: yes("vat_on_shipping")?,
        };
        let overlaps = rules.countries.iter().any(|o| {
            o.country == rule.country
                && o.starts <= rule.ends.unwrap_or(NaiveDate::MAX)
                && rule.starts <= o.ends.unwrap_or(NaiveDate::MAX)
        });
        if overlaps {
            return Err(r.err("starts", format!("dates overlap another {country} row")));
        }
        rules.countries.push(rule);
    }
    let t = Table::parse("duty_rates.csv", duty_rates_csv)?;
    for r in rows(&t) {
        let s = r.required("country")?;
        rules.duty_rates.push(DutyRate {
            country: Country::parse(s)
                .ok_or_else(|| r.err("country", format!("`{s}` is not a country code")))?,
            hs_prefix: r.required("hs_prefix")?.into(),
            duty_percent: r.decimal("duty_percent")?,
            starts: r.parse("starts", "a date YYYY-MM-DD")?,
            ends: r.optional("ends", "a date YYYY-MM-DD")?,
        });
    }
    Ok(rules)
}

/// The rules that ship with tote (illustrative duty rates; thresholds as published).
pub fn example_rules() -> CustomsRules {
    load_rules(
        include_str!("../customs/countries.csv"),
        include_str!("../customs/duty_rates.csv"),
    )
    .expect("the embedded customs rules are valid (a test loads them)")
}

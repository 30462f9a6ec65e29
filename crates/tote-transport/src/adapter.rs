//! Carrier connectivity. A carrier is reached through [`CarrierAdapter`];
//! the built-in [`LocalCarrier`] issues tracking numbers and labels locally
//! so a business can run end to end, and a real carrier's API can be added
//! behind the same trait (in an adapter crate that does the I/O).

use crate::label::{self, LabelData};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AdapterError {
    #[error("carrier refused the shipment: {0}")]
    Refused(String),
    #[error("carrier unreachable: {0}")]
    Unreachable(String),
    #[error("unknown tracking number {0}")]
    UnknownTracking(String),
}

/// What the carrier gives back for one carton.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issued {
    pub tracking: String,
    pub zpl: String,
    pub pdf: Vec<u8>,
}

pub trait CarrierAdapter {
    /// Registers one carton and returns its tracking number and label.
    /// `label.tracking` is ignored: the carrier assigns it.
    fn ship(&mut self, label: &LabelData) -> Result<Issued, AdapterError>;
    /// Cancels a label not yet picked up.
    fn void(&mut self, tracking: &str) -> Result<(), AdapterError>;
}

/// Issues tracking numbers `PREFIX` + 10-digit serial + a GS1 mod-10 check
/// digit. The next serial is state the caller persists between runs.
#[derive(Clone, Debug)]
pub struct LocalCarrier {
    pub prefix: String,
    pub next_serial: u64,
    pub issued: Vec<String>,
}

pub const LOCAL_SERIAL_MAX: u64 = 9_999_999_999;

impl LocalCarrier {
    /// `prefix`: two to four upper-case letters, e.g. `PX`.
    pub fn new(prefix: &str, next_serial: u64) -> LocalCarrier {
        assert!(
            (2..=4).contains(&prefix.len()) && prefix.bytes().all(|b| b.is_ascii_uppercase()),
            "tracking prefix {prefix:?} must be 2 to 4 upper-case letters"
        );
        LocalCarrier {
            prefix: prefix.into(),
            next_serial,
            issued: Vec::new(),
        }
    }

    pub fn tracking_number(prefix: &str, serial: u64) -> String {
        let digits = format!("{serial:010}");
        let check = crate::gs1::check_digit(&digits).expect("digits");
        format!("{prefix}{digits}{check}")
    }
}

impl CarrierAdapter for LocalCarrier {
    fn ship(&mut self, data: &LabelData) -> Result<Issued, AdapterError> {
        if self.next_serial > LOCAL_SERIAL_MAX {
            return Err(AdapterError::Refused(format!(
                "serials for {} are used up",
                self.prefix
            )));
        }
        let tracking = LocalCarrier::tracking_number(&self.prefix, self.next_serial);
        self.next_serial += 1;
        let data = LabelData {
            tracking: tracking.clone(),
            ..data.clone()
        };
        self.issued.push(tracking.clone());
        Ok(Issued {
            tracking,
            zpl: label::zpl(&data),
            pdf: label::pdf(&data),
        })
    }

    fn void(&mut self, tracking: &str) -> Result<(), AdapterError> {
        let i = self
            .issued
            .iter()
            .position(|t| t == tracking)
            .ok_or_else(|| AdapterError::UnknownTracking(tracking.into()))?;
        self.issued.swap_remove(i);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_tracking_numbers_carry_a_check_digit() {
        // 0000000042: from the right 2,4 weighted 3,1 -> 6 + 4 = 10 -> check 0.
        assert_eq!(LocalCarrier::tracking_number("PX", 42), "PX00000000420");
        assert_eq!(LocalCarrier::tracking_number("PX", 1), "PX00000000017");
    }
}

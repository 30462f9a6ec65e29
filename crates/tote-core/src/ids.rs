//! Identifiers. Each is a newtype so that arguments cannot be swapped.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id {
    ($(#[$doc:meta])* $name:ident($inner:ty)) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub $inner);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }
    };
}

id!(
    /// An organisation: every record belongs to one. One default out of the box.
    OrgId(u32)
);
id!(
    /// The owner of stock: a 3PL holds several brands' stock in one building.
    OwnerId(u32)
);
id!(SkuId(u32));
id!(NodeId(u32));
id!(LocationId(u32));
id!(OrderId(u64));
id!(TransferId(u64));

impl OrgId {
    pub const DEFAULT: OrgId = OrgId(1);
}

impl OwnerId {
    pub const DEFAULT: OwnerId = OwnerId(1);
}

impl Default for OrgId {
    fn default() -> OrgId {
        OrgId::DEFAULT
    }
}

/// Ids count from 1; 0 never names a record.
impl Default for TransferId {
    fn default() -> TransferId {
        TransferId(1)
    }
}

impl Default for OrderId {
    fn default() -> OrderId {
        OrderId(1)
    }
}

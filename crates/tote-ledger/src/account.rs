//! Ledger accounts: where units of one SKU are, or where they came from or went.

use serde::{Deserialize, Serialize};
use tote_core::{LocationId, NodeId, OrgId, OwnerId, Qty, SkuId};

/// The state a unit is in at a location.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bucket {
    /// Sellable stock. Reservations are pending transfers out of it.
    OnHand,
    Damaged,
    Quarantine,
    InTransit,
    /// Returned units waiting for inspection and disposition.
    ReturnsPending,
    /// Returned units set aside for repair or repackaging.
    Refurbish,
    /// Returned units set aside to be sold to a liquidator.
    Liquidation,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::OnHand => "on_hand",
            Bucket::Damaged => "damaged",
            Bucket::Quarantine => "quarantine",
            Bucket::InTransit => "in_transit",
            Bucket::ReturnsPending => "returns_pending",
            Bucket::Refurbish => "refurbish",
            Bucket::Liquidation => "liquidation",
        }
    }

    pub const ALL: [Bucket; 7] = [
        Bucket::OnHand,
        Bucket::Damaged,
        Bucket::Quarantine,
        Bucket::InTransit,
        Bucket::ReturnsPending,
        Bucket::Refurbish,
        Bucket::Liquidation,
    ];

    pub fn parse(s: &str) -> Option<Bucket> {
        Bucket::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// The world outside the building: these accounts may go below zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Supplier,
    Customer,
    Shrink,
    CountVariance,
    Found,
    Scrap,
    /// Returned units given to charity.
    Donated,
}

impl Party {
    pub const ALL: [Party; 7] = [
        Party::Supplier,
        Party::Customer,
        Party::Shrink,
        Party::CountVariance,
        Party::Found,
        Party::Scrap,
        Party::Donated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::Supplier => "supplier",
            Party::Customer => "customer",
            Party::Shrink => "shrink",
            Party::CountVariance => "count_variance",
            Party::Found => "found",
            Party::Scrap => "scrap",
            Party::Donated => "donated",
        }
    }

    pub fn parse(s: &str) -> Option<Party> {
        Party::ALL.into_iter().find(|p| p.as_str() == s)
    }
}

/// An account holds units of exactly one SKU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Account {
    /// Stock in a building, owned by `owner`: never below zero.
    Internal {
        owner: OwnerId,
        node: NodeId,
        location: LocationId,
        sku: SkuId,
        bucket: Bucket,
    },
    /// A counterparty or a reason units entered or left the books.
    External {
        org: OrgId,
        sku: SkuId,
        party: Party,
    },
}

impl Account {
    pub fn sku(&self) -> SkuId {
        match *self {
            Account::Internal { sku, .. } | Account::External { sku, .. } => sku,
        }
    }

    pub fn is_internal(&self) -> bool {
        matches!(self, Account::Internal { .. })
    }
}

/// A dense index into the ledger's accounts, stable for the life of the books.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AccountId(pub u32);

/// Posted units and the pending units reserved out of and into an account.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub posted: Qty,
    pub pending_out: Qty,
    pub pending_in: Qty,
}

impl Balance {
    /// What can still be moved or reserved: posted less what pending transfers hold.
    pub fn available(&self) -> Qty {
        self.posted - self.pending_out
    }
}

//! Mapping domain values to columns and back.

use crate::StoreError;
use tote_core::{LocationId, NodeId, OrgId, OwnerId, SkuId};
use tote_ledger::{Account, Bucket, Party, TransferKind};

pub struct AccountColumns {
    /// None for internal accounts: their org is their node's.
    pub org: Option<u32>,
    pub sku: u32,
    pub owner: Option<u32>,
    pub node: Option<u32>,
    pub location: Option<u32>,
    pub bucket: Option<&'static str>,
    pub party: Option<&'static str>,
}

pub fn account_columns(account: &Account) -> AccountColumns {
    match *account {
        Account::Internal {
            owner,
            node,
            location,
            sku,
            bucket,
        } => AccountColumns {
            org: None,
            sku: sku.0,
            owner: Some(owner.0),
            node: Some(node.0),
            location: Some(location.0),
            bucket: Some(bucket.as_str()),
            party: None,
        },
        Account::External { org, sku, party } => AccountColumns {
            org: Some(org.0),
            sku: sku.0,
            owner: None,
            node: None,
            location: None,
            bucket: None,
            party: Some(party.as_str()),
        },
    }
}

pub fn account_from_columns(
    org: u32,
    sku: u32,
    owner: Option<u32>,
    node: Option<u32>,
    location: Option<u32>,
    bucket: Option<String>,
    party: Option<String>,
) -> Result<Account, StoreError> {
    let corrupt = || {
        StoreError::Corrupt(format!(
            "account of sku {sku} has neither a full location nor a party"
        ))
    };
    if let Some(party) = party {
        let party =
            Party::parse(&party).ok_or_else(|| StoreError::Corrupt(format!("party {party}")))?;
        return Ok(Account::External {
            org: OrgId(org),
            sku: SkuId(sku),
            party,
        });
    }
    let bucket = bucket.ok_or_else(corrupt)?;
    Ok(Account::Internal {
        owner: OwnerId(owner.ok_or_else(corrupt)?),
        node: NodeId(node.ok_or_else(corrupt)?),
        location: LocationId(location.ok_or_else(corrupt)?),
        sku: SkuId(sku),
        bucket: Bucket::parse(&bucket)
            .ok_or_else(|| StoreError::Corrupt(format!("bucket {bucket}")))?,
    })
}

pub fn kind_columns(kind: TransferKind) -> (&'static str, Option<i64>) {
    match kind {
        TransferKind::Posted => ("posted", None),
        TransferKind::Pending => ("pending", None),
        TransferKind::Post { pending } => ("post", Some(pending.0 as i64)),
        TransferKind::Void { pending } => ("void", Some(pending.0 as i64)),
    }
}

pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("domain records serialise to JSON")
}

pub fn from_json<T: serde::de::DeserializeOwned>(table: &str, body: &str) -> Result<T, StoreError> {
    serde_json::from_str(body).map_err(|e| StoreError::Corrupt(format!("{table}: {e}")))
}

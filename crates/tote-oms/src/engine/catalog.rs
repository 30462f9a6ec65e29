//! SKUs, nodes and locations: created or replaced through the writer.

use super::*;

impl Engine {
    pub(super) fn put_sku(
        &mut self,
        env: &Envelope,
        input: &SkuInput,
        mode: UpsertMode,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let existing = self.sku(env.org, &input.sku).map(|s| s.id.0);
        let id = SkuId(upsert_id(
            existing,
            mode,
            "sku",
            &input.sku,
            &mut self.next_sku,
        )?);
        let sku = Sku {
            id,
            org: env.org,
            input: input.clone(),
        };
        let created = existing.is_none();
        self.sku_codes.insert(id, input.sku.clone());
        self.skus
            .entry(env.org)
            .or_default()
            .insert(input.sku.clone(), sku.clone());
        self.group.skus.push(sku.clone());
        let kind = if created {
            EventKind::SkuCreated
        } else {
            EventKind::SkuUpdated
        };
        self.event(env, kind, &input.sku, json!({ "sku": input }));
        Ok(Outcome::Sku { sku, created })
    }

    pub(super) fn put_node(
        &mut self,
        env: &Envelope,
        input: &NodeInput,
        mode: UpsertMode,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let key = (env.org, input.code.clone());
        let existing = self.nodes.get(&key).map(|n| n.id.0);
        let id = NodeId(upsert_id(
            existing,
            mode,
            "node",
            &input.code,
            &mut self.next_node,
        )?);
        let node = Node {
            id,
            org: env.org,
            input: input.clone(),
        };
        let created = existing.is_none();
        self.node_by_id.insert(id, node.clone());
        self.nodes.insert(key, node.clone());
        self.group.nodes.push(node.clone());
        if created {
            // Every node has a receiving location, so a receipt needs no setup.
            self.add_location(
                env,
                id,
                LocationInput {
                    node: input.code.clone(),
                    code: RECEIVING_LOCATION.into(),
                    zone: None,
                    aisle: None,
                    bay: None,
                    level: None,
                    position: None,
                },
            );
        }
        let kind = if created {
            EventKind::NodeCreated
        } else {
            EventKind::NodeUpdated
        };
        self.event(env, kind, &input.code, json!({ "node": input }));
        Ok(Outcome::Node { node, created })
    }

    pub(super) fn add_location(
        &mut self,
        env: &Envelope,
        node: NodeId,
        input: LocationInput,
    ) -> Location {
        let id = LocationId(self.next_location);
        self.next_location += 1;
        let location = Location {
            id,
            org: env.org,
            node_id: node,
            input,
        };
        self.location_codes.insert(id, location.input.code.clone());
        self.locations
            .insert((node, location.input.code.clone()), location.clone());
        self.group.locations.push(location.clone());
        location
    }

    /// The node a path names: 404 when there is none.
    pub(super) fn node_in_path(&self, org: OrgId, code: &str) -> Result<&Node, OpError> {
        self.nodes
            .get(&(org, code.to_owned()))
            .ok_or_else(|| OpError::NotFound {
                what: "node",
                id: code.to_owned(),
            })
    }

    pub(super) fn node_id(&self, org: OrgId, code: &str, field: &str) -> Result<NodeId, OpError> {
        self.nodes
            .get(&(org, code.to_owned()))
            .map(|n| n.id)
            .ok_or_else(|| OpError::Invalid(Invalid::one(field, format!("unknown node `{code}`"))))
    }

    pub(super) fn put_location(
        &mut self,
        env: &Envelope,
        input: &LocationInput,
    ) -> Result<Outcome, OpError> {
        input.validate()?;
        let node = self.node_id(env.org, &input.node, "node")?;
        if self.locations.contains_key(&(node, input.code.clone())) {
            return Err(OpError::Conflict(format!(
                "location `{}` already exists in node `{}`",
                input.code, input.node
            )));
        }
        let location = self.add_location(env, node, input.clone());
        self.event(
            env,
            EventKind::LocationCreated,
            &format!("{}/{}", input.node, input.code),
            json!({ "location": input }),
        );
        Ok(Outcome::Location(location))
    }
}

/// The id a create, replace or upsert lands on: the existing record's, or the next
/// free one; refused when the mode and the record's existence disagree.
fn upsert_id(
    existing: Option<u32>,
    mode: UpsertMode,
    what: &'static str,
    code: &str,
    next: &mut u32,
) -> Result<u32, OpError> {
    match (existing, mode) {
        (Some(_), UpsertMode::Create) => {
            Err(OpError::Conflict(format!("{what} `{code}` already exists")))
        }
        (None, UpsertMode::Replace) => Err(OpError::NotFound {
            what,
            id: code.to_owned(),
        }),
        (Some(id), _) => Ok(id),
        (None, _) => {
            let id = *next;
            *next += 1;
            Ok(id)
        }
    }
}

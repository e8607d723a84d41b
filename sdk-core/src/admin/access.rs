//! Users, invitations, API keys and the audit log.

use uuid::Uuid;

use super::AdminClient;
use crate::client::{Call, Page};
use crate::contract::{
    ApiKey, ApiKeyRequest, AuditEntry, AuditQuery, CreatedApiKey, Invitation, InviteRequest, Role,
    StoreUser, UserPatch,
};
use crate::error::Result;
use crate::transport::Method;

impl AdminClient {
    /// The store's users and their roles.
    pub async fn users(&self) -> Result<Vec<StoreUser>> {
        self.send(Call::get(self.url(&["users"]))).await
    }

    /// Invites a user with a role. The invitation token is in the answer only: hand it to the
    /// invitee, who accepts with [`AdminClient::accept_invite`]. Not retried (the server keeps
    /// no copy of the token to replay).
    pub async fn invite_user(&self, request: &InviteRequest) -> Result<Invitation> {
        self.send(Call::once(Method::Post, self.url(&["users"])).json(request))
            .await
    }

    /// Changes a user's role; the store always keeps an owner.
    pub async fn set_user_role(&self, user_id: Uuid, role: Role) -> Result<StoreUser> {
        let url = self.url(&["users", &user_id.to_string()]);
        self.send(Call::mutate(Method::Patch, url).json(&UserPatch { role }))
            .await
    }

    /// Removes a user from the store; their sessions stop working at once.
    pub async fn remove_user(&self, user_id: Uuid) -> Result<StoreUser> {
        let url = self.url(&["users", &user_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// The store's API keys (prefixes only; secrets are shown once, at creation).
    pub async fn api_keys(&self) -> Result<Vec<ApiKey>> {
        self.send(Call::get(self.url(&["api-keys"]))).await
    }

    /// Creates a publishable (`pk_`) or secret (`sk_`) key. The secret is in the answer only.
    /// Not retried (the server keeps no copy of the secret to replay).
    pub async fn create_api_key(&self, request: &ApiKeyRequest) -> Result<CreatedApiKey> {
        self.send(Call::once(Method::Post, self.url(&["api-keys"])).json(request))
            .await
    }

    /// Revokes an API key; it stops working at once.
    pub async fn revoke_api_key(&self, key_id: Uuid) -> Result<ApiKey> {
        let url = self.url(&["api-keys", &key_id.to_string()]);
        self.send(Call::mutate(Method::Delete, url)).await
    }

    /// One page of the audit log, newest first: who changed what, with old and new values.
    pub async fn audit_log(&self, query: &AuditQuery) -> Result<Page<AuditEntry>> {
        self.send_page(Call::get(self.url(&["audit-log"])).query(query)?)
            .await
    }
}

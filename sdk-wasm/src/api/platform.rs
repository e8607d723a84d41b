//! `ColmenaPlatform`: the platform operator's API (opening, listing, suspending and
//! reactivating stores) with the platform key. For operators' servers and scripts only.

use colmena_sdk::contract::{CreateStoreRequest, PlatformStoreQuery};
use colmena_sdk::PlatformClient;
use wasm_bindgen::prelude::*;

use super::edge::{js_methods, Raw};

/// The platform operator's client. The key opens every store: keep it on servers.
///
/// ```js
/// const platform = ColmenaPlatform.withKey("https://api.example.com", process.env.COLMENA_PLATFORM_KEY);
/// const { store, ownerInvitation } = await platform.createStore({
///   slug: "honey-co", name: "Honey Co.", currency: "EUR", locale: "es-ES", ownerEmail: "ana@example.com",
/// });
/// ```
#[wasm_bindgen]
pub struct ColmenaPlatform {
    platform: PlatformClient,
}

js_methods! {
    impl ColmenaPlatform(static) {
        /// A client of the server at `api` presenting the platform `key`.
        withKey(api: String = "string", key: String = "string") -> sync "ColmenaPlatform" {
            // The platform API names no store; the inner client's store segment is unused.
            let platform = PlatformClient::from_client(crate::client(&api, "platform")?, &key)?;
            Ok(Raw(ColmenaPlatform { platform }.into()))
        }
    }
}

js_methods! {
    impl ColmenaPlatform(platform) {
        /// Opens a store with its first owner; the answer holds the owner's invitation, whose
        /// token is shown only this once.
        createStore(request: CreateStoreRequest = "CreateStoreRequest") -> "Promise<CreatedStore>" {
            platform.create_store(&request).await
        }

        /// One page of stores, oldest first.
        stores(; query?: PlatformStoreQuery = "PlatformStoreQuery") -> "Promise<Page<PlatformStore>>" {
            platform.stores(&query.unwrap_or_default()).await
        }

        /// One store, by its slug.
        store(slug: String = "string") -> "Promise<PlatformStore>" { platform.store(&slug).await }

        /// Suspends a store: its public API answers 403 `STORE_SUSPENDED` until reactivated.
        suspendStore(slug: String = "string") -> "Promise<PlatformStore>" { platform.suspend_store(&slug).await }

        /// Reactivates a suspended store.
        reactivateStore(slug: String = "string") -> "Promise<PlatformStore>" { platform.reactivate_store(&slug).await }
    }
}

#![doc = include_str!("../README.md")]
// uniffi's scaffolding (the `uniffi` feature) is FFI glue with `#[no_mangle]` functions; our own
// code has no unsafe.
#![cfg_attr(feature = "uniffi", allow(unsafe_code))]

// The derive names this crate `::colmena_sdk`, as every other crate does.
extern crate self as colmena_sdk;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();
#[cfg(feature = "uniffi")]
mod uniffi_types;

#[cfg(feature = "chat")]
pub mod chat;
pub mod contract;
pub mod money;
pub mod pricing;
#[cfg(feature = "webhooks")]
pub mod webhook;

#[cfg(feature = "client")]
mod admin;
#[cfg(feature = "client")]
pub mod cart;
#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod commerce;
#[cfg(feature = "client")]
mod error;
pub mod json;
#[cfg(feature = "client")]
mod platform;
#[cfg(feature = "client")]
pub mod transport;

#[cfg(feature = "client")]
pub use admin::AdminClient;
#[cfg(feature = "client")]
pub use client::{Client, IdempotencyKey, Page, SearchPage};
#[cfg(feature = "client")]
pub use commerce::DownloadedFile;
#[cfg(feature = "client")]
pub use error::{ApiFailure, Error, Result};
#[cfg(feature = "client")]
pub use platform::PlatformClient;
#[cfg(feature = "client")]
pub use transport::{RetryPolicy, Transport};

pub use contract::{
    Branding, Category, CategoryRef, ErrorCode, Money, Permission, Product, ProductImage,
    ProductListQuery, ProductSort, Role, SearchQuery, Store, Timestamp,
};
pub use money::{amount_text, format_money, parse_amount, MoneyError};
pub use uuid::Uuid;

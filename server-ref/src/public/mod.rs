//! The public API: what shoppers and storefronts call, scoped by the store in the path.

pub mod catalog;

//! The demo stores seeded by `--demo`: `demo` (EUR) and `demo-b` (XOF), each with an owner,
//! categories, products and images generated on the server (no outside network needed).

mod data;
mod files;
mod translations;

use crate::db::Conn;
pub use data::DEMO_PASSWORD;
use data::*;
use files::*;

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use uuid::Uuid;

use crate::catalog::{insert_variant, NewVariant};
use crate::db::{self, Db};
use crate::slugs::slugify;
use crate::storage::{FileStore, StorageError};

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A database statement failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A demo discount code, sale or shipping zone was refused.
    #[error("cannot seed a demo discount, sale or shipping zone: {0}")]
    Discount(String),
    /// An image or a digital file could not be stored.
    #[error("cannot store a demo file: {0}")]
    Storage(#[from] StorageError),
    /// Hashing the demo password failed.
    #[error("password hashing: {0}")]
    Hash(String),
}

/// What seeding did, for the start-up message.
#[derive(Debug, Clone)]
pub struct SeedReport {
    /// One line per demo store: slug, name, currency, owner, products, whether created now.
    pub stores: Vec<SeededStore>,
}

/// One demo store in the report.
#[derive(Debug, Clone)]
pub struct SeededStore {
    /// Store slug.
    pub slug: &'static str,
    /// Store name.
    pub name: &'static str,
    /// Store currency.
    pub currency: &'static str,
    /// Owner's email.
    pub owner: &'static str,
    /// Number of products seeded.
    pub products: usize,
    /// False when the store already existed and was left alone.
    pub created: bool,
}

/// Seeds each demo store that does not exist yet, with its shipping zones when `shipping` says
/// so; existing stores are left untouched.
pub async fn seed(
    db: &Db,
    media: &dyn FileStore,
    files: &dyn FileStore,
    origins: &[String],
    shipping: bool,
) -> Result<SeedReport, SeedError> {
    let mut stores = Vec::new();
    for demo in DEMO_STORES {
        let exists = crate::db::query("SELECT id FROM stores WHERE slug = $1")
            .bind(demo.slug)
            .fetch_optional(&db.pool)
            .await?
            .is_some();
        if !exists {
            seed_store(db, media, files, origins, demo, shipping).await?;
        }
        stores.push(SeededStore {
            slug: demo.slug,
            name: demo.name,
            currency: demo.currency,
            owner: demo.owner,
            products: demo.categories.iter().map(|c| c.products.len()).sum(),
            created: !exists,
        });
    }
    Ok(SeedReport { stores })
}

/// Prints the demo stores and their owners' credentials at start-up.
pub fn print_report(report: &SeedReport, public_url: &str) {
    println!("Demo stores ({public_url}):");
    for store in &report.stores {
        println!(
            "  {:<7} {} ({}, {} products{}) owner {} / {}",
            store.slug,
            store.name,
            store.currency,
            store.products,
            if store.created { ", seeded now" } else { "" },
            store.owner,
            DEMO_PASSWORD
        );
    }
}

/// The translations a demo table holds for `key` (a product or option name, a category slug).
fn translations_of(
    table: &'static [(&'static str, &'static [(&'static str, &'static str)])],
    key: &str,
) -> &'static [(&'static str, &'static str)] {
    table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[], |(_, translations)| *translations)
}

/// A demo product's description in `locale` (the English sentence for a language without one).
fn description(locale: &str, name: &str, store: &str, category: &str) -> String {
    let language = locale.split('-').next().unwrap_or(locale);
    let template = translations::DESCRIPTIONS
        .iter()
        .find(|(l, _)| *l == language)
        .or_else(|| translations::DESCRIPTIONS.first())
        .map_or("{name}", |(_, template)| template);
    template
        .replace("{name}", name)
        .replace("{store}", store)
        .replace("{category}", &category.to_lowercase())
}

/// The variants of a demo product, and its option names as JSON.
fn variant_seeds(
    name: &str,
    slug: &str,
    price: i64,
    compare_at: Option<i64>,
    weight_grams: Option<i64>,
) -> (db::JsonText, Vec<NewVariant>) {
    if let Some(spec) = DEMO_VARIANTS.iter().find(|spec| spec.product == name) {
        let variants = spec
            .values
            .iter()
            .map(|&(value, price, inventory)| NewVariant {
                sku: format!("{slug}-{}", slugify(value)),
                title: value.to_owned(),
                options: serde_json::json!({ spec.option: value }).into(),
                price,
                compare_at: None,
                inventory,
                weight_grams,
            })
            .collect();
        return (serde_json::json!([spec.option]).into(), variants);
    }
    let inventory = DEMO_STOCK
        .iter()
        .find(|(product, _)| *product == name)
        .map(|&(_, units)| units);
    let default = NewVariant {
        sku: slug.to_owned(),
        title: "Default".to_owned(),
        options: serde_json::json!({}).into(),
        price,
        compare_at,
        inventory,
        weight_grams,
    };
    (serde_json::json!([]).into(), vec![default])
}

async fn seed_store(
    db: &Db,
    media: &dyn FileStore,
    files: &dyn FileStore,
    origins: &[String],
    demo: &DemoStore,
    shipping: bool,
) -> Result<(), SeedError> {
    let store_id = Uuid::new_v4();
    let now = db::now();
    let password_hash = Argon2::default()
        .hash_password(DEMO_PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| SeedError::Hash(e.to_string()))?
        .to_string();

    let mut tx = db.begin_write().await?;
    crate::db::query(
        "INSERT INTO stores (id, slug, name, currency, locale, primary_color, accent_color, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(store_id)
    .bind(demo.slug)
    .bind(demo.name)
    .bind(demo.currency)
    .bind(demo.locale)
    .bind(demo.primary_color)
    .bind(demo.accent_color)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    crate::db::query("UPDATE stores SET prices_include_tax = $1 WHERE id = $2")
        .bind(demo.prices_include_tax)
        .bind(store_id)
        .execute(&mut *tx)
        .await?;
    for &(country, rate, name) in demo.tax_rates {
        crate::db::query(
            "INSERT INTO tax_rates (store_id, country, region, rate, name) \
             VALUES ($1, $2, '', $3, $4)",
        )
        .bind(store_id)
        .bind(country)
        .bind(i64::from(rate))
        .bind(name)
        .execute(&mut *tx)
        .await?;
    }
    for &(code, name, value, per_customer_limit) in demo.discount_codes {
        let rule = colmena_sdk::contract::DiscountInput {
            name: name.to_owned(),
            code: Some(code.to_owned()),
            kind: colmena_sdk::contract::DiscountKind::Percentage,
            value: Some(value),
            amount: None,
            min_subtotal: None,
            min_quantity: None,
            buy_quantity: None,
            get_quantity: None,
            product_ids: Vec::new(),
            category_ids: Vec::new(),
            starts_at: None,
            ends_at: None,
            usage_limit: None,
            per_customer_limit,
            active: true,
        };
        crate::pricing::discounts::save(&mut tx, store_id, Uuid::new_v4(), &rule, true)
            .await
            .map_err(|error| SeedError::Discount(error.describe()))?;
    }
    for origin in origins {
        crate::db::query("INSERT INTO store_allowed_origins (store_id, origin) VALUES ($1, $2)")
            .bind(store_id)
            .bind(origin.as_str())
            .execute(&mut *tx)
            .await?;
    }
    crate::db::query(
        "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, 'owner', $5)",
    )
    .bind(Uuid::new_v4())
    .bind(store_id)
    .bind(demo.owner)
    .bind(password_hash)
    .bind(now)
    .execute(&mut *tx)
    .await?;

    let mut product_index = 0usize;
    for (position, category) in demo.categories.iter().enumerate() {
        let category_id = Uuid::new_v4();
        crate::db::query(
            "INSERT INTO categories (id, store_id, slug, name, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(category_id)
        .bind(store_id)
        .bind(category.slug)
        .bind(category.name)
        .bind(db::position(position)?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for &(locale, translated) in translations_of(translations::CATEGORY_NAMES, category.slug) {
            crate::db::query(
                "INSERT INTO category_translations (store_id, category_id, locale, name, \
                   updated_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(store_id)
            .bind(category_id)
            .bind(locale)
            .bind(translated)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        for &(name, price) in category.products {
            let product_id = Uuid::new_v4();
            let slug = slugify(name);
            // Stagger creation times so that "newest" has a stable, meaningful order.
            let created = now - time::Duration::minutes(product_index as i64 * 7);
            // Every fourth product is featured; every fifth is on sale.
            let featured = product_index % 4 == 0;
            let compare_at = (product_index % 5 == 2).then_some((price + price / 4) / 10 * 10);
            let digital = DEMO_DIGITAL.iter().any(|(product, _)| *product == name);
            let weight = (!digital).then_some(i64::from(category.unit_weight_grams));
            let (option_names, variants) = variant_seeds(name, &slug, price, compare_at, weight);
            let price = variants.iter().map(|v| v.price).min().unwrap_or(price);
            let digital_file = match DEMO_DIGITAL.iter().find(|(product, _)| *product == name) {
                Some(&(_, file_name)) => {
                    let key = format!("{store_id}/files/{file_name}");
                    let pdf = guide_pdf(
                        name,
                        &[
                            "Thank you for your order!",
                            "This is a demo digital product from the Colmena reference server.",
                        ],
                    );
                    files.put(&key, &pdf).await?;
                    Some((key, file_name))
                }
                None => None,
            };
            crate::db::query(
                "INSERT INTO products (id, store_id, category_id, slug, name, description, \
                   price_amount, compare_at_amount, currency, featured, is_active, created_at, \
                   updated_at, option_names, digital_file_key, digital_file_name) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11, $11, $12, $13, $14)",
            )
            .bind(product_id)
            .bind(store_id)
            .bind(category_id)
            .bind(&slug)
            .bind(name)
            .bind(description(demo.language, name, demo.name, category.name))
            .bind(price)
            .bind(compare_at)
            .bind(demo.currency)
            .bind(featured)
            .bind(created)
            .bind(&option_names)
            .bind(digital_file.as_ref().map(|(key, _)| key.clone()))
            .bind(digital_file.map(|(_, file_name)| file_name))
            .execute(&mut *tx)
            .await?;
            for (position, variant) in variants.iter().enumerate() {
                let position = db::position(position)?;
                insert_variant(&mut tx, store_id, product_id, variant, position).await?;
            }
            let option = DEMO_VARIANTS
                .iter()
                .find(|spec| spec.product == name)
                .map(|spec| spec.option);
            for &(locale, translated) in translations_of(translations::PRODUCT_NAMES, name) {
                let category_name = translations_of(translations::CATEGORY_NAMES, category.slug)
                    .iter()
                    .find(|(l, _)| *l == locale)
                    .map_or(category.name, |(_, n)| n);
                let option_names = option
                    .and_then(|option| {
                        translations_of(translations::OPTION_NAMES, option)
                            .iter()
                            .find(|(l, _)| *l == locale)
                    })
                    .map(|(_, n)| db::JsonText::from(serde_json::json!([n])));
                crate::db::query(
                    "INSERT INTO product_translations (store_id, product_id, locale, name, \
                       description, option_names, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(store_id)
                .bind(product_id)
                .bind(locale)
                .bind(translated)
                .bind(description(locale, translated, demo.name, category_name))
                .bind(option_names)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }

            let image_key = format!("{store_id}/products/{slug}.svg");
            media
                .put(
                    &image_key,
                    product_svg(name, category.colour, product_index).as_bytes(),
                )
                .await?;
            crate::db::query(
                "INSERT INTO product_images (id, store_id, product_id, path, alt, position) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(Uuid::new_v4())
            .bind(store_id)
            .bind(product_id)
            .bind(format!("/media/{image_key}"))
            .bind(name)
            .execute(&mut *tx)
            .await?;
            product_index += 1;
        }
    }
    if let Some((name, basis_points, products)) = demo.sale {
        seed_sale(
            &mut tx,
            store_id,
            demo.currency,
            name,
            basis_points,
            products,
            now,
        )
        .await?;
    }
    if shipping {
        for zone in demo.shipping_zones {
            seed_zone(&mut tx, store_id, demo.currency, zone).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}

/// A shipping zone, through the admin API's own checks.
async fn seed_zone(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    zone: &DemoZone,
) -> Result<(), SeedError> {
    use colmena_sdk::contract::{Money, ShippingRateInput, ShippingZoneInput};
    let input = ShippingZoneInput {
        name: zone.name.to_owned(),
        regions: zone
            .regions
            .iter()
            .map(|region| (*region).to_owned())
            .collect(),
        rates: zone
            .rates
            .iter()
            .map(|&(name, kind, price, free_over)| ShippingRateInput {
                id: None,
                name: name.to_owned(),
                kind,
                price: Money::new(price, currency),
                min_weight_grams: None,
                max_weight_grams: None,
                free_over: free_over.map(|amount| Money::new(amount, currency)),
            })
            .collect(),
    };
    let refused = |error: crate::http::ApiError| SeedError::Discount(error.describe());
    let checked = crate::pricing::shipping::check(&input, currency).map_err(refused)?;
    crate::pricing::shipping::save(conn, store_id, Uuid::new_v4(), &checked, true)
        .await
        .map_err(refused)
}

/// A sale price list, through the admin API's own checks: `basis_points` off every variant of
/// `products` (by name), from yesterday for 30 days.
async fn seed_sale(
    conn: &mut Conn,
    store_id: Uuid,
    currency: &str,
    name: &str,
    basis_points: i64,
    products: &[&str],
    now: time::OffsetDateTime,
) -> Result<(), SeedError> {
    use colmena_sdk::contract::{Money, PriceListInput, PriceListKind, VariantPrice};
    let mut prices = Vec::new();
    for product in products {
        let rows = crate::db::query(
            "SELECT v.id, v.price_amount FROM product_variants v \
             JOIN products p ON p.id = v.product_id AND p.store_id = v.store_id \
             WHERE v.store_id = $1 AND p.name = $2 ORDER BY v.position",
        )
        .bind(store_id)
        .bind(*product)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let regular: i64 = row.try_get("price_amount")?;
            prices.push(VariantPrice {
                variant_id: db::uuid_column(&row, "id")?,
                price: Money::new(regular * (10_000 - basis_points) / 10_000, currency),
            });
        }
    }
    let rfc3339 = |at: time::OffsetDateTime| db::timestamp_text(at).into();
    let list = PriceListInput {
        name: name.to_owned(),
        kind: PriceListKind::Sale,
        customer_group_id: None,
        starts_at: Some(rfc3339(now - time::Duration::days(1))),
        ends_at: Some(rfc3339(now + time::Duration::days(30))),
        active: true,
        prices,
    };
    let checked = crate::pricing::price_lists::check(conn, store_id, currency, &list)
        .await
        .map_err(|error| SeedError::Discount(error.describe()))?;
    crate::pricing::price_lists::save(conn, store_id, currency, Uuid::new_v4(), &checked, true)
        .await
        .map_err(|error| SeedError::Discount(error.describe()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_tables_name_real_products() {
        let names: Vec<&str> = DEMO_STORES
            .iter()
            .flat_map(|store| store.categories.iter())
            .flat_map(|category| category.products.iter().map(|(name, _)| *name))
            .collect();
        let referenced = DEMO_STOCK
            .iter()
            .map(|(name, _)| *name)
            .chain(DEMO_VARIANTS.iter().map(|spec| spec.product))
            .chain(DEMO_DIGITAL.iter().map(|(name, _)| *name));
        for name in referenced {
            assert!(names.contains(&name), "{name}");
        }
    }

    #[test]
    fn the_guide_is_a_well_formed_pdf() {
        let pdf = String::from_utf8(guide_pdf("Guide (v1)", &["a line"])).unwrap();
        assert!(pdf.starts_with("%PDF-1.4"));
        assert!(pdf.ends_with("%%EOF\n"));
        assert!(pdf.contains("(Guide \\(v1\\)) Tj"));
        // The xref offsets point at the objects.
        let xref_at: usize = pdf
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(pdf[xref_at..].starts_with("xref"));
        let first: usize = pdf[xref_at..].lines().nth(3).unwrap()[..10]
            .parse()
            .unwrap();
        assert!(pdf[first..].starts_with("1 0 obj"));
    }

    #[test]
    fn every_demo_store_has_enough_products_and_categories() {
        for store in DEMO_STORES {
            assert!(store.categories.len() >= 3, "{}", store.slug);
            let products: usize = store.categories.iter().map(|c| c.products.len()).sum();
            assert!(products >= 24, "{}", store.slug);
        }
    }
}

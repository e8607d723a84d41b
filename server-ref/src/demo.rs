//! The demo stores seeded by `--demo`: `demo` (EUR) and `demo-b` (XOF), each with an owner,
//! categories, products and images generated on the server (no outside network needed).

use std::path::{Path, PathBuf};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use uuid::Uuid;

use crate::db::{self, Db};

/// Password of the demo owners.
pub const DEMO_PASSWORD: &str = "demo-password";

struct DemoCategory {
    slug: &'static str,
    name: &'static str,
    colour: &'static str,
    /// Product name and price in the store's minor units.
    products: &'static [(&'static str, i64)],
}

struct DemoStore {
    slug: &'static str,
    name: &'static str,
    currency: &'static str,
    locale: &'static str,
    primary_color: &'static str,
    accent_color: &'static str,
    owner: &'static str,
    categories: &'static [DemoCategory],
}

const DEMO_STORES: &[DemoStore] = &[
    DemoStore {
        slug: "demo",
        name: "Colmena Honey Co.",
        currency: "EUR",
        locale: "es-ES",
        primary_color: "#b45309",
        accent_color: "#fbbf24",
        owner: "owner@demo.test",
        categories: &[
            DemoCategory {
                slug: "honey",
                name: "Honey",
                colour: "#f59e0b",
                products: &[
                    ("Wildflower Honey 500 g", 950),
                    ("Orange Blossom Honey 500 g", 1100),
                    ("Rosemary Honey 250 g", 790),
                    ("Chestnut Honey 500 g", 1250),
                    ("Heather Honey 250 g", 1490),
                    ("Raw Comb Honey 400 g", 1890),
                    ("Lavender Honey 500 g", 1150),
                    ("Eucalyptus Honey 1 kg", 1990),
                    ("Honey Tasting Trio", 2490),
                ],
            },
            DemoCategory {
                slug: "beeswax",
                name: "Beeswax & Candles",
                colour: "#d97706",
                products: &[
                    ("Pillar Candle Small", 1200),
                    ("Pillar Candle Large", 2200),
                    ("Rolled Taper Pair", 1450),
                    ("Tea Lights (12)", 990),
                    ("Beeswax Food Wraps (3)", 1650),
                    ("Beeswax Lip Balm", 450),
                    ("Wood Polish 150 ml", 1090),
                    ("Hexagon Candle", 1590),
                    ("Candle Making Kit", 3490),
                ],
            },
            DemoCategory {
                slug: "apiary",
                name: "Apiary Tools",
                colour: "#92400e",
                products: &[
                    ("Hive Tool", 1390),
                    ("Bee Brush", 890),
                    ("Smoker, Stainless", 3990),
                    ("Ventilated Jacket", 6490),
                    ("Leather Gloves", 2290),
                    ("Queen Marking Kit", 1790),
                    ("Frame Grips", 1590),
                    ("Uncapping Fork", 790),
                    ("Langstroth Hive Kit", 18900),
                ],
            },
        ],
    },
    DemoStore {
        slug: "demo-b",
        name: "Marché Sahel",
        currency: "XOF",
        locale: "fr-SN",
        primary_color: "#0f766e",
        accent_color: "#f97316",
        owner: "owner@demo-b.test",
        categories: &[
            DemoCategory {
                slug: "tissus",
                name: "Tissus",
                colour: "#0d9488",
                products: &[
                    ("Wax imprimé 6 yards", 15000),
                    ("Bazin riche 5 m", 35000),
                    ("Bogolan teint main", 22000),
                    ("Kente tissé", 48000),
                    ("Foulard en coton", 4500),
                    ("Pagne tissé Manjak", 27500),
                    ("Indigo de Kindia", 19500),
                    ("Batik artisanal", 12500),
                ],
            },
            DemoCategory {
                slug: "epices",
                name: "Épices",
                colour: "#ea580c",
                products: &[
                    ("Poivre de Selim 100 g", 2500),
                    ("Bissap séché 250 g", 1500),
                    ("Soumbala 200 g", 2000),
                    ("Piment sec 100 g", 1000),
                    ("Gingembre moulu 200 g", 1800),
                    ("Kinkeliba 100 g", 1200),
                    ("Baobab en poudre 250 g", 3000),
                    ("Mélange yassa", 2200),
                ],
            },
            DemoCategory {
                slug: "artisanat",
                name: "Artisanat",
                colour: "#7c2d12",
                products: &[
                    ("Panier tressé", 9500),
                    ("Calebasse gravée", 7000),
                    ("Masque en bois", 25000),
                    ("Djembé 30 cm", 45000),
                    ("Bracelet en laiton", 5500),
                    ("Sac en cuir", 32000),
                    ("Sandales en cuir", 14000),
                    ("Tapis en paille", 18000),
                ],
            },
        ],
    },
];

/// Why seeding failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// A database statement failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// An image could not be written.
    #[error("cannot write {path}: {source}")]
    Media {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
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

/// Seeds each demo store that does not exist yet; existing stores are left untouched.
pub async fn seed(db: &Db, media_dir: &Path, origins: &[String]) -> Result<SeedReport, SeedError> {
    let mut stores = Vec::new();
    for demo in DEMO_STORES {
        let exists = sqlx::query("SELECT id FROM stores WHERE slug = $1")
            .bind(demo.slug)
            .fetch_optional(&db.pool)
            .await?
            .is_some();
        if !exists {
            seed_store(db, media_dir, origins, demo).await?;
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

fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        let c = match c {
            'à' | 'â' | 'á' => 'a',
            'é' | 'è' | 'ê' => 'e',
            'î' | 'í' => 'i',
            'ô' | 'ó' => 'o',
            'û' | 'ú' => 'u',
            'ç' => 'c',
            other => other.to_ascii_lowercase(),
        };
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A product picture: the category's colour, a honeycomb cell and the product's initials.
fn product_svg(name: &str, colour: &str, index: usize) -> String {
    let initials: String = name
        .split_whitespace()
        .filter_map(|word| word.chars().next())
        .filter(|c| c.is_alphanumeric())
        .take(2)
        .collect();
    let rotation = (index * 37) % 60;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img" aria-label="{label}"><rect width="400" height="300" fill="{colour}"/><g transform="translate(200 150) rotate({rotation})" opacity="0.35" fill="#fff"><polygon points="0,-110 95,-55 95,55 0,110 -95,55 -95,-55"/></g><text x="200" y="172" font-family="sans-serif" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">{initials}</text></svg>"##,
        label = escape_xml(name),
        initials = escape_xml(&initials),
    )
}

async fn seed_store(
    db: &Db,
    media_dir: &Path,
    origins: &[String],
    demo: &DemoStore,
) -> Result<(), SeedError> {
    let store_id = Uuid::new_v4();
    let now = time::OffsetDateTime::now_utc();
    let password_hash = Argon2::default()
        .hash_password(DEMO_PASSWORD.as_bytes(), &SaltString::generate(&mut OsRng))
        .map_err(|e| SeedError::Hash(e.to_string()))?
        .to_string();
    let image_dir = media_dir.join(store_id.to_string()).join("products");
    std::fs::create_dir_all(&image_dir).map_err(|source| SeedError::Media {
        path: image_dir.clone(),
        source,
    })?;

    let mut tx = db.pool.begin().await?;
    sqlx::query(
        "INSERT INTO stores (id, slug, name, currency, locale, primary_color, accent_color, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(store_id.to_string())
    .bind(demo.slug)
    .bind(demo.name)
    .bind(demo.currency)
    .bind(demo.locale)
    .bind(demo.primary_color)
    .bind(demo.accent_color)
    .bind(db::timestamp_text(now))
    .execute(&mut *tx)
    .await?;
    for origin in origins {
        sqlx::query("INSERT INTO store_allowed_origins (store_id, origin) VALUES ($1, $2)")
            .bind(store_id.to_string())
            .bind(origin.as_str())
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query(
        "INSERT INTO store_users (id, store_id, email, password_hash, role, created_at) \
         VALUES ($1, $2, $3, $4, 'owner', $5)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(store_id.to_string())
    .bind(demo.owner)
    .bind(password_hash)
    .bind(db::timestamp_text(now))
    .execute(&mut *tx)
    .await?;

    let mut product_index = 0usize;
    for (position, category) in demo.categories.iter().enumerate() {
        let category_id = Uuid::new_v4();
        sqlx::query(
            "INSERT INTO categories (id, store_id, slug, name, position, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(category_id.to_string())
        .bind(store_id.to_string())
        .bind(category.slug)
        .bind(category.name)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(db::timestamp_text(now))
        .execute(&mut *tx)
        .await?;
        for &(name, price) in category.products {
            let product_id = Uuid::new_v4();
            let slug = slugify(name);
            // Stagger creation times so that "newest" has a stable, meaningful order.
            let created =
                db::timestamp_text(now - time::Duration::minutes(product_index as i64 * 7));
            // Every fourth product is featured; every fifth is on sale.
            let featured = i64::from(product_index % 4 == 0);
            let compare_at = (product_index % 5 == 2).then_some((price + price / 4) / 10 * 10);
            sqlx::query(
                "INSERT INTO products (id, store_id, category_id, slug, name, description, \
                   price_amount, compare_at_amount, currency, featured, is_active, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
            )
            .bind(product_id.to_string())
            .bind(store_id.to_string())
            .bind(category_id.to_string())
            .bind(&slug)
            .bind(name)
            .bind(format!(
                "{name} from {}, in our {} collection.",
                demo.name,
                category.name.to_lowercase()
            ))
            .bind(price)
            .bind(compare_at)
            .bind(demo.currency)
            .bind(featured)
            .bind(&created)
            .execute(&mut *tx)
            .await?;

            let file = image_dir.join(format!("{slug}.svg"));
            std::fs::write(&file, product_svg(name, category.colour, product_index))
                .map_err(|source| SeedError::Media { path: file, source })?;
            sqlx::query(
                "INSERT INTO product_images (id, store_id, product_id, path, alt, position) \
                 VALUES ($1, $2, $3, $4, $5, 0)",
            )
            .bind(Uuid::new_v4().to_string())
            .bind(store_id.to_string())
            .bind(product_id.to_string())
            .bind(format!("/media/{store_id}/products/{slug}.svg"))
            .bind(name)
            .execute(&mut *tx)
            .await?;
            product_index += 1;
        }
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(slugify("Wax imprimé 6 yards"), "wax-imprime-6-yards");
        assert_eq!(slugify("Tea Lights (12)"), "tea-lights-12");
        assert_eq!(slugify("Smoker, Stainless"), "smoker-stainless");
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

//! The demo stores seeded by `--demo`: `demo` (EUR) and `demo-b` (XOF), each with an owner,
//! categories, products and images generated on the server (no outside network needed).

use std::path::{Path, PathBuf};

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::Argon2;
use uuid::Uuid;

use crate::catalog::{insert_variant, NewVariant};
use crate::db::{self, Db};
use crate::slugs::slugify;
use crate::storage::{FileStore, LocalDisk, StorageError};

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
                    ("Beekeeping Field Guide (PDF)", 990),
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
                    ("Guide des épices du Sahel (PDF)", 3000),
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

/// Units in stock of single-variant demo products; the others are not tracked. The oversell
/// tests rely on "Queen Marking Kit" starting with 10.
const DEMO_STOCK: &[(&str, i64)] = &[
    ("Wildflower Honey 500 g", 40),
    ("Orange Blossom Honey 500 g", 25),
    ("Rosemary Honey 250 g", 12),
    ("Chestnut Honey 500 g", 8),
    ("Heather Honey 250 g", 5),
    ("Raw Comb Honey 400 g", 3),
    ("Lavender Honey 500 g", 30),
    ("Eucalyptus Honey 1 kg", 0),
    ("Honey Tasting Trio", 10),
    ("Candle Making Kit", 10),
    ("Queen Marking Kit", 10),
    ("Djembé 30 cm", 4),
    ("Masque en bois", 2),
];

/// A demo product sold in several variants: option name, then value, price and stock.
struct DemoVariants {
    product: &'static str,
    option: &'static str,
    values: &'static [(&'static str, i64, Option<i64>)],
}

const DEMO_VARIANTS: &[DemoVariants] = &[
    DemoVariants {
        product: "Ventilated Jacket",
        option: "Size",
        values: &[
            ("S", 6490, Some(4)),
            ("M", 6490, Some(6)),
            ("L", 6490, Some(2)),
            ("XL", 6990, Some(0)),
        ],
    },
    DemoVariants {
        product: "Leather Gloves",
        option: "Size",
        values: &[
            ("S", 2290, Some(10)),
            ("M", 2290, Some(10)),
            ("L", 2290, Some(10)),
        ],
    },
    DemoVariants {
        product: "Hexagon Candle",
        option: "Colour",
        values: &[("Natural", 1590, None), ("White", 1690, None)],
    },
    DemoVariants {
        product: "Sandales en cuir",
        option: "Pointure",
        values: &[
            ("40", 14000, Some(5)),
            ("42", 14000, Some(5)),
            ("44", 15000, Some(5)),
        ],
    },
    DemoVariants {
        product: "Foulard en coton",
        option: "Couleur",
        values: &[("Indigo", 4500, None), ("Ocre", 4500, None)],
    },
];

/// Demo products delivered as a download, and their file names.
const DEMO_DIGITAL: &[(&str, &str)] = &[
    ("Beekeeping Field Guide (PDF)", "beekeeping-field-guide.pdf"),
    ("Guide des épices du Sahel (PDF)", "guide-epices-sahel.pdf"),
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
    /// A digital file could not be stored.
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

/// Seeds each demo store that does not exist yet; existing stores are left untouched.
pub async fn seed(
    db: &Db,
    media_dir: &Path,
    files: &LocalDisk,
    origins: &[String],
) -> Result<SeedReport, SeedError> {
    let mut stores = Vec::new();
    for demo in DEMO_STORES {
        let exists = sqlx::query("SELECT id FROM stores WHERE slug = $1")
            .bind(demo.slug)
            .fetch_optional(&db.pool)
            .await?
            .is_some();
        if !exists {
            seed_store(db, media_dir, files, origins, demo).await?;
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

/// A one-page PDF with a title and lines of text, standing in for a real digital product.
fn guide_pdf(title: &str, lines: &[&str]) -> Vec<u8> {
    let escape = |text: &str| {
        text.chars()
            .filter(char::is_ascii)
            .flat_map(|c| match c {
                '(' | ')' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect::<String>()
    };
    let mut content = format!("BT /F1 20 Tf 72 760 Td ({}) Tj ET", escape(title));
    for (index, line) in lines.iter().enumerate() {
        content.push_str(&format!(
            " BT /F1 12 Tf 72 {} Td ({}) Tj ET",
            720 - 18 * index,
            escape(line)
        ));
    }
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (index, object) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{object}\nendobj\n", index + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

/// The variants of a demo product, and its option names as JSON.
fn variant_seeds(
    name: &str,
    slug: &str,
    price: i64,
    compare_at: Option<i64>,
) -> (String, Vec<NewVariant>) {
    if let Some(spec) = DEMO_VARIANTS.iter().find(|spec| spec.product == name) {
        let variants = spec
            .values
            .iter()
            .map(|&(value, price, inventory)| NewVariant {
                sku: format!("{slug}-{}", slugify(value)),
                title: value.to_owned(),
                options: serde_json::json!({ spec.option: value }).to_string(),
                price,
                compare_at: None,
                inventory,
            })
            .collect();
        return (serde_json::json!([spec.option]).to_string(), variants);
    }
    let inventory = DEMO_STOCK
        .iter()
        .find(|(product, _)| *product == name)
        .map(|&(_, units)| units);
    let default = NewVariant {
        sku: slug.to_owned(),
        title: "Default".to_owned(),
        options: "{}".to_owned(),
        price,
        compare_at,
        inventory,
    };
    ("[]".to_owned(), vec![default])
}

async fn seed_store(
    db: &Db,
    media_dir: &Path,
    files: &LocalDisk,
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
            let (option_names, variants) = variant_seeds(name, &slug, price, compare_at);
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
            sqlx::query(
                "INSERT INTO products (id, store_id, category_id, slug, name, description, \
                   price_amount, compare_at_amount, currency, featured, is_active, created_at, \
                   updated_at, option_names, digital_file_key, digital_file_name) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11, $12, $13, $14)",
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
            .bind(&option_names)
            .bind(digital_file.as_ref().map(|(key, _)| key.clone()))
            .bind(digital_file.map(|(_, file_name)| file_name))
            .execute(&mut *tx)
            .await?;
            for (position, variant) in variants.iter().enumerate() {
                let position = i64::try_from(position).unwrap_or(i64::MAX);
                insert_variant(&mut tx, store_id, product_id, variant, position).await?;
            }

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

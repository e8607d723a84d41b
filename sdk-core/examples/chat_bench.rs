//! Chat interpreter benchmark (`scripts/bench-chat.sh` runs it in release mode; it prints
//! figures and asserts nothing):
//!
//! 1. exact-match accuracy over the labelled set (`tests/data/chat`) on the demo catalogs, in
//!    all and per language, store, intent and feature, as `tests/chat_accuracy.rs` reports it;
//! 2. a synthetic catalog of 10,000 products (both demo stores' products, then products named
//!    from combinations of everyday words in the five languages, one in five of them sold in
//!    sizes or colours): the time `Interpreter::new` takes to index it, and the latency of
//!    `interpret` for every labelled message, repeated to at least 10,000 calls (p50, p99,
//!    max), plus the accuracy the labelled set keeps in so large a catalog.
//!
//! Usage: `cargo run --release -p colmena-sdk --example chat_bench [-- PRODUCTS [CALLS]]`

#[path = "../tests/common/chat_set.rs"]
mod chat_set;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chat_set::LabelledSet;
use colmena_sdk::chat::Interpreter;
use colmena_sdk::contract::{
    ChatCatalog, ChatInterpretRequest, ChatName, ChatOption, ChatProduct, ChatVariant,
};
use uuid::Uuid;

/// Products in the synthetic catalog, unless told otherwise.
const PRODUCTS: usize = 10_000;
/// `interpret` calls timed, at least, unless told otherwise.
const CALLS: usize = 10_000;

/// Languages of the synthetic names, in the order of the word tables' columns.
const LOCALES: [&str; 5] = ["en", "es", "fr", "pt", "sw"];

/// Things sold, in en, es, fr, pt and sw. None is the head word of a demo product, so that the
/// labelled messages keep their meaning in the large catalog.
const NOUNS: &[[&str; 5]] = &[
    ["Bowl", "Cuenco", "Bol", "Tigela", "Bakuli"],
    ["Mug", "Taza", "Tasse", "Caneca", "Kikombe"],
    ["Plate", "Plato", "Assiette", "Prato", "Sahani"],
    ["Spoon", "Cuchara", "Cuillère", "Colher", "Kijiko"],
    ["Shirt", "Camisa", "Chemise", "Camisa", "Shati"],
    ["Dress", "Vestido", "Robe", "Vestido", "Gauni"],
    ["Hat", "Sombrero", "Chapeau", "Chapéu", "Kofia"],
    ["Belt", "Cinturón", "Ceinture", "Cinto", "Mkanda"],
    ["Necklace", "Collar", "Collier", "Colar", "Mkufu"],
    ["Soap", "Jabón", "Savon", "Sabonete", "Sabuni"],
    ["Coffee", "Café", "Café", "Café", "Kahawa"],
    ["Rice", "Arroz", "Riz", "Arroz", "Mchele"],
    ["Sugar", "Azúcar", "Sucre", "Açúcar", "Sukari"],
    ["Salt", "Sal", "Sel", "Sal", "Chumvi"],
    ["Jam", "Mermelada", "Confiture", "Geleia", "Jamu"],
    ["Juice", "Zumo", "Jus", "Suco", "Juisi"],
    ["Chair", "Silla", "Chaise", "Cadeira", "Kiti"],
    ["Table", "Mesa", "Table", "Mesa", "Meza"],
    ["Lamp", "Lámpara", "Lampe", "Lâmpada", "Taa"],
    ["Mirror", "Espejo", "Miroir", "Espelho", "Kioo"],
    ["Pillow", "Almohada", "Oreiller", "Travesseiro", "Mto"],
    ["Blanket", "Manta", "Couverture", "Cobertor", "Blanketi"],
    ["Towel", "Toalla", "Serviette", "Toalha", "Taulo"],
    ["Knife", "Cuchillo", "Couteau", "Faca", "Kisu"],
    ["Pot", "Olla", "Marmite", "Panela", "Sufuria"],
    ["Box", "Caja", "Boîte", "Caixa", "Sanduku"],
    ["Notebook", "Cuaderno", "Carnet", "Caderno", "Daftari"],
    ["Pen", "Bolígrafo", "Stylo", "Caneta", "Kalamu"],
    ["Shoes", "Zapatos", "Chaussures", "Sapatos", "Viatu"],
    ["Socks", "Calcetines", "Chaussettes", "Meias", "Soksi"],
    ["Vase", "Jarrón", "Vase", "Vaso", "Chombo"],
    ["Kettle", "Hervidor", "Bouilloire", "Chaleira", "Birika"],
    ["Cushion", "Cojín", "Coussin", "Almofada", "Foronya"],
    ["Bottle", "Botella", "Bouteille", "Garrafa", "Chupa"],
    [
        "Umbrella",
        "Paraguas",
        "Parapluie",
        "Guarda-chuva",
        "Mwavuli",
    ],
    ["Wallet", "Cartera", "Portefeuille", "Carteira", "Pochi"],
    ["Watch", "Reloj", "Montre", "Relógio", "Saa"],
    ["Skirt", "Falda", "Jupe", "Saia", "Sketi"],
    ["Bread", "Pan", "Pain", "Pão", "Mkate"],
    ["Cheese", "Queso", "Fromage", "Queijo", "Jibini"],
    ["Beans", "Frijoles", "Haricots", "Feijão", "Maharage"],
    ["Peanuts", "Cacahuetes", "Arachides", "Amendoim", "Karanga"],
];

/// What things are made of or taste of, as each language attaches it to a noun.
const MATERIALS: &[[&str; 5]] = &[
    ["Bamboo", "de bambú", "en bambou", "de bambu", "ya mianzi"],
    [
        "Ceramic",
        "de cerámica",
        "en céramique",
        "de cerâmica",
        "ya kauri",
    ],
    ["Glass", "de vidrio", "en verre", "de vidro", "ya kioo"],
    ["Linen", "de lino", "en lin", "de linho", "ya kitani"],
    ["Wool", "de lana", "en laine", "de lã", "ya sufu"],
    ["Silver", "de plata", "en argent", "de prata", "ya fedha"],
    ["Copper", "de cobre", "en cuivre", "de cobre", "ya shaba"],
    ["Clay", "de barro", "en argile", "de barro", "ya udongo"],
    ["Oak", "de roble", "en chêne", "de carvalho", "ya mwaloni"],
    [
        "Coconut",
        "de coco",
        "à la noix de coco",
        "de coco",
        "ya nazi",
    ],
    ["Mango", "de mango", "à la mangue", "de manga", "ya embe"],
    [
        "Vanilla",
        "de vainilla",
        "à la vanille",
        "de baunilha",
        "ya vanila",
    ],
    ["Lemon", "de limón", "au citron", "de limão", "ya limau"],
    ["Mint", "de menta", "à la menthe", "de hortelã", "ya nanaa"],
    ["Paper", "de papel", "en papier", "de papel", "ya karatasi"],
    ["Rattan", "de ratán", "en rotin", "de vime", "ya mlala"],
    [
        "Marble",
        "de mármol",
        "en marbre",
        "de mármore",
        "ya marumaru",
    ],
    [
        "Velvet",
        "de terciopelo",
        "en velours",
        "de veludo",
        "ya mahameli",
    ],
    ["Denim", "vaquero", "en jean", "jeans", "ya jinzi"],
    [
        "Sesame",
        "de sésamo",
        "au sésame",
        "de gergelim",
        "ya ufuta",
    ],
];

/// Styles, as each language attaches them.
const STYLES: &[[&str; 5]] = &[
    ["Classic", "clásico", "classique", "clássico", "ya kawaida"],
    ["Rustic", "rústico", "rustique", "rústico", "ya kijijini"],
    ["Modern", "moderno", "moderne", "moderno", "ya kisasa"],
    ["Mini", "mini", "mini", "mini", "ndogo"],
    ["Family", "familiar", "familial", "familiar", "ya familia"],
    ["Travel", "de viaje", "de voyage", "de viagem", "ya safari"],
    ["Deluxe", "de lujo", "de luxe", "de luxo", "ya kifahari"],
    ["Organic", "ecológico", "bio", "orgânico", "asilia"],
    ["Striped", "de rayas", "rayé", "listrado", "yenye mistari"],
    [
        "Spotted",
        "de lunares",
        "à pois",
        "de bolinhas",
        "yenye madoa",
    ],
    ["Round", "redondo", "rond", "redondo", "ya mviringo"],
    ["Square", "cuadrado", "carré", "quadrado", "ya mraba"],
    ["Blue", "azul", "bleu", "azul", "ya bluu"],
    ["Green", "verde", "vert", "verde", "ya kijani"],
    ["Red", "rojo", "rouge", "vermelho", "nyekundu"],
];

/// Options of the multi-variant synthetic products: names in en, es, fr, pt, sw, then values.
const OPTIONS: &[([&str; 5], &[&str])] = &[
    (
        ["Size", "Talla", "Taille", "Tamanho", "Saizi"],
        &["S", "M", "L", "XL"],
    ),
    (
        ["Colour", "Color", "Couleur", "Cor", "Rangi"],
        &["Black", "White", "Yellow"],
    ),
];

/// A deterministic id: `kind` keeps products and variants apart.
fn id(kind: u128, index: usize) -> Uuid {
    Uuid::from_u128(0x5e7c_0000_0000_4000_8000_0000_0000_0000 | (kind << 64) | index as u128)
}

/// A synthetic product's name in column `column` of the word tables.
fn name(column: usize, noun: &[&str; 5], material: &[&str; 5], style: &[&str; 5]) -> String {
    let (noun, material, style) = (noun[column], material[column], style[column]);
    if column == 0 {
        format!("{style} {material} {noun}")
    } else {
        format!("{noun} {material} {style}")
    }
}

/// Both demo stores' products, then generated ones up to `products`, in a store written in
/// English. Every generated product is named in English; most in Spanish and French, some in
/// Portuguese and Swahili (as a real catalog is unevenly translated). One in five comes in
/// sizes or colours.
fn synthetic_catalog(set: &LabelledSet, products: usize) -> ChatCatalog {
    let mut catalog = ChatCatalog {
        language: "en".to_owned(),
        products: set
            .stores
            .iter()
            .flat_map(|store| store.catalog.products.iter().cloned())
            .collect(),
    };
    let combinations = NOUNS.len() * MATERIALS.len() * STYLES.len();
    let wanted = products.saturating_sub(catalog.products.len());
    assert!(
        wanted <= combinations,
        "at most {combinations} generated products"
    );
    for index in 0..wanted {
        let noun = &NOUNS[index % NOUNS.len()];
        let material = &MATERIALS[(index / NOUNS.len()) % MATERIALS.len()];
        let style = &STYLES[index / (NOUNS.len() * MATERIALS.len())];
        // Which translations it has: en always; es and fr 4 in 5; pt and sw 1 in 3.
        let names = LOCALES
            .iter()
            .enumerate()
            .filter(|(column, _)| match column {
                0 => true,
                1 | 2 => index % 5 != 4,
                _ => index % 3 == 0,
            })
            .map(|(column, locale)| ChatName {
                locale: (*locale).to_owned(),
                name: name(column, noun, material, style),
            })
            .collect();
        let variants = if index % 5 == 2 {
            let (option_names, values) = &OPTIONS[(index / 5) % OPTIONS.len()];
            let option_names: Vec<ChatName> = LOCALES
                .iter()
                .zip(option_names)
                .map(|(locale, name)| ChatName {
                    locale: (*locale).to_owned(),
                    name: (*name).to_owned(),
                })
                .collect();
            values
                .iter()
                .enumerate()
                .map(|(value_index, value)| ChatVariant {
                    id: id(2, index * 8 + value_index),
                    options: vec![ChatOption {
                        names: option_names.clone(),
                        value: (*value).to_owned(),
                    }],
                })
                .collect()
        } else {
            vec![ChatVariant {
                id: id(2, index * 8),
                options: Vec::new(),
            }]
        };
        catalog.products.push(ChatProduct {
            id: id(1, index),
            names,
            variants,
        });
    }
    catalog
}

/// `values` sorted; the share `quantile` (0 to 1) of them are at most the one returned.
fn quantile(sorted: &[Duration], quantile: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let rank = ((quantile * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

fn argument(position: usize, default: usize) -> Result<usize, String> {
    match std::env::args().nth(position) {
        None => Ok(default),
        Some(text) => text
            .replace(['_', ','], "")
            .parse()
            .map_err(|_| format!("not a count: {text:?}")),
    }
}

fn run() -> Result<(), String> {
    let products = argument(1, PRODUCTS)?;
    let calls = argument(2, CALLS)?;
    let set = LabelledSet::load()?;

    println!("## Accuracy on the demo catalogs\n");
    print!("{}", set.coverage().table());
    println!();
    let interpreters = set.interpreters();
    let report = chat_set::evaluate(&set, |store| &interpreters[store]);
    print!("{}", report.table());

    println!(
        "\n## Accuracy on the held-out messages ({})\n",
        chat_set::HELD_OUT
    );
    let held_out = LabelledSet::load_messages(chat_set::HELD_OUT)?;
    let held_out_interpreters = held_out.interpreters();
    let held_out_report = chat_set::evaluate(&held_out, |store| &held_out_interpreters[store]);
    print!("{}", held_out_report.table());

    let catalog = synthetic_catalog(&set, products);
    let variants: usize = catalog.products.iter().map(|p| p.variants.len()).sum();
    println!(
        "\n## Latency over a synthetic catalog of {} products ({variants} variants)\n",
        catalog.products.len()
    );
    let started = Instant::now();
    let interpreter = Interpreter::new(&catalog);
    let indexing = started.elapsed();
    println!("Interpreter::new: {:.1} ms", indexing.as_secs_f64() * 1e3);

    // The requests, each with the interpretation of the message it answers (not timed).
    let requests: Vec<ChatInterpretRequest> = set
        .cases
        .iter()
        .map(|case| {
            let previous = case
                .previous_request()
                .map(|request| interpreter.interpret(&request));
            case.request(previous)
        })
        .collect();
    let rounds = calls.div_ceil(requests.len()).max(1);
    let mut timings = Vec::with_capacity(rounds * requests.len());
    for _ in 0..rounds {
        for request in &requests {
            let started = Instant::now();
            let interpretation = interpreter.interpret(black_box(request));
            timings.push(started.elapsed());
            black_box(interpretation);
        }
    }
    timings.sort_unstable();
    let total: Duration = timings.iter().sum();
    #[allow(clippy::cast_precision_loss)]
    let mean = micros(total) / timings.len() as f64;
    println!(
        "interpret: {} calls ({} messages × {rounds}): p50 {:.1} µs, p99 {:.1} µs, max {:.1} µs, mean {mean:.1} µs",
        timings.len(),
        requests.len(),
        micros(quantile(&timings, 0.50)),
        micros(quantile(&timings, 0.99)),
        micros(timings[timings.len() - 1]),
    );

    let large = chat_set::evaluate(&set, |_| &interpreter);
    println!(
        "exact match in the large catalog: {}/{} = {:.1} %",
        large.correct(),
        large.outcomes.len(),
        100.0 * large.accuracy()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("chat_bench: {problem}");
            ExitCode::FAILURE
        }
    }
}

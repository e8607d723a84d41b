//! Commerce in conversation over real HTTP: the side-effect-free interpreter endpoint, a whole
//! web chat conversation from first message to paid order (and its events, CSV export and
//! analytics), the hand-over to staff and their replies, and the walls between stores.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{error_code, server, Api};
use reqwest::Method;
use serde_json::{json, Value};

/// A fresh web chat session secret.
fn session() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

async fn say(api: &Api<'_>, store: &str, session: &str, text: &str) -> Value {
    let (status, body) = api
        .post(
            &format!("/api/v1/stores/{store}/chat/messages"),
            json!({ "session": session, "text": text }),
        )
        .await;
    assert_eq!(status, 200, "{text}: {body}");
    body["data"].clone()
}

fn reply(answer: &Value) -> String {
    answer["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reply| reply.as_str().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn interpret(api: &Api<'_>, store: &str, request: Value) -> (u16, Value) {
    api.post(&format!("/api/v1/stores/{store}/chat/interpret"), request)
        .await
}

#[tokio::test]
async fn interpret_answers_intent_items_and_confidence_without_side_effects() {
    let server = server(&[]);
    let api = Api::new(&server);
    let honey = api.product("demo", "wildflower-honey-500-g").await;
    let (status, body) = interpret(&api, "demo", json!({ "text": "add 2 wildflower honey" })).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["intent"], "add_to_cart");
    assert_eq!(data["items"][0]["productId"], honey["id"]);
    assert_eq!(data["items"][0]["variantId"], honey["variants"][0]["id"]);
    assert_eq!(data["items"][0]["quantity"], 2);
    let confidence = data["confidence"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{confidence}");

    // The five languages, detected.
    for (text, intent, language) in [
        ("quita los guantes", "remove_from_cart", "es"),
        ("vide mon panier", "clear_cart", "fr"),
        ("mostra o meu carrinho", "view_cart", "pt"),
        ("nataka kulipa", "checkout", "sw"),
        ("do you have candles?", "search", "en"),
    ] {
        let (status, body) = interpret(&api, "demo", json!({ "text": text })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["intent"], intent, "{text}: {body}");
        assert_eq!(body["data"]["language"], language, "{text}: {body}");
    }

    // A missing size asks, and the answer completes it when sent with the question.
    let (_, body) = interpret(&api, "demo", json!({ "text": "add a ventilated jacket" })).await;
    let asked = body["data"].clone();
    assert_eq!(asked["question"]["kind"], "which_variant", "{asked}");
    let (_, body) = interpret(
        &api,
        "demo",
        json!({ "text": "the large one", "previous": asked }),
    )
    .await;
    let jacket = api.product("demo", "ventilated-jacket").await;
    let large = jacket["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variant| variant["options"]["Size"] == "L")
        .unwrap();
    assert_eq!(body["data"]["items"][0]["variantId"], large["id"], "{body}");

    // Bad input is refused with the member named.
    let long = "a".repeat(1_001);
    for (request, parameter) in [
        (json!({ "text": "" }), "text"),
        (json!({ "text": "   " }), "text"),
        (json!({ "text": long }), "text"),
        (json!({ "text": "hi", "locale": "<script>" }), "locale"),
    ] {
        let (status, body) = interpret(&api, "demo", request).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(error_code(&body), "VALIDATION_ERROR");
        assert_eq!(body["error"]["details"]["parameter"], parameter);
    }
    let (status, body) = interpret(&api, "demo", json!({ "words": "hi" })).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = interpret(&api, "nowhere", json!({ "text": "hi" })).await;
    assert_eq!((status, error_code(&body)), (404, "STORE_NOT_FOUND"));

    // Nothing was recorded.
    let owner = api.owner("demo").await;
    let (status, body) = owner.get("/api/v1/admin/stores/demo/conversations").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 0, "{body}");
}

#[tokio::test]
async fn the_chat_catalog_has_names_translations_and_options() {
    let server = server(&[]);
    let api = Api::new(&server);
    let (status, body) = api.get("/api/v1/stores/demo-b/chat/catalog").await;
    assert_eq!(status, 200, "{body}");
    let products = body["data"]["products"].as_array().unwrap();
    assert_eq!(products.len(), 25);
    let sandals = products
        .iter()
        .find(|product| product["names"][0]["name"] == "Sandales en cuir")
        .unwrap();
    let names: Vec<&str> = sandals["names"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Leather sandals"), "{names:?}");
    let values: Vec<&str> = sandals["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|variant| variant["options"][0]["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["40", "42", "44"]);
}

#[tokio::test]
async fn a_web_conversation_adds_changes_removes_shows_and_pays() {
    let server = server(&[]);
    let api = Api::new(&server);
    let buyer = session();

    let answer = say(&api, "demo", &buyer, "add 2 wildflower honey").await;
    assert_eq!(answer["interpretation"]["intent"], "add_to_cart");
    assert!(
        reply(&answer).contains("2 × Wildflower Honey 500 g"),
        "{answer}"
    );
    assert!(
        reply(&answer).contains("€19.00") || reply(&answer).contains("19,00"),
        "{answer}"
    );
    let cart_id = answer["cartId"].as_str().unwrap().to_owned();

    // A question, then its answer, in the same conversation.
    let answer = say(&api, "demo", &buyer, "and a pair of leather gloves").await;
    assert_eq!(
        answer["interpretation"]["question"]["kind"], "which_variant",
        "{answer}"
    );
    let answer = say(&api, "demo", &buyer, "size M").await;
    assert!(reply(&answer).contains("Leather Gloves"), "{answer}");
    assert_eq!(answer["cartId"], cart_id.as_str());

    let answer = say(&api, "demo", &buyer, "make the gloves 3").await;
    assert_eq!(
        answer["interpretation"]["intent"], "update_cart",
        "{answer}"
    );
    let answer = say(&api, "demo", &buyer, "remove one honey").await;
    assert_eq!(
        answer["interpretation"]["intent"], "remove_from_cart",
        "{answer}"
    );
    let (_, cart) = api
        .get(&format!("/api/v1/stores/demo/carts/{cart_id}"))
        .await;
    let quantities: Vec<(String, u64)> = cart["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["productName"].as_str().unwrap().to_owned(),
                item["quantity"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        quantities,
        [
            ("Wildflower Honey 500 g".to_owned(), 1),
            ("Leather Gloves".to_owned(), 3)
        ]
    );

    let answer = say(&api, "demo", &buyer, "what's in my cart?").await;
    assert_eq!(answer["interpretation"]["intent"], "view_cart");
    assert!(
        reply(&answer).contains("3 × Leather Gloves (M)"),
        "{answer}"
    );

    // Asking to pay gives the hosted checkout page of this cart.
    let answer = say(&api, "demo", &buyer, "checkout please").await;
    let url = answer["checkoutUrl"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/shop/demo/checkout?lang=en#cart={cart_id}")),
        "{url}"
    );
    assert!(reply(&answer).contains(url));
    let page = api
        .http
        .get(url.split('#').next().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<colmena-cart store=\"demo\""), "{html}");

    // The page pays that cart: the conversation logs the order and closes.
    let cart = json!({ "id": cart_id });
    let (status, body) = api.checkout_as("demo", &cart, "ana@example.com").await;
    assert_eq!(status, 201, "{body}");
    let order = body["data"]["order"].clone();
    let (status, body) = api.pay("demo", &order, "succeed").await;
    assert_eq!(status, 200, "{body}");

    let owner = api.owner("demo").await;
    let (_, body) = owner
        .get("/api/v1/admin/stores/demo/conversations?status=closed")
        .await;
    let conversation = body["data"][0].clone();
    assert_eq!(conversation["orderId"], order["id"], "{body}");
    assert_eq!(conversation["buyer"], "web", "the session is never shown");
    let id = conversation["id"].as_str().unwrap();
    let (_, body) = owner
        .get(&format!("/api/v1/admin/stores/demo/conversations/{id}"))
        .await;
    let messages = body["data"]["messages"].as_array().unwrap();
    assert_eq!(messages.first().unwrap()["body"], "add 2 wildflower honey");
    let last = messages.last().unwrap()["body"].as_str().unwrap();
    assert!(
        last.contains(order["number"].as_str().unwrap_or("#1001")),
        "{last}"
    );

    let (_, body) = owner
        .get(&format!(
            "/api/v1/admin/stores/demo/conversation-events?conversationId={id}&limit=100"
        ))
        .await;
    let mut kinds: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    kinds.reverse();
    assert_eq!(kinds.first(), Some(&"conversation_started"), "{kinds:?}");
    assert_eq!(kinds.last(), Some(&"conversation_closed"), "{kinds:?}");
    for kind in [
        "message_received",
        "message_sent",
        "intent_recognized",
        "cart_updated",
        "checkout_link_sent",
        "order_placed",
    ] {
        assert!(kinds.contains(&kind), "{kind} missing from {kinds:?}");
    }
    assert_eq!(body["pagination"]["total"], kinds.len());

    // The buyer's next message starts a new conversation and a new cart.
    let answer = say(&api, "demo", &buyer, "add a hive tool").await;
    assert_ne!(answer["conversationId"].as_str().unwrap(), id);
    assert_ne!(answer["cartId"].as_str().unwrap(), cart_id);

    let (status, body) = owner
        .get("/api/v1/admin/stores/demo/conversation-analytics")
        .await;
    assert_eq!(status, 200, "{body}");
    let analytics = &body["data"];
    assert_eq!(analytics["conversations"], 2, "{analytics}");
    assert_eq!(analytics["conversationsWithOrder"], 1);
    assert_eq!(analytics["conversionRate"], 0.5);
    assert_eq!(analytics["messagesReceived"], 8);
    assert_eq!(analytics["checkoutLinksSent"], 1);
    let add = analytics["byIntent"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["intent"] == "add_to_cart")
        .unwrap();
    assert_eq!(add["recognized"], 4, "{analytics}");
    assert_eq!(add["successRate"], 1.0);
    let english = analytics["byLanguage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["language"] == "en")
        .unwrap();
    assert_eq!(english["recognized"], 8, "{analytics}");
}

#[tokio::test]
async fn events_filter_and_export_as_csv() {
    let server = server(&[]);
    let api = Api::new(&server);
    let buyer = session();
    say(&api, "demo", &buyer, "hola, quiero 3 miel de azahar").await;
    say(&api, "demo", &buyer, "zzqx blorp").await;
    let owner = api.owner("demo").await;
    let (status, body) = owner
        .get("/api/v1/admin/stores/demo/conversation-events?type=intent_failed")
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"].as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body["data"][0]["intent"], "unknown");
    let (_, body) = owner
        .get("/api/v1/admin/stores/demo/conversation-events?intent=add_to_cart&language=es")
        .await;
    let kinds: Vec<&str> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"intent_recognized") && kinds.contains(&"cart_updated"),
        "{kinds:?}"
    );

    let response = owner
        .request(
            Method::GET,
            "/api/v1/admin/stores/demo/conversation-events?format=csv",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,created_at,conversation_id,type,channel,intent,language,payload")
    );
    assert!(csv.contains(",intent_failed,web,unknown,"), "{csv}");
    // The JSON payload is one quoted field.
    assert!(csv.contains("\"{\"\""), "{csv}");

    let (status, body) = owner
        .get("/api/v1/admin/stores/demo/conversation-events?type=shouting")
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("shouting"),
        "{body}"
    );
    for (query, parameter) in [
        ("format=xml", "format"),
        ("from=yesterday", "from"),
        ("from=2030-01-02&to=2030-01-01", "to"),
    ] {
        let (status, body) = owner
            .get(&format!(
                "/api/v1/admin/stores/demo/conversation-events?{query}"
            ))
            .await;
        assert_eq!(status, 400, "{query}: {body}");
        assert_eq!(body["error"]["details"]["parameter"], parameter, "{body}");
    }
}

#[tokio::test]
async fn buyers_reach_a_person_who_answers_in_the_thread() {
    let server = server(&[]);
    let api = Api::new(&server);
    let owner = api.owner("demo").await;

    // Asked for.
    let buyer = session();
    let answer = say(&api, "demo", &buyer, "I want to talk to a person").await;
    assert_eq!(answer["interpretation"]["humanRequested"], true);
    assert!(reply(&answer).contains("Colmena Honey Co."), "{answer}");
    let (_, body) = owner
        .get("/api/v1/admin/stores/demo/conversations?status=waiting_human")
        .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1, "{body}");
    let id = body["data"][0]["id"].as_str().unwrap().to_owned();

    // While staff have it, chatter waits for them; plain requests still work.
    let answer = say(&api, "demo", &buyer, "hmm ok").await;
    assert_eq!(answer["replies"].as_array().unwrap().len(), 0, "{answer}");
    let answer = say(&api, "demo", &buyer, "add 1 bee brush").await;
    assert!(reply(&answer).contains("Bee Brush"), "{answer}");

    let (status, body) = owner
        .post(
            &format!("/api/v1/admin/stores/demo/conversations/{id}/replies"),
            json!({ "text": "Hi, this is Marta. How can I help?" }),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let last = body["data"]["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["author"], "staff");
    let (status, body) = owner
        .post(
            &format!("/api/v1/admin/stores/demo/conversations/{id}/replies"),
            json!({ "text": "" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (400, "VALIDATION_ERROR"));

    // Handed back to the assistant.
    let (status, body) = owner
        .patch(
            &format!("/api/v1/admin/stores/demo/conversations/{id}"),
            json!({ "status": "open" }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let answer = say(&api, "demo", &buyer, "show my cart").await;
    assert!(reply(&answer).contains("Bee Brush"), "{answer}");

    // Not understood three times in a row.
    let other = session();
    for text in ["qwerty", "zzz blorp", "fnord"] {
        say(&api, "demo", &other, text).await;
    }
    let (_, body) = owner
        .get("/api/v1/admin/stores/demo/conversations?status=waiting_human")
        .await;
    assert_eq!(body["data"].as_array().unwrap().len(), 1, "{body}");
    assert_ne!(body["data"][0]["id"], id.as_str());

    // Closed by staff: replies are refused, and the buyer starts afresh.
    let (status, _) = owner
        .patch(
            &format!("/api/v1/admin/stores/demo/conversations/{id}"),
            json!({ "status": "closed" }),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = owner
        .post(
            &format!("/api/v1/admin/stores/demo/conversations/{id}/replies"),
            json!({ "text": "still there?" }),
        )
        .await;
    assert_eq!((status, error_code(&body)), (409, "CONFLICT"));
}

#[tokio::test]
async fn conversations_stay_within_their_store() {
    let server = server(&[]);
    let api = Api::new(&server);
    let buyer = session();
    // The same session in two stores is two conversations.
    let here = say(&api, "demo", &buyer, "add 2 wildflower honey").await;
    let there = say(&api, "demo-b", &buyer, "ajoute 2 bissap").await;
    assert_ne!(here["conversationId"], there["conversationId"]);
    assert!(reply(&there).contains("Bissap"), "{there}");

    let owner_b = api.owner("demo-b").await;
    let id = here["conversationId"].as_str().unwrap();
    for path in [
        format!("/api/v1/admin/stores/demo-b/conversations/{id}"),
        format!("/api/v1/admin/stores/demo-b/conversations/{id}/replies"),
    ] {
        let (status, body) = if path.ends_with("replies") {
            owner_b.post(&path, json!({ "text": "hello" })).await
        } else {
            owner_b.get(&path).await
        };
        assert_eq!(
            (status, error_code(&body)),
            (404, "NOT_FOUND"),
            "{path}: {body}"
        );
    }
    let (status, body) = owner_b.get("/api/v1/admin/stores/demo/conversations").await;
    assert_eq!(status, 403, "{body}");
    let (_, body) = owner_b
        .get("/api/v1/admin/stores/demo-b/conversation-events?limit=100")
        .await;
    assert!(body["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|event| event["conversationId"] == there["conversationId"]));

    // A page's cart from another store is not adopted.
    let cart_a = here["cartId"].as_str().unwrap();
    let (status, body) = api
        .post(
            "/api/v1/stores/demo-b/chat/messages",
            json!({ "session": session(), "text": "ajoute 1 bissap", "cartId": cart_a }),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(body["data"]["cartId"], cart_a);

    // Sessions must be real secrets.
    let (status, body) = api
        .post(
            "/api/v1/stores/demo/chat/messages",
            json!({ "session": "short", "text": "hi" }),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["details"]["parameter"], "session");
}

/// A catalog's products as names and option values, without ids (which differ per seeding).
fn catalog_shape(catalog: &Value) -> Vec<(Vec<String>, Vec<String>)> {
    let mut shape: Vec<(Vec<String>, Vec<String>)> = catalog["products"]
        .as_array()
        .unwrap()
        .iter()
        .map(|product| {
            let mut names: Vec<String> = product["names"]
                .as_array()
                .unwrap()
                .iter()
                .map(|name| {
                    format!(
                        "{}:{}",
                        name["locale"].as_str().unwrap(),
                        name["name"].as_str().unwrap()
                    )
                })
                .collect();
            // The store's own name is labelled with the store's language, which the fixture
            // writes as the catalog's: compare it by text.
            names[0] = names[0].split_once(':').unwrap().1.to_owned();
            names[1..].sort();
            let values: Vec<String> = product["variants"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|variant| variant["options"].as_array().unwrap().clone())
                .map(|option| option["value"].as_str().unwrap().to_owned())
                .collect();
            (names, values)
        })
        .collect();
    shape.sort();
    shape
}

#[tokio::test]
async fn the_interpreters_labelled_set_matches_the_demo_catalogs() {
    let server = server(&[]);
    let api = Api::new(&server);
    for store in ["demo", "demo-b"] {
        let path = format!(
            "{}/../sdk-core/tests/data/chat/catalog-{store}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let fixture: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let (status, body) = api
            .get(&format!("/api/v1/stores/{store}/chat/catalog"))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            catalog_shape(&body["data"]),
            catalog_shape(&fixture),
            "{store}: regenerate sdk-core/tests/data/chat with make_catalogs.py"
        );
    }
}

#[tokio::test]
async fn taking_out_the_honey_means_the_honey_in_the_cart() {
    let server = server(&[]);
    let api = Api::new(&server);
    let buyer = session();
    say(&api, "demo", &buyer, "añade 2 miel de romero").await;
    say(&api, "demo", &buyer, "add 1 lavender honey").await;
    // Two honeys in the cart: the question offers those two only.
    let answer = say(&api, "demo", &buyer, "remove the honey").await;
    let choices: Vec<&str> = answer["interpretation"]["question"]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|choice| choice["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        choices,
        ["Lavender Honey 500 g", "Rosemary Honey 250 g"],
        "{answer}"
    );
    let answer = say(&api, "demo", &buyer, "lavender").await;
    assert!(
        reply(&answer).contains("Taken out of your cart: 1 × Lavender Honey"),
        "{answer}"
    );
    // One left: "la miel" is that one.
    let answer = say(&api, "demo", &buyer, "quita la miel").await;
    assert!(
        reply(&answer).contains("Quitado de tu carrito: 2 × Miel de romero"),
        "{answer}"
    );
}

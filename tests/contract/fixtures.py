"""Creates one of everything in a running demo server and prints the ids as shell exports,
so that schemathesis reaches real resources instead of answering 404 to every guessed id.

Usage: python3 fixtures.py BASE_URL  (stdlib only)
"""
import json
import sys
import urllib.request

BASE = sys.argv[1].rstrip("/")


def call(method, path, body=None, token=None, raw=None, content_type="application/json"):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(BASE + path, data=data, method=method)
    if data is not None:
        request.add_header("content-type", content_type)
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]


token = call("POST", "/api/v1/auth/login",
             {"store": "demo", "email": "owner@demo.test", "password": "demo-password"})["accessToken"]
admin = "/api/v1/admin/stores/demo"
product = call("GET", "/api/v1/stores/demo/products/leather-gloves")
guide = call("GET", "/api/v1/stores/demo/products/beekeeping-field-guide-pdf")
category = call("GET", "/api/v1/stores/demo/categories")[0]
product_type = call("POST", admin + "/product-types", {
    "name": "Contract test type",
    "schema": {"type": "object", "properties": {"origin": {"type": "string"}}},
}, token)
# A 1x1 transparent PNG (whole: the server decodes uploads).
png = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000b4944415478da636000020000050001e9fadcd80000000049454e44ae426082")
with_image = call("POST", admin + f"/products/{product['id']}/images", token=token, raw=png,
                  content_type="image/png")
cart = call("POST", "/api/v1/stores/demo/carts", {"items": [
    {"variantId": product["variants"][0]["id"], "quantity": 1},
    {"productId": guide["id"], "quantity": 1},
]})
paid = call("POST", "/api/v1/stores/demo/checkout", {"cartId": cart["id"], "email": "fuzz@example.com"})
call("POST", f"/api/v1/stores/demo/test-payments/{paid['order']['payment']['reference']}",
     {"outcome": "succeed"})
pending_cart = call("POST", "/api/v1/stores/demo/carts", {"items": [
    {"variantId": product["variants"][1]["id"], "quantity": 1}]})
pending = call("POST", "/api/v1/stores/demo/checkout", {"cartId": pending_cart["id"], "email": "fuzz@example.com"})
open_cart = call("POST", "/api/v1/stores/demo/carts", {"items": [
    {"variantId": product["variants"][2]["id"], "quantity": 1}]})
invited = call("POST", admin + "/users", {"email": "fuzz-editor@example.com", "role": "editor"}, token)
key = call("POST", admin + "/api-keys", {"kind": "publishable", "name": "contract test"}, token)

request = urllib.request.Request(f"{BASE}/api/v1/stores/demo/orders/{paid['order']['id']}")
request.add_header("x-order-token", paid["orderToken"])
with urllib.request.urlopen(request) as response:
    download_url = json.load(response)["data"]["downloads"][0]["url"]

exports = {
    "COLMENA_TOKEN": token,
    "COLMENA_PRODUCT_ID": product["id"],
    "COLMENA_PRODUCT_SLUG": product["slug"],
    "COLMENA_VARIANT_ID": product["variants"][0]["id"],
    "COLMENA_IMAGE_ID": with_image["images"][-1]["id"],
    "COLMENA_CATEGORY_ID": category["id"],
    "COLMENA_TYPE_ID": product_type["id"],
    "COLMENA_ORDER_ID": pending["order"]["id"],
    "COLMENA_ORDER_TOKEN": pending["orderToken"],
    "COLMENA_PAYMENT_REFERENCE": pending["order"]["payment"]["reference"],
    "COLMENA_CART_ID": open_cart["id"],
    "COLMENA_CART_ITEM_ID": open_cart["items"][0]["id"],
    "COLMENA_USER_ID": invited["user"]["id"],
    "COLMENA_KEY_ID": key["key"]["id"],
    "COLMENA_DOWNLOAD_TOKEN": download_url.rsplit("/", 1)[1],
}
for name, value in exports.items():
    print(f"export {name}='{value}'")

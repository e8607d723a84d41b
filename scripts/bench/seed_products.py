"""Adds COUNT products to the demo store through the admin API (for the server benchmark).

Usage: python3 seed_products.py BASE_URL COUNT   (stdlib only; rate limits must be off)
"""
import json
import sys
import urllib.request
from concurrent.futures import ThreadPoolExecutor



def call(base, method, path, body=None, token=None):
    """One API call; answers the envelope's `data` (an HTTP error raises)."""
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("content-type", "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    with urllib.request.urlopen(request) as response:
        return json.load(response)["data"]


def main(base, count):
    token = call(base, "POST", "/api/v1/auth/login",
                 {"store": "demo", "email": "owner@demo.test",
                  "password": "demo-password"})["accessToken"]
    categories = [c["id"] for c in call(base, "GET", "/api/v1/stores/demo/categories")]

    def create(index):
        call(base, "POST", "/api/v1/admin/stores/demo/products", {
            "name": f"Bench Product {index:05d}",
            "description": "A product added by the benchmark, with a description of typical "
                           "length so that list pages carry realistic payloads to the client.",
            "categoryId": categories[index % len(categories)],
            "featured": index % 7 == 0,
            "variants": [{"price": {"amount": 100 + index % 5000, "currency": "EUR"},
                          "inventory": 1000}],
        }, token)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(create, range(count)))
    print(f"seeded {count} products")


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), int(sys.argv[2]))

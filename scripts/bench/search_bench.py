"""The catalog search benchmark's driver (scripts/bench-search.sh runs it; stdlib only).

  python3 search_bench.py seed BASE_URL COUNT   adds a product type and COUNT products to store
                                                `demo` through the admin API (rate limits off)
  python3 search_bench.py measure BASE_URL COUNT  times a mix of searches, one at a time over one
                                                kept-alive connection; prints p50 and p99

Names combine a flavour, a kind, a size and a line ("Lavender Candle 500 g Reserve"), so every
word is shared by hundreds of products, as in a real catalog; each product has an origin, an
organic flag and a weight (its type's JSON Schema) and a price. The random generator is seeded:
every run searches the same catalog with the same queries.
"""
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from seed_products import call  # this directory's, which Python puts on the path

FLAVOURS = ["Wildflower", "Lavender", "Chestnut", "Orange Blossom", "Heather", "Acacia",
            "Rosemary", "Eucalyptus", "Thyme", "Clover", "Buckwheat", "Manuka", "Linden",
            "Sunflower", "Rapeseed", "Sage", "Mint", "Cherry", "Apple", "Almond", "Citrus",
            "Forest", "Meadow", "Mountain", "Alpine", "Coastal", "Crème", "Vanilla", "Cinnamon",
            "Ginger", "Lemon", "Honeydew", "Bramble", "Elderflower", "Hawthorn", "Juniper",
            "Saffron", "Tupelo", "Sourwood", "Fireweed"]
KINDS = ["Honey", "Candle", "Soap", "Balm", "Wax", "Mead", "Tea", "Jam", "Comb", "Nougat"]
SIZES = ["100 g", "250 g", "500 g", "1 kg", "Gift Set"]
LINES = ["Classic", "Reserve", "Estate", "Harvest", "Select"]
ORIGINS = ["Spain", "France", "Italy", "Portugal", "Greece", "Germany", "Poland", "Romania"]

ADMIN = "/api/v1/admin/stores/demo"


def name_of(index):
    """The index-th of the 10,000 distinct names (flavour × kind × size × line)."""
    flavour = FLAVOURS[index % len(FLAVOURS)]
    kind = KINDS[index // len(FLAVOURS) % len(KINDS)]
    size = SIZES[index // (len(FLAVOURS) * len(KINDS)) % len(SIZES)]
    line = LINES[index // (len(FLAVOURS) * len(KINDS) * len(SIZES)) % len(LINES)]
    return f"{flavour} {kind} {size} {line}"


def seed(base, count):
    token = call(base, "POST", "/api/v1/auth/login",
                 {"store": "demo", "email": "owner@demo.test",
                  "password": "demo-password"})["accessToken"]
    schema = {"type": "object", "properties": {
        "origin": {"type": "string"}, "organic": {"type": "boolean"},
        "weightGrams": {"type": "integer"}}}
    product_type = call(base, "POST", f"{ADMIN}/product-types",
                        {"name": "Bench goods", "schema": schema}, token)["id"]
    rng = random.Random(7)
    rows = [(index, rng.choice(ORIGINS), rng.random() < 0.4, rng.randrange(100, 5000))
            for index in range(count)]

    def create(row):
        index, origin, organic, price = row
        name = name_of(index)
        call(base, "POST", f"{ADMIN}/products", {
            "name": name,
            "description": f"{name}: small-batch {KINDS[index % len(KINDS)].lower()} from "
                           f"{origin}, made by the benchmark with a description of typical "
                           "length.",
            "productTypeId": product_type,
            "attributes": {"origin": origin, "organic": organic,
                           "weightGrams": [100, 250, 500, 1000][index % 4]},
            "variants": [{"price": {"amount": price, "currency": "EUR"}, "inventory": 100}],
        }, token)

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(create, rows))
    print(f"seeded {count} products")


def typo(word, rng):
    """The word with one edit (two in long words) away from its first letter."""
    edits = 2 if len(word) >= 8 else 1
    for _ in range(edits):
        at = rng.randrange(1, len(word) - 1)
        word = rng.choice([word[:at] + word[at + 1:],                            # deletion
                           word[:at] + word[at + 1] + word[at] + word[at + 2:],  # transposition
                           word[:at] + "e" + word[at + 1:]])                     # substitution
    return word


def queries(rng, count):
    """(kind of query, its query string) for the mix: exact, prefix, typo, filtered."""
    mix = []
    for _ in range(150):
        mix.append(("exact", {"q": name_of(rng.randrange(count))}))
        mix.append(("prefix", {"q": rng.choice(FLAVOURS + KINDS).lower()[:rng.choice([3, 4])]}))
        words = [rng.choice(FLAVOURS).split()[0], rng.choice(KINDS)]
        mix.append(("typo", {"q": " ".join(typo(w.lower(), rng) for w in words)}))
        low = rng.randrange(100, 3000)
        mix.append(("filtered", {"q": rng.choice(KINDS).lower(),
                                 "attribute": f"origin:{rng.choice(ORIGINS)}",
                                 "minPrice": low, "maxPrice": low + 1500}))
    rng.shuffle(mix)
    return mix


def measure(base, count):
    host = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(host.hostname, host.port)
    rng = random.Random(11)
    mix = queries(rng, count)
    timings, found = {}, {}

    def get(params):
        path = "/api/v1/stores/demo/search?" + urllib.parse.urlencode(params)
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:200]!r}")
        return elapsed, json.loads(body)

    for _, params in mix[:40]:  # warm-up: connections, page cache, statement caches
        get(params)
    for kind, params in mix:
        elapsed, answer = get(params)
        timings.setdefault(kind, []).append(elapsed)
        found.setdefault(kind, []).append(answer["pagination"]["total"])
        if kind == "exact" and answer["data"]["products"][0]["name"] != params["q"]:
            raise SystemExit(f"exact name not first: {params['q']}")

    def percentile(values, share):
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]

    everything = [t for values in timings.values() for t in values]
    print("| queries | n | matches (median) | p50 ms | p99 ms |")
    print("|---|---:|---:|---:|---:|")
    for kind in ["exact", "prefix", "typo", "filtered"]:
        values = timings[kind]
        print(f"| {kind} | {len(values)} | {statistics.median(found[kind]):,.0f} | "
              f"{percentile(values, 0.5):.2f} | {percentile(values, 0.99):.2f} |")
    print(f"| **all** | {len(everything)} | | **{percentile(everything, 0.5):.2f}** | "
          f"**{percentile(everything, 0.99):.2f}** |")


if __name__ == "__main__":
    if sys.argv[1] == "seed":
        seed(sys.argv[2].rstrip("/"), int(sys.argv[3]))
    else:
        measure(sys.argv[2].rstrip("/"), int(sys.argv[3]))

#!/usr/bin/env python3
"""Writes the chat catalog fixtures of the two demo stores from the server's demo data.

Reads the const tables of server-ref/src/demo/data.rs (DEMO_STORES, DEMO_VARIANTS) and
server-ref/src/demo/translations.rs (PRODUCT_NAMES, OPTION_NAMES) and writes, next to this
script, one `ChatCatalog` per store as JSON (serde camelCase, as the API sends it):

    catalog-demo.json     store `demo`, written in English
    catalog-demo-b.json   store `demo-b`, written in French

Each product's names are its name as in data.rs, with the store's language as locale, then its
translations in the order of PRODUCT_NAMES; each option's names likewise from OPTION_NAMES. A
product without variants in DEMO_VARIANTS has exactly one variant with no options. Ids are
UUIDv5 of `<store>/<product>` and `<store>/<product>/<value>` (`<store>/<product>/default` for
the only variant), so the files are the same on every run.

Usage: make_catalogs.py [--check]   (--check: fail when a fixture is out of date, write nothing)
"""

import json
import re
import sys
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
DATA_RS = ROOT / "server-ref/src/demo/data.rs"
TRANSLATIONS_RS = ROOT / "server-ref/src/demo/translations.rs"
FILES = {"demo": "catalog-demo.json", "demo-b": "catalog-demo-b.json"}

# Namespace of the fixtures' ids.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "chat-fixtures.colmena.test")

STRING = r'"((?:[^"\\]|\\.)*)"'


def unescape(literal):
    """A Rust string literal's text (the demo tables only use simple escapes)."""
    return json.loads('"' + literal + '"')


def const_body(source, name):
    """The text of `const NAME ... = &[ ... ];`, brackets balanced."""
    match = re.search(r"const " + re.escape(name) + r"\b[^=]*=\s*&\[", source)
    if not match:
        sys.exit(f"const {name} not found")
    depth, start = 1, match.end()
    index = start
    in_string = False
    while depth:
        char = source[index]
        if in_string:
            if char == "\\":
                index += 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
        index += 1
    return source[start : index - 1]


def bracketed(text, start):
    """The text inside the `[` at `start` and its matching `]`."""
    assert text[start] == "["
    depth, index = 0, start
    while True:
        if text[index] == "[":
            depth += 1
        elif text[index] == "]":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index]
        index += 1


def parse_stores(source):
    """[(slug, language, [product name, ...])] in the order of DEMO_STORES."""
    body = const_body(source, "DEMO_STORES")
    stores = []
    for chunk in re.split(r"\bDemoStore\s*\{", body)[1:]:
        slug = unescape(re.search(r"\bslug:\s*" + STRING, chunk).group(1))
        language = unescape(re.search(r"\blanguage:\s*" + STRING, chunk).group(1))
        products = []
        for match in re.finditer(r"\bproducts:\s*&\[", chunk):
            inner = bracketed(chunk, match.end() - 1)
            for product in re.finditer(r"\(\s*" + STRING + r"\s*,\s*-?\d+\s*,?\s*\)", inner):
                products.append(unescape(product.group(1)))
        if not products:
            sys.exit(f"store {slug}: no products found")
        stores.append((slug, language, products))
    return stores


def parse_variants(source):
    """{product: (option name, [value, ...])} from DEMO_VARIANTS."""
    body = const_body(source, "DEMO_VARIANTS")
    variants = {}
    for chunk in re.split(r"\bDemoVariants\s*\{", body)[1:]:
        product = unescape(re.search(r"\bproduct:\s*" + STRING, chunk).group(1))
        option = unescape(re.search(r"\boption:\s*" + STRING, chunk).group(1))
        values_at = re.search(r"\bvalues:\s*&\[", chunk)
        inner = bracketed(chunk, values_at.end() - 1)
        values = [
            unescape(match.group(1))
            for match in re.finditer(
                r"\(\s*" + STRING + r"\s*,\s*-?\d+\s*,\s*(?:Some\(\s*-?\d+\s*\)|None)\s*,?\s*\)",
                inner,
            )
        ]
        if not values:
            sys.exit(f"variants of {product}: no values found")
        variants[product] = (option, values)
    return variants


def parse_names(source, name):
    """{key: [(locale, name), ...]} from a translation table."""
    body = const_body(source, name)
    table = {}
    entry = re.compile(r"\(\s*" + STRING + r"\s*,\s*&\[")
    position = 0
    while True:
        match = entry.search(body, position)
        if not match:
            break
        inner = bracketed(body, match.end() - 1)
        pairs = re.findall(r"\(\s*" + STRING + r"\s*,\s*" + STRING + r"\s*\)", inner)
        table[unescape(match.group(1))] = [(unescape(l), unescape(n)) for l, n in pairs]
        position = match.end() + len(inner)
    return table


def names(own_locale, own_name, translations):
    result = [{"locale": own_locale, "name": own_name}]
    result += [{"locale": locale, "name": name} for locale, name in translations]
    return result


def catalog(slug, language, products, variants, product_names, option_names):
    items = []
    for product in products:
        key = f"{slug}/{product}"
        if product in variants:
            option, values = variants[product]
            option_labels = names(language, option, option_names.get(option, []))
            product_variants = [
                {
                    "id": str(uuid.uuid5(NAMESPACE, f"{key}/{value}")),
                    "options": [{"names": option_labels, "value": value}],
                }
                for value in values
            ]
        else:
            product_variants = [
                {"id": str(uuid.uuid5(NAMESPACE, f"{key}/default")), "options": []}
            ]
        items.append(
            {
                "id": str(uuid.uuid5(NAMESPACE, key)),
                "names": names(language, product, product_names.get(product, [])),
                "variants": product_variants,
            }
        )
    return {"language": language, "products": items}


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] and not check:
        sys.exit(__doc__)
    data = DATA_RS.read_text(encoding="utf-8")
    translations = TRANSLATIONS_RS.read_text(encoding="utf-8")
    stores = parse_stores(data)
    variants = parse_variants(data)
    product_names = parse_names(translations, "PRODUCT_NAMES")
    option_names = parse_names(translations, "OPTION_NAMES")
    every_product = {product for _, _, products in stores for product in products}
    for product in list(variants) + list(product_names):
        if product not in every_product:
            sys.exit(f"{product!r} is not a product of the demo stores")
    stale = []
    for slug, language, products in stores:
        if slug not in FILES:
            sys.exit(f"no fixture file planned for store {slug}")
        text = json.dumps(
            catalog(slug, language, products, variants, product_names, option_names),
            ensure_ascii=False,
            indent=2,
        ) + "\n"
        path = HERE / FILES[slug]
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(path.name)
        else:
            path.write_text(text, encoding="utf-8")
            print(f"{path.name}: {len(products)} products")
    if stale:
        sys.exit(f"out of date: {', '.join(stale)} (run {Path(__file__).name})")


if __name__ == "__main__":
    main()

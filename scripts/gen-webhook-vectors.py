#!/usr/bin/env python3
# Writes the shared webhook signature test vectors (Rust, JavaScript and Kotlin tests read them).
# Run from the repository root.
import hmac, hashlib, json
def sig(secret, t, body):
    return hmac.new(secret.encode(), f"{t}.".encode()+body.encode(), hashlib.sha256).hexdigest()
secret="whsec_test_5Yc2bQ9Lm3Kp8Zr1"
old="whsec_test_previous_0000000000"
body='{"id":"evt_7d3f0a52-1c4e-4b8a-9f21-5e6d7c8b9a01","type":"order.paid","createdAt":"2026-11-22T10:00:00Z","data":{"orderId":"0b9f6a4e-2f1d-4c3b-8a7e-6d5c4b3a2f10","total":{"amount":2780,"currency":"EUR"}}}'
uni='{"name":"Miel de montaña ñ 🐝"}'
t=1795000000
cases=[]
def case(name, header, now, valid, error=None, b=body, s=secret):
    c={"name":name,"secret":s,"body":b,"header":header,"now":now,"valid":valid}
    if error: c["error"]=error
    cases.append(c)
good=f"t={t},v1={sig(secret,t,body)}"
case("valid signature", good, t+10, True)
case("valid at the edge of the tolerance", good, t+300, True)
case("timestamp too old", good, t+301, False, "TIMESTAMP_OUT_OF_TOLERANCE")
case("timestamp from the future beyond tolerance", good, t-301, False, "TIMESTAMP_OUT_OF_TOLERANCE")
case("body changed by one byte", good, t, False, "SIGNATURE_MISMATCH", b=body.replace("2780","2781"))
case("wrong secret", good, t, False, "SIGNATURE_MISMATCH", s=old)
case("rotation: second v1 matches", f"t={t},v1={sig(old,t,body)},v1={sig(secret,t,body)}", t, True)
case("rotation: neither v1 matches", f"t={t},v1={sig(old,t,body)},v1={'0'*64}", t, False, "SIGNATURE_MISMATCH")
case("timestamp replaced", f"t={t+5},v1={sig(secret,t,body)}", t+5, False, "SIGNATURE_MISMATCH")
case("unknown scheme only", f"t={t},v0={sig(secret,t,body)}", t, False, "NO_SIGNATURE")
case("unknown scheme ignored beside v1", f"t={t},v0=abc,v1={sig(secret,t,body)}", t, True)
case("no timestamp", f"v1={sig(secret,t,body)}", t, False, "MALFORMED_HEADER")
case("timestamp not a number", f"t=yesterday,v1={sig(secret,t,body)}", t, False, "MALFORMED_HEADER")
case("empty header", "", t, False, "MALFORMED_HEADER")
case("spaces after commas are accepted", f"t={t}, v1={sig(secret,t,body)}", t, True)
case("uppercase hex is not the scheme", f"t={t},v1={sig(secret,t,body).upper()}", t, False, "SIGNATURE_MISMATCH")
case("empty body", f"t={t},v1={sig(secret,t,'')}", t, True, b="")
case("unicode body", f"t={t},v1={sig(secret,t,uni)}", t, True, b=uni)
doc={"description":"Colmena outbound webhook signatures. Header `Colmena-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>...]`; each v1 is lowercase hex HMAC-SHA256 keyed with the endpoint secret (its UTF-8 bytes) over `<t>.<raw body>`. A signature is valid when some v1 matches and |now - t| <= 300 s. Generated with Python's hmac module (scripts/gen-webhook-vectors.py), independently of the SDK code.","toleranceSeconds":300,"cases":cases}
json.dump(doc, open("sdk-core/tests/vectors/webhook-signatures.json","w"), indent=2, ensure_ascii=False)
open("sdk-core/tests/vectors/webhook-signatures.json","a").write("\n")
print(len(cases))

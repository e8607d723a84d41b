"""Scale-out test: three colmena-server instances behind nginx, on one PostgreSQL database, with
Redis and an S3-compatible server (moto), all on loopback. scripts/test-scale-out.sh starts
PostgreSQL, Redis and moto, then runs this; the instances and nginx are started here, so that one
can be killed.

It checks what running several instances must not break:
  1. 100 concurrent checkouts, spread over the instances, for 10 units give exactly 10 orders;
  2. the public rate limit holds across instances, within 10% of the quota;
  3. an admin price change on one instance is served by all three within 1 s;
  4. an image uploaded through one instance is served by the others;
  5. kill -9 of one instance under load loses no committed order, webhook or email, and only
     requests in flight on it fail;
  6. /metrics on each instance parses with prometheus_client's parser.

Environment: COLMENA_SERVER_BIN, SCALE_DATABASE_URL, SCALE_REDIS_URL, SCALE_S3_ENDPOINT.
"""
import http.server
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
import zlib
from concurrent.futures import ThreadPoolExecutor

from prometheus_client.parser import text_string_to_metric_families

BIN = os.environ["COLMENA_SERVER_BIN"]
DATABASE_URL = os.environ["SCALE_DATABASE_URL"]
REDIS_URL = os.environ["SCALE_REDIS_URL"]
S3_ENDPOINT = os.environ["SCALE_S3_ENDPOINT"]
JWT_SECRET = "scale-out-test-secret-of-at-least-32-bytes"
PUBLIC_QUOTA = 120  # public requests per minute, per client and store
WORK = tempfile.mkdtemp(prefix="colmena-scale.")
RESULTS = []
STARTED = []  # every server process, stopped at the end


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def report(check, figure):
    RESULTS.append((check, figure))
    print(f"  ok  {check}: {figure}", flush=True)


def call(base, method, path, body=None, token=None, client=None, raw=None, content_type=None):
    """One HTTP call: (status, parsed JSON body or None). Connection failures are status 0."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(base + path, method=method, data=data)
    request.add_header("content-type", content_type or "application/json")
    if token:
        request.add_header("authorization", "Bearer " + token)
    if client:
        # nginx appends its peer; the servers trust nginx (and this test) as proxies, so the
        # client is this address: each simulated buyer has its own rate-limit key.
        request.add_header("x-forwarded-for", client)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, socket.timeout):
        return 0, None
    try:
        return status, json.loads(payload) if payload else None
    except ValueError:
        return status, payload


def psql(sql):
    out = subprocess.run(["psql", DATABASE_URL, "-XAtqc", sql], check=True,
                         capture_output=True, text=True).stdout.strip()
    return out


class Instance:
    def __init__(self, name, public_url):
        self.name, self.public_url = name, public_url
        self.port, self.metrics_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.dir = os.path.join(WORK, name)
        os.makedirs(self.dir, exist_ok=True)
        self.process = None

    def start(self, demo):
        args = [BIN, "--addr", f"127.0.0.1:{self.port}", "--database-url", DATABASE_URL,
                "--redis-url", REDIS_URL,
                "--storage-url", f"s3://colmena/scale?endpoint={S3_ENDPOINT}&region=us-east-1",
                "--metrics-addr", f"127.0.0.1:{self.metrics_port}",
                "--public-url", self.public_url, "--jwt-secret", JWT_SECRET,
                "--trusted-proxy", "127.0.0.1", "--log-format", "json",
                "--rate-limit-public", str(PUBLIC_QUOTA), "--rate-limit-admin", "0",
                "--rate-limit-login", "0", "--rate-limit-uploads", "0",
                "--cache-ttl-seconds", "60", "--mail-dir", os.path.join(self.dir, "mail"),
                "--webhook-allow-http", "--webhook-allow-private",
                "--webhook-timeout-seconds", "2", "--mail-timeout-seconds", "2",
                "--webhook-poll-ms", "200", "--mail-poll-ms", "200"]
        if demo:
            args.append("--demo")
        env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test")
        log = open(os.path.join(self.dir, "server.log"), "ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=log, env=env)
        STARTED.append(self.process)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"{self.name} exited: see {self.dir}/server.log")
            if call(self.base, "GET", "/readyz")[0] == 200:
                return
            time.sleep(0.1)
        sys.exit(f"{self.name} did not become ready")

    def metrics(self):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics") as answer:
            return answer.read().decode()


def start_nginx(port, instances):
    servers = "\n".join(f"    server 127.0.0.1:{i.port} max_fails=1 fail_timeout=10s;"
                        for i in instances)
    os.makedirs(os.path.join(WORK, "nginx", "tmp"), exist_ok=True)
    conf = os.path.join(WORK, "nginx", "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""worker_processes 1;
pid {WORK}/nginx/nginx.pid;
error_log {WORK}/nginx/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {WORK}/nginx/tmp;
  proxy_temp_path {WORK}/nginx/tmp;
  fastcgi_temp_path {WORK}/nginx/tmp;
  uwsgi_temp_path {WORK}/nginx/tmp;
  scgi_temp_path {WORK}/nginx/tmp;
  client_max_body_size 10m;
  upstream colmena {{
{servers}
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://colmena;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      # A request that never reached an instance (refused connection) goes to the next one.
      proxy_next_upstream error timeout;
    }}
  }}
}}
""")
    subprocess.run(["nginx", "-c", conf, "-p", os.path.join(WORK, "nginx")], check=True)


class WebhookReceiver(http.server.BaseHTTPRequestHandler):
    events = {}
    lock = threading.Lock()

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        with WebhookReceiver.lock:
            WebhookReceiver.events[body["id"]] = body
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def tiny_png(rgb):
    """A valid 2x2 PNG of one colour (the server decodes uploads in full)."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes(rgb) * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    nginx_port = free_port()
    lb = f"http://127.0.0.1:{nginx_port}"
    instances = [Instance(f"instance-{n}", lb) for n in (1, 2, 3)]
    # The first seeds the demo stores; the others find them.
    instances[0].start(demo=True)
    for instance in instances[1:]:
        instance.start(demo=True)
    start_nginx(nginx_port, instances)
    print(f"three instances behind nginx at {lb}; work directory {WORK}", flush=True)

    status, body = call(lb, "POST", "/api/v1/auth/login",
                        {"store": "demo", "email": "owner@demo.test", "password": "demo-password"})
    assert status == 200, (status, body)
    token = body["data"]["accessToken"]

    def new_product(name, inventory, amount=1000):
        status, body = call(lb, "POST", "/api/v1/admin/stores/demo/products", {
            "name": name, "description": "Scale-out test product",
            "variants": [{"price": {"amount": amount, "currency": "EUR"}, "inventory": inventory}],
        }, token)
        assert status == 201, (status, body)
        return body["data"]

    # 1. 100 concurrent checkouts for 10 units.
    product = new_product("Last Ten Jars", 10)
    variant = product["variants"][0]["id"]

    def cart_for(index):
        status, body = call(lb, "POST", "/api/v1/stores/demo/carts",
                            {"items": [{"variantId": variant, "quantity": 1}]},
                            client=f"198.51.100.{index}")
        assert status == 201, (status, body)
        return body["data"]["id"]

    with ThreadPoolExecutor(32) as pool:
        carts = list(pool.map(cart_for, range(100)))
    start = threading.Barrier(100)

    def checkout(index):
        start.wait()
        return call(lb, "POST", "/api/v1/stores/demo/checkout",
                    {"cartId": carts[index], "email": f"buyer{index}@example.com"},
                    client=f"198.51.100.{index}")[0]

    with ThreadPoolExecutor(100) as pool:
        statuses = list(pool.map(checkout, range(100)))
    placed = statuses.count(201)
    refused = statuses.count(409)
    orders = int(psql(f"SELECT COUNT(*) FROM order_items WHERE variant_id = '{variant}'"))
    left = int(psql(f"SELECT inventory FROM product_variants WHERE id = '{variant}'"))
    assert placed == 10 and orders == 10 and refused == 90 and left == 0, \
        (placed, orders, refused, left, sorted(set(statuses)))
    report("100 concurrent checkouts for 10 units",
           f"{placed} placed (10 order rows), {refused} refused 409, stock left {left}")

    # 2. The public rate limit across instances: one client, requests spread by nginx.
    client = "203.0.113.77"
    sent = 2 * PUBLIC_QUOTA
    began = time.time()
    with ThreadPoolExecutor(12) as pool:
        answers = list(pool.map(
            lambda _: call(lb, "GET", "/api/v1/stores/demo/categories", client=client)[0],
            range(sent)))
    elapsed = time.time() - began
    allowed = answers.count(200)
    # The quota refills continuously (GCRA): a burst of the quota, plus the refill meanwhile.
    expected = PUBLIC_QUOTA + elapsed * PUBLIC_QUOTA / 60
    assert answers.count(429) == sent - allowed, sorted(set(answers))
    assert abs(allowed - expected) <= 0.1 * PUBLIC_QUOTA, (allowed, expected)
    report("public rate limit across 3 instances",
           f"{allowed} of {sent} allowed in {elapsed:.1f} s for a quota of {PUBLIC_QUOTA}/min "
           f"(expected {expected:.0f}; per-instance counting would allow up to {3 * PUBLIC_QUOTA})")

    # 3. A price change on one instance, served by all three within 1 s.
    priced = new_product("Price Watch Honey", 50, amount=1500)
    path = f"/api/v1/stores/demo/products/{priced['slug']}"
    for instance in instances:  # warm every instance's cache
        assert call(instance.base, "GET", path)[1]["data"]["variants"][0]["price"]["amount"] == 1500
    status, _ = call(instances[0].base, "PATCH",
                     f"/api/v1/admin/stores/demo/products/{priced['id']}/variants/"
                     f"{priced['variants'][0]['id']}",
                     {"price": {"amount": 1750, "currency": "EUR"}}, token)
    assert status == 200, status
    changed = time.time()
    seen = {}
    while len(seen) < 3 and time.time() - changed < 5:
        for instance in instances:
            if instance.name not in seen:
                data = call(instance.base, "GET", path)[1]["data"]
                if data["variants"][0]["price"]["amount"] == 1750:
                    seen[instance.name] = time.time() - changed
        time.sleep(0.01)
    assert len(seen) == 3 and max(seen.values()) <= 1.0, seen
    report("admin price change seen by all 3 instances (cache on, 60 s TTL)",
           "within " + ", ".join(f"{name} {ms * 1000:.0f} ms" for name, ms in sorted(seen.items())))

    # 4. An image uploaded through one instance is served by the others.
    png = tiny_png((200, 120, 30))
    status, body = call(instances[0].base, "POST",
                        f"/api/v1/admin/stores/demo/products/{priced['id']}/images?alt=Jar",
                        token=token, raw=png, content_type="image/png")
    assert status == 201, (status, body)
    image_url = body["data"]["product"]["images"][-1]["url"] if "product" in body["data"] \
        else body["data"]["images"][-1]["url"]
    image_path = image_url[image_url.index("/media/"):]
    for instance in instances[1:]:
        with urllib.request.urlopen(instance.base + image_path) as answer:
            assert answer.status == 200 and answer.read() == png
            assert answer.headers["content-type"] == "image/png"
    report("image uploaded through instance-1", f"served by instance-2 and instance-3 "
           f"({len(png)} bytes, from the S3 bucket)")

    # 6 (first half). /metrics of the instance about to be killed.
    parsed = {}
    for instance in instances:
        families = {f.name: f for f in text_string_to_metric_families(instance.metrics())}
        for needed in ("colmena_http_requests", "colmena_http_request_duration_seconds",
                       "colmena_db_pool_connections", "colmena_outbox_pending",
                       "colmena_checkouts"):
            assert needed in families, (instance.name, needed, sorted(families))
        parsed[instance.name] = sum(len(f.samples) for f in families.values())

    # 5. kill -9 of one instance under load.
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), WebhookReceiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    status, body = call(lb, "POST", "/api/v1/admin/stores/demo/webhooks", {
        "url": f"http://127.0.0.1:{receiver.server_address[1]}/hook",
        "events": ["order.created", "order.paid"]}, token)
    assert status == 201, (status, body)
    stocked = new_product("Steady Seller Honey", 100000)
    stocked_variant = stocked["variants"][0]["id"]
    stop = threading.Event()
    lock = threading.Lock()
    outcome = {"placed": {}, "paid": set(), "failed": [], "calls": 0}

    def shopper(worker):
        n = 0
        while not stop.is_set():
            n += 1
            client = f"10.{worker}.{(n >> 8) & 255}.{n & 255}"
            email = f"load-{uuid.uuid4().hex[:12]}@example.com"
            status, body = call(lb, "POST", "/api/v1/stores/demo/carts",
                                {"items": [{"variantId": stocked_variant, "quantity": 1}]},
                                client=client)
            steps = [("cart", status)]
            if status == 201:
                status, body = call(lb, "POST", "/api/v1/stores/demo/checkout",
                                    {"cartId": body["data"]["id"], "email": email}, client=client)
                steps.append(("checkout", status))
                if status == 201:
                    order = body["data"]["order"]
                    with lock:
                        outcome["placed"][order["id"]] = email
                    status, body = call(
                        lb, "POST",
                        f"/api/v1/stores/demo/test-payments/{order['payment']['reference']}",
                        {"outcome": "succeed"}, client=client)
                    steps.append(("pay", status))
                    if status == 200:
                        with lock:
                            outcome["paid"].add(order["id"])
            with lock:
                outcome["calls"] += len(steps)
                outcome["failed"].extend(s for s in steps if s[1] not in (200, 201))

    workers = 8
    threads = [threading.Thread(target=shopper, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    victim = instances[2]
    victim.process.send_signal(signal.SIGKILL)
    victim.process.wait()
    killed_at = len(outcome["placed"])
    time.sleep(4)
    stop.set()
    for thread in threads:
        thread.join()
    placed, paid, failed = outcome["placed"], outcome["paid"], outcome["failed"]
    assert len(placed) > killed_at > 0, (killed_at, len(placed))
    assert len(failed) <= workers, failed
    in_db = set(psql(f"SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id "
                     f"WHERE i.variant_id = '{stocked_variant}'").split())
    assert set(placed) <= in_db, set(placed) - in_db
    paid_in_db = set(psql(f"SELECT o.id FROM orders o JOIN order_items i ON i.order_id = o.id "
                          f"WHERE i.variant_id = '{stocked_variant}' AND o.status = 'paid'").split())
    assert paid <= paid_in_db, paid - paid_in_db
    # Every committed order's webhooks and mail go out, the victim's claims included once their
    # lease ends (2 x the 2 s attempt timeout + 10 s).
    deadline = time.time() + 60
    while time.time() < deadline:
        with WebhookReceiver.lock:
            created = {e["data"]["order"]["id"] for e in WebhookReceiver.events.values()
                       if e["type"] == "order.created"}
            paid_hooks = {e["data"]["order"]["id"] for e in WebhookReceiver.events.values()
                          if e["type"] == "order.paid"}
        pending_mail = int(psql("SELECT COUNT(*) FROM mail_outbox WHERE status <> 'sent' "
                                "AND recipient LIKE 'load-%'"))
        if in_db <= created and paid_in_db <= paid_hooks and pending_mail == 0:
            break
        time.sleep(0.5)
    assert in_db <= created, f"order.created missing for {len(in_db - created)} orders"
    assert paid_in_db <= paid_hooks, f"order.paid missing for {len(paid_in_db - paid_hooks)}"
    assert pending_mail == 0, f"{pending_mail} messages unsent"
    paid_emails = set(psql(
        "SELECT customer_email FROM orders WHERE status = 'paid' "
        "AND customer_email LIKE 'load-%'").split())
    sent_to = set(psql("SELECT recipient FROM mail_outbox WHERE status = 'sent' "
                       "AND kind = 'order_confirmation' AND recipient LIKE 'load-%'").split())
    assert paid_emails <= sent_to, f"no confirmation for {len(paid_emails - sent_to)} orders"
    eml = 0
    for instance in instances:
        mail_dir = os.path.join(instance.dir, "mail")
        eml += len(os.listdir(mail_dir)) if os.path.isdir(mail_dir) else 0
    report("kill -9 of instance-3 under load (8 shoppers, 7 s)",
           f"{outcome['calls']} calls, {len(placed)} orders placed ({killed_at} before the kill), "
           f"{len(paid)} paid; {len(failed)} calls failed (in flight on the victim: "
           f"{sorted(set(s for s in failed))}); all {len(in_db)} committed orders kept, "
           f"{len(created)} order.created and {len(paid_hooks)} order.paid webhooks received, "
           f"{len(sent_to)} confirmations sent ({eml} .eml files)")

    # 6 (second half). The survivors' /metrics, and the victim restarted.
    victim.start(demo=False)
    for instance in instances:
        families = {f.name: f for f in text_string_to_metric_families(instance.metrics())}
        assert "colmena_http_requests" in families, instance.name
        parsed[instance.name] = sum(len(f.samples) for f in families.values())
    survivors = instances[:2]
    checkouts = sum(s.value for i in survivors
                    for f in text_string_to_metric_families(i.metrics())
                    if f.name == "colmena_checkouts" for s in f.samples
                    if s.labels.get("outcome") == "placed")
    report("/metrics parsed by prometheus_client on each instance",
           ", ".join(f"{name} {count} samples" for name, count in sorted(parsed.items()))
           + f"; checkouts placed on the survivors: {checkouts:.0f}")


if __name__ == "__main__":
    try:
        main()
        print(f"scale-out: all {len(RESULTS)} checks passed", flush=True)
    finally:
        pid_file = os.path.join(WORK, "nginx", "nginx.pid")
        if os.path.exists(pid_file):
            with open(pid_file) as f:
                os.kill(int(f.read().strip()), signal.SIGQUIT)
        for process in STARTED:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        for name in os.listdir(WORK):
            log = os.path.join(WORK, name, "server.log")
            if os.path.exists(log) and os.environ.get("SCALE_KEEP_LOGS"):
                print(f"log: {log}")
        if not os.environ.get("SCALE_KEEP_LOGS"):
            shutil.rmtree(WORK, ignore_errors=True)

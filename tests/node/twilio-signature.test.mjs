// The server's check of `X-Twilio-Signature` against the official `twilio` package, an
// independent implementation: every call the package signs is taken, and every call its
// `validateRequest` refuses (a changed parameter, another token, another URL) is refused by the
// server too. The server is the browser tests' live colmena-server with the demo stores.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import twilio from "twilio";
import { startApi } from "../browser/harness.mjs";

const authToken = "9c1f3e5a7b2d4c6e8f0a1b3c5d7e9f21";
const sender = "whatsapp:+14155238886";
const accountSid = "AC0123456789abcdef0123456789abcdef";
let api;
let hook;

before(async () => {
  api = await startApi([], ["--rate-limit-login", "0", "--rate-limit-admin", "0"]);
  const login = await fetch(`${api.url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ store: "demo", email: "owner@demo.test", password: "demo-password" }),
  });
  const { data: tokens } = await login.json();
  const connected = await fetch(`${api.url}/api/v1/admin/stores/demo/chat/channels/twilio`, {
    method: "PUT",
    headers: { "content-type": "application/json", authorization: `Bearer ${tokens.accessToken}` },
    body: JSON.stringify({ accountSid, sender, authToken }),
  });
  const { data: channel } = await connected.json();
  assert.equal(connected.status, 200, JSON.stringify(channel));
  hook = channel.webhookUrl;
  assert.equal(hook, `${api.url}/api/v1/chat/twilio/webhook`);
});

after(() => api?.stop());

/** Posts `params` as Twilio does (a repeated parameter once per value) to `url`. */
async function post(url, params, signature) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of [value].flat()) body.append(name, one);
  }
  const headers = { "content-type": "application/x-www-form-urlencoded" };
  if (signature !== undefined) headers["x-twilio-signature"] = signature;
  const response = await fetch(url, { method: "POST", headers, body });
  const text = await response.text();
  return { status: response.status, text };
}

/** A WhatsApp message as Twilio's webhook sends it. */
function message(extra = {}) {
  return {
    SmsMessageSid: "SM1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c",
    NumMedia: "0",
    ProfileName: "Ana",
    MessageType: "text",
    SmsSid: "SM1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c",
    WaId: "34600111222",
    SmsStatus: "received",
    Body: "add 2 wildflower honey",
    To: sender,
    NumSegments: "1",
    ReferralNumMedia: "0",
    MessageSid: "SM1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c",
    AccountSid: accountSid,
    From: "whatsapp:+34600111222",
    ApiVersion: "2010-04-01",
    ...extra,
  };
}

const cases = [
  { name: "a text message", query: "", params: message() },
  {
    name: "accents, emoji and form-reserved characters",
    query: "",
    params: message({ Body: "¿Tienes miel? 🍯 2+2=4 & 50% off; ñandú", ProfileName: "Zoë Ørsted" }),
  },
  { name: "a query string in the URL", query: "?store=demo&note=a%20b", params: message() },
  {
    name: "empty values and media parameters",
    query: "",
    params: message({ Body: "look", NumMedia: "1", MediaContentType0: "image/jpeg", MediaUrl0: "https://api.twilio.com/2010-04-01/Accounts/x/Messages/y/Media/z", Latitude: "" }),
  },
  { name: "a repeated parameter", query: "", params: message({ Tag: ["zeta", "alpha", "zeta"] }) },
  { name: "parameter names sorted case-sensitively", query: "", params: message({ aLower: "1", ZUpper: "2", _under: "3" }) },
];

for (const { name, query, params } of cases) {
  test(`the package's signature is taken: ${name}`, async () => {
    const url = hook + query;
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    assert.ok(twilio.validateRequest(authToken, signature, url, params));
    const { status, text } = await post(url, params, signature);
    assert.equal(status, 200, text);
    assert.match(text, /<Response\/>$/);
  });

  test(`what the package refuses is refused: ${name}`, async () => {
    const url = hook + query;
    const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
    const refusals = [
      ["a changed body", url, { ...params, Body: `${params.Body}!` }, signature],
      ["an added parameter", url, { ...params, Extra: "1" }, signature],
      ["another auth token", url, params, twilio.getExpectedTwilioSignature("0".repeat(32), url, params)],
      ["another URL", url, params, twilio.getExpectedTwilioSignature(authToken, `${hook}?other=1`, params)],
      ["another path", url, params, twilio.getExpectedTwilioSignature(authToken, hook.replace("twilio", "twilio2"), params)],
    ];
    for (const [what, sentTo, sent, claimed] of refusals) {
      assert.equal(twilio.validateRequest(authToken, claimed, sentTo, sent), false, what);
      const { status, text } = await post(sentTo, sent, claimed);
      assert.equal(status, 401, `${what}: ${text}`);
      assert.equal(JSON.parse(text).error.code, "UNAUTHORIZED", what);
    }
  });
}

test("a call without a signature is refused", async () => {
  const { status, text } = await post(hook, message());
  assert.equal(status, 401, text);
});

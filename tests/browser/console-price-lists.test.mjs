// The console's price lists page in headless Chromium, against a live colmena-server of its own:
// through the UI only, the demo owner creates a customer group, a 20 % sale starting now (which
// shoppers then pay, the regular price struck through, as the public API shows), and a group's
// own prices scheduled in the future; a window that ends before it starts is refused by the API
// beside the end field; a list and a group are deleted after the usual confirmation. The demo
// store's own sale shows "On now" throughout. axe-core finds no serious or critical violation;
// screenshots at 1440 and 390 px land in tests/browser/artifacts/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startApi, launchChromium, root, signInToConsole, assertAccessible as audit, assertFitsWidth } from "./harness.mjs";

const artifacts = join(root, "tests/browser/artifacts");
let api, browser;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  api = await startApi([], ["--rate-limit-login", "0"]);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  api?.stop();
});

/** `datetime-local` text for `hours` from now in the page's time zone. */
async function localInputIn(page, hours) {
  return page.evaluate((hours) => {
    const at = new Date(Date.now() + hours * 3600e3);
    const two = (n) => String(n).padStart(2, "0");
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
  }, hours);
}

/** The demo product `slug` as shoppers see it. */
async function shopperProduct(slug) {
  const response = await fetch(`${api.url}/api/v1/stores/demo/products/${slug}`);
  assert.equal(response.status, 200);
  return (await response.json()).data;
}

/** Adds the product named `name` to the open price list form, found by the picker's search. */
async function addProduct(form, name) {
  const picker = form.getByRole("search", { name: "Products to price" });
  await picker.getByLabel("Find products").fill(name);
  await picker.getByRole("button", { name: "Search", exact: true }).click();
  await picker.getByRole("button", { name: `Add ${name}`, exact: true }).click();
  await picker.getByRole("button", { name: `${name} added`, exact: true }).waitFor();
}

test("the owner runs a sale, schedules a group's own prices, and sees the API's refusal beside the end", async () => {
  // A merchant in Madrid: the window is typed in local time and reaches the API in UTC.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: "Europe/Madrid" });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await signInToConsole(page, api);
  await page.getByRole("navigation", { name: "Console" }).getByRole("button", { name: "Price lists", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Price lists" }).waitFor();
  // The demo store's own sale, running since yesterday for a month.
  const demoSale = page.locator("table.price-lists tbody tr", { hasText: "Candle week" });
  await demoSale.filter({ hasText: "On now" }).waitFor();
  assert.match(await demoSale.textContent(), /Sale.*On now.*Every shopper.*\d{4}-\d\d-\d\d \d\d:\d\d to \d{4}-\d\d-\d\d \d\d:\d\d2Edit/);

  // A customer group: a member that is not an email address is refused beside the members,
  // with its line; then the group is created with one member.
  await page.getByRole("button", { name: "New customer group" }).click();
  const groupForm = page.getByRole("form", { name: "New customer group" });
  await groupForm.getByLabel("Group name (e.g. Wholesale)").fill("Wholesale");
  const members = groupForm.getByLabel("Members");
  await members.fill("buyer@wholesale.example\nnot-an-email");
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await page.locator("#field-group-emails-error", { hasText: "line 2 (not-an-email)" }).waitFor();
  assert.equal(await members.getAttribute("aria-invalid"), "true");
  await members.fill("buyer@wholesale.example\n");
  await groupForm.getByRole("button", { name: "Create group" }).click();
  await page.getByRole("status").filter({ hasText: "Saved the customer group Wholesale." }).waitFor();
  const groupRow = page.locator("table.groups tbody tr", { hasText: "Wholesale" });
  assert.match(await groupRow.textContent(), /1 member: buyer@wholesale\.example/);

  // A 20 % sale on Chestnut Honey for every shopper, from now: its price is filled from the
  // regular one, shown beside the field.
  const regular = (await shopperProduct("chestnut-honey-500-g")).variants[0];
  assert.equal(regular.compareAtPrice ?? null, null);
  await page.getByRole("button", { name: "New price list" }).click();
  const form = page.getByRole("form", { name: "New price list" });
  await form.getByLabel("Name (for staff, e.g. Summer sale)").fill("Autumn sale");
  assert.ok(await form.getByLabel(/^Sale:/).isChecked());
  assert.equal(await form.getByLabel("For", { exact: true }).inputValue(), "");
  await form.getByLabel("Starts (empty: now)").fill(await localInputIn(page, 0));
  assert.ok(await form.getByLabel("Switched on").isChecked());
  await addProduct(form, "Chestnut Honey 500 g");
  const price = form.locator("#field-prices-0-price");
  // The new price field has the focus (the Add button it replaced is disabled).
  await page.waitForFunction(() => document.activeElement?.id === "field-prices-0-price");
  assert.match(await form.locator("#field-prices-0-price-hint").textContent(), /Regular price €12\.50/);
  await form.getByLabel("Percent off the regular price").fill("20");
  await form.getByRole("button", { name: "Fill the prices" }).click();
  await form.getByRole("status").filter({ hasText: "Filled 1 price at 20 % off." }).waitFor();
  assert.equal(await price.inputValue(), "10.00");
  await audit(page, "price list form");
  await page.screenshot({ path: join(artifacts, "console-price-list-form-1440.png"), fullPage: true });
  await form.getByRole("button", { name: "Create price list" }).click();
  await page.getByRole("status").filter({ hasText: "Saved the price list Autumn sale." }).waitFor();
  const sale = page.locator("table.price-lists tbody tr", { hasText: "Autumn sale" });
  await sale.filter({ hasText: "On now" }).waitFor();
  assert.match(await sale.textContent(), /Sale.*On now.*Every shopper.*From .* \(no end\)1/);

  // Shoppers pay 20 % less, the regular price struck through.
  const onSale = (await shopperProduct("chestnut-honey-500-g")).variants[0];
  assert.equal(onSale.price.amount, Math.round(regular.price.amount * 0.8));
  assert.equal(onSale.price.amount, 1000);
  assert.equal(onSale.compareAtPrice.amount, regular.price.amount);

  // The group's own prices on every Hexagon Candle variant, from two days ahead, at 30 % off;
  // one variant is left out before saving.
  await page.getByRole("button", { name: "New price list" }).click();
  await form.getByLabel("Name (for staff, e.g. Summer sale)").fill("Wholesale prices");
  await form.getByLabel(/^Own prices:/).check();
  await form.getByLabel("For", { exact: true }).selectOption({ label: "Wholesale" });
  const starts = await localInputIn(page, 48);
  await form.getByLabel("Starts (empty: now)").fill(starts);
  await addProduct(form, "Hexagon Candle");
  const variants = await form.locator("fieldset.priced input").count();
  assert.ok(variants >= 2, `Hexagon Candle has ${variants} variants`);
  await form.getByLabel("Percent off the regular price").fill("30");
  await form.getByRole("button", { name: "Fill the prices" }).click();
  await form.getByRole("status").filter({ hasText: `Filled ${variants} prices at 30 % off.` }).waitFor();
  await form.getByRole("button", { name: /^Leave out Hexagon Candle / }).last().click();
  assert.equal(await form.locator("fieldset.priced input").count(), variants - 1);
  await form.getByRole("button", { name: "Create price list" }).click();
  const scheduled = page.locator("table.price-lists tbody tr", { hasText: "Wholesale prices" });
  await scheduled.waitFor();
  const scheduledText = await scheduled.textContent();
  assert.match(scheduledText, new RegExp(`Own prices.*Scheduled \\(starts ${starts.replace("T", " ")}\\).*Wholesale`));
  assert.ok(scheduledText.includes(`${variants - 1}Edit`), scheduledText);
  // The group now has a list: deleting it says the list goes too.
  assert.match(await groupRow.textContent(), /Wholesale1 member.*1/);

  // Edited: the list's prices come back beside their products; an end before the start is
  // refused by the API beside the end field, which takes the focus.
  await page.getByRole("button", { name: "Edit Wholesale prices" }).click();
  const edit = page.getByRole("form", { name: "Edit Wholesale prices" });
  await edit.getByRole("group", { name: "Hexagon Candle" }).waitFor();
  assert.equal(await edit.locator("fieldset.priced input").count(), variants - 1);
  assert.equal(await edit.getByLabel("Starts (empty: now)").inputValue(), starts);
  await edit.getByLabel("Ends (empty: no end)").fill(await localInputIn(page, 24));
  await edit.getByRole("button", { name: "Save price list" }).click();
  const endError = page.locator("#field-endsAt-error", { hasText: "must be after startsAt" });
  await endError.waitFor();
  assert.equal(await edit.getByLabel("Ends (empty: no end)").getAttribute("aria-invalid"), "true");
  await page.waitForFunction(() => document.activeElement?.id === "field-endsAt");
  // A price the API refuses (over its maximum) shows beside that variant's field.
  await edit.getByLabel("Ends (empty: no end)").fill("");
  await edit.locator("#field-prices-0-price").fill("999999999999");
  await edit.getByRole("button", { name: "Save price list" }).click();
  await page.locator("#field-prices-0-price-error", { hasText: "must be 0 to 10^13 minor units" }).waitFor();
  await audit(page, "price list refused");
  await edit.getByRole("button", { name: "Cancel" }).click();

  await audit(page, "price lists");
  await page.screenshot({ path: join(artifacts, "console-price-lists-1440.png"), fullPage: true });

  // At 390 px: no horizontal overflow, the form still usable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("button", { name: "Edit Autumn sale" }).click();
  await page.getByRole("form", { name: "Edit Autumn sale" }).getByRole("group", { name: "Chestnut Honey 500 g" }).waitFor();
  await audit(page, "price lists at 390 px");
  await assertFitsWidth(page, "price list form at 390 px");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(artifacts, "console-price-list-form-390.png"), fullPage: true });
  await page.getByRole("form", { name: "Edit Autumn sale" }).getByRole("button", { name: "Cancel" }).click();
  // The table scrolled sideways to the focused Edit button: back to its start for the picture.
  await page.evaluate(() => { for (const table of document.querySelectorAll("table")) table.scrollLeft = 0; window.scrollTo(0, 0); });
  await page.screenshot({ path: join(artifacts, "console-price-lists-390.png"), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });

  // Deleting a list asks first; deleting the group warns that its price list goes with it.
  await page.getByRole("button", { name: "Delete Autumn sale" }).click();
  await page.getByRole("alert").filter({ hasText: "Delete the price list Autumn sale?" }).waitFor();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await sale.waitFor({ state: "detached" });
  assert.equal((await shopperProduct("chestnut-honey-500-g")).variants[0].price.amount, regular.price.amount);
  await page.getByRole("button", { name: "Delete Wholesale", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "Delete the group Wholesale? Its price list is deleted with it." }).waitFor();
  await page.getByRole("button", { name: "Yes, delete" }).click();
  await page.getByRole("status").filter({ hasText: "Deleted the customer group Wholesale." }).waitFor();
  await scheduled.waitFor({ state: "detached" });
  assert.deepEqual(await page.locator("table.price-lists tbody tr td:first-child").allTextContents(), ["Candle week"]);
  await page.getByText("No customer groups yet.").waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

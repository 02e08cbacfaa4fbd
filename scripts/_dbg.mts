import {openSite} from "../tests/browser/site.ts";
import {typedNumbersScript} from "../tests/typedNumbers.ts";
const site = await openSite();
const ctx = await site.browser.newContext({javaScriptEnabled: false});
let total = 0;
for (const path of process.argv.slice(2)) {
const page = await ctx.newPage();
await page.goto(site.origin + path, {waitUntil: "domcontentloaded"});
const r: any = await page.evaluate(typedNumbersScript([]));
total += r.numbers.length;
console.log(path + " " + r.numbers.length + "\n" + r.numbers.map((n: any) => "  " + n.number + "\t" + n.context).join("\n"));
}
console.log("total", total);
await site.close();

import {existsSync} from "node:fs";
import {chromium, type Browser} from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

/** The Chromium to drive: $CHROMIUM_PATH, else Debian's. Throws (never skips) when there is none. */
export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const found = CANDIDATES.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      "The browser tests need Chromium and found none. Install Debian's with `sudo apt-get install -y chromium`, " +
        "or point CHROMIUM_PATH at a Chromium or Chrome binary. (`npx playwright install` cannot download here.)"
    );
  }
  return found;
}

/** Headless Chromium with WebGL on SwiftShader (no GPU needed), and no traffic of its own. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      "--no-sandbox",
      "--enable-unsafe-swiftshader",
      "--use-angle=swiftshader",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-dev-shm-usage"
    ]
  });
}
